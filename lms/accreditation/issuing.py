"""Proof for third parties: the certificate PDF and the signed Open Badges credential."""

from datetime import UTC, datetime, time
from pathlib import Path

from flask import current_app, url_for

from lms.accreditation.certificate import render_certificate
from lms.accreditation.credentials import KeyRing, build_credential, sign_credential
from lms.accreditation.standards import load_standards


def keyring(app=None) -> KeyRing:
    app = app or current_app
    ring = app.extensions.get("lms.keyring")
    if ring is None:
        folder = Path(app.config.get("SIGNING_KEYS_DIR") or app.instance_path)
        ring = KeyRing.load(folder, app.config.get("SIGNING_KEY_PEM"))
        app.extensions["lms.keyring"] = ring
    return ring


def certificate_pdf(record) -> bytes:
    return render_certificate(
        holder_name=record.holder_name, level_name=record.level_name,
        identifier=record.public_id, issued_on=record.issued_on, expires_on=record.expires_on,
        issuer_name=current_app.config["ISSUER_NAME"],
        verify_url=url_for("public.verify", public_id=record.public_id, _external=True))


def signed_credential(record, app=None) -> str:
    level = load_standards().levels.get(record.level_key)
    base = url_for("main.index", _external=True).rstrip("/")
    credential = build_credential(
        credential_id=url_for("public.verify", public_id=record.public_id, _external=True),
        issuer_id=f"{base}/issuer", issuer_name=current_app.config["ISSUER_NAME"],
        issuer_url=base + "/", holder_name=record.holder_name,
        achievement_id=f"{base}/accreditation/levels/{record.level_key}",
        achievement_name=record.level_name,
        achievement_description=level.summary if level else record.level_name,
        criteria_narrative="Met the accreditation standards for this level, assessed by an "
        "independent assessor against evidence of training, observed practice, supervision "
        "and CPD.",
        valid_from=datetime.combine(record.valid_from, time.min, tzinfo=UTC),
        valid_until=datetime.combine(record.expires_on, time.max.replace(microsecond=0),
                                     tzinfo=UTC),
        status_url=url_for("public.api_verify", public_id=record.public_id, _external=True))
    return sign_credential(keyring(app), credential)
