"""Applying (or being nominated) for accreditation: the rules on who may apply for a level
by which route, and the evidence frozen with the application. Functions flush, never
commit; applying writes an audit event in the same transaction."""

from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.accreditation import evidence as evidence_store
from lms.accreditation import portfolio
from lms.accreditation.evaluation import evaluate
from lms.accreditation.evaluation_types import Evaluation
from lms.accreditation.models import (
    VALID_STATUSES,
    AccreditationRecord,
    Application,
    ApplicationStatus,
    RecordStatus,
    status_label,
)
from lms.accreditation.refusals import AccreditationError, own_record_refusal
from lms.accreditation.standard_versions import RECORD_LANGUAGE, current_standard_version
from lms.accreditation.standards import Standards, load_standards
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l
from lms.practice.models import Assessment, PracticeRecord, PracticeStatus

#: A record in these statuses still belongs to its holder: no second record of the level.
PAUSED_STATUSES = (RecordStatus.WITHDRAWN, RecordStatus.SUSPENDED)
#: Evidence routes as named to people.
ROUTE_LABELS = {"standard": _l("standard"), "portfolio": _l("portfolio")}
ALREADY_WAITING = _l("An application for this level is already waiting for a decision.")


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
