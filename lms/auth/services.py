"""Signing in and out, throttling, and server-side sessions. Functions flush, never commit."""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update

from lms import clock
from lms.auth import passwords
from lms.auth.models import AuthSession, LoginAttempt, User
from lms.extensions import db


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
    """Check credentials with throttling per account name (existing or not)."""
    name = normalise_username(username)
    now = clock.utcnow()
    wait = _throttle_wait(name, now)
    if wait is not None:
        return SignInResult(throttled_minutes=wait)
    user = find_user_by_username(name)
    result = _check_credentials(user, password)
    db.session.add(LoginAttempt(username=name[:254], succeeded=result.user is not None))
    _forget_old_attempts(name, now)
    return result


def _check_credentials(user: User | None, password: str) -> SignInResult:
    # Exactly one argon2 verification whatever the case, so timing does not tell apart an
    # unknown name, a wrong password, a pending one-time password or a deactivated account.
    chosen_ok = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not user.active:
        return SignInResult()
    if chosen_ok:
        return SignInResult(user=user)
    if passwords.verify_one_time_password(user.one_time_password_hash, password):
        return SignInResult(user=user, must_set_password=True)
    return SignInResult()


def _window() -> timedelta:
    return timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])


def _throttle_wait(name: str, now: datetime) -> int | None:
    """Minutes to wait if the account has too many recent failures, else None."""
    limit = current_app.config["LOGIN_MAX_FAILURES"]
    since = now - _window()
    last_success = db.session.scalar(
        select(func.max(LoginAttempt.attempted_at)).where(
            LoginAttempt.username == name, LoginAttempt.succeeded.is_(True)
        )
    )
    if last_success is not None and last_success > since:
        since = last_success
    recent_failures = db.session.scalars(
        select(LoginAttempt.attempted_at)
        .where(
            LoginAttempt.username == name,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.attempted_at > since,
        )
        .order_by(LoginAttempt.attempted_at.desc())
        .limit(limit)
    ).all()
    if len(recent_failures) < limit:
        return None
    # Allowed again once the oldest of the last `limit` failures leaves the window.
    free_at = recent_failures[-1] + _window()
    return max(1, math.ceil((free_at - now).total_seconds() / 60))


def _forget_old_attempts(name: str, now: datetime) -> None:
    db.session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.username == name, LoginAttempt.attempted_at < now - _window()
        )
    )


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


def load_session_user(user_id: str, token: str | None) -> User | None:
    """The signed-in user for this cookie, if its server-side session is still valid."""
    if not token or not user_id.isdigit():
        return None
    row = db.session.execute(
        select(AuthSession, User)
        .join(AuthSession.user)
        .where(AuthSession.token_hash == _token_hash(token), User.id == int(user_id))
    ).first()
    if row is None:
        return None
    auth_session, user = row
    if not auth_session.is_valid(clock.utcnow()) or not user.active:
        return None
    return user


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


def set_password(user: User, new_password: str) -> None:
    user.password_hash = passwords.hash_password(new_password)
    user.one_time_password_hash = None


def issue_one_time_password(user: User) -> str:
    """Give `user` a fresh one-time password, returned once and stored hashed. Their chosen
    password stops working: they must set a new one at their next sign-in."""
    otp = passwords.new_one_time_password()
    user.one_time_password_hash = passwords.hash_one_time_password(otp)
    user.password_hash = None
    return otp


def reset_password(user: User) -> str:
    otp = issue_one_time_password(user)
    end_other_sessions(user)
    return otp
