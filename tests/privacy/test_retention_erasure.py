"""Retention sweep, subject access export, account erasure and the record of processing,
end to end through the CLI and the web pages."""

import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from lms import clock
from lms.accreditation.models import AccreditationRecord, StandardVersion
from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.extensions import db
from lms.notify.models import Notification
from lms.practice.models import Assessment, PracticeRecord, SupervisionSession
from lms.privacy import retention
from lms.privacy.personal_data import PURPOSES, personal_tables
from lms.privacy.retention import REMOVED
from tests.helpers import login_as
from tests.practice.conftest import submitted_record

SIGN_OFF = {"outcome": "signed off", "feedback": "Calm and well prepared.",
            "ratings-preparation-rating": "strong", "ratings-delivery-rating": "demonstrated",
            "ratings-preparation-comment": "Thorough preparation."}


def signed_off_record(app, people):
    practitioner, record_id = submitted_record(app, people)
    practitioner.post(f"/practice/{record_id}/request",
                      data={"supervisor": people.supervisor.id})
    supervisor = login_as(app, people.supervisor)
    with app.app_context():
        version = db.session.get(PracticeRecord, record_id).version
    assert supervisor.post(f"/practice/{record_id}/assess",
                           data={**SIGN_OFF, "version": version}).status_code == 302
    return practitioner, record_id


def _age(app, record_id, years):
    """Move a record's sign-off (and the supervision held with it) into the past."""
    with app.app_context():
        past = clock.utcnow() - timedelta(days=365 * years + 2)
        record = db.session.get(PracticeRecord, record_id)
        record.signed_off_at, record.created_at = past, past
        db.session.commit()


def _add_supervision(app, people, held_on, notes="Discussed pacing of the preparation."):
    with app.app_context():
        db.session.add(SupervisionSession(
            supervisor_id=people.supervisor.id, practitioner_id=people.practitioner.id,
            scheme_id=people.scheme.id, held_on=held_on, duration_minutes=60, notes=notes))
        db.session.commit()


def test_sweep_dry_run_then_apply_is_audited_and_idempotent(app, practice_scheme, runner):
    _, old_id = signed_off_record(app, practice_scheme)
    _, new_id = signed_off_record(app, practice_scheme)
    _age(app, old_id, 7)
    _add_supervision(app, practice_scheme, date.today() - timedelta(days=365 * 7))
    _add_supervision(app, practice_scheme, date.today() - timedelta(days=30))

    dry = runner.invoke(args=["privacy", "sweep", "--dry-run"])
    assert dry.exit_code == 0
    assert "would change      1  practice records" in dry.output
    assert "would change      1  supervision sessions" in dry.output
    with app.app_context():
        assert db.session.get(PracticeRecord, old_id).reflection != REMOVED  # nothing done

    done = runner.invoke(args=["privacy", "sweep"])
    assert done.exit_code == 0
    assert "changed      1  practice records" in done.output
    with app.app_context():
        old, new = db.session.get(PracticeRecord, old_id), db.session.get(PracticeRecord, new_id)
        assert old.reflection == REMOVED
        assert new.reflection != REMOVED
        assert old.stages == ["preparation", "delivery"]
        assert old.status == "signed off"
        ratings = db.session.scalar(select(Assessment.ratings)
                                    .where(Assessment.record_id == old_id))
        assert ratings["preparation"] == {"rating": "strong", "comment": ""}
        notes = sorted(db.session.scalars(select(SupervisionSession.notes)))
        assert notes == ["Discussed pacing of the preparation.", REMOVED]
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "privacy.retention_applied")).all()
        assert {(e.object_id, e.payload["rows"]) for e in events} == {
            ("practice_free_text_years", 1), ("supervision_notes_years", 1)}

    again = runner.invoke(args=["privacy", "sweep"])
    assert "changed      1" not in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "privacy.retention_applied")) == 2
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_short_lived_records_are_deleted_after_their_period(app, practice_scheme):
    with app.app_context():
        now = clock.utcnow()
        for days in (10, 400):
            db.session.add(Notification(user_id=practice_scheme.practitioner.id,
                                        message=f"{days} days old",
                                        created_at=now - timedelta(days=days)))
        db.session.commit()
        assert retention.plan()["notifications deleted"] == 1
        retention.sweep()
        db.session.commit()
        assert db.session.scalars(select(Notification.message)).all() == ["10 days old"]


