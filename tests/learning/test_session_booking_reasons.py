"""A session page without a Book button says why, and what to do instead."""

from datetime import timedelta

from lms import clock
from lms.extensions import db
from lms.learning.models import Enrolment, LiveSession
from tests.helpers import login_as

BOOK = "Book a place"


def _session(app, course_id, scheme_id, *, days=3, capacity=2, booked=0):
    with app.app_context():
        start = clock.utcnow() + timedelta(days=days)
        session = LiveSession(course_id=course_id, scheme_id=scheme_id, starts_at=start,
                              ends_at=start + timedelta(hours=3), location="Hall",
                              capacity=capacity, booked_count=booked)
        db.session.add(session)
        db.session.commit()
        return session.id


def _enrol(app, user, course_id):
    with app.app_context():
        db.session.add(Enrolment(user_id=user.id, course_id=course_id))
        db.session.commit()


def test_each_reason_is_explained_with_a_next_step(app, catalogue, make_scheme, make_user):
    scheme = make_scheme()
    course = catalogue.ids["advanced"]
    learner = make_user(role="trainee", scheme=scheme)
    client = login_as(app, learner)
    open_session = _session(app, course, scheme.id)
    page = client.get(f"/sessions/{open_session}").get_data(as_text=True)
    assert BOOK not in page
    assert "Enrol on the course before booking a session." in page
    assert 'href="/courses/advanced"' in page

    _enrol(app, learner, course)
    assert BOOK in client.get(f"/sessions/{open_session}").get_data(as_text=True)

    full = _session(app, course, scheme.id, capacity=2, booked=2)
    page = client.get(f"/sessions/{full}").get_data(as_text=True)
    assert BOOK not in page
    assert "Sorry, this session is full." in page
    assert "Look for another session of this course" in page
    response = client.post(f"/sessions/{full}/book", follow_redirects=True)
    assert "Sorry, this session is full." in response.get_data(as_text=True)

    past = _session(app, course, scheme.id, days=-2)
    page = client.get(f"/sessions/{past}").get_data(as_text=True)
    assert BOOK not in page
    assert "This session has already started, so it can no longer be booked." in page
    assert "See the sessions still to come" in page
    response = client.post(f"/sessions/{past}/book", follow_redirects=True)
    assert "can no longer be booked" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(LiveSession, past).booked_count == 0


def test_the_trainer_running_it_sees_no_refusal(app, catalogue, make_scheme, make_user):
    scheme = make_scheme()
    trainer = make_user(role="trainer", scheme=scheme)
    session_id = _session(app, catalogue.ids["advanced"], scheme.id)
    page = login_as(app, trainer).get(f"/sessions/{session_id}").get_data(as_text=True)
    assert "Enrol on the course before booking" not in page
    assert "Bookings and attendance" in page
