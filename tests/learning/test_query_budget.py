"""Learner and practitioner pages issue at most 12 SQL statements, and the same number
however much the person has done (issue: national scale)."""

from datetime import date, timedelta

import pytest

from lms.extensions import db
from lms.learning.progress import forget_kept_outlines
from lms.notify.models import Notification
from lms.practice.models import CpdEntry
from tests.helpers import login_as
from tests.learning.conftest import right_answers

BUDGET = 12
PAGES = ["/", "/learning/", "/courses/", "/courses/basics",
         "/courses/basics/lessons/listening/why-listening-matters",
         "/courses/basics/checks/listening", "/accreditation/pathway", "/practice/", "/cpd/",
         "/supervision/", "/sessions/", "/notifications"]


def _grow(app, user_id, n):
    """More of everything the pages read: CPD entries and notifications."""
    with app.app_context():
        db.session.add_all(CpdEntry(user_id=user_id, done_on=date(2026, 1, 1) + timedelta(i),
                                    hours=1.5, activity=f"Reading {i}", provider="Library")
                           for i in range(n))
        db.session.add_all(Notification(user_id=user_id, message=f"Note {i}") for i in range(n))
        db.session.commit()


@pytest.fixture
def trainee_client(app, client, catalogue, make_scheme, make_user):
    trainee = make_user(role="trainee", scheme=make_scheme())
    login_as(client, trainee)
    client.post("/courses/basics/enrol")
    client.post("/courses/basics/lessons/listening/why-listening-matters/done")
    client.post("/courses/basics/checks/listening",
                data=right_answers(client, "/courses/basics/checks/listening"))
    client.trainee_id = trainee.id
    return client


def _counts(client, count_queries):
    counts = {}
    for url in PAGES:
        client.get(url)  # first view may fill per-process caches (standards, content)
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = counter.count
    return counts


def test_learner_pages_stay_within_budget_at_two_sizes(app, trainee_client, count_queries):
    small = _counts(trainee_client, count_queries)
    over = {url: n for url, n in small.items() if n > BUDGET}
    assert over == {}
    _grow(app, trainee_client.trainee_id, 30)
    assert _counts(trainee_client, count_queries) == small


def test_the_header_counts_unread_notifications_with_the_session(app, trainee_client,
                                                                  count_queries):
    _grow(app, trainee_client.trainee_id, 3)
    with count_queries() as counter:
        page = trainee_client.get("/practice/").get_data(as_text=True)
    assert 'Notifications <span class="badge">3</span>' in page
    # read in the query that loads the person with their session, not one of its own
    assert [s for s in counter.statements if "notifications" in s and "auth_sessions" not in s] \
        == []
    trainee_client.post("/notifications/read")
    assert '<span class="badge">' not in trainee_client.get("/practice/").get_data(as_text=True)


def test_course_and_lesson_pages_read_the_outline_and_progress_once(trainee_client,
                                                                    count_queries):
    """The session, the course with the enrolment, and what was done (lessons, checks and
    live hours in one query); the lesson page adds its lesson and module in one query. The
    outline (modules and lessons as rows, without their bodies) is read on the first view
    of the version only: a version never changes."""
    forget_kept_outlines()
    with count_queries() as first:
        trainee_client.get("/courses/basics")
    outline_reads = [s for s in first.statements if "JOIN lessons" in s]
    assert len(outline_reads) == 1
    assert "body_html" not in outline_reads[0]
    counts = _counts(trainee_client, count_queries)
    assert counts["/courses/basics"] == first.count - 1 == 3
    assert counts["/courses/basics/lessons/listening/why-listening-matters"] == 4
    # the check page: the module and its question bank in one query, then the tally
    assert counts["/courses/basics/checks/listening"] == 4


def test_lesson_links_built_without_routing_are_the_routes_addresses(app):
    from flask import url_for

    from lms.learning.views import lesson_url
    for root in ("", "/lms"):
        with app.test_request_context("/", base_url=f"https://lms.example.org{root}/"):
            assert lesson_url("basics", "listening", "why-listening-matters") == url_for(
                "learning.courses.lesson", slug="basics", module_slug="listening",
                lesson_slug="why-listening-matters") == \
                f"{root}/courses/basics/lessons/listening/why-listening-matters"


def test_a_course_version_without_lessons_shows_no_progress_rather_than_failing(
        app, client, make_scheme, make_user):
    """The loader refuses a course without modules, but the database can hold one (made by
    hand, or by an older loader): its learner's pages show it with nothing to do."""
    from lms.learning.models import Course, CourseVersion, Enrolment
    from tests.helpers import login_as
    learner = make_user(role="trainee", scheme=make_scheme())
    with app.app_context():
        course = Course(slug="empty")
        db.session.add(course)
        db.session.flush()
        version = CourseVersion(
            course_id=course.id, number=1, content_hash="e" * 64, title="Empty course",
            summary="", pathway_stage="foundation", prerequisites=[], estimated_hours=1,
            pass_mark=80, max_attempts=None, live_required=False, live_hours=0)
        db.session.add(version)
        db.session.flush()
        course.current_version_id = version.id
        db.session.add(Enrolment(user_id=learner.id, course_id=course.id))
        db.session.commit()
    login_as(client, learner)
    for url in ("/", "/learning/", "/courses/empty"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Empty course" in response.get_data(as_text=True), url
