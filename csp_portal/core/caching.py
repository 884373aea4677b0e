"""Page fragments cached under a key that changes with everything they are made from.

Keys carry the partnership's data version (indicators/data_version.py), so an entry is
never stale: a change makes a new key, and the old entry is left to be evicted. A
fragment must not depend on who is asking (no CSRF token, nonce or role-dependent
link), or the key must say so.
"""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

T = TypeVar("T")


def cached(key: str, make: Callable[[], T]) -> T:
    """The value stored under ``key``, made (and stored) if it is not there."""
    value = cache.get(key)
    if value is None:
        value = make()
        cache.set(key, value)
    return value


def cached_fragment(key: str, render: Callable[[], str]) -> SafeString:
    """The HTML stored under ``key``, rendered (and stored) if it is not there."""
    # Rendered by our own templates, escaped there.
    return mark_safe(cached(key, lambda: str(render())))
