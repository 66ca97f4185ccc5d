"""Throttling of password checks, counted in Flask-Limiter's shared store.

The count is taken (atomically, in the store every worker shares: Redis in production)
*before* a password is checked, so concurrent guesses cannot all be checked. It is keyed by
account and client address together, as NIST SP 800-63B suggests: guesses from one address
slow that address down on that account without locking the owner out elsewhere.
"""

from __future__ import annotations

import math
import time

from flask import current_app, request
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage, Storage
from limits.strategies import MovingWindowRateLimiter

from lms.extensions import limiter

#: Where guesses are counted when rate limits are switched off (RATELIMIT_ENABLED=False,
#: e.g. for a benchmark): Flask-Limiter then keeps no store, but a password check is still
#: never unthrottled; the count is this process's own.
_LOCAL_STORE = MemoryStorage()


def _rule() -> RateLimitItemPerMinute:
    config = current_app.config
    return RateLimitItemPerMinute(config["LOGIN_MAX_FAILURES"], config["LOGIN_WINDOW_MINUTES"])


def _strategy() -> MovingWindowRateLimiter:
    # Built each time (it is a thin wrapper): the limiter's storage is replaced whenever
    # another app is initialised in the same process, and a cached one would keep counting
    # in the old store.
    return MovingWindowRateLimiter(_store())


def _store() -> Storage:
    return limiter.storage if limiter.enabled else _LOCAL_STORE


def _identifiers(purpose: str, account: str) -> tuple[str, str, str]:
    return ("password-check", purpose, f"{account}|{request.remote_addr or 'unknown'}")


def take_attempt(purpose: str, account: str) -> int | None:
    """Count one attempt. None if it may go ahead, else the minutes until it may."""
    rule, strategy = _rule(), _strategy()
    identifiers = _identifiers(purpose, account)
    if strategy.hit(rule, *identifiers):
        return None
    reset_at = strategy.get_window_stats(rule, *identifiers).reset_time
    return max(1, math.ceil((reset_at - time.time()) / 60))


def forget_attempts(purpose: str, account: str) -> None:
    """A success clears the count for this account and address."""
    _strategy().clear(_rule(), *_identifiers(purpose, account))
