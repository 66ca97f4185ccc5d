"""Applications, accreditation records with their status history, and attestations."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms import clock
from lms.accreditation.standards import local_level_name
from lms.auth.models import User
from lms.db_types import UTCDateTime
from lms.extensions import Model
from lms.i18n import lazy_gettext as _l
from lms.schemes.models import Scheme


class StandardVersion(Model):
    """One state of courses/standards.yaml; records keep the version they were issued under."""

    __tablename__ = "standard_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: {level key: {"name", "validity_months", "depends_on"}} as it was then.
    levels: Mapped[dict] = mapped_column(JSON)
    #: The whole standard as it was then (levels with their requirements, attestations),
    #: for the standards page; None for versions stored before it was kept.
    content: Mapped[dict | None] = mapped_column(JSON)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class ApplicationStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    FURTHER_WORK = "further work needed"
    NOT_ACCEPTED = "not accepted"


#: SQL for "still waiting for a decision" and "valid", for the partial unique indexes that
#: keep one pending application and one valid record per person and level.
PENDING_SQL = text("status = 'submitted'")
VALID_SQL = text("status IN ('active', 'expiring')")


class Application(Model):
    __tablename__ = "applications"
    __table_args__ = (Index("ix_applications_status", "status", "submitted_at"),
                      Index("ux_applications_one_pending", "applicant_id", "level_key",
                            unique=True, sqlite_where=PENDING_SQL,
                            postgresql_where=PENDING_SQL))

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                              index=True)
    level_key: Mapped[str] = mapped_column(String(32))
    standard_version_id: Mapped[int] = mapped_column(ForeignKey("standard_versions.id"))
    scheme_id: Mapped[int | None] = mapped_column(ForeignKey("schemes.id", ondelete="SET NULL"))
    #: The lead who nominated them, if they did not apply themselves.
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                   ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(24), default=ApplicationStatus.SUBMITTED)
    #: The evaluation and evidence frozen when the application was made.
    snapshot: Mapped[dict] = mapped_column(JSON)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reasons: Mapped[str | None] = mapped_column(Text)
    #: Set when approved although a requirement was unmet: the assessor's written reason
    #: for using their discretion.
    discretion_reason: Mapped[str | None] = mapped_column(Text)
    #: "standard" (evidence logged here) or "portfolio" (experienced practitioners who
    #: trained elsewhere: case studies, work products, references, a discussion).
    route: Mapped[str] = mapped_column(String(16), default="standard",
                                       server_default="standard")
    #: The assessor's record of the professional discussion (portfolio route).
    discussion_notes: Mapped[str | None] = mapped_column(Text)
    discussion_on: Mapped[date | None] = mapped_column(Date)
    #: Optimistic lock: two assessors deciding at once cannot both store a decision.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    applicant: Mapped[User] = relationship(foreign_keys=[applicant_id])
    nominated_by: Mapped[User | None] = relationship(foreign_keys=[nominated_by_id])
    assessor: Mapped[User | None] = relationship(foreign_keys=[assessor_id])
    standard_version: Mapped[StandardVersion] = relationship()

    @property
    def local_level_name(self) -> str:
        """The level's name in the page's language (the version's name on English pages)."""
        return local_level_name(self.level_key,
                                self.standard_version.levels[self.level_key]["name"])


class RecordStatus(enum.StrEnum):
    ACTIVE = "active"
    EXPIRING = "expiring"
    LAPSED = "lapsed"
    WITHDRAWN = "temporarily withdrawn"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


#: Status words as shown to people: the stored codes stay English, each is a msgid, so a
#: template can also write `_(record.status)`.
STATUS_LABELS: dict[str, object] = {
    ApplicationStatus.SUBMITTED: _l("submitted"),
    ApplicationStatus.APPROVED: _l("approved"),
    ApplicationStatus.FURTHER_WORK: _l("further work needed"),
    ApplicationStatus.NOT_ACCEPTED: _l("not accepted"),
    RecordStatus.ACTIVE: _l("active"),
    RecordStatus.EXPIRING: _l("expiring"),
    RecordStatus.LAPSED: _l("lapsed"),
    RecordStatus.WITHDRAWN: _l("temporarily withdrawn"),
    RecordStatus.SUSPENDED: _l("suspended"),
    RecordStatus.REVOKED: _l("revoked"),
}


def status_label(status: str) -> str:
    """A status in the reader's language (an unknown code as it is)."""
    return str(STATUS_LABELS.get(status, status))


#: Words an evaluation writes into an application's frozen evidence (the snapshot keeps
#: them in English, the language of the records), as shown to people.
EVIDENCE_WORDS: dict[str, object] = {
    "agreed": _l("agreed"),
    "completed": _l("completed"),
    "not yet": _l("not yet"),
}


def evidence_word(value: object) -> object:
    """A frozen evidence value in the reader's language where it is one of the evaluation's
    fixed words; anything else (counts, dates, titles) as it is."""
    return str(EVIDENCE_WORDS[value]) if isinstance(value, str) and value in EVIDENCE_WORDS \
        else value


#: Statuses in which the holder is accredited.
VALID_STATUSES = (RecordStatus.ACTIVE, RecordStatus.EXPIRING)


class AccreditationRecord(Model):
    __tablename__ = "accreditation_records"
    __table_args__ = (Index("ix_accreditation_records_holder", "holder_id", "level_key"),
                      Index("ix_accreditation_records_status", "status", "expires_on"),
                      # A scheme's records expiring soon (its dashboard's list and count).
                      Index("ix_accreditation_records_scheme_expiry", "scheme_id", "status",
                            "expires_on"),
                      # Who is accredited in a scheme, a page at a time in name order.
                      Index("ix_accreditation_records_scheme_name", "scheme_id", "holder_name",
                            "id"),
                      # Covers the figures across schemes (who is accredited, where, at
                      # which level) without reading the records themselves.
                      Index("ix_accreditation_records_figures", "status", "scheme_id",
                            "level_key", "holder_id"),
                      Index("ux_accreditation_records_one_valid", "holder_id", "level_key",
                            unique=True, sqlite_where=VALID_SQL, postgresql_where=VALID_SQL),
                      # Register search by part of a name: a trigram index on PostgreSQL
                      # (serves ILIKE '%part%'); on SQLite a plain index for the name order.
                      Index("ix_accreditation_records_holder_name", "holder_name",
                            postgresql_using="gin",
                            postgresql_ops={"holder_name": "gin_trgm_ops"}))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Random, unguessable identifier printed on certificates, e.g. "K7QD-2MXP-9TRB-W4ZH".
    public_id: Mapped[str] = mapped_column(String(24), unique=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: The holder's name fixed when the record was issued (certificates and the public
    #: register show this, not the editable display name); changed only by a legal name
    #: change made by a lead or an administrator.
    holder_name: Mapped[str] = mapped_column(String(120))
    level_key: Mapped[str] = mapped_column(String(32))
    level_name: Mapped[str] = mapped_column(String(120))
    standard_version_id: Mapped[int] = mapped_column(ForeignKey("standard_versions.id"))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id",
                                                                  ondelete="SET NULL"))
    scheme_id: Mapped[int | None] = mapped_column(ForeignKey("schemes.id", ondelete="SET NULL"))
    #: The date the level was first awarded; renewal keeps it.
    issued_on: Mapped[date] = mapped_column(Date)
    #: Start of the current version of the record: the award, then each renewal or reissue.
    valid_from: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(24), default=RecordStatus.ACTIVE)
    #: The decision (assessor, reasons) and the evidence it rested on.
    decision: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    holder: Mapped[User] = relationship()
    scheme: Mapped[Scheme | None] = relationship()
    standard_version: Mapped[StandardVersion] = relationship()
    history: Mapped[list[StatusChange]] = relationship(
        back_populates="record", order_by="StatusChange.id", cascade="all, delete-orphan")

    @property
    def valid(self) -> bool:
        return self.status in VALID_STATUSES

    @property
    def local_level_name(self) -> str:
        """The level's name in the page's language: kept in English at issue, shown in
        Welsh on Welsh pages from the standards in force (the kept name if none)."""
        return local_level_name(self.level_key, self.level_name)


