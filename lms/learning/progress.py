"""Progress through courses, computed for many enrolments in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from lms.extensions import db
from lms.learning.models import (
    CheckAttempt,
    Course,
    CourseVersion,
    Enrolment,
    Lesson,
    LessonCompletion,
    LiveSession,
    Module,
    SessionBooking,
    SkillAssessment,
)

#: What each status (a code, as in the learners filter) is called on pages and in exports.
STATUS_LABELS = {"not started": _l("Not started"), "in progress": _l("In progress"),
                 "completed": _l("Completed")}


@dataclass
class LessonRef:
    id: int
    slug: str
    title: str
    content_hash: str
    done: bool = False
    title_cy: str | None = None  #: the Welsh title, when translated


@dataclass
class ModuleProgress:
    id: int
    slug: str
    title: str
    order: int
    check_hash: str
    lessons: list[LessonRef] = field(default_factory=list)
    check_passed: bool = False
    title_cy: str | None = None  #: the Welsh title, when translated

    @property
    def lessons_done(self) -> int:
        return sum(lesson.done for lesson in self.lessons)

    @property
    def complete(self) -> bool:
        return self.check_passed and self.lessons_done == len(self.lessons)


@dataclass
class SkillProgress:
    """One skill of the course's assessed skills practice and its latest assessment."""

    key: str
    title: str
    stages: list[str]
    looks_for: str
    latest: SkillAssessment | None = None

    @property
    def passed(self) -> bool:
        return self.latest is not None and self.latest.passed

    @property
    def status(self) -> str:
        """"pass", "not_yet" or "not_assessed"."""
        return self.latest.result if self.latest is not None else "not_assessed"


class LearningStep(NamedTuple):
    """What a learner does next in a course: a lesson to read, or a module's check."""
    kind: str  #: "lesson" or "check"
    module: ModuleProgress
    lesson: LessonRef | None  #: None for a check


@dataclass
class CourseProgress:
    enrolment: Enrolment
    version: CourseVersion
    modules: list[ModuleProgress]
    live_hours: float = 0.0
    skills: list[SkillProgress] = field(default_factory=list)

    @property
    def steps_total(self) -> int:
        # every lesson, every knowledge check and every assessed skill is a step
        return sum(len(m.lessons) + 1 for m in self.modules) + len(self.skills)

    @property
    def steps_done(self) -> int:
        return (sum(m.lessons_done + m.check_passed for m in self.modules)
                + sum(s.passed for s in self.skills))

    @property
    def percent(self) -> int:
        return round(100 * self.steps_done / self.steps_total) if self.steps_total else 0

    @property
    def live_requirement_met(self) -> bool:
        return not self.version.live_required or self.live_hours >= self.version.live_hours

    @property
    def modules_complete(self) -> bool:
        return all(m.complete for m in self.modules)

    @property
    def skills_requirement_met(self) -> bool:
        """Every skill of the assessed skills practice passed (its latest assessment)."""
        return all(s.passed for s in self.skills)

    @property
    def complete(self) -> bool:
        """The one completion rule: lessons and checks, live hours, and assessed skills."""
        return self.modules_complete and self.live_requirement_met and self.skills_requirement_met

    @property
    def status(self) -> str:
        if self.enrolment.completed_at is not None:
            return "completed"
        started = self.steps_done or self.live_hours or any(s.latest for s in self.skills)
        return "in progress" if started else "not started"

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    def next_step(self) -> LearningStep | None:
        """The first lesson not done or check not passed; None when all are done."""
        for module in self.modules:
            for lesson in module.lessons:
                if not lesson.done:
                    return LearningStep("lesson", module, lesson)
            if not module.check_passed:
                return LearningStep("check", module, None)
        return None


