"""Every endpoint declares who may use it, and the declarations are enforced."""

from flask import Flask

from lms import access, create_app
from tests.helpers import SKIP_METHODS, login_as, url_for_rule


def _rules(app: Flask, rule_filter):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in access.BUILTIN_PUBLIC_ENDPOINTS:
            continue
        declared = access.access_rule_of(app.view_functions[rule.endpoint])
        if rule_filter(declared):
            yield rule


def test_every_endpoint_declares_an_access_rule(app):
    undeclared = [rule.endpoint for rule in _rules(app, lambda declared: declared is None)]
    assert undeclared == []
    assert len(list(_rules(app, lambda d: d is not None))) > 10


def test_anonymous_visitors_are_sent_to_sign_in_for_every_non_public_endpoint(app, client):
    checked = 0
    for rule in _rules(app, lambda declared: declared != "public"):
        for method in rule.methods - SKIP_METHODS:
            response = client.open(url_for_rule(rule), method=method)
            assert response.status_code == 302, (rule.endpoint, method, response.status_code)
            assert response.headers["Location"].startswith("/login"), rule.endpoint
            checked += 1
    assert checked > 10


def test_trainees_are_refused_admin_and_lead_endpoints(app, client, make_scheme, make_user):
    login_as(client, make_user(role="trainee", scheme=make_scheme()))
    restricted = list(_rules(app, lambda d: d == "admin" or (d or "").startswith("role:")))
    assert restricted
    for rule in restricted:
        for method in rule.methods - SKIP_METHODS:
            response = client.open(url_for_rule(rule), method=method)
            assert response.status_code == 403, (rule.endpoint, method, response.status_code)


def test_an_endpoint_without_a_rule_is_refused():
    app = create_app({"ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})

    @app.route("/forgot-to-declare")
    def undeclared():
        return "should never be served"

    response = app.test_client().get("/forgot-to-declare")
    assert response.status_code == 403
    assert b"should never be served" not in response.data