class StatusChange(Model):
    __tablename__ = "accreditation_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("accreditation_records.id",
                                                      ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    #: None when the scheduled sweep made the change.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    record: Mapped[AccreditationRecord] = relationship(back_populates="history")
    actor: Mapped[User | None] = relationship()


class Attestation(Model):
    """A statement the practitioner has agreed to (code of practice, indemnity insurance)."""

    __tablename__ = "attestations"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    agreed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class ObservationMode(enum.StrEnum):
    LIVE = "live"
    RECORDING = "recording"


class ObservationOutcome(enum.StrEnum):
    MEETS = "meets the standard"
    NOT_YET = "not yet"


#: Observation modes and outcomes as shown to people (msgids, as STATUS_LABELS).
OBSERVATION_LABELS: dict[str, object] = {
    ObservationMode.LIVE: _l("live"),
    ObservationMode.RECORDING: _l("recording"),
    ObservationOutcome.MEETS: _l("meets the standard"),
    ObservationOutcome.NOT_YET: _l("not yet"),
}


class Observation(Model):
    """A supervisor or assessor watched the practitioner deliver (live or by recording) and
    assessed it against the stages. Distinct from a signed-off log record, which is the
    practitioner's own account checked by a supervisor: registers ask for both."""

    __tablename__ = "observations"
    __table_args__ = (Index("ix_observations_practitioner", "practitioner_id", "observed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    observer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                               ondelete="SET NULL"))
    scheme_id: Mapped[int | None] = mapped_column(ForeignKey("schemes.id", ondelete="SET NULL"))
    #: The process observed, when it is in the practitioner's log (optional).
    practice_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("practice_records.id", ondelete="SET NULL"))
    observed_on: Mapped[date] = mapped_column(Date)
    mode: Mapped[str] = mapped_column(String(16))  #: ObservationMode
    #: Keys of the stages assessed (lms.practice.models.STAGES).
    stages: Mapped[list] = mapped_column(JSON)
    outcome: Mapped[str] = mapped_column(String(24))  #: ObservationOutcome
    feedback: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    practitioner: Mapped[User] = relationship(foreign_keys=[practitioner_id])
    observer: Mapped[User | None] = relationship(foreign_keys=[observer_id])


class IndemnityInsurance(Model):
    """Professional indemnity insurance a trainer holds; the latest expiry counts."""

    __tablename__ = "indemnity_insurance"
    __table_args__ = (Index("ix_indemnity_insurance_user", "user_id", "expires_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    insurer: Mapped[str] = mapped_column(String(120))
    policy_number: Mapped[str] = mapped_column(String(60))
    expires_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class CpdAudit(Model):
    """A practitioner drawn in a year's CPD audit sample: an assessor checks their CPD
    evidence, and they are not renewed that year until it is found satisfactory."""

    __tablename__ = "cpd_audits"
    __table_args__ = (UniqueConstraint("year", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    #: None until checked; then "satisfactory" or "not satisfactory".
    outcome: Mapped[str | None] = mapped_column(String(24))
    notes: Mapped[str | None] = mapped_column(Text)
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    checked_by: Mapped[User | None] = relationship(foreign_keys=[checked_by_id])



class PortfolioItem(Model):
    """Evidence for the portfolio route: a case study mapped to the stages, a work product
    (e.g. a risk assessment) or a reference from someone who saw the work. Items become
    part of an application when it is made, and are frozen from then on."""

    __tablename__ = "portfolio_items"
    __table_args__ = (Index("ix_portfolio_items_user", "user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  #: case_study | work_product | reference
    title: Mapped[str] = mapped_column(String(200))
    #: The practitioner's account (case study, work product) or what the referee saw.
    summary: Mapped[str] = mapped_column(Text)
    stages: Mapped[list] = mapped_column(JSON, default=list)  #: keys of the stages shown
    occurred_on: Mapped[date | None] = mapped_column(Date)
    is_risk_assessment: Mapped[bool] = mapped_column(default=False)
    referee_name: Mapped[str | None] = mapped_column(String(120))
    referee_email: Mapped[str | None] = mapped_column(String(254))
    #: SHA-256 of the referee's one-time link token; cleared once used.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmation: Mapped[str | None] = mapped_column(Text)  #: the referee's own words
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    user: Mapped[User] = relationship()



class EvidenceFile(Model):
    """An uploaded work product (attached to a portfolio item) or insurance document,
    stored outside the web root under a random key. Frozen with its item's application."""

    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    portfolio_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("portfolio_items.id", ondelete="CASCADE"), index=True)
    insurance_id: Mapped[int | None] = mapped_column(
        ForeignKey("indemnity_insurance.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))  #: as uploaded, for the download
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(80), unique=True)
    #: The practitioner confirmed that nothing identifying participants remains.
    redaction_confirmed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    item: Mapped[PortfolioItem | None] = relationship()


@event.listens_for(AccreditationRecord, "before_insert")
def _fix_name_and_version(mapper, connection, record: AccreditationRecord) -> None:
    """A record made without them takes the holder's name now and starts its current
    version on the award date (issuing sets both explicitly)."""
    if record.holder_name is None:
        record.holder_name = connection.scalar(
            select(User.display_name).where(User.id == record.holder_id))
    if record.valid_from is None:
        record.valid_from = record.issued_on
