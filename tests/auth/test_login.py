from datetime import timedelta

from sqlalchemy import select

from lms import clock
from lms.auth.models import AuthSession, User
from lms.extensions import db


def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert b"Sign in" in response.data
    assert b'autocomplete="current-password"' in response.data


def test_login_success_signs_in_and_records_time(client, app, make_user):
    user = make_user()
    response = client.post("/login", data={"username": user.username, "password": user.password})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = client.get("/")
    assert user.display_name.encode() in home.data
    with app.app_context():
        assert db.session.get(User, user.id).last_login_at is not None


def test_username_is_case_insensitive(client, make_user):
    user = make_user("mixed.case")
    response = client.post("/login", data={"username": "  MIXED.Case ", "password": user.password})
    assert response.status_code == 302


def test_unknown_user_and_wrong_password_look_the_same(client, make_user):
    user = make_user()
    bad = "not the password"
    wrong = client.post("/login", data={"username": user.username, "password": bad})
    unknown = client.post("/login", data={"username": "nobody-here", "password": bad})
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.get_data(as_text=True).replace(user.username, "X") == unknown.get_data(
        as_text=True
    ).replace("nobody-here", "X")
    assert b"do not match an active account" in wrong.data


def test_unknown_user_and_wrong_password_cost_the_same_hashing(client, make_user, monkeypatch):
    """Equal timing comes from doing exactly one argon2 verification in every case."""
    from argon2 import PasswordHasher

    calls = []
    original = PasswordHasher.verify

    def counting_verify(self, hash_, password):
        calls.append(hash_)
        return original(self, hash_, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting_verify)
    user = make_user()
    client.post("/login", data={"username": user.username, "password": "wrong password!!"})
    client.post("/login", data={"username": "ghost", "password": "wrong password!!"})
    assert len(calls) == 2
    assert calls[0].startswith("$argon2id$")
    assert calls[1].startswith("$argon2id$")


def test_deactivated_user_cannot_sign_in(client, make_user):
    user = make_user(active=False)
    response = client.post("/login", data={"username": user.username, "password": user.password})
    assert response.status_code == 200
    assert b"do not match an active account" in response.data


def test_login_keeps_username_and_shows_field_errors(client):
    response = client.post("/login", data={"username": "someone", "password": ""})
    assert response.status_code == 200
    assert b'value="someone"' in response.data
    assert b"Enter your password." in response.data


def test_throttles_after_five_failures_even_with_right_password(client, app, make_user):
    user = make_user()
    for _ in range(5):
        client.post("/login", data={"username": user.username, "password": "wrong password!!"})
    response = client.post("/login", data={"username": user.username, "password": user.password})
    assert response.status_code == 429
    assert b"Too many attempts for this account. Try again in 15 minutes." in response.data
    with app.app_context():
        assert db.session.scalar(select(AuthSession).where(AuthSession.user_id == user.id)) is None


def test_throttle_applies_to_unknown_names_too(client):
    for _ in range(5):
        client.post("/login", data={"username": "ghost", "password": "wrong password!!"})
    response = client.post("/login", data={"username": "ghost", "password": "anything at all"})
    assert response.status_code == 429


def test_throttle_lifts_after_the_window(client, make_user, monkeypatch):
    import time

    user = make_user()
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start)  # the rate-limit store's clock
    for _ in range(5):
        client.post("/login", data={"username": user.username, "password": "wrong password!!"})
    monkeypatch.setattr(time, "time", lambda: start + 10 * 60)
    response = client.post("/login", data={"username": user.username, "password": user.password})
    assert response.status_code == 429
    assert b"Try again in 5 minutes." in response.data
    monkeypatch.setattr(time, "time", lambda: start + 15 * 60 + 1)
    response = client.post("/login", data={"username": user.username, "password": user.password})
    assert response.status_code == 302


def test_four_failures_then_success_resets_the_count(client, make_user):
    user = make_user()
    for _ in range(2):
        for _ in range(4):
            client.post("/login", data={"username": user.username,
                                        "password": "wrong password!!"})
        assert client.post("/login", data={"username": user.username,
                                           "password": user.password}).status_code == 302
        client.post("/logout")


def test_next_redirect_only_to_this_site(client, make_user):
    user = make_user()
    for target, expected in [
        ("/account", "/account"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ]:
        response = client.post("/login", query_string={"next": target},
                               data={"username": user.username, "password": user.password})
        assert response.headers["Location"] == expected, target
        client.post("/logout")


def test_session_cookie_flags(client, make_user):
    user = make_user()
    response = client.post("/login", data={"username": user.username, "password": user.password})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_new_session_identifier_at_login(client, app, make_user):
    user = make_user()
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    client.post("/login", data={"username": user.username, "password": user.password})
    with client.session_transaction() as session:
        assert "planted" not in session
        first_token = session["auth_token"]
    client.post("/logout")
    client.post("/login", data={"username": user.username, "password": user.password})
    with client.session_transaction() as session:
        assert session["auth_token"] != first_token


def test_logout_ends_session_and_replayed_cookie_is_refused(client, app, make_user):
    user = make_user()
    client.post("/login", data={"username": user.username, "password": user.password})
    stolen = client.get_cookie("session").value
    assert client.get("/account").status_code == 200
    client.post("/logout")
    assert client.get("/account").status_code == 302
    client.set_cookie("session", stolen)
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_expired_server_session_is_refused(client, make_user, monkeypatch):
    user = make_user()
    client.post("/login", data={"username": user.username, "password": user.password})
    later = clock.utcnow() + timedelta(hours=13)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    assert client.get("/account").status_code == 302


def test_logout_requires_post(client):
    assert client.get("/logout").status_code == 405
