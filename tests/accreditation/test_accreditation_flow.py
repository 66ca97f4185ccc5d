from datetime import timedelta

from sqlalchemy import func, select

from lms import clock
from lms.accreditation.models import AccreditationRecord, Application
from lms.audit.models import AuditEvent
from lms.extensions import db
from tests.helpers import login_as


def _count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _record(app, **where):
    with app.app_context():
        record = db.session.scalar(select(AccreditationRecord).filter_by(**where))
        if record is not None:
            db.session.expunge(record)
        return record


def test_pathway_explains_what_is_missing(app, people):
    client = login_as(app, people.practitioner)
    page = client.get("/accreditation/pathway").get_data(as_text=True)
    assert "Foundation practitioner" in page
    assert "Case supervisor" in page
    assert "not yet" in page
    assert "Apply for Foundation practitioner" not in page


def test_apply_is_refused_until_eligible_then_freezes_evidence(app, people, give_evidence):
    client = login_as(app, people.practitioner)
    response = client.post("/accreditation/apply/foundation", follow_redirects=True)
    assert "Not every requirement is met yet" in response.get_data(as_text=True)
    assert _count(app, Application) == 0
    give_evidence(people.practitioner, people.supervisor)
    page = client.get("/accreditation/pathway").get_data(as_text=True)
    assert "Apply for Foundation practitioner" in page
    client.post("/accreditation/apply/foundation")
    with app.app_context():
        application = db.session.scalar(select(Application))
        assert application.status == "submitted"
        assert all(r["met"] for r in application.snapshot["results"])
        assert application.snapshot["signed_off_by"] == [people.supervisor.id]
    again = client.post("/accreditation/apply/foundation", follow_redirects=True)
    assert "already waiting for a decision" in again.get_data(as_text=True)


def test_decisions_need_an_independent_assessor(app, people, give_evidence, make_assessor):
    give_evidence(people.practitioner, people.supervisor)
    login_as(app, people.practitioner).post("/accreditation/apply/foundation")
    with app.app_context():
        application_id = db.session.scalar(select(Application.id))
    decision = {"outcome": "approved", "reasons": "All evidence in order."}
    # not an assessor at all
    assert login_as(app, people.lead).post(f"/accreditation/applications/{application_id}",
                                        data=decision).status_code == 403
    # the supervisor who signed off the practice, even when made an assessor
    make_assessor(people.supervisor)
    response = login_as(app, people.supervisor).post(
        f"/accreditation/applications/{application_id}", data=decision)
    assert response.status_code == 403
    # the applicant, even when an assessor
    make_assessor(people.practitioner)
    assert login_as(app, people.practitioner).post(
        f"/accreditation/applications/{application_id}", data=decision).status_code == 403
    assert _count(app, AccreditationRecord) == 0
    make_assessor(people.assessor)
    assessor = login_as(app, people.assessor)
    response = assessor.post(f"/accreditation/applications/{application_id}",
                             data={"outcome": "approved", "reasons": ""})
    assert "Give the reasons for the decision." in response.get_data(as_text=True)
    response = assessor.post(f"/accreditation/applications/{application_id}", data=decision)
    assert response.status_code == 302
    record = _record(app, holder_id=people.practitioner.id)
    assert record.status == "active"
    assert record.level_key == "foundation"
    assert len(record.public_id) == 19
    assert record.public_id.count("-") == 3
    assert (record.expires_on - record.issued_on).days in range(365, 367)
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
        assert actions[-1] == "accreditation.decided"


def test_further_work_issues_nothing(app, people, give_evidence, make_assessor):
    give_evidence(people.practitioner, people.supervisor)
    login_as(app, people.practitioner).post("/accreditation/apply/foundation")
    make_assessor(people.assessor)
    with app.app_context():
        application_id = db.session.scalar(select(Application.id))
    login_as(app, people.assessor).post(f"/accreditation/applications/{application_id}", data={
        "outcome": "further work needed", "reasons": "Add a reflection on co-working."})
    assert _count(app, AccreditationRecord) == 0
    page = login_as(app, people.practitioner).get("/accreditation/pathway").get_data(as_text=True)
    assert "further work needed" in page
    assert "Add a reflection on co-working." in page


