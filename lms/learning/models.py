"""Courses (versioned by content hash), enrolments, progress and live sessions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms import clock
from lms.auth.models import User
from lms.db_types import UTCDateTime
from lms.extensions import Model
from lms.i18n import lazy_gettext as _l
from lms.learning.languages import WELSH, Shown, page_language, shown
from lms.schemes.models import Scheme

#: A course's pathway stage (its place on the training pathway), in pathway order. Not a
#: stage of the facilitator's process: those are lms.practice.models.STAGES.
PATHWAY_STAGE_LABELS = {
    "foundation": _l("Foundation"),
    "facilitator": _l("Facilitator"),
    "advanced": _l("Advanced"),
    "supervision": _l("Case supervision"),
    "trainer": _l("Trainer"),
}


class Course(Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The course's folder name under courses/.
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    #: The version learners now study; older versions stay for completed records.
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_versions.id", use_alter=True, ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    current_version: Mapped[CourseVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"


class CourseVersion(Model):
    """The course as loaded from one state of its files."""

    __tablename__ = "course_versions"
    __table_args__ = (
        UniqueConstraint("course_id", "number"),
        UniqueConstraint("course_id", "content_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    number: Mapped[int]
    #: sha256 of the course's files; a change makes a new version.
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    #: Where the course sits on the training pathway (a key of PATHWAY_STAGE_LABELS).
    pathway_stage: Mapped[str] = mapped_column(String(16))
    #: Slugs of the courses to complete first.
    prerequisites: Mapped[list] = mapped_column(JSON, default=list)
    estimated_hours: Mapped[float] = mapped_column(Float)
    #: Percent of a knowledge check's questions needed to pass.
    pass_mark: Mapped[int]
    #: Attempts allowed per knowledge check; None means unlimited.
    max_attempts: Mapped[int | None]
    live_required: Mapped[bool]
    live_hours: Mapped[float] = mapped_column(Float)
    #: The course declares Welsh (`languages: [en, cy]`), so it is taught in Welsh in full.
    welsh: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: The Welsh title and summary, when translated (here and below: None = English only).
    title_cy: Mapped[str | None] = mapped_column(String(200))
    summary_cy: Mapped[str | None] = mapped_column(Text)
    #: Assessed skills practice required for completion: {"not_yet": text, "skills":
    #: [{"key", "title", "stages", "looks_for"}]} from course.yaml; None: not required.
    skills_practice: Mapped[dict | None] = mapped_column(JSON)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    course: Mapped[Course] = relationship(foreign_keys=[course_id])
    modules: Mapped[list[Module]] = relationship(
        back_populates="version", order_by="Module.order", cascade="all, delete-orphan"
    )

    @property
    def pathway_stage_label(self) -> str:
        stage = self.pathway_stage
        return str(PATHWAY_STAGE_LABELS.get(stage, stage.capitalize()))

    @property
    def local_title(self) -> Shown:
        """The title in the page's language where it exists (prints as text; `.inline`
        tags English on a Welsh page with its language)."""
        return shown(self, "title")

    @property
    def skills(self) -> list[dict]:
        """The skills a trainer must mark "pass", in the course's order ([] for none)."""
        return list((self.skills_practice or {}).get("skills", []))


def local_title_column(language: str | None = None):
    """A course version's title in `language` (by default the page's), as a column
    expression (the English where there is no Welsh)."""
    if (language or page_language()) == WELSH:
        return func.coalesce(CourseVersion.title_cy, CourseVersion.title)
    return CourseVersion.title


class Module(Model):
    __tablename__ = "modules"
    __table_args__ = (UniqueConstraint("version_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("course_versions.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(String(100))
    order: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    outcomes: Mapped[list] = mapped_column(JSON, default=list)
    #: sha256 of the knowledge check; a passed attempt counts while it is unchanged.
    check_hash: Mapped[str] = mapped_column(String(64))
    #: Questions drawn from the check's bank for each attempt; None: every question.
    questions_per_attempt: Mapped[int | None]
    title_cy: Mapped[str | None] = mapped_column(String(200))
    outcomes_cy: Mapped[list | None] = mapped_column(JSON)

    version: Mapped[CourseVersion] = relationship(back_populates="modules")
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="module", order_by="Lesson.order", cascade="all, delete-orphan"
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="module", order_by="Question.order", cascade="all, delete-orphan"
    )


class Lesson(Model):
    __tablename__ = "lessons"
    __table_args__ = (UniqueConstraint("module_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"),
                                           index=True)
    slug: Mapped[str] = mapped_column(String(100))
    order: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    #: Sanitised HTML rendered from the lesson's Markdown when the course was loaded.
    body_html: Mapped[str] = mapped_column(Text)
    #: sha256 of the lesson; progress on an unchanged lesson survives a new course version.
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    #: The Welsh title and sanitised HTML, when the lesson is translated.
    title_cy: Mapped[str | None] = mapped_column(String(200))
    body_html_cy: Mapped[str | None] = mapped_column(Text)

    module: Mapped[Module] = relationship(back_populates="lessons")


class Question(Model):
    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"),
                                           index=True)
    order: Mapped[int]
    prompt: Mapped[str] = mapped_column(Text)
    #: "single" (one correct option) or "multiple" (choose all correct options).
    kind: Mapped[str] = mapped_column(String(8))
    #: [{"text": ..., "correct": bool}, ...] in the order shown.
    options: Mapped[list] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text)
    #: The question in Welsh, when translated: the options' texts in the order of `options`
    #: (whose "correct" flags they share: answers are marked by option index, not text).
    prompt_cy: Mapped[str | None] = mapped_column(Text)
    options_cy: Mapped[list | None] = mapped_column(JSON)
    explanation_cy: Mapped[str | None] = mapped_column(Text)

    module: Mapped[Module] = relationship(back_populates="questions")

    @property
    def correct_indices(self) -> set[int]:
        return {i for i, option in enumerate(self.options) if option["correct"]}


