"""What happens to accreditation records over time: withdrawal and return, suspension and
reinstatement, revocation, renewal, and the daily sweep by date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from flask_babel import force_locale, format_date
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from lms import clock
from lms.accreditation import cpd_audit, insurance, status_list
from lms.accreditation import evidence as evidence_store
from lms.accreditation.evaluation import evaluate
from lms.accreditation.models import (
    VALID_STATUSES,
    AccreditationRecord,
    RecordStatus,
    StatusChange,
    status_label,
)
from lms.accreditation.periods import add_months
from lms.accreditation.refusals import AccreditationError, own_record_refusal
from lms.accreditation.standards import LevelStandard, Standards, load_standards
from lms.audit import services as audit
from lms.extensions import db
from lms.i18n import gettext as _
from lms.i18n import pgettext
from lms.notify import services as notify

S = RecordStatus
#: action -> (statuses it may start from, who may do it)
TRANSITIONS = {
    "withdraw": ((S.ACTIVE, S.EXPIRING), "holder"),
    "return": ((S.WITHDRAWN,), "holder"),
    "suspend": ((S.ACTIVE, S.EXPIRING, S.WITHDRAWN), "admin"),
    "reinstate": ((S.SUSPENDED,), "admin"),
    "revoke": ((S.ACTIVE, S.EXPIRING, S.WITHDRAWN, S.SUSPENDED, S.LAPSED), "admin"),
    "renew": ((S.ACTIVE, S.EXPIRING), "admin"),
}


def date_status(record: AccreditationRecord, today: date, notice_days: int) -> RecordStatus:
    """Active, expiring or lapsed, from the dates alone."""
    if record.expires_on < today:
        return S.LAPSED
    if (record.expires_on - today).days <= notice_days:
        return S.EXPIRING
    return S.ACTIVE


def allowed_actions(record: AccreditationRecord, user) -> list[str]:
    """The holder asks for withdrawal and return; staff decide the rest, never on their
    own record (own_record_refusal)."""
    is_holder = user.id == record.holder_id
    is_staff = (user.is_admin or user.is_assessor) and not own_record_refusal(
        user, record.holder_id)
    return [action for action, (starts, who) in TRANSITIONS.items()
            if record.status in starts and (is_staff if who == "admin" else is_holder
                                            or is_staff)]


def change(record: AccreditationRecord, to: RecordStatus, *, actor, reason: str) -> None:
    if record.status == to:
        return
    record.history.append(StatusChange(from_status=record.status, to_status=to,
                                       actor_id=actor.id if actor else None, reason=reason))
    audit.record("accreditation.status_changed", actor=actor, object_type="accreditation",
                 object_id=record.public_id, payload={"from": record.status, "to": str(to)})
    record.status = to
    db.session.flush()
    status_list.record_changed(record)  # the public status lists move with the record


def act(record: AccreditationRecord, action: str, *, actor, reason: str,
        standards: Standards | None = None) -> str | None:
    """Carry out a lifecycle action, refusing transitions the rules do not allow. Returns
    a note to show when only part was done (a joint renewal that left a level out)."""
    if TRANSITIONS.get(action, (None, ""))[1] == "admin" and (
            refusal := own_record_refusal(actor, record.holder_id)):
        raise AccreditationError(refusal)
    if action not in allowed_actions(record, actor):
        raise AccreditationError(_("This record is %(status)s: it cannot be %(done)s now.",
                                   status=status_label(record.status),
                                   done=past_tense(action)))
    if not reason.strip():
        raise AccreditationError(_("Give a reason; it is kept in the record's history."))
    standards = standards or load_standards()
    today = clock.today()
    if action == "renew":
        return _renew(record, actor, reason, standards, today)
    elif action in ("return", "reinstate"):
        change(record, date_status(record, today, standards.expiring_notice_days),
               actor=actor, reason=reason)
    else:
        target = {"withdraw": S.WITHDRAWN, "suspend": S.SUSPENDED, "revoke": S.REVOKED}[action]
        change(record, target, actor=actor, reason=reason)
        if target == S.REVOKED:
            cascade_dependents(record.holder_id, standards, actor=actor)
    return None


def past_tense(action: str) -> str:
    """The action's past participle, for "it cannot be ... now" (a context of its own:
    Welsh words it differently from the status of the same name)."""
    words = {"withdraw": pgettext("it cannot be", "withdrawn"),
             "return": pgettext("it cannot be", "returned"),
             "suspend": pgettext("it cannot be", "suspended"),
             "reinstate": pgettext("it cannot be", "reinstated"),
             "revoke": pgettext("it cannot be", "revoked"),
             "renew": pgettext("it cannot be", "renewed")}
    return words[action]


def _renew(record, actor, reason, standards, today) -> str | None:
    """Renew every valid level the holder has, together (see renew_together); says which
    levels were not renewed and why."""
    _renewed, refused = renew_together(record.holder_id, actor, reason, standards, today)
    if not refused:
        return None
    return _("Not renewed: %(levels)s.", levels="; ".join(
        f"{standards.levels[key].name} ({missing})" for key, missing in refused.items()))


def renewal_plan(records, standards: Standards) -> list[tuple[LevelStandard, list]]:
    """(level standard, records it renews) for a joint renewal: the highest ladder level's
    maintenance rules renew every ladder record; each role level (one with depends_on)
    renews on its own maintenance rules."""
    ladder = [r for r in records if not standards.levels[r.level_key].depends_on]
    roles = [r for r in records if standards.levels[r.level_key].depends_on]
    order = list(standards.levels)
    plan = []
    if ladder:
        highest = max(ladder, key=lambda r: order.index(r.level_key))
        plan.append((standards.levels[highest.level_key], ladder))
    plan += [(standards.levels[r.level_key], [r]) for r in roles]
    return plan


def renew_together(holder_id: int, actor, reason: str, standards: Standards,
                   today: date) -> tuple[list, dict[str, str]]:
    """Renew the holder's valid records at once, each from a common anniversary: the
    earliest current expiry (or today, if later). Each renewal is a new version of the
    record (valid from today); the date first awarded stays. Returns the records renewed
    and, by level key, what is missing for those that were not."""
    records = db.session.scalars(select(AccreditationRecord).where(
        AccreditationRecord.holder_id == holder_id,
        AccreditationRecord.status.in_(VALID_STATUSES))).all()
    records = [r for r in records if r.level_key in standards.levels]
    if not records:
        raise AccreditationError(_("There is no valid accreditation to renew."))
    if refusal := cpd_audit.renewal_refusal(
            holder_id, {today.year} | {r.expires_on.year for r in records}):
        raise AccreditationError(refusal)
    evidence = evidence_store.gather(holder_id, today)
    titles = evidence_store.course_titles()
    names = {key: level.name for key, level in standards.levels.items()}
    renewed, refused = [], {}
    for level, group in renewal_plan(records, standards):
        evaluation = evaluate(level, evidence, course_titles=titles, level_names=names,
                              maintenance=True)
        if evaluation.eligible:
            renewed += group
        else:
            missing = "; ".join(r.missing for r in evaluation.results if r.missing)
            refused.update({r.level_key: missing for r in group})
    held_after = {r.level_key for r in renewed}
    renewed = [r for r in renewed  # a role whose ladder level was not renewed is not either
               if not standards.levels[r.level_key].depends_on
               or held_after & set(standards.levels[r.level_key].depends_on)]
    if not renewed:
        raise AccreditationError(_("The maintenance requirements are not met: %(missing)s.",
                                   missing="; ".join(dict.fromkeys(refused.values()))))
    anchor = max(today, min(r.expires_on for r in renewed))
    for record in renewed:
        level = standards.levels[record.level_key]
        record.expires_on = add_months(anchor, level.validity_months)
        record.valid_from = today
        record.history.append(StatusChange(from_status=record.status, to_status=record.status,
                                           actor_id=actor.id, reason=f"Renewed: {reason}"))
        audit.record("accreditation.renewed", actor=actor, object_type="accreditation",
                     object_id=record.public_id,
                     payload={"expires_on": record.expires_on.isoformat(),
                              "valid_from": today.isoformat(),
                              "together_with": sorted(r.public_id for r in renewed)})
        change(record, date_status(record, today, standards.expiring_notice_days),
               actor=actor, reason="Status after renewal.")
    db.session.flush()
    return renewed, refused


def cascade_dependents(holder_id: int, standards: Standards, *, actor=None) -> int:
    """Lapse valid records whose level depends on a level the holder no longer holds."""
    records = db.session.scalars(select(AccreditationRecord).where(
        AccreditationRecord.holder_id == holder_id)).all()
    held = {r.level_key for r in records if r.status in VALID_STATUSES}
    lapsed = 0
    for record in records:
        level = standards.levels.get(record.level_key)
        needs = set(level.depends_on) if level else set()
        if level and record.status in VALID_STATUSES and needs and not needs & held:
            names = " or ".join(standards.levels[key].name for key in level.depends_on)
            change(record, S.LAPSED, actor=actor, reason=f"{names} is no longer held.")
            held.discard(record.level_key)
            lapsed += 1
    return lapsed


def sweep(today: date | None = None, standards: Standards | None = None) -> dict[str, int]:
    """Move valid records to expiring or lapsed by date, cascade dependencies and queue
    reminders. Running it twice changes nothing the second time."""
    standards = standards or load_standards()
    today = today or clock.today()
    counts = {"expiring": 0, "lapsed": 0, "cascaded": 0, "reminders": 0}
    touched = set()
    for record in _records_to_sweep(today, standards):
        target = date_status(record, today, standards.expiring_notice_days)
        if target != record.status:
            change(record, target, actor=None,
                   reason=f"Expiry date {record.expires_on:%d %b %Y}.")
            if target != S.ACTIVE:  # back to active only if the notice period was shortened
                counts["lapsed" if target == S.LAPSED else "expiring"] += 1
            touched.add(record.holder_id)
        counts["reminders"] += _remind(record, today, standards)
    for holder_id in touched:
        counts["cascaded"] += cascade_dependents(holder_id, standards)
    counts["insurance reminders"] = insurance.remind_expiring(today, {
        key for key, level in standards.levels.items()
        if any(r.kind == "insurance_held" for r in level.maintenance)})
    return counts


#: Records read per query by the sweep.
SWEEP_BATCH = 500


def _records_to_sweep(today: date, standards: Standards) -> Iterator[AccreditationRecord]:
    """Valid records the sweep may act on, a batch at a time in id order: those whose
    expiry is within the notice or reminder periods (or past), and expiring ones (back to
    active if the notice period was shortened). The others, most records on a national
    register, can need nothing today and are never loaded."""
    horizon = today + timedelta(days=max([standards.expiring_notice_days,
                                          *standards.reminder_days]))
    query = (select(AccreditationRecord)
             .where(AccreditationRecord.status.in_(VALID_STATUSES),
                    or_(AccreditationRecord.expires_on <= horizon,
                        AccreditationRecord.status == S.EXPIRING))
             .order_by(AccreditationRecord.id).limit(SWEEP_BATCH)
             .options(selectinload(AccreditationRecord.holder),
                      selectinload(AccreditationRecord.history)))
    last_id = 0
    while batch := db.session.scalars(query.where(AccreditationRecord.id > last_id)).all():
        yield from batch
        last_id = batch[-1].id


def _remind(record, today, standards) -> int:
    if record.status not in VALID_STATUSES:
        return 0
    days_left = (record.expires_on - today).days
    due = [d for d in standards.reminder_days if days_left <= d]
    if not due:
        return 0
    window = min(due)
    key = f"accreditation-reminder:{record.id}:{record.expires_on.isoformat()}:{window}"
    with force_locale(record.holder.preferred_language or "en"):
        message = _("Your %(level)s accreditation (%(number)s) expires on %(day)s. Check "
                    "your pathway to renew it.", level=record.level_name,
                    number=record.public_id, day=format_date(record.expires_on, "dd MMM y"))
    sent = notify.notify(record.holder, message, "/accreditation/pathway", dedupe_key=key)
    return 1 if sent else 0
