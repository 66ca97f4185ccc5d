"""Progress through courses, computed for many enrolments in a fixed number of queries."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import (
    BindParameter,
    Float,
    String,
    and_,
    bindparam,
    cast,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import joinedload

from lms.extensions import db
from lms.i18n import lazy_gettext as _l
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
    #: What the module teaches
    outcomes: list[str] = field(default_factory=list)
    outcomes_cy: list[str] | None = None

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


def progress_for(enrolments: Sequence[Enrolment],
                 versions: dict[int, CourseVersion] | None = None) -> dict[int, CourseProgress]:
    """Progress of each enrolment (by id) against its course's current version.

    Three queries whatever the number of enrolments, courses, modules or lessons: one fewer
    when the caller passes the current `versions`, {course id: version}, and one fewer when
    the process has read their outlines before (outlines()); one more when a course has
    assessed skills practice.
    """
    if not enrolments:
        return {}
    versions = versions or _current_versions(enrolments)
    modules_by_version = outlines(versions.values())
    done, passed, hours = _done(enrolments)
    assessed = _latest_assessments(enrolments, versions)
    result = {}
    for enrolment in enrolments:
        version = versions[enrolment.course_id]
        modules = [_fill(m, done[enrolment.id], passed[enrolment.id])
                   for m in modules_by_version.get(version.id, [])]  # none: no lessons
        latest = assessed.get(enrolment.id, {})
        skills = [SkillProgress(s["key"], s["title"], list(s["stages"]), s["looks_for"],
                                latest.get(s["key"])) for s in version.skills]
        result[enrolment.id] = CourseProgress(
            enrolment, version, modules, hours.get(enrolment.id, 0.0), skills)
    return result


def _latest_assessments(enrolments, versions) -> dict[int, dict[str, SkillAssessment]]:
    """{enrolment id: {skill key: latest assessment}}, for courses with skills practice."""
    ids = [e.id for e in enrolments if versions[e.course_id].skills]
    found: dict[int, dict[str, SkillAssessment]] = defaultdict(dict)
    if not ids:
        return found
    for assessment in db.session.scalars(_assessments_statement(), {"enrolments": ids}):
        found[assessment.enrolment_id][assessment.skill_key] = assessment  # later wins
    return found


@functools.cache
def _assessments_statement():
    return (select(SkillAssessment)
            .where(SkillAssessment.enrolment_id.in_(bindparam("enrolments", expanding=True)))
            .options(joinedload(SkillAssessment.assessed_by))  # the course page names them
            .order_by(SkillAssessment.assessed_on, SkillAssessment.id))


def _current_versions(enrolments) -> dict[int, CourseVersion]:
    course_ids = {e.course_id for e in enrolments}
    rows = db.session.execute(
        select(Course.id, CourseVersion)
        .join(CourseVersion, Course.current_version_id == CourseVersion.id)
        .where(Course.id.in_(course_ids))
    )
    return {course_id: version for course_id, version in rows}


# Statements a learner's every page runs are built once, on first use: composing one
# costs about as much as a simple query's round trip (lms.auth.services says more).

@functools.cache
def _outline_statement():
    return (select(Module.id, Module.version_id, Module.slug, Module.title, Module.order,
                   Module.check_hash, Module.title_cy, Module.outcomes, Module.outcomes_cy,
                   Lesson.id, Lesson.slug, Lesson.title, Lesson.content_hash, Lesson.title_cy)
            .join(Lesson, Lesson.module_id == Module.id)
            .where(Module.version_id.in_(bindparam("versions", expanding=True)))
            .order_by(Module.version_id, Module.order, Lesson.order))


#: Outlines this process has read, by (version id, content hash). A course version never
#: changes once loaded: changed files make a new version (lms.learning.loader), so what was
#: read stays true on every node, and the hash keeps a restored or reset database honest.
_kept_outlines: dict[tuple[int, str], list[ModuleProgress]] = {}
KEPT_OUTLINES = 512  #: far more versions than a catalogue has current at once


def outlines(versions: Iterable[CourseVersion]) -> dict[int, list[ModuleProgress]]:
    """{version id: its modules in order, each with its lessons and outcomes}, nothing
    done yet: a course's outline, read once per process (one query for those not read
    before; no lesson bodies). Versions without modules are left out. The outlines are
    shared by every request: read them, never change them (progress_for() copies)."""
    wanted = {(v.id, v.content_hash): v.id for v in versions}
    missing = [key for key in wanted if key not in _kept_outlines]
    if missing:
        read = _read_outlines([version_id for version_id, _hash in missing])
        if len(_kept_outlines) + len(missing) > KEPT_OUTLINES:
            _kept_outlines.clear()
        for key in missing:
            _kept_outlines[key] = read.get(key[0], [])
    return {version_id: _kept_outlines[key] for key, version_id in wanted.items()
            if _kept_outlines[key]}


def forget_kept_outlines() -> None:
    """For tests, whose database starts again from id 1 for every test."""
    _kept_outlines.clear()


def _read_outlines(version_ids: list[int]) -> dict[int, list[ModuleProgress]]:
    by_version: dict[int, dict[int, ModuleProgress]] = defaultdict(dict)
    for (module_id, version_id, slug, title, order, check_hash, module_cy, outcomes,
         outcomes_cy, lesson_id, lesson_slug, lesson_title, lesson_hash, lesson_cy) in (
            db.session.execute(_outline_statement(), {"versions": version_ids})):
        module = by_version[version_id].get(module_id)
        if module is None:
            module = by_version[version_id][module_id] = ModuleProgress(
                module_id, slug, title, order, check_hash, title_cy=module_cy,
                outcomes=outcomes or [], outcomes_cy=outcomes_cy)
        module.lessons.append(LessonRef(lesson_id, lesson_slug, lesson_title, lesson_hash,
                                        title_cy=lesson_cy))
    return {version_id: list(modules.values()) for version_id, modules in by_version.items()}


LESSON, CHECK, LIVE = "lesson", "check", "live"


@functools.cache
def _done_statement():
    """Lessons done (by content hash), checks passed (by check hash) and live hours
    attended (booked by the enrolment's person on its course) of some enrolments, as one
    list of (enrolment id, kind, hash, hours)."""
    ids: BindParameter[int] = bindparam("enrolments", expanding=True)
    no_hours = cast(null(), Float)
    return union_all(
        select(LessonCompletion.enrolment_id, literal_column(f"'{LESSON}'"),
               LessonCompletion.lesson_hash, no_hours)
        .where(LessonCompletion.enrolment_id.in_(ids)),
        select(CheckAttempt.enrolment_id, literal_column(f"'{CHECK}'"),
               CheckAttempt.check_hash, no_hours).distinct()
        .where(CheckAttempt.enrolment_id.in_(ids), CheckAttempt.passed.is_(True)),
        select(Enrolment.id, literal_column(f"'{LIVE}'"), cast(null(), String),
               func.sum(SessionBooking.hours_attended))
        .join(LiveSession, LiveSession.id == SessionBooking.session_id)
        .join(Enrolment, and_(Enrolment.user_id == SessionBooking.user_id,
                              Enrolment.course_id == LiveSession.course_id))
        .where(Enrolment.id.in_(ids), SessionBooking.attended.is_(True))
        .group_by(Enrolment.id),
    )


def _done(enrolments):
    """({enrolment id: lesson hashes done}, {enrolment id: check hashes passed},
    {enrolment id: live hours attended}), in one query."""
    done: dict[int, set[str]] = defaultdict(set)
    passed: dict[int, set[str]] = defaultdict(set)
    hours: dict[int, float] = {}
    for enrolment_id, kind, value, attended in db.session.execute(
            _done_statement(), {"enrolments": [e.id for e in enrolments]}):
        if kind == LESSON:
            done[enrolment_id].add(value)
        elif kind == CHECK:
            passed[enrolment_id].add(value)
        else:
            hours[enrolment_id] = float(attended or 0.0)
    return done, passed, hours


def _fill(template: ModuleProgress, done_hashes: set[str], passed_hashes: set[str]):
    return ModuleProgress(
        template.id, template.slug, template.title, template.order, template.check_hash,
        lessons=[LessonRef(ref.id, ref.slug, ref.title, ref.content_hash,
                           ref.content_hash in done_hashes, title_cy=ref.title_cy)
                 for ref in template.lessons],
        check_passed=template.check_hash in passed_hashes, title_cy=template.title_cy,
        outcomes=template.outcomes, outcomes_cy=template.outcomes_cy,
    )
