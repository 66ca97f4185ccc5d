"""The portfolio route, for experienced practitioners who trained elsewhere: case studies
mapped to the stages, work products (one a risk assessment), references confirmed by the
referees themselves through a one-time link (no account needed), and a professional
discussion the assessor records before deciding. The figures are policy
(courses/policy.yaml); which levels accept the route is in standards.yaml."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from lms import clock, policy, urls
from lms.accreditation.evaluation import check
from lms.accreditation.evaluation_types import Evaluation, Evidence, RequirementResult
from lms.accreditation.evaluation_words import wording
from lms.accreditation.models import Application, EvidenceFile, PortfolioItem
from lms.accreditation.periods import months_before
from lms.accreditation.standards import LevelStandard, Requirement
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l
from lms.notify import services as notify
from lms.practice.models import STAGES

#: Item kinds as shown (the application page writes `_()` of the capitalised key).
KINDS = {"case_study": _l("Case study"), "work_product": _l("Work product"),
         "reference": _l("Reference")}
#: The level's own requirements that apply on the portfolio route too.
KEPT_KINDS = ("level_held", "attestation")


class PortfolioError(Exception):
    """A rule refused the action; the message is shown to the person."""


@dataclass(frozen=True)
class Figures:
    case_studies: int
    case_study_years: int
    work_products: int
    risk_assessments: int
    references: int

    @classmethod
    def from_policy(cls) -> Figures:
        return cls(**{name: policy.portfolio(name) for name in cls.__dataclass_fields__})


def evaluate_portfolio(level: LevelStandard, items, evidence: Evidence, figures: Figures,
                       *, level_names=None) -> Evaluation:
    """The portfolio route's requirements: the items, plus the level's level_held and
    attestation requirements."""
    today = evidence.today
    since = months_before(today, 12 * figures.case_study_years)
    cases = [i for i in items if i.kind == "case_study" and i.stages
             and i.occurred_on and since <= i.occurred_on <= today]
    products = [i for i in items if i.kind == "work_product"]
    risk = [i for i in products if i.is_risk_assessment]
    confirmed = [i for i in items if i.kind == "reference" and i.confirmed_at]
    results = [
        _count("case_studies", f"{figures.case_studies} case studies mapped to the stages, "
               f"from the last {figures.case_study_years} years", len(cases),
               figures.case_studies, "case studies"),
        _count("work_products", f"{figures.work_products} work products, at least "
               f"{figures.risk_assessments} a risk assessment", len(products),
               figures.work_products, "work products",
               extra=(figures.risk_assessments - len(risk), "risk assessment")),
        _count("references", f"{figures.references} references confirmed by people who "
               "saw the work", len(confirmed), figures.references, "confirmed references"),
    ]
    words = wording(level_names=level_names)
    results += [check(r, evidence, words) for r in level.requirements if r.kind in KEPT_KINDS]
    return Evaluation(level, tuple(results))


def _count(kind, description, have, need, noun, extra=(0, "")) -> RequirementResult:
    gaps = []
    if have < need:
        gaps.append(f"{need - have} more {noun}")
    if extra[0] > 0:
        gaps.append(f"{extra[0]} more {extra[1]}")
    return RequirementResult(Requirement(f"portfolio_{kind}", {}, 0), description, str(have),
                             str(need), not gaps, "; ".join(gaps) or None)


def items_of(user_id: int, *, application_id: int | None = None) -> list[PortfolioItem]:
    """The person's items not yet in an application (or those of one application)."""
    query = select(PortfolioItem).where(PortfolioItem.user_id == user_id)
    query = query.where(PortfolioItem.application_id == application_id if application_id
                        else PortfolioItem.application_id.is_(None))
    return list(db.session.scalars(query.order_by(PortfolioItem.kind, PortfolioItem.id)))


