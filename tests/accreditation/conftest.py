"""Practitioners with evidence, built directly in the database."""

import itertools
from datetime import timedelta

import pytest

from lms import clock
from lms.accreditation.models import Attestation, Observation
from lms.extensions import db
from lms.learning.models import Course, CourseVersion, Enrolment
from lms.practice.models import Assessment, CpdEntry, PracticeRecord, SupervisionSession

COURSES = ["foundation", "facilitator", "sensitive-complex", "case-supervision", "trainer"]
_codes = itertools.count(1)


@pytest.fixture
def give_evidence(app):
    """give_evidence(user, supervisor, courses=..., records=N, sensitive=N, cpd=hours,
    observed=N). Sensitive cases are co-facilitated (only advanced practitioners lead them);
    with `supervised_every` (days), supervision is that often for the past year, the last
    `supervised_days_ago` days ago."""

    def give(user, supervisor, *, courses=("foundation", "facilitator"), records=6,
             sensitive=0, cpd_hours=20.0, supervised_days_ago=14,
             attestations=("code_of_practice",), observed=1, supervised_every=None):
        today = clock.today()
        with app.app_context():
            scheme_id = _scheme_of(user.id)
            for slug in courses:
                course = _course(slug)
                db.session.add(Enrolment(user_id=user.id, course_id=course.id,
                                         completed_at=clock.utcnow() - timedelta(days=200)))
            for n in range(records + sensitive):
                record = PracticeRecord(
                    author_id=user.id, case_code=f"RJ-T-{next(_codes)}", scheme_id=scheme_id,
                    occurred_on=today - timedelta(days=30 + n), sector="prison",
                    process_type="formal_conference", direct=True, face_to_face=True,
                    sensitive=n >= records, harm_category="violence",
                    practitioner_role="co_facilitator" if n >= records else "lead",
                    stages=["delivery"], reflection="Fine.", status="signed off",
                    signed_off_at=clock.utcnow() - timedelta(days=20 + n))
                record.assessments.append(Assessment(supervisor_id=supervisor.id,
                                                     outcome="signed off", ratings={}))
                db.session.add(record)
            if supervised_days_ago is not None:
                days = (range(supervised_days_ago, 366 + supervised_every, supervised_every)
                        if supervised_every else [supervised_days_ago])
                for ago in days:
                    db.session.add(SupervisionSession(
                        supervisor_id=supervisor.id, practitioner_id=user.id,
                        scheme_id=scheme_id, held_on=today - timedelta(days=ago),
                        duration_minutes=60, supervisor_confirmed_at=clock.utcnow(),
                        practitioner_confirmed_at=clock.utcnow()))
            for n in range(observed):
                db.session.add(Observation(
                    practitioner_id=user.id, observer_id=supervisor.id, scheme_id=scheme_id,
                    observed_on=today - timedelta(days=25 + n), mode="live",
                    stages=["delivery"], outcome="meets the standard",
                    feedback="Clear, calm delivery."))
            if cpd_hours:
                db.session.add(CpdEntry(user_id=user.id, done_on=today - timedelta(days=40),
                                        hours=cpd_hours, activity="Course", provider="Hub",
                                        approved=True))
            for key in attestations:
                db.session.add(Attestation(user_id=user.id, key=key))
            db.session.commit()

    return give


def _scheme_of(user_id):
    from sqlalchemy import select

    from lms.schemes.models import Membership
    return db.session.scalar(select(Membership.scheme_id).where(Membership.user_id == user_id))


def _course(slug):
    from sqlalchemy import select
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    if course is None:
        course = Course(slug=slug)
        db.session.add(course)
        db.session.flush()
        version = CourseVersion(course_id=course.id, number=1, content_hash=slug * 2,
                                title=slug.replace("-", " ").capitalize(), summary="",
                                pathway_stage="foundation", prerequisites=[], estimated_hours=1,
                                pass_mark=80, max_attempts=None, live_required=False,
                                live_hours=0)
        db.session.add(version)
        db.session.flush()
        course.current_version_id = version.id
    return course


@pytest.fixture
def people(make_scheme, make_user):
    from types import SimpleNamespace
    scheme = make_scheme(name="HMP Accredit", slug="hmp-accredit", region="Wales")
    other = make_scheme(name="Elsewhere", slug="elsewhere")
    return SimpleNamespace(
        scheme=scheme, other=other,
        practitioner=make_user(role="trainee", scheme=scheme, display_name="Ana Practitioner"),
        supervisor=make_user(role="supervisor", scheme=scheme),
        lead=make_user(role="lead", scheme=scheme),
        other_lead=make_user(role="lead", scheme=other),
        assessor=make_user(display_name="Independent Assessor"),
        admin=make_user(is_admin=True),
    )


@pytest.fixture
def make_assessor(app):
    def make(user):
        from lms.auth.models import User
        with app.app_context():
            db.session.get(User, user.id).is_assessor = True
            db.session.commit()
    return make

