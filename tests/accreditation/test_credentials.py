"""Signed Open Badges 3.0 credentials (lms.accreditation.credentials), checked against
an independent JOSE library (jwcrypto) as well as our own verifier. Pure: no database."""

import base64
import hashlib
import hmac
import json
import re
from datetime import UTC, datetime, timedelta, timezone

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st
from jwcrypto import jwk as jose_jwk
from jwcrypto import jwt as jose_jwt
from jwcrypto.jws import InvalidJWSSignature
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from lms.accreditation.credentials import (
    InvalidCredential,
    Key,
    VerifiedCredential,
    build_credential,
    sign_credential,
    verify_credential,
)


@pytest.fixture(autouse=True)
def clean_database():
    """No database here: override the suite's per-test database reset."""
    return


NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
BASE = "https://lms.example.org"


class Ring:
    """Keys as the app publishes them: a lookup by kid and a JWKS."""

    def __init__(self, *private_keys):
        self.keys = {}
        for n, private in enumerate(private_keys):
            self.add(private, f"{BASE}/keys/k{n}-{id(self)}")

    def add(self, private, kid):
        algorithm = "RS256" if isinstance(private, rsa.RSAPrivateKey) else "ES256"
        self.keys[kid] = Key(kid=kid, algorithm=algorithm, public=private.public_key(),
                             private=private)
        self.current = self.keys[kid]
        return self.current

    def __call__(self, kid):
        return self.keys.get(kid)

    def jwks(self):
        def jwk(key):
            loader = RSAAlgorithm if key.algorithm == "RS256" else ECAlgorithm
            return {**loader.to_jwk(key.public, as_dict=True), "kid": key.kid,
                    "alg": key.algorithm, "use": "sig"}
        return {"keys": [jwk(key) for key in self.keys.values()]}


_RSA = rsa.generate_private_key(public_exponent=65537, key_size=2048)
_RSA_OTHER = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def ring():
    return Ring(_RSA)


def sign(ring, credential, now=NOW):
    return sign_credential(ring.current, credential, now=now)


def make_credential(**overrides):
    values = {
        "credential_id": f"{BASE}/credentials/RP-2025-00042/v1",
        "issuer": {"id": f"{BASE}/issuer", "type": ["Profile"],
                   "name": "Restorative Practice Accreditation Board", "url": f"{BASE}/"},
        "subject_identifiers": [{"type": "IdentityObject", "identityType": "identifier",
                                 "hashed": False, "identityHash": "RP-2025-00042"}],
        "holder_name": "Siân Ŵyn ap Rhŷs",
        "achievement": {"id": f"{BASE}/accreditation/levels/facilitator",
                        "type": ["Achievement"], "achievementType": "Certification",
                        "name": "Accredited Restorative Facilitator",
                        "description": "Facilitates restorative meetings to the standard.",
                        "criteria": {"narrative": "Training, practice, supervision, CPD."}},
        "awarded": datetime(2025, 3, 3, tzinfo=UTC),
        "valid_from": datetime(2025, 3, 3, tzinfo=UTC),
        "valid_until": datetime(2028, 3, 2, 23, 59, 59, tzinfo=UTC),
        "status": {"id": f"{BASE}/status/revocation/1#77", "type": "BitstringStatusListEntry",
                   "statusPurpose": "revocation", "statusListIndex": "77",
                   "statusListCredential": f"{BASE}/status/revocation/1"},
    }
    return build_credential(**{**values, **overrides})


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- the credential ----------------------------------------------------------------------

def test_credential_has_the_open_badges_3_fields():
    credential = make_credential()

    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["id"] == f"{BASE}/credentials/RP-2025-00042/v1"
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["id"] == f"{BASE}/issuer"
    assert credential["awardedDate"] == credential["validFrom"] == "2025-03-03T00:00:00Z"
    assert credential["validUntil"] == "2028-03-02T23:59:59Z"
    assert credential["name"] == "Accredited Restorative Facilitator"
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["name"] == "Siân Ŵyn ap Rhŷs"
    assert subject["identifier"][0]["identityHash"] == "RP-2025-00042"
    assert credential["credentialSchema"][0]["type"] == "1EdTechJsonSchemaValidator2019"
    assert credential["credentialStatus"]["type"] == "BitstringStatusListEntry"


def test_dates_are_converted_to_utc():
    plus_two = datetime(2025, 3, 3, 4, 30, tzinfo=timezone(timedelta(hours=2)))
    assert make_credential(valid_from=plus_two)["validFrom"] == "2025-03-03T02:30:00Z"


