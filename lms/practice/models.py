"""Practice records, their assessments, supervision sessions, CPD and recognised supervisors."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    and_,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms import clock, policy
from lms.auth.models import User
from lms.db_types import UTCDateTime
from lms.extensions import Model, db
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l
from lms.schemes.models import Membership, Role, Scheme

if TYPE_CHECKING:
    from lms.processes.models import RestorativeProcess

#: The seven stages of the facilitator's process (the competency framework).
STAGES = {
    "engagement": _l("Initial engagement and case assessment"),
    "risk": _l("Risk and safety assessment"),
    "preparation": _l("Preparing participants"),
    "delivery": _l("Delivery"),
    "co_working": _l("Co-working"),
    "outcomes": _l("Outcomes"),
    "follow_up": _l("Follow-up and evaluation"),
}
PROCESS_TYPES = {
    "instant": _l("Instant (on-the-spot) resolution"),
    "informal_meeting": _l("Informal restorative meeting"),
    "formal_conference": _l("Formal restorative conference"),
    "indirect": _l("Indirect process (shuttle, letters, recorded messages)"),
    "circle": _l("Restorative circle"),
    "other": _l("Other"),
}
HARM_CATEGORIES = {
    "verbal_altercation": _l("Verbal altercation"), "violence": _l("Violence"),
    "bullying": _l("Bullying"), "debt": _l("Debt"),
    "neighbour_nuisance": _l("Neighbour nuisance"), "noise": _l("Noise"),
    "anti_social_behaviour": _l("Anti-social behaviour"), "complaint": _l("Complaint"),
    "care_concern": _l("Concern about care"), "property": _l("Damage to or loss of property"),
    "online_harm": _l("Online harm"),
    "burglary": _l("Burglary"), "robbery": _l("Robbery"), "theft": _l("Theft"),
    "criminal_damage": _l("Criminal damage"), "hate_incident": _l("Hate incident"),
    "domestic_abuse": _l("Domestic abuse"), "sexual_harm": _l("Sexual harm"), "other": _l("Other"),
}
PRACTITIONER_ROLES = {
    "lead": _l("Lead facilitator"), "co_facilitator": _l("Co-facilitator"),
    "observer": _l("Observer"),
}
RATINGS = {"not_yet": _l("Not yet demonstrated"), "demonstrated": _l("Demonstrated"),
           "strong": _l("Strong")}


NOT_COUNTING = _l("Sign-off needs every stage this record evidences rated at a level that "
                  "counts. Return the record for further work instead.")


def counting_ratings() -> list[str]:
    """Rating levels that count towards sign-off (policy, in courses/policy.yaml)."""
    return policy.practice("sign_off_counting_ratings")


class PracticeStatus(enum.StrEnum):
    """Where a practice record is in its sign-off (not an accreditation record's status)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    AWAITING_SIGN_OFF = "awaiting sign-off"
    SIGNED_OFF = "signed off"
    RETURNED = "returned"


class PracticeRecord(Model):
    """One restorative process a practitioner took part in. Holds no participant details."""

    __tablename__ = "practice_records"
    __table_args__ = (
        Index("ix_practice_records_author_date", "author_id", "occurred_on"),
        # dashboards: a scheme's records by date, by status, and its practitioners
        Index("ix_practice_records_scheme_date", "scheme_id", "occurred_on"),
        # the sign-off queue counts a scheme's waiting records that the supervisor may
        # assess from the index alone on PostgreSQL (INCLUDE; SQLite ignores it)
        Index("ix_practice_records_scheme_status", "scheme_id", "status", "requested_at",
              postgresql_include=["author_id", "co_facilitator_id", "supervisor_id",
                                  "process_id"]),
        Index("ix_practice_records_scheme_author", "scheme_id", "author_id"),
        # the same across every scheme (the admin's page): records waiting, oldest first
        Index("ix_practice_records_status_requested", "status", "requested_at"),
        # the records asked of one supervisor (and a removed supervisor's, set to NULL)
        Index("ix_practice_records_supervisor_status", "supervisor_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: System-made pseudonymous code, e.g. RJ-2026-7K3QXZ; the only way to refer to the case.
    case_code: Mapped[str] = mapped_column(String(20), unique=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    scheme_id: Mapped[int] = mapped_column(ForeignKey("schemes.id", ondelete="CASCADE"),
                                           index=True)
    occurred_on: Mapped[date] = mapped_column(Date)
    sector: Mapped[str] = mapped_column(String(16))
    process_type: Mapped[str] = mapped_column(String(24))
    #: Direct (the people meet or speak) or indirect (messages carried between them).
    direct: Mapped[bool]
    face_to_face: Mapped[bool]
    sensitive: Mapped[bool] = mapped_column(default=False)
    harm_category: Mapped[str] = mapped_column(String(32))
    practitioner_role: Mapped[str] = mapped_column(String(16))
    co_facilitator_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    #: An external colleague's name, when the co-facilitator has no account here.
    co_facilitator_name: Mapped[str | None] = mapped_column(String(120))
    #: The process this record is the practitioner's own account of: figures count
    #: processes, so a co-facilitated process counts once however many records it has.
    process_id: Mapped[int | None] = mapped_column(
        ForeignKey("restorative_processes.id", ondelete="SET NULL"), index=True)
    #: Keys of STAGES the record evidences.
    stages: Mapped[list] = mapped_column(JSON, default=list)
    reflection: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[PracticeStatus] = mapped_column(String(20), default=PracticeStatus.DRAFT)
    #: The supervisor asked to observe and assess it.
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    #: Optimistic lock: two supervisors acting at once cannot both store an outcome.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    scheme: Mapped[Scheme] = relationship()
    co_facilitator: Mapped[User | None] = relationship(foreign_keys=[co_facilitator_id])
    supervisor: Mapped[User | None] = relationship(foreign_keys=[supervisor_id])
    process: Mapped[RestorativeProcess | None] = relationship()
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="record", order_by="Assessment.id", cascade="all, delete-orphan")

    @classmethod
    def viewable_by(cls, user: User) -> ColumnElement[bool]:
        """SQL condition: records `user` may see. The author, supervisors and leads of the
        record's scheme, and administrators. The one home of this rule."""
        if user.is_admin:
            return literal(True)
        schemes = user.scheme_ids_with(Role.SUPERVISOR, Role.LEAD)
        return (cls.author_id == user.id) | cls.scheme_id.in_(schemes)

    def viewable(self, user: User) -> bool:
        """The same rule as viewable_by, for a record already loaded."""
        return (user.is_admin or self.author_id == user.id
                or self.scheme_id in user.scheme_ids_with(Role.SUPERVISOR, Role.LEAD))

    @property
    def editable(self) -> bool:
        return self.status in (PracticeStatus.DRAFT, PracticeStatus.RETURNED)

    def edit_refusal(self, user: User) -> str | None:
        """Why `user` may not change or submit this record; None if they may."""
        if user.id != self.author_id:
            return _("Only the practitioner who logged this record can change it.")
        if not self.editable:
            return _("This record has been submitted, so it can no longer be changed.")
        return None

    def conflict_refusal(self, user: User) -> str | None:
        """Nobody judges a process they delivered."""
        if user.id == self.author_id:
            return _("Nobody can sign off their own practice.")
        if user.id == self.co_facilitator_id or (
                self.process is not None and self.process.participant(user) is not None):
            return _("A co-facilitator cannot sign off a process they delivered; another "
                     "supervisor must assess it.")
        return None

    @staticmethod
    def not_in_conflict(user_id: Any) -> ColumnElement[bool]:
        """conflict_refusal(user) is None, as SQL (for lists that page and count), for the
        user whose id is `user_id` (a number or a bound parameter): not written by them,
        and they took no part in its process."""
        from lms.processes.models import ProcessParticipant

        took_part = select(ProcessParticipant.id).where(
            ProcessParticipant.process_id == PracticeRecord.process_id,
            ProcessParticipant.user_id == user_id)
        return and_(PracticeRecord.author_id != user_id,
                    or_(PracticeRecord.co_facilitator_id.is_(None),
                        PracticeRecord.co_facilitator_id != user_id),
                    ~took_part.exists())

    def sign_off_refusal(self, user: User) -> str | None:
        """Why `user` may not assess (sign off or return) this record now; None if they may."""
        conflict = self.conflict_refusal(user)
        if conflict:
            return conflict
        if self.status != PracticeStatus.AWAITING_SIGN_OFF:
            return _("This record is %(status)s; it is not waiting for an assessment.",
                     status=self.status)
        if not (user.has_role(Role.SUPERVISOR, scheme=self.scheme)
                and is_recognised_supervisor(user)):
            return _("Only a recognised supervisor of this scheme can assess this record.")
        return None

    def ratings_refusal(self, ratings: dict) -> dict[str, str]:
        """{stage: why its rating does not allow sign-off} for the stages this record
        evidences; empty when every one is rated at a level that counts."""
        counting = counting_ratings()
        refusals = {}
        for stage in self.stages:
            rating = (ratings.get(stage) or {}).get("rating")
            if rating not in counting:
                label = RATINGS.get(rating or "", _("No rating"))
                refusals[stage] = _("%(rating)s does not count towards sign-off.", rating=label)
        return refusals


class Assessment(Model):
    """A supervisor's assessment of a record: per-stage ratings and an outcome."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("practice_records.id", ondelete="CASCADE"),
                                           index=True)
    #: The supervisor who assessed the practice (the column keeps its first name).
    supervisor_id: Mapped[int | None] = mapped_column(
        "assessor_id", ForeignKey("users.id", ondelete="SET NULL"))
    #: "signed off" or "returned"
    outcome: Mapped[str] = mapped_column(String(20))
    #: {stage key: {"rating": RATINGS key, "comment": text}}
    ratings: Mapped[dict] = mapped_column(JSON, default=dict)
    feedback: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    record: Mapped[PracticeRecord] = relationship(back_populates="assessments")
    supervisor: Mapped[User | None] = relationship()


class RecognisedSupervisor(Model):
    """A user an admin recognises as a case supervisor (before accreditation exists, or to
    start a new scheme)."""

    __tablename__ = "recognised_supervisors"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         unique=True)
    recognised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                    ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    user: Mapped[User] = relationship(foreign_keys=[user_id])


def is_recognised_supervisor(user: User) -> bool:
    return db.session.scalar(select(RecognisedSupervisor.id).where(
        RecognisedSupervisor.user_id == user.id)) is not None


class SupervisionSession(Model):
    """A case supervision meeting, confirmed by both people."""

    __tablename__ = "supervision_sessions"
    __table_args__ = (Index("ix_supervision_practitioner_date", "practitioner_id", "held_on"),
                      # a supervisor's sessions: to confirm (home to-dos) and their caseload
                      Index("ix_supervision_supervisor_date", "supervisor_id", "held_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    scheme_id: Mapped[int] = mapped_column(ForeignKey("schemes.id", ondelete="CASCADE"))
    held_on: Mapped[date] = mapped_column(Date)
    duration_minutes: Mapped[int]
    #: Redacted notes: checked by the same privacy guard as practice records.
    notes: Mapped[str] = mapped_column(Text, default="")
    supervisor_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    practitioner_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    #: Optimistic lock: a double confirmation stores (and audits) one.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    supervisor: Mapped[User] = relationship(foreign_keys=[supervisor_id])
    practitioner: Mapped[User] = relationship(foreign_keys=[practitioner_id])
    scheme: Mapped[Scheme] = relationship()

    @classmethod
    def confirmed_by_both(cls) -> ColumnElement[bool]:
        """SQL condition: confirmed by the supervisor and the practitioner. The one home of
        this rule; `confirmed` is the same rule for a loaded session."""
        return cls.supervisor_confirmed_at.is_not(None) \
            & cls.practitioner_confirmed_at.is_not(None)

    @property
    def confirmed(self) -> bool:
        return self.supervisor_confirmed_at is not None \
            and self.practitioner_confirmed_at is not None

    def confirm_refusal(self, user: User) -> str | None:
        """Only the practitioner confirms, once; nobody confirms a session they supervised."""
        if user.id == self.supervisor_id:
            return _("You recorded this session as its supervisor; the practitioner confirms "
                     "it.")
        if user.id != self.practitioner_id:
            return _("Only the practitioner who was supervised can confirm this session.")
        if self.practitioner_confirmed_at is not None:
            return _("You have already confirmed this session.")
        return None


class CpdEntry(Model):
    __tablename__ = "cpd_entries"
    __table_args__ = (Index("ix_cpd_entries_user_date", "user_id", "done_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    done_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Float)
    activity: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(120))
    #: Approved CPD counts towards the approved share; only a trainer or admin approves.
    approved: Mapped[bool] = mapped_column(default=False)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    #: Optimistic lock: two approvals at once store (and audit) one.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @classmethod
    def approvable_by(cls, user: User) -> ColumnElement[bool]:
        """SQL condition: entries `user` may approve. Admins, and trainers of a scheme the
        entry's author belongs to; never one's own. The one home of CPD approval rights."""
        rights = cls.user_id != user.id
        if user.is_admin:
            return rights
        members = select(Membership.user_id).where(
            Membership.scheme_id.in_(user.scheme_ids_with(Role.TRAINER)))
        return rights & cls.user_id.in_(members)

    def approvable(self, user: User) -> bool:
        return db.session.scalar(select(CpdEntry.id).where(
            CpdEntry.id == self.id, CpdEntry.approvable_by(user))) is not None

    def approval_refusal(self, user: User) -> str | None:
        if user.id == self.user_id:
            return _("You cannot approve your own CPD.")
        if not self.approvable(user):
            return _("Only an administrator or a trainer of this practitioner's scheme can "
                     "approve this CPD.")
        if self.approved:
            return _("This CPD entry is already approved.")
        return None
