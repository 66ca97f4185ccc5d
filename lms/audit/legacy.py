"""Sealing, once, a chain written before the audit key existed.

Until the audit key was introduced, events were hashed with plain SHA-256, which anyone who
can write to the database can recompute. After upgrading, `flask audit seal-legacy` checks
that chain as it was, then re-hashes every event with the key and seals the head. Run it
once, straight after the upgrade, before any new event is written: it refuses a chain that
is not intact under the old hashing, or one that already verifies with the key.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select

from lms.audit.models import GENESIS_HASH, AuditChainHead, AuditEvent
from lms.audit.services import HEAD_ID, event_hash, head_seal, verify_chain
from lms.extensions import db


class LegacyChainError(Exception):
    """The chain cannot be sealed; the message says why."""


def legacy_hash(event: AuditEvent, prev_hash: str) -> str:
    canonical = json.dumps(
        [event.seq, event.occurred_at.isoformat(), event.actor_id, event.action,
         event.object_type, str(event.object_id), event.payload, prev_hash],
        sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def seal_legacy_chain() -> int:
    """Re-hash an intact pre-key chain with the audit key; returns the events sealed. The
    caller commits."""
    if verify_chain()[1] is None:
        raise LegacyChainError("The chain already verifies with the audit key.")
    head = db.session.get(AuditChainHead, HEAD_ID, with_for_update=True)
    if head is None or head.last_seq == 0:
        raise LegacyChainError("There is no chain to seal.")
    if head.seal is not None:
        raise LegacyChainError("The chain was sealed before; it is broken, not legacy. "
                               "Investigate with `flask audit verify`.")
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    old_prev = new_prev = GENESIS_HASH
    for expected, event in enumerate(events, start=1):
        if (event.seq != expected or event.prev_hash != old_prev
                or event.hash != legacy_hash(event, old_prev)):
            raise LegacyChainError(f"Event {event.seq} is not intact under the old hashing; "
                                   "nothing was changed.")
        old_prev = event.hash
        event.prev_hash = new_prev
        event.hash = new_prev = event_hash(
            event.seq, event.occurred_at, event.actor_id, event.action, event.object_type,
            event.object_id, event.payload, new_prev)
    if (head.last_seq, head.last_hash) != (len(events), old_prev):
        raise LegacyChainError("The chain's head does not match its last event; nothing was "
                               "changed.")
    head.last_hash, head.seal = new_prev, head_seal(len(events), new_prev)
    db.session.flush()
    return len(events)
