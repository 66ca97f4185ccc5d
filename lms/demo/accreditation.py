"""Demo accreditation: records in several states, a waiting application, a public register."""

from datetime import timedelta

from sqlalchemy import select

from lms import clock
from lms.accreditation import cpd_audit, issuing, lifecycle, portfolio
from lms.accreditation import evidence as evidence_store
from lms.accreditation.decisions import decide, unmet_now
from lms.accreditation.evaluation import evaluate
from lms.accreditation.models import (
    AccreditationRecord,
    Application,
    IndemnityInsurance,
    Observation,
    RecordStatus,
)
from lms.accreditation.periods import add_months
from lms.accreditation.standard_versions import current_standard_version
from lms.accreditation.standards import load_standards
from lms.auth.models import User
from lms.extensions import db

#: (holder, level, days since issue, status to move to, listed publicly)
RECORDS = [
    ("school.trainee1", "foundation", 200, None, True),
    ("prison.trainer", "foundation", 700, None, True),
    ("prison.trainer", "intermediate", 300, None, True),
    ("prison.trainer", "trainer", 320, None, True),
    ("prison.supervisor", "foundation", 900, None, True),
    ("prison.supervisor", "intermediate", 800, None, True),
    ("prison.supervisor", "advanced", 760, None, True),
    ("prison.supervisor", "case_supervisor", 20, None, True),
    ("school.supervisor", "foundation", 500, None, False),
    ("school.supervisor", "intermediate", 420, "temporarily withdrawn", False),
    ("school.trainer", "foundation", 400, "lapsed", True),
    # Credentials were downloaded before these changed; the status lists report them.
    ("school.lead", "foundation", 600, "suspended", False),
    ("prison.lead", "foundation", 650, "revoked", False),
]

DEMO_REASONS = {"lapsed": "Expiry date passed.", "suspended": "Complaint under review (demo).",
                "revoked": "Breach of the code of practice (demo)."}


#: Demo history predates the platform: its evidence was seen on paper at the panel.
DEMO_DISCRETION = ("Evidence from before the platform was used was reviewed on paper at the "
                   "accreditation panel (demo).")
#: (observer, practitioner, days ago, how, stages, outcome): observed practice, distinct from
#: signed-off log records.
OBSERVATIONS = [
    ("prison.supervisor", "prison.trainee1", 40, "live", ["preparation", "delivery"],
     "meets the standard"),
    ("prison.supervisor", "prison.trainer", 100, "recording", ["delivery", "outcomes"],
     "meets the standard"),
    ("prison.supervisor", "prison.trainee2", 15, "live", ["delivery"], "not yet"),
]


def load_accreditation_demo() -> str:
    users = {u.username: u for u in db.session.scalars(select(User))}
    if "admin" not in users or db.session.scalar(select(AccreditationRecord.id).limit(1)):
        return "Accreditation demo already present."
    standards = load_standards()
    admin = users["admin"]
    today = clock.today()
    for holder, level, days, status, listed in RECORDS:
        record = _approve(users[holder], level, admin, standards)
        record.issued_on = today - timedelta(days=days)
        validity = standards.levels[level].validity_months
        record.expires_on = add_months(record.issued_on, validity)
        while status != "lapsed" and record.expires_on < today:  # renewed each year since
            record.expires_on = add_months(record.expires_on, validity)
        users[holder].listed_publicly = listed
        if status == "lapsed":
            record.expires_on = today - timedelta(days=20)
        if status in ("suspended", "revoked"):
            issuing.signed_credential(record)  # the holder's earlier credential
        if status:
            lifecycle.change(record, RecordStatus(status),
                             actor=admin if status != "lapsed" else None,
                             reason=DEMO_REASONS.get(status, "Career break."))
    lifecycle.sweep(today, standards)
    _observations(users, today)
    _waiting_application(users, standards)
    _insurance_and_cpd_audit(users, today, admin)
    _portfolio(users, today)
    users["admin"].is_assessor = True
    db.session.flush()
    return f"Accreditation demo ready ({len(RECORDS)} records)."


