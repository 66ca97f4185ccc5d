"""Practice records and their sign-off. Functions change objects and flush; the view commits
once, so a state change and its audit event are stored together or not at all."""

from __future__ import annotations

import secrets
from datetime import date

from flask_babel import force_locale
from sqlalchemy import select

from lms import clock, policy
from lms.accreditation.models import VALID_STATUSES, AccreditationRecord
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import gettext as _
from lms.notify import services as notify
from lms.practice.models import (
    NOT_COUNTING,
    STAGES,
    Assessment,
    PracticeRecord,
    PracticeStatus,
    RecognisedSupervisor,
    is_recognised_supervisor,
)
from lms.schemes.models import Membership, Role

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def language_of(user: User) -> str:
    """The language a notification to `user` is written in: their preference."""
    return getattr(user, "preferred_language", None) or "en"


class PracticeError(Exception):
    """A rule refused the action; the message is shown to the person."""


def new_case_code(today: date) -> str:
    """A pseudonymous, unguessable code; checked for the (very unlikely) collision."""
    while True:
        code = f"RJ-{today.year}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if db.session.scalar(select(PracticeRecord.id).where(
                PracticeRecord.case_code == code)) is None:
            return code


def recognition_refusal(user: User, by: User) -> str | None:
    if user.id == by.id:
        return _("You cannot recognise yourself; another administrator must.")
    if is_recognised_supervisor(user):
        return _("%(name)s is already a recognised supervisor.", name=user.display_name)
    return None


def recognise_supervisor(user: User, *, by: User, reason: str) -> RecognisedSupervisor:
    refusal = recognition_refusal(user, by)
    if refusal:
        raise PracticeError(refusal)
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


def create(record: PracticeRecord, author: User) -> None:
    """Store a new draft (the view has filled it from the form)."""
    record.author_id = author.id
    record.case_code = new_case_code(clock.today())
    db.session.add(record)
    db.session.flush()
    audit.record("practice.created", actor=author, object_type="practice_record",
                 object_id=record.id, payload={"case_code": record.case_code})


def edited(record: PracticeRecord, actor: User) -> None:
    """Store the changes the view made to a draft or returned record."""
    refusal = record.edit_refusal(actor)
    if refusal:
        raise PracticeError(refusal)
    db.session.flush()
    audit.record("practice.edited", actor=actor, object_type="practice_record",
                 object_id=record.id, payload={"case_code": record.case_code})


def submit(record: PracticeRecord, actor: User) -> None:
    """Lock the record. Raises StaleDataError (via the record's version) when the same
    record was submitted or changed at the same moment."""
    refusal = record.edit_refusal(actor)
    if refusal:
        raise PracticeError(refusal)
    if not record.stages or not record.reflection.strip():
        raise PracticeError(_("Add the stages this process evidences and your reflection "
                              "before submitting."))
    record.status = PracticeStatus.SUBMITTED
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
    return [u for u in users if record.conflict_refusal(u) is None]


def request_sign_off(record: PracticeRecord, supervisor: User, actor: User) -> None:
    if actor.id != record.author_id:
        raise PracticeError(_("Only the practitioner who logged this record can ask for sign-off."))
    if record.status != PracticeStatus.SUBMITTED:
        raise PracticeError(_("Submit the record before asking for it to be signed off."))
    conflict = record.conflict_refusal(supervisor)
    if conflict:
        raise PracticeError(conflict)
    if supervisor not in eligible_supervisors(record):
        raise PracticeError(_("Choose a recognised supervisor of this scheme."))
    record.status = PracticeStatus.AWAITING_SIGN_OFF
    record.supervisor_id = supervisor.id
    record.requested_at = clock.utcnow()
    db.session.flush()
    audit.record("practice.sign_off_requested", actor=actor, object_type="practice_record",
                 object_id=record.id, payload={"supervisor_id": supervisor.id})
    with force_locale(language_of(supervisor)):
        message = _("%(name)s asks you to assess practice record %(code)s.",
                    name=record.author.display_name, code=record.case_code)
    notify.notify(supervisor, message, f"/practice/{record.id}/assess",
                  topic=assess_topic(record))


def assess_topic(record: PracticeRecord) -> str:
    """Notification topic of a request to assess the record (done once it is assessed)."""
    return f"assess:practice_record:{record.id}"


def assess(record: PracticeRecord, supervisor: User, *, outcome: str, ratings: dict,
           feedback: str) -> Assessment:
    """Store the outcome. Raises StaleDataError (via the record's version) when another
    supervisor stored one first; the view turns that into a message."""
    refusal = record.sign_off_refusal(supervisor)
    if refusal:
        raise PracticeError(refusal)
    if set(ratings) - set(STAGES):
        raise PracticeError(_("Unknown stage in the ratings."))
    if outcome not in (PracticeStatus.SIGNED_OFF, PracticeStatus.RETURNED):
        raise PracticeError(_("Choose sign off or return."))
    if outcome == PracticeStatus.SIGNED_OFF and record.ratings_refusal(ratings):
        raise PracticeError(NOT_COUNTING)
    assessment = Assessment(record=record, supervisor_id=supervisor.id, outcome=outcome,
                            ratings=ratings, feedback=feedback)
    signed_off = outcome == PracticeStatus.SIGNED_OFF
    record.status = PracticeStatus(outcome)
    record.signed_off_at = clock.utcnow() if signed_off else None
    db.session.add(assessment)
    db.session.flush()
    audit.record("practice.signed_off" if signed_off else "practice.returned",
                 actor=supervisor, object_type="practice_record", object_id=record.id,
                 payload={"assessment_id": assessment.id})
    notify.done(assess_topic(record))
    with force_locale(language_of(record.author)):
        message = (_("Your practice record %(code)s was signed off.", code=record.case_code)
                   if signed_off else
                   _("Your practice record %(code)s was returned for further work.",
                     code=record.case_code))
    notify.notify(record.author, message, f"/practice/{record.id}")
    return assessment
