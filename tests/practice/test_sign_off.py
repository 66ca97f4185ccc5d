import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.extensions import db
from lms.notify.models import Notification, OutboxMessage
from lms.practice import services
from lms.practice.models import Assessment, PracticeRecord
from tests.helpers import login_as
from tests.practice.conftest import create_record, submitted_record

SIGN_OFF = {"outcome": "signed off", "feedback": "Well prepared.",
            "ratings-preparation-rating": "strong", "ratings-delivery-rating": "demonstrated",
            "ratings-preparation-comment": "Thorough."}


def _record(app, record_id):
    with app.app_context():
        record = db.session.get(PracticeRecord, record_id)
        return record.status, [a.outcome for a in record.assessments], record.version


def _assess(client, record_id, data, app):
    version = _record(app, record_id)[2]
    return client.post(f"/practice/{record_id}/assess", data={**data, "version": version})


def test_full_sign_off_with_audit_and_notifications(app, practice_scheme, runner):
    practitioner, record_id = submitted_record(app, practice_scheme)
    page = practitioner.get(f"/practice/{record_id}").get_data(as_text=True)
    # only recognised supervisors of the scheme are offered
    sup = practice_scheme
    assert sup.supervisor.display_name in page
    assert sup.supervisor2.display_name in page
    assert sup.unrecognised.display_name not in page
    assert sup.other_supervisor.display_name \
        not in page
    practitioner.post(f"/practice/{record_id}/request", data={"supervisor": sup.supervisor.id})
    assert _record(app, record_id)[0] == "awaiting sign-off"
    supervisor = login_as(app, sup.supervisor)
    queue = supervisor.get("/supervision/queue").get_data(as_text=True)
    assert "Asked of you (1)" in queue
    response = _assess(supervisor, record_id, SIGN_OFF, app)
    assert response.status_code == 302
    status, outcomes, _ = _record(app, record_id)
    assert status == "signed off"
    assert outcomes == ["signed off"]
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
        assert actions == ["practice.created", "process.started", "practice.submitted",
                           "practice.sign_off_requested", "practice.signed_off"]
        notified = db.session.scalars(select(Notification.user_id)).all()
        assert sorted(notified) == sorted([sup.supervisor.id, sup.practitioner.id])
        emails = db.session.scalars(select(OutboxMessage.to_address)).all()
        assert sorted(emails) == ["p@example.org", "s@example.org"]
        ratings = db.session.scalar(select(Assessment.ratings))
        assert ratings["preparation"] == {"rating": "strong", "comment": "Thorough."}
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_missing_ratings_and_feedback_are_reported_and_nothing_saved(app, practice_scheme):
    practitioner, record_id = submitted_record(app, practice_scheme)
    practitioner.post(f"/practice/{record_id}/request",
                      data={"supervisor": practice_scheme.supervisor.id})
    supervisor = login_as(app, practice_scheme.supervisor)
    response = _assess(supervisor, record_id, {"outcome": "returned",
                                               "ratings-preparation-rating": "strong",
                                               "ratings-preparation-comment": "Kept comment"}, app)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose a rating for this stage." in page
    assert "Say what further work is needed." in page
    assert "Kept comment" in page
    assert _record(app, record_id)[:2] == ("awaiting sign-off", [])


def test_returned_record_is_revised_resubmitted_and_history_kept(app, practice_scheme):
    practitioner, record_id = submitted_record(app, practice_scheme)
    sup = practice_scheme.supervisor
    practitioner.post(f"/practice/{record_id}/request", data={"supervisor": sup.id})
    supervisor = login_as(app, sup)
    _assess(supervisor, record_id, {**SIGN_OFF, "outcome": "returned",
                                    "feedback": "Say more about the risk assessment."}, app)
    assert _record(app, record_id)[0] == "returned"
    from tests.practice.conftest import GOOD_RECORD
    response = practitioner.post(f"/practice/{record_id}/edit", data={
        **GOOD_RECORD, "scheme": practice_scheme.scheme.id,
        "reflection": "Added: the risk assessment was reviewed before the conference."})
    assert response.status_code == 302
    practitioner.post(f"/practice/{record_id}/submit")
    practitioner.post(f"/practice/{record_id}/request", data={"supervisor": sup.id})
    _assess(supervisor, record_id, SIGN_OFF, app)
    status, outcomes, _ = _record(app, record_id)
    assert status == "signed off"
    assert outcomes == ["returned", "signed off"]
    page = practitioner.get(f"/practice/{record_id}").get_data(as_text=True)
    assert "Say more about the risk assessment." in page
    assert "Well prepared." in page