def add_item(user: User, *, kind: str, title: str, summary: str, stages=(),
             occurred_on: date | None = None, is_risk_assessment: bool = False,
             referee_name: str | None = None, referee_email: str | None = None
             ) -> tuple[PortfolioItem, str | None]:
    """Add an item; for a reference, also the referee's one-time token (shown once)."""
    if kind not in KINDS:
        raise PortfolioError(_("Choose a case study, a work product or a reference."))
    if not set(stages) <= set(STAGES):
        raise PortfolioError(_("Unknown stage."))
    if kind == "case_study" and (not stages or occurred_on is None):
        raise PortfolioError(_("Map the case study to the stages it shows and give its date."))
    if kind == "reference" and not (referee_name or "").strip():
        raise PortfolioError(_("Give the referee's name."))
    item = PortfolioItem(user_id=user.id, kind=kind, title=" ".join(title.split()),
                         summary=summary.strip(), stages=sorted(stages, key=list(STAGES).index),
                         occurred_on=occurred_on,
                         is_risk_assessment=kind == "work_product" and is_risk_assessment,
                         referee_name=(referee_name or "").strip() or None,
                         referee_email=(referee_email or "").strip() or None)
    token = None
    if kind == "reference":
        token = secrets.token_urlsafe(24)
        item.token_hash = token_hash(token)
        item.token_expires_at = clock.utcnow() + timedelta(
            days=policy.portfolio("reference_link_days"))
    db.session.add(item)
    db.session.flush()
    payload: dict = {"kind": kind}
    if token and item.referee_email:
        email_reference_link(item, token, user)
        payload["link"] = "emailed"
    elif token:
        payload["link"] = "shown"
    audit.record("portfolio.item_added", actor=user, object_type="portfolio_item",
                 object_id=item.id, payload=payload)
    return item, token


def email_reference_link(item: PortfolioItem, token: str, practitioner: User) -> None:
    """Send the referee their one-time link through the outbox. The practitioner never
    sees a link that was emailed, so only the referee can confirm."""
    assert item.referee_email is not None
    assert item.token_expires_at is not None
    link = urls.absolute_url("accreditation.portfolio.reference", token=token)
    body = _(
        "%(practitioner)s has asked you to confirm a reference for their accreditation as "
        "a restorative practitioner (portfolio route): \"%(title)s\".\n\n"
        "Open the link below to read what they wrote and confirm, in your own words, what "
        "you saw of their work. You do not need an account. The link works once and "
        "expires on %(expires)s.\n\n%(link)s\n\n"
        "If you do not know this person or did not see their work, do not confirm: you can "
        "ignore this email.",
        practitioner=practitioner.display_name, title=item.title,
        expires=item.token_expires_at.date().isoformat(), link=link)
    notify.queue_email(item.referee_email,
                       _("Please confirm a reference for %(name)s",
                         name=practitioner.display_name), body)


def remove_item(item: PortfolioItem, user: User) -> None:
    if item.user_id != user.id or item.application_id is not None:
        raise PortfolioError(_("Items in an application are frozen with it."))
    audit.record("portfolio.item_removed", actor=user, object_type="portfolio_item",
                 object_id=item.id, payload={"kind": item.kind})
    db.session.delete(item)
    db.session.flush()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def reference_for_token(token: str) -> PortfolioItem | None:
    """The reference a link is for, while the link is unused and unexpired."""
    item = db.session.scalar(select(PortfolioItem).where(
        PortfolioItem.token_hash == token_hash(token), PortfolioItem.kind == "reference"))
    if item is None or item.confirmed_at or item.token_expires_at is None \
            or item.token_expires_at < clock.utcnow():
        return None
    return item


def confirm_reference(item: PortfolioItem, *, referee_name: str, statement: str) -> None:
    """The referee's confirmation, in their own words; the link is then used up."""
    item.confirmed_at, item.confirmation = clock.utcnow(), statement.strip()
    item.referee_name = " ".join(referee_name.split()) or item.referee_name
    item.token_hash = None
    db.session.flush()
    audit.record("portfolio.reference_confirmed", actor=None, object_type="portfolio_item",
                 object_id=item.id, payload={"user_id": item.user_id,
                                             "referee": item.referee_name})


def attach(items, application: Application) -> list[dict]:
    """Freeze the items with the application; their summary for its snapshot."""
    for item in items:
        item.application_id = application.id
    db.session.flush()
    files: dict[int | None, list[dict]] = {}
    for file in db.session.scalars(select(EvidenceFile).where(
            EvidenceFile.portfolio_item_id.in_([i.id for i in items]))):
        files.setdefault(file.portfolio_item_id, []).append(
            {"id": file.id, "filename": file.filename, "sha256": file.sha256})
    return [{"files": files.get(i.id, []), "kind": i.kind, "title": i.title, "summary": i.summary,
             "confirmation": i.confirmation, "stages": list(i.stages),
             "occurred_on": i.occurred_on.isoformat() if i.occurred_on else None,
             "risk_assessment": i.is_risk_assessment, "referee": i.referee_name,
             "confirmed": bool(i.confirmed_at)} for i in items]
