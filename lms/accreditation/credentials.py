"""Open Badges 3.0 credentials, signed as VC-JWT with Ed25519 (EdDSA).

An accredited facilitator can hand their credential to anyone (an employer, a
commissioner); the token carries the signed credential, and the published key set lets
the recipient check it without asking us. Keys are only ever added: every key that has
signed a credential stays published, so rotating the signing key never invalidates
what was issued before.
"""

import contextlib
import fcntl
import hashlib
import json
import math
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from jwt.algorithms import OKPAlgorithm
from jwt.utils import base64url_encode

from lms import clock

ALGORITHM = "EdDSA"
KEY_FOLDER = "signing-keys"
CURRENT_FILE = "current"
CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
CREDENTIAL_TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
#: Far larger than any credential we issue; refuses absurd input before parsing it.
MAX_TOKEN_CHARS = 32_000


def _kid_for(public_key: Ed25519PublicKey) -> str:
    """The key's RFC 7638 JWK thumbprint (SHA-256), first 16 characters."""
    jwk = OKPAlgorithm.to_jwk(public_key, as_dict=True)
    required = {name: jwk[name] for name in ("crv", "kty", "x")}
    canonical = json.dumps(required, separators=(",", ":"), sort_keys=True)
    return base64url_encode(hashlib.sha256(canonical.encode()).digest()).decode()[:16]


