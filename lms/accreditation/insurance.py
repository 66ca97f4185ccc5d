"""Trainers' professional indemnity insurance: recorded with insurer, policy number and
expiry date; the `insurance_held` requirement is unmet once the latest policy has expired,
and holders are reminded before it does (days in courses/policy.yaml)."""

from __future__ import annotations

import functools
from datetime import date, timedelta

from flask_babel import force_locale, format_date
from sqlalchemy import bindparam, func, select

from lms import policy
from lms.accreditation.models import (
    VALID_STATUSES,
    AccreditationRecord,
    EvidenceFile,
    IndemnityInsurance,
)
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import gettext as _
from lms.notify import services as notify


class InsuranceError(Exception):
    """A rule refused the record; the message is shown to the person."""


def record_insurance(user: User, *, insurer: str, policy_number: str, expires_on: date,
                     today: date) -> IndemnityInsurance:
    if expires_on < today:
        raise InsuranceError(_("That policy has already expired: record the one in force."))
    insurance = IndemnityInsurance(user_id=user.id, insurer=" ".join(insurer.split()),
                                   policy_number=policy_number.strip(), expires_on=expires_on)
    db.session.add(insurance)
    db.session.flush()
    audit.record("insurance.recorded", actor=user, object_type="user", object_id=user.id,
                 payload={"insurance_id": insurance.id, "insurer": insurance.insurer,
                          "expires_on": expires_on.isoformat()})
    return insurance


def current_policy(user_id: int) -> IndemnityInsurance | None:
    return db.session.scalar(_current_policy_statement(), {"person": user_id})


@functools.cache  # built once: the pathway shows it on every view
def _current_policy_statement():
    return (select(IndemnityInsurance).where(IndemnityInsurance.user_id == bindparam("person"))
            .order_by(IndemnityInsurance.expires_on.desc(), IndemnityInsurance.id.desc())
            .limit(1))


def documents(policy_record: IndemnityInsurance | None) -> list[EvidenceFile]:
    if policy_record is None:
        return []
    return list(db.session.scalars(select(EvidenceFile).where(
        EvidenceFile.insurance_id == policy_record.id).order_by(EvidenceFile.id)))


def remind_expiring(today: date, levels: set[str]) -> int:
    """Remind holders of valid records of `levels` (those asking for insurance) whose latest
    policy expires within the reminder window. Each reminder is sent once."""
    days = policy.accreditation("insurance_reminder_days")
    latest = (select(IndemnityInsurance.user_id,
                     func.max(IndemnityInsurance.expires_on).label("until"))
              .group_by(IndemnityInsurance.user_id).subquery())
    rows = db.session.execute(
        select(User, latest.c.until).join(latest, latest.c.user_id == User.id)
        .where(User.id.in_(select(AccreditationRecord.holder_id).where(
            AccreditationRecord.level_key.in_(levels),
            AccreditationRecord.status.in_(VALID_STATUSES))),
            latest.c.until >= today, latest.c.until <= today + timedelta(days=max(days))))
    sent = 0
    for user, until in rows:
        window = min(d for d in days if (until - today).days <= d)
        with force_locale(user.preferred_language or "en"):
            message = _("Your professional indemnity insurance expires on %(day)s. Record the "
                        "renewed policy on your pathway, or your trainer accreditation cannot "
                        "be renewed.", day=format_date(until, "dd MMM y"))
        if notify.notify(user, message, "/accreditation/pathway",
                         dedupe_key=f"insurance-reminder:{user.id}:{until.isoformat()}:{window}"):
            sent += 1
    return sent
