"""Credential signing keys, kept in the database so every worker and every app instance
signs with the same current key the moment it is rotated (nothing is cached per process).

The private part is stored encrypted with a key derived from the app's SECRET_KEY, so a
copy of the database alone cannot sign. Keys are only ever retired, never deleted: the
JWKS keeps publishing every key that has signed a credential, so old credentials verify.

New keys are RSA 2048 and sign RS256, the algorithm Open Badges 3.0 requires every
verifier to support (OB 3.0 §8.2.3, JOSE header `alg`). A key given as LMS_SIGNING_KEY_PEM
(RSA, EC P-256 or Ed25519) signs instead and is never written to the database; only its
public part is registered, so every instance publishes it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from jwt.algorithms import Algorithm, ECAlgorithm, OKPAlgorithm, RSAAlgorithm
from sqlalchemy import JSON, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from lms import clock
from lms.accreditation.credentials import Key
from lms.audit import services as audit
from lms.db_types import UTCDateTime
from lms.extensions import Model, db
from lms.urls import absolute_path

RSA_BITS = 2048


class SigningKey(Model):
    __tablename__ = "signing_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: RFC 7638 JWK thumbprint; the published kid is the URL /keys/<kid>.
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    algorithm: Mapped[str] = mapped_column(String(16))
    public_jwk: Mapped[dict] = mapped_column(JSON)
    #: Fernet token of the PKCS8 PEM; None for a key held in the environment.
    private_key: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    #: Set when a newer key took over; retired keys still verify, never sign.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SigningKeyError(RuntimeError):
    pass


def algorithm_for(key) -> str:
    if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        return "RS256"
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        if key.curve.name != "secp256r1":
            raise SigningKeyError("EC signing keys must use the P-256 curve (ES256)")
        return "ES256"
    if isinstance(key, ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey):
        return "EdDSA"
    raise SigningKeyError("signing keys must be RSA, EC P-256 or Ed25519")


def public_jwk(public_key) -> dict:
    algorithm = algorithm_for(public_key)
    if algorithm == "RS256":
        return RSAAlgorithm.to_jwk(public_key, as_dict=True)
    if algorithm == "ES256":
        return ECAlgorithm.to_jwk(public_key, as_dict=True)
    return OKPAlgorithm.to_jwk(public_key, as_dict=True)


def thumbprint(jwk: dict) -> str:
    """RFC 7638 JWK thumbprint (SHA-256, base64url)."""
    members = {"RSA": ("e", "kty", "n"), "EC": ("crv", "kty", "x", "y"),
               "OKP": ("crv", "kty", "x")}[jwk["kty"]]
    canonical = json.dumps({name: jwk[name] for name in members}, separators=(",", ":"),
                           sort_keys=True)
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def kid_url(kid: str) -> str:
    return absolute_path(f"/keys/{kid}")


def _fernet() -> Fernet:
    secret = current_app.config["SECRET_KEY"].encode()
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=b"restorative-lms credential signing keys").derive(secret)
    return Fernet(base64.urlsafe_b64encode(derived))


def _pem(private_key) -> bytes:
    return private_key.private_bytes(serialization.Encoding.PEM,
                                     serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())


def _register(private_key, *, store_private: bool) -> SigningKey:
    jwk = public_jwk(private_key.public_key())
    row = SigningKey(kid=thumbprint(jwk), algorithm=algorithm_for(private_key),
                     public_jwk=jwk,
                     private_key=(_fernet().encrypt(_pem(private_key)).decode()
                                  if store_private else None))
    db.session.add(row)
    db.session.flush()
    audit.record("credentials.signing_key_added", actor=None, object_type="signing_key",
                 object_id=row.kid, payload={"algorithm": row.algorithm,
                                             "stored": "database" if store_private
                                             else "environment"})
    return row


def public_key_of(row: SigningKey):
    return _public_from_jwk(row.public_jwk, row.algorithm)


def _key(row: SigningKey, private=None) -> Key:
    return Key(kid=kid_url(row.kid), algorithm=row.algorithm,
               public=_public_from_jwk(row.public_jwk, row.algorithm), private=private)


def _public_from_jwk(jwk: dict, algorithm: str):
    loaders: dict[str, type[Algorithm]] = {
        "RS256": RSAAlgorithm, "ES256": ECAlgorithm, "EdDSA": OKPAlgorithm}
    return loaders[algorithm].from_jwk(jwk)


def _environment_key():
    pem = current_app.config.get("SIGNING_KEY_PEM")
    if not pem:
        return None
    # Environment files often hold the PEM on one line with escaped newlines.
    key = serialization.load_pem_private_key(pem.replace("\\n", "\n").encode(), password=None)
    algorithm_for(key)
    return key


def current_key(algorithm: str | None = None) -> Key:
    """The key that signs now (RS256 for VC-JWT unless an environment key is given;
    "EdDSA" for embedded Data Integrity proofs), read from the database on every call so
    a rotation by any instance takes effect at once. Creates it if there is none."""
    env_key = _environment_key()
    if env_key is not None and algorithm in (None, algorithm_for(env_key)):
        kid = thumbprint(public_jwk(env_key.public_key()))
        row = db.session.scalar(select(SigningKey).where(SigningKey.kid == kid))
        if row is None:
            row = _register(env_key, store_private=False)
        return _key(row, env_key)
    wanted = algorithm or "RS256"
    row = db.session.scalar(select(SigningKey).where(
        SigningKey.retired_at.is_(None), SigningKey.private_key.is_not(None),
        SigningKey.algorithm == wanted).order_by(SigningKey.id.desc()).limit(1))
    if row is None:
        return _new_key(wanted)
    assert row.private_key is not None  # selected for having one
    try:
        pem = _fernet().decrypt(row.private_key.encode())
    except InvalidToken:
        raise SigningKeyError(
            "The current signing key cannot be decrypted: the secret key has changed. "
            "Run `flask accreditation rotate-key` to start signing with a new key "
            "(earlier keys stay published).") from None
    return _key(row, serialization.load_pem_private_key(pem, password=None))


def _new_key(algorithm: str) -> Key:
    private_key: ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey
    if algorithm == "EdDSA":
        private_key = ed25519.Ed25519PrivateKey.generate()
    else:
        private_key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    return _key(_register(private_key, store_private=True), private_key)


def rotate() -> Key:
    """Retire the current keys and start signing with new ones (the Ed25519 key for
    embedded proofs is made when first needed)."""
    if _environment_key() is not None:
        raise SigningKeyError("The signing key comes from LMS_SIGNING_KEY_PEM; rotate it "
                              "there (the old key's public part stays published).")
    retired = []
    for row in db.session.scalars(select(SigningKey).where(SigningKey.retired_at.is_(None))):
        row.retired_at = clock.utcnow()
        retired.append(row.kid)
    key = _new_key("RS256")
    audit.record("credentials.signing_keys_rotated", actor=None, object_type="signing_key",
                 object_id=key.kid.rsplit("/", 1)[-1], payload={"retired": retired})
    return key


def published_keys() -> list[SigningKey]:
    """Every key that may have signed something, the current one(s) first."""
    rows = db.session.scalars(select(SigningKey).order_by(SigningKey.id.desc())).all()
    return sorted(rows, key=lambda row: row.retired_at is not None)


def jwks() -> dict:
    return {"keys": [jwk_of(row) for row in published_keys()]}


def jwk_of(row: SigningKey) -> dict:
    return {**row.public_jwk, "kid": kid_url(row.kid), "alg": row.algorithm, "use": "sig"}


def find_row(thumb: str) -> SigningKey | None:
    return db.session.scalar(select(SigningKey).where(SigningKey.kid == thumb[:64]))


def find(kid: str) -> Key | None:
    """A published key by its kid: the URL we publish or (older tokens) the bare
    thumbprint."""
    if not isinstance(kid, str) or len(kid) > 300:
        return None
    thumb = kid.rstrip("/").rsplit("/", 1)[-1]
    row = db.session.scalar(select(SigningKey).where(SigningKey.kid == thumb))
    return _key(row) if row is not None else None


def import_legacy_keys(folder) -> list[str]:
    """Publish (as retired) the Ed25519 keys earlier releases kept in
    instance/signing-keys/, so the credentials they signed keep verifying. Only the
    public parts are stored. Returns the kids added."""
    from pathlib import Path

    added = []
    for path in sorted(Path(folder).glob("*.pem")):
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, ed25519.Ed25519PrivateKey):
            continue
        jwk = public_jwk(key.public_key())
        kid = thumbprint(jwk)[:16]  # earlier releases used the first 16 characters
        if db.session.scalar(select(SigningKey.id).where(SigningKey.kid == kid)) is None:
            db.session.add(SigningKey(kid=kid, algorithm="EdDSA", public_jwk=jwk,
                                      retired_at=clock.utcnow()))
            audit.record("credentials.signing_key_imported", actor=None,
                         object_type="signing_key", object_id=kid,
                         payload={"algorithm": "EdDSA"})
            added.append(kid)
    db.session.flush()
    return added
