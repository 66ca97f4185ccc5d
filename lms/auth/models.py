"""People who sign in and their server-side sessions. Sign-in attempts are counted by
Flask-Limiter's shared store (see auth.throttle), not here."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, and_, false, text
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from lms import clock
from lms.db_types import UTCDateTime
from lms.extensions import Model
from lms.i18n import LANGUAGES  # noqa: F401  (the one list of languages, kept in lms.i18n)

if TYPE_CHECKING:
    from lms.schemes.models import Membership, Role, Scheme

#: The people the public register lists records of (with the record's own status).
LISTED_AND_ACTIVE = "listed_publicly IS true AND active IS true"


class User(UserMixin, Model):
    __tablename__ = "users"
    # People search by part of a name or username: trigram indexes on PostgreSQL (they serve
    # ILIKE '%part%'); plain indexes on SQLite. The figures across schemes read people's
    # kind from an index without reading their rows.
    __table_args__ = (
        Index("ix_users_display_name", "display_name", postgresql_using="gin",
              postgresql_ops={"display_name": "gin_trgm_ops"}),
        Index("ix_users_username_trgm", "username", postgresql_using="gin",
              postgresql_ops={"username": "gin_trgm_ops"}),
        Index("ix_users_email_trgm", "email", postgresql_using="gin",
              postgresql_ops={"email": "gin_trgm_ops"}),
        Index("ix_users_id_person_kind", "id", "person_kind"),
        # lists of people in name order: a page of a large scheme's members is the first
        # names in this order that are members, not a sort of all of them
        Index("ix_users_name_order", "display_name", "id"),
        # the public register looks up each listed record's holder: answered from this
        # small index alone (PostgreSQL: 6.0 -> 4.9 ms for a region of 3,325 records)
        Index("ix_users_listed", "id", postgresql_where=text(LISTED_AND_ACTIVE),
              sqlite_where=text(LISTED_AND_ACTIVE)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased, so uniqueness is case-insensitive.
    username: Mapped[str] = mapped_column(String(64), unique=True)
    #: Optional: trained prisoners and pupils often have no email address.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    #: argon2id hash of the password the person chose; empty until they choose one.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    #: SHA-256 of a random one-time password issued by a lead or admin (see auth.passwords).
    #: Kept until the person chooses their own password, so that they must choose one.
    one_time_password_hash: Mapped[str | None] = mapped_column(String(64))
    #: The one-time password works once, before this moment (policy: one_time_password_hours).
    one_time_password_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Set at the first sign-in with it: from then on it is refused.
    one_time_password_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(default=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    #: May decide accreditation applications (admins always may).
    is_assessor: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: The person chose to appear on the public register.
    listed_publicly: Mapped[bool] = mapped_column(default=False, server_default=false())
    preferred_language: Mapped[str] = mapped_column(String(8), default="en")
    #: staff, volunteer, prisoner or pupil (lms.people.kinds), for the figures; set by leads.
    person_kind: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    #: SHA-256 of the secret in the address of the person's calendar feed (see
    #: learning.calendar); None until they ask for one.
    calendar_feed_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True,
                                                                 index=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="Membership.id"
    )
    #: Unread notifications, filled in by the query that loads the signed-in person with
    #: their session (None when the person was loaded any other way).
    unread_notifications: Mapped[int | None] = query_expression()

    def __repr__(self) -> str:
        return f"<User {self.username}>"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def must_set_password(self) -> bool:
        return self.one_time_password_hash is not None

    def one_time_password_usable(self, now: datetime) -> bool:
        """Issued, not used for a sign-in yet, and not expired."""
        return (self.one_time_password_hash is not None
                and self.one_time_password_used_at is None
                and self.one_time_password_expires_at is not None
                and now < self.one_time_password_expires_at)

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

    @classmethod
    def valid_at(cls, now):
        """SQL: the session is neither ended nor expired at `now` (a value or parameter);
        checked in the query that loads the signed-in person."""
        return and_(cls.revoked_at.is_(None), cls.expires_at > now)


class PasswordResetToken(Model):
    """A link emailed to someone who forgot their password: random, stored hashed, usable
    once before it expires (policy: password_reset_link_hours)."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the random token in the emailed link.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Set when the link was used, or made void by a later reset or password change.
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
