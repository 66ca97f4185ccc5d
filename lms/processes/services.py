"""Workflows of a restorative process: start it, invite and confirm practitioners, record
outcomes, take-up and feedback. Functions change objects and flush; the view commits."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from sqlalchemy import select, update

from lms import clock
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import gettext as _
from lms.notify import services as notify
from lms.practice.models import PracticeRecord
from lms.practice.services import CODE_ALPHABET, new_case_code
from lms.processes import catalogue
from lms.processes.models import (
    FACILITATING,
    FeedbackCode,
    FeedbackResponse,
    ProcessHarm,
    ProcessOutcome,
    ProcessParticipant,
    ProcessTakeUp,
    RestorativeProcess,
)
from lms.schemes.models import Membership


class ProcessError(Exception):
    """A rule refused the action; the message is shown to the person."""


@dataclass
class Facts:
    """What happened, as the lead tells it: the fields the figures count."""

    scheme_id: int
    occurred_on: date
    setting: str
    process_type: str
    involvement: str
    harms: list[str]
    direct: bool = True
    face_to_face: bool = True
    sensitive: bool = False
    extra: dict = field(default_factory=dict)


def facts_refusals(facts: Facts) -> dict[str, str]:
    """{field: why it is not offered in the chosen setting}; empty when all are."""
    setting = catalogue.setting(facts.setting)
    if setting is None:
        return {"setting": _("Choose one of the settings listed.")}
    refusals = {}
    if facts.process_type not in setting.types:
        refusals["process_type"] = _("This type of process is not offered in this setting.")
    if facts.involvement not in setting.involvements:
        refusals["involvement"] = _("Choose who was involved from those this setting offers.")
    if not facts.harms or set(facts.harms) - set(setting.harms):
        refusals["harms"] = _("Choose harms this setting records.")
    return refusals


def scheme_members(scheme_ids, *, excluding: User) -> list[User]:
    """Active people with any role in the schemes, for choosing a co-facilitator."""
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.scheme_id.in_(list(scheme_ids)), User.id != excluding.id,
               User.active.is_(True))
        .order_by(User.display_name).distinct()))


def is_member(user_id: int, scheme_id: int) -> bool:
    return db.session.scalar(select(Membership.id).where(
        Membership.user_id == user_id, Membership.scheme_id == scheme_id).limit(1)) is not None


def _apply(process: RestorativeProcess, facts: Facts) -> None:
    process.scheme_id, process.occurred_on = facts.scheme_id, facts.occurred_on
    process.setting, process.process_type = facts.setting, facts.process_type
    process.involvement = facts.involvement
    process.direct, process.face_to_face = facts.direct, facts.face_to_face
    process.sensitive = facts.sensitive
    wanted = set(facts.harms)
    process.harms[:] = [h for h in process.harms if h.harm in wanted] + [
        ProcessHarm(harm=h) for h in facts.harms if h not in set(process.harm_keys)]


def start(facts: Facts, lead: User, *, role: str = "lead",
          case_code: str | None = None) -> RestorativeProcess:
    """A new process with `lead` as a confirmed participant (they logged it)."""
    refusals = facts_refusals(facts)
    if refusals:
        raise ProcessError(next(iter(refusals.values())))
    if not is_member(lead.id, facts.scheme_id):
        raise ProcessError(_("You can log processes only in schemes you belong to."))
    process = RestorativeProcess(case_code=case_code or new_case_code(clock.today()),
                                 created_by_id=lead.id)
    _apply(process, facts)
    process.participants.append(ProcessParticipant(user_id=lead.id, role=role,
                                                   confirmed_at=clock.utcnow()))
    db.session.add(process)
    db.session.flush()
    audit.record("process.started", actor=lead, object_type="restorative_process",
                 object_id=process.id, payload={"case_code": process.case_code,
                                                "process_type": process.process_type})
    return process


def update_facts(process: RestorativeProcess, facts: Facts, actor: User) -> None:
    """The lead corrects what happened; drafts linked to the process follow."""
    if process.created_by_id != actor.id:
        raise ProcessError(_("Only the practitioner who logged this process can change it."))
    refusals = facts_refusals(facts)
    if refusals:
        raise ProcessError(next(iter(refusals.values())))
    _apply(process, facts)
    for record in db.session.scalars(select(PracticeRecord).where(
            PracticeRecord.process_id == process.id)):
        if record.editable:
            copy_facts(process, record)
    db.session.flush()
    audit.record("process.edited", actor=actor, object_type="restorative_process",
                 object_id=process.id, payload={"case_code": process.case_code})


def copy_facts(process: RestorativeProcess, record: PracticeRecord) -> None:
    """The facts a practice record keeps for accreditation evidence, from its process."""
    record.scheme_id, record.occurred_on = process.scheme_id, process.occurred_on
    record.sector, record.process_type = process.setting, process.process_type
    record.direct, record.face_to_face = process.direct, process.face_to_face
    record.sensitive = process.sensitive
    record.harm_category = process.harm_keys[0] if process.harm_keys else "other"


def invite(process: RestorativeProcess, user: User, *, role: str, by: User) -> ProcessParticipant:
    """Ask `user` to confirm their part. Only someone already confirmed in the process
    invites, and only people of the process's scheme."""
    mine = process.participant(by)
    if mine is None or mine.confirmed_at is None:
        raise ProcessError(_("Only a practitioner who took part can invite another."))
    if role not in (*FACILITATING, "observer"):
        raise ProcessError(_("Choose a role in the process."))
    if process.participant(user) is not None:
        raise ProcessError(_("%(name)s is already part of this process.",
                             name=user.display_name))
    if not is_member(user.id, process.scheme_id):
        raise ProcessError(_("Choose someone from this process's scheme."))
    participant = ProcessParticipant(user_id=user.id, role=role, invited_by_id=by.id)
    process.participants.append(participant)
    db.session.flush()
    audit.record("process.invited", actor=by, object_type="restorative_process",
                 object_id=process.id, payload={"user_id": user.id, "role": role})
    notify.notify(user, _("%(name)s says you took part in process %(code)s. Confirm your "
                          "part to be credited for it.", name=by.display_name,
                          code=process.case_code),
                  "/practice/", topic=confirm_topic(participant))
    return participant


