"""Applying for accreditation and deciding applications. Functions flush, never commit;
each decision writes an audit event in the same transaction."""

from __future__ import annotations

import calendar
import secrets
from collections.abc import Callable
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import Insert as PgInsert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from lms import clock
from lms.accreditation import evidence as evidence_store
from lms.accreditation import portfolio
from lms.accreditation.evaluation import Evaluation, RequirementResult, evaluate
from lms.accreditation.models import (
    VALID_STATUSES,
    AccreditationRecord,
    Application,
    ApplicationStatus,
    Attestation,
    RecordStatus,
    StandardVersion,
    StatusChange,
    status_label,
)
from lms.accreditation.standards import Standards, load_standards
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.notify import services as notify
from lms.people.services import can_manage_person
from lms.practice.models import Assessment, PracticeRecord, PracticeStatus

ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


#: A record in these statuses still belongs to its holder: no second record of the level.
PAUSED_STATUSES = (RecordStatus.WITHDRAWN, RecordStatus.SUSPENDED)
#: The language of words kept on records (frozen evaluations, the standards of a version).
RECORD_LANGUAGE = "en"
#: Evidence routes as named to people.
ROUTE_LABELS = {"standard": _l("standard"), "portfolio": _l("portfolio")}
ALREADY_WAITING = _l("An application for this level is already waiting for a decision.")


class AccreditationError(Exception):
    """A rule refused the action; the message is shown to the person. The caller rolls
    the session back (a refusal may come from a constraint the database enforced)."""


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
    """The stored version for these standards, stored now if new. Simultaneous first uses
    of a new version insert it once (the content hash is unique; the others do nothing)."""
    inserts: dict[str, Callable[[type[StandardVersion]], PgInsert | SqliteInsert]] = {
        "postgresql": pg_insert, "sqlite": sqlite_insert}
    insert = inserts[db.engine.dialect.name]
    db.session.execute(insert(StandardVersion).values(
        content_hash=standards.content_hash, loaded_at=clock.now(), levels={
            key: {"name": level.name, "validity_months": level.validity_months,
                  "depends_on": list(level.depends_on)}
            for key, level in standards.levels.items()})
        .on_conflict_do_nothing(index_elements=["content_hash"]))
    version = db.session.scalar(select(StandardVersion).where(
        StandardVersion.content_hash == standards.content_hash))
    assert version is not None  # inserted above, by this or a simultaneous first use
    if version.content is None:
        version.content = standards_text(standards)
        db.session.flush()
    return version


def standards_text(standards: Standards) -> dict:
    """The standards in words, as kept on each version for the standards page: in
    English, the language the records are kept in, whoever's request first uses it."""
    with force_locale(RECORD_LANGUAGE):
        return _standards_text(standards)


def standards_text_shown(standards: Standards) -> dict:
    """The standards in words in the page's language, for the version in force (earlier
    versions are shown as kept, in English)."""
    return _standards_text(standards)


def _standards_text(standards: Standards) -> dict:
    empty = evidence_store.empty_evidence(clock.today())
    titles = evidence_store.course_titles()
    names = {key: level.local_name for key, level in standards.levels.items()}

    def described(level, maintenance):
        return [r.description for r in evaluate(level, empty, course_titles=titles,
                                                 level_names=names,
                                                 maintenance=maintenance).results]

    return {"levels": [{"key": level.key, "name": level.local_name,
                        "summary": level.local_summary,
                        "note": level.local_note, "validity_months": level.validity_months,
                        "depends_on": [names.get(k, k) for k in level.depends_on],
                        "requirements": described(level, False),
                        "maintenance": described(level, True)}
                       for level in standards.levels.values()],
            "attestations": dict(standards.attestations),
            "expiring_notice_days": standards.expiring_notice_days}


def own_record_refusal(user: User, holder_id: int) -> str | None:
    """Nobody decides, changes or renews their own accreditation or application, whatever
    their role; the holder's own requests (withdrawal, return) are not decisions."""
    if user.id == holder_id:
        return _("Nobody may decide on their own accreditation or application.")
    return None