def test_naive_dates_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        make_credential(valid_from=datetime(2025, 3, 3))


def test_signed_credential_verifies_with_an_independent_library(ring):
    credential = make_credential()
    token = sign(ring, credential)

    keyset = jose_jwk.JWKSet.from_json(json.dumps(ring.jwks()))
    checked = jose_jwt.JWT(jwt=token, key=keyset)

    header = json.loads(checked.header)
    assert header == {"alg": "RS256", "typ": "JWT", "kid": ring.current.kid}
    claims = json.loads(checked.claims)
    # OB 3.0 §8.2: the payload is the credential itself, plus the registered claims.
    assert "vc" not in claims
    assert {k: v for k, v in claims.items() if k not in ("iss", "jti", "nbf", "exp", "iat")
            } == credential
    assert claims["iss"] == f"{BASE}/issuer"
    assert claims["jti"] == credential["id"]
    assert "sub" not in claims  # the subject is identified by `identifier`, not an id
    assert claims["nbf"] == int(datetime(2025, 3, 3, tzinfo=UTC).timestamp())
    assert claims["iat"] == int(NOW.timestamp())
    assert claims["exp"] == int(datetime(2028, 3, 2, 23, 59, 59, tzinfo=UTC).timestamp())


def test_sub_is_the_subject_id_when_there_is_one(ring):
    credential = make_credential()
    credential["credentialSubject"]["id"] = "did:example:holder"
    claims = json.loads(unb64(sign(ring, credential).split(".")[1]))
    assert claims["sub"] == "did:example:holder"
    assert verify_credential(sign(ring, credential), ring, now=NOW)


def test_es256_keys_sign_and_verify():
    ring = Ring(ec.generate_private_key(ec.SECP256R1()))
    token = sign(ring, make_credential())
    assert jwt.get_unverified_header(token)["alg"] == "ES256"
    keyset = jose_jwk.JWKSet.from_json(json.dumps(ring.jwks()))
    assert json.loads(jose_jwt.JWT(jwt=token, key=keyset).claims)["jti"]
    assert verify_credential(token, ring.jwks(), now=NOW)


def test_independent_library_rejects_a_tampered_token(ring):
    token = sign(ring, make_credential())
    header, payload, signature = token.split(".")
    claims = json.loads(unb64(payload))
    claims["credentialSubject"]["name"] = "Someone Else"
    forged = ".".join([header, b64(json.dumps(claims).encode()), signature])

    public_key = jose_jwk.JWK(**ring.jwks()["keys"][0])
    with pytest.raises(InvalidJWSSignature):
        jose_jwt.JWT(jwt=forged, key=public_key)


def test_verify_returns_the_credential(ring):
    credential = make_credential()
    token = sign(ring, credential)

    result = verify_credential(token, ring, now=NOW)

    assert result == VerifiedCredential(
        credential=credential, kid=ring.current.kid,
        credential_id=f"{BASE}/credentials/RP-2025-00042/v1",
        valid_from=datetime(2025, 3, 3, tzinfo=UTC),
        valid_until=datetime(2028, 3, 2, 23, 59, 59, tzinfo=UTC), expired=False)


def test_verify_against_the_published_jwks(ring):
    token = sign(ring, make_credential())
    published = json.loads(json.dumps(ring.jwks()))
    assert verify_credential(token, published, now=NOW).kid == ring.current.kid


def test_credential_signed_with_an_old_key_verifies_after_rotation(ring):
    old_kid = ring.current.kid
    token = sign(ring, make_credential())

    ring.add(_RSA_OTHER, f"{BASE}/keys/new")

    for keys in (ring, ring.jwks()):
        assert verify_credential(token, keys, now=NOW).kid == old_kid
    new_token = sign(ring, make_credential())
    assert verify_credential(new_token, ring, now=NOW).kid == f"{BASE}/keys/new"


def test_expired_credential_verifies_as_expired(ring):
    token = sign(ring, make_credential(
        valid_from=datetime(2020, 1, 1, tzinfo=UTC),
        valid_until=datetime(2023, 1, 1, tzinfo=UTC)))

    result = verify_credential(token, ring, now=NOW)

    assert result.expired is True
    assert result.valid_until == datetime(2023, 1, 1, tzinfo=UTC)
    assert verify_credential(token, ring, now=datetime(2022, 12, 31, tzinfo=UTC)).expired is False
    assert verify_credential(token, ring, now=datetime(2023, 1, 1, tzinfo=UTC)).expired is True


