"""Signed Open Badges 3.0 credentials (lms.accreditation.credentials), checked against
an independent JOSE library (jwcrypto) as well as our own verifier."""

import base64
import hashlib
import hmac
import json
import re
import stat
from datetime import UTC, datetime, timedelta, timezone

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st
from jwcrypto import jwk as jose_jwk
from jwcrypto import jwt as jose_jwt
from jwcrypto.jws import InvalidJWSSignature

from lms.accreditation.credentials import (
    InvalidCredential,
    KeyRing,
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


def make_credential(**overrides):
    values = {
        "credential_id": "https://lms.example.org/verify/RP-2025-00042",
        "issuer_id": "https://lms.example.org/issuer",
        "issuer_name": "Restorative Practice Accreditation Board",
        "issuer_url": "https://lms.example.org/",
        "holder_name": "Siân Ŵyn ap Rhŷs",
        "achievement_id": "https://lms.example.org/accreditation/levels/facilitator",
        "achievement_name": "Accredited Restorative Facilitator",
        "achievement_description": "Facilitates restorative meetings to the national standard.",
        "criteria_narrative": "Training, observed practice, supervision and CPD, assessed.",
        "valid_from": datetime(2025, 3, 3, tzinfo=UTC),
        "valid_until": datetime(2028, 3, 2, 23, 59, 59, tzinfo=UTC),
        "status_url": "https://lms.example.org/api/verify/RP-2025-00042",
    }
    return build_credential(**{**values, **overrides})


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def ed25519_pem() -> str:
    key = Ed25519PrivateKey.generate()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


@pytest.fixture
def ring(tmp_path):
    return KeyRing.load(tmp_path)


@pytest.fixture(scope="module")
def pem_ring(tmp_path_factory):
    """A ring whose private key the tests hold, to sign arbitrary bytes with it."""
    pem = ed25519_pem()
    ring = KeyRing.load(tmp_path_factory.mktemp("keys"), pem)
    private_key = serialization.load_pem_private_key(pem.encode(), password=None)
    return ring, private_key


# --- KeyRing -----------------------------------------------------------------------------

def test_load_generates_a_private_key_file_and_reloads_it(tmp_path):
    ring = KeyRing.load(tmp_path)

    key_dir = tmp_path / "signing-keys"
    pem_files = list(key_dir.glob("*.pem"))
    assert [path.name for path in pem_files] == [f"{ring.current_kid}.pem"]
    assert stat.S_IMODE(pem_files[0].stat().st_mode) == 0o600
    assert pem_files[0].read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert (key_dir / "current").read_text().strip() == ring.current_kid

    again = KeyRing.load(tmp_path)
    assert again.current_kid == ring.current_kid
    assert again.jwks() == ring.jwks()
    assert len(list(key_dir.glob("*.pem"))) == 1


def test_kid_is_the_rfc7638_thumbprint(ring):
    published = ring.jwks()["keys"][0]
    independent = jose_jwk.JWK(**{k: published[k] for k in ("kty", "crv", "x")})
    assert ring.current_kid == independent.thumbprint()[:16]
    assert published["kid"] == ring.current_kid


def test_jwks_publishes_public_parts_only(ring):
    ring.rotate()
    keys = ring.jwks()["keys"]
    assert len(keys) == 2
    for key in keys:
        assert "d" not in key
        assert key["kty"] == "OKP"
        assert key["crv"] == "Ed25519"
        assert key["alg"] == "EdDSA"
        assert key["use"] == "sig"
        assert len(unb64(key["x"])) == 32


def test_rotate_makes_a_new_current_key_and_keeps_the_old_one(tmp_path):
    ring = KeyRing.load(tmp_path)
    old = ring.current_kid

    new = ring.rotate()

    assert new != old
    assert ring.current_kid == new
    assert [key["kid"] for key in ring.jwks()["keys"]] == [new, old]
    reloaded = KeyRing.load(tmp_path)
    assert reloaded.current_kid == new
    assert [key["kid"] for key in reloaded.jwks()["keys"]] == [new, old]
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600
               for path in (tmp_path / "signing-keys").glob("*.pem"))