def test_subject_access_export_holds_everything_about_the_person(app, practice_scheme):
    practitioner, record_id = signed_off_record(app, practice_scheme)
    assert practitioner.get("/privacy/my-data").status_code == 200
    assert practitioner.get("/privacy/my-data.zip").status_code == 405  # POST only
    response = practitioner.post("/privacy/my-data.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == ["README.txt", "data.json"]
    data = json.loads(archive.read("data.json"))
    [me] = data["users"]["rows"]
    assert me["username"] == practice_scheme.practitioner.username
    assert "password_hash" not in me
    [record] = data["practice_records"]["rows"]
    assert record["id"] == record_id
    assert record["reflection"].startswith("Preparation")
    assert "author_id" in data["practice_records"]["about_you_via"]
    assert data["memberships"]["rows"][0]["role"] == "trainee"
    assert all(str(practice_scheme.colleague.username) not in json.dumps(rows)
               for rows in data.values())
    # The supervisor's export lists the record as their part, without its reflection.
    supervisor = login_as(app, practice_scheme.supervisor)
    theirs = json.loads(zipfile.ZipFile(io.BytesIO(
        supervisor.post("/privacy/my-data.zip").data)).read("data.json"))
    assert theirs["practice_records"]["rows"] == [{"id": record_id,
                                                   "your_part": ["supervisor_id"]}]


def _accredit(app, user_id):
    with app.app_context():
        version = StandardVersion(content_hash="x" * 64, levels={})
        db.session.add(version)
        db.session.flush()
        db.session.add(AccreditationRecord(
            public_id="PUB123", holder_id=user_id, level_key="foundation",
            level_name="Foundation practitioner", standard_version_id=version.id,
            issued_on=date.today(), expires_on=date.today() + timedelta(days=700),
            decision={}))
        db.session.commit()


def test_erasure_pseudonymises_keeps_figures_and_the_audit_chain(
        app, practice_scheme, make_user, runner):
    people = practice_scheme
    practitioner, record_id = signed_off_record(app, people)
    _add_supervision(app, people, date.today() - timedelta(days=3))
    _accredit(app, people.practitioner.id)
    admin = make_user(is_admin=True)
    client = login_as(app, admin)
    page = client.get(f"/admin/privacy/erase/{people.practitioner.id}").get_data(as_text=True)
    assert "cannot be undone" in page
    assert client.post(f"/admin/privacy/erase/{people.practitioner.id}").status_code == 302

    with app.app_context():
        user = db.session.get(User, people.practitioner.id)
        assert (user.username, user.display_name, user.email, user.active) == (
            f"erased-{user.id}", "Erased account", None, False)
        assert user.password_hash is None
        record = db.session.get(PracticeRecord, record_id)
        assert record.reflection == REMOVED
        assert record.status == "signed off"
        assert record.author_id == user.id  # still counted in the scheme's figures
        assert db.session.scalar(select(SupervisionSession.notes)) == REMOVED
        accreditation = db.session.scalar(select(AccreditationRecord))
        assert accreditation.status == "revoked"  # withdrawn, not deleted
        assert "erased" in accreditation.history[-1].reason
        erased = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "privacy.account_erased"))
        assert erased.actor_id == admin.id
        assert erased.object_id == str(user.id)
        assert erased.payload["practice records redacted"] == 1
        # Earlier events still name the account by number: nothing was rewritten.
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.actor_id == user.id)) >= 1
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    # The old sign-in no longer works, and a second erasure is refused.
    assert practitioner.get("/privacy/my-data").status_code in (302, 401)
    again = client.post(f"/admin/privacy/erase/{people.practitioner.id}")
    assert "already been erased" in again.get_data(as_text=True)


def test_only_admins_erase_and_never_themselves(app, practice_scheme, make_user):
    lead = login_as(app, practice_scheme.supervisor)
    assert lead.post(f"/admin/privacy/erase/{practice_scheme.practitioner.id}"
                     ).status_code == 403
    admin = make_user(is_admin=True)
    client = login_as(app, admin)
    page = client.post(f"/admin/privacy/erase/{admin.id}").get_data(as_text=True)
    assert "cannot erase your own account" in page
    with app.app_context():
        assert db.session.get(User, admin.id).username == admin.username


def test_record_of_processing_is_generated_from_models_and_policy(app, make_user):
    with app.app_context():
        undescribed = {t.table for t in personal_tables()} - set(PURPOSES)
    assert undescribed == set(), "describe these tables in lms.privacy.personal_data.PURPOSES"
    client = login_as(app, make_user(is_admin=True))
    page = client.get("/admin/privacy").get_data(as_text=True)
    assert "practice_records" in page
    assert "supervision_sessions" in page
    assert "removed 6 years after sign-off" in page  # from courses/policy.yaml
    assert "Deleted 90 days after sending." in page  # sent emails, from courses/policy.yaml
    assert "Expire on their own after the throttling window" in page  # sign-in counters
    assert "password_hash" not in page
    assert login_as(app, make_user()).get("/admin/privacy").status_code == 403


def test_retention_cutoffs_are_aware_datetimes():
    # UTCDateTime refuses naive values: the cut-off must carry its zone.
    assert retention._start_of(date(2020, 1, 1)) == datetime(2020, 1, 1, tzinfo=UTC)
