"""Proof for third parties: the certificate PDF and the signed Open Badges credential of
an accreditation record, and the public documents they point to (issuer Profile,
Achievement). Every absolute URL comes from configuration (LMS_BASE_URL), never from
the request's Host header: a spoofed Host must not produce a genuinely signed
credential pointing at another site.
"""

import hashlib
import hmac
from datetime import UTC, datetime, time
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale

from lms import clock, urls
from lms.accreditation import data_integrity, signing_keys, status_list
from lms.accreditation.certificate import render_certificate
from lms.accreditation.credentials import build_credential, iso, sign_credential
from lms.accreditation.models import AccreditationRecord, status_label
from lms.accreditation.standards import load_standards
from lms.branding import logo_file
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l

#: OB 3.0 achievementType for an accreditation level: time-limited, renewable, assessed
#: against published standards (OB 3.0 AchievementType enumeration).
ACHIEVEMENT_TYPE = "Certification"
CRITERIA = _l("Met the accreditation standards for this level, assessed by an independent "
              "assessor against evidence of training, observed practice, supervision and CPD.")
#: The credential's own language, and the other edition it names (OB 3.0 Achievement
#: `inLanguage` and `related`).
CREDENTIAL_LANGUAGE = "en"
WELSH = "cy"


def issuer_id() -> str:
    return urls.absolute_url("accreditation.public.issuer")


def credential_refusal(record: AccreditationRecord) -> str | None:
    """Why no certificate or credential can be issued for the record now (None: it can)."""
    if record.valid:
        return None
    return _("This accreditation is %(status)s: a certificate or credential is only issued "
             "while it is valid.", status=status_label(record.status))


def verify_url(record: AccreditationRecord) -> str:
    return urls.absolute_url("accreditation.public.verify", public_id=record.public_id)


def certificate_pdf(record: AccreditationRecord) -> bytes:
    if credential_refusal(record):
        raise ValueError(credential_refusal(record))
    level = load_standards().levels.get(record.level_key)
    return render_certificate(
        holder_name=record.holder_name, level_name=record.level_name,
        level_name_cy=level.name_cy if level else None,
        identifier=record.public_id, issued_on=record.issued_on, expires_on=record.expires_on,
        issuer_name=current_app.config["ISSUER_NAME"], verify_url=verify_url(record),
        logo=logo_file())


def issuer_profile(profile_id: str | None = None) -> dict:
    """The issuer's OB 3.0 Profile, as embedded in credentials and served at its
    id (the https id for VC-JWT, the did:web id for embedded proofs)."""
    return {"id": profile_id or issuer_id(), "type": ["Profile"],
            "name": current_app.config["ISSUER_NAME"], "url": urls.absolute_path("/")}


def did_web() -> str:
    """The issuer's did:web, from LMS_BASE_URL (did:web method §3.2: port encoded as
    %3A, path segments joined by colons). Its DID document is /.well-known/did.json."""
    parts = urlsplit(urls.base_url())
    path = ":".join(segment for segment in parts.path.split("/") if segment)
    return "did:web:" + parts.netloc.replace(":", "%3A") + (":" + path if path else "")


def achievement(level_key: str, level_name: str) -> dict:
    """The OB 3.0 Achievement of an accreditation level, in English whatever the request's
    language, with its Welsh edition under `related`.

    Bilingual name and description: the OB 3.0 JSON Schema allows only a string for
    Achievement `name` and `description` (and for the credential's), so these stay English
    strings and the Welsh is given as a Related achievement (OB 3.0: `related` identifies
    "alternate language editions"), tagged `inLanguage: cy`, whose `name` and `description`
    are VC 2.0 language value objects (@value/@language). `name` and `description` are
    terms of both contexts, so the Welsh is signed and survives JSON-LD expansion."""
    level = load_standards().levels.get(level_key)
    page = urls.absolute_url("accreditation.public.achievement", level_key=level_key)
    with force_locale(CREDENTIAL_LANGUAGE):
        criteria = str(CRITERIA)
    document: dict[str, object] = {
        "id": page,
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPE,
        "name": level_name,
        "description": level.summary if level else level_name,
        "inLanguage": CREDENTIAL_LANGUAGE,
        "criteria": {"id": page, "narrative": criteria},
        "image": {"id": urls.absolute_url("accreditation.public.achievement_image",
                                          level_key=level_key),
                  "type": "Image", "caption": f"{level_name} badge"},
        "creator": issuer_profile(),
    }
    if level and level.name_cy:
        document["related"] = [{
            "id": urls.absolute_url("accreditation.public.achievement", level_key=level_key,
                                    lang=WELSH),
            "type": ["Related"], "inLanguage": WELSH,
            "name": {"@value": level.name_cy, "@language": WELSH},
            "description": {"@value": level.summary_cy or level.name_cy, "@language": WELSH},
        }]
    return document