def test_environment_key_signs_without_being_written(tmp_path):
    disk_kid = KeyRing.load(tmp_path).current_kid
    pem = ed25519_pem()

    ring = KeyRing.load(tmp_path, pem)

    assert ring.current_kid != disk_kid
    assert [key["kid"] for key in ring.jwks()["keys"]] == [ring.current_kid, disk_kid]
    assert [p.stem for p in (tmp_path / "signing-keys").glob("*.pem")] == [disk_kid]
    assert pem.strip() not in "".join(
        p.read_text() for p in (tmp_path / "signing-keys").iterdir() if p.is_file())
    token = sign_credential(ring, make_credential())
    assert jwt.get_unverified_header(token)["kid"] == ring.current_kid
    assert KeyRing.load(tmp_path, pem).current_kid == ring.current_kid
    with pytest.raises(RuntimeError):
        ring.rotate()


def test_environment_key_may_have_escaped_newlines(tmp_path):
    pem = ed25519_pem()
    one_line = pem.replace("\n", "\\n")
    assert "\n" not in one_line
    assert KeyRing.load(tmp_path, one_line).jwks() == KeyRing.load(tmp_path, pem).jwks()


def test_environment_key_alone_creates_nothing_on_disk(tmp_path):
    ring = KeyRing.load(tmp_path / "instance", ed25519_pem())
    assert len(ring.jwks()["keys"]) == 1
    assert not (tmp_path / "instance").exists()


def test_environment_key_must_be_ed25519(tmp_path):
    rsa_like = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()
    with pytest.raises(ValueError, match="Ed25519"):
        KeyRing.load(tmp_path, rsa_like)


def test_public_key_of_an_unknown_kid_is_a_key_error(ring):
    with pytest.raises(KeyError):
        ring.public_key("not-a-kid")


def test_a_key_rotated_by_another_process_is_picked_up_for_verification(tmp_path):
    worker_a = KeyRing.load(tmp_path)
    worker_b = KeyRing.load(tmp_path)
    worker_b.rotate()

    token = sign_credential(worker_b, make_credential())

    assert verify_credential(token, worker_a, now=NOW).kid == worker_b.current_kid


# --- the credential ----------------------------------------------------------------------

def test_credential_has_the_open_badges_3_fields():
    credential = make_credential()

    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["id"] == "https://lms.example.org/verify/RP-2025-00042"
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"] == {
        "id": "https://lms.example.org/issuer", "type": ["Profile"],
        "name": "Restorative Practice Accreditation Board", "url": "https://lms.example.org/"}
    assert credential["validFrom"] == "2025-03-03T00:00:00Z"
    assert credential["validUntil"] == "2028-03-02T23:59:59Z"
    assert credential["name"] == "Accredited Restorative Facilitator"
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["name"] == "Siân Ŵyn ap Rhŷs"
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["id"] == "https://lms.example.org/accreditation/levels/facilitator"
    for field in ("name", "description"):
        assert achievement[field]
    assert achievement["criteria"]["narrative"]
    assert credential["credentialStatus"] == {
        "id": "https://lms.example.org/api/verify/RP-2025-00042",
        "type": "1EdTechRevocationList"}
    assert "@" not in json.dumps(credential).replace("@context", "")


def test_dates_are_converted_to_utc():
    plus_two = datetime(2025, 3, 3, 4, 30, tzinfo=timezone(timedelta(hours=2)))
    assert make_credential(valid_from=plus_two)["validFrom"] == "2025-03-03T02:30:00Z"


def test_naive_dates_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        make_credential(valid_from=datetime(2025, 3, 3))


