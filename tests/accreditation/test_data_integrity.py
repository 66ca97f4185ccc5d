"""Embedded proofs (eddsa-rdfc-2022), checked against the W3C test vector. Pure: no
database, no network."""

import copy
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lms.accreditation import data_integrity as di


@pytest.fixture(autouse=True)
def clean_database():
    """No database here: override the suite's per-test database reset."""
    return


VECTOR = json.loads((Path(__file__).parent / "standards" / "vc-di-eddsa"
                     / "signedDataInt.json").read_text())
#: The W3C examples context the test vector uses (not bundled with the app).
EXAMPLES = {"https://www.w3.org/ns/credentials/examples/v2":
            {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}}
SECRET = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
PUBLIC = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"


def vector_key():
    raw = di.base58_decode(SECRET[1:])
    assert raw[:2] == b"\x80\x26"  # multicodec ed25519-priv
    return Ed25519PrivateKey.from_private_bytes(raw[2:])


def test_signing_reproduces_the_w3c_test_vector():
    key = vector_key()
    assert di.multikey(key.public_key()) == PUBLIC
    unsigned = {name: value for name, value in VECTOR.items() if name != "proof"}
    proof = VECTOR["proof"]
    signed = di.add_proof(unsigned, key, verification_method=proof["verificationMethod"],
                          created=proof["created"], loader=di.bundled_loader(EXAMPLES),
                          as_list=False)
    assert signed == VECTOR


def test_the_w3c_test_vector_verifies_and_tampering_is_refused():
    public = di.public_key_from_multikey(PUBLIC)
    loader = di.bundled_loader(EXAMPLES)
    assert di.verify_proof(VECTOR, lambda method: public, loader)["created"]
    tampered = copy.deepcopy(VECTOR)
    tampered["credentialSubject"]["alumniOf"] = "Another School"
    with pytest.raises(di.ProofError, match="the signature does not match"):
        di.verify_proof(tampered, lambda method: public, loader)
    with pytest.raises(di.ProofError, match="unknown key"):
        di.verify_proof(VECTOR, lambda method: None, loader)


def test_contexts_come_only_from_the_bundle():
    """Without the examples context bundled, the vector cannot be read: nothing is
    fetched from the network."""
    public = di.public_key_from_multikey(PUBLIC)
    with pytest.raises(di.ProofError, match="bundled contexts"):
        di.verify_proof(VECTOR, lambda method: public)


@pytest.mark.parametrize("change", [
    lambda d: d.pop("proof"),
    lambda d: d.update(proof="text"),
    lambda d: d["proof"].update(cryptosuite="eddsa-jcs-2022"),
    lambda d: d["proof"].update(proofPurpose="authentication"),
    lambda d: d["proof"].update(proofValue="not base58 0OIl"),
    lambda d: d["proof"].update(proofValue=7),
    lambda d: d.update({"@context": ["https://evil.example/context"]}),
])
def test_broken_proofs_are_refused(change):
    public = di.public_key_from_multikey(PUBLIC)
    document = copy.deepcopy(VECTOR)
    change(document)
    with pytest.raises(di.ProofError):
        di.verify_proof(document, lambda method: public, di.bundled_loader(EXAMPLES))


@pytest.mark.parametrize("data", [b"", b"\0\0\1", b"hello", bytes(range(256))])
def test_base58_round_trips(data):
    assert di.base58_decode(di.base58_encode(data)) == data
