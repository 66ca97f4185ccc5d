"""Calendar periods the standards count in: whole months back or forward (a day past the
end of a shorter month becomes its last day), the window of the last n months, and the
stretches between supervision sessions."""

from __future__ import annotations

import calendar
import functools
import itertools
from datetime import date


@functools.lru_cache(maxsize=1024)  # an evaluation asks for the same window per record
def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier, or the month's last day if shorter
    (31 May -> 28/29 Feb for 3 months). Negative `months` count forwards."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (an expiry date), clipped likewise."""
    return months_before(day, -months)


def within(day: date, today: date, months: int | None) -> bool:
    """On or after the same day `months` ago (any time if None), and not in the future."""
    return day <= today and (months is None or day >= months_before(today, months))


def months_to_go(since: date, today: date, months: int) -> int:
    """Whole months from today until `since` is `months` ago (a part month counts as 1)."""
    return next(n for n in itertools.count(1)  # not range(months): month ends clip days
                if since <= months_before(months_before(today, -n), months))


def stretches(days, start: date, end: date) -> list[tuple[date, date]]:
    """Consecutive stretches from the last session on or before `start` (or `start`) to
    `end`, through every session in between."""
    before = max((day for day in days if day <= start), default=start)
    inside = sorted({day for day in days if start < day <= end})
    points = [before, *inside, end]
    return list(itertools.pairwise(points))


def supervision_gaps(days, start: date, end: date, weeks: int) -> list[tuple[date, date]]:
    """Stretches between `start` and `end` with no session for longer than `weeks`."""
    return [(a, b) for a, b in stretches(days, start, end) if (b - a).days > weeks * 7]
