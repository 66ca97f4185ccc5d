"""Each role's home says what is waiting, with links; navigation is grouped by what people do."""

import re
from datetime import date, timedelta
from pathlib import Path

from lms import clock
from lms.extensions import db
from lms.learning.models import Course, LiveSession, SessionBooking
from lms.practice.models import PracticeRecord, PracticeStatus, SupervisionSession
from tests.helpers import login_as


def _record(author, scheme, *, status, supervisor=None, code):
    return PracticeRecord(case_code=code, author_id=author.id, scheme_id=scheme.id,
                          occurred_on=date(2026, 10, 1), sector="prison",
                          process_type="formal_conference", direct=True, face_to_face=True,
                          harm_category="violence", practitioner_role="lead",
                          stages=["preparation"], status=status,
                          supervisor_id=supervisor.id if supervisor else None,
                          requested_at=clock.utcnow())


def test_a_supervisor_home_counts_what_waits_and_links_to_it(app, make_scheme, make_user):
    scheme = make_scheme()
    supervisor = make_user(role="supervisor", scheme=scheme)
    trainee = make_user(role="trainee", scheme=scheme)
    with app.app_context():
        db.session.add_all([
            _record(trainee, scheme, status=PracticeStatus.AWAITING_SIGN_OFF,
                    supervisor=supervisor, code="RJ-2026-AAAAA1"),
            _record(trainee, scheme, status=PracticeStatus.AWAITING_SIGN_OFF,
                    supervisor=supervisor, code="RJ-2026-AAAAA2"),
            _record(trainee, scheme, status=PracticeStatus.RETURNED, code="RJ-2026-AAAAA3"),
            SupervisionSession(supervisor_id=supervisor.id, practitioner_id=trainee.id,
                               scheme_id=scheme.id, held_on=date(2026, 11, 1),
                               duration_minutes=60, supervisor_confirmed_at=None),
        ])
        db.session.commit()
    page = login_as(app, supervisor).get("/").get_data(as_text=True)
    assert '<a href="/supervision/queue">2 practice records to assess</a>' in page
    assert '<a href="/supervision/">1 supervision session to confirm</a>' in page
    trainee_page = login_as(app, trainee).get("/").get_data(as_text=True)
    assert '<a href="/practice/">1 practice record returned to you</a>' in trainee_page
    assert '<a href="/supervision/">1 supervision session to confirm</a>' in trainee_page
    assert "Your next accreditation step" in trainee_page
    assert "to assess" not in trainee_page


def test_a_trainer_home_lists_sessions_this_week_and_attendance_to_record(
        app, make_scheme, make_user):
    scheme = make_scheme()
    trainer = make_user(role="trainer", scheme=scheme)
    learner = make_user(role="trainee", scheme=scheme)
    now = clock.utcnow()
    with app.app_context():
        course = Course(slug="c1")
        db.session.add(course)
        db.session.flush()
        past = LiveSession(course_id=course.id, scheme_id=scheme.id, trainer_id=trainer.id,
                           starts_at=now - timedelta(days=2, hours=3),
                           ends_at=now - timedelta(days=2), location="Room 1", capacity=5,
                           booked_count=1)
        soon = LiveSession(course_id=course.id, scheme_id=scheme.id, trainer_id=trainer.id,
                           starts_at=now + timedelta(days=2),
                           ends_at=now + timedelta(days=2, hours=3), location="Room 2",
                           capacity=5, booked_count=1)
        db.session.add_all([past, soon])
        db.session.flush()
        db.session.add_all([SessionBooking(session_id=past.id, user_id=learner.id),
                            SessionBooking(session_id=soon.id, user_id=learner.id)])
        db.session.commit()
    page = login_as(app, trainer).get("/").get_data(as_text=True)
    assert '<a href="/sessions/">1 live session you run this week</a>' in page
    assert '<a href="/sessions/">1 past session needs its attendance recorded</a>' in page
    learner_page = login_as(app, learner).get("/").get_data(as_text=True)
    assert '<a href="/sessions/">1 live session booked</a>' in learner_page


def test_a_lead_home_shows_the_dashboard_tiles_as_links(app, make_scheme, make_user):
    scheme = make_scheme(slug="hmp-a")
    lead = make_user(role="lead", scheme=scheme)
    page = login_as(app, lead).get("/").get_data(as_text=True)
    assert ('<a class="tile-link" href="/reports/schemes/hmp-a#supervision-overdue">'
            '<span class="tile-count">0</span>') in page
    assert 'href="/reports/schemes/hmp-a">Open the' in page


def test_nothing_waiting_shows_no_to_do_list(app, make_scheme, make_user):
    person = make_user(role="trainee", scheme=make_scheme())
    page = login_as(app, person).get("/").get_data(as_text=True)
    assert "Waiting for you" not in page


