"""Transport settings (trusted proxies, HSTS) and absolute URLs from the configured
canonical address, never from the Host header."""


import pytest
from flask import request

from lms import create_app
from lms.notify import services as notify
from lms.urls import absolute_url

EVIL = "evil.example"


def _production_app(monkeypatch, **overrides):
    monkeypatch.setenv("LMS_SECRET_KEY", "s" * 64)
    monkeypatch.setenv("LMS_AUDIT_KEY", "a" * 64)
    monkeypatch.setenv("LMS_BASE_URL", "https://lms.example.org")
    for name, value in overrides.items():
        monkeypatch.setenv(name, value)
    return create_app({"ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def _remote_addr_seen(app, headers, remote="10.0.0.2"):
    seen = {}

    def _record():
        seen["addr"], seen["secure"] = request.remote_addr, request.is_secure

    app.before_request_funcs.setdefault(None, []).insert(0, _record)
    app.test_client().get("/healthz", headers=headers, base_url="http://lms.example.org",
                          environ_base={"REMOTE_ADDR": remote})
    return seen


def test_forwarded_headers_are_ignored_without_trusted_proxies(monkeypatch):
    app = _production_app(monkeypatch)
    seen = _remote_addr_seen(app, {"X-Forwarded-For": "1.2.3.4", "X-Forwarded-Proto": "https"})
    assert seen == {"addr": "10.0.0.2", "secure": False}


def test_one_trusted_proxy_gives_the_client_address_and_scheme(monkeypatch):
    app = _production_app(monkeypatch, LMS_TRUSTED_PROXIES="1")
    # the client forged the first address; only the one our proxy appended is trusted
    seen = _remote_addr_seen(app, {"X-Forwarded-For": "6.6.6.6, 1.2.3.4",
                                   "X-Forwarded-Proto": "https"})
    assert seen == {"addr": "1.2.3.4", "secure": True}


def test_trusted_proxies_must_be_a_number(monkeypatch):
    with pytest.raises(RuntimeError, match="LMS_TRUSTED_PROXIES must be a whole number"):
        _production_app(monkeypatch, LMS_TRUSTED_PROXIES="yes")


def test_production_sends_hsts_over_https_only(monkeypatch):
    app = _production_app(monkeypatch)
    client = app.test_client()
    secure = client.get("/login", base_url="https://lms.example.org")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    plain = client.get("/login", base_url="http://lms.example.org")
    assert "Strict-Transport-Security" not in plain.headers


def test_development_sends_no_hsts(app, client):
    assert "Strict-Transport-Security" not in client.get(
        "/login", base_url="https://lms.example.org").headers


def test_production_requires_an_https_base_url(monkeypatch):
    with pytest.raises(RuntimeError, match="LMS_BASE_URL is not set"):
        _production_app(monkeypatch, LMS_BASE_URL="")
    with pytest.raises(RuntimeError, match="must start with https://"):
        _production_app(monkeypatch, LMS_BASE_URL="http://lms.example.org")
    with pytest.raises(RuntimeError, match=r"must be like https://lms\.example\.org"):
        _production_app(monkeypatch, LMS_BASE_URL="lms.example.org")


def test_production_requires_an_audit_key(monkeypatch):
    with pytest.raises(RuntimeError, match="LMS_AUDIT_KEY is not set"):
        _production_app(monkeypatch, LMS_AUDIT_KEY="")
    with pytest.raises(RuntimeError, match="at least 32 characters"):
        _production_app(monkeypatch, LMS_AUDIT_KEY="short")


def test_absolute_urls_ignore_the_host_header(app):
    with app.test_request_context("/", headers={"Host": EVIL}):
        assert absolute_url("accreditation.public.verify", public_id="ABCD") == \
            "https://lms.example.org/verify/ABCD"
    with app.app_context():  # and without any request, e.g. in a scheduled command
        assert absolute_url("main.index") == "https://lms.example.org/"


# Credentials and certificates under a spoofed Host: tests/accreditation/test_open_badges.py
# (test_a_spoofed_host_header_never_reaches_credentials_or_certificates).


def test_email_links_use_the_canonical_address(app):
    with app.test_request_context("/", headers={"Host": EVIL}):
        body = notify._body("Your record was signed off.", "/practice/3")
    assert "Open it here: https://lms.example.org/practice/3" in body