def test_credential_not_yet_valid_is_refused(ring):
    token = sign(ring, make_credential(
        valid_from=datetime(2030, 1, 1, tzinfo=UTC), valid_until=datetime(2033, 1, 1, tzinfo=UTC)))

    with pytest.raises(InvalidCredential) as error:
        verify_credential(token, ring, now=NOW)

    assert error.value.reason == "this credential is not valid yet"


def test_naive_now_is_a_programming_error(ring):
    token = sign(ring, make_credential())
    with pytest.raises(ValueError, match="timezone-aware"):
        verify_credential(token, ring, now=datetime(2025, 6, 1))


def test_a_credential_wrapped_in_vc_by_the_earlier_format_still_verifies():
    key = Ed25519PrivateKey.generate()
    published = Key(kid="thumb", algorithm="EdDSA", public=key.public_key())
    credential = make_credential()
    token = jwt.encode({"vc": credential, "iss": credential["issuer"]["id"],
                        "jti": credential["id"], "nbf": int(datetime(2025, 3, 3,
                                                                     tzinfo=UTC).timestamp()),
                        "exp": int(datetime(2028, 3, 2, 23, 59, 59, tzinfo=UTC).timestamp())},
                       key, algorithm="EdDSA", headers={"kid": "thumb"})
    assert verify_credential(token, {"thumb": published}.get, now=NOW).credential == credential


# --- refusing what cannot be trusted -----------------------------------------------------

def refused(token, keys):
    with pytest.raises(InvalidCredential) as error:
        verify_credential(token, keys, now=NOW)
    assert error.value.reason
    assert str(error.value) == error.value.reason
    return error.value.reason


def test_tampered_payload_is_refused(ring):
    token = sign(ring, make_credential())
    header, payload, signature = token.split(".")
    claims = json.loads(unb64(payload))
    claims["credentialSubject"]["name"] = "Someone Else"

    forged = ".".join([header, b64(json.dumps(claims).encode()), signature])

    assert refused(forged, ring) == "the signature does not match"


def test_tampered_signature_is_refused(ring):
    token = sign(ring, make_credential())
    header, payload, signature = token.split(".")
    raw = bytearray(unb64(signature))
    raw[10] ^= 0x01

    assert refused(".".join([header, payload, b64(bytes(raw))]), ring) == (
        "the signature does not match")


def test_alg_none_is_refused(ring):
    token = sign(ring, make_credential())
    payload = token.split(".")[1]
    header = b64(json.dumps({"alg": "none", "typ": "JWT", "kid": ring.current.kid}).encode())

    assert refused(f"{header}.{payload}.", ring) == "signed with an unsupported algorithm"


@pytest.mark.parametrize("secret_from", ["raw", "pem", "jwk"])
def test_hs256_signed_with_the_public_key_is_refused(ring, secret_from):
    public_jwk = ring.jwks()["keys"][0]
    secret = {
        "raw": unb64(public_jwk["n"]),
        "pem": ring.current.public.public_bytes(serialization.Encoding.PEM,
                                                serialization.PublicFormat.SubjectPublicKeyInfo),
        "jwk": json.dumps(public_jwk).encode(),
    }[secret_from]
    payload = sign(ring, make_credential()).split(".")[1]
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": ring.current.kid}).encode())
    signing_input = f"{header}.{payload}".encode()
    signature = b64(hmac.new(secret, signing_input, hashlib.sha256).digest())

    assert refused(f"{header}.{payload}.{signature}", ring) == (
        "signed with an unsupported algorithm")
    assert refused(f"{header}.{payload}.{signature}", ring.jwks()) == (
        "signed with an unsupported algorithm")


def test_a_header_naming_another_algorithm_than_the_key_is_refused(ring):
    token = sign(ring, make_credential())
    _, payload, signature = token.split(".")
    header = b64(json.dumps({"alg": "ES256", "typ": "JWT", "kid": ring.current.kid}).encode())
    assert refused(f"{header}.{payload}.{signature}", ring) == (
        "signed with an unsupported algorithm")


def test_unknown_key_is_refused(ring):
    stranger = Ring(_RSA_OTHER)
    token = sign(stranger, make_credential())

    assert refused(token, ring) == "signed with an unknown key"
    assert refused(token, ring.jwks()) == "signed with an unknown key"


def test_missing_kid_is_refused(ring):
    token = jwt.encode({"jti": "x"}, _RSA, algorithm="RS256")
    assert refused(token, ring) == "signed with an unknown key"


