import pytest
from sqlalchemy import func, select

from lms import create_app
from lms.auth.models import User
from lms.extensions import db
from lms.schemes.models import Membership, Scheme


def _counts(app):
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(m))
                     for m in (User, Scheme, Membership))


def test_demo_load_is_idempotent_and_accounts_work(app, runner, client):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "prison.trainee3" in result.output
    assert "restorative-demo" in result.output
    first = _counts(app)
    assert first == (14, 2, 12)  # 13 people in two schemes and pcc.viewer
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert _counts(app) == first
    response = client.post("/login", data={"username": "school.lead",
                                           "password": "restorative-demo"})
    assert response.status_code == 302


def test_create_admin_command(app, runner, client):
    result = runner.invoke(args=["users", "create-admin", "site.admin", "--name", "Site Admin"])
    assert result.exit_code == 0, result.output
    otp = result.output.split("One-time password: ")[1].split()[0]
    assert client.post("/login", data={"username": "site.admin",
                                       "password": otp}).status_code == 302
    again = runner.invoke(args=["users", "create-admin", "site.admin", "--name", "X"])
    assert again.exit_code != 0
    assert "already exists" in again.output


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("LMS_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="LMS_SECRET_KEY is not set"):
        create_app({"ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    monkeypatch.setenv("LMS_SECRET_KEY", "too-short")
    with pytest.raises(RuntimeError, match="at least 32 characters"):
        create_app({"ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_settings(monkeypatch):
    monkeypatch.setenv("LMS_SECRET_KEY", "x" * 64)
    monkeypatch.setenv("LMS_AUDIT_KEY", "a" * 64)
    monkeypatch.setenv("LMS_BASE_URL", "https://lms.example.org/")
    monkeypatch.setenv("LMS_DATABASE_URL", "sqlite:///from-env.db")
    app = create_app({"ENV": "production"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///from-env.db"
    assert app.config.get("WTF_CSRF_ENABLED", True) is True


def test_unknown_environment_is_refused(monkeypatch):
    monkeypatch.setenv("LMS_CONFIG", "staging")
    with pytest.raises(RuntimeError, match="LMS_CONFIG must be one of"):
        create_app()