def confirm_topic(participant: ProcessParticipant) -> str:
    return f"confirm:process_participant:{participant.id}"


def confirm(participant: ProcessParticipant, user: User) -> PracticeRecord | None:
    """The practitioner confirms their own part. A facilitator gets their own draft practice
    record for the process (the facts come from the process; they add their reflection)."""
    refusal = participant.confirm_refusal(user)
    if refusal:
        raise ProcessError(refusal)
    claimed = db.session.execute(
        update(ProcessParticipant).where(ProcessParticipant.id == participant.id,
                                         ProcessParticipant.confirmed_at.is_(None))
        .values(confirmed_at=clock.utcnow()))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise ProcessError(_("You have already confirmed your part in this process."))
    db.session.refresh(participant)
    process = participant.process
    record = None
    if participant.role in FACILITATING:
        lead = next((p.user_id for p in process.participants
                     if p.role == "lead" and p.user_id != user.id), None)
        record = PracticeRecord(author_id=user.id, process_id=process.id,
                                case_code=new_case_code(clock.today()),
                                practitioner_role=participant.role, co_facilitator_id=lead,
                                stages=[], reflection="")
        copy_facts(process, record)
        db.session.add(record)
    db.session.flush()
    audit.record("process.confirmed", actor=user, object_type="restorative_process",
                 object_id=process.id, payload={"role": participant.role,
                                                "practice_record_id": record.id if record
                                                else None})
    notify.done(confirm_topic(participant))
    return record


def decline(participant: ProcessParticipant, user: User) -> None:
    """The practitioner says they did not take part: the invitation goes."""
    refusal = participant.confirm_refusal(user)
    if refusal:
        raise ProcessError(refusal)
    audit.record("process.declined", actor=user, object_type="restorative_process",
                 object_id=participant.process_id, payload={"role": participant.role})
    notify.done(confirm_topic(participant))
    db.session.delete(participant)
    db.session.flush()


def record_outcomes(process: RestorativeProcess, actor: User, *, answers: dict[str, str],
                    items_agreed: int | None, items_completed: int | None) -> None:
    refusal = process.manage_refusal(actor)
    if refusal:
        raise ProcessError(refusal)
    setting = catalogue.setting(process.setting)
    asked = setting.outcomes if setting else ()
    if set(answers) - set(asked) or set(answers.values()) - set(catalogue.ANSWERS):
        raise ProcessError(_("Answer the outcome questions listed."))
    if items_agreed is not None and items_completed is not None \
            and items_completed > items_agreed:
        raise ProcessError(_("More items completed than were agreed."))
    existing = {o.key: o for o in process.outcomes}
    for key, answer in answers.items():
        if key in existing:
            existing[key].answer = answer
        else:
            process.outcomes.append(ProcessOutcome(key=key, answer=answer))
    process.items_agreed, process.items_completed = items_agreed, items_completed
    db.session.flush()
    audit.record("process.outcomes_recorded", actor=actor, object_type="restorative_process",
                 object_id=process.id, payload={"answers": answers})


