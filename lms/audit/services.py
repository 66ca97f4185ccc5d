"""Appending to the audit chain and verifying it. Appends flush; the caller's commit
stores the state change and its event together, or neither.

Each event's hash, and the chain's head, are HMAC-SHA-256 under LMS_AUDIT_KEY, a key kept
outside the database: someone who can write to the database but lacks the key cannot
rewrite events, delete the last ones or empty the chain without `flask audit verify`
reporting it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from lms import clock
from lms.audit.models import GENESIS_HASH, AuditChainHead, AuditEvent
from lms.extensions import db

HEAD_ID = 1


def _mac(parts: list) -> str:
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                           default=str)
    key = current_app.config["AUDIT_KEY"].encode()
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def event_hash(seq, occurred_at, actor_id, action, object_type, object_id, payload,
               prev_hash) -> str:
    return _mac([seq, occurred_at.isoformat(), actor_id, action, object_type, str(object_id),
                 payload, prev_hash])


def head_seal(last_seq: int, last_hash: str) -> str:
    """The head's own HMAC: without the key, the head cannot be wound back to match a chain
    whose last events were deleted."""
    return _mac(["head", last_seq, last_hash])


def record(action: str, *, actor, object_type: str, object_id, payload: dict | None = None):
    """Append one event. Takes the chain's write lock until the caller commits. `actor` is a
    user, a user's id, or None for the system (scheduled commands, derived changes)."""
    seq, prev_hash = _claim_next_position()
    occurred_at = clock.utcnow().replace(microsecond=0)
    actor_id = actor if actor is None or isinstance(actor, int) else actor.id
    payload = payload or {}
    digest = event_hash(seq, occurred_at, actor_id, action, object_type, object_id, payload,
                        prev_hash)
    event = AuditEvent(seq=seq, occurred_at=occurred_at, actor_id=actor_id, action=action,
                       object_type=object_type, object_id=str(object_id), payload=payload,
                       prev_hash=prev_hash, hash=digest)
    db.session.add(event)
    db.session.execute(update(AuditChainHead).where(AuditChainHead.id == HEAD_ID)
                       .values(last_hash=digest, seal=head_seal(seq, digest)))
    db.session.flush()
    return event


def _claim_next_position() -> tuple[int, str]:
    # The UPDATE takes a row lock (PostgreSQL) or the write lock (SQLite) before reading.
    claimed = db.session.execute(
        update(AuditChainHead).where(AuditChainHead.id == HEAD_ID)
        .values(last_seq=AuditChainHead.last_seq + 1)
        .returning(AuditChainHead.last_seq, AuditChainHead.last_hash)
    ).first()
    if claimed is None:
        _create_head()
        return _claim_next_position()
    return claimed.last_seq, claimed.last_hash


def _create_head() -> None:
    try:
        with db.session.begin_nested():
            db.session.execute(insert(AuditChainHead).values(
                id=HEAD_ID, last_seq=0, last_hash=GENESIS_HASH))
    except IntegrityError:
        pass  # another writer created it first


@dataclass(frozen=True)
class ChainBreak:
    seq: int | None
    reason: str


def verify_chain(batch_size: int = 1000) -> tuple[int, ChainBreak | None]:
    """(events checked, first break or None)."""
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)
                                .execution_options(yield_per=batch_size))
    try:
        for event in events:
            problem = _check_event(event, expected_seq, prev_hash)
            if problem:
                return checked, ChainBreak(event.seq, problem)
            expected_seq, prev_hash, checked = event.seq + 1, event.hash, checked + 1
    finally:
        events.close()  # a server-side cursor on PostgreSQL
    return checked, _check_head(checked, prev_hash)


def _check_head(checked: int, last_hash: str) -> ChainBreak | None:
    head = db.session.get(AuditChainHead, HEAD_ID)
    if head is None or head.last_seq == 0:
        # A running site always has events (its first admin's creation is one), so an
        # absent or empty chain means it was removed.
        return ChainBreak(None, "the audit chain is missing or empty")
    if not hmac.compare_digest(head.seal or "", head_seal(head.last_seq, head.last_hash)):
        return ChainBreak(head.last_seq, "the chain's head was altered (its seal does not "
                          "match the audit key)")
    if (head.last_seq, head.last_hash) != (checked, last_hash):
        return ChainBreak(head.last_seq, "the chain's last events are missing "
                          f"(expected {head.last_seq} events, found {checked})")
    return None


def _check_event(event, expected_seq, prev_hash) -> str | None:
    if event.seq != expected_seq:
        return f"expected event {expected_seq} next but found {event.seq} (deleted or inserted)"
    if event.prev_hash != prev_hash:
        return "does not follow the event before it (deleted, inserted or reordered)"
    recomputed = event_hash(event.seq, event.occurred_at, event.actor_id, event.action,
                            event.object_type, event.object_id, event.payload, event.prev_hash)
    if recomputed != event.hash:
        return "its content does not match its hash (edited)"
    return None
