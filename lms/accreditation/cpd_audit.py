"""The yearly CPD audit, as regulators run it: a random sample of the practitioners renewing
in a year (the share is policy in courses/policy.yaml) is drawn once, reproducibly (the
same year and the same renewing practitioners always give the same sample) and audited;
an assessor checks each sampled person's CPD evidence, and they are not renewed that year
until it is found satisfactory."""

from __future__ import annotations

import math
import random

from sqlalchemy import extract, select
from sqlalchemy.exc import IntegrityError

from lms import clock, policy
from lms.accreditation.models import VALID_STATUSES, AccreditationRecord, CpdAudit
from lms.accreditation.refusals import AccreditationError, own_record_refusal
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l

OUTCOMES = ("satisfactory", "not satisfactory")
#: The outcomes as shown (msgids, so a template can write `_(audit.outcome)`).
OUTCOME_LABELS = {"satisfactory": _l("satisfactory"), "not satisfactory": _l("not satisfactory")}


def renewing(year: int) -> list[int]:
    """Holders of a valid record that expires in `year`, in id order."""
    return sorted(set(db.session.scalars(select(AccreditationRecord.holder_id).where(
        AccreditationRecord.status.in_(VALID_STATUSES),
        extract("year", AccreditationRecord.expires_on) == year))))


def choose(year: int, population: list[int], share: float) -> list[int]:
    """The sample: a share of the population (rounded up), chosen by a generator seeded
    with the year and the population, so anyone can draw it again and get the same."""
    size = math.ceil(len(population) * share)
    seed = f"cpd-audit:{year}:" + ",".join(map(str, sorted(population)))
    rng = random.Random(seed)  # noqa: S311  (reproducible by design; nothing secret)
    return sorted(rng.sample(sorted(population), size))


def draw(year: int, *, actor: User | None) -> list[CpdAudit]:
    if db.session.scalar(select(CpdAudit.id).where(CpdAudit.year == year).limit(1)):
        raise AccreditationError(_("The %(year)s CPD audit sample has already been drawn.",
                                   year=year))
    population = renewing(year)
    share = policy.accreditation("cpd_audit_sample_share")
    sample = choose(year, population, share)
    audits = [CpdAudit(year=year, user_id=user_id) for user_id in sample]
    db.session.add_all(audits)
    try:
        db.session.flush()
    except IntegrityError as clash:  # drawn twice at once
        # lazy: worded when shown, once the view has rolled the failed session back
        raise AccreditationError(_l("The %(year)s CPD audit sample has already been drawn.",
                                    year=year)) from clash
    audit.record("cpd_audit.drawn", actor=actor, object_type="cpd_audit", object_id=year,
                 payload={"year": year, "share": share, "population": len(population),
                          "sampled": sample})
    return audits


def check_refusal(user: User, row: CpdAudit) -> str | None:
    if not (user.is_admin or user.is_assessor):
        return _("Only an assessor or an administrator checks CPD evidence.")
    return own_record_refusal(user, row.user_id)


def record_outcome(row: CpdAudit, checker: User, *, outcome: str, notes: str) -> None:
    if refusal := check_refusal(checker, row):
        raise AccreditationError(refusal)
    if outcome not in OUTCOMES:
        raise AccreditationError(_("Choose satisfactory or not satisfactory."))
    row.outcome, row.notes = outcome, notes.strip()
    row.checked_by_id, row.checked_at = checker.id, clock.utcnow()
    db.session.flush()
    audit.record("cpd_audit.checked", actor=checker, object_type="cpd_audit",
                 object_id=row.id, payload={"user_id": row.user_id, "year": row.year,
                                            "outcome": outcome})


def renewal_refusal(user_id: int, years: set[int]) -> str | None:
    """A person sampled in one of `years` is renewed only once their CPD is satisfactory."""
    open_audit = db.session.scalar(select(CpdAudit).where(
        CpdAudit.user_id == user_id, CpdAudit.year.in_(years),
        (CpdAudit.outcome.is_(None)) | (CpdAudit.outcome != "satisfactory")).limit(1))
    if open_audit is None:
        return None
    state = (_("not yet checked") if open_audit.outcome is None
             else str(OUTCOME_LABELS.get(open_audit.outcome, open_audit.outcome)))
    return _("Drawn for the %(year)s CPD audit (%(state)s): an assessor must find the CPD "
             "evidence satisfactory before renewal.", year=open_audit.year, state=state)