def test_nobody_signs_off_their_own_or_a_co_facilitated_record(app, practice_scheme, recognise):
    sup = practice_scheme
    # a supervisor logging their own practice, with a co-facilitating supervisor
    own = login_as(app, sup.supervisor)
    record_id = create_record(own, sup.scheme.id, co_facilitator=sup.supervisor2.id)
    own.post(f"/practice/{record_id}/submit")
    page = own.get(f"/practice/{record_id}").get_data(as_text=True)
    assert "There is no recognised supervisor in this scheme who can assess" in page
    with app.app_context():
        record = db.session.get(PracticeRecord, record_id)
        for supervisor_id, message in [(sup.supervisor.id, "their own practice"),
                                       (sup.supervisor2.id, "co-facilitator")]:
            with pytest.raises(services.PracticeError, match=message):
                services.request_sign_off(record, db.session.get(User, supervisor_id),
                                          record.author)
        db.session.rollback()
    # even forced into the queue, neither can assess it
    with app.app_context():
        record = db.session.get(PracticeRecord, record_id)
        record.status, record.supervisor_id = "awaiting sign-off", sup.supervisor.id
        db.session.commit()
    for person, message in [(sup.supervisor, "their own practice"),
                            (sup.supervisor2, "co-facilitator")]:
        client = login_as(app, person)
        response = client.post(f"/practice/{record_id}/assess", data={**SIGN_OFF, "version": 2},
                               follow_redirects=True)
        assert message in response.get_data(as_text=True)
    assert _record(app, record_id)[:2] == ("awaiting sign-off", [])


def test_unrecognised_and_other_scheme_supervisors_cannot_assess(app, practice_scheme):
    practitioner, record_id = submitted_record(app, practice_scheme)
    practitioner.post(f"/practice/{record_id}/request",
                      data={"supervisor": practice_scheme.supervisor.id})
    unrecognised = login_as(app, practice_scheme.unrecognised)
    response = _assess(unrecognised, record_id, SIGN_OFF, app)
    assert response.status_code == 302
    outsider = login_as(app, practice_scheme.other_supervisor)
    assert _assess(outsider, record_id, SIGN_OFF, app).status_code == 404
    trainee = login_as(app, practice_scheme.colleague)
    assert _assess(trainee, record_id, SIGN_OFF, app).status_code == 403
    assert _record(app, record_id)[:2] == ("awaiting sign-off", [])


def test_a_stale_form_is_refused_with_a_message(app, practice_scheme):
    practitioner, record_id = submitted_record(app, practice_scheme)
    practitioner.post(f"/practice/{record_id}/request",
                      data={"supervisor": practice_scheme.supervisor.id})
    supervisor = login_as(app, practice_scheme.supervisor)
    version = _record(app, record_id)[2]
    response = supervisor.post(f"/practice/{record_id}/assess",
                               data={**SIGN_OFF, "version": version - 1}, follow_redirects=True)
    assert "Another supervisor assessed this record" in response.get_data(as_text=True)
    assert _record(app, record_id)[:2] == ("awaiting sign-off", [])


def test_two_supervisors_at_the_same_moment_store_exactly_one_outcome(app, practice_scheme):
    practitioner, record_id = submitted_record(app, practice_scheme)
    practitioner.post(f"/practice/{record_id}/request",
                      data={"supervisor": practice_scheme.supervisor.id})
    barrier = threading.Barrier(2)
    results = []

    def act(supervisor_id, outcome):
        with app.app_context():
            record = db.session.get(PracticeRecord, record_id)
            supervisor = db.session.get(User, supervisor_id)
            assert record.sign_off_refusal(supervisor) is None
            barrier.wait()
            try:
                services.assess(record, supervisor, outcome=outcome,
                                ratings={"preparation": {"rating": "strong", "comment": ""},
                                         "delivery": {"rating": "strong", "comment": ""}},
                                feedback="Needs more." if outcome == "returned" else "")
                db.session.commit()
                results.append(outcome)
            except StaleDataError:
                db.session.rollback()
                results.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=act, args=(practice_scheme.supervisor.id, "signed off")),
               threading.Thread(target=act, args=(practice_scheme.supervisor2.id, "returned"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) in (["refused", "signed off"], ["refused", "returned"])
    status, outcomes, _ = _record(app, record_id)
    assert len(outcomes) == 1
    assert status == outcomes[0]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assessment)) == 1
        decided = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.action.in_(["practice.signed_off", "practice.returned"]))).all()
        assert len(decided) == 1


