"""Open Badges 3.0 credentials (W3C Verifiable Credentials Data Model 2.0), signed as
VC-JWT following OB 3.0 §8.2 "JSON Web Token Proof Format".

An accredited facilitator can hand their credential to anyone (an employer, a
commissioner, a wallet); the token carries the signed credential, and the published
keys (JWKS, and each key at its own `kid` URL) let the recipient check it without
asking us. The status list named in the credential tells them whether it was revoked.

This module is pure: it builds, signs and checks credentials. Which keys exist and
where they live is `signing_keys`; what a record's credential says is `issuing`.
"""

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt
from jwt.types import Options

from lms.i18n import gettext as _

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
CREDENTIAL_TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
#: The OB 3.0 AchievementCredential JSON Schema (OB 3.0 data model, credentialSchema).
SCHEMA = {"id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json-ld/"
                "ob_v3p0_achievementcredential_schema.json",
          "type": "1EdTechJsonSchemaValidator2019"}
#: Algorithms we sign with or accept. RS256 is the one every OB 3.0 verifier supports
#: (§8.2.3); ES256 and EdDSA are accepted for keys given in the environment and for
#: credentials issued before RS256 keys.
ALGORITHMS = ("RS256", "ES256", "EdDSA")
#: JWT claims that are not part of the credential (OB 3.0 §8.2.4).
JWT_CLAIMS = ("iss", "jti", "sub", "nbf", "exp", "iat", "aud")
#: Far larger than any credential we issue; refuses absurd input before parsing it.
MAX_TOKEN_CHARS = 32_000


@dataclass(frozen=True)
class Key:
    """A signing key as published: `kid` is the URL that serves its public JWK."""

    kid: str
    algorithm: str
    public: Any
    private: Any = None


KeyLookup = Callable[[str], Key | None] | Mapping[str, Any]