def test_signed_credential_verifies_with_an_independent_library(ring):
    credential = make_credential()
    token = sign_credential(ring, credential)

    keyset = jose_jwk.JWKSet.from_json(json.dumps(ring.jwks()))
    checked = jose_jwt.JWT(jwt=token, key=keyset)

    header = json.loads(checked.header)
    assert header == {"alg": "EdDSA", "typ": "JWT", "kid": ring.current_kid}
    claims = json.loads(checked.claims)
    assert claims["vc"] == credential
    assert claims["iss"] == "https://lms.example.org/issuer"
    assert claims["jti"] == "https://lms.example.org/verify/RP-2025-00042"
    assert claims["sub"] == claims["jti"]
    valid_from = int(datetime(2025, 3, 3, tzinfo=UTC).timestamp())
    assert claims["nbf"] == claims["iat"] == valid_from
    assert claims["exp"] == int(datetime(2028, 3, 2, 23, 59, 59, tzinfo=UTC).timestamp())


def test_independent_library_rejects_a_tampered_token(ring):
    token = sign_credential(ring, make_credential())
    header, payload, signature = token.split(".")
    claims = json.loads(unb64(payload))
    claims["vc"]["credentialSubject"]["name"] = "Someone Else"
    forged = ".".join([header, b64(json.dumps(claims).encode()), signature])

    public_key = jose_jwk.JWK(**ring.jwks()["keys"][0])
    with pytest.raises(InvalidJWSSignature):
        jose_jwt.JWT(jwt=forged, key=public_key)


def test_verify_returns_the_credential(ring):
    credential = make_credential()
    token = sign_credential(ring, credential)

    result = verify_credential(token, ring, now=NOW)

    assert result == VerifiedCredential(
        credential=credential, kid=ring.current_kid,
        credential_id="https://lms.example.org/verify/RP-2025-00042",
        valid_from=datetime(2025, 3, 3, tzinfo=UTC),
        valid_until=datetime(2028, 3, 2, 23, 59, 59, tzinfo=UTC), expired=False)


def test_verify_against_the_published_jwks(ring):
    token = sign_credential(ring, make_credential())
    published = json.loads(json.dumps(ring.jwks()))
    assert verify_credential(token, published, now=NOW).kid == ring.current_kid


def test_verify_uses_the_clock_when_no_time_is_given(ring):
    recent = make_credential(valid_from=datetime.now(UTC) - timedelta(days=1),
                             valid_until=datetime.now(UTC) + timedelta(days=1))
    assert verify_credential(sign_credential(ring, recent), ring).expired is False


def test_credential_signed_with_an_old_key_verifies_after_rotation(tmp_path):
    ring = KeyRing.load(tmp_path)
    old_kid = ring.current_kid
    token = sign_credential(ring, make_credential())

    ring.rotate()
    reloaded = KeyRing.load(tmp_path)

    for keys in (ring, reloaded, reloaded.jwks()):
        assert verify_credential(token, keys, now=NOW).kid == old_kid
    keyset = jose_jwk.JWKSet.from_json(json.dumps(reloaded.jwks()))
    assert json.loads(jose_jwt.JWT(jwt=token, key=keyset).claims)["jti"]
    new_token = sign_credential(reloaded, make_credential())
    assert verify_credential(new_token, ring, now=NOW).kid == reloaded.current_kid


def test_expired_credential_verifies_as_expired(ring):
    token = sign_credential(ring, make_credential(
        valid_from=datetime(2020, 1, 1, tzinfo=UTC),
        valid_until=datetime(2023, 1, 1, tzinfo=UTC)))

    result = verify_credential(token, ring, now=NOW)

    assert result.expired is True
    assert result.valid_until == datetime(2023, 1, 1, tzinfo=UTC)
    assert verify_credential(token, ring, now=datetime(2022, 12, 31, tzinfo=UTC)).expired is False
    assert verify_credential(token, ring, now=datetime(2023, 1, 1, tzinfo=UTC)).expired is True


