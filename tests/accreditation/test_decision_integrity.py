"""Decisions the rules would refuse: approving unmet applications, acting on one's own
record, duplicate applications and records under concurrency, the holder's name."""

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lms.accreditation.models import AccreditationRecord, Application, Attestation
from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.extensions import db
from lms.practice.models import SupervisionSession
from lms.schemes.models import Membership, Role
from tests.accreditation.test_accreditation_flow import _count, _record, issue
from tests.helpers import login_as


def _application_id(app):
    with app.app_context():
        return db.session.scalar(select(Application.id))


def _remove_supervision(app):
    with app.app_context():
        for session in db.session.scalars(select(SupervisionSession)):
            db.session.delete(session)
        db.session.commit()


def _applied_then_evidence_lost(app, people, give_evidence, make_assessor):
    give_evidence(people.practitioner, people.supervisor)
    login_as(app, people.practitioner).post("/accreditation/apply/foundation")
    _remove_supervision(app)  # the supervision sessions are withdrawn before the decision
    make_assessor(people.assessor)
    return _application_id(app)


def test_approval_is_refused_while_a_requirement_is_unmet(app, people, give_evidence,
                                                          make_assessor):
    application_id = _applied_then_evidence_lost(app, people, give_evidence, make_assessor)
    assessor = login_as(app, people.assessor)
    url = f"/accreditation/applications/{application_id}"
    page = assessor.get(url).get_data(as_text=True)
    assert "A case supervision session (none recorded yet)" in page
    response = assessor.post(url, data={"outcome": "approved", "reasons": "Looks fine."})
    assert response.status_code == 422
    assert "Approve only as the assessor&#39;s discretion" in response.get_data(as_text=True)
    assert _count(app, AccreditationRecord) == 0
    # ticking discretion without a reason is refused next to the field, keeping the text
    response = assessor.post(url, data={"outcome": "approved", "reasons": "Looks fine.",
                                        "discretion": "y", "discretion_reason": " "})
    body = response.get_data(as_text=True)
    assert "Write why you are using your discretion." in body
    assert "Looks fine." in body
    assert _count(app, AccreditationRecord) == 0
    # further work needed is always allowed
    assert _count(app, Application, Application.status == "submitted") == 1


def test_assessors_discretion_is_recorded_everywhere(app, people, give_evidence,
                                                     make_assessor):
    application_id = _applied_then_evidence_lost(app, people, give_evidence, make_assessor)
    reason = "Supervision records were lost in a system move; supervisor confirmed by letter."
    response = login_as(app, people.assessor).post(
        f"/accreditation/applications/{application_id}",
        data={"outcome": "approved", "reasons": "Good practice.", "discretion": "y",
              "discretion_reason": reason})
    assert response.status_code == 302
    record = _record(app, holder_id=people.practitioner.id)
    assert record.decision["discretion"] == reason
    page = login_as(app, people.practitioner).get(
        f"/accreditation/records/{record.public_id}").get_data(as_text=True)
    assert "Issued at the assessor's discretion, although a requirement was not met" in page
    assert page.count(reason) == 2  # on the record and in its history
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "accreditation.decided"))
        assert event.payload["discretion"] == reason
    dashboard = login_as(app, people.lead).get("/reports/", follow_redirects=True).get_data(
        as_text=True)
    assert ('<p class="tile-count">1</p><p>approval at the assessor&#39;s discretion'
            in dashboard)


def test_discretion_is_not_recorded_when_everything_is_met(app, people, give_evidence,
                                                           make_assessor):
    give_evidence(people.practitioner, people.supervisor)
    login_as(app, people.practitioner).post("/accreditation/apply/foundation")
    make_assessor(people.assessor)
    login_as(app, people.assessor).post(
        f"/accreditation/applications/{_application_id(app)}",
        data={"outcome": "approved", "reasons": "Good.", "discretion": "y",
              "discretion_reason": "Not needed."})
    with app.app_context():
        application = db.session.scalar(select(Application))
        assert application.status == "approved"
        assert application.discretion_reason is None


