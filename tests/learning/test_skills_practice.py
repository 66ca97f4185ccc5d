"""Issue 17: assessed skills practice. A trainer marks each skill of a learner's role-play or
observed practice "pass" or "not yet" with feedback; the course is complete only when every
skill has passed; nobody assesses themselves; it is audited; the learner sees where they
stand and what "not yet" means."""

import textwrap
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.extensions import db
from lms.learning import skills
from lms.learning.content import read_catalogue
from lms.learning.models import Course, Enrolment, SkillAssessment
from lms.learning.services import LearningError, progress_of
from lms.yaml_files import default_courses_path
from tests.helpers import login_as
from tests.learning.conftest import check_yaml, course_yaml, load, module_md, right_answers

PAGE = "/courses/roleplay/skills-practice"
NOT_YET = "Not yet means practise the points in the feedback and ask for another go."
SKILLS_BLOCK = textwrap.dedent(f"""\
    skills_practice:
      not_yet: {NOT_YET}
      skills:
        - key: preparing
          title: Preparing a participant
          stages: [preparation]
          looks_for: Explains choices and gains informed consent.
        - key: facilitating
          title: Facilitating a meeting
          stages: [delivery]
          looks_for: Uses restorative questions and stays impartial.
    """)
STAGES_FILE = textwrap.dedent("""\
    source: Test framework
    covered_by: roleplay
    units:
      U1: A unit
    stages:
      preparation: Preparing participants
      delivery: Delivery
    """)


def write_roleplay(root, block=SKILLS_BLOCK, stages_file=True):
    files = {
        "roleplay/course.yaml": course_yaml("Role-play") + block,
        "roleplay/01-practice.md": module_md("Practice", 1, [("Before you practise",
                                                             "Read this first.")]),
        "roleplay/01-practice.check.yaml": check_yaml(),
    }
    if stages_file:
        files["occupational-standards.yaml"] = STAGES_FILE
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@pytest.fixture
def course(app, tmp_path, make_scheme, make_user):
    root = write_roleplay(tmp_path / "courses")
    load(app, root)
    scheme, other = make_scheme(), make_scheme()
    people = {"trainer": make_user(role="trainer", scheme=scheme),
              "learner": make_user(role="trainee", scheme=scheme),
              "other_trainer": make_user(role="trainer", scheme=other)}
    # A trainer who is also a learner on the course, in the same scheme.
    people["trainer_learning"] = make_user(roles=[(scheme, "trainer"), (scheme, "trainee")])
    with app.app_context():
        course_id = db.session.scalar(select(Course.id).where(Course.slug == "roleplay"))
        for key in ("learner", "trainer_learning"):
            db.session.add(Enrolment(user_id=people[key].id, course_id=course_id,
                                     scheme_id=scheme.id))
        db.session.commit()
        people["enrolment"] = db.session.scalar(select(Enrolment.id).where(
            Enrolment.user_id == people["learner"].id))
        people["own_enrolment"] = db.session.scalar(select(Enrolment.id).where(
            Enrolment.user_id == people["trainer_learning"].id))
    return people


def _assess(client, people, skill="preparing", result="pass", feedback=None, learner=None,
            assessed_on=None):
    return client.post(PAGE, data={
        "learner": learner or people["enrolment"], "skill": skill, "result": result,
        "method": "role_play", "assessed_on": (assessed_on or date.today()).isoformat(),
        "feedback": feedback or "Clear explanation of the choices; check understanding more.",
    })


def _finish_lessons_and_check(client):
    client.post("/courses/roleplay/lessons/practice/before-you-practise/done")
    url = "/courses/roleplay/checks/practice"
    assert client.post(url, data=right_answers(client, url)).status_code in (200, 302)


def _completed(app, enrolment_id):
    with app.app_context():
        return db.session.get(Enrolment, enrolment_id).completed_at is not None


# --- course data ---------------------------------------------------------------------------

def test_courses_check_reports_bad_skills_practice(tmp_path):
    bad = textwrap.dedent("""\
        skills_practice:
          skills:
            - key: preparing
              title: Preparing
              stages: [preparation, dancing]
              looks_for: Consent.
            - key: preparing
              title: Again
              stages: [delivery]
        """)
    _courses, problems = read_catalogue(write_roleplay(tmp_path / "courses", bad))
    messages = [p.message for p in problems if p.path == "courses/roleplay/course.yaml"]
    assert "missing field 'not_yet'" in messages
    assert "unknown stage 'dancing'" in messages
    assert "missing field 'looks_for'" in messages
    assert any(m.startswith("duplicate skill key 'preparing'") for m in messages)
    assert _courses == []  # a course with a problem is not loaded


