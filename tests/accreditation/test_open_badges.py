"""Open Badges 3.0 conformance and public status, through the HTTP interface: every
issued credential validates against the official OB 3.0 AchievementCredential JSON
Schema (bundled in tests/accreditation/standards) and verifies with an independent JOSE
library (jwcrypto) against what the app publishes."""

import base64
import contextlib
import gzip
import json
import re
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft201909Validator
from jwcrypto import jwk, jwt
from sqlalchemy import func, select

from lms import clock, create_app
from lms.accreditation import lifecycle
from lms.accreditation.models import AccreditationRecord
from lms.accreditation.status_list import LIST_SIZE, StatusListEntry
from lms.extensions import db
from tests.accreditation.test_accreditation_flow import _record, issue
from tests.helpers import login_as

BASE = "https://lms.example.org"
SCHEMA = json.loads((Path(__file__).parent / "standards"
                     / "ob_v3p0_achievementcredential_schema.json").read_text())
JWT_CLAIMS = ("iss", "jti", "sub", "nbf", "exp", "iat")


@pytest.fixture(autouse=True)
def base_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_BASE_URL", BASE + "/")


def fetch_path(url):
    assert url.startswith(BASE + "/"), url
    return url[len(BASE):]


def download(app, user, public_id):
    return login_as(app, user).get(f"/accreditation/records/{public_id}/credential.jwt")


def open_token(client, token):
    """Verify with jwcrypto against the published JWKS; the credential and the header."""
    keyset = jwk.JWKSet.from_json(client.get("/.well-known/jwks.json").get_data(as_text=True))
    checked = jwt.JWT(jwt=token, key=keyset)
    return json.loads(checked.claims), json.loads(checked.header)


def credential_of(claims):
    return {name: value for name, value in claims.items() if name not in JWT_CLAIMS}


def assert_conforms(credential):
    validator = Draft201909Validator(SCHEMA, format_checker=Draft201909Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(credential), key=str)
    assert not errors, [error.message for error in errors]


@pytest.fixture
def record(app, people, give_evidence, make_assessor):
    return issue(app, people, give_evidence, make_assessor)