def test_an_admin_cannot_act_on_their_own_record(app, people, give_evidence, make_assessor):
    record = issue(app, people, give_evidence, make_assessor)
    admin = login_as(app, people.admin)
    admin.post(f"/accreditation/records/{record.public_id}/suspend",
               data={"reason": "Complaint."})
    assert _record(app, id=record.id).status == "suspended"
    # the holder is made an administrator and an assessor, and tries to lift it
    with app.app_context():
        holder = db.session.get(User, people.practitioner.id)
        holder.is_admin = holder.is_assessor = True
        db.session.commit()
    own = login_as(app, people.practitioner)
    page = own.get(f"/accreditation/records/{record.public_id}").get_data(as_text=True)
    assert "Reinstate" not in page
    response = own.post(f"/accreditation/records/{record.public_id}/reinstate",
                        data={"reason": "Mine."}, follow_redirects=True)
    assert "Nobody may decide on their own" in response.get_data(as_text=True)
    assert _record(app, id=record.id).status == "suspended"
    for action in ("revoke", "renew"):
        own.post(f"/accreditation/records/{record.public_id}/{action}", data={"reason": "x"})
        assert _record(app, id=record.id).status == "suspended"


def _events(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_nobody_nominates_themselves(app, people, give_evidence):
    # The lead has the evidence and leads their own scheme, so only the rule stops them.
    give_evidence(people.lead, people.supervisor)
    give_evidence(people.practitioner, people.supervisor)
    lead = login_as(app, people.lead)
    response = lead.post(f"/accreditation/nominate/{people.lead.id}/foundation",
                         follow_redirects=True)
    assert response.status_code == 200
    assert "Nobody may decide on their own accreditation or application." in \
        response.get_data(as_text=True)
    assert _count(app, Application) == 0
    assert _events(app, "accreditation.applied") == []
    # the same lead nominating someone else in the scheme is accepted
    response = lead.post(f"/accreditation/nominate/{people.practitioner.id}/foundation",
                         follow_redirects=True)
    assert "has been nominated" in response.get_data(as_text=True)
    with app.app_context():
        application = db.session.scalar(select(Application))
        assert (application.applicant_id, application.nominated_by_id) == (
            people.practitioner.id, people.lead.id)


def test_nobody_renames_themselves(app, people, give_evidence, make_assessor):
    record = issue(app, people, give_evidence, make_assessor)
    url = f"/accreditation/records/{record.public_id}/legal-name"
    # the holder becomes a lead of their own scheme and an administrator
    with app.app_context():
        holder = db.session.get(User, people.practitioner.id)
        holder.is_admin = True
        holder.memberships.append(Membership(scheme_id=people.scheme.id, role=Role.LEAD))
        db.session.commit()
    own = login_as(app, people.practitioner)
    assert own.get(url).status_code == 403
    response = own.post(url, data={"legal_name": "Ana Renamed", "reason": "Deed poll."})
    assert response.status_code == 403
    assert _record(app, id=record.id).holder_name == "Ana Practitioner"
    assert _events(app, "accreditation.legal_name_changed") == []
    # the scheme's lead may rename the holder on evidence
    response = login_as(app, people.lead).post(
        url, data={"legal_name": "Ana Renamed", "reason": "Deed poll seen."})
    assert response.status_code == 302
    assert _record(app, id=record.id).holder_name == "Ana Renamed"
    assert len(_events(app, "accreditation.legal_name_changed")) == 1


def test_simultaneous_applications_leave_one_pending(app, people, give_evidence):
    give_evidence(people.practitioner, people.supervisor)
    clients = [login_as(app, people.practitioner) for _ in range(8)]
    barrier, statuses = threading.Barrier(8), []

    def post(client):
        barrier.wait()
        statuses.append(client.post("/accreditation/apply/foundation").status_code)

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * 8  # refusals are a message, never a 500
    assert _count(app, Application, Application.status == "submitted") == 1


def test_the_database_refuses_a_second_pending_application_or_valid_record(
        app, people, give_evidence, make_assessor):
    record = issue(app, people, give_evidence, make_assessor)
    with app.app_context():
        original = db.session.get(AccreditationRecord, record.id)
        db.session.add(AccreditationRecord(
            public_id="DUPL-ICAT-E000-0001", holder_id=original.holder_id,
            level_key=original.level_key, level_name=original.level_name,
            standard_version_id=original.standard_version_id, issued_on=original.issued_on,
            expires_on=original.expires_on, status="expiring", decision={}))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        application = db.session.scalar(select(Application))
        for _ in range(2):
            db.session.add(Application(
                applicant_id=application.applicant_id, level_key="intermediate",
                standard_version_id=application.standard_version_id, snapshot={}))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        # a lapsed or revoked record does not block a new one
        original.status = "lapsed"
        db.session.add(AccreditationRecord(
            public_id="DUPL-ICAT-E000-0002", holder_id=original.holder_id,
            level_key=original.level_key, level_name=original.level_name,
            standard_version_id=original.standard_version_id, issued_on=original.issued_on,
            expires_on=original.expires_on, status="active", decision={}))
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(AccreditationRecord)) == 2


