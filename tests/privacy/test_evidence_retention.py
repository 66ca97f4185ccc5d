"""Issue 12: uploaded evidence files are deleted once past the retention period in
courses/policy.yaml (after the decision on their application; after upload when never sent;
after expiry for insurance documents), by the audited, idempotent privacy sweep. The bytes
leave the store only when the sweep's transaction commits."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms import clock, policy
from lms.accreditation.models import (
    Application,
    EvidenceFile,
    IndemnityInsurance,
    PortfolioItem,
    StandardVersion,
)
from lms.accreditation.storage import EXTENSION_KEY, LocalStore
from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.privacy import retention

DESCRIBES = "evidence files deleted (work products, insurance documents)"


@pytest.fixture
def store(app, tmp_path, monkeypatch):
    local = LocalStore(tmp_path / "evidence")
    monkeypatch.setitem(app.extensions, EXTENSION_KEY, local)
    return local


def _file(store, user_id, key, **owner) -> None:
    store.put(key, f"bytes of {key}".encode(), "image/png")
    db.session.add(EvidenceFile(user_id=user_id, filename=f"{key}.png",
                                content_type="image/png", size=10, sha256="0" * 64,
                                storage_key=key, redaction_confirmed=True, **owner))


@pytest.fixture
def files(app, store, make_user):
    """One file of each kind either side of the retention period."""
    user = make_user()
    years = policy.retention("evidence_files_years")
    old = clock.utcnow() - timedelta(days=365 * years + 10)
    recent = clock.utcnow() - timedelta(days=365 * (years - 1))
    with app.app_context():
        version = StandardVersion(content_hash="e" * 64, levels={})
        db.session.add(version)
        db.session.flush()
        for name, decided in (("decided_old", old), ("decided_recent", recent),
                              ("pending", None)):
            application = Application(applicant_id=user.id, level_key=name,
                                      standard_version_id=version.id, snapshot={},
                                      status="approved" if decided else "submitted",
                                      submitted_at=old, decided_at=decided)
            db.session.add(application)
            db.session.flush()
            item = PortfolioItem(user_id=user.id, application_id=application.id,
                                 kind="work_product", title=name, summary="A template.")
            db.session.add(item)
            db.session.flush()
            _file(store, user.id, name, portfolio_item_id=item.id)
        for name, created in (("unsent_old", old), ("unsent_recent", recent)):
            item = PortfolioItem(user_id=user.id, kind="work_product", title=name,
                                 summary="A draft.")
            db.session.add(item)
            db.session.flush()
            _file(store, user.id, name, portfolio_item_id=item.id, created_at=created)
        for name, expired in (("insurance_old", old.date()), ("insurance_recent",
                                                                recent.date())):
            insurance = IndemnityInsurance(user_id=user.id, insurer="Insurer",
                                           policy_number="P1", expires_on=expired)
            db.session.add(insurance)
            db.session.flush()
            _file(store, user.id, name, insurance_id=insurance.id)
        db.session.commit()
    return user


def _left(app):
    with app.app_context():
        return sorted(db.session.scalars(select(EvidenceFile.storage_key)))


def _in_store(store):
    return sorted(p.name for p in store.root.iterdir())


def test_the_dry_run_counts_and_the_sweep_deletes_rows_and_bytes(app, files, store, runner):
    dry = runner.invoke(args=["privacy", "sweep", "--dry-run"])
    assert f"would change      3  {DESCRIBES}" in dry.output
    assert len(_left(app)) == 7
    done = runner.invoke(args=["privacy", "sweep"])
    assert done.exit_code == 0
    assert f"changed      3  {DESCRIBES}" in done.output
    kept = ["decided_recent", "insurance_recent", "pending", "unsent_recent"]
    assert _left(app) == kept
    assert _in_store(store) == kept
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "privacy.retention_applied",
            AuditEvent.object_id == "evidence_files_years"))
        assert event.payload == {"rows": 3, "period": policy.retention("evidence_files_years")}
        # the decision stays, with its application
        assert db.session.scalar(select(Application.status).where(
            Application.level_key == "decided_old")) == "approved"
    again = runner.invoke(args=["privacy", "sweep"])
    assert f"changed      0  {DESCRIBES}" in again.output
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_bytes_stay_when_the_sweep_is_rolled_back(app, files, store):
    with app.app_context():
        assert retention.sweep()[DESCRIBES] == 3
        db.session.rollback()
        assert len(_in_store(store)) == 7
        assert len(db.session.scalars(select(EvidenceFile.id)).all()) == 7
        retention.sweep()
        db.session.commit()
    assert len(_in_store(store)) == 4


def test_the_record_of_processing_states_the_evidence_period(app, make_user):
    from tests.helpers import login_as
    page = login_as(app, make_user(is_admin=True)).get("/admin/privacy").get_data(
        as_text=True)
    years = policy.retention("evidence_files_years")
    assert f"Deleted {years} years after the decision on the application" in page


def test_the_policy_period_is_data(monkeypatch, app, files, store):
    with app.app_context():
        assert retention.plan(date.today())[DESCRIBES] == 3
        real = policy.retention
        monkeypatch.setattr(policy, "retention", lambda key: 50 if key ==
                            "evidence_files_years" else real(key))
        assert retention.plan(date.today())[DESCRIBES] == 0
