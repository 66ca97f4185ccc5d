import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms import clock
from lms.extensions import db
from lms.learning import sessions as session_service
from lms.learning.models import Enrolment, LiveSession, SessionBooking
from lms.learning.services import LearningError
from lms.timezones import local
from tests.helpers import login_as
from tests.learning.conftest import right_answers


def _future_form(course_id, scheme_id, capacity=2):
    day = (local(clock.utcnow()) + timedelta(days=7)).date()
    return {"course": course_id, "scheme": scheme_id, "day": day.isoformat(), "start": "09:30",
            "end": "16:00", "location": "Education block, room 4", "capacity": capacity}


@pytest.fixture
def scheme_people(make_scheme, make_user):
    scheme = make_scheme()
    return {"scheme": scheme, "trainer": make_user(role="trainer", scheme=scheme),
            "trainees": [make_user(role="trainee", scheme=scheme) for _ in range(3)],
            "outsider": make_user(role="trainee", scheme=make_scheme())}


def _enrol(app, user, course_id, scheme_id=None):
    with app.app_context():
        db.session.add(Enrolment(user_id=user.id, course_id=course_id, scheme_id=scheme_id))
        db.session.commit()


def test_trainer_schedules_and_validation_keeps_input(client, app, catalogue, scheme_people):
    login_as(client, scheme_people["trainer"])
    form = _future_form(catalogue.ids["advanced"], scheme_people["scheme"].id)
    response = client.post("/sessions/new", data={**form, "end": "08:00", "capacity": "0"})
    page = response.get_data(as_text=True)
    assert "The session must end after it starts." in page
    assert "Between 1 and 500 places." in page
    assert 'value="Education block, room 4"' in page
    response = client.post("/sessions/new", data={**form, "day": "2001-01-01"})
    assert "Choose a date and time in the future." in response.get_data(as_text=True)
    response = client.post("/sessions/new", data=form)
    assert response.status_code == 302
    with app.app_context():
        session = db.session.scalar(select(LiveSession))
        assert session.hours == 6.5
        assert session.capacity == 2


def test_trainees_cannot_schedule(client, catalogue, scheme_people):
    login_as(client, scheme_people["trainees"][0])
    assert client.get("/sessions/new").status_code == 403


def _make_session(app, catalogue, scheme_people, capacity=2):
    with app.app_context():
        start = clock.utcnow() + timedelta(days=3)
        session = LiveSession(course_id=catalogue.ids["advanced"],
                              scheme_id=scheme_people["scheme"].id,
                              trainer_id=scheme_people["trainer"].id, starts_at=start,
                              ends_at=start + timedelta(hours=6), location="Chapel",
                              capacity=capacity)
        db.session.add(session)
        db.session.commit()
        return session.id


def test_booking_needs_enrolment_and_respects_capacity(app, catalogue, scheme_people):
    session_id = _make_session(app, catalogue, scheme_people, capacity=2)
    clients = []
    for trainee in scheme_people["trainees"]:
        c = app.test_client()
        c.post("/login", data={"username": trainee.username, "password": trainee.password})
        clients.append(c)
    response = clients[0].post(f"/sessions/{session_id}/book", follow_redirects=True)
    assert "Enrol on the course before booking" in response.get_data(as_text=True)
    for trainee in scheme_people["trainees"]:
        _enrol(app, trainee, catalogue.ids["advanced"])
    for c in clients[:2]:
        assert "Your place is booked." in c.post(f"/sessions/{session_id}/book",
                                                 follow_redirects=True).get_data(as_text=True)
    response = clients[2].post(f"/sessions/{session_id}/book", follow_redirects=True)
    assert "Sorry, this session is full." in response.get_data(as_text=True)
    assert "You already have a place" in clients[0].post(
        f"/sessions/{session_id}/book", follow_redirects=True).get_data(as_text=True)
    clients[0].post(f"/sessions/{session_id}/cancel")
    assert "Your place is booked." in clients[2].post(
        f"/sessions/{session_id}/book", follow_redirects=True).get_data(as_text=True)
    with app.app_context():
        session = db.session.get(LiveSession, session_id)
        assert session.booked_count == 2 == len(session.bookings)


def test_other_schemes_cannot_see_or_book(client, app, catalogue, scheme_people):
    session_id = _make_session(app, catalogue, scheme_people)
    outsider = scheme_people["outsider"]
    _enrol(app, outsider, catalogue.ids["advanced"])
    login_as(client, outsider)
    assert client.get(f"/sessions/{session_id}").status_code == 404
    assert client.post(f"/sessions/{session_id}/book").status_code == 404
    assert client.post(f"/sessions/{session_id}/attendance").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SessionBooking)) == 0


def test_concurrent_bookings_never_overbook(app, catalogue, scheme_people, make_user):
    """Many people book the last places at the same moment, on separate connections."""
    session_id = _make_session(app, catalogue, scheme_people, capacity=3)
    people = [make_user(role="trainee", scheme=scheme_people["scheme"]) for _ in range(10)]
    for person in people:
        _enrol(app, person, catalogue.ids["advanced"])
    barrier = threading.Barrier(len(people))
    outcomes = []

    def attempt(person):
        with app.app_context():
            from lms.auth.models import User
            user = db.session.get(User, person.id)
            session = db.session.get(LiveSession, session_id)
            barrier.wait()
            try:
                session_service.book(session, user)
                db.session.commit()
                outcomes.append("booked")
            except LearningError:
                db.session.rollback()
                outcomes.append("full")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("booked") == 3
    assert outcomes.count("full") == 7
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SessionBooking)) == 3
        assert db.session.get(LiveSession, session_id).booked_count == 3


def test_attendance_completes_a_course_with_live_hours(client, app, catalogue, scheme_people):
    trainee = scheme_people["trainees"][0]
    session_id = _make_session(app, catalogue, scheme_people)
    learner = app.test_client()
    learner.post("/login", data={"username": trainee.username, "password": trainee.password})
    with app.app_context():
        db.session.add(Enrolment(user_id=trainee.id, course_id=catalogue.ids["basics"],
                                 completed_at=clock.utcnow()))
        db.session.commit()
    learner.post("/courses/advanced/enrol")
    learner.post("/courses/advanced/lessons/complex/extended-preparation/done")
    check = "/courses/advanced/checks/complex"
    learner.post(check, data=right_answers(learner, check))
    assert "Live training: 0.0 of 6.0 hours" in learner.get("/learning/").get_data(as_text=True)
    learner.post(f"/sessions/{session_id}/book")
    with app.app_context():
        booking_id = db.session.scalar(select(SessionBooking.id))
    login_as(client, scheme_people["trainer"])
    response = client.post(f"/sessions/{session_id}/attendance",
                           data={f"attended-{booking_id}": "yes", f"hours-{booking_id}": "lots"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter hours as a number from 0 to 24" in page
    assert 'value="lots"' in page
    response = client.post(f"/sessions/{session_id}/attendance",
                           data={f"attended-{booking_id}": "yes", f"hours-{booking_id}": ""},
                           follow_redirects=True)
    assert "1 learner completed the course." in response.get_data(as_text=True)
    with app.app_context():
        enrolment = db.session.scalar(select(Enrolment).where(
            Enrolment.course_id == catalogue.ids["advanced"]))
        assert enrolment.completed_at is not None
    assert "cannot be cancelled" in learner.post(
        f"/sessions/{session_id}/cancel", follow_redirects=True).get_data(as_text=True)
