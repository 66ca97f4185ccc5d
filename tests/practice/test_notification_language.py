"""Supervision notifications are written in the RECIPIENT's language (issue 15), whoever
caused them: the date in a Welsh reader's notification has Welsh month names, an English
reader's has English ones."""

from datetime import date

from sqlalchemy import select

from lms import clock
from lms.auth.models import User
from lms.extensions import db
from lms.notify.models import Notification
from lms.practice import supervision
from lms.practice.models import SupervisionSession
from tests.helpers import login_as
from tests.practice.conftest import create_record


def _prefers(app, person, language):
    with app.app_context():
        db.session.get(User, person.id).preferred_language = language
        db.session.commit()


def _messages_for(app, person):
    with app.app_context():
        return db.session.scalars(select(Notification.message).where(
            Notification.user_id == person.id)).all()


def test_request_to_confirm_is_in_the_practitioners_language(app, practice_scheme):
    _prefers(app, practice_scheme.practitioner, "cy")
    supervisor = login_as(app, practice_scheme.supervisor)  # the supervisor reads English
    held_on = date(clock.today().year - 1, 11, 2)
    response = supervisor.post("/supervision/new", data={
        "practitioner": practice_scheme.practitioner.username, "held_on": held_on.isoformat(),
        "duration_minutes": 60, "notes": ""})
    assert response.status_code == 302
    [message] = _messages_for(app, practice_scheme.practitioner)
    assert f"02 Tach {held_on.year}" in message  # Tachwedd, not Nov
    assert "Nov" not in message


def test_overdue_reminders_follow_each_recipients_language(app, practice_scheme):
    people = practice_scheme
    _prefers(app, people.supervisor, "cy")
    with app.app_context():
        db.session.add(SupervisionSession(
            supervisor_id=people.supervisor2.id, practitioner_id=people.practitioner.id,
            scheme_id=people.scheme.id, held_on=date(2020, 11, 2), duration_minutes=60,
            notes="", supervisor_confirmed_at=clock.utcnow(),
            practitioner_confirmed_at=clock.utcnow()))
        db.session.commit()
    create_record(login_as(app, people.practitioner), people.scheme.id)  # logs practice
    with app.app_context():
        assert supervision.notify_overdue() >= 2
        db.session.commit()
    english = _messages_for(app, people.practitioner)
    welsh = _messages_for(app, people.supervisor)
    assert any("since 02 Nov 2020" in m for m in english), english
    assert any("02 Tach 2020" in m for m in welsh), welsh
