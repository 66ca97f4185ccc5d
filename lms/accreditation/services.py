"""Applying for accreditation and deciding applications. Functions flush, never commit;
each decision writes an audit event in the same transaction."""

from __future__ import annotations

import calendar
import secrets
from datetime import date

from sqlalchemy import select

from lms import clock
from lms.accreditation import evidence as evidence_store
from lms.accreditation.evaluation import Evaluation, evaluate
from lms.accreditation.models import (
    VALID_STATUSES,
    AccreditationRecord,
    Application,
    ApplicationStatus,
    RecordStatus,
    StandardVersion,
    StatusChange,
)
from lms.accreditation.standards import Standards, load_standards
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.notify import services as notify
from lms.practice.models import Assessment, PracticeRecord, PracticeStatus

ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


class AccreditationError(Exception):
    """A rule refused the action; the message is shown to the person."""


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def new_public_id() -> str:
    """80 random bits in four groups; not sequential, not guessable."""
    while True:
        raw = "".join(secrets.choice(ID_ALPHABET) for _ in range(16))
        public_id = "-".join(raw[i:i + 4] for i in range(0, 16, 4))
        if db.session.scalar(select(AccreditationRecord.id).where(
                AccreditationRecord.public_id == public_id)) is None:
            return public_id


def current_standard_version(standards: Standards) -> StandardVersion:
    version = db.session.scalar(select(StandardVersion).where(
        StandardVersion.content_hash == standards.content_hash))
    if version is None:
        version = StandardVersion(content_hash=standards.content_hash, levels={
            key: {"name": level.name, "validity_months": level.validity_months,
                  "depends_on": level.depends_on} for key, level in standards.levels.items()})
        db.session.add(version)
        db.session.flush()
    return version


def pathway(user: User, standards: Standards | None = None) -> list[Evaluation]:
    """The person's evaluation against every level (a fixed number of queries)."""
    standards = standards or load_standards()
    evidence = evidence_store.gather(user.id)
    titles = evidence_store.course_titles()
    names = {key: level.name for key, level in standards.levels.items()}
    return [evaluate(level, evidence, course_titles=titles, level_names=names)
            for level in standards.levels.values()]


def valid_record(user_id: int, level_key: str) -> AccreditationRecord | None:
    return db.session.scalar(select(AccreditationRecord).where(
        AccreditationRecord.holder_id == user_id, AccreditationRecord.level_key == level_key,
        AccreditationRecord.status.in_(VALID_STATUSES)))


def pending_application(user_id: int, level_key: str) -> Application | None:
    return db.session.scalar(select(Application).where(
        Application.applicant_id == user_id, Application.level_key == level_key,
        Application.status == ApplicationStatus.SUBMITTED))


def apply(applicant: User, level_key: str, *, nominated_by: User | None = None,
          scheme_id: int | None = None) -> Application:
    """Apply (or nominate) for a level; the evidence is frozen on the application."""
    standards = load_standards()
    level = standards.levels.get(level_key)
    if level is None:
        raise AccreditationError("There is no such accreditation level.")
    if valid_record(applicant.id, level_key):
        raise AccreditationError(f"{applicant.display_name} already holds {level.name}.")
    if pending_application(applicant.id, level_key):
        raise AccreditationError("An application for this level is already waiting for a "
                                 "decision.")
    evidence = evidence_store.gather(applicant.id)
    evaluation = evaluate(level, evidence, course_titles=evidence_store.course_titles())
    if not evaluation.eligible:
        raise AccreditationError("Not every requirement is met yet: see the pathway.")
    frozen = evidence_store.snapshot(evaluation, evidence)
    frozen["signed_off_by"] = _practice_assessors(applicant.id)
    application = Application(
        applicant_id=applicant.id, level_key=level_key, snapshot=frozen,
        standard_version_id=current_standard_version(standards).id,
        nominated_by_id=nominated_by.id if nominated_by else None,
        scheme_id=scheme_id or (applicant.memberships[0].scheme_id
                                if applicant.memberships else None))
    db.session.add(application)
    db.session.flush()
    audit.record("accreditation.applied", actor=nominated_by or applicant,
                 object_type="application", object_id=application.id,
                 payload={"level": level_key, "applicant_id": applicant.id})
    return application


def _practice_assessors(user_id: int) -> list[int]:
    """Who signed off the applicant's practice: they may not decide the application."""
    return sorted(set(db.session.scalars(
        select(Assessment.supervisor_id).join(Assessment.record)
        .where(PracticeRecord.author_id == user_id,
               PracticeRecord.status == PracticeStatus.SIGNED_OFF,
               Assessment.outcome == "signed off", Assessment.supervisor_id.is_not(None)))))


def can_decide(user: User, application: Application) -> bool:
    return ((user.is_admin or user.is_assessor)
            and application.status == ApplicationStatus.SUBMITTED
            and user.id != application.applicant_id
            and user.id not in application.snapshot.get("signed_off_by", []))


def decide(application: Application, assessor: User, outcome: str,
           reasons: str) -> AccreditationRecord | None:
    """Record the decision; approval (and only approval) issues an accreditation record."""
    if not can_decide(assessor, application):
        raise AccreditationError("You cannot decide this application.")
    if outcome not in (ApplicationStatus.APPROVED, ApplicationStatus.FURTHER_WORK,
                       ApplicationStatus.NOT_ACCEPTED):
        raise AccreditationError("Choose approve, further work needed or not accepted.")
    application.status, application.reasons = outcome, reasons
    application.assessor_id, application.decided_at = assessor.id, clock.utcnow()
    db.session.flush()
    record = _issue(application, assessor) if outcome == ApplicationStatus.APPROVED else None
    audit.record("accreditation.decided", actor=assessor, object_type="application",
                 object_id=application.id,
                 payload={"outcome": outcome, "record": record.public_id if record else None})
    notify.notify(application.applicant, f"Your application for {_level_name(application)} "
                  f"was decided: {outcome}.", "/accreditation/pathway")
    return record


def _level_name(application: Application) -> str:
    return application.standard_version.levels[application.level_key]["name"]


def _issue(application: Application, assessor: User) -> AccreditationRecord:
    levels = application.standard_version.levels
    today = clock.today()
    record = AccreditationRecord(
        public_id=new_public_id(), holder_id=application.applicant_id,
        level_key=application.level_key, level_name=levels[application.level_key]["name"],
        standard_version_id=application.standard_version_id, application_id=application.id,
        scheme_id=application.scheme_id, issued_on=today,
        expires_on=add_months(today, levels[application.level_key]["validity_months"]),
        status=RecordStatus.ACTIVE,
        decision={"assessor_id": assessor.id, "reasons": application.reasons,
                  "decided_on": today.isoformat(), "snapshot": application.snapshot})
    record.history.append(StatusChange(from_status=None, to_status=RecordStatus.ACTIVE,
                                       actor_id=assessor.id, reason="Issued on approval."))
    db.session.add(record)
    db.session.flush()
    return record
