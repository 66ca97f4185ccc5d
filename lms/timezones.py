"""Times are stored in UTC and shown and entered in UK time."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/London")


def to_utc(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=LOCAL).astimezone(UTC)


def local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL)


def format_local(moment: datetime | None, pattern: str = "%a %d %b %Y, %H:%M") -> str:
    return local(moment).strftime(pattern) if moment else ""
