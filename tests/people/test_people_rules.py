"""Who may reset whose password, remove whose role and appoint assessors: one rule each,
used by the view, the service and the page."""

import pytest
from sqlalchemy import select, update

from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.extensions import db
from lms.people import services
from lms.practice.models import RecognisedSupervisor
from lms.schemes.models import Membership
from tests.helpers import login_as


@pytest.fixture
def schemes(make_scheme, make_user):
    a, b = make_scheme(name="Scheme A"), make_scheme(name="Scheme B")
    return {"a": a, "b": b, "lead_a": make_user(role="lead", scheme=a),
            "lead_b": make_user(role="lead", scheme=b)}


def _actions(app):
    with app.app_context():
        return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()


def _otp_hash(app, user_id):
    with app.app_context():
        return db.session.get(User, user_id).one_time_password_hash


def test_lead_cannot_reset_someone_who_also_has_a_role_in_another_scheme(
        client, app, schemes, make_user):
    shared = make_user(roles=[(schemes["a"], "trainee"), (schemes["b"], "trainee")])
    login_as(client, schemes["lead_b"])
    response = client.post(f"/people/{shared.id}/reset-password")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "also has a role in a scheme you do not lead" in page
    assert "Issue a new one-time password" not in page
    assert _otp_hash(app, shared.id) is None
    assert client.post("/logout").status_code == 302
    assert client.post("/login", data={"username": shared.username,
                                       "password": shared.password}).status_code == 302


@pytest.mark.parametrize("power", ["assessor", "lead", "recognised supervisor", "admin"])
def test_only_an_admin_resets_people_with_wide_powers(client, app, schemes, make_user,
                                                      power):
    person = make_user(role="lead" if power == "lead" else "supervisor", scheme=schemes["a"],
                       is_admin=power == "admin")
    with app.app_context():
        if power == "assessor":
            db.session.execute(update(User).where(User.id == person.id).values(is_assessor=True))
        if power == "recognised supervisor":
            db.session.add(RecognisedSupervisor(user_id=person.id, reason="Trained"))
        db.session.commit()
    login_as(client, schemes["lead_a"])
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Issue a new one-time password" not in page
    assert "Only an administrator can reset the password" in page
    response = client.post(f"/people/{person.id}/reset-password")
    assert response.status_code == 403
    assert _otp_hash(app, person.id) is None
    client.post("/logout")
    login_as(client, make_user(is_admin=True))
    response = client.post(f"/people/{person.id}/reset-password")
    assert response.status_code == 200
    assert b"New one-time password" in response.data
    assert _otp_hash(app, person.id) is not None


def test_lead_resets_someone_wholly_in_their_scheme_and_it_is_audited(
        client, app, schemes, make_user):
    person = make_user(role="trainee", scheme=schemes["a"])
    login_as(client, schemes["lead_a"])
    assert "Issue a new one-time password" in client.get(
        f"/people/{person.id}").get_data(as_text=True)
    response = client.post(f"/people/{person.id}/reset-password")
    assert response.status_code == 200
    assert _otp_hash(app, person.id) is not None
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "user.password_reset"))
        assert event.actor_id == schemes["lead_a"].id
        assert event.object_id == str(person.id)
        assert event.payload == {"one_time_password_issued": True}


def test_reset_password_refusal_unit(app, schemes, make_user):
    with app.app_context():
        lead = db.session.get(User, schemes["lead_a"].id)
        admin = db.session.get(User, make_user(is_admin=True).id)
        mine = db.session.get(User, make_user(role="trainee", scheme=schemes["a"]).id)
        nobody = db.session.get(User, make_user().id)
        assert services.reset_password_refusal(lead, mine) is None
        assert services.reset_password_refusal(admin, lead) is None
        assert "own password" in services.reset_password_refusal(lead, lead)
        assert "own password" in services.reset_password_refusal(admin, admin)
        assert "do not lead" in services.reset_password_refusal(lead, nobody)
        with pytest.raises(PermissionError, match="Only an administrator"):
            services.reset_password(admin, by=lead)


def test_own_lead_role_cannot_be_removed_and_the_button_is_hidden(client, app, schemes):
    lead = schemes["lead_a"]
    login_as(client, lead)
    with app.app_context():
        membership = db.session.scalar(select(Membership).where(Membership.user_id == lead.id))
        assert "own lead role" in services.remove_role_refusal(
            db.session.get(User, lead.id), membership)
        membership_id = membership.id
    page = client.get(f"/people/{lead.id}").get_data(as_text=True)
    assert f"/roles/{membership_id}/remove" not in page
    client.post(f"/people/{lead.id}/roles/{membership_id}/remove")
    with app.app_context():
        assert db.session.get(Membership, membership_id) is not None


def test_role_changes_account_creation_and_deactivation_are_audited(
        client, app, schemes, make_user):
    person = make_user(role="trainee", scheme=schemes["a"])
    login_as(client, schemes["lead_a"])
    client.post("/people/new", data={"username": "new.person", "display_name": "New Person",
                                     "scheme": schemes["a"].id, "role": "trainee"})
    client.post(f"/people/{person.id}/roles", data={"scheme": schemes["a"].id,
                                                    "role": "trainer"})
    with app.app_context():
        membership_id = db.session.scalar(select(Membership.id).where(
            Membership.user_id == person.id, Membership.role == "trainer"))
    client.post(f"/people/{person.id}/roles/{membership_id}/remove")
    client.post(f"/people/{person.id}/deactivate")
    client.post(f"/people/{person.id}/reactivate")
    assert _actions(app) == ["user.created", "user.role_added", "user.role_removed",
                             "user.deactivated", "user.reactivated"]


def test_making_someone_an_assessor_is_an_admin_service_with_its_audit(app, make_user):
    with app.app_context():
        admin = db.session.get(User, make_user(is_admin=True).id)
        person = db.session.get(User, make_user().id)
        with pytest.raises(PermissionError):
            services.set_assessor(person, True, by=person)
        services.set_assessor(person, True, by=admin)
        db.session.commit()
        event = db.session.scalar(select(AuditEvent))
        assert (event.action, event.actor_id, event.payload) == (
            "user.assessor_role_changed", admin.id, {"assessor": True})
        assert person.is_assessor is True


def test_the_first_admin_is_the_first_audit_event(app, runner):
    result = runner.invoke(args=["users", "create-admin", "site.admin", "--name", "Site Admin"])
    assert result.exit_code == 0, result.output
    assert _actions(app) == ["user.created"]
    assert "intact: 1 events" in runner.invoke(args=["audit", "verify"]).output
