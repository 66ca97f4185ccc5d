"""What a third party learns when they check an accreditation: by certificate number,
by a pasted or posted credential (VC-JWT, or JSON-LD with an embedded Data Integrity
proof), with the current status in plain words."""

import functools
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import format_date
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from lms import clock
from lms.accreditation import data_integrity, issuing, signing_keys, status_list
from lms.accreditation.credentials import InvalidCredential, verify_credential
from lms.accreditation.data_integrity import ProofError
from lms.accreditation.models import AccreditationRecord, RecordStatus, status_label
from lms.extensions import db
from lms.i18n import gettext as _

IDENTIFIER_MAX = 40
#: A certificate number as stored (only such text reaches the database).
_PRINTED = re.compile(r"[A-Z0-9][A-Z0-9-]{0,39}")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_.]+")


def normalise_identifier(text: str) -> str | None:
    """A certificate number as printed, typed with or without dashes or spaces."""
    compact = _SEPARATORS.sub("", text or "").upper()
    if not compact or len(compact) > IDENTIFIER_MAX or not (compact.isascii()
                                                             and compact.isalnum()):
        return None
    if len(compact) == 16:
        return "-".join(compact[i:i + 4] for i in range(0, 16, 4))
    return compact


def find_record(text: str) -> AccreditationRecord | None:
    if not isinstance(text, str) or len(text) > IDENTIFIER_MAX * 2:
        return None
    normalised, exact = normalise_identifier(text), text.strip().upper()
    candidates = {normalised} if normalised else set()
    if _PRINTED.fullmatch(exact):
        candidates.add(exact)
    if not candidates:
        return None
    return db.session.scalars(_record_statement(),
                              {"candidates": sorted(candidates)}).unique().first()


@functools.cache
def _record_statement():
    """The record with its (few) status changes joined: one query for a public lookup,
    which shows the name kept on the record, never the holder's account (loaded only by
    the rare caller that needs it). Built once: composing it cost about as much as
    running it."""
    return (select(AccreditationRecord)
            .where(AccreditationRecord.public_id.in_(bindparam("candidates", expanding=True)))
            .options(joinedload(AccreditationRecord.history)))


def _since(record: AccreditationRecord) -> datetime | None:
    """When the record entered its current status."""
    for change in reversed(record.history):
        if change.to_status == record.status and change.from_status != change.to_status:
            return change.changed_at
    return None


def _day(moment) -> str:
    """A date in the reader's language, e.g. "3 March 2025" or "3 Mawrth 2025"."""
    day = moment.date() if isinstance(moment, datetime) else moment
    return format_date(day, "d MMMM y")


def status_words(record: AccreditationRecord) -> tuple[bool, str]:
    """(valid, a sentence saying so and why), as shown on the verify page and API."""
    since = _since(record)
    status = record.status
    if status in (RecordStatus.ACTIVE, RecordStatus.EXPIRING):
        until = _day(record.expires_on)
        words = (_("Valid: accredited until %(day)s.", day=until)
                 if status == RecordStatus.ACTIVE else
                 _("Valid: accredited until %(day)s (renewal due).", day=until))
    elif since is None:
        words = {
            str(RecordStatus.REVOKED): _("Not valid: accreditation revoked."),
            RecordStatus.SUSPENDED: _("Not valid: accreditation suspended."),
            RecordStatus.WITHDRAWN: _("Not valid at present: temporarily withdrawn at the "
                                      "practitioner's request (a break from practice, not a "
                                      "sanction)."),
            RecordStatus.LAPSED: _("Not valid: accreditation lapsed (not renewed in time)."),
        }.get(status, _("Not valid: %(status)s.", status=status_label(status)))
    else:
        day = _day(since)
        words = {
            str(RecordStatus.REVOKED): _("Not valid: accreditation revoked on %(day)s.",
                                         day=day),
            RecordStatus.SUSPENDED: _("Not valid: accreditation suspended since %(day)s.",
                                      day=day),
            RecordStatus.WITHDRAWN: _("Not valid at present: temporarily withdrawn since "
                                      "%(day)s at the practitioner's request (a break from "
                                      "practice, not a sanction).", day=day),
            RecordStatus.LAPSED: _("Not valid: accreditation lapsed on %(day)s (not renewed "
                                   "in time).", day=day),
        }.get(status, _("Not valid: %(status)s.", status=status_label(status)))
    return record.valid, words


def public_facts(record: AccreditationRecord, checked_at: datetime | None = None) -> dict:
    """What anyone may know: no case data, no contact details, no reasons typed by staff."""
    valid, verdict = status_words(record)
    since = _since(record)
    return {"identifier": record.public_id, "holder": record.holder_name,
            "level": record.level_name, "status": record.status, "valid": valid,
            "verdict": verdict, "status_since": since.date().isoformat() if since else None,
            "issued_on": record.issued_on.isoformat(),
            "expires_on": record.expires_on.isoformat(),
            "issuer": current_app.config["ISSUER_NAME"],
            "checked_at": (checked_at or clock.utcnow()).replace(microsecond=0).isoformat()}


