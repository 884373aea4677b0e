"""When a sign-in lock lifts and how the lockout page says it (csp_portal/core/signin.py)."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from csp_portal.core.signin import lock_ends, try_again

LONDON = ZoneInfo("Europe/London")
COOL_OFF = datetime.timedelta(minutes=30)


def at(hour: int, minute: int = 0, second: int = 0, day: int = 4) -> datetime.datetime:
    return datetime.datetime(2026, 12, day, hour, minute, second, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("failures", "ends"),
    [
        ([], None),
        ([(at(10), 4)], None),  # under the limit: no lock
        ([(at(10), 5)], at(10, 30)),
        ([(at(10), 7)], at(10, 30)),
        # Oldest first: once the 10:00 record stops counting, 2 are left.
        ([(at(10, 5), 2), (at(10), 3)], at(10, 30)),
        # Without the 10:00 record 5 are left still: the lock lasts to 10:35.
        ([(at(10), 1), (at(10, 5), 5)], at(10, 35)),
        ([(at(10), 1), (at(10, 5), 2), (at(10, 10), 3)], at(10, 35)),
    ],
)
def test_lock_ends_when_failures_under_the_limit_remain(failures, ends):
    assert lock_ends(failures, limit=5, cool_off=COOL_OFF) == ends


@pytest.mark.parametrize(
    ("now", "ends", "words"),
    [
        (at(10), at(10, 30), "in 30 minutes"),
        (at(10, 18), at(10, 30), "in 12 minutes"),
        (at(10, 17, 59), at(10, 30), "in 13 minutes"),  # rounded up
        (at(10, 29, 59), at(10, 30), "in 1 minute"),  # never 0 minutes
        (at(10, 30), at(10, 30), "in 1 minute"),
        (at(10), at(11), "in 60 minutes"),
        (at(10), at(11, 0, 1), "at 11:01am"),  # over the hour: the time, rounded up
        (at(10), at(13, 5), "at 1:05pm"),
        (at(10), at(12), "at midday"),
        (at(10), at(15), "at 3pm"),
        (at(20), at(0, day=5), "at midnight on 5 December"),
        (at(20), at(9, 30, day=5), "at 9:30am on 5 December"),
    ],
)
def test_try_again_says_when_in_words(settings, now, ends, words):
    settings.TIME_ZONE = "Europe/London"
    assert try_again(ends, now) == words
