import pytest
from sqlalchemy import select

from lms.auth import passwords
from lms.auth import services as auth_services
from lms.auth.models import AuthSession, User
from lms.extensions import db
from tests.helpers import login_as


def _issue_otp(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        otp = auth_services.reset_password(user)
        db.session.commit()
        return otp


def test_one_time_password_forces_a_new_password_first(client, app, make_user):
    user = make_user()
    otp = _issue_otp(app, user.id)
    assert client.post("/login", data={"username": user.username,
                                       "password": user.password}).status_code == 200
    response = client.post("/login", data={"username": user.username, "password": otp})
    assert response.headers["Location"] == "/account/password"
    # every other page sends them back until they choose a password
    assert client.get("/schemes/").headers["Location"] == "/account/password"
    page = client.get("/account/password")
    assert b"Choose your password" in page.data
    assert b"Current password" not in page.data
    response = client.post("/account/password", data={
        "new_password": "a brand new passphrase", "confirm_password": "a brand new passphrase"})
    assert response.status_code == 302
    assert client.get("/schemes/").status_code == 200
    client.post("/logout")
    # the one-time password is used up; the new one works
    assert client.post("/login", data={"username": user.username,
                                       "password": otp}).status_code == 200
    assert client.post("/login", data={"username": user.username,
                                       "password": "a brand new passphrase"}).status_code == 302


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("short pass", "at least 12 characters"),
        ("x" * 129, "at most 128 characters"),
        ("qwerty123456", "commonly used passwords"),
        ("PASSWORD1234", "commonly used passwords"),
        ("Sunshine2024!!", "commonly used passwords"),
        ("aaaaaaaaaaaaaa", "more than one repeated character"),
    ],
)
def test_password_policy_messages_next_to_field(client, make_user, new_password,
                                                message):
    user = make_user()
    login_as(client, user)
    response = client.post("/account/password", data={
        "current_password": user.password, "new_password": new_password,
        "confirm_password": new_password})
    assert response.status_code == 200
    assert message.encode() in response.data
    assert b'id="new_password-error"' in response.data


def test_password_policy_has_no_composition_rules():
    assert passwords.common_passwords()  # the bundled list loads
    assert passwords.password_problem("all lowercase words here") is None
    assert passwords.password_problem("word " * 25 + "end") is None  # 128 characters
    assert passwords.password_problem("same-as-username", username="same-as-username")


def test_change_password_needs_current_one_and_matching_confirmation(client, make_user):
    user = make_user()
    login_as(client, user)
    response = client.post("/account/password", data={
        "current_password": "wrong wrong wrong", "new_password": "another good passphrase",
        "confirm_password": "another good passphrase"})
    assert b"Your current password is not right." in response.data
    response = client.post("/account/password", data={
        "current_password": user.password, "new_password": "another good passphrase",
        "confirm_password": "another good passphrasf"})
    assert b"The two new passwords are not the same." in response.data


def test_changing_password_ends_other_sessions(app, make_user):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    for device in (laptop, phone):
        device.post("/login", data={"username": user.username, "password": user.password})
    response = laptop.post("/account/password", data={
        "current_password": user.password, "new_password": "another good passphrase",
        "confirm_password": "another good passphrase"})
    assert response.status_code == 302
    assert laptop.get("/account").status_code == 200
    assert phone.get("/account").status_code == 302
    with app.app_context():
        live = db.session.scalars(select(AuthSession).where(AuthSession.revoked_at.is_(None)))
        assert len(live.all()) == 1


def test_stored_hash_is_argon2id(app, make_user):
    user = make_user()
    with app.app_context():
        assert db.session.get(User, user.id).password_hash.startswith("$argon2id$")


def test_profile_update_and_duplicate_email_keeps_input(client, make_user, app):
    make_user(email="taken@example.org")
    user = make_user()
    login_as(client, user)
    response = client.post("/account", data={"display_name": "New Name",
                                              "email": "TAKEN@example.org",
                                              "preferred_language": "cy"})
    assert b"Another account already uses this email address." in response.data
    assert b'value="New Name"' in response.data
    response = client.post("/account", data={"display_name": "New Name",
                                              "email": "Mine@Example.org",
                                              "preferred_language": "cy"})
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(User, user.id)
        assert (saved.display_name, saved.email, saved.preferred_language) == (
            "New Name", "mine@example.org", "cy")


def test_profile_rejects_bad_email(client, make_user):
    login_as(client, make_user())
    response = client.post("/account", data={"display_name": "N", "email": "not-an-email",
                                              "preferred_language": "en"})
    assert b"Enter an email address like name@example.org." in response.data
    assert b'value="not-an-email"' in response.data