def test_issued_credential_is_an_ob3_vc_jwt_that_validates_against_the_schema(
        app, people, record, client):
    response = download(app, people.practitioner, record.public_id)
    assert response.status_code == 200
    assert response.mimetype == "application/jwt"
    claims, header = open_token(client, response.get_data(as_text=True))
    credential = credential_of(claims)

    assert_conforms(credential)
    # OB 3.0 §8.2.3 header; §8.2.4 claims mirror the credential (no "vc" wrapper).
    assert header["alg"] == "RS256"
    assert header["typ"] == "JWT"
    assert header["kid"].startswith(f"{BASE}/keys/")
    assert "vc" not in claims
    assert claims["iss"] == credential["issuer"]["id"] == f"{BASE}/issuer"
    assert claims["jti"] == credential["id"] == f"{BASE}/credentials/{record.public_id}/v1"
    assert claims["nbf"] == int(clock.utcnow().replace(hour=0, minute=0, second=0,
                                                       microsecond=0).timestamp())
    assert claims["exp"] > claims["iat"] >= claims["nbf"]
    assert "sub" not in claims
    assert "id" not in credential["credentialSubject"]
    subject = credential["credentialSubject"]
    assert {"type": "IdentityObject", "identityType": "identifier", "hashed": False,
            "identityHash": record.public_id} in subject["identifier"]
    achievement = subject["achievement"]
    assert achievement["achievementType"] == "Certification"
    assert achievement["image"]["type"] == "Image"
    assert credential["awardedDate"] == credential["validFrom"]
    assert credential["credentialSchema"] == [{
        "id": SCHEMA["$id"], "type": "1EdTechJsonSchemaValidator2019"}]
    status = credential["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert status["statusListCredential"] == f"{BASE}/status/revocation/1"
    assert 0 <= int(status["statusListIndex"]) < LIST_SIZE
    assert "RJ-T-" not in json.dumps(credential)


def test_kid_image_profile_and_achievement_dereference(app, people, record, client):
    token = download(app, people.practitioner, record.public_id).get_data(as_text=True)
    claims, header = open_token(client, token)
    credential = credential_of(claims)

    key = client.get(fetch_path(header["kid"]), headers={"Accept": "application/json"})
    assert key.status_code == 200
    assert key.json["kid"] == header["kid"]
    assert "d" not in key.json
    assert key.json["kty"] == "RSA"
    assert json.loads(jwt.JWT(jwt=token, key=jwk.JWK(**key.json)).claims)["jti"]

    profile = client.get("/issuer", headers={"Accept": "application/ld+json"})
    assert profile.mimetype == "application/ld+json"
    assert profile.json["id"] == credential["issuer"]["id"]
    assert profile.json["type"] == ["Profile"]
    assert profile.json["@context"][0].endswith("v2")
    assert profile.json["jwks_uri"] == f"{BASE}/.well-known/jwks.json"
    assert profile.json["otherIdentifier"][0]["identifier"] == "did:web:lms.example.org"
    html = client.get("/issuer", headers={"Accept": "text/html"})
    assert html.mimetype == "text/html"
    assert "Public signing keys" in html.get_data(as_text=True)

    achievement = credential["credentialSubject"]["achievement"]
    served = client.get(fetch_path(achievement["id"]), headers={"Accept": "application/json"})
    assert {k: v for k, v in served.json.items() if k != "@context"} == achievement
    assert "Foundation practitioner" in client.get(fetch_path(achievement["id"])).get_data(
        as_text=True)
    image = client.get(fetch_path(achievement["image"]["id"]))
    assert image.mimetype == "image/svg+xml"
    assert b"Foundation" in image.data
    assert client.get("/accreditation/levels/no-such-level").status_code == 404


@pytest.mark.parametrize("path", ["/.well-known/jwks.json", "/issuer",
                                  "/accreditation/levels/foundation"])
def test_public_documents_are_cors_enabled_and_cacheable(client, path):
    response = client.get(path, headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "max-age=" in response.headers["Cache-Control"]
    assert "Accept" in response.headers["Vary"]
    again = client.get(path, headers={"Accept": "application/json",
                                      "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


# --- issue 10: no proof for a record that is not valid; no Host header ------------------

@pytest.mark.parametrize("how", ["suspend", "revoke", "withdraw", "lapse"])
def test_no_credential_or_certificate_for_a_record_that_is_not_valid(
        app, people, record, how):
    admin, holder = login_as(app, people.admin), login_as(app, people.practitioner)
    if how == "lapse":
        with app.app_context():
            lifecycle.sweep(record.expires_on + timedelta(days=1))
            db.session.commit()
    else:
        actor = holder if how == "withdraw" else admin
        actor.post(f"/accreditation/records/{record.public_id}/{how}", data={"reason": "x"})
    status = _record(app, id=record.id).status
    assert status != "active"
    for path in ("credential.jwt", "certificate.pdf"):
        response = holder.get(f"/accreditation/records/{record.public_id}/{path}",
                              follow_redirects=True)
        page = response.get_data(as_text=True)
        assert response.mimetype == "text/html"
        assert not page.startswith("ey")
        assert f"This accreditation is {status}: a certificate or credential is only " \
               "issued while it is valid." in page
    page = holder.get(f"/accreditation/records/{record.public_id}").get_data(as_text=True)
    assert "Download digital credential" not in page
    assert "Download certificate" not in page


def _inflate_pdf(data: bytes) -> str:
    text = data.decode("latin-1")
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        with contextlib.suppress(zlib.error):
            text += zlib.decompress(stream).decode("latin-1")
    return text


def test_a_spoofed_host_header_never_reaches_credentials_or_certificates(
        app, people, record, client):
    evil = "http://evil.example"
    holder = app.test_client()
    assert holder.post("/login", base_url=evil, data={
        "username": people.practitioner.username,
        "password": people.practitioner.password}).status_code == 302
    headers = {"X-Forwarded-Host": "evil.example"}
    url = f"/accreditation/records/{record.public_id}"
    response = holder.get(f"{url}/credential.jwt", base_url=evil, headers=headers)
    claims, header = open_token(client, response.get_data(as_text=True))
    assert "evil" not in json.dumps([claims, header])
    assert BASE in claims["iss"]
    pdf = holder.get(f"{url}/certificate.pdf", base_url=evil, headers=headers)
    assert pdf.mimetype == "application/pdf"
    text = _inflate_pdf(pdf.data)
    assert "evil" not in text
    assert "lms.example.org/verify" in text
    page = holder.get(url, base_url=evil, headers=headers).get_data(as_text=True)
    assert record.public_id in page
    assert "evil" not in page
    for path in ("/.well-known/jwks.json", "/issuer", "/status/revocation/1"):
        assert b"evil" not in client.get(path, base_url=evil, headers={
            **headers, "Accept": "application/json"}).data


# --- status lists -----------------------------------------------------------------------

def status_bit(client, purpose, index):
    response = client.get(f"/status/{purpose}/1")
    assert response.status_code == 200
    assert response.mimetype == "application/jwt"
    claims, _ = open_token(client, response.get_data(as_text=True))
    subject = claims["credentialSubject"]
    assert claims["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert claims["id"] == f"{BASE}/status/{purpose}/1"
    assert claims["iss"] == f"{BASE}/issuer"
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == purpose
    encoded = subject["encodedList"]
    assert encoded[0] == "u"  # multibase base64url, no padding
    data = encoded[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    assert len(bits) * 8 == LIST_SIZE
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def test_status_lists_flip_with_every_lifecycle_change(app, people, record, client):
    token = download(app, people.practitioner, record.public_id).get_data(as_text=True)
    index = int(credential_of(open_token(client, token)[0])["credentialStatus"][
        "statusListIndex"])
    admin, holder = login_as(app, people.admin), login_as(app, people.practitioner)
    url = f"/accreditation/records/{record.public_id}"
    expected = [  # (client, action, revoked bit, suspended bit)
        (holder, "withdraw", False, True), (holder, "return", False, False),
        (admin, "suspend", False, True), (admin, "reinstate", False, False),
        (admin, "revoke", True, False),
    ]
    assert (status_bit(client, "revocation", index),
            status_bit(client, "suspension", index)) == (False, False)
    for actor, action, revoked, suspended in expected:
        assert actor.post(f"{url}/{action}", data={"reason": "x"}).status_code == 302
        assert (status_bit(client, "revocation", index),
                status_bit(client, "suspension", index)) == (revoked, suspended), action
    answer = client.post("/api/v1/verify", data=token,
                         headers={"Content-Type": "application/jwt"}).json
    assert answer["status"]["revoked"] is True
    assert answer["valid"] is False


def test_lapsing_sets_the_suspension_bit(app, people, record, client):
    token = download(app, people.practitioner, record.public_id).get_data(as_text=True)
    index = int(credential_of(open_token(client, token)[0])["credentialStatus"][
        "statusListIndex"])
    with app.app_context():
        lifecycle.sweep(record.expires_on + timedelta(days=1))
        db.session.commit()
    assert status_bit(client, "suspension", index) is True
    assert status_bit(client, "revocation", index) is False


def test_status_lists_are_cacheable_cors_enabled_and_404_beyond_the_last(client):
    response = client.get("/status/revocation/1")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "public, max-age=300"
    etag = response.headers["ETag"]
    assert client.get("/status/revocation/1", headers={"If-None-Match": etag}
                      ).status_code == 304
    assert client.get("/status/suspension/1", headers={"If-None-Match": etag}
                      ).status_code == 200  # another list, another tag
    assert client.get("/status/revocation/2").status_code == 404
    assert client.get("/status/other/1").status_code == 404


def test_status_list_indexes_are_random_not_in_issue_order(app, people):
    with app.app_context():
        version = _record_version(app)
        today = clock.today()
        records = []
        for n in range(40):  # one valid record per person and level at a time
            record = AccreditationRecord(
                public_id=f"RAND-{n:04d}-AAAA-BBBB", holder_id=people.practitioner.id,
                holder_name="Ana Practitioner", level_key="foundation",
                level_name="Foundation practitioner", standard_version_id=version,
                issued_on=today, expires_on=today + timedelta(days=300), status="active",
                decision={})
            db.session.add(record)
            db.session.flush()
            lifecycle.change(record, "suspended", actor=None, reason="x")
            db.session.flush()
            records.append(record)
        positions = [db.session.scalar(select(StatusListEntry.position).where(
            StatusListEntry.record_id == record.id)) for record in records]
    assert len(set(positions)) == 40
    assert positions != sorted(positions)
    assert max(positions) - min(positions) > 1000


def _record_version(app):
    from lms.accreditation.models import StandardVersion
    version = db.session.scalar(select(StandardVersion))
    if version is None:
        version = StandardVersion(content_hash="r" * 64, levels={})
        db.session.add(version)
        db.session.flush()
    return version.id


# --- renewal ------------------------------------------------------------------------------

def test_renewal_issues_a_new_version_keeping_the_award_date(app, people, give_evidence,
                                                             make_assessor, client):
    # supervision every 10 weeks across the period, so the maintenance rules are met
    record = issue(app, people, give_evidence, make_assessor, supervised_every=70)
    first = credential_of(open_token(client, download(
        app, people.practitioner, record.public_id).get_data(as_text=True))[0])
    login_as(app, people.admin).post(f"/accreditation/records/{record.public_id}/renew",
                                  data={"reason": "Annual."})
    renewed = credential_of(open_token(client, download(
        app, people.practitioner, record.public_id).get_data(as_text=True))[0])
    assert_conforms(renewed)
    assert renewed["awardedDate"] == first["awardedDate"]
    assert renewed["validFrom"] > first["validFrom"]
    assert renewed["validUntil"] > first["validUntil"]
    assert renewed["id"].endswith("/v2")
    assert first["id"].endswith("/v1")
    assert renewed["credentialStatus"] == first["credentialStatus"]


# --- checking credentials ---------------------------------------------------------------

def test_json_verification_endpoint(app, people, record, client):
    token = download(app, people.practitioner, record.public_id).get_data(as_text=True)
    raw = client.post("/api/v1/verify", data=token, headers={"Content-Type": "application/jwt"})
    assert raw.status_code == 200
    assert raw.headers["Access-Control-Allow-Origin"] == "*"
    answer = raw.json
    assert answer["valid"] is True
    assert answer["signature"] == {"valid": True, "format": "vc-jwt"}
    assert answer["status"]["revoked"] is False
    assert answer["status"]["suspended"] is False
    assert answer["record"]["identifier"] == record.public_id
    assert answer["checked_at"]
    wrapped = client.post("/api/v1/verify", json={"credential": token})
    assert wrapped.json["valid"] is True
    login_as(app, people.admin).post(f"/accreditation/records/{record.public_id}/suspend",
                                  data={"reason": "Complaint under review."})
    suspended = client.post("/api/v1/verify", json={"credential": token}).json
    assert suspended["valid"] is False
    assert suspended["status"]["suspended"] is True
    assert any("suspended since" in reason for reason in suspended["reasons"])
    assert "Complaint" not in json.dumps(suspended)
    forged = client.post("/api/v1/verify", data=token[:-6] + "AAAAAA")
    assert forged.status_code == 422
    assert forged.json["signature"]["valid"] is False
    assert "not a genuine credential" in forged.json["reasons"][0]
    for junk in (b"", b"{", b'{"credential": 7}', b"\xff" * 10, b"x" * 50_000):
        assert client.post("/api/v1/verify", data=junk).status_code == 422
    preflight = client.options("/api/v1/verify")
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"


def test_withdrawn_reads_differently_from_revoked(app, people, record, client):
    login_as(app, people.practitioner).post(
        f"/accreditation/records/{record.public_id}/withdraw", data={"reason": "Leave."})
    page = client.get(f"/verify/{record.public_id}").get_data(as_text=True)
    assert "Not valid at present: temporarily withdrawn since" in page
    assert "not a sanction" in page
    assert "revoked" not in page
    login_as(app, people.admin).post(f"/accreditation/records/{record.public_id}/revoke",
                                  data={"reason": "x"})
    page = client.get(f"/verify/{record.public_id}").get_data(as_text=True)
    assert "accreditation revoked on" in page
    assert "withdrawn since" not in page


@pytest.mark.parametrize("typed", ["{id}", "{compact}", "{lower}", " {spaced} "])
def test_certificate_number_works_in_the_verify_box(record, client, typed):
    public_id = record.public_id
    text = typed.format(id=public_id, compact=public_id.replace("-", ""),
                        lower=public_id.lower(), spaced=public_id.replace("-", " "))
    response = client.post("/verify", data={"token": text}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "✓ Valid" in page
    assert public_id in page
    assert client.get(f"/verify/{public_id.replace('-', '').lower()}").status_code == 200


def test_rotation_reaches_another_app_instance_at_once(app, people, record, client):
    """Two app instances (two workers, two servers) sharing one database."""
    other = create_app({"ENV": "testing",
                        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "LMS_BASE_URL": BASE})
    try:
        old = download(app, people.practitioner, record.public_id).get_data(as_text=True)
        old_kid = open_token(client, old)[1]["kid"]
        assert "new signing key" in other.test_cli_runner().invoke(
            args=["accreditation", "rotate-key"]).output
        new = download(app, people.practitioner, record.public_id).get_data(as_text=True)
        new_kid = open_token(client, new)[1]["kid"]
        assert new_kid != old_kid
        published = [key["kid"] for key in
                     other.test_client().get("/.well-known/jwks.json").json["keys"]]
        assert published == [new_kid, old_kid]  # current first, retired still listed
        for token in (old, new):
            assert other.test_client().post("/api/v1/verify", data=token).json["valid"]
    finally:
        with other.app_context():
            db.engine.dispose()


def test_demo_has_a_revoked_and_a_suspended_record_the_status_lists_report(app, runner,
                                                                           client):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    for status, purpose, other in (("revoked", "revocation", "suspension"),
                                   ("suspended", "suspension", "revocation")):
        with app.app_context():
            record = db.session.scalar(select(AccreditationRecord).filter_by(status=status))
            position = db.session.scalar(select(StatusListEntry.position).where(
                StatusListEntry.record_id == record.id))
        assert status_bit(client, purpose, position) is True
        assert status_bit(client, other, position) is False


def test_credentials_signed_by_an_earlier_release_still_verify(app, runner, client, tmp_path,
                                                               record):
    """Earlier releases signed EdDSA VC-JWTs ({"vc": ...}) with keys kept in files."""
    import jwt as pyjwt
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from lms.accreditation.signing_keys import public_jwk, thumbprint

    key = Ed25519PrivateKey.generate()
    (tmp_path / "old.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    kid = thumbprint(public_jwk(key.public_key()))[:16]
    today = clock.utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    credential = {"@context": ["https://www.w3.org/ns/credentials/v2"],
                  "id": f"http://localhost/verify/{record.public_id}",
                  "type": ["VerifiableCredential", "OpenBadgeCredential"],
                  "issuer": {"id": "http://localhost/issuer"},
                  "validFrom": today.strftime("%Y-%m-%dT%H:%M:%SZ"),
                  "validUntil": (today + timedelta(days=300)).strftime("%Y-%m-%dT%H:%M:%SZ")}
    token = pyjwt.encode({"vc": credential, "iss": "http://localhost/issuer",
                          "jti": credential["id"], "nbf": int(today.timestamp()),
                          "exp": int((today + timedelta(days=300)).timestamp())},
                         key, algorithm="EdDSA", headers={"kid": kid})
    assert client.post("/api/v1/verify", data=token).status_code == 422
    output = runner.invoke(args=["accreditation", "import-legacy-keys", str(tmp_path)]).output
    assert kid in output
    answer = client.post("/api/v1/verify", data=token).json
    assert answer["signature"]["valid"] is True
    assert answer["valid"] is True
    assert answer["record"]["identifier"] == record.public_id
    assert kid in [k["kid"].rsplit("/", 1)[-1] for k in
                   client.get("/.well-known/jwks.json").json["keys"]]


# --- the same credential with an embedded Data Integrity proof --------------------------

def _independent_di_check(client, document):
    """eddsa-rdfc-2022 checked outside the app's code: the key from the served DID
    document, canonical N-Quads from PyLD with contexts read here from the bundled files,
    the Ed25519 signature by libsodium (PyNaCl)."""
    import hashlib

    import nacl.signing
    from pyld import jsonld

    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

    def b58(text):
        number = 0
        for char in text:
            number = number * 58 + alphabet.index(char)
        # each leading "1" is a zero byte (1 signature in 256 starts with one)
        zeros = len(text) - len(text.lstrip("1"))
        return b"\0" * zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")

    contexts = Path(__file__).parents[2] / "lms" / "accreditation" / "contexts"
    files = {"https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
             "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json":
             "ob-context-3.0.3.json"}

    def loader(url, options=None):
        return {"contextUrl": None, "documentUrl": url,
                "document": json.loads((contexts / files[url]).read_text())}

    def canon(doc):
        return jsonld.normalize(doc, {"algorithm": "URDNA2015", "documentLoader": loader,
                                      "format": "application/n-quads"}).encode()

    proof = document["proof"][0] if isinstance(document["proof"], list) else document["proof"]
    did_doc = client.get("/.well-known/did.json").json
    method = next(m for m in did_doc["verificationMethod"]
                  if m["id"] == proof["verificationMethod"])
    assert method["id"] in did_doc["assertionMethod"]
    assert method["type"] == "Multikey"
    raw = b58(method["publicKeyMultibase"][1:])
    assert raw[:2] == b"\xed\x01"
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    config["@context"] = document["@context"]
    hash_data = hashlib.sha256(canon(config)).digest() + hashlib.sha256(canon(unsecured)).digest()
    nacl.signing.VerifyKey(raw[2:]).verify(hash_data, b58(proof["proofValue"][1:]))


def test_credential_with_an_embedded_proof_conforms_and_verifies(app, people, record, client):
    holder = login_as(app, people.practitioner)
    response = holder.get(f"/accreditation/records/{record.public_id}/credential.json")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    document = response.json
    assert_conforms(document)
    assert document["issuer"]["id"] == "did:web:lms.example.org"
    proof = document["proof"][0]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["verificationMethod"].startswith("did:web:lms.example.org#")
    _independent_di_check(client, document)
    # the same credential as the VC-JWT version: same id, dates and status entry
    token = holder.get(f"/accreditation/records/{record.public_id}/credential.jwt")
    jwt_credential = credential_of(open_token(client, token.get_data(as_text=True))[0])
    for name in ("id", "validFrom", "validUntil", "awardedDate", "credentialStatus"):
        assert document[name] == jwt_credential[name]

    answer = client.post("/api/v1/verify", json=document).json
    assert answer["valid"] is True
    assert answer["signature"] == {"valid": True, "format": "eddsa-rdfc-2022"}
    page = client.post("/verify", data={"token": json.dumps(document)}).get_data(as_text=True)
    assert "The signature is genuine." in page
    assert "✓ Valid" in page
    tampered = json.loads(json.dumps(document))
    tampered["credentialSubject"]["name"] = "Someone Else"
    refused = client.post("/api/v1/verify", json=tampered)
    assert refused.status_code == 422
    assert "the signature does not match" in refused.json["reasons"][0]
    login_as(app, people.admin).post(f"/accreditation/records/{record.public_id}/revoke",
                                  data={"reason": "x"})
    answer = client.post("/api/v1/verify", json={"credential": document}).json
    assert answer["signature"]["valid"] is True
    assert answer["valid"] is False
    assert answer["status"]["revoked"] is True
    assert holder.get(f"/accreditation/records/{record.public_id}/credential.json"
                      ).status_code == 302


def test_did_document_lists_current_and_retired_keys(app, people, record, client, runner):
    holder = login_as(app, people.practitioner)
    old = holder.get(f"/accreditation/records/{record.public_id}/credential.json").json
    runner.invoke(args=["accreditation", "rotate-key"])
    new = holder.get(f"/accreditation/records/{record.public_id}/credential.json").json
    assert old["proof"][0]["verificationMethod"] != new["proof"][0]["verificationMethod"]
    did_doc = client.get("/.well-known/did.json")
    assert did_doc.headers["Access-Control-Allow-Origin"] == "*"
    assert did_doc.json["id"] == "did:web:lms.example.org"
    assert did_doc.json["alsoKnownAs"] == [f"{BASE}/issuer"]
    ids = did_doc.json["assertionMethod"]
    methods = {old["proof"][0]["verificationMethod"], new["proof"][0]["verificationMethod"]}
    assert methods <= set(ids)
    assert len(ids) == 3  # the retired Ed25519 key, and the new RS256 and Ed25519 keys
    for document in (old, new):
        assert client.post("/api/v1/verify", json=document).json["valid"] is True


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["@context", "id", "type", "issuer", "proof", "validFrom",
                         "credential", "cryptosuite", "proofValue", "verificationMethod",
                         "@id", "@type", "x"]), inner, max_size=4),
    max_leaves=12)


@pytest.fixture
def known_method(app):
    from lms.accreditation import signing_keys
    with app.test_request_context():
        key = signing_keys.current_key("EdDSA")
        db.session.commit()
        return "did:web:lms.example.org#" + key.kid.rsplit("/", 1)[-1]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["@context", "type", "issuer", "proof", "id",
                                        "validFrom", "credentialSubject"]), JSON_VALUES),
       st.sampled_from([None, ["https://www.w3.org/ns/credentials/v2"],
                        ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]]))
def test_junk_posted_to_the_verification_endpoint_is_refused_not_an_error(
        client, known_method, document, context):
    """Generated documents that pass the first checks reach JSON-LD canonicalisation."""
    if context:
        document["@context"] = context
    document.setdefault("type", ["VerifiableCredential", "OpenBadgeCredential"])
    document.setdefault("issuer", "did:web:lms.example.org")
    document.setdefault("proof", {"type": "DataIntegrityProof",
                                  "cryptosuite": "eddsa-rdfc-2022",
                                  "proofPurpose": "assertionMethod",
                                  "proofValue": "z3u2en7t5LR2WtQH5",
                                  "verificationMethod": known_method})
    response = client.post("/api/v1/verify", json=document)
    if "\\u0000" in json.dumps(document):  # NUL bytes are refused before any view (lms/inputs)
        assert response.status_code == 400
        return
    assert response.status_code == 422
    assert response.json["valid"] is False


def test_key_changes_are_in_the_audit_trail(app, runner, client):
    from lms.audit.models import AuditEvent

    client.get("/status/revocation/1")  # creates the first key
    runner.invoke(args=["accreditation", "rotate-key"])
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions == ["credentials.signing_key_added", "credentials.signing_key_added",
                       "credentials.signing_keys_rotated"]
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_a_key_from_the_environment_signs_and_is_published(app, people, record, client,
                                                            runner, monkeypatch):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()
    monkeypatch.setitem(app.config, "SIGNING_KEY_PEM", pem.replace("\n", "\\n"))
    token = download(app, people.practitioner, record.public_id).get_data(as_text=True)
    claims, header = open_token(client, token)
    assert header["alg"] == "ES256"
    assert claims["jti"]
    with app.app_context():
        from lms.accreditation.signing_keys import SigningKey
        assert db.session.scalar(select(SigningKey.private_key)) is None  # never stored
    result = runner.invoke(args=["accreditation", "rotate-key"])
    assert result.exit_code == 1
    assert "LMS_SIGNING_KEY_PEM" in result.output


def test_a_key_that_cannot_be_decrypted_is_a_clear_message_not_an_error(
        app, people, record, monkeypatch):
    holder = login_as(app, people.practitioner)
    assert download(app, people.practitioner, record.public_id).status_code == 200
    monkeypatch.setitem(app.config, "SECRET_KEY", "another-secret-key-after-a-change-xxxxx")
    holder = login_as(app, people.practitioner)
    response = holder.get(f"/accreditation/records/{record.public_id}/credential.jwt",
                          follow_redirects=True)
    assert response.status_code == 200
    assert "Credentials cannot be signed at the moment" in response.get_data(as_text=True)


def test_two_requests_allocating_a_status_index_at_once_agree(app, record):
    """Two workers issue the first credential of a record at the same moment: the unique
    constraints decide, neither fails, and the record keeps one index."""
    import threading

    from lms.accreditation import status_list

    barrier, positions, errors = threading.Barrier(2), [], []

    def allocate():
        try:
            with app.app_context():
                row = db.session.get(AccreditationRecord, record.id)
                barrier.wait(timeout=10)
                positions.append(status_list.entry_for(row).position)
                db.session.commit()
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=allocate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(positions) == 2
    assert positions[0] == positions[1]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StatusListEntry)) == 1


