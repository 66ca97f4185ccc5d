"""Uploaded evidence files: work products on portfolio items and insurance documents.

A file is accepted only if its kind is allowed by policy (courses/policy.yaml), its
content matches its kind, it is within the size limit, no identifying details of
participants are found in its text (PDF and DOCX; images have no text to check) and the
practitioner confirms it is redacted. Files are stored outside the web root under random
keys in the evidence store (lms.accreditation.storage: a local folder outside the web root by
default, or an S3-compatible bucket) and served only to those who may see the practitioner's
application."""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import zipfile
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from lms import policy
from lms.accreditation.models import EvidenceFile, IndemnityInsurance, PortfolioItem
from lms.accreditation.storage import discard_after_commit, evidence_store
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import gettext as _
from lms.people.services import can_manage_person
from lms.practice.privacy import describe, find_identifying_data

#: extension -> (content type, test of the first bytes)
TYPES = {
    "pdf": ("application/pdf", lambda head: head.startswith(b"%PDF-")),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             lambda head: head.startswith(b"PK\x03\x04")),
    "png": ("image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
}


class FileRefused(Exception):
    """The file was refused; the message is shown next to the file field."""


def check(filename: str, data: bytes) -> tuple[str, str | None]:
    """(content type, extracted text or None) for an acceptable file; raises FileRefused."""
    allowed = policy.evidence_files("types")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    extension = "jpg" if extension == "jpeg" else extension
    if extension not in allowed or extension not in TYPES:
        raise FileRefused(_("Upload a %(types)s or %(last)s file.", types=", ".join(allowed[:-1]),
                            last=allowed[-1]))
    limit = policy.evidence_files("max_megabytes") * 1024 * 1024
    if len(data) > limit:
        raise FileRefused(_("The file is larger than %(size)s MB.",
                            size=policy.evidence_files("max_megabytes")))
    if not data:
        raise FileRefused(_("The file is empty."))
    content_type, looks_right = TYPES[extension]
    if not looks_right(data[:16]):
        raise FileRefused(_("This file is not really a %(type)s file.", type=extension.upper()))
    text = extract_text(extension, data)
    if text and (findings := find_identifying_data(text)):
        raise FileRefused(describe(findings, "the file"))
    return content_type, text


def extract_text(extension: str, data: bytes) -> str | None:
    try:
        if extension == "pdf":
            return "\n".join(page.extract_text() or "" for page in
                             PdfReader(io.BytesIO(data)).pages[:200])
        if extension == "docx":
            with zipfile.ZipFile(io.BytesIO(data)) as docx:
                xml = docx.read("word/document.xml").decode("utf-8", "replace")
            return re.sub(r"<[^>]+>", " ", xml.replace("</w:p>", "\n"))
    except (PdfReadError, zipfile.BadZipFile, KeyError, ValueError) as err:
        raise FileRefused(_("The file could not be read; save it again and upload it.")
                          ) from err
    return None


def save(user: User, filename: str, data: bytes, *, redaction_confirmed: bool,
         item: PortfolioItem | None = None,
         insurance: IndemnityInsurance | None = None) -> EvidenceFile:
    """Store a file for a portfolio item or an insurance policy of `user`."""
    if item is not None and (item.user_id != user.id or item.application_id is not None):
        raise FileRefused(_("Files can be added only to your own items not yet in an "
                            "application."))
    if insurance is not None and insurance.user_id != user.id:
        raise FileRefused(_("Files can be added only to your own insurance."))
    if not redaction_confirmed:
        raise FileRefused(_("Confirm that nothing in the file identifies a participant."))
    content_type, _text = check(filename, data)
    key = secrets.token_hex(20)
    evidence_store().put(key, data, content_type)
    record = EvidenceFile(user_id=user.id, portfolio_item_id=item.id if item else None,
                          insurance_id=insurance.id if insurance else None,
                          filename=_safe_name(filename), content_type=content_type,
                          size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                          storage_key=key, redaction_confirmed=True)
    db.session.add(record)
    db.session.flush()
    audit.record("evidence_file.uploaded", actor=user, object_type="evidence_file",
                 object_id=record.id, payload={"item_id": record.portfolio_item_id,
                                               "insurance_id": record.insurance_id,
                                               "sha256": record.sha256, "size": record.size})
    return record


def _safe_name(filename: str) -> str:
    name = re.sub(r"[^A-Za-z0-9._ -]", "_", Path(filename).name)[-150:]
    return name or "evidence"


def view_refusal(user: User, record: EvidenceFile) -> str | None:
    """Those who may see the practitioner's application: the practitioner, assessors and
    admins, and leads of the practitioner's schemes."""
    if user.id == record.user_id or user.is_admin or user.is_assessor:
        return None
    owner = db.session.get(User, record.user_id)
    return None if owner is not None and can_manage_person(user, owner) else _("Not yours to see.")


def read(record: EvidenceFile) -> bytes:
    return evidence_store().get(record.storage_key)


def discard(records: list[EvidenceFile]) -> None:
    """Delete these files' rows now and their bytes once the transaction commits."""
    for record in records:
        db.session.delete(record)
    db.session.flush()
    discard_after_commit(db.session(), [r.storage_key for r in records])
