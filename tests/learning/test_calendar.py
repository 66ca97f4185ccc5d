"""Live sessions as iCalendar: one session as a download, and a personal feed behind a
secret address that can be replaced."""

import re
from datetime import UTC, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from lms import clock
from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.learning.models import Enrolment, LiveSession, SessionBooking
from tests.helpers import login_as


@pytest.fixture
def people(make_scheme, make_user):
    scheme, other = make_scheme(), make_scheme()
    return {"scheme": scheme,
            "trainer": make_user(role="trainer", scheme=scheme),
            "trainee": make_user(role="trainee", scheme=scheme, display_name="Tessa Trainee"),
            "other_trainee": make_user(role="trainee", scheme=scheme),
            "other_trainer": make_user(role="trainer", scheme=other),
            "other_scheme": other}


def _session(app, course_id, scheme_id, trainer_id, *, days=3, location="Chapel",
             booked=()):
    with app.app_context():
        start = (clock.utcnow() + timedelta(days=days)).replace(microsecond=0)
        session = LiveSession(course_id=course_id, scheme_id=scheme_id, trainer_id=trainer_id,
                              starts_at=start, ends_at=start + timedelta(hours=6),
                              location=location, capacity=10, booked_count=len(booked))
        db.session.add(session)
        db.session.flush()
        for user in booked:
            db.session.add(Enrolment(user_id=user.id, course_id=course_id))
            db.session.add(SessionBooking(session_id=session.id, user_id=user.id))
        db.session.commit()
        return session.id, start


def _events(body: bytes):
    return [c for c in Calendar.from_ical(body).walk("VEVENT")]


def test_a_session_downloads_as_an_rfc_5545_event(client, app, catalogue, people):
    location = "Room 4; Block B, by the chapel\nRing the bell"
    session_id, start = _session(app, catalogue.ids["advanced"], people["scheme"].id,
                                 people["trainer"].id, location=location)
    login_as(client, people["trainee"])
    page = client.get(f"/sessions/{session_id}").get_data(as_text=True)
    assert f'href="/sessions/{session_id}/calendar.ics"' in page
    response = client.get(f"/sessions/{session_id}/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.data
    assert b"\r\n" in body
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert b"Room 4\\; Block B\\, by the chapel\\nRing the bell" in body.replace(b"\r\n ", b"")
    calendar = Calendar.from_ical(body)
    assert str(calendar["VERSION"]) == "2.0"
    (event,) = _events(body)
    assert str(event["UID"]) == f"https://lms.example.org/sessions/{session_id}"
    assert event.decoded("DTSTART") == start.astimezone(UTC)
    assert event.decoded("DTEND") == start + timedelta(hours=6)
    assert event.decoded("DTSTAMP").tzinfo is not None
    assert str(event["SUMMARY"]) == "Advanced: live session"
    assert str(event["LOCATION"]) == location


def test_someone_outside_the_scheme_cannot_download_it(client, app, catalogue, people):
    session_id, _ = _session(app, catalogue.ids["advanced"], people["scheme"].id,
                             people["trainer"].id)
    login_as(client, people["other_trainer"])
    assert client.get(f"/sessions/{session_id}/calendar.ics").status_code == 404
    assert app.test_client().get(f"/sessions/{session_id}/calendar.ics").status_code == 302


def _feed_address(client):
    page = client.post("/account/calendar").get_data(as_text=True)
    match = re.search(r'value="https://lms\.example\.org(/calendar/[\w-]+\.ics)"', page)
    assert match, page
    return match.group(1)


def test_the_feed_has_booked_and_run_sessions_and_nobody_elses(app, catalogue, people):
    course = catalogue.ids["advanced"]
    trainee, trainer = people["trainee"], people["trainer"]
    mine, _ = _session(app, course, people["scheme"].id, trainer.id, booked=[trainee])
    not_booked, _ = _session(app, course, people["scheme"].id, trainer.id, days=4)
    others, _ = _session(app, course, people["scheme"].id, trainer.id, days=5,
                         booked=[people["other_trainee"]])
    elsewhere, _ = _session(app, course, people["other_scheme"].id,
                            people["other_trainer"].id, days=6)
    trainee_feed = _feed_address(login_as(app, trainee))
    trainer_feed = _feed_address(login_as(app, trainer))
    anonymous = app.test_client()
    response = anonymous.get(trainee_feed)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    uids = {str(e["UID"]).rsplit("/", 1)[1] for e in _events(response.data)}
    assert uids == {str(mine)}
    assert b"Tessa" not in response.data
    assert trainee.username.encode() not in response.data
    uids = {str(e["UID"]).rsplit("/", 1)[1] for e in _events(anonymous.get(trainer_feed).data)}
    assert uids == {str(mine), str(not_booked), str(others)}
    assert str(elsewhere) not in uids


def test_resetting_the_address_stops_the_old_one(app, people):
    client = login_as(app, people["trainee"])
    first = _feed_address(client)
    second = _feed_address(client)
    anonymous = app.test_client()
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second).status_code == 200
    assert anonymous.get("/calendar/not-a-real-token.ics").status_code == 404
    with app.app_context():
        payloads = db.session.scalars(select(AuditEvent.payload).where(
            AuditEvent.action == "user.calendar_feed_reset").order_by(AuditEvent.seq)).all()
    assert [p["replaced"] for p in payloads] == [False, True]
    page = client.get("/account/calendar").get_data(as_text=True)
    assert "Make a new feed address" in page
    assert ".ics" not in page
