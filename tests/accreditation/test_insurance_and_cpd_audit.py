"""Trainers' indemnity insurance and the yearly CPD audit sample."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms import clock
from lms.accreditation import cpd_audit, lifecycle
from lms.accreditation.models import CpdAudit, IndemnityInsurance
from lms.accreditation.refusals import AccreditationError
from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.notify.models import Notification
from tests.accreditation.test_accreditation_flow import _record
from tests.accreditation.test_rules_over_time import hold
from tests.helpers import login_as


def _insure(app, user, days_left):
    with app.app_context():
        db.session.add(IndemnityInsurance(
            user_id=user.id, insurer="Mutual", policy_number="PI-1",
            expires_on=clock.today() + timedelta(days=days_left)))
        db.session.commit()


def test_insurance_is_recorded_from_the_pathway(app, people):
    client = login_as(app, people.practitioner)
    today = clock.today()
    # a policy's document is uploaded beside the policy: no policy, no upload form
    assert "Upload the policy document" not in client.get("/accreditation/pathway").get_data(
        as_text=True)
    response = client.post("/accreditation/insurance", data={
        "insurer": "Mutual Cover", "policy_number": "PI-2201",
        "expires_on": (today - timedelta(days=1)).isoformat()})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "That policy has already expired" in body
    assert "Mutual Cover" in body
    response = client.post("/accreditation/insurance", data={
        "insurer": "Mutual Cover", "policy_number": "PI-2201",
        "expires_on": (today + timedelta(days=300)).isoformat()})
    assert response.status_code == 302
    page = client.get("/accreditation/pathway").get_data(as_text=True)
    assert "Recorded: Mutual Cover, policy PI-2201" in page
    assert "Upload the policy document" in page
    theirs = login_as(app, people.lead).get(f"/accreditation/pathway/{people.practitioner.id}")
    assert "Recorded: Mutual Cover, policy PI-2201" in theirs.get_data(as_text=True)
    assert "Upload the policy document" not in theirs.get_data(as_text=True)  # only the holder
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.action).order_by(
            AuditEvent.seq.desc()).limit(1)) == "insurance.recorded"


def test_an_expired_policy_leaves_the_trainer_requirement_unmet(app, people, give_evidence):
    give_evidence(people.practitioner, people.supervisor, supervised_every=70,
                  courses=("facilitator",))
    hold(app, people.practitioner, "intermediate", expires_in_days=30)
    trainer = hold(app, people.practitioner, "trainer", expires_in_days=30)
    with app.app_context():
        from lms.accreditation.models import Attestation
        db.session.add(Attestation(user_id=people.practitioner.id, key="indemnity_insurance"))
        db.session.commit()
    _insure(app, people.practitioner, -3)
    renew = f"/accreditation/records/{_record(app, id=trainer).public_id}/renew"
    response = login_as(app, people.admin).post(renew, data={"reason": "Annual."},
                                             follow_redirects=True)
    assert "Record professional indemnity insurance in force (the last expired on" in (
        response.get_data(as_text=True))
    assert _record(app, id=trainer).valid_from != clock.today()
    _insure(app, people.practitioner, 200)
    login_as(app, people.admin).post(renew, data={"reason": "Insurance renewed."})
    assert _record(app, id=trainer).valid_from == clock.today()


def test_trainers_are_reminded_before_their_insurance_expires(app, people):
    hold(app, people.practitioner, "intermediate")
    hold(app, people.practitioner, "trainer")
    _insure(app, people.practitioner, 20)
    hold(app, people.lead, "foundation")  # insured but not a trainer: no reminder
    _insure(app, people.lead, 20)
    with app.app_context():
        assert lifecycle.sweep()["insurance reminders"] == 1
        assert lifecycle.sweep()["insurance reminders"] == 0  # once only
        db.session.commit()
        reminder = db.session.scalar(select(Notification).where(
            Notification.dedupe_key.like("insurance-reminder:%")))
        assert reminder.user_id == people.practitioner.id
        assert "professional indemnity insurance expires on" in reminder.message


def test_the_cpd_sample_is_reproducible_and_sized_by_policy():
    population = list(range(1, 101))
    first = cpd_audit.choose(2026, population, 0.1)
    assert len(first) == 10
    assert first == cpd_audit.choose(2026, list(reversed(population)),
                                                          0.1)
    assert first != cpd_audit.choose(2027, population, 0.1)
    assert len(cpd_audit.choose(2026, [1, 2, 3], 0.1)) == 1  # rounded up
    assert cpd_audit.choose(2026, [], 0.1) == []


def test_cpd_audit_draw_check_and_renewal(app, people, give_evidence, make_assessor,
                                          make_user):
    give_evidence(people.practitioner, people.supervisor, supervised_every=70,
                  courses=("facilitator",))
    year = clock.utcnow().year
    record = hold(app, people.practitioner, "foundation", expires_in_days=0)
    admin = login_as(app, people.admin)
    # only admins draw; the draw is audited and happens once
    assert login_as(app, people.lead).post(f"/accreditation/cpd-audits/draw?year={year}"
                                        ).status_code == 403
    admin.post(f"/accreditation/cpd-audits/draw?year={year}")
    again = admin.post(f"/accreditation/cpd-audits/draw?year={year}", follow_redirects=True)
    assert "already been drawn" in again.get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(select(CpdAudit))
        assert (row.year, row.user_id, row.outcome) == (year, people.practitioner.id, None)
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "cpd_audit.drawn"))
        assert event.payload == {"year": year, "share": 0.1, "population": 1,
                                 "sampled": [people.practitioner.id]}
    # the lead sees who was sampled; a lead of another scheme does not
    assert "waiting for a check" in login_as(app, people.lead).get(
        f"/accreditation/cpd-audits/?year={year}").get_data(as_text=True)
    assert people.practitioner.display_name not in login_as(app, people.other_lead).get(
        f"/accreditation/cpd-audits/?year={year}").get_data(as_text=True)
    # renewal waits for the check
    renew = f"/accreditation/records/{_record(app, id=record).public_id}/renew"
    response = admin.post(renew, data={"reason": "Annual."}, follow_redirects=True)
    assert f"Drawn for the {year} CPD audit (not yet checked)" in response.get_data(
        as_text=True)
    # the practitioner, even as an assessor, cannot check their own
    make_assessor(people.practitioner)
    own = login_as(app, people.practitioner)
    assert own.post(f"/accreditation/cpd-audits/{row.id}", data={
        "outcome": "satisfactory", "notes": "Mine."}).status_code == 403
    make_assessor(people.assessor)
    assessor = login_as(app, people.assessor)
    assert "Course" in assessor.get(f"/accreditation/cpd-audits/{row.id}").get_data(
        as_text=True)
    assessor.post(f"/accreditation/cpd-audits/{row.id}", data={
        "outcome": "satisfactory", "notes": "Certificates seen for all 20 hours."})
    admin.post(renew, data={"reason": "Annual, CPD audited."})
    assert _record(app, id=record).valid_from == clock.today()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "cpd_audit.checked")) == 1


def test_a_year_already_drawn_is_not_drawn_again(app, people):
    year = clock.utcnow().year
    hold(app, people.practitioner, "foundation", expires_in_days=0)
    with app.app_context():
        db.session.add(CpdAudit(year=year, user_id=people.practitioner.id))
        db.session.flush()
        with pytest.raises(AccreditationError, match="already been drawn"):
            cpd_audit.draw(year, actor=None)