def renewals(record: AccreditationRecord) -> list[datetime]:
    """When the record was renewed (a renewal is the history entry that keeps the status)."""
    return [change.changed_at for change in record.history
            if change.from_status is not None and change.from_status == change.to_status]


def credential_version(record: AccreditationRecord) -> tuple[int, datetime]:
    """(version, validFrom): each renewal is a new version of the credential."""
    awarded = datetime.combine(record.issued_on, time.min, tzinfo=UTC)
    renewed = renewals(record)
    return 1 + len(renewed), max([awarded, *renewed]).replace(microsecond=0)


def _subject_identifiers(record: AccreditationRecord) -> list[dict]:
    """OB 3.0 IdentityObjects: the certificate number anyone can check, and the
    holder's email salted and hashed, so a wallet can match it without revealing it."""
    identifiers = [{"type": "IdentityObject", "identityType": "identifier", "hashed": False,
                    "identityHash": record.public_id}]
    email = (record.holder.email or "").strip().lower()
    if email:
        salt = hmac.new(current_app.config["SECRET_KEY"].encode(), record.public_id.encode(),
                        hashlib.sha256).hexdigest()[:16]
        digest = hashlib.sha256((email + salt).encode()).hexdigest()
        identifiers.append({"type": "IdentityObject", "identityType": "emailAddress",
                            "hashed": True, "identityHash": f"sha256${digest}", "salt": salt})
    return identifiers


def status_entry(record: AccreditationRecord) -> dict:
    """The credential's BitstringStatusListEntry. OB 3.0 allows one credentialStatus
    (AchievementCredential.credentialStatus, multiplicity 0..1; a set is proposed for
    OB 3.1), so the credential names its revocation entry; the suspension list at the
    same URL pattern uses the same index."""
    entry = status_list.entry_for(record)
    list_url = status_list_url("revocation", entry.list_number)
    return {"id": f"{list_url}#{entry.position}", "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation", "statusListIndex": str(entry.position),
            "statusListCredential": list_url}


def status_list_url(purpose: str, number: int) -> str:
    return urls.absolute_url("accreditation.public.status_list_credential", purpose=purpose,
                             number=number)


def credential_for(record: AccreditationRecord, profile_id: str | None = None) -> dict:
    version, valid_from = credential_version(record)
    return build_credential(
        credential_id=urls.absolute_url("accreditation.public.credential_version",
                                        public_id=record.public_id, version=version),
        issuer=issuer_profile(profile_id), subject_identifiers=_subject_identifiers(record),
        holder_name=record.holder_name,
        achievement=achievement(record.level_key, record.level_name),
        awarded=datetime.combine(record.issued_on, time.min, tzinfo=UTC),
        valid_from=valid_from,
        valid_until=datetime.combine(record.expires_on, time.max.replace(microsecond=0),
                                     tzinfo=UTC),
        status=status_entry(record))


def signed_credential(record: AccreditationRecord) -> str:
    """The record's credential as a VC-JWT. Refuses a record that is not valid."""
    refusal = credential_refusal(record)
    if refusal:
        raise ValueError(refusal)
    return sign_credential(signing_keys.current_key(), credential_for(record),
                           now=clock.utcnow())


def credential_with_proof(record: AccreditationRecord) -> dict:
    """The same credential issued by the did:web issuer with an embedded
    eddsa-rdfc-2022 Data Integrity proof, for wallets that verify only embedded proofs."""
    refusal = credential_refusal(record)
    if refusal:
        raise ValueError(refusal)
    did = did_web()
    key = signing_keys.current_key("EdDSA")
    thumb = key.kid.rsplit("/", 1)[-1]
    return data_integrity.add_proof(credential_for(record, did), key.private,
                                    verification_method=f"{did}#{thumb}",
                                    created=iso(clock.utcnow()))