def pathway(user: User, standards: Standards | None = None) -> list[Evaluation]:
    """The person's evaluation against every level (a fixed number of queries)."""
    standards = standards or load_standards()
    evidence = evidence_store.gather(user.id)
    titles = evidence_store.course_titles()
    names = {key: level.local_name for key, level in standards.levels.items()}
    return [evaluate(level, evidence, course_titles=titles, level_names=names)
            for level in standards.levels.values()]


def cpd_standing(user: User) -> list[tuple[str, RequirementResult]]:
    """(level name, result) of each CPD requirement of each level, worded by the same
    evaluation as the pathway, so the CPD log and the pathway never disagree."""
    return [(ev.level.local_name, result) for ev in pathway(user) for top in ev.results
            for result in (top, *top.parts) if result.requirement.kind == "cpd_hours"]


def valid_record(user_id: int, level_key: str) -> AccreditationRecord | None:
    return db.session.scalar(select(AccreditationRecord).where(
        AccreditationRecord.holder_id == user_id, AccreditationRecord.level_key == level_key,
        AccreditationRecord.status.in_(VALID_STATUSES)))


def pending_application(user_id: int, level_key: str) -> Application | None:
    return db.session.scalar(select(Application).where(
        Application.applicant_id == user_id, Application.level_key == level_key,
        Application.status == ApplicationStatus.SUBMITTED))


def apply(applicant: User, level_key: str, *, nominated_by: User | None = None,
          scheme_id: int | None = None, route: str = "standard") -> Application:
    """Apply (or nominate) for a level by a route; the evidence (and, on the portfolio
    route, the portfolio items) is frozen with the application."""
    standards = load_standards()
    level = standards.levels.get(level_key)
    if level is None:
        raise AccreditationError(_("There is no such accreditation level."))
    if route not in level.routes:
        raise AccreditationError(_("%(level)s does not accept the %(route)s route.",
                                   level=level.name, route=ROUTE_LABELS.get(route, route)))
    if valid_record(applicant.id, level_key):
        raise AccreditationError(_("%(name)s already holds %(level)s.",
                                   name=applicant.display_name, level=level.name))
    if paused := db.session.scalar(select(AccreditationRecord.status).where(
            AccreditationRecord.holder_id == applicant.id,
            AccreditationRecord.level_key == level_key,
            AccreditationRecord.status.in_(PAUSED_STATUSES)).limit(1)):
        raise AccreditationError(_("%(name)s holds %(level)s, %(status)s: it returns or is "
                                   "reinstated, not applied for again.",
                                   name=applicant.display_name, level=level.name,
                                   status=status_label(paused)))
    if pending_application(applicant.id, level_key):
        raise AccreditationError(ALREADY_WAITING)
    if nominated_by and (refusal := own_record_refusal(nominated_by, applicant.id)):
        raise AccreditationError(refusal)
    evidence = evidence_store.gather(applicant.id)
    items = portfolio.items_of(applicant.id) if route == "portfolio" else []
    with force_locale(RECORD_LANGUAGE):  # the frozen words are kept in English
        evaluation = route_evaluation(level, route, evidence, items, standards)
        frozen = evidence_store.snapshot(evaluation, evidence)
    if not evaluation.eligible:
        raise AccreditationError(_("Not every requirement is met yet: see the pathway."))
    frozen["signed_off_by"] = _practice_assessors(applicant.id)
    application = Application(
        applicant_id=applicant.id, level_key=level_key, snapshot=frozen, route=route,
        standard_version_id=current_standard_version(standards).id,
        nominated_by_id=nominated_by.id if nominated_by else None,
        scheme_id=scheme_id or (applicant.memberships[0].scheme_id
                                if applicant.memberships else None))
    db.session.add(application)
    try:
        db.session.flush()
    except IntegrityError as clash:  # a simultaneous application won the unique index
        raise AccreditationError(ALREADY_WAITING) from clash
    if items:
        application.snapshot = {**frozen, "portfolio": portfolio.attach(items, application)}
        db.session.flush()
    audit.record("accreditation.applied", actor=nominated_by or applicant,
                 object_type="application", object_id=application.id,
                 payload={"level": level_key, "applicant_id": applicant.id})
    return application


