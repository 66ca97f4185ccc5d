"""Demo learning records: courses under way and completed, sessions booked and attended."""

from datetime import timedelta

from sqlalchemy import select

from lms import clock
from lms.auth.models import User
from lms.extensions import db
from lms.learning.loader import load_from
from lms.learning.models import (
    CheckAttempt,
    Course,
    Enrolment,
    LessonCompletion,
    LiveSession,
    Module,
    SessionBooking,
    SkillAssessment,
)
from lms.schemes.models import Membership, Role, Scheme
from lms.yaml_files import default_courses_path

#: username -> [(course slug, how far: "done", a number of lessons, or 0 for not started)]
#: username: [(course slug, lessons done or "done")], oldest enrolment first
PLANS: dict[str, list[tuple[str, str | int]]] = {
    "prison.trainee1": [("foundation", "done"), ("facilitator", 9)],
    "prison.trainee2": [("foundation", 4)],
    "prison.trainee3": [("foundation", 0)],
    "school.trainee1": [("foundation", "done"), ("facilitator", "done")],
    "school.trainee2": [("foundation", 2)],
    "prison.supervisor": [("foundation", "done"), ("facilitator", "done"),
                          ("sensitive-complex", "done"), ("case-supervision", 3)],
    "school.supervisor": [("foundation", "done"), ("facilitator", "done"),
                          ("sensitive-complex", "done")],
    "prison.trainer": [("foundation", "done"), ("facilitator", "done"), ("trainer", "done")],
    "school.trainer": [("foundation", "done"), ("facilitator", "done"), ("trainer", 5)],
}


def load_learning_demo() -> str:
    if db.session.scalar(select(Course.id).limit(1)) is None:
        _report, problems = load_from(default_courses_path())
        if problems:
            return f"Course files have {len(problems)} problems; run `flask courses check`."
    courses = {c.slug: c for c in db.session.scalars(select(Course))}
    users = {u.username: u for u in db.session.scalars(select(User))}
    created = 0
    for username, plan in PLANS.items():
        for days_ago, (slug, how_far) in zip(range(300, 0, -70), plan, strict=False):
            if username in users and slug in courses:
                created += _ensure_enrolment(users[username], courses[slug], how_far, days_ago)
    _ensure_sessions(courses, users)
    _ensure_skills_practice()
    return f"Learning demo ready ({created} new enrolments)."


#: Skills practice under way: learner -> {skill key: (result, feedback)}. Completed courses
#: have every skill passed.
SKILLS_UNDER_WAY = {
    "prison.trainee1": {
        "assessing-suitability-and-risk": ("pass", "Clear questions about what happened and "
                                           "who was affected; risks named for both sides."),
        "preparing-a-participant": ("not_yet", "Explain the indirect option as fully as the "
                                    "meeting, and say that consent can be withdrawn."),
    },
}


def _ensure_skills_practice() -> None:
    """Skills results for enrolments on courses that assess them, by a lead of the
    learner's scheme (never the learner); enrolments already assessed are left alone."""
    assessed = set(db.session.scalars(select(SkillAssessment.enrolment_id)))
    for enrolment in db.session.scalars(select(Enrolment).join(Enrolment.course)):
        version = enrolment.course.current_version
        if enrolment.id in assessed or version is None or not version.skills:
            continue
        lead = db.session.scalar(select(Membership.user_id).where(
            Membership.scheme_id == enrolment.scheme_id, Membership.role == Role.LEAD,
            Membership.user_id != enrolment.user_id).limit(1))
        planned = SKILLS_UNDER_WAY.get(enrolment.user.username, {})
        if lead is None or not (enrolment.completed_at or planned):
            continue
        day = (enrolment.completed_at or clock.utcnow()).date() - timedelta(days=3)
        for skill in version.skills:
            result, feedback = (("pass", "Confident and well paced against every stage.")
                                if enrolment.completed_at else planned.get(skill["key"],
                                                                           (None, "")))
            if result:
                db.session.add(SkillAssessment(
                    enrolment_id=enrolment.id, skill_key=skill["key"], result=result,
                    method="role_play", feedback=feedback, assessed_on=day,
                    assessed_by_id=lead))
    db.session.flush()