def test_the_holders_name_is_fixed_at_issue(app, people, give_evidence, make_assessor):
    record = issue(app, people, give_evidence, make_assessor)
    assert record.holder_name == "Ana Practitioner"
    holder = login_as(app, people.practitioner)
    holder.post("/account", data={"display_name": "Someone Else", "email": ""})
    with app.app_context():
        assert db.session.get(User, people.practitioner.id).display_name == "Someone Else"
    public = app.test_client().get(f"/verify/{record.public_id}").get_data(as_text=True)
    assert "Ana Practitioner" in public
    assert "Someone Else" not in public
    api = app.test_client().get(f"/api/v1/verify/{record.public_id}").get_json()
    assert api["holder"] == "Ana Practitioner"


def test_a_legal_name_change_goes_through_a_lead_and_reissues(app, people, give_evidence,
                                                              make_assessor):
    record = issue(app, people, give_evidence, make_assessor)
    url = f"/accreditation/records/{record.public_id}/legal-name"
    data = {"legal_name": "Ana Newname", "reason": "Deed poll seen on 3 May."}
    assert login_as(app, people.practitioner).post(url, data=data).status_code == 403
    assert login_as(app, people.other_lead).post(url, data=data).status_code == 404
    make_assessor(people.assessor)  # an assessor is not the person's lead
    assert login_as(app, people.assessor).post(url, data=data).status_code == 403
    lead = login_as(app, people.lead)
    response = lead.post(url, data={"legal_name": "Ana Newname", "reason": ""})
    assert "Say what evidence of the change you saw." in response.get_data(as_text=True)
    assert lead.post(url, data=data).status_code == 302
    renamed = _record(app, id=record.id)
    assert renamed.holder_name == "Ana Newname"
    assert renamed.issued_on == record.issued_on
    public = app.test_client().get(f"/verify/{record.public_id}").get_data(as_text=True)
    assert "Ana Newname" in public
    page = lead.get(f"/accreditation/records/{record.public_id}").get_data(as_text=True)
    assert "Reissued under the legal name Ana Newname (was Ana Practitioner)" in page
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "accreditation.legal_name_changed"))
        assert event.payload == {"from": "Ana Practitioner", "to": "Ana Newname",
                                 "reason": "Deed poll seen on 3 May."}
        assert event.actor_id == people.lead.id


def test_attestations_are_saved_by_the_service_with_an_audit_event(app, people):
    client = login_as(app, people.practitioner)
    client.post("/accreditation/attestations",
                data={"attestation": ["code_of_practice", "bogus"]})
    with app.app_context():
        assert db.session.scalars(select(Attestation.key)).all() == ["code_of_practice"]
    client.post("/accreditation/attestations",
                data={"attestation": ["indemnity_insurance"]})
    with app.app_context():
        assert db.session.scalars(select(Attestation.key)).all() == ["indemnity_insurance"]
        payloads = db.session.scalars(select(AuditEvent.payload).where(
            AuditEvent.action == "attestations.updated").order_by(AuditEvent.seq)).all()
    assert payloads[-1] == {"agreed": ["indemnity_insurance"], "added": ["indemnity_insurance"],
                            "removed": ["code_of_practice"]}


def test_a_withdrawn_or_suspended_level_is_not_applied_for_again(app, people, give_evidence,
                                                                 make_assessor):
    record = issue(app, people, give_evidence, make_assessor)
    holder = login_as(app, people.practitioner)
    holder.post(f"/accreditation/records/{record.public_id}/withdraw",
                data={"reason": "Career break."})
    response = holder.post("/accreditation/apply/foundation", follow_redirects=True)
    assert "temporarily withdrawn: it returns or is reinstated" in response.get_data(
        as_text=True)
    assert _count(app, Application) == 1


def test_simultaneous_attestation_posts_give_no_500(app, people):
    clients = [login_as(app, people.practitioner) for _ in range(6)]
    barrier, statuses = threading.Barrier(6), []

    def post(client):
        barrier.wait()
        statuses.append(client.post("/accreditation/attestations",
                                    data={"attestation": ["code_of_practice"]}).status_code)

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * 6
    assert _count(app, Attestation) == 1