@dataclass
class Outcome:
    """The result of checking a pasted or posted credential."""

    checked_at: datetime
    signature_valid: bool = False
    error: str | None = None
    credential: dict | None = None
    expired: bool = False
    record: AccreditationRecord | None = None
    reasons: list[str] = field(default_factory=list)
    proof_format: str = "vc-jwt"

    @property
    def valid(self) -> bool:
        return (self.signature_valid and not self.expired and self.record is not None
                and self.record.valid)

    def as_json(self) -> dict:
        answer: dict[str, Any] = {
            "checked_at": self.checked_at.replace(microsecond=0).isoformat(),
            "valid": self.valid, "signature": {"valid": self.signature_valid,
                                               "format": self.proof_format},
            "reasons": self.reasons}
        if self.credential is not None:
            answer["credential"] = {key: self.credential.get(key) for key in
                                    ("id", "validFrom", "validUntil", "awardedDate")}
            answer["credential"]["expired"] = self.expired
        if self.record is not None:
            entry = status_list.existing_entry(self.record)
            answer["status"] = {
                "revoked": self.record.status in status_list.STATUSES_SETTING["revocation"],
                "suspended": self.record.status in status_list.STATUSES_SETTING["suspension"],
                "status_list_index": entry.position if entry else None}
            answer["record"] = public_facts(self.record, self.checked_at)
        return answer


def _parse(text: str):
    """The pasted text: a JSON-LD credential with an embedded proof (a dict), or the
    VC-JWT itself, also accepted inside JSON {"credential": "..."} or as a JSON string
    (what wallets export)."""
    text = (text or "").strip()
    if not text.startswith(("{", '"')):
        return text
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return text
    if isinstance(value, dict):
        inner = next((value[name] for name in ("credential", "jwt", "token", "vc")
                      if name in value), None)
        if isinstance(inner, str):
            return inner.strip()
        if isinstance(inner, dict):
            return inner
        return value
    return value.strip() if isinstance(value, str) else text


def check_token(text: str) -> Outcome:
    outcome = Outcome(checked_at=clock.utcnow())
    parsed = _parse(text)
    try:
        if isinstance(parsed, dict):
            outcome.proof_format = "eddsa-rdfc-2022"
            outcome.credential, outcome.expired = _check_embedded(parsed, outcome.checked_at)
        else:
            verified = verify_credential(parsed, signing_keys.find, now=outcome.checked_at)
            outcome.credential, outcome.expired = verified.credential, verified.expired
    except (InvalidCredential, ProofError) as problem:
        outcome.error = problem.reason
        outcome.reasons.append(_("This is not a genuine credential from this issuer: "
                                 "%(reason)s.", reason=problem.reason))
        return outcome
    outcome.signature_valid = True
    outcome.record = record_of(str(outcome.credential.get("id", "")))
    if outcome.expired:
        outcome.reasons.append(_("The credential has expired."))
    if outcome.record is None:
        outcome.reasons.append(_("The accreditation is no longer held by this issuer."))
    else:
        outcome.reasons.append(status_words(outcome.record)[1])
    return outcome


def _ed25519_key(method: str):
    """The public key of a verification method of our did:web document."""
    did, _sep, thumb = method.partition("#")
    if did != issuing.did_web() or not thumb:
        return None
    row = signing_keys.find_row(thumb)
    if row is None or row.algorithm != "EdDSA":
        return None
    return signing_keys.public_key_of(row)


def _check_embedded(document: dict, now: datetime) -> tuple[dict, bool]:
    """An OpenBadgeCredential with our eddsa-rdfc-2022 proof: (credential, expired)."""
    kinds = document.get("type")
    if not isinstance(kinds, list) or "VerifiableCredential" not in kinds \
            or "OpenBadgeCredential" not in kinds:
        raise InvalidCredential(_("not an Open Badges credential"))
    issuer = document.get("issuer")
    if (issuer.get("id") if isinstance(issuer, dict) else issuer) != issuing.did_web():
        raise InvalidCredential(_("it names another issuer"))
    data_integrity.verify_proof(document, _ed25519_key)
    valid_from = _parse_iso(document.get("validFrom"))
    valid_until = _parse_iso(document.get("validUntil")) if "validUntil" in document else None
    if valid_from is None or ("validUntil" in document and valid_until is None):
        raise InvalidCredential(_("the credential's dates cannot be read"))
    if valid_from > now:
        raise InvalidCredential(_("this credential is not valid yet"))
    return document, valid_until is not None and valid_until <= now


def _parse_iso(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


_CREDENTIAL_PATH = re.compile(r"/(?:credentials|verify)/([A-Za-z0-9-]{1,40})(?:/v\d+)?/?$")


def record_of(credential_id: str) -> AccreditationRecord | None:
    match = _CREDENTIAL_PATH.search(credential_id.split("?", 1)[0])
    return find_record(match.group(1)) if match else None