def _ensure_enrolment(user, course, how_far, days_ago) -> int:
    exists = db.session.scalar(select(Enrolment.id).where(
        Enrolment.user_id == user.id, Enrolment.course_id == course.id))
    if exists:
        return 0
    started = clock.utcnow() - timedelta(days=days_ago)
    scheme_id = user.memberships[0].scheme_id if user.memberships else None
    enrolment = Enrolment(user_id=user.id, course_id=course.id, scheme_id=scheme_id,
                          enrolled_at=started)
    db.session.add(enrolment)
    db.session.flush()
    modules = db.session.scalars(select(Module).where(
        Module.version_id == course.current_version_id).order_by(Module.order)).all()
    lessons = [lesson for m in modules for lesson in m.lessons]
    count = len(lessons) if how_far == "done" else how_far
    if count:
        enrolment.started_at = started + timedelta(days=1)
    for n, lesson in enumerate(lessons[:count]):
        db.session.add(LessonCompletion(enrolment_id=enrolment.id, lesson_hash=lesson.content_hash,
                                        completed_at=started + timedelta(days=1 + n // 3)))
    done_lessons = {lesson.id for lesson in lessons[:count]}
    for module in modules:
        if all(lesson.id in done_lessons for lesson in module.lessons):
            _pass_check(enrolment, module, started + timedelta(days=20))
    if how_far == "done":
        enrolment.completed_at = started + timedelta(days=45)
        enrolment.completed_version_id = course.current_version_id
        if course.current_version.live_required:
            _attend_past_training(user, course, scheme_id, started + timedelta(days=30))
    db.session.flush()
    return 1


def _attend_past_training(user, course, scheme_id, first_day):
    """Live training of the course attended in full: one 6-hour session a day."""
    hours_left = course.current_version.live_hours
    day = first_day.replace(hour=9, minute=30, second=0, microsecond=0)
    while hours_left > 0:
        hours = min(6.0, hours_left)
        session = db.session.scalar(select(LiveSession).where(
            LiveSession.course_id == course.id, LiveSession.scheme_id == scheme_id,
            LiveSession.starts_at == day))
        if session is None:
            session = LiveSession(course_id=course.id, scheme_id=scheme_id, starts_at=day,
                                  ends_at=day + timedelta(hours=hours), capacity=16,
                                  location="Training room", booked_count=0)
            db.session.add(session)
        session.booked_count += 1
        session.bookings.append(SessionBooking(user_id=user.id, attended=True,
                                               hours_attended=hours))
        hours_left -= hours
        day += timedelta(days=1)


def _pass_check(enrolment, module, when):
    answers = {str(q.id): sorted(q.correct_indices) for q in module.questions}
    db.session.add(CheckAttempt(
        enrolment_id=enrolment.id, module_id=module.id, check_hash=module.check_hash, number=1,
        correct=len(module.questions), total=len(module.questions), passed=True,
        answers=answers, submitted_at=when))


SESSIONS = [
    # (scheme slug, trainer, course, days from now, hours, location, capacity, booked by)
    ("hmp-northfield", "prison.trainer", "facilitator", 21, 6, "Education block, room 4", 12,
     ["prison.trainee1"]),
    ("riverside-schools", "school.trainer", "facilitator", 14, 6, "Riverside High, library", 16,
     []),
    ("riverside-schools", "school.trainer", "sensitive-complex", 35, 4,
     "Online: joining link sent by email", 10, []),
]


def _ensure_sessions(courses, users):
    schemes = {s.slug: s for s in db.session.scalars(select(Scheme))}
    today = clock.utcnow().replace(hour=9, minute=30, second=0, microsecond=0)
    for slug, trainer, course, days, hours, location, capacity, attendees in SESSIONS:
        if db.session.scalar(select(LiveSession.id).where(
                LiveSession.scheme_id == schemes[slug].id, LiveSession.location == location,
                LiveSession.course_id == courses[course].id, LiveSession.ends_at > today)):
            continue
        start = today + timedelta(days=days)
        session = LiveSession(course_id=courses[course].id, scheme_id=schemes[slug].id,
                              trainer_id=users[trainer].id, starts_at=start,
                              ends_at=start + timedelta(hours=hours), location=location,
                              online=location.startswith("Online"), capacity=capacity,
                              booked_count=len(attendees))
        session.bookings = [SessionBooking(user_id=users[name].id) for name in attendees]
        db.session.add(session)
    db.session.flush()
