"""Embedded proofs: W3C Data Integrity with the `eddsa-rdfc-2022` cryptosuite (Data
Integrity EdDSA Cryptosuites v1.0, §3.3), for wallets that verify only embedded proofs.

The credential is canonicalised with RDF Dataset Canonicalization (RDFC-1.0, which PyLD
implements as URDNA2015) and signed with Ed25519. JSON-LD contexts come only from the
copies bundled in `contexts/`: verification never fetches anything from the network,
and a document naming any other context is refused.
"""

import copy
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pyld import jsonld

from lms.i18n import gettext as _

CONTEXT_DIR = Path(__file__).parent / "contexts"
#: Context URL -> bundled file (see contexts/README.md for their provenance).
BUNDLED_CONTEXTS = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-context-3.0.3.json",
}
CRYPTOSUITE = "eddsa-rdfc-2022"
_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
#: Multicodec prefix of an Ed25519 public key (Multikey, §2.1.1 of the cryptosuite).
ED25519_PUB = b"\xed\x01"


class ProofError(Exception):
    """An embedded proof that does not hold; `.reason` in plain language."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _load_bundled(name: str) -> dict:
    return json.loads((CONTEXT_DIR / name).read_text())


def bundled_loader(extra: dict[str, dict] | None = None) -> Callable:
    """A PyLD document loader that answers only from bundled contexts (and `extra`)."""
    documents = {url: _load_bundled(name) for url, name in BUNDLED_CONTEXTS.items()}
    documents.update(extra or {})

    def load(url, options=None):
        if url not in documents:
            raise jsonld.JsonLdError(f"context not bundled: {url[:100]}",
                                     "jsonld.LoadDocumentError",
                                     code="loading document failed")
        return {"contextUrl": None, "documentUrl": url, "document": documents[url]}

    return load


def canonize(document: dict, loader: Callable) -> str:
    return jsonld.normalize(document, {"algorithm": "URDNA2015",
                                       "format": "application/n-quads",
                                       "documentLoader": loader, "safe": True})


def base58_encode(data: bytes) -> str:
    number, text = int.from_bytes(data, "big"), ""
    while number:
        number, remainder = divmod(number, 58)
        text = _ALPHABET[remainder] + text
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + text


def base58_decode(text: str) -> bytes:
    number = 0
    for char in text:
        index = _ALPHABET.find(char)
        if index < 0:
            raise ValueError("not base58")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def multikey(public_key: Ed25519PublicKey) -> str:
    """publicKeyMultibase of an Ed25519 key: "z" + base58btc(0xed01 + key)."""
    return "z" + base58_encode(ED25519_PUB + public_key.public_bytes(Encoding.Raw,
                                                                    PublicFormat.Raw))


def public_key_from_multikey(text: str) -> Ed25519PublicKey:
    raw = base58_decode(text[1:]) if text.startswith("z") else b""
    if not raw.startswith(ED25519_PUB) or len(raw) != 34:
        raise ValueError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def _hash_data(document: dict, proof_options: dict, loader: Callable) -> bytes:
    """§3.3.4 hashing: SHA-256 of the canonical proof configuration, then of the
    canonical document."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    config = {key: value for key, value in proof_options.items() if key != "proofValue"}
    config["@context"] = unsecured["@context"]
    return (hashlib.sha256(canonize(config, loader).encode()).digest()
            + hashlib.sha256(canonize(unsecured, loader).encode()).digest())


def add_proof(document: dict, private_key, *, verification_method: str, created: str,
              loader: Callable | None = None, as_list: bool = True) -> dict:
    """A copy of `document` with an eddsa-rdfc-2022 DataIntegrityProof. The OB 3.0
    AchievementCredential schema gives `proof` as a list, so it is one unless
    as_list=False."""
    loader = loader or bundled_loader()
    proof = {"type": "DataIntegrityProof", "cryptosuite": CRYPTOSUITE, "created": created,
             "verificationMethod": verification_method, "proofPurpose": "assertionMethod"}
    signature = private_key.sign(_hash_data(document, proof, loader))
    signed = copy.deepcopy(document)
    signed["proof"] = [{**proof, "proofValue": "z" + base58_encode(signature)}]
    if not as_list:
        signed["proof"] = signed["proof"][0]
    return signed


def verify_proof(document: dict, resolve: Callable[[str], Ed25519PublicKey | None],
                 loader: Callable | None = None) -> dict:
    """Check the document's eddsa-rdfc-2022 proof; returns the proof, raises ProofError."""
    loader = loader or bundled_loader()
    proofs = document.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs]
    proof = next((p for p in proofs if isinstance(p, dict)
                  and p.get("cryptosuite") == CRYPTOSUITE), None)
    if proof is None or proof.get("type") != "DataIntegrityProof":
        raise ProofError(_("it has no eddsa-rdfc-2022 proof"))
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError(_("the proof is not for assertion"))
    method, value = proof.get("verificationMethod"), proof.get("proofValue")
    key = resolve(method) if isinstance(method, str) else None
    if key is None:
        raise ProofError(_("signed with an unknown key"))
    try:
        signature = base58_decode(value[1:]) if isinstance(value, str) and \
            value.startswith("z") else b""
        hash_data = _hash_data(document, proof, loader)
    except Exception:
        raise ProofError(_("the credential cannot be read as JSON-LD with the bundled "
                           "contexts")) from None
    try:
        key.verify(signature, hash_data)
    except InvalidSignature:
        raise ProofError(_("the signature does not match")) from None
    return proof
