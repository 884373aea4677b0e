"""Page fragments cached under a key that changes with everything they are made from.

Keys carry the partnership's data version (indicators/data_version.py), so an entry is
never stale: a change makes a new key, and the old entry is left to be evicted. A
fragment must not depend on who is asking (no CSRF token, nonce or role-dependent
link), or the key must say so.
"""

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

T = TypeVar("T")


def key_digest(*parts) -> str:
    """A short stand-in, for a cache key, of values too long or free-form to put in it."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


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


def cached_fragments(pieces: list[tuple[str, Callable[[], str]]]) -> list[SafeString]:
    """The HTML stored under each (key, render) piece's key, read in one go; the missing
    pieces rendered and stored in one go."""
    found = cache.get_many([key for key, _ in pieces])
    made = {key: str(render()) for key, render in pieces if key not in found}
    if made:
        cache.set_many(made)
    # Rendered by our own templates, escaped there.
    return [mark_safe(found[key] if key in found else made[key]) for key, _ in pieces]


class KeptBytes:
    """Large values kept in this process as well as in the shared cache, under keys that
    name them for good (a data version in each). A value read from the shared cache is a new
    copy each time: for a stored report of half a megabyte, that copy costs more than the
    rest of the page. The oldest values go once ``limit`` bytes are kept."""

    def __init__(self, limit: int):
        self.limit = limit
        self._kept: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._kept.get(key)
            if value is not None:
                self._kept.move_to_end(key)
                return value
        value = cache.get(key)
        if value is not None:
            self._keep(key, value)
        return value

    def set(self, key: str, value: bytes) -> None:
        cache.set(key, value)
        self._keep(key, value)

    @property
    def size(self) -> int:
        """How many bytes this process keeps."""
        return self._size

    def clear(self) -> None:
        """Forget what this process keeps (the shared cache is left as it is)."""
        with self._lock:
            self._kept.clear()
            self._size = 0

    def _keep(self, key: str, value: bytes) -> None:
        if len(value) > self.limit:
            return
        with self._lock:
            if key in self._kept:
                return
            self._kept[key] = value
            self._size += len(value)
            while self._size > self.limit:
                self._size -= len(self._kept.popitem(last=False)[1])


# Stand-ins for what differs between two requests for the same page.
NONCE_MARK = "\x00csp-nonce\x00"
CSRF_MARK = "\x00csrf-token\x00"
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def page_from_cache(request: HttpRequest, key: str) -> str | None:
    """The page stored under ``key`` (by `page_to_cache`) with this request's CSP nonce and
    CSRF token put in, or None: not stored, or a flash message is waiting (it shows once,
    so such a page is rendered afresh)."""
    if len(messages.get_messages(request)):
        return None
    stored = cache.get(key)
    if stored is None:
        return None
    page = stored.replace(NONCE_MARK, str(request.csp_nonce))
    return page.replace(CSRF_MARK, get_token(request)) if CSRF_MARK in page else page


def page_to_cache(request: HttpRequest, key: str, page: str) -> None:
    """Store a page rendered for ``request`` to serve again to requests with the same key.

    The key must name everything the page shows, the signed-in person and their role
    included; the request's CSP nonce and CSRF token are replaced by stand-ins.
    """
    if len(messages.get_messages(request)):
        return
    template = page.replace(str(request.csp_nonce), NONCE_MARK)
    for token in set(_CSRF_INPUT.findall(template)):
        template = template.replace(token, CSRF_MARK)
    cache.set(key, template)
