"""A restorative process (a case) as one record that practitioners take part in, with its
harms, outcomes, take-up counts and anonymous feedback. Figures count processes, never
practitioners' records, so a co-facilitated conference counts once."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    exists,
    inspect,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from lms import clock
from lms.auth.models import User
from lms.db_types import UTCDateTime
from lms.extensions import Model
from lms.i18n import gettext as _
from lms.schemes.models import Role, Scheme

#: Roles a practitioner takes in a process (the same keys as PRACTITIONER_ROLES).
FACILITATING = ("lead", "co_facilitator")


class CopiesProcessFacts:
    """A row that a process's figures count (a harm, a participant, an outcome, take-up,
    feedback), carrying its process's scheme and date, so a period's figures read that
    period's rows from an index instead of joining every row to its process. Filled when
    the row is stored and changed with the process (the listeners at the end)."""

    scheme_id: Mapped[int | None] = mapped_column()
    occurred_on: Mapped[date | None] = mapped_column(Date)


def _by_date(table: str) -> Index:
    return Index(f"ix_{table}_date_scheme", "occurred_on", "scheme_id")


class RestorativeProcess(Model):
    """One process, however many practitioners took part. Holds no participant details."""

    __tablename__ = "restorative_processes"
    __table_args__ = (
        Index("ix_restorative_processes_scheme_date", "scheme_id", "occurred_on"),
        # figures across every scheme pick a period's processes by date alone; the id lets
        # PostgreSQL join their outcomes, harms and the rest from the index only
        Index("ix_restorative_processes_date", "occurred_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Pseudonymous code of the case (the lead's practice record carries the same code).
    case_code: Mapped[str] = mapped_column(String(20), unique=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("schemes.id", ondelete="CASCADE"))
    occurred_on: Mapped[date] = mapped_column(Date)
    #: A key of SETTINGS (courses/processes.yaml).
    setting: Mapped[str] = mapped_column(String(16))
    process_type: Mapped[str] = mapped_column(String(24))
    #: A key of INVOLVEMENTS; None for processes logged before it was asked.
    involvement: Mapped[str | None] = mapped_column(String(32))
    direct: Mapped[bool]
    face_to_face: Mapped[bool]
    sensitive: Mapped[bool] = mapped_column(default=False)
    #: Items in the outcome agreement, and how many were done at follow-up.
    items_agreed: Mapped[int | None]
    items_completed: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    scheme: Mapped[Scheme] = relationship()
    participants: Mapped[list[ProcessParticipant]] = relationship(
        back_populates="process", order_by="ProcessParticipant.id",
        cascade="all, delete-orphan")
    harms: Mapped[list[ProcessHarm]] = relationship(cascade="all, delete-orphan",
                                                    order_by="ProcessHarm.harm")
    outcomes: Mapped[list[ProcessOutcome]] = relationship(cascade="all, delete-orphan")
    take_up: Mapped[list[ProcessTakeUp]] = relationship(cascade="all, delete-orphan")

    @classmethod
    def viewable_by(cls, user: User) -> ColumnElement[bool]:
        """SQL condition: processes `user` may see. Its practitioners (confirmed or asked),
        supervisors and leads of its scheme, administrators. The one home of this rule."""
        if user.is_admin:
            return literal(True)
        schemes = user.scheme_ids_with(Role.SUPERVISOR, Role.LEAD)
        taking_part = exists().where(ProcessParticipant.process_id == cls.id,
                                     ProcessParticipant.user_id == user.id)
        return taking_part | cls.scheme_id.in_(schemes)

    def viewable(self, user: User) -> bool:
        return (user.is_admin or self.participant(user) is not None
                or self.scheme_id in user.scheme_ids_with(Role.SUPERVISOR, Role.LEAD))

    def participant(self, user: User) -> ProcessParticipant | None:
        return next((p for p in self.participants if p.user_id == user.id), None)

    def manage_refusal(self, user: User) -> str | None:
        """Why `user` may not record outcomes, take-up or feedback; None if they may."""
        mine = self.participant(user)
        if mine is None or mine.confirmed_at is None or mine.role not in FACILITATING:
            return _("Only the facilitators of this process can record its outcomes, "
                     "take-up and feedback.")
        return None

    @property
    def harm_keys(self) -> list[str]:
        return [h.harm for h in self.harms]

    def answers(self) -> dict[str, str]:
        return {o.key: o.answer for o in self.outcomes}


class ProcessHarm(CopiesProcessFacts, Model):
    """One harm category of a process (a process may have several)."""

    __tablename__ = "process_harms"
    __table_args__ = (_by_date("process_harms"),)

    process_id: Mapped[int] = mapped_column(
        ForeignKey("restorative_processes.id", ondelete="CASCADE"), primary_key=True)
    harm: Mapped[str] = mapped_column(String(32), primary_key=True)


class ProcessParticipant(CopiesProcessFacts, Model):
    """A practitioner's part in a process. Credited once they confirm it themselves."""

    __tablename__ = "process_participants"
    __table_args__ = (UniqueConstraint("process_id", "user_id"),
                      Index("ix_process_participants_user", "user_id", "confirmed_at"),
                      _by_date("process_participants"))

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("restorative_processes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: A key of PRACTITIONER_ROLES: lead, co_facilitator or observer.
    role: Mapped[str] = mapped_column(String(16))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    #: When the practitioner confirmed their part; None while it waits for them.
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    process: Mapped[RestorativeProcess] = relationship(back_populates="participants")
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def confirm_refusal(self, user: User) -> str | None:
        """Only the practitioner named confirms their own part, once."""
        if user.id != self.user_id:
            return _("Only the practitioner named can confirm their part in a process.")
        if self.confirmed_at is not None:
            return _("You have already confirmed your part in this process.")
        return None


class ProcessOutcome(CopiesProcessFacts, Model):
    """The answer to one outcome question of a process (the questions depend on its
    setting, in courses/processes.yaml)."""

    __tablename__ = "process_outcomes"
    __table_args__ = (_by_date("process_outcomes"),)

    process_id: Mapped[int] = mapped_column(
        ForeignKey("restorative_processes.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: "yes", "no" or "not_known"
    answer: Mapped[str] = mapped_column(String(12))


class ProcessTakeUp(CopiesProcessFacts, Model):
    """How many people on one side of a process reached each stage: counts, never who."""

    __tablename__ = "process_take_up"
    __table_args__ = (_by_date("process_take_up"),)

    process_id: Mapped[int] = mapped_column(
        ForeignKey("restorative_processes.id", ondelete="CASCADE"), primary_key=True)
    #: "harmed" or "responsible"
    party: Mapped[str] = mapped_column(String(12), primary_key=True)
    offered: Mapped[int] = mapped_column(default=0)
    interested: Mapped[int] = mapped_column(default=0)
    met: Mapped[int] = mapped_column(default=0)
    took_part: Mapped[int] = mapped_column(default=0)
    declined_at_offer: Mapped[int] = mapped_column(default=0)
    declined_after_interest: Mapped[int] = mapped_column(default=0)
    declined_after_meeting: Mapped[int] = mapped_column(default=0)


class FeedbackCode(Model):
    """A one-time code for a process's questionnaire. Holds no identity: only the hash of a
    random code, and how many answers it may still take (one per participant)."""

    __tablename__ = "feedback_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("restorative_processes.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    max_answers: Mapped[int]
    answers_used: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class FeedbackResponse(CopiesProcessFacts, Model):
    """One participant's anonymous answers. Linked to the process only: not to the code,
    an account or a time finer than the day."""

    __tablename__ = "feedback_responses"
    __table_args__ = (_by_date("feedback_responses"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("restorative_processes.id", ondelete="CASCADE"), index=True)
    #: 1 (very dissatisfied) to the scale in policy; None when not answered.
    satisfaction: Mapped[int | None]
    #: "yes", "no" or "unsure"; None when not answered.
    recommend: Mapped[str | None] = mapped_column(String(8))
    comment: Mapped[str] = mapped_column(Text, default="")
    #: "online" (answered with a code) or "paper" (entered by a facilitator).
    source: Mapped[str] = mapped_column(String(8))
    received_on: Mapped[date] = mapped_column(Date, default=clock.today)


def processes_of(user: User):
    """SELECT of the processes `user` takes part in (confirmed or not)."""
    return select(RestorativeProcess).join(ProcessParticipant).where(
        ProcessParticipant.user_id == user.id)


_COPIES: tuple[type[CopiesProcessFacts], ...] = (
    ProcessHarm, ProcessParticipant, ProcessOutcome, ProcessTakeUp, FeedbackResponse)


def _fill_process_facts(mapper, connection, target) -> None:
    """A row being stored takes its process's scheme and date: from the process in the
    session when it is there (it usually is: rows are added to their process), else read
    (the process is stored first in the same flush)."""
    if target.scheme_id is not None and target.occurred_on is not None:
        return
    process = _process_in_session(target)
    if process is not None:
        target.scheme_id, target.occurred_on = process.scheme_id, process.occurred_on
        return
    target.scheme_id, target.occurred_on = connection.execute(
        select(RestorativeProcess.scheme_id, RestorativeProcess.occurred_on)
        .where(RestorativeProcess.id == target.process_id)).one()


def _process_in_session(target) -> RestorativeProcess | None:
    """The target's process if the session holds it: already stored, or being stored in
    this flush (still among the session's new objects until the flush ends)."""
    session = object_session(target)
    if session is None:
        return None
    key = inspect(RestorativeProcess).identity_key_from_primary_key((target.process_id,))
    found = session.identity_map.get(key)
    return found if found is not None else next(
        (obj for obj in session.new
         if isinstance(obj, RestorativeProcess) and obj.id == target.process_id), None)


def _move_process_facts(mapper, connection, target: RestorativeProcess) -> None:
    """A process moved to another scheme or date takes its rows with it."""
    state = inspect(target)
    if not (state.attrs.scheme_id.history.has_changes()
            or state.attrs.occurred_on.history.has_changes()):
        return
    for model in _COPIES:
        table = model.__table__  # type: ignore[attr-defined]
        connection.execute(update(table).where(table.c.process_id == target.id).values(
            scheme_id=target.scheme_id, occurred_on=target.occurred_on))


for _model in _COPIES:
    event.listen(_model, "before_insert", _fill_process_facts)
event.listen(RestorativeProcess, "after_update", _move_process_facts)