class Enrolment(Model):
    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),
                      # Covers the figures across schemes: completions in a period, by
                      # course, scheme and person, without reading the enrolments.
                      Index("ix_enrolments_completed", "completed_at", "course_id",
                            "scheme_id", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           index=True)
    #: The scheme the learner trains with (for trainers' and leads' views).
    scheme_id: Mapped[int | None] = mapped_column(
        ForeignKey("schemes.id", ondelete="SET NULL"), index=True
    )
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    #: Who enrolled them: themselves, or a trainer or lead.
    enrolled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))
    #: When they first completed a lesson or took a check: kept here as progress is
    #: recorded, so the training pipeline's "in progress" needs no scan of the progress.
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The version of the course they completed.
    completed_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_versions.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    course: Mapped[Course] = relationship()
    scheme: Mapped[Scheme | None] = relationship()
    completed_version: Mapped[CourseVersion | None] = relationship()


class LessonCompletion(Model):
    """A lesson marked as done, by content hash so it survives unchanged across versions."""

    __tablename__ = "lesson_completions"
    __table_args__ = (UniqueConstraint("enrolment_id", "lesson_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"))
    lesson_hash: Mapped[str] = mapped_column(String(64))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class CheckAttempt(Model):
    """One sitting of a knowledge check, online or on paper (entered by a trainer)."""

    __tablename__ = "check_attempts"
    __table_args__ = (
        Index("ix_check_attempts_enrolment_hash", "enrolment_id", "check_hash"),
        # Concurrent submissions of one attempt collide here instead of both being stored.
        UniqueConstraint("enrolment_id", "check_hash", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("attempt_limit IS NULL OR number <= attempt_limit",
                        name="number_within_limit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    check_hash: Mapped[str] = mapped_column(String(64))
    #: 1, 2, 3... per enrolment and check; unique, so one number is stored once.
    number: Mapped[int]
    #: The course's attempt limit when this was stored (None: unlimited); number <= it.
    attempt_limit: Mapped[int | None]
    correct: Mapped[int]
    total: Mapped[int]
    passed: Mapped[bool]
    #: {question id (as text): [chosen option indices]}; empty for paper results.
    answers: Mapped[dict] = mapped_column(JSON)
    #: The paper as shown: [[question id, [option indices in the order shown]], ...].
    paper: Mapped[list | None] = mapped_column(JSON)
    #: "online", or "paper" when a trainer entered the result of a paper check.
    source: Mapped[str] = mapped_column(String(8), default="online")
    #: The day a paper check was sat.
    taken_on: Mapped[date | None] = mapped_column(Date)
    #: The trainer who entered a paper result.
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    entered_by: Mapped[User | None] = relationship()

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0


class LiveSession(Model):
    """A scheduled live training session of a course, run by a trainer of a scheme."""

    __tablename__ = "live_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           index=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("schemes.id", ondelete="CASCADE"),
                                           index=True)
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    online: Mapped[bool] = mapped_column(default=False)
    #: A room and site, or the online meeting details.
    location: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int]
    #: Kept with the bookings in one conditional UPDATE, so places cannot be overbooked.
    booked_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    course: Mapped[Course] = relationship()
    scheme: Mapped[Scheme] = relationship()
    trainer: Mapped[User | None] = relationship()
    bookings: Mapped[list[SessionBooking]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.booked_count)

    @property
    def hours(self) -> float:
        return round((self.ends_at - self.starts_at).total_seconds() / 3600, 2)


class SessionBooking(Model):
    __tablename__ = "session_bookings"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id", ondelete="CASCADE"),
                                            index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    #: None until the trainer records attendance.
    attended: Mapped[bool | None]
    hours_attended: Mapped[float | None] = mapped_column(Float)

    session: Mapped[LiveSession] = relationship(back_populates="bookings")
    user: Mapped[User] = relationship()


class SkillAssessment(Model):
    """A trainer's assessment of one skill of a learner's assessed skills practice (a
    role-play or a live observation), against the stages: "pass" or "not yet". The latest
    assessment of a skill is the one that counts; earlier ones stay as its history."""

    __tablename__ = "skill_assessments"
    __table_args__ = (
        Index("ix_skill_assessments_enrolment_skill", "enrolment_id", "skill_key"),
        CheckConstraint("result IN ('pass', 'not_yet')", name="result_known"),
        CheckConstraint("method IN ('role_play', 'observation')", name="method_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"))
    #: The skill's key in the course's skills_practice (stable across course versions).
    skill_key: Mapped[str] = mapped_column(String(64))
    #: "pass" or "not_yet".
    result: Mapped[str] = mapped_column(String(8))
    #: "role_play" or "observation" (a live process the trainer watched).
    method: Mapped[str] = mapped_column(String(16))
    #: Short feedback for the learner: what went well, what to work on. Run through the
    #: privacy guard: no participant is ever named.
    feedback: Mapped[str] = mapped_column(Text)
    #: The day the practice was assessed.
    assessed_on: Mapped[date] = mapped_column(Date)
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    assessed_by: Mapped[User | None] = relationship()

    @property
    def passed(self) -> bool:
        return self.result == "pass"
