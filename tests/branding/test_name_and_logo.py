"""One configurable product name everywhere, and an uploaded (or configured) logo in the
header and on certificates, checked before it is kept."""

import io
import struct
import zlib

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.notify import services as notify
from lms.notify.models import OutboxMessage
from tests.helpers import login_as


def png(width=4, height=2):
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                              0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
       b'<rect width="40" height="20" fill="#1f4e79"/></svg>')


@pytest.fixture
def branding_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "BRANDING_DIR", str(tmp_path / "branding"))
    return tmp_path / "branding"


def _upload(client, data, name):
    return client.post("/admin/branding", data={"logo": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_the_product_name_is_configurable(client, app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "PRODUCT_NAME", "Cyfiawnder Learning")
    page = client.get("/login").get_data(as_text=True)
    assert "<title>Sign in · Cyfiawnder Learning</title>" in page
    assert ">Cyfiawnder Learning</a>" in page
    user = make_user(email="named@example.org")
    with app.test_request_context():
        from lms.auth.models import User
        notify.notify(db.session.get(User, user.id), "Something happened")
        db.session.commit()
        message = db.session.scalar(select(OutboxMessage))
    assert message.subject.startswith("Cyfiawnder Learning: ")
    assert "because you use Cyfiawnder Learning" in message.body


def test_an_admin_uploads_a_logo_shown_in_the_header(client, app, make_user, branding_dir):
    login_as(client, make_user(is_admin=True))
    assert 'class="brand-logo"' not in client.get("/").get_data(as_text=True)
    response = _upload(client, png(), "network.png")
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert 'class="brand-logo"' in page
    assert 'src="/branding/logo?v=' in page
    image = app.test_client().get("/branding/logo")
    assert image.status_code == 200
    assert image.mimetype == "image/png"
    assert image.data == png()
    assert "sandbox" in image.headers["Content-Security-Policy"]
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "branding.logo_uploaded" in actions
    client.post("/admin/branding/remove")
    assert app.test_client().get("/branding/logo").status_code == 404
    with app.app_context():
        assert "branding.logo_removed" in db.session.scalars(select(AuditEvent.action)).all()


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"GIF89a....", "logo.gif", "Upload a PNG or SVG file."),
    (b"not a png at all", "logo.png", "This file is not a PNG image."),
    (png(5000, 10), "big.png", "at most 4000 pixels"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "x.svg",
     "must not contain scripts"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "x.svg",
     "must not contain scripts"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
     b'<image xlink:href="https://evil.example/x.png"/></svg>', "x.svg",
     "must not refer to other files"),
    (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>', "x.svg",
     "DOCTYPE"),
    (b"<html><body>hi</body></html>", "x.svg", "not an SVG image"),
])
def test_a_bad_logo_is_refused(client, make_user, branding_dir, data, name, message):
    login_as(client, make_user(is_admin=True))
    response = _upload(client, data, name)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert not branding_dir.exists() or not any(branding_dir.iterdir())


def test_a_logo_over_the_size_limit_is_refused(app):
    from lms.branding import logo

    with app.test_request_context(), pytest.raises(logo.LogoRefused, match="at most 512 KB"):
        logo.check("huge.png", png() + b"\x00" * logo.MAX_BYTES)


def test_an_svg_logo_is_accepted(client, app, make_user, branding_dir):
    login_as(client, make_user(is_admin=True))
    assert _upload(client, SVG, "logo.svg").status_code == 302
    image = app.test_client().get("/branding/logo")
    assert image.mimetype == "image/svg+xml"


def test_only_admins_manage_the_logo(app, make_user, make_scheme, branding_dir):
    lead = login_as(app, make_user(role="lead", scheme=make_scheme()))
    assert lead.get("/admin/branding").status_code == 403
    assert _upload(lead, png(), "logo.png").status_code == 403
    assert lead.post("/admin/branding/remove").status_code == 403


def test_the_header_shows_the_logo_that_certificates_use(app, branding_dir, tmp_path,
                                                         monkeypatch):
    """The header's address names the file logo_file() chooses: the uploaded one over the
    configured one, a configured file only if it is a PNG or SVG that exists, and never a
    folder that happens to have a logo's name."""
    import os

    from lms.branding import logo_file, logo_url

    configured = tmp_path / "network.svg"
    configured.write_bytes(SVG)
    os.utime(configured, (1_700_000_000, 1_700_000_000))
    with app.test_request_context():
        assert logo_url() is None
        assert logo_file() is None
        monkeypatch.setitem(app.config, "LOGO_PATH", str(tmp_path / "missing.svg"))
        assert logo_url() is None
        monkeypatch.setitem(app.config, "LOGO_PATH", str(tmp_path / "network.txt"))
        (tmp_path / "network.txt").write_bytes(SVG)
        assert logo_url() is None
        assert logo_file() is None
        monkeypatch.setitem(app.config, "LOGO_PATH", str(configured))
        assert logo_file() == configured
        assert logo_url() == "/branding/logo?v=1700000000"
        (branding_dir / "logo.png").mkdir(parents=True)  # a folder, not a logo
        assert logo_url() == "/branding/logo?v=1700000000"
        (branding_dir / "logo.svg").write_bytes(SVG)
        os.utime(branding_dir / "logo.svg", (1_800_000_000, 1_800_000_000))
        assert logo_file() == branding_dir / "logo.svg"
        assert logo_url() == "/branding/logo?v=1800000000"