def test_credential_not_yet_valid_is_refused(ring):
    token = sign_credential(ring, make_credential(
        valid_from=datetime(2030, 1, 1, tzinfo=UTC), valid_until=datetime(2033, 1, 1, tzinfo=UTC)))

    with pytest.raises(InvalidCredential) as error:
        verify_credential(token, ring, now=NOW)

    assert error.value.reason == "this credential is not valid yet"


def test_naive_now_is_a_programming_error(ring):
    token = sign_credential(ring, make_credential())
    with pytest.raises(ValueError, match="timezone-aware"):
        verify_credential(token, ring, now=datetime(2025, 6, 1))


# --- refusing what cannot be trusted -----------------------------------------------------

def refused(token, keys):
    with pytest.raises(InvalidCredential) as error:
        verify_credential(token, keys, now=NOW)
    assert error.value.reason
    assert str(error.value) == error.value.reason
    return error.value.reason


def test_tampered_payload_is_refused(ring):
    token = sign_credential(ring, make_credential())
    header, payload, signature = token.split(".")
    claims = json.loads(unb64(payload))
    claims["vc"]["credentialSubject"]["name"] = "Someone Else"

    forged = ".".join([header, b64(json.dumps(claims).encode()), signature])

    assert refused(forged, ring) == "the signature does not match"


def test_tampered_signature_is_refused(ring):
    token = sign_credential(ring, make_credential())
    header, payload, signature = token.split(".")
    raw = bytearray(unb64(signature))
    raw[10] ^= 0x01

    assert refused(".".join([header, payload, b64(bytes(raw))]), ring) == (
        "the signature does not match")


def test_alg_none_is_refused(ring):
    token = sign_credential(ring, make_credential())
    payload = token.split(".")[1]
    header = b64(json.dumps({"alg": "none", "typ": "JWT", "kid": ring.current_kid}).encode())

    assert refused(f"{header}.{payload}.", ring) == "signed with an unsupported algorithm"


@pytest.mark.parametrize("secret_from", ["raw", "pem", "jwk"])
def test_hs256_signed_with_the_public_key_is_refused(ring, secret_from):
    public_jwk = ring.jwks()["keys"][0]
    public_key = ring.public_key(ring.current_kid)
    secret = {
        "raw": unb64(public_jwk["x"]),
        "pem": public_key.public_bytes(serialization.Encoding.PEM,
                                       serialization.PublicFormat.SubjectPublicKeyInfo),
        "jwk": json.dumps(public_jwk).encode(),
    }[secret_from]
    payload = sign_credential(ring, make_credential()).split(".")[1]
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": ring.current_kid}).encode())
    signing_input = f"{header}.{payload}".encode()
    signature = b64(hmac.new(secret, signing_input, hashlib.sha256).digest())

    assert refused(f"{header}.{payload}.{signature}", ring) == (
        "signed with an unsupported algorithm")
    assert refused(f"{header}.{payload}.{signature}", ring.jwks()) == (
        "signed with an unsupported algorithm")


def test_unknown_key_is_refused(ring, tmp_path):
    stranger = KeyRing.load(tmp_path / "elsewhere")
    token = sign_credential(stranger, make_credential())

    assert refused(token, ring) == "signed with an unknown key"
    assert refused(token, ring.jwks()) == "signed with an unknown key"


def test_missing_kid_is_refused(pem_ring):
    ring, private_key = pem_ring
    token = jwt.encode({"vc": {}}, private_key, algorithm="EdDSA")
    assert refused(token, ring) == "signed with an unknown key"


@pytest.mark.parametrize("token", [
    "", " ", "abc", "a.b.c", "...", "a.b", "a.b.c.d.e", "eyJ.eyJ.sig",
    "x" * 100_000, "\x00\x00", "ünïcödé.ünïcödé.ünïcödé",
    b64(b"[1, 2]") + ".e30.sig",
    b64(b'{"alg": "EdDSA"}') + ".e30.sig",
    b64(b'{"alg": "EdDSA", "kid": 7}') + ".e30.sig",
    b64(b'{"alg": "EdDSA", "kid": ["x"]}') + ".e30.sig",
])
def test_garbage_is_refused(ring, token):
    refused(token, ring)


