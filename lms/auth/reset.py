"""Self-service password reset by email. Functions flush, never commit.

Whoever asks gets the same answer whether or not an account matches (no account
enumeration). A link is random, stored as SHA-256, works once before it expires, and is
voided by a newer link or a password change. Requests are throttled per account and per
typed name in the shared rate-limit store (per address by the view's limit), and a
throttled request is quietly not sent, so the answer still does not differ.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from limits import RateLimitItemPerHour
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import or_, select, update

from lms import clock, policy
from lms.audit import services as audit
from lms.auth import services
from lms.auth.models import PasswordResetToken, User
from lms.extensions import db, limiter
from lms.i18n import gettext as _
from lms.notify import services as notify
from lms.urls import absolute_url


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _may_send(*keys: str) -> bool:
    """Count one request against each key; False when any is over the hourly limit."""
    rule = RateLimitItemPerHour(policy.accounts("password_reset_requests_per_hour"))
    strategy = MovingWindowRateLimiter(limiter.storage)
    return all([strategy.hit(rule, "password-reset", key) for key in keys])


def find_account(identifier: str) -> User | None:
    """The active account whose username or email address is `identifier`."""
    name = services.normalise_username(identifier)[:254]
    if not name:
        return None
    return db.session.scalar(select(User).where(
        or_(User.username == name, User.email == name), User.active.is_(True)).limit(1))


def request_reset(identifier: str) -> None:
    """Email a reset link to the account named by `identifier`, if there is one with an
    email address and it has not asked too often. Says nothing either way."""
    user = find_account(identifier)
    typed = "typed:" + services.normalise_username(identifier)[:254]
    if user is None or not user.email:
        _may_send(typed)  # counted all the same, so the throttle tells nothing
        return
    if not _may_send(typed, f"account:{user.id}"):
        return
    token = secrets.token_urlsafe(32)
    now = clock.utcnow()
    services.void_reset_links(user)
    reset = PasswordResetToken(user_id=user.id, token_hash=_token_hash(token), created_at=now,
                               expires_at=now + timedelta(
                                   hours=policy.accounts("password_reset_link_hours")))
    db.session.add(reset)
    db.session.flush()
    hours = policy.accounts("password_reset_link_hours")
    notify.send_email(
        user.email,
        _("Reset your password"),
        _("Someone asked to reset the password of your account %(username)s.\n\n"
          "To choose a new password, open this link within %(hours)d hours. It works once:\n"
          "%(link)s\n\n"
          "If it was not you, ignore this email: your password stays as it is.",
          username=user.username, hours=hours,
          link=absolute_url("auth.reset_password", token=token)))
    audit.record("user.password_reset_requested", actor=None, object_type="user",
                 object_id=user.id, payload={"token_id": reset.id})


def token_for(token: str) -> PasswordResetToken | None:
    """The reset a link is for, while it is unused, unexpired and its account active."""
    reset = db.session.scalar(select(PasswordResetToken).where(
        PasswordResetToken.token_hash == _token_hash(token)))
    if reset is None or reset.used_at is not None or reset.expires_at <= clock.utcnow() \
            or not reset.user.active:
        return None
    return reset


def reset_password(reset: PasswordResetToken, new_password: str) -> bool:
    """Use the link up and set the new password. The link is marked used by one conditional
    UPDATE, so of two uses at once only one succeeds (False for the other)."""
    now = clock.utcnow()
    used = db.session.execute(update(PasswordResetToken).where(
        PasswordResetToken.id == reset.id, PasswordResetToken.used_at.is_(None),
        PasswordResetToken.expires_at > now).values(used_at=now))
    if used.rowcount != 1:  # type: ignore[attr-defined]  # DML gives a CursorResult
        return False
    user = reset.user
    services.set_password(user, new_password)  # voids the other links too
    services.end_other_sessions(user)
    db.session.flush()
    audit.record("user.password_reset", actor=user, object_type="user", object_id=user.id,
                 payload={"token_id": reset.id})
    notify.notify(user, _("Your password was changed using a link sent to your email "
                          "address. If it was not you, tell your scheme lead at once."))
    return True

