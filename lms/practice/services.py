"""Practice records and their sign-off. Functions change objects and flush; the view commits
once, so a state change and its audit event are stored together or not at all."""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import select

from lms import clock, policy
from lms.accreditation.models import VALID_STATUSES, AccreditationRecord
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.notify import services as notify
from lms.practice.models import (
    STAGES,
    Assessment,
    PracticeRecord,
    RecognisedSupervisor,
    RecordStatus,
)
from lms.schemes.models import Membership, Role

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


class PracticeError(Exception):
    """A rule refused the action; the message is shown to the person."""


def new_case_code(today: date) -> str:
    """A pseudonymous, unguessable code; checked for the (very unlikely) collision."""
    while True:
        code = f"RJ-{today.year}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if db.session.scalar(select(PracticeRecord.id).where(
                PracticeRecord.case_code == code)) is None:
            return code


def is_recognised_supervisor(user: User) -> bool:
    return db.session.scalar(select(RecognisedSupervisor.id).where(
        RecognisedSupervisor.user_id == user.id)) is not None


def recognise_supervisor(user: User, *, by: User, reason: str) -> RecognisedSupervisor:
    if is_recognised_supervisor(user):
        raise PracticeError(f"{user.display_name} is already a recognised supervisor.")
    recognition = RecognisedSupervisor(user_id=user.id, recognised_by_id=by.id, reason=reason)
    db.session.add(recognition)
    db.session.flush()
    audit.record("supervisor.recognised", actor=by, object_type="user", object_id=user.id,
                 payload={"recognition_id": recognition.id})
    return recognition


def qualified_to_lead_sensitive(user: User) -> bool:
    """Only the accreditation level held qualifies someone to lead a sensitive case."""
    levels = policy.practice("sensitive_lead_levels")
    return db.session.scalar(
        select(AccreditationRecord.id)
        .where(AccreditationRecord.holder_id == user.id,
               AccreditationRecord.level_key.in_(levels),
               AccreditationRecord.status.in_(VALID_STATUSES)).limit(1)) is not None


def needs_sensitive_flag(record: PracticeRecord) -> bool:
    """A sensitive case led by someone not yet qualified to lead such cases."""
    return (record.sensitive and record.practitioner_role == "lead"
            and not qualified_to_lead_sensitive(record.author))


def submit(record: PracticeRecord, actor: User) -> None:
    if not record.editable:
        raise PracticeError("This record has already been submitted.")
    record.status = RecordStatus.SUBMITTED
    record.submitted_at = clock.utcnow()
    db.session.flush()
    audit.record("practice.submitted", actor=actor, object_type="practice_record",
                 object_id=record.id, payload={"case_code": record.case_code})


def eligible_supervisors(record: PracticeRecord) -> list[User]:
    """Recognised supervisors of the record's scheme who may assess it."""
    users = db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .join(RecognisedSupervisor, RecognisedSupervisor.user_id == User.id)
        .where(Membership.scheme_id == record.scheme_id, Membership.role == Role.SUPERVISOR,
               User.active.is_(True))
        .order_by(User.display_name)
    ).unique().all()
    return [u for u in users if _may_assess(u, record)]


def _may_assess(user: User, record: PracticeRecord) -> bool:
    return user.id not in (record.author_id, record.co_facilitator_id)


def request_sign_off(record: PracticeRecord, supervisor: User, actor: User) -> None:
    if record.status != RecordStatus.SUBMITTED:
        raise PracticeError("Submit the record before asking for it to be signed off.")
    if supervisor.id == record.author_id:
        raise PracticeError("You cannot sign off your own practice.")
    if supervisor.id == record.co_facilitator_id:
        raise PracticeError("Your co-facilitator cannot sign off a process they delivered.")
    if supervisor not in eligible_supervisors(record):
        raise PracticeError("Choose a recognised supervisor of this scheme.")
    record.status = RecordStatus.AWAITING_SIGN_OFF
    record.supervisor_id = supervisor.id
    record.requested_at = clock.utcnow()
    db.session.flush()
    audit.record("practice.sign_off_requested", actor=actor, object_type="practice_record",
                 object_id=record.id, payload={"supervisor_id": supervisor.id})
    notify.notify(supervisor, f"{record.author.display_name} asks you to assess practice "
                  f"record {record.case_code}.", f"/practice/{record.id}/assess")


def can_assess(user: User, record: PracticeRecord) -> bool:
    return (record.status == RecordStatus.AWAITING_SIGN_OFF
            and user.has_role(Role.SUPERVISOR, scheme=record.scheme)
            and _may_assess(user, record) and is_recognised_supervisor(user))


def assess(record: PracticeRecord, assessor: User, *, outcome: str, ratings: dict,
           feedback: str) -> Assessment:
    """Store the outcome. Raises StaleDataError (via the record's version) when another
    supervisor stored one first; the view turns that into a message."""
    if not can_assess(assessor, record):
        raise PracticeError("You cannot assess this record.")
    unknown = set(ratings) - set(STAGES)
    if unknown:
        raise PracticeError("Unknown stage in the ratings.")
    assessment = Assessment(record=record, assessor_id=assessor.id, outcome=outcome,
                            ratings=ratings, feedback=feedback)
    record.status = (RecordStatus.SIGNED_OFF if outcome == RecordStatus.SIGNED_OFF
                     else RecordStatus.RETURNED)
    record.signed_off_at = clock.utcnow() if record.status == RecordStatus.SIGNED_OFF else None
    db.session.add(assessment)
    db.session.flush()
    action = "practice.signed_off" if record.status == RecordStatus.SIGNED_OFF \
        else "practice.returned"
    audit.record(action, actor=assessor, object_type="practice_record", object_id=record.id,
                 payload={"assessment_id": assessment.id})
    verb = "signed off" if record.status == RecordStatus.SIGNED_OFF else \
        "returned for further work"
    notify.notify(record.author, f"Your practice record {record.case_code} was {verb}.",
                  f"/practice/{record.id}")
    return assessment