def test_status_lists_are_also_served_as_json_ld_with_an_embedded_proof(
        app, people, record, client):
    """For wallets that verify only embedded proofs: same URL, Accept: application/json;
    the issuer is the did:web issuer of the embedded-proof credential."""
    document = login_as(app, people.practitioner).get(
        f"/accreditation/records/{record.public_id}/credential.json").json
    entry = document["credentialStatus"]
    url, index = fetch_path(entry["statusListCredential"]), int(entry["statusListIndex"])

    def bit():
        response = client.get(url, headers={"Accept": "application/vc+ld+json"})
        assert response.mimetype == "application/vc+ld+json"
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        listed = response.json
        assert listed["issuer"] == document["issuer"]["id"] == "did:web:lms.example.org"
        assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
        _independent_di_check(client, listed)
        data = listed["credentialSubject"]["encodedList"][1:]
        bits = gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
        return bool(bits[index // 8] & (0x80 >> (index % 8)))

    assert bit() is False
    jwt_tag = client.get(url).headers["ETag"]
    json_tag = client.get(url, headers={"Accept": "application/json"}).headers["ETag"]
    assert jwt_tag != json_tag
    login_as(app, people.admin).post(f"/accreditation/records/{record.public_id}/revoke",
                                  data={"reason": "x"})
    assert bit() is True


def test_achievement_name_and_description_are_given_in_welsh_too(app, people, record, client):
    """OB 3.0's schema allows only strings in `name`/`description`: they stay English and
    the Welsh edition is a Related achievement whose name is a language value object
    tagged cy. Both signed forms carry it; it survives JSON-LD expansion (safe mode)."""
    from pyld import jsonld

    from lms.accreditation.data_integrity import bundled_loader

    holder = login_as(app, people.practitioner)
    token = holder.get(f"/accreditation/records/{record.public_id}/credential.jwt")
    credential = credential_of(open_token(client, token.get_data(as_text=True))[0])
    document = holder.get(f"/accreditation/records/{record.public_id}/credential.json").json
    assert_conforms(credential)
    assert_conforms(document)
    for signed in (credential, document):
        assert signed["name"] == record.level_name
        assert isinstance(signed["description"], str)
        achievement = signed["credentialSubject"]["achievement"]
        assert achievement["name"] == record.level_name
        assert achievement["inLanguage"] == "en"
        welsh = achievement["related"][0]
        assert welsh["type"] == ["Related"]
        assert welsh["inLanguage"] == "cy"
        assert welsh["name"] == {"@value": "Ymarferydd sylfaen", "@language": "cy"}
        assert welsh["description"]["@language"] == "cy"
        assert welsh["description"]["@value"].startswith("Wedi'i hyfforddi'n hwylusydd")

    expanded, = jsonld.expand(document, {"documentLoader": bundled_loader(), "safe": True})
    ob = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
    subject, = expanded["https://www.w3.org/2018/credentials#credentialSubject"]
    achievement, = subject[ob + "achievement"]
    related, = achievement[ob + "related"]
    assert related["https://schema.org/name"] == [{"@language": "cy",
                                                   "@value": "Ymarferydd sylfaen"}]
    assert related["https://schema.org/inLanguage"] == [{"@value": "cy"}]
    # the Welsh is signed: changing it breaks the embedded proof
    tampered = json.loads(json.dumps(document))
    tampered["credentialSubject"]["achievement"]["related"][0]["name"]["@value"] = "Arall"
    assert client.post("/api/v1/verify", json=tampered).status_code == 422


def test_achievement_page_shows_the_welsh_name_marked_as_welsh(client):
    page = client.get("/accreditation/levels/foundation",
                      headers={"Accept": "text/html"}).get_data(as_text=True)
    assert '<p lang="cy" class="meta">Ymarferydd sylfaen</p>' in page