def route_evaluation(level, route: str, evidence, items, standards: Standards) -> Evaluation:
    """The level's requirements on the standard route, or the portfolio route's."""
    names = {key: lv.name for key, lv in standards.levels.items()}
    if route == "portfolio":
        return portfolio.evaluate_portfolio(level, items, evidence,
                                            portfolio.Figures.from_policy(), level_names=names)
    return evaluate(level, evidence, course_titles=evidence_store.course_titles(),
                    level_names=names)


def _practice_assessors(user_id: int) -> list[int]:
    """Who signed off the applicant's practice: they may not decide the application."""
    return sorted(set(db.session.scalars(
        select(Assessment.supervisor_id).join(Assessment.record)
        .where(PracticeRecord.author_id == user_id,
               PracticeRecord.status == PracticeStatus.SIGNED_OFF,
               Assessment.outcome == "signed off", Assessment.supervisor_id.is_not(None)))))


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


def can_decide(user: User, application: Application) -> bool:
    return decide_refusal(user, application) is None


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


def set_attestations(user: User, chosen: set[str], standards: Standards | None = None) -> None:
    """Agree to the chosen statements and withdraw agreement from the others."""
    standards = standards or load_standards()
    chosen = set(chosen) & set(standards.attestations)
    existing = {a.key: a for a in db.session.scalars(select(Attestation).where(
        Attestation.user_id == user.id))}
    added, removed = sorted(chosen - set(existing)), sorted(set(existing) - chosen)
    for key in added:
        db.session.add(Attestation(user_id=user.id, key=key))
    for key in removed:
        db.session.delete(existing[key])
    try:
        db.session.flush()
    except IntegrityError as clash:  # the same form posted twice at once
        # Lazy: the words are chosen when shown, after the view has rolled back (choosing
        # the language may read the signed-in user, which a failed session cannot).
        raise AccreditationError(_l("Your statements were being saved twice at once; check "
                                    "them and save again.")) from clash
    audit.record("attestations.updated", actor=user, object_type="user", object_id=user.id,
                 payload={"agreed": sorted(chosen), "added": added, "removed": removed})


def legal_name_refusal(user: User, holder: User) -> str | None:
    """Only a lead of the holder's scheme or an administrator, never the holder."""
    if refusal := own_record_refusal(user, holder.id):
        return refusal
    if not (user.is_admin or can_manage_person(user, holder)):
        return _("Only a lead of the holder's scheme or an administrator changes a legal "
                 "name.")
    return None


def change_legal_name(holder: User, new_name: str, *, actor: User, reason: str) -> int:
    """Every record of the holder shows the new legal name from now on; valid ones are
    reissued (a new version from today). Returns how many records changed."""
    if refusal := legal_name_refusal(actor, holder):
        raise AccreditationError(refusal)
    new_name, reason = " ".join(new_name.split()), reason.strip()
    if not new_name or not reason:
        raise AccreditationError(_("Give the new legal name and the evidence seen for it."))
    today = clock.today()
    records = db.session.scalars(select(AccreditationRecord).where(
        AccreditationRecord.holder_id == holder.id,
        AccreditationRecord.holder_name != new_name)).all()
    for record in records:
        old = record.holder_name
        record.holder_name = new_name
        if record.valid:
            record.valid_from = today
        record.history.append(StatusChange(
            from_status=record.status, to_status=record.status, actor_id=actor.id,
            reason=f"{'Reissued' if record.valid else 'Renamed'} under the legal name "
                   f"{new_name} (was {old}): {reason}"))
        audit.record("accreditation.legal_name_changed", actor=actor,
                     object_type="accreditation", object_id=record.public_id,
                     payload={"from": old, "to": new_name, "reason": reason})
    db.session.flush()
    return len(records)
