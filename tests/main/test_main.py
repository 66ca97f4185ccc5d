from sqlalchemy.exc import OperationalError

from lms import access, create_app
from lms.extensions import db
from tests.helpers import login_as


def test_welcome_page_for_visitors(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Training and accreditation for restorative practitioners" in response.data
    assert b'href="#main"' in response.data  # skip link
    assert b"<main" in response.data
    assert b'<nav aria-label="Main" class="nav-wide">' in response.data


def test_home_shows_roles_and_role_based_navigation(client, make_scheme, make_user):
    scheme = make_scheme(name="HMP Example")
    login_as(client, make_user(role="trainee", scheme=scheme))
    page = client.get("/").get_data(as_text=True)
    assert "HMP Example" in page
    assert "Trainee" in page
    assert 'href="/people/"' not in page
    client.post("/logout")
    login_as(client, make_user(role="lead", scheme=scheme))
    lead_page = client.get("/").get_data(as_text=True)
    assert '<li><a href="/reports/">Scheme</a></li>' in lead_page
    assert 'href="/people/"' in lead_page


def test_security_headers(client):
    response = client.get("/login")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_external_assets(client):
    page = client.get("/").get_data(as_text=True)
    assert "http://" not in page
    assert "https://" not in page
    with client.get("/static/css/site.css") as stylesheet:
        assert stylesheet.status_code == 200


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_reports_unreachable_database(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_not_found_page_is_in_the_layout(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert b"Page not found" in response.data
    assert b"Skip to main content" in response.data


def test_server_error_page_shows_no_internals():
    app = create_app({"ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "PROPAGATE_EXCEPTIONS": False})

    @app.route("/boom")
    @access.public
    def boom():
        raise RuntimeError("secret internal detail")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.data
    assert b"secret internal detail" not in response.data
    assert b"Traceback" not in response.data
