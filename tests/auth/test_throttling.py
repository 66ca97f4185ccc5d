"""Password checks are throttled per account and address, counted atomically in the shared
rate-limit store before any password is checked."""

import threading

from lms.auth import passwords
from tests.helpers import login_as


def _post_login(client, user, password, address="10.0.0.1"):
    return client.post("/login", data={"username": user.username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_concurrent_wrong_passwords_are_not_all_checked(app, make_user, monkeypatch):
    user = make_user()
    checked = []
    original = passwords.verify_password

    def counting(password_hash, password):
        checked.append(password)
        return original(password_hash, password)

    monkeypatch.setattr(passwords, "verify_password", counting)
    guesses = 20
    barrier = threading.Barrier(guesses)
    statuses = []

    def guess(n):
        client = app.test_client()
        barrier.wait()
        statuses.append(_post_login(client, user, f"wrong guess number {n}").status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    limit = app.config["LOGIN_MAX_FAILURES"]
    assert len(checked) == limit
    assert sorted(statuses) == [200] * limit + [429] * (guesses - limit)


def test_a_locked_account_still_opens_for_its_owner_elsewhere(client, app, make_user):
    user = make_user()
    for _ in range(5):
        _post_login(client, user, "wrong password!!", address="203.0.113.9")
    assert _post_login(client, user, user.password, address="203.0.113.9").status_code == 429
    owner = app.test_client()
    assert _post_login(owner, user, user.password, address="198.51.100.7").status_code == 302


def test_the_current_password_check_is_throttled_like_sign_in(client, make_user):
    user = make_user()
    login_as(client, user)
    change = {"new_password": "a brand new passphrase",
              "confirm_password": "a brand new passphrase"}
    for _ in range(5):
        response = client.post("/account/password",
                               data={"current_password": "not my password", **change})
        assert b"Your current password is not right." in response.data
    response = client.post("/account/password",
                           data={"current_password": user.password, **change})
    assert response.status_code == 429
    assert b"Too many attempts for this account. Try again in 15 minutes." in response.data


def test_a_right_current_password_clears_the_count(client, make_user):
    user = make_user()
    login_as(client, user)
    for _ in range(4):
        client.post("/account/password", data={
            "current_password": "not my password", "new_password": "another good passphrase",
            "confirm_password": "another good passphrase"})
    response = client.post("/account/password", data={
        "current_password": user.password, "new_password": "a brand new passphrase",
        "confirm_password": "a brand new passphrase"})
    assert response.status_code == 302


def test_with_rate_limits_off_sign_in_works_and_guesses_are_still_counted(
        client, app, make_user, monkeypatch):
    from lms.extensions import limiter
    monkeypatch.setattr(limiter, "enabled", False)  # RATELIMIT_ENABLED=False: no store
    user = make_user()
    assert _post_login(client, user, user.password, address="192.0.2.1").status_code == 302
    client.post("/logout")
    limit = app.config["LOGIN_MAX_FAILURES"]
    statuses = [_post_login(client, user, "wrong password!!", address="192.0.2.2").status_code
                for _ in range(limit + 1)]
    assert statuses == [200] * limit + [429]