def _approve(user, level_key, admin, standards) -> AccreditationRecord:
    """An application decided by the admin (demo history starts with real decisions)."""
    evidence = evidence_store.gather(user.id)
    evaluation = evaluate(standards.levels[level_key], evidence)
    application = Application(
        applicant_id=user.id, level_key=level_key,
        standard_version_id=current_standard_version(standards).id,
        scheme_id=user.memberships[0].scheme_id if user.memberships else None,
        snapshot={**evidence_store.snapshot(evaluation, evidence), "signed_off_by": []})
    db.session.add(application)
    db.session.flush()
    unmet = unmet_now(application, standards)
    record = decide(application, admin, "approved",
                             "Evidence reviewed at the accreditation panel (demo).",
                             discretion_reason=DEMO_DISCRETION if unmet else None)
    assert record is not None  # approval issues a record
    return record


def _observations(users, today):
    for observer, practitioner, days, mode, stages, outcome in OBSERVATIONS:
        if observer in users and practitioner in users:
            db.session.add(Observation(
                practitioner_id=users[practitioner].id, observer_id=users[observer].id,
                scheme_id=users[practitioner].memberships[0].scheme_id,
                observed_on=today - timedelta(days=days), mode=mode, stages=stages,
                outcome=outcome, feedback="Observed against the stages; feedback given in "
                "supervision (demo)."))


def _insurance_and_cpd_audit(users, today, admin):
    """The trainer's insurance (expiring soon, so the reminder shows) and this year's CPD
    audit sample drawn by the admin."""
    db.session.add(IndemnityInsurance(user_id=users["prison.trainer"].id,
                                      insurer="Restorative Mutual (demo)",
                                      policy_number="PI-DEMO-0042",
                                      expires_on=today + timedelta(days=25)))
    db.session.flush()
    cpd_audit.draw(today.year, actor=admin)


def _portfolio(users, today):
    """school.trainee2 trained elsewhere: a portfolio with one reference confirmed and one
    waiting for its referee."""
    who = users.get("school.trainee2")
    if who is None:
        return
    for n, stages in enumerate((["engagement", "preparation"], ["delivery", "outcomes"],
                                ["risk", "follow_up"]), start=1):
        portfolio.add_item(who, kind="case_study", title=f"Case study {n} (demo)",
                           summary="A school conference after a fight between pupils; "
                           "separate preparation, agreement reviewed after a month.",
                           stages=stages, occurred_on=today - timedelta(days=200 * n))
    for n, title in enumerate(("Risk assessment", "Preparation plan", "Outcome agreement",
                               "Follow-up letter"), start=1):
        portfolio.add_item(who, kind="work_product", title=f"{title} (demo)",
                           summary="Template completed for a real case, anonymised.",
                           is_risk_assessment=n == 1)
    for n in (1, 2):
        item, _ = portfolio.add_item(who, kind="reference", title=f"Reference {n} (demo)",
                                     summary="Saw the practitioner lead conferences.",
                                     referee_name=f"Head of year {n} (demo)")
        if n == 1:
            portfolio.confirm_reference(item, referee_name=item.referee_name or "",
                                        statement="I co-facilitated three conferences with "
                                        "them in 2025 (demo).")


def _waiting_application(users, standards):
    applicant, lead = users["prison.trainee1"], users["prison.lead"]
    evidence = evidence_store.gather(applicant.id)
    evaluation = evaluate(standards.levels["foundation"], evidence)
    db.session.add(Application(
        applicant_id=applicant.id, level_key="foundation", nominated_by_id=lead.id,
        standard_version_id=current_standard_version(standards).id,
        scheme_id=applicant.memberships[0].scheme_id,
        snapshot={**evidence_store.snapshot(evaluation, evidence), "signed_off_by": []}))
