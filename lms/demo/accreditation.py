"""Demo accreditation: records in several states, a waiting application, a public register."""

from datetime import timedelta

from sqlalchemy import select

from lms import clock
from lms.accreditation import evidence as evidence_store
from lms.accreditation import issuing, lifecycle, services
from lms.accreditation.evaluation import evaluate
from lms.accreditation.models import AccreditationRecord, Application
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
        record.expires_on = services.add_months(record.issued_on, validity)
        while status != "lapsed" and record.expires_on < today:  # renewed each year since
            record.expires_on = services.add_months(record.expires_on, validity)
        users[holder].listed_publicly = listed
        if status == "lapsed":
            record.expires_on = today - timedelta(days=20)
        if status in ("suspended", "revoked"):
            issuing.signed_credential(record)  # the holder's earlier credential
        if status:
            lifecycle.change(record, status, actor=admin if status != "lapsed" else None,
                             reason=DEMO_REASONS.get(status, "Career break."))
    lifecycle.sweep(today, standards)
    _waiting_application(users, standards)
    users["admin"].is_assessor = True
    db.session.flush()
    return f"Accreditation demo ready ({len(RECORDS)} records)."


def _approve(user, level_key, admin, standards) -> AccreditationRecord:
    """An application decided by the admin (demo history starts with real decisions)."""
    evidence = evidence_store.gather(user.id)
    evaluation = evaluate(standards.levels[level_key], evidence)
    application = Application(
        applicant_id=user.id, level_key=level_key,
        standard_version_id=services.current_standard_version(standards).id,
        scheme_id=user.memberships[0].scheme_id if user.memberships else None,
        snapshot={**evidence_store.snapshot(evaluation, evidence), "signed_off_by": []})
    db.session.add(application)
    db.session.flush()
    return services.decide(application, admin, "approved",
                           "Evidence reviewed at the accreditation panel (demo).")


def _waiting_application(users, standards):
    applicant, lead = users["prison.trainee1"], users["prison.lead"]
    evidence = evidence_store.gather(applicant.id)
    evaluation = evaluate(standards.levels["foundation"], evidence)
    db.session.add(Application(
        applicant_id=applicant.id, level_key="foundation", nominated_by_id=lead.id,
        standard_version_id=services.current_standard_version(standards).id,
        scheme_id=applicant.memberships[0].scheme_id,
        snapshot={**evidence_store.snapshot(evaluation, evidence), "signed_off_by": []}))
