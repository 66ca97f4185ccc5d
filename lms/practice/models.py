"""Practice records, their assessments, supervision sessions, CPD and recognised supervisors."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms import clock
from lms.auth.models import User
from lms.db_types import UTCDateTime
from lms.extensions import db
from lms.schemes.models import Scheme

#: The seven stages of the facilitator's process (the competency framework).
STAGES = {
    "engagement": "Initial engagement and case assessment",
    "risk": "Risk and safety assessment",
    "preparation": "Preparing participants",
    "delivery": "Delivery",
    "co_working": "Co-working",
    "outcomes": "Outcomes",
    "follow_up": "Follow-up and evaluation",
}
PROCESS_TYPES = {
    "informal_meeting": "Informal restorative meeting",
    "formal_conference": "Formal restorative conference",
    "indirect": "Indirect process (shuttle, letters, recorded messages)",
    "circle": "Restorative circle",
    "other": "Other",
}
HARM_CATEGORIES = {
    "verbal_altercation": "Verbal altercation", "violence": "Violence", "bullying": "Bullying",
    "debt": "Debt", "neighbour_nuisance": "Neighbour nuisance",
    "anti_social_behaviour": "Anti-social behaviour", "complaint": "Complaint",
    "burglary": "Burglary", "robbery": "Robbery", "theft": "Theft",
    "criminal_damage": "Criminal damage", "hate_incident": "Hate incident",
    "domestic_abuse": "Domestic abuse", "sexual_harm": "Sexual harm", "other": "Other",
}
PRACTITIONER_ROLES = {
    "lead": "Lead facilitator", "co_facilitator": "Co-facilitator", "observer": "Observer",
}
RATINGS = {"not_yet": "Not yet demonstrated", "demonstrated": "Demonstrated",
           "strong": "Strong"}


class RecordStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    AWAITING_SIGN_OFF = "awaiting sign-off"
    SIGNED_OFF = "signed off"
    RETURNED = "returned"


class PracticeRecord(db.Model):
    """One restorative process a practitioner took part in. Holds no participant details."""

    __tablename__ = "practice_records"
    __table_args__ = (
        Index("ix_practice_records_author_date", "author_id", "occurred_on"),
        # dashboards: a scheme's records by date, by status, and its practitioners
        Index("ix_practice_records_scheme_date", "scheme_id", "occurred_on"),
        Index("ix_practice_records_scheme_status", "scheme_id", "status", "requested_at"),
        Index("ix_practice_records_scheme_author", "scheme_id", "author_id"),
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
    #: Keys of STAGES the record evidences.
    stages: Mapped[list] = mapped_column(JSON, default=list)
    reflection: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RecordStatus] = mapped_column(String(20), default=RecordStatus.DRAFT)
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
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="record", order_by="Assessment.id", cascade="all, delete-orphan")

    @property
    def editable(self) -> bool:
        return self.status in (RecordStatus.DRAFT, RecordStatus.RETURNED)


class Assessment(db.Model):
    """A supervisor's assessment of a record: per-stage ratings and an outcome."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("practice_records.id", ondelete="CASCADE"),
                                           index=True)
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: "signed off" or "returned"
    outcome: Mapped[str] = mapped_column(String(20))
    #: {stage key: {"rating": RATINGS key, "comment": text}}
    ratings: Mapped[dict] = mapped_column(JSON, default=dict)
    feedback: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    record: Mapped[PracticeRecord] = relationship(back_populates="assessments")
    assessor: Mapped[User | None] = relationship()


class RecognisedSupervisor(db.Model):
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


class SupervisionSession(db.Model):
    """A case supervision meeting, confirmed by both people."""

    __tablename__ = "supervision_sessions"
    __table_args__ = (Index("ix_supervision_practitioner_date", "practitioner_id", "held_on"),)

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

    supervisor: Mapped[User] = relationship(foreign_keys=[supervisor_id])
    practitioner: Mapped[User] = relationship(foreign_keys=[practitioner_id])
    scheme: Mapped[Scheme] = relationship()

    @property
    def confirmed(self) -> bool:
        return bool(self.supervisor_confirmed_at and self.practitioner_confirmed_at)


class CpdEntry(db.Model):
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

    user: Mapped[User] = relationship(foreign_keys=[user_id])