def test_lead_nominates_own_practitioners_only(app, people, give_evidence):
    give_evidence(people.practitioner, people.supervisor)
    other = login_as(app, people.other_lead)
    assert other.get(f"/accreditation/pathway/{people.practitioner.id}").status_code == 404
    assert other.post(f"/accreditation/nominate/{people.practitioner.id}/foundation"
                      ).status_code == 404
    lead = login_as(app, people.lead)
    page = lead.get(f"/accreditation/pathway/{people.practitioner.id}").get_data(as_text=True)
    assert "Nominate for Foundation practitioner" in page
    lead.post(f"/accreditation/nominate/{people.practitioner.id}/foundation")
    with app.app_context():
        application = db.session.scalar(select(Application))
        assert application.nominated_by_id == people.lead.id
    trainee = login_as(app, people.supervisor)
    assert trainee.get(f"/accreditation/pathway/{people.practitioner.id}").status_code == 403


def issue(app, people, give_evidence, make_assessor, level="foundation", **evidence):
    give_evidence(people.practitioner, people.supervisor, **evidence)
    login_as(app, people.practitioner).post(f"/accreditation/apply/{level}")
    make_assessor(people.assessor)
    with app.app_context():
        application_id = db.session.scalar(select(Application.id).where(
            Application.level_key == level))
    login_as(app, people.assessor).post(f"/accreditation/applications/{application_id}",
                                     data={"outcome": "approved", "reasons": "Good."})
    return _record(app, holder_id=people.practitioner.id, level_key=level)


def test_lifecycle_transitions_and_refusals(app, people, give_evidence, make_assessor):
    record = issue(app, people, give_evidence, make_assessor)
    holder, admin = login_as(app, people.practitioner), login_as(app, people.admin)
    url = f"/accreditation/records/{record.public_id}"

    def act(client, action, reason="Because."):
        return client.post(f"{url}/{action}", data={"reason": reason}, follow_redirects=True)

    assert "Nobody may decide on their own" in act(holder, "suspend").get_data(as_text=True)
    assert "Give a reason" in act(holder, "withdraw", "").get_data(as_text=True)
    act(holder, "withdraw", "Career break for a year.")
    assert _record(app, id=record.id).status == "temporarily withdrawn"
    act(holder, "return", "Back at work.")
    assert _record(app, id=record.id).status == "active"
    act(admin, "suspend", "Complaint under investigation.")
    assert _record(app, id=record.id).status == "suspended"
    assert "cannot be returned now" in act(holder, "return").get_data(as_text=True)
    act(admin, "reinstate", "Complaint not upheld.")
    assert _record(app, id=record.id).status == "active"
    act(admin, "revoke", "Serious breach of the code.")
    assert _record(app, id=record.id).status == "revoked"
    for action in ("reinstate", "return", "renew", "withdraw"):
        act(admin, action)
        assert _record(app, id=record.id).status == "revoked", action
    page = holder.get(url).get_data(as_text=True)
    for text in ("Career break for a year.", "Complaint not upheld.", "Serious breach"):
        assert text in page
    with app.app_context():
        changes = db.session.scalars(select(AuditEvent.payload).where(
            AuditEvent.action == "accreditation.status_changed")).all()
        assert [c["to"] for c in changes] == ["temporarily withdrawn", "active", "suspended",
                                              "active", "revoked"]


def test_other_schemes_cannot_see_a_record(app, people, give_evidence, make_assessor):
    record = issue(app, people, give_evidence, make_assessor)
    url = f"/accreditation/records/{record.public_id}"
    assert login_as(app, people.other_lead).get(url).status_code == 404
    assert login_as(app, people.lead).get(url).status_code == 200
    assert login_as(app, people.other_lead).post(f"{url}/revoke", data={"reason": "x"}
                                              ).status_code == 404
    assert _record(app, id=record.id).status == "active"


def test_renewal_checks_maintenance_and_extends(app, people, give_evidence, make_assessor):
    record = issue(app, people, give_evidence, make_assessor, supervised_every=70)
    admin = login_as(app, people.admin)
    admin.post(f"/accreditation/records/{record.public_id}/renew", data={"reason": "Annual."})
    renewed = _record(app, id=record.id)
    assert renewed.expires_on > record.expires_on
    with app.app_context():
        from lms.practice.models import SupervisionSession
        for session in db.session.scalars(select(SupervisionSession)):
            session.held_on = clock.today() - timedelta(weeks=30)
        db.session.commit()
    response = admin.post(f"/accreditation/records/{record.public_id}/renew",
                          data={"reason": "Again."}, follow_redirects=True)
    assert "maintenance requirements are not met" in response.get_data(as_text=True)
    assert _record(app, id=record.id).expires_on == renewed.expires_on


def test_certificate_pdf(app, people, give_evidence, make_assessor):
    record = issue(app, people, give_evidence, make_assessor)
    response = login_as(app, people.practitioner).get(
        f"/accreditation/records/{record.public_id}/certificate.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