def take_up_refusal(counts: dict[str, int]) -> str | None:
    """Counts that cannot be true of one side of a process (each stage is reached by no more
    people than the stage before)."""
    if any(v < 0 for v in counts.values()):
        return _("Counts cannot be negative.")
    order = ("offered", "interested", "met", "took_part")
    for earlier, later in pairwise(order):
        if counts[later] > counts[earlier]:
            return _("No more people can reach a stage than reached the stage before it.")
    declined = (counts["declined_at_offer"] + counts["declined_after_interest"]
                + counts["declined_after_meeting"])
    if counts["took_part"] + declined > counts["offered"]:
        return _("Those who took part and those who declined add up to more than were "
                 "offered.")
    return None


def record_take_up(process: RestorativeProcess, actor: User, *,
                   counts: dict[str, dict[str, int]]) -> None:
    refusal = process.manage_refusal(actor)
    if refusal:
        raise ProcessError(refusal)
    existing = {t.party: t for t in process.take_up}
    for party, numbers in counts.items():
        if party not in catalogue.PARTIES or set(numbers) != set(catalogue.FUNNEL):
            raise ProcessError(_("Unknown take-up count."))
        problem = take_up_refusal(numbers)
        if problem:
            raise ProcessError(problem)
        row = existing.get(party) or ProcessTakeUp(party=party)
        for key, value in numbers.items():
            setattr(row, key, value)
        if party not in existing:
            process.take_up.append(row)
    db.session.flush()
    audit.record("process.take_up_recorded", actor=actor, object_type="restorative_process",
                 object_id=process.id, payload=counts)


def code_hash(code: str) -> str:
    return hashlib.sha256(_normal(code).encode()).hexdigest()


def _normal(code: str) -> str:
    return "".join(c for c in code.upper() if c in CODE_ALPHABET)


def make_feedback_code(process: RestorativeProcess, actor: User, *, max_answers: int) -> str:
    """A new code for the questionnaire, shown once; only its hash is kept. Good for
    `max_answers` answers (one per participant)."""
    refusal = process.manage_refusal(actor)
    if refusal:
        raise ProcessError(refusal)
    if not 1 <= max_answers <= catalogue.feedback("max_answers_per_code"):
        raise ProcessError(_("Choose how many people may answer."))
    raw = "".join(secrets.choice(CODE_ALPHABET) for _n in range(12))
    code = "-".join(raw[i:i + 4] for i in range(0, 12, 4))
    db.session.add(FeedbackCode(process_id=process.id, code_hash=code_hash(code),
                                max_answers=max_answers, created_by_id=actor.id))
    db.session.flush()
    audit.record("process.feedback_code_made", actor=actor, object_type="restorative_process",
                 object_id=process.id, payload={"max_answers": max_answers})
    return code


def feedback_code(code: str) -> FeedbackCode | None:
    """The code, while it can still take an answer."""
    found = db.session.scalar(select(FeedbackCode).where(
        FeedbackCode.code_hash == code_hash(code[:40])))
    if found is None or found.answers_used >= found.max_answers:
        return None
    return found


def answer_feedback(code: FeedbackCode, *, satisfaction: int | None, recommend: str | None,
                    comment: str) -> FeedbackResponse:
    """A participant's answers, by code. Uses one of the code's answers atomically, so a
    code is never good for more answers than it was made for."""
    used = db.session.execute(
        update(FeedbackCode).where(FeedbackCode.id == code.id,
                                   FeedbackCode.answers_used < FeedbackCode.max_answers)
        .values(answers_used=FeedbackCode.answers_used + 1))
    if used.rowcount != 1:  # type: ignore[attr-defined]
        raise ProcessError(_("This code has already been used."))
    return _response(code.process_id, satisfaction, recommend, comment, "online", actor=None)


def enter_paper_feedback(process: RestorativeProcess, actor: User, *,
                         satisfaction: int | None, recommend: str | None,
                         comment: str) -> FeedbackResponse:
    refusal = process.manage_refusal(actor)
    if refusal:
        raise ProcessError(refusal)
    return _response(process.id, satisfaction, recommend, comment, "paper", actor=actor)


def _response(process_id, satisfaction, recommend, comment, source, *, actor):
    response = FeedbackResponse(process_id=process_id, satisfaction=satisfaction,
                                recommend=recommend, comment=comment.strip(), source=source,
                                received_on=clock.today())
    db.session.add(response)
    db.session.flush()
    # no actor and no response id for online answers: the trail says only that one came in
    audit.record("process.feedback_received", actor=actor, object_type="restorative_process",
                 object_id=process_id, payload={"source": source})
    return response
