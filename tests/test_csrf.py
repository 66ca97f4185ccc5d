"""With CSRF protection on (as in production), every POST without a token is refused and
changes nothing."""

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from tests.helpers import SKIP_METHODS, csrf_token_from, url_for_rule

#: Public JSON APIs: no session or account acts through them and they change nothing.
CSRF_EXEMPT = {"accreditation.public.api_verify_credential"}


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def _row_counts(app):
    with app.app_context():
        return {t.name: db.session.scalar(select(func.count()).select_from(t))
                for t in db.metadata.sorted_tables}


def test_login_without_token_is_refused_and_with_token_works(app, client, make_user, csrf_on):
    user = make_user()
    response = client.post("/login", data={"username": user.username, "password": user.password})
    assert response.status_code == 400
    assert b"This form has expired" in response.data
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": user.username, "password": user.password,
                                           "csrf_token": token})
    assert response.status_code == 302


def test_every_post_endpoint_refuses_a_missing_token(app, client, make_user, make_scheme,
                                                     csrf_on):
    scheme = make_scheme()
    admin = make_user(is_admin=True, role="lead", scheme=scheme)
    make_user(role="trainee", scheme=scheme)
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": admin.username, "password": admin.password,
                                "csrf_token": token})
    before = _row_counts(app)
    posts = [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods - SKIP_METHODS
             and rule.endpoint not in CSRF_EXEMPT]
    assert len(posts) >= 10
    for rule in posts:
        response = client.post(url_for_rule(rule), data={"anything": "x"})
        assert response.status_code == 400, rule.endpoint
    assert _row_counts(app) == before