@pytest.mark.parametrize("token", [
    "", " ", "abc", "a.b.c", "...", "a.b", "a.b.c.d.e", "eyJ.eyJ.sig",
    "x" * 100_000, "\x00\x00", "ünïcödé.ünïcödé.ünïcödé",
    b64(b"[1, 2]") + ".e30.sig",
    b64(b'{"alg": "RS256"}') + ".e30.sig",
    b64(b'{"alg": "RS256", "kid": 7}') + ".e30.sig",
    b64(b'{"alg": "RS256", "kid": ["x"]}') + ".e30.sig",
])
def test_garbage_is_refused(ring, token):
    refused(token, ring)


@pytest.mark.parametrize("token", [None, 42, b"bytes.are.not", ["a", "b"], {"a": 1}])
def test_non_strings_are_refused(ring, token):
    refused(token, ring)


@pytest.fixture(scope="module")
def fixed_ring():
    return Ring(_RSA)


def signed_claims(ring, claims):
    payload = claims if isinstance(claims, bytes) else json.dumps(claims).encode()
    return jwt.api_jws.PyJWS().encode(payload, ring.current.private, algorithm="RS256",
                                      headers={"kid": ring.current.kid})


def genuine_claims(ring):
    return json.loads(unb64(sign(ring, make_credential()).split(".")[1]))


def test_properly_signed_genuine_claims_pass(fixed_ring):
    assert verify_credential(signed_claims(fixed_ring, genuine_claims(fixed_ring)), fixed_ring,
                             now=NOW)


@pytest.mark.parametrize("change", [
    lambda c: c.update(vc="a string"),
    lambda c: c.update(type="VerifiableCredential"),
    lambda c: c.update(type=["VerifiableCredential"]),
    lambda c: c.update(type=["OpenBadgeCredential"]),
    lambda c: c.update(id="https://elsewhere.example/1"),
    lambda c: c.update(issuer="https://elsewhere.example/issuer"),
    lambda c: c.update(issuer=["not", "a", "profile"]),
    lambda c: c.update(validFrom="2019-01-01T00:00:00Z"),
    lambda c: c.update(validUntil="2099-01-01T00:00:00Z"),
    lambda c: c.update(validUntil="not a date"),
    lambda c: c.update(validUntil="2028-03-02T23:59:59"),
    lambda c: c.pop("validUntil"),
    lambda c: c.update(iss="https://elsewhere.example/issuer"),
    lambda c: c.update(iss=["https://lms.example.org/issuer"]),
    lambda c: c.update(jti=7),
    lambda c: c.update(jti="https://elsewhere.example/1"),
    lambda c: c.update(nbf="1740960000"),
    lambda c: c.update(nbf=True),
    lambda c: c.update(exp=10**30),
    lambda c: c.update(exp=-(10**30)),
    lambda c: c.update(exp=None),
    lambda c: c.pop("exp"),
    lambda c: c.pop("jti"),
    lambda c: c.update(sub=12),
    lambda c: c.update(sub="did:example:someone-else"),
    lambda c: c.update(iat="yesterday"),
])
def test_wrong_claims_are_refused_even_when_signed(fixed_ring, change):
    claims = genuine_claims(fixed_ring)
    change(claims)
    refused(signed_claims(fixed_ring, claims), fixed_ring)


@pytest.mark.parametrize("payload", [b"", b"null", b"[]", b"42", b'"text"', b"{", b"\xff\xfe"])
def test_signed_non_objects_are_refused(fixed_ring, payload):
    refused(signed_claims(fixed_ring, payload), fixed_ring)


@given(st.text())
def test_any_text_is_refused(token):
    with pytest.raises(InvalidCredential):
        verify_credential(token, {"keys": []}, now=NOW)


BASE64URL = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=",
                    max_size=60)


@given(BASE64URL, BASE64URL, BASE64URL)
def test_token_shaped_text_is_refused(fixed_ring, header, payload, signature):
    with pytest.raises(InvalidCredential):
        verify_credential(f"{header}.{payload}.{signature}", fixed_ring, now=NOW)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                               max_size=3),
    max_leaves=10)
CLAIM_NAMES = st.sampled_from(["vc", "iss", "jti", "sub", "nbf", "iat", "exp", "other",
                               "@context", "id", "type", "issuer", "validFrom", "validUntil"])


@settings(max_examples=200)
@given(st.dictionaries(CLAIM_NAMES, JSON))
def test_signed_random_claims_are_refused(fixed_ring, claims):
    with pytest.raises(InvalidCredential):
        verify_credential(signed_claims(fixed_ring, claims), fixed_ring, now=NOW)


def test_reasons_are_plain_language(ring):
    reason = refused("not a token", ring)
    assert re.fullmatch(r"[a-z][a-z ',]+", reason)
