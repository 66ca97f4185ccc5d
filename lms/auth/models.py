"""People who sign in, their server-side sessions and their sign-in attempts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms import clock
from lms.db_types import UTCDateTime
from lms.extensions import Model, db

if TYPE_CHECKING:
    from lms.schemes.models import Membership, Role, Scheme

LANGUAGES = {"en": "English", "cy": "Cymraeg (Welsh)"}


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased, so uniqueness is case-insensitive.
    username: Mapped[str] = mapped_column(String(64), unique=True)
    #: Optional: trained prisoners and pupils often have no email address.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    #: argon2id hash of the password the person chose; empty until they choose one.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    #: SHA-256 of a random one-time password issued by a lead or admin (see auth.passwords).
    one_time_password_hash: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    #: May decide accreditation applications (admins always may).
    is_assessor: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: The person chose to appear on the public register.
    listed_publicly: Mapped[bool] = mapped_column(default=False, server_default=false())
    preferred_language: Mapped[str] = mapped_column(String(8), default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="Membership.id"
    )

    def __repr__(self) -> str:
        return f"<User {self.username}>"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def must_set_password(self) -> bool:
        return self.one_time_password_hash is not None

    def roles_in(self, scheme: Scheme) -> set[Role]:
        return {m.role for m in self.memberships if m.scheme_id == scheme.id}

    def has_role(self, *roles: Role, scheme: Scheme | None = None) -> bool:
        """True if the person holds any of `roles` (in `scheme`, or in any scheme)."""
        return any(
            m.role in roles and (scheme is None or m.scheme_id == scheme.id)
            for m in self.memberships
        )

    def scheme_ids_with(self, *roles: Role) -> set[int]:
        return {m.scheme_id for m in self.memberships if m.role in roles}


class AuthSession(Model):
    """A signed-in session, checked on every request so that it can be ended server-side."""

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the random token kept in the signed session cookie.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def is_valid(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


class LoginAttempt(Model):
    """One sign-in attempt, kept only as long as the throttling window needs it."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_username_at", "username", "attempted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The name as typed (lower-cased), whether or not such an account exists.
    username: Mapped[str] = mapped_column(String(254))
    succeeded: Mapped[bool]
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
