"""In-app notifications and the outbox of email messages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, ScalarSelect, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from lms import clock
from lms.db_types import UTCDateTime
from lms.extensions import Model


class Notification(Model):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(String(300))
    #: A path inside the site.
    link: Mapped[str | None] = mapped_column(String(300))
    #: Makes a notification idempotent, e.g. "supervision-overdue:12:2026-11-21".
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: What the notification asks the person to do, e.g. "assess:practice_record:12"; when
    #: that is done (by them or anyone else) `done_at` is set, and the page says so.
    topic: Mapped[str | None] = mapped_column(String(120), index=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @classmethod
    def unread_count_of(cls, user_id) -> ScalarSelect[int]:
        """SQL: how many notifications of the person `user_id` (a column or value) are
        unread; a subquery, so a page can read it with the person's own row."""
        return (select(func.count()).select_from(cls)
                .where(cls.user_id == user_id, cls.read_at.is_(None)).scalar_subquery())


class OutboxMessage(Model):
    """An email: sent through SMTP when configured, otherwise kept here for admins to read."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Set when the message can never be sent (a header or address refused); never retried.
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(300))
