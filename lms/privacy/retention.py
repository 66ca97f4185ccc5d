"""Retention: remove free text and short-lived records once the periods in
courses/policy.yaml (`retention:`) have passed. Counts, dates, stages and ratings stay,
so every figure is unchanged. Run daily by `flask --app lms privacy sweep`.

Each rule selects only rows that still hold what it removes, so a second run finds
nothing: the sweep is idempotent. Each rule that changes rows writes one audit event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, delete, func, or_, select, update

from lms import clock, policy
from lms.accreditation import files as evidence_files
from lms.accreditation.models import (
    Application,
    EvidenceFile,
    IndemnityInsurance,
    PortfolioItem,
)
from lms.audit import services as audit
from lms.extensions import db
from lms.notify.models import Notification, OutboxMessage
from lms.practice.models import Assessment, PracticeRecord, SupervisionSession

#: What removed free text is replaced with (figures need the row; nobody needs the text).
REMOVED = "[removed under the retention policy]"


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


@dataclass(frozen=True)
class Rule:
    key: str  #: the policy key that sets its period
    describes: str  #: what it does, for the dry run and the audit trail
    count: Callable[[date], int]
    apply: Callable[[date], int]


def _practice_cutoff(today: date) -> datetime:
    return _start_of(_years_ago(today, policy.retention("practice_free_text_years")))


def _old_practice(today: date):
    cutoff = _practice_cutoff(today)
    return or_(PracticeRecord.signed_off_at < cutoff,
               and_(PracticeRecord.signed_off_at.is_(None), PracticeRecord.created_at < cutoff))


def _practice_to_redact(today: date):
    return select(PracticeRecord.id).where(
        _old_practice(today),
        or_(PracticeRecord.reflection != REMOVED, PracticeRecord.co_facilitator_name.is_not(None)))


def _count_practice(today: date) -> int:
    return db.session.scalar(select(func.count()).select_from(
        _practice_to_redact(today).subquery())) or 0


def _redact_practice(today: date) -> int:
    ids = list(db.session.scalars(_practice_to_redact(today)))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        db.session.execute(update(PracticeRecord).where(PracticeRecord.id.in_(chunk))
                           .values(reflection=REMOVED, co_facilitator_name=None)
                           .execution_options(synchronize_session=False))
        for assessment in db.session.scalars(select(Assessment)
                                             .where(Assessment.record_id.in_(chunk))):
            redact_assessment(assessment)
    return len(ids)


def redact_assessment(assessment: Assessment) -> None:
    """Keep each stage's rating; remove the supervisor's comments and feedback."""
    assessment.ratings = {stage: {**value, "comment": ""}
                          for stage, value in (assessment.ratings or {}).items()}
    assessment.feedback = ""


def _supervision_to_redact(today: date):
    cutoff = _years_ago(today, policy.retention("supervision_notes_years"))
    return (SupervisionSession.held_on < cutoff, SupervisionSession.notes != "",
            SupervisionSession.notes != REMOVED)


def _count_supervision(today: date) -> int:
    return db.session.scalar(select(func.count(SupervisionSession.id))
                             .where(*_supervision_to_redact(today))) or 0


def _redact_supervision(today: date) -> int:
    result = db.session.execute(update(SupervisionSession)
                                .where(*_supervision_to_redact(today)).values(notes=REMOVED)
                                .execution_options(synchronize_session=False))
    return result.rowcount  # type: ignore[attr-defined]  # DML gives a CursorResult


def _deleting(model, when_column, key: str, *extra) -> tuple[Callable, Callable]:
    def where(today: date):
        cutoff = _start_of(today - timedelta(days=policy.retention(key)))
        return (when_column < cutoff, *extra)

    def count(today: date) -> int:
        return db.session.scalar(
            select(func.count()).select_from(model).where(*where(today))) or 0

    def apply(today: date) -> int:
        result = db.session.execute(delete(model).where(*where(today))
                                    .execution_options(synchronize_session=False))
        return result.rowcount  # type: ignore[attr-defined]  # DML gives a CursorResult

    return count, apply


def _evidence_files_due(today: date):
    """Files past retention: after the decision on their application, after upload for
    items never sent, after expiry for insurance documents."""
    day = _years_ago(today, policy.retention("evidence_files_years"))
    cutoff = _start_of(day)
    decided = (select(PortfolioItem.id)
               .join(Application, PortfolioItem.application_id == Application.id)
               .where(Application.decided_at < cutoff))
    never_sent = select(PortfolioItem.id).where(PortfolioItem.application_id.is_(None))
    expired = select(IndemnityInsurance.id).where(IndemnityInsurance.expires_on < day)
    return select(EvidenceFile).where(or_(
        EvidenceFile.portfolio_item_id.in_(decided),
        and_(EvidenceFile.portfolio_item_id.in_(never_sent), EvidenceFile.created_at < cutoff),
        EvidenceFile.insurance_id.in_(expired)))


def _count_evidence_files(today: date) -> int:
    return db.session.scalar(select(func.count()).select_from(
        _evidence_files_due(today).subquery())) or 0


def _delete_evidence_files(today: date) -> int:
    """The rows go now; the bytes leave the store when the sweep's transaction commits."""
    due = list(db.session.scalars(_evidence_files_due(today)))
    evidence_files.discard(due)
    return len(due)


RULES = [
    Rule("practice_free_text_years", "practice records: reflection, co-facilitator and "
         "supervisor comments removed", _count_practice, _redact_practice),
    Rule("supervision_notes_years", "supervision sessions: notes removed",
         _count_supervision, _redact_supervision),
    Rule("notifications_days", "notifications deleted",
         *_deleting(Notification, Notification.created_at, "notifications_days")),
    Rule("sent_emails_days", "sent emails deleted from the outbox",
         *_deleting(OutboxMessage, OutboxMessage.sent_at, "sent_emails_days",
                    OutboxMessage.sent_at.is_not(None))),
    Rule("evidence_files_years", "evidence files deleted (work products, insurance "
         "documents)", _count_evidence_files, _delete_evidence_files),
]


def plan(today: date | None = None) -> dict[str, int]:
    """{rule description: rows it would change today}, changing nothing."""
    today = today or clock.today()
    return {rule.describes: rule.count(today) for rule in RULES}


def sweep(today: date | None = None) -> dict[str, int]:
    """Apply every rule; audit each that changed rows. Flushes; the caller commits."""
    today = today or clock.today()
    done = {}
    for rule in RULES:
        changed = rule.apply(today)
        done[rule.describes] = changed
        if changed:
            audit.record("privacy.retention_applied", actor=None, object_type="retention",
                         object_id=rule.key, payload={"rows": changed,
                                                      "period": policy.retention(rule.key)})
    db.session.flush()
    return done
