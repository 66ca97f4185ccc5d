"""The one place the application asks for the time, so tests can move it."""

from datetime import UTC, date, datetime

from lms.timezones import LOCAL


def utcnow() -> datetime:
    return datetime.now(UTC)


def now() -> datetime:
    """Column default: looked up at call time, so tests that move the clock move it too."""
    return utcnow()


def today() -> date:
    """Today's date where the service runs (UK time): the one 'today' for every date rule."""
    return utcnow().astimezone(LOCAL).date()
