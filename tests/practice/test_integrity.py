"""Nobody acts on their own practice; concurrent posts store one outcome and never give a
500; every practice state change writes an audit event (issue 10)."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms import clock
from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.practice.models import CpdEntry, PracticeRecord, SupervisionSession
from tests.helpers import login_as
from tests.practice.conftest import GOOD_RECORD, create_record, submitted_record


def _actions(app, *prefixes):
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    return [a for a in actions if a.startswith(prefixes)] if prefixes else actions


def _yesterday():
    return (clock.today() - timedelta(days=1)).isoformat()


def _record_supervision(app, supervisor, practitioner):
    response = supervisor.post("/supervision/new", data={
        "practitioner": practitioner.username, "held_on": _yesterday(),
        "duration_minutes": 60, "notes": ""})
    assert response.status_code == 302
    with app.app_context():
        return db.session.scalar(select(func.max(SupervisionSession.id)))


def _add_cpd(app, client):
    response = client.post("/cpd/", data={"done_on": _yesterday(), "hours": "2",
                                          "activity": "Workshop", "provider": "RJ hub"})
    assert response.status_code == 302
    with app.app_context():
        return db.session.scalar(select(func.max(CpdEntry.id)))


# --- every state change is audited ---------------------------------------------------------

def test_every_practice_state_change_writes_an_audit_event(app, practice_scheme, make_user):
    people = practice_scheme
    practitioner = login_as(app, people.practitioner)
    record_id = create_record(practitioner, people.scheme.id)
    practitioner.post(f"/practice/{record_id}/edit", data={
        **GOOD_RECORD, "scheme": people.scheme.id, "reflection": "Revised after thought."})
    practitioner.post(f"/practice/{record_id}/submit")
    practitioner.post(f"/practice/{record_id}/request", data={"supervisor": people.supervisor.id})
    supervisor = login_as(app, people.supervisor)
    with app.app_context():
        version = db.session.get(PracticeRecord, record_id).version
    supervisor.post(f"/practice/{record_id}/assess", data={
        "outcome": "returned", "feedback": "Say more.", "version": version,
        "ratings-preparation-rating": "demonstrated", "ratings-delivery-rating": "not_yet"})
    session_id = _record_supervision(app, supervisor, people.practitioner)
    practitioner.post(f"/supervision/{session_id}/confirm")
    entry_id = _add_cpd(app, practitioner)
    trainer = login_as(app, make_user(role="trainer", scheme=people.scheme))
    trainer.post(f"/cpd/{entry_id}/approve")
    assert _actions(app) == [
        "practice.created", "process.started", "process.edited", "practice.edited",
        "practice.submitted",
        "practice.sign_off_requested", "practice.returned", "supervision.recorded",
        "supervision.confirmed", "cpd.created", "cpd.approved"]
    with app.app_context():
        payloads = db.session.scalars(select(AuditEvent.payload)).all()
    # free text (reflection, feedback, notes, activity) stays out of the chain
    assert not any("Revised" in str(p) or "Workshop" in str(p) for p in payloads)


# --- nobody acts on their own practice -----------------------------------------------------

def test_a_supervisor_cannot_record_their_own_supervision(app, practice_scheme):
    supervisor = login_as(app, practice_scheme.supervisor)
    response = supervisor.post("/supervision/new", data={
        "practitioner": practice_scheme.supervisor.username, "held_on": _yesterday(),
        "duration_minutes": 60, "notes": ""})
    assert response.status_code == 200
    assert "You cannot record your own supervision" in response.get_data(as_text=True)
    assert _actions(app) == []


def test_nobody_confirms_a_session_they_supervised(app, practice_scheme):
    people = practice_scheme
    # a session stored with one person on both sides (e.g. an import) is never confirmed
    with app.app_context():
        session = SupervisionSession(
            supervisor_id=people.supervisor.id, practitioner_id=people.supervisor.id,
            scheme_id=people.scheme.id, held_on=clock.today(), duration_minutes=60,
            supervisor_confirmed_at=clock.utcnow())
        db.session.add(session)
        db.session.commit()
        session_id = session.id
    supervisor = login_as(app, people.supervisor)
    response = supervisor.post(f"/supervision/{session_id}/confirm", follow_redirects=True)
    assert "the practitioner confirms it" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(SupervisionSession, session_id).practitioner_confirmed_at is None
    assert _actions(app) == []


def test_a_second_confirmation_is_refused_with_a_message(app, practice_scheme):
    supervisor = login_as(app, practice_scheme.supervisor)
    session_id = _record_supervision(app, supervisor, practice_scheme.practitioner)
    practitioner = login_as(app, practice_scheme.practitioner)
    button = "Confirm this session took place"
    assert button not in supervisor.get(f"/supervision/{session_id}").get_data(as_text=True)
    assert button in practitioner.get(f"/supervision/{session_id}").get_data(as_text=True)
    practitioner.post(f"/supervision/{session_id}/confirm")
    assert button not in practitioner.get(f"/supervision/{session_id}").get_data(as_text=True)
    response = practitioner.post(f"/supervision/{session_id}/confirm", follow_redirects=True)
    assert "You have already confirmed this session." in response.get_data(as_text=True)
    assert _actions(app, "supervision.confirmed") == ["supervision.confirmed"]


@pytest.mark.parametrize("approver_kind", ["trainer", "admin"])
def test_nobody_approves_their_own_cpd(app, practice_scheme, make_user, approver_kind):
    person = (make_user(role="trainer", scheme=practice_scheme.scheme)
              if approver_kind == "trainer" else make_user(is_admin=True))
    client = login_as(app, person)
    entry_id = _add_cpd(app, client)
    assert "Workshop" not in client.get("/cpd/to-approve").get_data(as_text=True)
    response = client.post(f"/cpd/{entry_id}/approve", follow_redirects=True)
    assert "You cannot approve your own CPD." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(CpdEntry, entry_id).approved is False
    assert _actions(app, "cpd.approved") == []


def test_an_admin_cannot_recognise_themselves_as_a_supervisor(app, make_user):
    admin_user = make_user(is_admin=True)
    admin = login_as(app, admin_user)
    response = admin.post("/admin/supervisors", data={"username": admin_user.username,
                                                      "reason": "I am experienced."})
    assert "You cannot recognise yourself" in response.get_data(as_text=True)
    assert _actions(app) == []


def test_the_queue_never_offers_a_supervisor_their_co_facilitated_record(app, practice_scheme):
    people = practice_scheme
    practitioner = login_as(app, people.practitioner)
    record_id = create_record(practitioner, people.scheme.id,
                              co_facilitator=people.supervisor2.id)
    practitioner.post(f"/practice/{record_id}/submit")
    practitioner.post(f"/practice/{record_id}/request", data={"supervisor": people.supervisor.id})
    with app.app_context():
        case_code = db.session.get(PracticeRecord, record_id).case_code
    assert case_code in login_as(app, people.supervisor).get(
        "/supervision/queue").get_data(as_text=True)
    page = login_as(app, people.supervisor2).get("/supervision/queue").get_data(as_text=True)
    assert case_code not in page
    assert "Waiting for other supervisors in your schemes (0)" in page


def test_only_the_author_asks_for_sign_off(app, practice_scheme):
    _practitioner, record_id = submitted_record(app, practice_scheme)
    supervisor = login_as(app, practice_scheme.supervisor)
    response = supervisor.post(f"/practice/{record_id}/request",
                               data={"supervisor": practice_scheme.supervisor2.id})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(PracticeRecord, record_id).status == "submitted"


# --- concurrent posts ----------------------------------------------------------------------

def _race(monkeypatch, owner, method_name, posts):
    """Run `posts` (callables making one HTTP request each) at the same moment: each thread
    waits, after its request has loaded the object and checked the rule, until every thread
    has got that far. Returns the responses."""
    barrier = threading.Barrier(len(posts), timeout=10)
    local = threading.local()
    original = getattr(owner, method_name)

    def meet_then_check(self, *args, **kwargs):
        if not getattr(local, "met", False):
            local.met = True
            barrier.wait()
        return original(self, *args, **kwargs)

    monkeypatch.setattr(owner, method_name, meet_then_check)
    responses = [None] * len(posts)

    def run(i):
        responses[i] = posts[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(posts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def test_concurrent_submits_store_one_and_never_500(app, practice_scheme, monkeypatch):
    people = practice_scheme
    first = login_as(app, people.practitioner)
    record_id = create_record(first, people.scheme.id)
    second = login_as(app, people.practitioner)
    responses = _race(monkeypatch, PracticeRecord, "edit_refusal", [
        lambda: first.post(f"/practice/{record_id}/submit", follow_redirects=True),
        lambda: second.post(f"/practice/{record_id}/submit", follow_redirects=True)])
    assert [r.status_code for r in responses] == [200, 200]
    pages = [r.get_data(as_text=True) for r in responses]
    assert sum("Submitted. It can no longer be edited." in p for p in pages) == 1
    assert sum("Someone else changed this at the same moment" in p for p in pages) == 1
    assert _actions(app, "practice.submitted") == ["practice.submitted"]


def test_concurrent_sign_offs_store_one_and_never_500(app, practice_scheme, monkeypatch):
    people = practice_scheme
    practitioner, record_id = submitted_record(app, people)
    practitioner.post(f"/practice/{record_id}/request", data={"supervisor": people.supervisor.id})
    with app.app_context():
        version = db.session.get(PracticeRecord, record_id).version
    data = {"outcome": "signed off", "feedback": "", "version": version,
            "ratings-preparation-rating": "strong", "ratings-delivery-rating": "demonstrated"}
    one, two = login_as(app, people.supervisor), login_as(app, people.supervisor2)
    responses = _race(monkeypatch, PracticeRecord, "sign_off_refusal", [
        lambda: one.post(f"/practice/{record_id}/assess", data=data, follow_redirects=True),
        lambda: two.post(f"/practice/{record_id}/assess", data=data, follow_redirects=True)])
    assert [r.status_code for r in responses] == [200, 200]
    pages = [r.get_data(as_text=True) for r in responses]
    assert sum("Another supervisor assessed this record" in p for p in pages) == 1
    assert _actions(app, "practice.signed_off") == ["practice.signed_off"]


def test_concurrent_confirmations_store_one_and_never_500(app, practice_scheme, monkeypatch):
    people = practice_scheme
    session_id = _record_supervision(app, login_as(app, people.supervisor), people.practitioner)
    one, two = login_as(app, people.practitioner), login_as(app, people.practitioner)
    responses = _race(monkeypatch, SupervisionSession, "confirm_refusal", [
        lambda: one.post(f"/supervision/{session_id}/confirm", follow_redirects=True),
        lambda: two.post(f"/supervision/{session_id}/confirm", follow_redirects=True)])
    assert [r.status_code for r in responses] == [200, 200]
    pages = [r.get_data(as_text=True) for r in responses]
    assert sum("the supervision session is confirmed" in p for p in pages) == 1
    assert _actions(app, "supervision.confirmed") == ["supervision.confirmed"]


def test_concurrent_cpd_approvals_store_one_and_never_500(app, practice_scheme, make_user,
                                                          monkeypatch):
    entry_id = _add_cpd(app, login_as(app, practice_scheme.practitioner))
    trainer = make_user(role="trainer", scheme=practice_scheme.scheme)
    one, two = login_as(app, trainer), login_as(app, make_user(is_admin=True))
    responses = _race(monkeypatch, CpdEntry, "approval_refusal", [
        lambda: one.post(f"/cpd/{entry_id}/approve", follow_redirects=True),
        lambda: two.post(f"/cpd/{entry_id}/approve", follow_redirects=True)])
    assert [r.status_code for r in responses] == [200, 200]
    assert _actions(app, "cpd.approved") == ["cpd.approved"]
