"""Erasing a practitioner's account without breaking figures, other people's records or
the audit trail.

How people are referred to: audit events, practice records, assessments and every other
table point at a person only by account number (users.id); audit payloads hold ids and
statuses, never names. Erasure therefore pseudonymises the account row in place — the
number stays, the name, username, email and sign-in secrets go — so no event is
rewritten and `flask --app lms audit verify` still passes. The person's free text is
removed (as the retention sweep does), figures (dates, stages, ratings, hours) stay,
and accreditation records are revoked with a reason, never deleted, so a published
certificate verifies as revoked rather than vanishing.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from lms.accreditation import lifecycle
from lms.accreditation.models import AccreditationRecord, RecordStatus
from lms.audit import services as audit
from lms.auth.models import AuthSession
from lms.extensions import db
from lms.i18n import gettext as _
from lms.notify.models import Notification, OutboxMessage
from lms.practice.models import Assessment, CpdEntry, PracticeRecord, SupervisionSession
from lms.privacy.retention import REMOVED, redact_assessment

ERASED_NAME = "Erased account"
REVOKE_REASON = "Withdrawn: the holder's account was erased at their request."


def erased_username(user_id: int) -> str:
    return f"erased-{user_id}"


def is_erased(user) -> bool:
    return user.username == erased_username(user.id)


def erasure_refusal(actor, user) -> str | None:
    """Why ``actor`` may not erase ``user``'s account, or None."""
    if not actor.is_admin:
        return _("Only an administrator can erase an account.")
    if actor.id == user.id:
        return _("You cannot erase your own account; ask another administrator.")
    if is_erased(user):
        return _("This account has already been erased.")
    if user.is_admin:
        return _("Remove the administrator role before erasing this account.")
    return None


def erase(user, *, actor) -> dict[str, int]:
    """Pseudonymise ``user`` and remove their personal data. Flushes; caller commits."""
    counts = {"accreditations revoked": 0}
    for accreditation in db.session.scalars(select(AccreditationRecord).where(
            AccreditationRecord.holder_id == user.id,
            AccreditationRecord.status != RecordStatus.REVOKED)):
        lifecycle.change(accreditation, RecordStatus.REVOKED, actor=actor, reason=REVOKE_REASON)
        counts["accreditations revoked"] += 1
    records = db.session.scalars(select(PracticeRecord)
                                 .where(PracticeRecord.author_id == user.id)).all()
    for record in records:
        record.reflection, record.co_facilitator_name = REMOVED, None
    for assessment in db.session.scalars(select(Assessment).where(
            Assessment.record_id.in_([r.id for r in records]))):
        redact_assessment(assessment)
    counts["practice records redacted"] = len(records)
    sessions = db.session.scalars(select(SupervisionSession).where(
        SupervisionSession.practitioner_id == user.id)).all()
    for session in sessions:
        session.notes = REMOVED if session.notes else ""
    counts["supervision notes redacted"] = len(sessions)
    entries = db.session.scalars(select(CpdEntry).where(CpdEntry.user_id == user.id)).all()
    for entry in entries:
        entry.activity, entry.provider = REMOVED, REMOVED[:120]
    counts["CPD entries redacted"] = len(entries)
    db.session.execute(delete(Notification).where(Notification.user_id == user.id))
    db.session.execute(delete(AuthSession).where(AuthSession.user_id == user.id))
    if user.email:
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.to_address == user.email))
    user.username = erased_username(user.id)
    user.display_name = ERASED_NAME
    user.email = None
    user.password_hash = user.one_time_password_hash = None
    user.active = user.listed_publicly = user.is_assessor = False
    audit.record("privacy.account_erased", actor=actor, object_type="user",
                 object_id=user.id, payload=counts)
    db.session.flush()
    return counts
