"""Live sessions without 500s under simultaneous posts (issue 10), and attendance registers
printed and entered afterwards (issue 17)."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms import clock
from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.learning.models import Enrolment, LiveSession, SessionBooking
from tests.helpers import login_as


@pytest.fixture
def people(make_scheme, make_user):
    scheme = make_scheme()
    return {"scheme": scheme, "trainer": make_user(role="trainer", scheme=scheme),
            "trainees": [make_user(role="trainee", scheme=scheme) for _ in range(3)],
            "other_trainer": make_user(role="trainer", scheme=make_scheme())}


def _session(app, catalogue, people, days=3, capacity=5):
    with app.app_context():
        start = clock.utcnow() + timedelta(days=days)
        session = LiveSession(course_id=catalogue.ids["advanced"], scheme_id=people["scheme"].id,
                              trainer_id=people["trainer"].id, starts_at=start,
                              ends_at=start + timedelta(hours=6), location="Chapel",
                              capacity=capacity)
        db.session.add(session)
        db.session.commit()
        return session.id


def _enrol(app, catalogue, *users, course="advanced"):
    with app.app_context():
        for user in users:
            db.session.add(Enrolment(user_id=user.id, course_id=catalogue.ids[course]))
        db.session.commit()


def _signed_in(app, user, count):
    clients = []
    for _ in range(count):
        c = app.test_client()
        c.post("/login", data={"username": user.username, "password": user.password})
        clients.append(c)
    return clients


def _at_once(clients, url):
    barrier = threading.Barrier(len(clients))
    statuses = []

    def run(c):
        barrier.wait()
        statuses.append(c.post(url).status_code)

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_simultaneous_bookings_by_one_person_take_one_place(app, catalogue, people):
    session_id = _session(app, catalogue, people)
    trainee = people["trainees"][0]
    _enrol(app, catalogue, trainee)
    statuses = _at_once(_signed_in(app, trainee, 8), f"/sessions/{session_id}/book")
    assert set(statuses) == {302}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SessionBooking)) == 1
        assert db.session.get(LiveSession, session_id).booked_count == 1


def test_simultaneous_cancellations_free_one_place(app, catalogue, people):
    session_id = _session(app, catalogue, people)
    trainee = people["trainees"][0]
    _enrol(app, catalogue, trainee)
    clients = _signed_in(app, trainee, 6)
    clients[0].post(f"/sessions/{session_id}/book")
    statuses = _at_once(clients, f"/sessions/{session_id}/cancel")
    assert 500 not in statuses
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SessionBooking)) == 0
        assert db.session.get(LiveSession, session_id).booked_count == 0


def test_the_printable_register_lists_bookings_for_staff_only(app, client, catalogue, people):
    session_id = _session(app, catalogue, people)
    booked = people["trainees"][0]
    _enrol(app, catalogue, booked)
    with app.app_context():
        db.session.add(SessionBooking(session_id=session_id, user_id=booked.id))
        db.session.commit()
    login_as(client, people["trainer"])
    page = client.get(f"/sessions/{session_id}/register").get_data(as_text=True)
    assert f"<td>{booked.display_name}</td><td>{booked.username}</td>" in page
    assert "Signature" in page
    assert "Trainer's signature" in page
    client.post("/logout")
    login_as(client, booked)
    assert client.get(f"/sessions/{session_id}/register").status_code == 403
    client.post("/logout")
    login_as(client, people["other_trainer"])
    assert client.get(f"/sessions/{session_id}/register").status_code == 404
    assert client.post(f"/sessions/{session_id}/register/enter").status_code == 404


def test_a_register_is_entered_only_once_the_session_has_started(app, client, catalogue,
                                                               people):
    session_id = _session(app, catalogue, people, days=3)
    _enrol(app, catalogue, people["trainees"][0])
    login_as(client, people["trainer"])
    page = client.post(f"/sessions/{session_id}/register/enter",
                       data={"usernames": people["trainees"][0].username}).get_data(as_text=True)
    assert "Attendance can be entered once the session has started." in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SessionBooking)) == 0


def test_entering_a_signed_register_marks_walk_ins_absentees_and_completes(
        app, client, catalogue, people):
    session_id = _session(app, catalogue, people, days=-1)
    booked_present, booked_absent, walk_in = people["trainees"]
    _enrol(app, catalogue, *people["trainees"])
    with app.app_context():
        for user in (booked_present, booked_absent):
            db.session.add(SessionBooking(session_id=session_id, user_id=user.id))
        db.session.get(LiveSession, session_id).booked_count = 2
        db.session.commit()
    login_as(client, people["trainer"])
    response = client.post(f"/sessions/{session_id}/register/enter", data={
        "usernames": f"{booked_present.username}\n{walk_in.username.upper()}",
        "hours": "", "others_absent": "y"}, follow_redirects=True)
    assert ("Attendance saved: 2 attended (1 not booked), 1 marked absent"
            in response.get_data(as_text=True))
    with app.app_context():
        bookings = {b.user_id: b for b in db.session.scalars(select(SessionBooking))}
        assert bookings[walk_in.id].attended is True
        assert bookings[walk_in.id].hours_attended == 6
        assert bookings[booked_present.id].attended is True
        assert bookings[booked_absent.id].attended is False
        assert db.session.get(LiveSession, session_id).booked_count == 3
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "learning.attendance_entered"))
        assert event.actor_id == people["trainer"].id
        assert event.payload["walk_ins"] == 1
        assert event.payload["absent"] == 1


@pytest.mark.parametrize(("usernames", "hours", "message"), [
    ("nobody-here", "", "No account with the username: nobody-here."),
    ("{outsider}", "", "Not enrolled on this course in this session&#39;s scheme: {outsider}."),
    ("{trainer}", "", "You cannot record your own attendance"),
    ("{trainee}", "nan", "Enter hours as a number from 0 to 24, e.g. 6.5."),
    ("{trainee}", "25", "Enter hours as a number from 0 to 24, e.g. 6.5."),
    ("", "", "Enter the usernames of the people who attended."),
])
def test_a_register_with_problems_says_so_and_keeps_the_input(
        app, client, catalogue, people, make_scheme, make_user, usernames, hours,
        message):
    session_id = _session(app, catalogue, people, days=-1)
    trainee = people["trainees"][0]
    outsider = make_user(role="trainee", scheme=make_scheme())
    _enrol(app, catalogue, trainee, outsider)
    names = {"outsider": outsider.username, "trainer": people["trainer"].username,
             "trainee": trainee.username}
    login_as(client, people["trainer"])
    typed = usernames.format(**names)
    response = client.post(f"/sessions/{session_id}/register/enter",
                           data={"usernames": typed, "hours": hours})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message.format(**names) in page
    assert f"{typed}</textarea>" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SessionBooking)) == 0


def test_the_register_pages_use_a_fixed_number_of_queries(app, client, catalogue, people,
                                                         make_user, count_queries):
    session_id = _session(app, catalogue, people, days=-1)

    def queries(url):
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    def book(user):
        _enrol(app, catalogue, user)
        with app.app_context():
            db.session.add(SessionBooking(session_id=session_id, user_id=user.id))
            db.session.commit()

    book(people["trainees"][0])
    login_as(client, people["trainer"])
    urls = [f"/sessions/{session_id}", f"/sessions/{session_id}/register",
            f"/sessions/{session_id}/register/enter"]
    small = [queries(url) for url in urls]
    for _ in range(6):
        book(make_user(role="trainee", scheme=people["scheme"]))
    assert [queries(url) for url in urls] == small