@pytest.mark.parametrize("token", [None, 42, b"bytes.are.not", ["a", "b"], {"a": 1}])
def test_non_strings_are_refused(ring, token):
    refused(token, ring)


def signed_claims(pem_ring, claims):
    ring, private_key = pem_ring
    payload = claims if isinstance(claims, bytes) else json.dumps(claims).encode()
    return jwt.api_jws.PyJWS().encode(payload, private_key, algorithm="EdDSA",
                                      headers={"kid": ring.current_kid})


def genuine_claims(ring):
    return json.loads(unb64(sign_credential(ring, make_credential()).split(".")[1]))


def test_properly_signed_genuine_claims_pass(pem_ring):
    ring, _ = pem_ring
    assert verify_credential(signed_claims(pem_ring, genuine_claims(ring)), ring, now=NOW)


@pytest.mark.parametrize("change", [
    lambda c: c.update(vc="a string"),
    lambda c: c.update(vc=None),
    lambda c: c["vc"].update(type="VerifiableCredential"),
    lambda c: c["vc"].update(type=["VerifiableCredential"]),
    lambda c: c["vc"].update(id="https://elsewhere.example/1"),
    lambda c: c["vc"].update(issuer="https://elsewhere.example/issuer"),
    lambda c: c["vc"].update(issuer=["not", "a", "profile"]),
    lambda c: c["vc"].update(validFrom="2019-01-01T00:00:00Z"),
    lambda c: c["vc"].update(validUntil="2099-01-01T00:00:00Z"),
    lambda c: c["vc"].update(validUntil="not a date"),
    lambda c: c["vc"].update(validUntil="2028-03-02T23:59:59"),
    lambda c: c["vc"].pop("validUntil"),
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
    lambda c: c.update(iat="yesterday"),
])
def test_wrong_claims_are_refused_even_when_signed(pem_ring, change):
    ring, _ = pem_ring
    claims = genuine_claims(ring)
    change(claims)
    refused(signed_claims(pem_ring, claims), ring)


@pytest.mark.parametrize("payload", [b"", b"null", b"[]", b"42", b'"text"', b"{", b"\xff\xfe"])
def test_signed_non_objects_are_refused(pem_ring, payload):
    ring, _ = pem_ring
    refused(signed_claims(pem_ring, payload), ring)


@given(st.text())
def test_any_text_is_refused(token):
    keys = {"keys": []}
    with pytest.raises(InvalidCredential):
        verify_credential(token, keys, now=NOW)


BASE64URL = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=",
                    max_size=60)


@given(BASE64URL, BASE64URL, BASE64URL)
def test_token_shaped_text_is_refused(pem_ring, header, payload, signature):
    ring, _ = pem_ring
    with pytest.raises(InvalidCredential):
        verify_credential(f"{header}.{payload}.{signature}", ring, now=NOW)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                               max_size=3),
    max_leaves=10)
CLAIM_NAMES = st.sampled_from(["vc", "iss", "jti", "sub", "nbf", "iat", "exp", "other"])


@settings(max_examples=200)
@given(st.dictionaries(CLAIM_NAMES, JSON), st.dictionaries(
    st.sampled_from(["@context", "id", "type", "issuer", "validFrom", "validUntil"]), JSON))
def test_signed_random_claims_are_refused(pem_ring, claims, vc):
    ring, _ = pem_ring
    claims.setdefault("vc", vc)
    with pytest.raises(InvalidCredential):
        verify_credential(signed_claims(pem_ring, claims), ring, now=NOW)


def test_reasons_are_plain_language(ring):
    reason = refused("not a token", ring)
    assert re.fullmatch(r"[a-z][a-z ',]+", reason)