def test_a_good_block_is_read_into_the_course_and_changes_its_hash(tmp_path):
    with_block, problems = read_catalogue(write_roleplay(tmp_path / "a"))
    without, _ = read_catalogue(write_roleplay(tmp_path / "b", block=""))
    assert problems == []
    spec = with_block[0].skills_practice
    assert [s.key for s in spec.skills] == ["preparing", "facilitating"]
    assert spec.not_yet == NOT_YET
    assert without[0].skills_practice is None
    assert with_block[0].content_hash != without[0].content_hash


def test_the_shipped_facilitator_course_requires_assessed_skills_practice():
    courses, problems = read_catalogue(default_courses_path())
    assert problems == []
    facilitator = next(c for c in courses if c.slug == "facilitator")
    assert facilitator.skills_practice is not None
    assert len(facilitator.skills_practice.skills) >= 3
    covered = {stage for s in facilitator.skills_practice.skills for stage in s.stages}
    assert {"preparation", "delivery", "outcomes"} <= covered
    foundation = next(c for c in courses if c.slug == "foundation")
    assert foundation.skills_practice is None


# --- the completion rule -------------------------------------------------------------------

def test_completion_waits_for_every_skill_and_the_latest_result_counts(app, client, course):
    login_as(client, course["learner"])
    _finish_lessons_and_check(client)
    assert not _completed(app, course["enrolment"])  # lessons and checks alone: not enough
    client.post("/logout")

    login_as(client, course["trainer"])
    assert _assess(client, course, "preparing", "pass").status_code == 302
    assert _assess(client, course, "facilitating", "not_yet").status_code == 302
    assert not _completed(app, course["enrolment"])
    with app.app_context():
        progress = progress_of(db.session.get(Enrolment, course["enrolment"]))
        assert [s.status for s in progress.skills] == ["pass", "not_yet"]
        assert not progress.skills_requirement_met

    assert _assess(client, course, "facilitating", "pass").status_code == 302
    assert _completed(app, course["enrolment"])
    with app.app_context():
        events = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.object_type == "enrolment",
            AuditEvent.object_id == str(course["enrolment"]))).all()
        assert "learning.course_completed" in events


def test_a_later_not_yet_withdraws_a_pass(app, course):
    with app.test_request_context():
        enrolment = db.session.get(Enrolment, course["enrolment"])
        trainer = db.session.get(User, course["trainer"].id)
        version = enrolment.course.current_version
        day = date.today() - timedelta(days=3)
        for n, result in enumerate(("pass", "not_yet")):
            skills.record_assessment(enrolment, version, skill_key="preparing", result=result,
                                     method="observation", feedback="Seen live.",
                                     assessed_on=day + timedelta(days=n), by=trainer)
        progress = progress_of(enrolment)
        assert progress.skills[0].status == "not_yet"
        assert progress.steps_done == 0
        db.session.rollback()


# --- who may assess ------------------------------------------------------------------------

def test_nobody_assesses_themselves(app, client, course):
    login_as(client, course["trainer_learning"])
    page = client.get(PAGE).get_data(as_text=True)
    assert f'value="{course["own_enrolment"]}"' not in page  # not offered
    response = _assess(client, course, learner=course["own_enrolment"])
    assert response.status_code == 400
    with app.test_request_context():
        me = db.session.get(User, course["trainer_learning"].id)
        own = db.session.get(Enrolment, course["own_enrolment"])
        with pytest.raises(LearningError, match="your own"):
            skills.record_assessment(own, own.course.current_version, skill_key="preparing",
                                     result="pass", method="role_play", feedback="Fine.",
                                     assessed_on=date.today(), by=me)
        db.session.rollback()
        assert db.session.scalar(select(SkillAssessment.id)) is None


def test_learners_and_trainers_of_other_schemes_cannot_assess(app, client, course):
    login_as(client, course["learner"])
    assert client.get(PAGE).status_code == 403
    assert _assess(client, course).status_code == 403
    client.post("/logout")
    login_as(client, course["other_trainer"])
    assert f'value="{course["enrolment"]}"' not in client.get(PAGE).get_data(as_text=True)
    assert _assess(client, course).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(SkillAssessment.id)) is None


