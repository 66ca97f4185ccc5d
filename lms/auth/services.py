"""Signing in and out, throttling, and server-side sessions. Functions flush, never commit."""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload, with_expression

from lms import clock, policy
from lms.auth import passwords, throttle
from lms.auth.models import AuthSession, PasswordResetToken, User
from lms.extensions import db
from lms.notify.models import Notification
from lms.schemes.models import Membership


def normalise_username(username: str) -> str:
    return username.strip().lower()


def find_user_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == normalise_username(username)))


def normalise_email(email: str | None) -> str | None:
    email = (email or "").strip().lower()
    return email or None


def email_in_use(email: str, exclude_user_id: int | None = None) -> bool:
    query = select(User.id).where(User.email == normalise_email(email))
    if exclude_user_id is not None:
        query = query.where(User.id != exclude_user_id)
    return db.session.scalar(query.limit(1)) is not None


@dataclass(frozen=True)
class SignInResult:
    user: User | None = None
    #: Minutes until the account may try again, when throttled.
    throttled_minutes: int | None = None
    #: The person signed in with a one-time password and must now choose their own.
    must_set_password: bool = False


def authenticate(username: str, password: str) -> SignInResult:
    """Check credentials, throttled per account name (existing or not) and address. The
    attempt is counted before the password is checked."""
    name = normalise_username(username)[:254]
    wait = throttle.take_attempt("sign-in", name)
    if wait is not None:
        return SignInResult(throttled_minutes=wait)
    result = _check_credentials(find_user_by_username(name), password)
    if result.must_set_password and result.user is not None \
            and not _use_up_one_time_password(result.user):
        return SignInResult()  # a concurrent sign-in used it first
    if result.user is not None:
        throttle.forget_attempts("sign-in", name)
    return result


def _use_up_one_time_password(user: User) -> bool:
    """Mark the one-time password used, in one conditional UPDATE, so that of two sign-ins
    with it at once only one succeeds."""
    used = db.session.execute(
        update(User).where(User.id == user.id, User.one_time_password_used_at.is_(None))
        .values(one_time_password_used_at=clock.utcnow()))
    return used.rowcount == 1  # type: ignore[attr-defined]  # DML gives a CursorResult


def _check_credentials(user: User | None, password: str) -> SignInResult:
    # Exactly one argon2 verification whatever the case, so timing does not tell apart an
    # unknown name, a wrong password, a pending one-time password or a deactivated account.
    chosen_ok = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not user.active:
        return SignInResult()
    if chosen_ok:
        return SignInResult(user=user)
    if (user.one_time_password_usable(clock.utcnow())
            and passwords.verify_one_time_password(user.one_time_password_hash, password)):
        return SignInResult(user=user, must_set_password=True)
    return SignInResult()


def check_current_password(user: User, password: str) -> tuple[bool, int | None]:
    """For changing a password: (right, minutes to wait when throttled). Counted like
    sign-in, before the password is checked."""
    wait = throttle.take_attempt("current-password", str(user.id))
    if wait is not None:
        return False, wait
    if passwords.verify_password(user.password_hash, password):
        throttle.forget_attempts("current-password", str(user.id))
        return True, None
    return False, None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> str:
    """Record a new server-side session and return the token for the session cookie."""
    token = secrets.token_urlsafe(32)
    now = clock.utcnow()
    db.session.add(
        AuthSession(
            user=user,
            token_hash=_token_hash(token),
            created_at=now,
            expires_at=now + timedelta(hours=current_app.config["SESSION_HOURS"]),
        )
    )
    user.last_login_at = now
    db.session.flush()
    return token


@functools.cache
def _session_user_statement():
    """The person holding a valid session (not revoked, not expired, still active), with
    their memberships and schemes and the header's unread count, in one row; the session
    itself is checked in SQL rather than loaded. Built once, on first use (the mappers must
    be configured): composing this statement cost more than running it, 0.4 ms of every
    signed-in page measured in-process."""
    return (
        select(User)
        .join(AuthSession, AuthSession.user_id == User.id)
        .options(joinedload(User.memberships).joinedload(Membership.scheme),
                 with_expression(User.unread_notifications,
                                 Notification.unread_count_of(User.id)))
        .where(AuthSession.token_hash == bindparam("token_hash"),
               User.id == bindparam("user_id"),
               AuthSession.valid_at(bindparam("now")),
               User.active.is_(True))
    )


def load_session_user(user_id: str, token: str | None) -> User | None:
    """The signed-in user for this cookie, if its server-side session is still valid."""
    if not token or not user_id.isdigit():
        return None
    return db.session.execute(_session_user_statement(), {
        "token_hash": _token_hash(token), "user_id": int(user_id),
        "now": clock.utcnow()}).unique().scalar_one_or_none()


def end_session(token: str | None) -> None:
    if token:
        db.session.execute(
            update(AuthSession)
            .where(AuthSession.token_hash == _token_hash(token), AuthSession.revoked_at.is_(None))
            .values(revoked_at=clock.utcnow())
        )


def end_other_sessions(user: User, keep_token: str | None = None) -> None:
    """End every session of `user` except the one holding `keep_token`."""
    query = update(AuthSession).where(
        AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None)
    )
    if keep_token:
        query = query.where(AuthSession.token_hash != _token_hash(keep_token))
    db.session.execute(query.values(revoked_at=clock.utcnow()))


def void_reset_links(user: User) -> None:
    """Any emailed reset link still outstanding stops working (a password was set)."""
    if user.id is not None:
        db.session.execute(update(PasswordResetToken).where(
            PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
            .values(used_at=clock.utcnow()))


def set_password(user: User, new_password: str) -> None:
    void_reset_links(user)
    user.password_hash = passwords.hash_password(new_password)
    user.one_time_password_hash = None
    user.one_time_password_expires_at = user.one_time_password_used_at = None


def issue_one_time_password(user: User) -> str:
    """Give `user` a fresh one-time password, returned once and stored hashed. Their chosen
    password stops working: they must set a new one at their next sign-in. It works for one
    sign-in within the policy's one_time_password_hours."""
    otp = passwords.new_one_time_password()
    void_reset_links(user)
    user.one_time_password_hash = passwords.hash_one_time_password(otp)
    user.one_time_password_expires_at = clock.utcnow() + timedelta(
        hours=policy.accounts("one_time_password_hours"))
    user.one_time_password_used_at = None
    user.password_hash = None
    return otp


def update_profile(user: User, **values) -> list[str]:
    """Apply the profile form's values; returns the names of the fields that changed."""
    values["display_name"] = values["display_name"].strip()
    values["email"] = normalise_email(values["email"])
    changed = [name for name, value in values.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, values[name])
    db.session.flush()
    return changed


def reset_password(user: User) -> str:
    otp = issue_one_time_password(user)
    end_other_sessions(user)
    return otp
