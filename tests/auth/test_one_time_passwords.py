"""One-time passwords work once, within the policy's period, and only until the first
sign-in with them."""

import threading
from datetime import timedelta

from sqlalchemy import select

from lms import clock, policy
from lms.audit.models import AuditEvent
from lms.auth import services as auth_services
from lms.auth.models import User
from lms.extensions import db


def _issue_otp(app, user_id):
    with app.app_context():
        otp = auth_services.reset_password(db.session.get(User, user_id))
        db.session.commit()
        return otp


def _sign_in(client, user, password):
    return client.post("/login", data={"username": user.username, "password": password})


def test_a_one_time_password_is_refused_after_the_first_sign_in(client, app, make_user):
    user = make_user()
    otp = _issue_otp(app, user.id)
    assert _sign_in(client, user, otp).headers["Location"] == "/account/password"
    client.post("/logout")  # left without choosing a password
    response = _sign_in(app.test_client(), user, otp)
    assert response.status_code == 200
    assert b"do not match an active account" in response.data
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.action).where(
            AuditEvent.object_id == str(user.id))) == "user.one_time_password_used"


def test_a_one_time_password_expires_after_the_policy_period(client, app, make_user,
                                                             monkeypatch):
    hours = policy.accounts("one_time_password_hours")
    assert hours == 72
    user = make_user()
    issued = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: issued)
    otp = _issue_otp(app, user.id)
    monkeypatch.setattr(clock, "utcnow", lambda: issued + timedelta(hours=hours, seconds=1))
    assert _sign_in(client, user, otp).status_code == 200
    monkeypatch.setattr(clock, "utcnow", lambda: issued + timedelta(hours=hours - 1))
    assert _sign_in(client, user, otp).status_code == 302


def test_a_new_reset_replaces_the_old_one_time_password(client, app, make_user):
    user = make_user()
    first = _issue_otp(app, user.id)
    second = _issue_otp(app, user.id)
    assert _sign_in(client, user, first).status_code == 200
    assert _sign_in(client, user, second).status_code == 302


def test_choosing_a_password_clears_the_one_time_password(client, app, make_user):
    user = make_user()
    otp = _issue_otp(app, user.id)
    _sign_in(client, user, otp)
    client.post("/account/password", data={"new_password": "a brand new passphrase",
                                            "confirm_password": "a brand new passphrase"})
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert (stored.one_time_password_hash, stored.one_time_password_expires_at,
                stored.one_time_password_used_at) == (None, None, None)
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
        assert actions == ["user.one_time_password_used", "user.password_changed"]


def test_concurrent_sign_ins_with_one_one_time_password_let_one_in(app, make_user):
    user = make_user()
    otp = _issue_otp(app, user.id)
    barrier = threading.Barrier(5)
    statuses = []

    def sign_in():
        client = app.test_client()
        barrier.wait()
        statuses.append(_sign_in(client, user, otp).status_code)

    threads = [threading.Thread(target=sign_in) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 200, 200, 200, 302]
