"""A small scheme whose right answers are known, built directly in the database."""

import itertools
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from lms import clock
from lms.accreditation.models import AccreditationRecord, Application, StandardVersion
from lms.extensions import db
from lms.learning.models import Course, CourseVersion, Enrolment, LessonCompletion
from lms.practice.models import PracticeRecord, SupervisionSession
from lms.schemes.models import Sector

_codes = itertools.count(1)


def practice(author, scheme, *, kind="formal_conference", direct=True, harm="violence",
             status="signed off", occurred=None, supervisor=None):
    return PracticeRecord(
        author_id=author.id, case_code=f"RJ-R-{next(_codes)}", scheme_id=scheme.id,
        occurred_on=occurred or clock.today() - timedelta(days=20), sector="prison",
        process_type=kind, direct=direct, face_to_face=direct, harm_category=harm,
        practitioner_role="lead", stages=["delivery"], reflection="x", status=status,
        supervisor_id=supervisor.id if supervisor else None,
        requested_at=clock.utcnow() - timedelta(days=4) if status == "awaiting sign-off"
        else None)


def record(holder, scheme, version, level, status, expires_in):
    today = clock.today()
    return AccreditationRecord(
        public_id=f"R{next(_codes):03d}-AAAA-BBBB-CCCC", holder_id=holder.id, level_key=level,
        level_name={"foundation": "Foundation practitioner",
                    "intermediate": "Intermediate practitioner"}[level],
        standard_version_id=version.id, scheme_id=scheme.id, issued_on=today - timedelta(300),
        expires_on=today + timedelta(days=expires_in), status=status, decision={})


@pytest.fixture
def known_scheme(app, make_scheme, make_user):
    """Scheme A: p1 foundation active, p2 foundation expiring (30 days), p3 intermediate
    lapsed; p2 never supervised and p3 last supervised 100 days ago (both overdue);
    practice in the last year: 2 formal direct (violence), 1 indirect (debt), 1 informal
    direct (bullying) and 1 awaiting sign-off (bullying), plus a draft (not counted);
    course X: p1 completed, p2 in progress, p3 not started; one application waiting.
    Scheme B has a record, practice and an enrolment that must never show in A."""
    a = make_scheme(name="Scheme A", slug="scheme-a", sector=Sector.PRISON, region="Wales")
    b = make_scheme(name="Scheme B", slug="scheme-b", sector=Sector.SCHOOL, region="London")
    lead = make_user("lead.a", role="lead", scheme=a)
    p1, p2, p3 = (make_user(f"p{n}", role="trainee", scheme=a, display_name=name)
                  for n, name in ((1, "Alpha Ash"), (2, "Bravo Birch"), (3, "Charlie Cedar")))
    sup = make_user("sup.a", role="supervisor", scheme=a)
    outsider = make_user("outsider", role="trainee", scheme=b, display_name="Outsider")
    with app.app_context():
        version = StandardVersion(content_hash="k" * 64, levels={
            "foundation": {"name": "Foundation practitioner", "validity_months": 12,
                           "depends_on": None}})
        db.session.add(version)
        db.session.flush()
        db.session.add_all([
            record(p1, a, version, "foundation", "active", 200),
            record(p2, a, version, "foundation", "expiring", 30),
            record(p3, a, version, "intermediate", "lapsed", -10),
            record(outsider, b, version, "foundation", "expiring", 20),
        ])
        today = clock.today()
        db.session.add_all([
            practice(p1, a), practice(p1, a),
            practice(p2, a, kind="indirect", direct=False, harm="debt"),
            practice(p3, a, kind="informal_meeting", harm="bullying"),
            practice(p3, a, harm="bullying", status="awaiting sign-off", supervisor=sup),
            practice(p2, a, status="draft"),
            practice(outsider, b),
        ])
        db.session.add_all([
            SupervisionSession(supervisor_id=sup.id, practitioner_id=p1.id, scheme_id=a.id,
                               held_on=today - timedelta(days=10), duration_minutes=60,
                               supervisor_confirmed_at=clock.utcnow(),
                               practitioner_confirmed_at=clock.utcnow()),
            SupervisionSession(supervisor_id=sup.id, practitioner_id=p3.id, scheme_id=a.id,
                               held_on=today - timedelta(days=100), duration_minutes=60,
                               supervisor_confirmed_at=clock.utcnow(),
                               practitioner_confirmed_at=clock.utcnow()),
        ])
        course = Course(slug="course-x")
        db.session.add(course)
        db.session.flush()
        course_version = CourseVersion(
            course_id=course.id, number=1, content_hash="c" * 64, title="Course X", summary="",
            pathway_stage="foundation", prerequisites=[], estimated_hours=1, pass_mark=80,
            max_attempts=None, live_required=False, live_hours=0)
        db.session.add(course_version)
        db.session.flush()
        course.current_version_id = course_version.id
        done = Enrolment(user_id=p1.id, course_id=course.id, scheme_id=a.id,
                         completed_at=clock.utcnow())
        # progress is recorded through the services, which note when the learner started
        started = Enrolment(user_id=p2.id, course_id=course.id, scheme_id=a.id,
                            started_at=clock.utcnow())
        db.session.add_all([done, started,
                            Enrolment(user_id=p3.id, course_id=course.id, scheme_id=a.id),
                            Enrolment(user_id=outsider.id, course_id=course.id,
                                      scheme_id=b.id)])
        db.session.flush()
        db.session.add(LessonCompletion(enrolment_id=started.id, lesson_hash="h" * 64))
        db.session.add(Application(applicant_id=p2.id, level_key="foundation",
                                   standard_version_id=version.id, scheme_id=a.id,
                                   snapshot={"results": []}))
        db.session.commit()
        course_id = course.id
    return SimpleNamespace(a=a, b=b, lead=lead, p1=p1, p2=p2, p3=p3, sup=sup,
                           outsider=outsider, course_id=course_id, today=date.today())