def test_home_page_query_count_does_not_grow_with_the_data(app, make_scheme, make_user,
                                                          count_queries):
    scheme = make_scheme()
    supervisor = make_user(role="supervisor", scheme=scheme)
    client = login_as(app, supervisor)

    def queries():
        with count_queries() as counter:
            assert client.get("/").status_code == 200
        return counter.count

    before = queries()
    trainee = make_user(role="trainee", scheme=scheme)
    with app.app_context():
        db.session.add_all([_record(trainee, scheme, status=PracticeStatus.AWAITING_SIGN_OFF,
                                    supervisor=supervisor, code=f"RJ-2026-BBBB{n:02d}")
                            for n in range(20)])
        db.session.commit()
    assert queries() == before


def _main_nav(page: str) -> str:
    return page.split('<nav aria-label="Main" class="nav-wide">')[1].split("</nav>")[0]


def test_navigation_is_grouped_and_shows_only_what_roles_allow(app, make_scheme, make_user):
    scheme = make_scheme()
    admin = make_user(is_admin=True)
    trainee = make_user(role="trainee", scheme=scheme)
    admin_nav = _main_nav(login_as(app, admin).get("/").get_data(as_text=True))
    assert ">Administration<" in admin_nav
    assert ">Supervision<" in admin_nav
    # an administrator with no role in a scheme is not a learner
    assert ">Learning<" not in admin_nav
    assert ">Practice<" not in admin_nav
    trainee_client = login_as(app, trainee)
    trainee_nav = _main_nav(trainee_client.get("/").get_data(as_text=True))
    shown = [label for label in (">Home<", ">Learning<", ">Practice<", ">Supervision<",
                                 ">Scheme<", ">Administration<") if label in trainee_nav]
    assert shown == [">Home<", ">Learning<", ">Practice<", ">Scheme<"]
    # inside a group, its pages are in the sub-navigation, the current one marked
    cpd = trainee_client.get("/cpd/").get_data(as_text=True)
    subnav = cpd.split('<nav aria-label="Practice" class="subnav">')[1].split("</nav>")[0]
    assert '<a href="/cpd/" aria-current="page">CPD</a>' in subnav
    assert '<a href="/practice/">My practice log</a>' in subnav
    assert '<a href="/practice/" aria-current="true">Practice</a>' in _main_nav(cpd)


def test_phones_get_the_same_groups_behind_a_menu_that_needs_no_script(
        app, make_scheme, make_user):
    trainee = make_user(role="trainee", scheme=make_scheme())
    page = login_as(app, trainee).get("/").get_data(as_text=True)
    menu = page.split('<details class="nav-menu">')[1].split("</details>")[0]
    assert "<summary>Menu</summary>" in menu
    assert menu.count("<li>") == _main_nav(page).count("<li>")
    # The page's one script (forms and tables, static/js/site.js) leaves the menu alone.
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/js/site.js" defer>']
    assert "nav-menu" not in (Path(app.static_folder) / "js" / "site.js").read_text()


def test_counts_read_right_in_the_singular_and_plural():
    from lms.templating import plural
    assert plural(1, "place") == "1 place"
    assert plural(0, "place") == "0 places"
    assert plural(2, "person", "people") == "2 people"
    assert plural(1.0, "hour") == "1 hour"
    assert plural(2.5, "hour") == "2.5 hours"


def test_navigation_made_once_is_worded_in_each_page_language_and_for_each_role(
        app, make_scheme, make_user):
    """The groups are kept per language and combination of roles: two trainees share
    them, a Welsh page gets Welsh ones, and a lead never gets a trainee's."""
    scheme = make_scheme()
    first = login_as(app, make_user(role="trainee", scheme=scheme))
    second = login_as(app, make_user(role="trainee", scheme=scheme))
    lead = login_as(app, make_user(role="lead", scheme=scheme))
    english = _main_nav(first.get("/").get_data(as_text=True))
    assert ">Learning<" in english
    assert ">Scheme<" in english
    first.post("/language", data={"language": "cy", "next": "/"})
    welsh = first.get("/").get_data(as_text=True).split('class="nav-wide">')[1].split("</nav>")[0]
    assert ">Dysgu<" in welsh
    assert ">Ymarfer<" in welsh
    assert ">Learning<" not in welsh
    assert _main_nav(second.get("/").get_data(as_text=True)) == english
    lead_nav = _main_nav(lead.get("/").get_data(as_text=True))
    # the lead's Scheme group opens on the dashboards; the trainees' on their schemes
    assert 'href="/reports/">Scheme<' in lead_nav
    assert 'href="/reports/"' not in english
