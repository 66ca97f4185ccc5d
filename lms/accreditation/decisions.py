"""Deciding applications: who may decide, what is unmet, the professional discussion of the
portfolio route, and the accreditation record that approval issues. Functions flush, never
commit; each decision writes an audit event in the same transaction."""

from __future__ import annotations

import secrets
from datetime import date

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms import clock
from lms.accreditation import evidence as evidence_store
from lms.accreditation import portfolio
from lms.accreditation.applications import route_evaluation
from lms.accreditation.models import (
    AccreditationRecord,
    Application,
    ApplicationStatus,
    RecordStatus,
    StatusChange,
    status_label,
)
from lms.accreditation.periods import add_months
from lms.accreditation.refusals import AccreditationError, own_record_refusal
from lms.accreditation.standard_versions import RECORD_LANGUAGE
from lms.accreditation.standards import Standards, load_standards
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l
from lms.notify import services as notify

ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_public_id() -> str:
    """80 random bits in four groups; not sequential, not guessable."""
    while True:
        raw = "".join(secrets.choice(ID_ALPHABET) for _ in range(16))
        public_id = "-".join(raw[i:i + 4] for i in range(0, 16, 4))
        if db.session.scalar(select(AccreditationRecord.id).where(
                AccreditationRecord.public_id == public_id)) is None:
            return public_id


def decide_refusal(user: User, application: Application) -> str | None:
    """Why `user` may not decide `application` (None: they may)."""
    if not (user.is_admin or user.is_assessor):
        return _("Only an assessor or an administrator decides applications.")
    if application.status != ApplicationStatus.SUBMITTED:
        return _("This application has already been decided.")
    if refusal := own_record_refusal(user, application.applicant_id):
        return refusal
    if user.id in application.snapshot.get("signed_off_by", []):
        return _("You signed off this applicant's practice, so you cannot decide it.")
    return None


def unmet_now(application: Application, standards: Standards | None = None) -> list[str]:
    """What is unmet for the application's level, on the evidence as it is today and as it
    was frozen: either makes approval a matter of the assessor's discretion."""
    standards = standards or load_standards()
    level = standards.levels.get(application.level_key)
    missing = [r["missing"] or r["description"] for r in application.snapshot["results"]
               if not r["met"]]
    if level is None:
        return [*missing, _("This level is no longer in the standards.")]
    items = (portfolio.items_of(application.applicant_id, application_id=application.id)
             if application.route == "portfolio" else [])
    with force_locale(RECORD_LANGUAGE):  # worded as the frozen lines, so both compare
        now = route_evaluation(level, application.route,
                               evidence_store.gather(application.applicant_id), items,
                               standards)
    return list(dict.fromkeys(missing + [r.missing for r in now.results if r.missing]))


def decide(application: Application, assessor: User, outcome: str, reasons: str, *,
           discretion_reason: str | None = None) -> AccreditationRecord | None:
    """Record the decision; approval (and only approval) issues an accreditation record.
    Approval with a requirement unmet needs the assessor's discretion, with its reason."""
    if refusal := decide_refusal(assessor, application):
        raise AccreditationError(refusal)
    if outcome not in (ApplicationStatus.APPROVED, ApplicationStatus.FURTHER_WORK,
                       ApplicationStatus.NOT_ACCEPTED):
        raise AccreditationError(_("Choose approve, further work needed or not accepted."))
    discretion_reason = (discretion_reason or "").strip() or None
    if (outcome == ApplicationStatus.APPROVED and application.route == "portfolio"
            and not application.discussion_notes):
        raise AccreditationError(_("Record the professional discussion before approving a "
                                   "portfolio application."))
    if outcome == ApplicationStatus.APPROVED:
        unmet = unmet_now(application)
        if unmet and not discretion_reason:
            raise AccreditationError(_(
                "Not every requirement is met (%(unmet)s). Approve only as the assessor's "
                "discretion, with a written reason.", unmet="; ".join(unmet)))
        if not unmet:
            discretion_reason = None
    else:
        discretion_reason = None
    application.status, application.reasons = outcome, reasons
    application.discretion_reason = discretion_reason
    application.assessor_id, application.decided_at = assessor.id, clock.utcnow()
    db.session.flush()
    record = _issue(application, assessor) if outcome == ApplicationStatus.APPROVED else None
    audit.record("accreditation.decided", actor=assessor, object_type="application",
                 object_id=application.id,
                 payload={"outcome": outcome, "record": record.public_id if record else None,
                          "discretion": discretion_reason})
    with force_locale(application.applicant.preferred_language or "en"):
        message = _("Your application for %(level)s was decided: %(outcome)s.",
                    level=_level_name(application), outcome=status_label(outcome))
    notify.notify(application.applicant, message, "/accreditation/pathway")
    return record


def _level_name(application: Application) -> str:
    return application.standard_version.levels[application.level_key]["name"]


def _issue(application: Application, assessor: User) -> AccreditationRecord:
    levels = application.standard_version.levels
    today = clock.today()
    discretion = application.discretion_reason
    record = AccreditationRecord(
        public_id=new_public_id(), holder_id=application.applicant_id,
        holder_name=application.applicant.display_name,
        level_key=application.level_key, level_name=levels[application.level_key]["name"],
        standard_version_id=application.standard_version_id, application_id=application.id,
        scheme_id=application.scheme_id, issued_on=today, valid_from=today,
        expires_on=add_months(today, levels[application.level_key]["validity_months"]),
        status=RecordStatus.ACTIVE,
        decision={"assessor_id": assessor.id, "reasons": application.reasons,
                  "decided_on": today.isoformat(), "snapshot": application.snapshot,
                  "discretion": discretion})
    record.history.append(StatusChange(
        from_status=None, to_status=RecordStatus.ACTIVE, actor_id=assessor.id,
        reason=(f"Issued at the assessor's discretion: {discretion}" if discretion
                else "Issued on approval.")))
    db.session.add(record)
    try:
        db.session.flush()
    except IntegrityError as clash:
        raise AccreditationError(_l("This person already holds a valid record of this "
                                    "level.")) from clash  # lazy, as in set_attestations
    return record


def discussion_refusal(user: User, application: Application) -> str | None:
    if application.route != "portfolio":
        return _("A professional discussion belongs to the portfolio route.")
    return decide_refusal(user, application)


def record_discussion(application: Application, assessor: User, *, held_on: date,
                      notes: str) -> None:
    """The assessor's record of the professional discussion (portfolio route)."""
    if refusal := discussion_refusal(assessor, application):
        raise AccreditationError(refusal)
    application.discussion_on, application.discussion_notes = held_on, notes.strip()
    db.session.flush()
    audit.record("portfolio.discussion_recorded", actor=assessor, object_type="application",
                 object_id=application.id, payload={"held_on": held_on.isoformat()})