def _load_private_pem(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("signing keys must be Ed25519 private keys")
    return key


def _pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


class KeyRing:
    """Ed25519 signing keys. The newest signs; every key stays published so old
    credentials still verify.

    Keys live in `<instance folder>/signing-keys/<kid>.pem` (PKCS8, mode 0600), with a
    `current` file naming the key that signs. A key given from the environment signs
    instead and is never written to disk: to rotate it, keep the old key's public part
    published (or on disk) before changing the variable.
    """

    def __init__(self, key_dir: Path, keys: dict[str, Ed25519PrivateKey], current_kid: str,
                 env_kid: str | None = None):
        self._dir = key_dir
        self._keys = keys
        self._env_kid = env_kid
        self._disk_files = _key_files(key_dir)
        self.current_kid = current_kid

    @classmethod
    def load(cls, folder: Path, private_key_pem: str | None = None) -> "KeyRing":
        key_dir = Path(folder) / KEY_FOLDER
        env_key = None
        if private_key_pem:
            # Environment files often hold the PEM on one line with escaped newlines.
            env_key = _load_private_pem(private_key_pem.replace("\\n", "\n").encode())
        if env_key is None:
            key_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        with _locked(key_dir):
            keys = _read_keys(key_dir)
            current = _read_current(key_dir, keys)
            if env_key is None and current is None:
                current = _add_key(key_dir, keys)
        env_kid = None
        if env_key is not None:
            env_kid = _kid_for(env_key.public_key())
            keys[env_kid] = env_key
            current = env_kid
        assert current is not None
        return cls(key_dir, keys, current, env_kid)

    def sign(self, claims: dict, headers: dict | None = None) -> str:
        return jwt.encode(claims, self._keys[self.current_kid], algorithm=ALGORITHM,
                          headers={**(headers or {}), "alg": ALGORITHM,
                                   "kid": self.current_kid})

    def jwks(self) -> dict:
        kids = [self.current_kid, *(kid for kid in self._keys if kid != self.current_kid)]
        return {"keys": [
            {**OKPAlgorithm.to_jwk(self._keys[kid].public_key(), as_dict=True),
             "kid": kid, "alg": ALGORITHM, "use": "sig"}
            for kid in kids
        ]}

    def rotate(self) -> str:
        if self._env_kid is not None:
            raise RuntimeError("the signing key comes from the environment; "
                               "rotate it there, keeping the old key published")
        with _locked(self._dir):
            kid = _add_key(self._dir, self._keys)
        self.current_kid = kid
        return kid

    def public_key(self, kid: str) -> Ed25519PublicKey:
        if kid not in self._keys and _key_files(self._dir) != self._disk_files:
            # Another process has rotated since we loaded: pick up its keys.
            self._disk_files = _key_files(self._dir)
            for new_kid, key in _read_keys(self._dir).items():
                self._keys.setdefault(new_kid, key)
        return self._keys[kid].public_key()


@contextlib.contextmanager
def _locked(key_dir: Path) -> Iterator[None]:
    """Serialise key creation between processes (several workers starting at once)."""
    if not key_dir.is_dir():
        yield
        return
    with open(key_dir / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _key_files(key_dir: Path) -> frozenset[str]:
    with contextlib.suppress(OSError):
        return frozenset(name for name in os.listdir(key_dir) if name.endswith(".pem"))
    return frozenset()


def _read_keys(key_dir: Path) -> dict[str, Ed25519PrivateKey]:
    keys = {}
    if key_dir.is_dir():
        for path in sorted(key_dir.glob("*.pem")):
            key = _load_private_pem(path.read_bytes())
            keys[_kid_for(key.public_key())] = key
    return keys


def _read_current(key_dir: Path, keys: dict[str, Ed25519PrivateKey]) -> str | None:
    with contextlib.suppress(OSError):
        kid = (key_dir / CURRENT_FILE).read_text().strip()
        if kid in keys:
            return kid
    if not keys:
        return None
    # No usable "current" file: the newest key signs.
    newest = max(key_dir.glob("*.pem"), key=lambda path: path.stat().st_mtime_ns)
    return _kid_for(_load_private_pem(newest.read_bytes()).public_key())


def _add_key(key_dir: Path, keys: dict[str, Ed25519PrivateKey]) -> str:
    """Generate a key, save it and make it current; returns its kid."""
    key = Ed25519PrivateKey.generate()
    kid = _kid_for(key.public_key())
    # Written under another name, then renamed: other processes never read half a key.
    partial = key_dir / f"{kid}.partial"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as file:
        os.fchmod(file.fileno(), 0o600)
        file.write(_pem(key))
    os.replace(partial, key_dir / f"{kid}.pem")
    temporary = key_dir / f"{CURRENT_FILE}.tmp"
    temporary.write_text(kid + "\n")
    os.replace(temporary, key_dir / CURRENT_FILE)
    keys[kid] = key
    return kid


class InvalidCredential(Exception):
    """A token that cannot be trusted; `.reason` says why in plain language."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("credential dates must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_credential(*, credential_id: str, issuer_id: str, issuer_name: str, issuer_url: str,
                     holder_name: str, achievement_id: str, achievement_name: str,
                     achievement_description: str, criteria_narrative: str,
                     valid_from: datetime, valid_until: datetime, status_url: str) -> dict:
    """An Open Badges 3.0 OpenBadgeCredential (W3C VC Data Model 2.0). It names the
    holder and what they achieved, nothing else: no contact details, no case data."""
    return {
        "@context": list(CONTEXTS),
        "id": credential_id,
        "type": list(CREDENTIAL_TYPES),
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": issuer_name,
                   "url": issuer_url},
        "validFrom": _iso(valid_from),
        "validUntil": _iso(valid_until),
        "name": achievement_name,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": holder_name,
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "name": achievement_name,
                "description": achievement_description,
                "criteria": {"narrative": criteria_narrative},
            },
        },
        # status_url answers JSON with the accreditation record's current status
        # (active, suspended, revoked, expired), so a verifier learns of a revocation
        # that happened after the credential was signed.
        "credentialStatus": {"id": status_url, "type": "1EdTechRevocationList"},
    }


def _epoch(iso: str) -> int:
    return int(datetime.fromisoformat(iso).timestamp())


def sign_credential(keyring: KeyRing, credential: dict) -> str:
    """The credential as a VC-JWT (Open Badges 3.0, JSON Web Token proof format)."""
    valid_from = _epoch(credential["validFrom"])
    claims = {
        "vc": credential,
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "sub": credential["credentialSubject"].get("id") or credential["id"],
        "nbf": valid_from,
        "iat": valid_from,
        "exp": _epoch(credential["validUntil"]),
    }
    return keyring.sign(claims, headers={"typ": "JWT"})


@dataclass(frozen=True)
class VerifiedCredential:
    credential: dict
    kid: str
    credential_id: str
    valid_from: datetime
    valid_until: datetime
    expired: bool


def verify_credential(token: str, keyring_or_jwks: KeyRing | Mapping[str, Any], *,
                      now: datetime | None = None) -> VerifiedCredential:
    """Check a VC-JWT against our keys (a KeyRing) or a published JWKS. An expired
    credential is returned with expired=True; anything untrustworthy raises
    InvalidCredential."""
    now = now or clock.utcnow()
    if now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN_CHARS:
        raise InvalidCredential("not a credential token")
    token = token.strip()
    try:
        header = jwt.get_unverified_header(token)
    except (jwt.PyJWTError, ValueError, TypeError):
        raise InvalidCredential("not a credential token") from None
    if header.get("alg") != ALGORITHM:
        raise InvalidCredential("signed with an unsupported algorithm")
    kid = header.get("kid")
    key = _verification_key(keyring_or_jwks, kid) if isinstance(kid, str) else None
    if key is None:
        raise InvalidCredential("signed with an unknown key")
    claims = _decode(token, key)
    credential, valid_from, valid_until = _check_claims(claims)
    if valid_from > now:
        raise InvalidCredential("this credential is not valid yet")
    return VerifiedCredential(credential=credential, kid=kid, credential_id=claims["jti"],
                              valid_from=valid_from, valid_until=valid_until,
                              expired=valid_until <= now)


def _verification_key(keys: KeyRing | Mapping[str, Any],
                      kid: str) -> Ed25519PublicKey | None:
    if isinstance(keys, KeyRing):
        try:
            return keys.public_key(kid)
        except KeyError:
            return None
    for entry in keys.get("keys", []):
        if isinstance(entry, Mapping) and entry.get("kid") == kid:
            with contextlib.suppress(jwt.PyJWTError):
                key = jwt.PyJWK(dict(entry), algorithm=ALGORITHM).key
                if isinstance(key, Ed25519PrivateKey):
                    key = key.public_key()
                if isinstance(key, Ed25519PublicKey):
                    return key
    return None


def _decode(token: str, key: Ed25519PublicKey) -> dict:
    # Times are checked against `now` below, not PyJWT's clock.
    options = {"require": ["iss", "jti", "nbf", "exp"], "verify_exp": False,
               "verify_nbf": False, "verify_iat": False}
    try:
        return jwt.decode(token, key, algorithms=[ALGORITHM], options=options)
    except jwt.InvalidSignatureError:
        raise InvalidCredential("the signature does not match") from None
    except jwt.InvalidAlgorithmError:
        raise InvalidCredential("signed with an unsupported algorithm") from None
    except jwt.MissingRequiredClaimError:
        raise InvalidCredential("the token lacks the claims of a credential") from None
    except (jwt.PyJWTError, ValueError, TypeError):
        raise InvalidCredential("not a credential token") from None


def _check_claims(claims: dict) -> tuple[dict, datetime, datetime]:
    """The credential inside the token and its validity period, once the JWT claims and
    the credential agree."""
    credential = claims.get("vc")
    if not isinstance(credential, dict) or not isinstance(credential.get("type"), list):
        raise InvalidCredential("not an Open Badges credential")
    if not all(kind in credential["type"] for kind in CREDENTIAL_TYPES):
        raise InvalidCredential("not an Open Badges credential")
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    valid_from = _timestamp(claims.get("nbf"))
    valid_until = _timestamp(claims.get("exp"))
    agrees = (
        isinstance(claims.get("jti"), str) and credential.get("id") == claims["jti"]
        and isinstance(claims.get("iss"), str) and issuer_id == claims["iss"]
        and valid_from is not None and valid_until is not None
        and ("iat" not in claims or _timestamp(claims["iat"]) is not None)
        and _parse_iso(credential.get("validFrom")) == valid_from
        and _parse_iso(credential.get("validUntil")) == valid_until
    )
    if not agrees:
        raise InvalidCredential("the credential does not match its signed claims")
    return credential, valid_from, valid_until


def _timestamp(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value):
        return None
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _parse_iso(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0)