def progress_for(enrolments: Sequence[Enrolment]) -> dict[int, CourseProgress]:
    """Progress of each enrolment (by id) against its course's current version.

    Six queries whatever the number of enrolments, courses, modules or lessons.
    """
    if not enrolments:
        return {}
    versions = _current_versions(enrolments)
    modules_by_version = _modules(versions)
    ids = [e.id for e in enrolments]
    done = _pairs(select(LessonCompletion.enrolment_id, LessonCompletion.lesson_hash)
                  .where(LessonCompletion.enrolment_id.in_(ids)))
    passed = _pairs(select(CheckAttempt.enrolment_id, CheckAttempt.check_hash).distinct()
                    .where(CheckAttempt.enrolment_id.in_(ids), CheckAttempt.passed.is_(True)))
    hours = _live_hours(enrolments)
    assessed = _latest_assessments(enrolments, versions)
    result = {}
    for enrolment in enrolments:
        version = versions[enrolment.course_id]
        modules = [_fill(m, done[enrolment.id], passed[enrolment.id])
                   for m in modules_by_version[version.id]]
        latest = assessed.get(enrolment.id, {})
        skills = [SkillProgress(s["key"], s["title"], list(s["stages"]), s["looks_for"],
                                latest.get(s["key"])) for s in version.skills]
        result[enrolment.id] = CourseProgress(
            enrolment, version, modules, hours.get((enrolment.user_id, enrolment.course_id), 0.0),
            skills,
        )
    return result


def _latest_assessments(enrolments, versions) -> dict[int, dict[str, SkillAssessment]]:
    """{enrolment id: {skill key: latest assessment}}, for courses with skills practice."""
    ids = [e.id for e in enrolments if versions[e.course_id].skills]
    found: dict[int, dict[str, SkillAssessment]] = defaultdict(dict)
    if not ids:
        return found
    for assessment in db.session.scalars(
            select(SkillAssessment).where(SkillAssessment.enrolment_id.in_(ids))
            .order_by(SkillAssessment.assessed_on, SkillAssessment.id)):
        found[assessment.enrolment_id][assessment.skill_key] = assessment  # later wins
    return found


def _current_versions(enrolments) -> dict[int, CourseVersion]:
    course_ids = {e.course_id for e in enrolments}
    rows = db.session.execute(
        select(Course.id, CourseVersion)
        .join(CourseVersion, Course.current_version_id == CourseVersion.id)
        .where(Course.id.in_(course_ids))
    )
    return {course_id: version for course_id, version in rows}


def _modules(versions: dict[int, CourseVersion]) -> dict[int, list[ModuleProgress]]:
    rows = db.session.execute(
        select(Module.id, Module.version_id, Module.slug, Module.title, Module.order,
               Module.check_hash, Lesson.id, Lesson.slug, Lesson.title, Lesson.content_hash,
               Module.title_cy, Lesson.title_cy)
        .join(Lesson, Lesson.module_id == Module.id)
        .where(Module.version_id.in_([v.id for v in versions.values()]))
        .order_by(Module.version_id, Module.order, Lesson.order)
    )
    by_version: dict[int, dict[int, ModuleProgress]] = defaultdict(dict)
    for (module_id, version_id, slug, title, order, check_hash,
         lesson_id, lesson_slug, lesson_title, lesson_hash, module_cy, lesson_cy) in rows:
        module = by_version[version_id].setdefault(
            module_id, ModuleProgress(module_id, slug, title, order, check_hash,
                                      title_cy=module_cy))
        module.lessons.append(LessonRef(lesson_id, lesson_slug, lesson_title, lesson_hash,
                                        title_cy=lesson_cy))
    return {version_id: list(modules.values()) for version_id, modules in by_version.items()}


def _pairs(query) -> dict[int, set[str]]:
    found: dict[int, set[str]] = defaultdict(set)
    for enrolment_id, value in db.session.execute(query):
        found[enrolment_id].add(value)
    return found


def _live_hours(enrolments) -> dict[tuple[int, int], float]:
    rows = db.session.execute(
        select(SessionBooking.user_id, LiveSession.course_id,
               func.coalesce(func.sum(SessionBooking.hours_attended), 0.0))
        .join(SessionBooking.session)
        .where(SessionBooking.user_id.in_({e.user_id for e in enrolments}),
               LiveSession.course_id.in_({e.course_id for e in enrolments}),
               SessionBooking.attended.is_(True))
        .group_by(SessionBooking.user_id, LiveSession.course_id)
    )
    return {(user_id, course_id): float(total or 0.0) for user_id, course_id, total in rows}


def _fill(template: ModuleProgress, done_hashes: set[str], passed_hashes: set[str]):
    return ModuleProgress(
        template.id, template.slug, template.title, template.order, template.check_hash,
        lessons=[LessonRef(ref.id, ref.slug, ref.title, ref.content_hash,
                           ref.content_hash in done_hashes, title_cy=ref.title_cy)
                 for ref in template.lessons],
        check_passed=template.check_hash in passed_hashes, title_cy=template.title_cy,
    )