def test_a_course_without_skills_practice_has_no_page(client, catalogue, make_user,
                                                      make_scheme):
    login_as(client, make_user(role="trainer", scheme=make_scheme()))
    assert client.get("/courses/basics/skills-practice").status_code == 404


# --- privacy and audit ---------------------------------------------------------------------

def test_feedback_naming_a_participant_is_refused(app, client, course):
    login_as(client, course["trainer"])
    response = _assess(client, course, feedback="Met Jamie and his mum Sharon at the YOT "
                                                 "office and it went well.")
    assert response.status_code == 400
    assert "Feedback for the learner" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(SkillAssessment.id)) is None


def test_each_result_is_audited_without_the_feedback_text(app, client, course):
    login_as(client, course["trainer"])
    _assess(client, course, "facilitating", "not_yet", feedback="Slow down the opening.")
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "learning.skill_assessed"))
        assert event.actor_id == course["trainer"].id
        assert event.payload["skill"] == "facilitating"
        assert event.payload["result"] == "not_yet"
        assert event.payload["user_id"] == course["learner"].id
        assert "Slow down" not in str(event.payload)


def test_a_future_date_is_refused(app, client, course):
    login_as(client, course["trainer"])
    response = _assess(client, course, assessed_on=date.today() + timedelta(days=2))
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(SkillAssessment.id)) is None


# --- what people see -----------------------------------------------------------------------

def test_the_learner_sees_each_skill_the_feedback_and_what_not_yet_means(app, client, course):
    login_as(client, course["learner"])
    page = client.get("/courses/roleplay").get_data(as_text=True)
    assert "Assessed skills practice" in page
    assert "Uses restorative questions and stays impartial." in page
    assert page.count("not assessed yet") == 2
    assert NOT_YET not in page  # shown only once there is a "not yet"
    client.post("/logout")

    login_as(client, course["trainer"])
    _assess(client, course, "preparing", "pass", feedback="Consent explained clearly.")
    _assess(client, course, "facilitating", "not_yet", feedback="Let each person finish.")
    client.post("/logout")

    login_as(client, course["learner"])
    page = client.get("/courses/roleplay").get_data(as_text=True)
    assert f"passed on {date.today().isoformat()}" in page
    assert f"not yet ({date.today().isoformat()})" in page
    assert "Let each person finish." in page
    assert "Consent explained clearly." in page
    assert NOT_YET in page
    assert PAGE not in page  # the trainers' link is not offered to learners


def test_the_trainer_page_shows_where_each_learner_stands_in_fixed_queries(
        app, client, course, make_user, count_queries):
    login_as(client, course["trainer"])
    _assess(client, course, "preparing", "not_yet")
    with count_queries() as before:
        page = client.get(PAGE).get_data(as_text=True)
    assert "Not yet" in page
    assert "Not assessed" in page
    with app.app_context():
        course_id = db.session.scalar(select(Course.id).where(Course.slug == "roleplay"))
        scheme_id = db.session.get(Enrolment, course["enrolment"]).scheme_id
        for n in range(4):
            user = User(username=f"extra{n}", display_name=f"Extra {n}")
            db.session.add(user)
            db.session.flush()
            db.session.add(Enrolment(user_id=user.id, course_id=course_id,
                                     scheme_id=scheme_id))
        db.session.commit()
    with count_queries() as after:
        client.get(PAGE)
    assert after.count == before.count


def test_the_course_page_names_each_assessor_without_a_query_each(app, client, course,
                                                                  make_user, count_queries):
    """Two trainers assessed the learner: their names come with the assessments."""
    from types import SimpleNamespace

    from lms.schemes.models import Membership
    with app.app_context():
        scheme_id = db.session.scalar(select(Membership.scheme_id).where(
            Membership.user_id == course["trainer"].id))
    second = make_user(role="trainer", scheme=SimpleNamespace(id=scheme_id))
    for trainer, skill in ((course["trainer"], "preparing"), (second, "facilitating")):
        login_as(client, trainer)
        assert _assess(client, course, skill, "not_yet").status_code == 302
        client.post("/logout")
    login_as(client, course["learner"])
    client.get("/courses/roleplay")
    with count_queries() as counter:
        page = client.get("/courses/roleplay").get_data(as_text=True)
    assert f"Feedback from {course['trainer'].display_name}" in page
    assert f"Feedback from {second.display_name}" in page
    assert not [s for s in counter.statements if s.lstrip().upper().startswith("SELECT USERS")]
    assert counter.count == 4  # session, course and enrolment, done, assessments (outline kept)
