"""An append-only, hash-chained record of every state change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.db_types import UTCDateTime
from lms.extensions import Model

GENESIS_HASH = "0" * 64


class AuditEvent(Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Position in the chain: 1, 2, 3... with no gaps.
    seq: Mapped[int] = mapped_column(unique=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Who did it; None for the system (scheduled commands). No ON DELETE action: a
    #: cascade would rewrite history and break the chain, so such a user cannot be deleted.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: What happened, e.g. "practice.signed_off".
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str] = mapped_column(String(64))
    #: Small facts about the change (ids, statuses); never personal data.
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    #: HMAC-SHA-256 (under LMS_AUDIT_KEY) of the fields above, prev_hash included.
    hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(Model):
    """One row: the last sequence number and hash. Updating it first serialises appends,
    so concurrent writers queue instead of forking the chain."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)
    #: HMAC of (last_seq, last_hash) under the audit key (see audit.services.head_seal).
    seal: Mapped[str | None] = mapped_column(String(64))