class InvalidCredential(Exception):
    """A token that cannot be trusted; `.reason` says why in plain language."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def iso(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("credential dates must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_credential(*, credential_id: str, issuer: dict, subject_identifiers: list[dict],
                     holder_name: str, achievement: dict, awarded: datetime,
                     valid_from: datetime, valid_until: datetime,
                     status: dict | None) -> dict:
    """An Open Badges 3.0 OpenBadgeCredential. It names the holder and what they
    achieved, nothing else: no contact details, no case data."""
    credential = {
        "@context": list(CONTEXTS),
        "id": credential_id,
        "type": list(CREDENTIAL_TYPES),
        # Strings, as the OB 3.0 schema requires; the Welsh is in the achievement's
        # `related` Welsh edition (see issuing.achievement).
        "name": achievement["name"],
        "description": achievement.get("description", achievement["name"]),
        "issuer": issuer,
        # OB 3.0 data model (AchievementCredential.awardedDate): renewal issues a new version (new
        # validFrom); awardedDate keeps the date of the original award.
        "awardedDate": iso(awarded),
        "validFrom": iso(valid_from),
        "validUntil": iso(valid_until),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            # OB 3.0 AchievementSubject: without a subject id, at least one IdentityObject.
            "identifier": subject_identifiers,
            "name": holder_name,
            "achievement": achievement,
        },
        "credentialSchema": [dict(SCHEMA)],
    }
    if status:
        credential["credentialStatus"] = status
    return credential


def _epoch(iso_text: str) -> int:
    return int(datetime.fromisoformat(iso_text).timestamp())


def sign_credential(key: Key, credential: dict, *, now: datetime) -> str:
    """The credential as a VC-JWT (OB 3.0 §8.2): the payload *is* the credential, with
    the registered claims derived from it (§8.2.4)."""
    issuer = credential["issuer"]
    claims = {
        **credential,
        "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
        "jti": credential["id"],
        "nbf": _epoch(credential["validFrom"]),
        "iat": int(now.timestamp()),
    }
    if "validUntil" in credential:
        claims["exp"] = _epoch(credential["validUntil"])
    subject_id = credential.get("credentialSubject", {}).get("id")
    if subject_id:
        claims["sub"] = subject_id
    # §8.2.3: typ "JWT", kid a URL that dereferences to the public JWK.
    return jwt.encode(claims, key.private, algorithm=key.algorithm,
                      headers={"typ": "JWT", "kid": key.kid})


@dataclass(frozen=True)
class VerifiedCredential:
    credential: dict
    kid: str
    credential_id: str
    valid_from: datetime
    valid_until: datetime | None
    expired: bool


def verify_credential(token: str, keys: KeyLookup, *, now: datetime,
                      types: tuple[str, ...] = ("OpenBadgeCredential",)) -> VerifiedCredential:
    """Check a VC-JWT against our keys (a lookup by kid) or a published JWKS. An expired
    credential is returned with expired=True; anything untrustworthy raises
    InvalidCredential."""
    if now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN_CHARS:
        raise InvalidCredential(_("not a credential token"))
    token = token.strip()
    try:
        header = jwt.get_unverified_header(token)
    except (jwt.PyJWTError, ValueError, TypeError):
        raise InvalidCredential(_("not a credential token")) from None
    if header.get("alg") not in ALGORITHMS:
        raise InvalidCredential(_("signed with an unsupported algorithm"))
    kid = header.get("kid")
    key = _verification_key(keys, kid) if isinstance(kid, str) else None
    if key is None or not isinstance(kid, str):
        raise InvalidCredential(_("signed with an unknown key"))
    if key.algorithm != header["alg"]:
        raise InvalidCredential(_("signed with an unsupported algorithm"))
    claims = _decode(token, key)
    credential, valid_from, valid_until = _check_claims(claims, types)
    if valid_from > now:
        raise InvalidCredential(_("this credential is not valid yet"))
    return VerifiedCredential(credential=credential, kid=kid, credential_id=claims["jti"],
                              valid_from=valid_from, valid_until=valid_until,
                              expired=valid_until is not None and valid_until <= now)


def _verification_key(keys: KeyLookup, kid: str) -> Key | None:
    if callable(keys):
        return keys(kid)
    for entry in keys.get("keys", []) if isinstance(keys, Mapping) else []:
        if isinstance(entry, Mapping) and entry.get("kid") == kid:
            try:
                public = jwt.PyJWK(dict(entry)).key
                algorithm = jwt.PyJWK(dict(entry)).algorithm_name
            except (jwt.PyJWTError, ValueError, TypeError, KeyError):
                return None
            if hasattr(public, "public_key"):  # a private JWK was published by mistake
                public = public.public_key()
            return Key(kid=kid, algorithm=entry.get("alg") or algorithm, public=public)
    return None


def _decode(token: str, key: Key) -> dict:
    # Times are checked against `now` below, not PyJWT's clock.
    options: Options = {"require": ["iss", "jti", "nbf"], "verify_exp": False,
               "verify_nbf": False, "verify_iat": False}
    try:
        claims = jwt.decode(token, key.public, algorithms=[key.algorithm], options=options)
    except jwt.InvalidSignatureError:
        raise InvalidCredential(_("the signature does not match")) from None
    except jwt.InvalidAlgorithmError:
        raise InvalidCredential(_("signed with an unsupported algorithm")) from None
    except jwt.MissingRequiredClaimError:
        raise InvalidCredential(_("the token lacks the claims of a credential")) from None
    except (jwt.PyJWTError, ValueError, TypeError):
        raise InvalidCredential(_("not a credential token")) from None
    if not isinstance(claims, dict):
        raise InvalidCredential(_("not a credential token"))
    return claims


def _check_claims(claims: dict, types: tuple[str, ...]) -> tuple[dict, datetime,
                                                                   datetime | None]:
    """The credential inside the token and its validity period, once the JWT claims and
    the credential agree."""
    if "vc" in claims:
        # Credentials issued before OB 3.0 §8.2 conformance wrapped the credential.
        credential = claims["vc"]
    else:
        credential = {name: value for name, value in claims.items() if name not in JWT_CLAIMS}
    if not isinstance(credential, dict) or not isinstance(credential.get("type"), list):
        raise InvalidCredential(_("not an Open Badges credential"))
    kinds = credential["type"]
    if "VerifiableCredential" not in kinds or not any(kind in kinds for kind in types):
        raise InvalidCredential(_("not an Open Badges credential"))
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    valid_from = _timestamp(claims.get("nbf"))
    valid_until = _timestamp(claims["exp"]) if "exp" in claims else None
    subject = credential.get("credentialSubject")
    subject_id = subject.get("id") if isinstance(subject, dict) else None
    agrees = (
        isinstance(claims.get("jti"), str) and credential.get("id") == claims["jti"]
        and isinstance(claims.get("iss"), str) and issuer_id == claims["iss"]
        and valid_from is not None
        and ("exp" not in claims or valid_until is not None)
        and ("iat" not in claims or _timestamp(claims["iat"]) is not None)
        and ("sub" not in claims or claims["sub"] == subject_id)
        and _parse_iso(credential.get("validFrom")) == valid_from
        and _parse_iso(credential.get("validUntil")) == valid_until
    )
    if not agrees or valid_from is None:  # agrees implies a valid_from
        raise InvalidCredential(_("the credential does not match its signed claims"))
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
