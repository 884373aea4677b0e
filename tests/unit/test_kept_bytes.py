"""`KeptBytes` (csp_portal/core/caching.py): large values kept in the process in front of
the shared cache, the oldest let go past a size limit."""

import pytest
from django.core.cache import cache

from csp_portal.core.caching import KeptBytes


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_kept_value_is_the_same_object_each_time():
    kept = KeptBytes(limit=100)
    kept.set("a", b"x" * 10)
    assert kept.get("a") is kept.get("a") == b"x" * 10
    assert cache.get("a") == b"x" * 10  # and shared with other processes


def test_a_value_only_in_the_shared_cache_is_read_and_then_kept():
    kept = KeptBytes(limit=100)
    cache.set("a", b"from another process")
    assert kept.get("a") == b"from another process"
    cache.delete("a")
    assert kept.get("a") == b"from another process"
    assert kept.get("missing") is None


def test_the_oldest_values_go_past_the_limit():
    kept = KeptBytes(limit=25)
    kept.set("a", b"a" * 10)
    kept.set("b", b"b" * 10)
    kept.get("a")  # read since b was kept: b is now the oldest
    kept.set("c", b"c" * 10)
    cache.clear()
    assert kept.get("a") == b"a" * 10 and kept.get("c") == b"c" * 10
    assert kept.get("b") is None
    assert kept.size <= 25


def test_a_value_over_the_limit_is_only_in_the_shared_cache():
    kept = KeptBytes(limit=5)
    kept.set("big", b"x" * 6)
    assert kept.size == 0
    assert kept.get("big") == b"x" * 6


def test_clear_forgets_what_the_process_keeps():
    kept = KeptBytes(limit=100)
    kept.set("a", b"x")
    kept.clear()
    cache.clear()
    assert kept.get("a") is None and kept.size == 0
