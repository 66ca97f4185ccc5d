"""A notification asking for something says so once it is done; read marks are per person."""

from sqlalchemy import select

from lms.extensions import db
from lms.notify.models import Notification
from lms.practice.models import PracticeRecord, SupervisionSession
from tests.helpers import login_as
from tests.practice.conftest import submitted_record

SIGN_OFF = {"outcome": "signed off", "feedback": "Well prepared.",
            "ratings-preparation-rating": "strong", "ratings-delivery-rating": "demonstrated"}


def _ask_and_assess(app, people):
    practitioner, record_id = submitted_record(app, people)
    practitioner.post(f"/practice/{record_id}/request",
                      data={"supervisor": people.supervisor.id})
    supervisor = login_as(app, people.supervisor)
    before = supervisor.get("/notifications").get_data(as_text=True)
    with app.app_context():
        version = db.session.get(PracticeRecord, record_id).version
    response = supervisor.post(f"/practice/{record_id}/assess",
                               data={**SIGN_OFF, "version": version})
    assert response.status_code == 302
    return supervisor, before, record_id


def test_a_request_to_assess_says_already_done_once_assessed(app, practice_scheme):
    supervisor, before, record_id = _ask_and_assess(app, practice_scheme)
    assert f'<a href="/practice/{record_id}/assess">' in before
    assert "Already done" not in before
    after = supervisor.get("/notifications").get_data(as_text=True)
    assert "Already done (" in after
    assert "nothing more to do" in after
    assert f'<a href="/practice/{record_id}/assess">' not in after


def test_one_notification_is_marked_read_and_nobody_marks_anothers(app, practice_scheme):
    supervisor, _before, _record_id = _ask_and_assess(app, practice_scheme)
    with app.app_context():
        mine = db.session.scalar(select(Notification.id).where(
            Notification.user_id == practice_scheme.supervisor.id))
    other = login_as(app, practice_scheme.colleague)
    assert other.post(f"/notifications/{mine}/read").status_code == 302
    with app.app_context():
        assert db.session.get(Notification, mine).read_at is None
    assert supervisor.post(f"/notifications/{mine}/read").status_code == 302
    with app.app_context():
        assert db.session.get(Notification, mine).read_at is not None
    page = supervisor.get("/notifications").get_data(as_text=True)
    assert "Mark all as read" not in page


def test_confirming_supervision_marks_its_request_done(app, practice_scheme):
    supervisor = login_as(app, practice_scheme.supervisor)
    response = supervisor.post("/supervision/new", data={
        "practitioner": practice_scheme.practitioner.username,
        "held_on": "2026-11-02", "duration_minutes": "60", "notes": "Case review."})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    with app.app_context():
        session_id = db.session.scalar(select(SupervisionSession.id))
    practitioner = login_as(app, practice_scheme.practitioner)
    assert "Already done" not in practitioner.get("/notifications").get_data(as_text=True)
    assert practitioner.post(f"/supervision/{session_id}/confirm").status_code == 302
    assert "Already done (" in practitioner.get("/notifications").get_data(as_text=True)
