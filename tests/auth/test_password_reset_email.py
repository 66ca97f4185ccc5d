"""Self-service password reset by email: the same answer for everyone, a single-use
expiring link stored hashed, throttled per account and address."""

import re
import threading
from datetime import timedelta

from sqlalchemy import func, select

from lms import clock
from lms.audit.models import AuditEvent
from lms.auth.models import AuthSession, PasswordResetToken
from lms.extensions import db
from lms.notify.models import Notification, OutboxMessage
from tests.helpers import login_as

NEW_PASSWORD = "a fresh reset passphrase"


def _ask(client, account, address="10.0.0.1"):
    return client.post("/forgotten-password", data={"account": account},
                       environ_base={"REMOTE_ADDR": address})


def _emails(app):
    with app.app_context():
        return [(m.to_address, m.subject, m.body)
                for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def _link_in(body):
    match = re.search(r"https://lms\.example\.org(/reset-password/[\w-]+)", body)
    assert match, body
    return match.group(1)


def _set(client, path, password=NEW_PASSWORD):
    return client.post(path, data={"new_password": password, "confirm_password": password})


def test_sign_in_page_offers_the_reset(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/forgotten-password"' in page
    page = client.get("/forgotten-password").get_data(as_text=True)
    assert "Ask your scheme lead or trainer for a one-time password" in page


def test_the_answer_is_the_same_whether_or_not_an_account_matches(client, app, make_user):
    make_user("hasmail", email="has@example.org")
    make_user("nomail")
    pages = [_ask(client, name) for name in ("hasmail", "nomail", "nobody-at-all",
                                             "HAS@example.org")]
    assert {p.status_code for p in pages} == {200}
    bodies = {re.sub(r'name="csrf_token"[^>]*', "", p.get_data(as_text=True)) for p in pages}
    assert len(bodies) == 1
    assert "Check your email" in bodies.pop()
    emails = _emails(app)
    assert [to for to, _, _ in emails] == ["has@example.org", "has@example.org"]


def test_the_link_sets_a_new_password_once(client, app, make_user):
    user = make_user("resetme", email="resetme@example.org")
    _ask(client, "resetme@example.org")
    (_to, subject, body), = _emails(app)
    assert "Reset your password" in subject
    path = _link_in(body)
    token = path.rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.scalars(select(PasswordResetToken.token_hash)).all()
    assert stored
    assert token not in stored[0]
    page = client.get(path)
    assert "Choose a new password" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    response = _set(client, path)
    assert response.status_code == 302
    assert response.location.endswith("/login")
    login_as(app, user, password=NEW_PASSWORD)
    assert _set(app.test_client(), path, "yet another passphrase").status_code == 404
    assert client.get(path).status_code == 404
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
        told = db.session.scalar(select(Notification.message).where(
            Notification.user_id == user.id))
    assert actions[-2:] == ["user.password_reset_requested", "user.password_reset"]
    assert "Your password was changed" in told
    assert "Your password was changed" in _emails(app)[-1][2]


def test_the_new_password_follows_the_password_rules(client, app, make_user):
    make_user("rules", email="rules@example.org")
    _ask(client, "rules")
    path = _link_in(_emails(app)[0][2])
    response = _set(client, path, "short")
    assert response.status_code == 200
    assert "Use at least 12 characters" in response.get_data(as_text=True)
    response = _set(client, path, "rules")
    assert "Use at least" in response.get_data(as_text=True)
    assert _set(client, path).status_code == 302  # the failed tries did not use it up


def test_the_link_expires(client, app, make_user, monkeypatch):
    make_user("late", email="late@example.org")
    _ask(client, "late")
    path = _link_in(_emails(app)[0][2])
    later = clock.utcnow() + timedelta(hours=2, minutes=1)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    response = client.get(path)
    assert response.status_code == 404
    assert "This link no longer works" in response.get_data(as_text=True)


def test_a_newer_link_or_a_changed_password_voids_the_others(client, app, make_user):
    user = make_user("twice", email="twice@example.org")
    _ask(client, "twice")
    _ask(client, "twice")
    first, second = (_link_in(body) for _, _, body in _emails(app))
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    signed_in = login_as(app, user)
    signed_in.post("/account/password", data={
        "current_password": user.password, "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD})
    assert client.get(second).status_code == 404


def test_a_reset_signs_the_account_out_everywhere(client, app, make_user):
    user = make_user("everywhere", email="everywhere@example.org")
    elsewhere = login_as(app, user)
    _ask(client, "everywhere")
    _set(client, _link_in(_emails(app)[0][2]))
    assert elsewhere.get("/account").status_code == 302
    with app.app_context():
        open_sessions = db.session.scalar(select(func.count()).select_from(AuthSession).where(
            AuthSession.revoked_at.is_(None)))
    assert open_sessions == 0


def test_two_uses_at_once_only_one_succeeds(app, make_user, monkeypatch):
    from lms.auth import reset

    make_user("race", email="race@example.org")
    _ask(app.test_client(), "race")
    path = _link_in(_emails(app)[0][2])
    barrier = threading.Barrier(2)
    original = reset.reset_password

    def together(link, password):
        barrier.wait(timeout=5)  # both have loaded the valid link before either uses it
        return original(link, password)

    monkeypatch.setattr(reset, "reset_password", together)
    statuses = []

    def use(n):
        statuses.append(_set(app.test_client(), path, f"racing passphrase {n}").status_code)

    threads = [threading.Thread(target=use, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302, 404]
    with app.app_context():
        resets = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "user.password_reset"))
    assert resets == 1


def test_requests_are_throttled_per_account(client, app, make_user):
    make_user("flood", email="flood@example.org")
    for n in range(5):  # from different addresses, by name and by email
        _ask(client, "flood" if n % 2 else "flood@example.org", address=f"10.0.1.{n}")
    assert len(_emails(app)) == 3  # policy: password_reset_requests_per_hour


def test_requests_are_throttled_per_address(client, app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "RESET_LINK_RATE_LIMIT", "2 per minute")
    assert _ask(client, "someone").status_code == 200
    assert _ask(client, "someone-else").status_code == 200
    assert _ask(client, "a-third").status_code == 429


def test_an_inactive_account_gets_no_link(client, app, make_user):
    make_user("gone", email="gone@example.org", active=False)
    assert _ask(client, "gone").status_code == 200
    assert _emails(app) == []
