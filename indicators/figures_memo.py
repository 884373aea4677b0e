"""Figures kept between requests, in this process's memory.

An entry's key holds everything its figures are computed from: the indicator, its figures
version (new, in the same transaction, whenever its actuals, targets or SPC settings
change: indicators/data_version.py), its spec (its own settings and the partnership's
financial year), its SPC settings and the period. An entry is therefore never stale: a
change makes a new key, and the old entry is dropped when the memo is full, oldest use
first. Nothing is ever deleted by hand.

Process memory rather than Django's cache: pickling the figures of 1,000 indicators
costs more than computing them. Values are shared between requests and threads, so
callers must treat them as read-only.
"""

import threading
from collections import OrderedDict
from collections.abc import Hashable

from django.conf import settings

_entries: OrderedDict = OrderedDict()
_lock = threading.Lock()


def memo_get_many(keys: list[Hashable]) -> list:
    """The value kept under each key, None where there is none."""
    found = []
    with _lock:
        for key in keys:
            value = _entries.get(key)
            if value is not None:
                _entries.move_to_end(key)
            found.append(value)
    return found


def memo_set_many(items: list[tuple[Hashable, object]]) -> None:
    """Keep these values, dropping the least recently used beyond the bound."""
    bound = settings.FIGURES_MEMO_ENTRIES
    with _lock:
        for key, value in items:
            _entries[key] = value
            _entries.move_to_end(key)
        while len(_entries) > bound:
            _entries.popitem(last=False)


def memo_clear() -> None:
    """Forget every entry (for benchmarks and tests; correctness never needs it)."""
    with _lock:
        _entries.clear()