def test_sensitive_case_led_by_unqualified_practitioner_is_flagged(app, practice_scheme):
    practitioner, record_id = submitted_record(app, practice_scheme, sensitive="y")
    practitioner.post(f"/practice/{record_id}/request",
                      data={"supervisor": practice_scheme.supervisor.id})
    supervisor = login_as(app, practice_scheme.supervisor)
    page = supervisor.get(f"/practice/{record_id}/assess").get_data(as_text=True)
    assert "not yet qualified to lead such cases" in page


def test_supervisor_queue_query_count_does_not_grow(app, practice_scheme, count_queries):
    supervisor = login_as(app, practice_scheme.supervisor)

    def measure():
        with count_queries() as counter:
            assert supervisor.get("/supervision/queue").status_code == 200
        return counter.count

    def add_requests(n):
        for _ in range(n):
            practitioner, record_id = submitted_record(app, practice_scheme)
            practitioner.post(f"/practice/{record_id}/request",
                              data={"supervisor": practice_scheme.supervisor.id})

    add_requests(1)
    small = measure()
    add_requests(8)
    assert measure() == small


def test_the_queue_pages_what_waits_for_other_supervisors(app, practice_scheme):
    """The list that grows with the scheme comes a page at a time, counted in full."""
    practitioner, record_id = submitted_record(app, practice_scheme)
    practitioner.post(f"/practice/{record_id}/request",
                      data={"supervisor": practice_scheme.supervisor2.id})
    with app.app_context():
        base = db.session.get(PracticeRecord, record_id)
        columns = [c.key for c in PracticeRecord.__table__.columns
                   if c.key not in ("id", "case_code")]
        for n in range(54):
            db.session.add(PracticeRecord(case_code=f"QX-{n:04d}",
                                          **{key: getattr(base, key) for key in columns}))
        db.session.commit()
    supervisor = login_as(app, practice_scheme.supervisor)
    first = supervisor.get("/supervision/queue").get_data(as_text=True)
    assert "Waiting for other supervisors in your schemes (55)" in first
    assert "Asked of you (0)" in first
    assert first.count("/assess\">") == 50
    assert "Page 1 of 2" in first
    second = supervisor.get("/supervision/queue?page=2").get_data(as_text=True)
    assert second.count("/assess\">") == 5
    assert "QX-0053" in second
    assert "QX-0053" not in first
    beyond = supervisor.get("/supervision/queue?page=9").get_data(as_text=True)
    assert "Page 2 of 2" in beyond
    assert beyond.count("/assess\">") == 5
    # the supervisor it was asked of sees them as theirs, all at once
    asked = login_as(app, practice_scheme.supervisor2).get("/supervision/queue")
    assert asked.get_data(as_text=True).count("/assess\">") == 55


def test_the_queue_names_authors_and_schemes_with_the_records(app, practice_scheme,
                                                              count_queries):
    """Each waiting record's author and scheme come joined to it, not in queries of
    their own."""
    practitioner, record_id = submitted_record(app, practice_scheme)
    practitioner.post(f"/practice/{record_id}/request",
                      data={"supervisor": practice_scheme.supervisor2.id})
    colleague = login_as(app, practice_scheme.colleague)
    other = create_record(colleague, practice_scheme.scheme.id)
    colleague.post(f"/practice/{other}/submit")
    colleague.post(f"/practice/{other}/request",
                   data={"supervisor": practice_scheme.supervisor.id})
    supervisor = login_as(app, practice_scheme.supervisor)
    supervisor.get("/supervision/queue")
    with count_queries() as counter:
        page = supervisor.get("/supervision/queue").get_data(as_text=True)
    assert practice_scheme.practitioner.display_name in page
    assert practice_scheme.colleague.display_name in page
    assert "HMP Test" in page
    loose = [s for s in counter.statements
             if s.lstrip().upper().startswith(("SELECT USERS", "SELECT SCHEMES"))]
    assert loose == []
