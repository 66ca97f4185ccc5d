"""The one place the application asks for the time, so tests can move it."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def now() -> datetime:
    """Column default: looked up at call time, so tests that move the clock move it too."""
    return utcnow()
