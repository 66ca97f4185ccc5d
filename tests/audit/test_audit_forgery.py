"""Someone who can write to the database but does not hold the audit key cannot rewrite,
shorten or empty the chain without `flask audit verify` saying so."""

import hashlib
import json

from sqlalchemy import delete, select, update

from lms.audit import services as audit
from lms.audit.models import AuditChainHead, AuditEvent
from lms.extensions import db


def _append(app, count):
    with app.app_context():
        for n in range(count):
            audit.record("test.changed", actor=None, object_type="thing", object_id=n,
                         payload={"n": n})
        db.session.commit()


def _verify(runner):
    return runner.invoke(args=["audit", "verify"])


def _plain_sha256(event, prev_hash):
    """What an attacker without the key can compute: the fields hashed without the HMAC."""
    canonical = json.dumps(
        [event.seq, event.occurred_at.isoformat(), event.actor_id, event.action,
         event.object_type, event.object_id, event.payload, prev_hash],
        sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def test_a_chain_rewritten_without_the_key_is_caught(app, runner):
    _append(app, 3)
    with app.app_context():
        prev = "0" * 64
        for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
            event.payload = {"n": "rewritten"}
            event.prev_hash, event.hash = prev, _plain_sha256(event, prev)
            prev = event.hash
        db.session.execute(update(AuditChainHead).values(last_hash=prev))
        db.session.commit()
    result = _verify(runner)
    assert result.exit_code == 1
    assert "BROKEN at event 1" in result.output
    assert "edited" in result.output


def test_an_emptied_chain_is_broken(app, runner):
    _append(app, 3)
    with app.app_context():
        db.session.execute(delete(AuditEvent))
        db.session.execute(delete(AuditChainHead))
        db.session.commit()
    result = _verify(runner)
    assert result.exit_code == 1
    assert "BROKEN: the audit chain is missing or empty" in result.output


def test_a_chain_that_never_started_is_reported(runner):
    result = _verify(runner)
    assert result.exit_code == 1
    assert "missing or empty" in result.output


def test_deleting_the_last_events_and_winding_back_the_head_is_caught(app, runner):
    _append(app, 5)
    with app.app_context():
        third = db.session.scalar(select(AuditEvent).where(AuditEvent.seq == 3))
        db.session.execute(delete(AuditEvent).where(AuditEvent.seq > 3))
        db.session.execute(update(AuditChainHead).values(last_seq=3, last_hash=third.hash))
        db.session.commit()
    result = _verify(runner)
    assert result.exit_code == 1
    assert "BROKEN at event 3" in result.output
    assert "head was altered" in result.output


def test_another_key_does_not_verify_the_chain(app, runner, monkeypatch):
    _append(app, 2)
    monkeypatch.setitem(app.config, "AUDIT_KEY", "a different key that is long enough!!")
    result = _verify(runner)
    assert result.exit_code == 1
    assert "BROKEN at event 1" in result.output


def _make_legacy(app, count, tamper_seq=None):
    """A chain as written before the audit key: plain SHA-256, an unsealed head."""
    from lms.audit.legacy import legacy_hash

    _append(app, count)
    with app.app_context():
        prev = "0" * 64
        for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
            event.prev_hash, event.hash = prev, legacy_hash(event, prev)
            prev = event.hash
            if event.seq == tamper_seq:
                event.payload = {"n": "edited later"}
        db.session.execute(update(AuditChainHead).values(last_hash=prev, seal=None))
        db.session.commit()


def test_an_intact_legacy_chain_is_sealed_once(app, runner):
    _make_legacy(app, 4)
    assert _verify(runner).exit_code == 1
    result = runner.invoke(args=["audit", "seal-legacy"])
    assert result.exit_code == 0, result.output
    assert "sealed with the audit key: 4 events" in result.output
    assert "intact: 4 events" in _verify(runner).output
    again = runner.invoke(args=["audit", "seal-legacy"])
    assert again.exit_code == 1
    assert "already verifies" in again.output


def test_a_tampered_legacy_chain_is_not_sealed(app, runner):
    _make_legacy(app, 4, tamper_seq=2)
    result = runner.invoke(args=["audit", "seal-legacy"])
    assert result.exit_code == 1
    assert "Event 2 is not intact under the old hashing" in result.output
    assert _verify(runner).exit_code == 1
