import itertools
import threading

from sqlalchemy import select, update

from lms.audit import services as audit
from lms.audit.models import AuditEvent
from lms.extensions import db


def _append(app, count, action="test.changed"):
    with app.app_context():
        for n in range(count):
            audit.record(action, actor=None, object_type="thing", object_id=n,
                         payload={"n": n, "status": "ok"})
        db.session.commit()


def _verify(runner):
    return runner.invoke(args=["audit", "verify"])


def test_intact_chain_verifies(app, runner):
    _append(app, 5)
    result = _verify(runner)
    assert result.exit_code == 0, result.output
    assert "intact: 5 events" in result.output
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
        assert [e.seq for e in events] == [1, 2, 3, 4, 5]
        assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))


def test_an_edited_event_is_caught(app, runner):
    _append(app, 5)
    with app.app_context():
        db.session.execute(update(AuditEvent).where(AuditEvent.seq == 3)
                           .values(payload={"n": 99, "status": "ok"}))
        db.session.commit()
    result = _verify(runner)
    assert result.exit_code == 1
    assert "BROKEN at event 3" in result.output
    assert "edited" in result.output


def test_a_deleted_event_is_caught(app, runner):
    _append(app, 5)
    with app.app_context():
        db.session.delete(db.session.scalar(select(AuditEvent).where(AuditEvent.seq == 2)))
        db.session.commit()
    result = _verify(runner)
    assert result.exit_code == 1
    assert "BROKEN at event 3" in result.output


def test_a_deleted_last_event_is_caught(app, runner):
    _append(app, 5)
    with app.app_context():
        db.session.delete(db.session.scalar(select(AuditEvent).where(AuditEvent.seq == 5)))
        db.session.commit()
    result = _verify(runner)
    assert result.exit_code == 1
    assert "last events are missing" in result.output


def test_reordered_events_are_caught(app, runner):
    _append(app, 5)
    with app.app_context():
        db.session.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(seq=-2))
        db.session.execute(update(AuditEvent).where(AuditEvent.seq == 4).values(seq=2))
        db.session.execute(update(AuditEvent).where(AuditEvent.seq == -2).values(seq=4))
        db.session.commit()
    result = _verify(runner)
    assert result.exit_code == 1
    assert "BROKEN at event 2" in result.output


def test_an_inserted_event_is_caught(app, runner):
    _append(app, 4)
    with app.app_context():
        # make room after event 2 and forge a well-formed event there
        for seq in (4, 3):
            db.session.execute(update(AuditEvent).where(AuditEvent.seq == seq)
                               .values(seq=seq + 1))
        second = db.session.scalar(select(AuditEvent).where(AuditEvent.seq == 2))
        forged = AuditEvent(seq=3, occurred_at=second.occurred_at, actor_id=None,
                            action="forged", object_type="thing", object_id="x", payload={},
                            prev_hash=second.hash, hash="")
        forged.hash = audit.event_hash(3, forged.occurred_at, None, "forged", "thing", "x", {},
                                       second.hash)
        db.session.add(forged)
        db.session.commit()
    result = _verify(runner)
    assert result.exit_code == 1
    assert "BROKEN at event 4" in result.output


def test_a_rolled_back_change_leaves_no_event(app):
    with app.app_context():
        audit.record("test.changed", actor=None, object_type="thing", object_id=1)
        db.session.rollback()
        assert db.session.scalar(select(AuditEvent)) is None


def test_concurrent_writers_never_fork_the_chain(app, runner):
    _append(app, 1)
    barrier = threading.Barrier(6)
    errors = []

    def writer(n):
        try:
            with app.app_context():
                barrier.wait()
                for k in range(5):
                    audit.record("test.concurrent", actor=None, object_type="thing",
                                 object_id=f"{n}-{k}")
                    db.session.commit()
                db.session.remove()
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = _verify(runner)
    assert result.exit_code == 0, result.output
    assert "intact: 31 events" in result.output
