"""Bulk account creation from CSV: a preview that saves nothing, then an all-or-nothing save."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import format_number
from sqlalchemy import select

from lms.audit import services as audit
from lms.auth import services as auth_services
from lms.auth.models import User
from lms.db_types import chunks
from lms.extensions import db
from lms.i18n import gettext as _
from lms.i18n import ngettext
from lms.inputs.csv_files import csv_refusal
from lms.people.kinds import PERSON_KINDS
from lms.people.services import username_problem
from lms.schemes.models import Membership, Role, Scheme

COLUMNS = ("username", "display_name", "email", "role", "scheme", "kind")
REQUIRED_COLUMNS = ("username", "display_name", "role", "scheme")


@dataclass
class ImportRow:
    line: int
    username: str
    display_name: str
    email: str | None
    role_text: str
    scheme_text: str
    #: staff, volunteer, prisoner or pupil (optional column).
    kind_text: str = ""
    role: Role | None = None
    scheme: Scheme | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportPreview:
    rows: list[ImportRow] = field(default_factory=list)
    #: Problems with the file as a whole (encoding, header, size).
    file_errors: list[str] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(1 for row in self.rows if row.errors)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and self.error_count == 0


def decode_upload(data: bytes) -> str | None:
    """The file's text (UTF-8, with or without a byte-order mark), or None if it is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def preview_import(text: str, schemes: list[Scheme], max_rows: int) -> ImportPreview:
    """Check every row against the file and the database; change nothing."""
    preview = ImportPreview()
    problem = csv_refusal(text)
    if problem:
        preview.file_errors.append(problem)
        return preview
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        preview.file_errors.append(
            _("The first row must name the columns %(columns)s; missing: %(missing)s.",
              columns=", ".join(COLUMNS), missing=", ".join(missing))
        )
        return preview
    reader.fieldnames = header
    for record in reader:
        if len(preview.rows) >= max_rows:
            preview.file_errors.append(ngettext(
                "The file has more than %(count)s row; split it.",
                "The file has more than %(count)s rows; split it.", max_rows,
                count=format_number(max_rows)))
            return preview
        if not any((value or "").strip() for value in record.values() if isinstance(value, str)):
            continue  # blank line
        preview.rows.append(_parse_row(reader.line_num, record))
    if not preview.rows:
        preview.file_errors.append(_("The file has a header row but no people in it."))
        return preview
    _check_rows(preview.rows, schemes)
    return preview


def _cell(record, name) -> str:
    value = record.get(name)
    return value.strip() if isinstance(value, str) else ""


def _parse_row(line, record) -> ImportRow:
    row = ImportRow(
        line=line,
        username=auth_services.normalise_username(_cell(record, "username")),
        display_name=_cell(record, "display_name"),
        email=auth_services.normalise_email(_cell(record, "email")),
        role_text=_cell(record, "role"),
        scheme_text=_cell(record, "scheme"),
        kind_text=_cell(record, "kind").lower(),
    )
    if record.get(None):
        row.errors.append(_("This row has more cells than the header."))
    return row


def _check_rows(rows: list[ImportRow], schemes: list[Scheme]) -> None:
    by_key = {s.slug.lower(): s for s in schemes} | {s.name.lower(): s for s in schemes}
    taken_usernames = _existing(User.username, [r.username for r in rows])
    taken_emails = _existing(User.email, [r.email for r in rows if r.email])
    seen_usernames: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for row in rows:
        _check_username(row, taken_usernames, seen_usernames)
        _check_email(row, taken_emails, seen_emails)
        if not row.display_name:
            row.errors.append(_("display_name is empty."))
        elif len(row.display_name) > 120:
            row.errors.append(_("display_name is longer than 120 characters."))
        row.role = next((r for r in Role if r.value == row.role_text.lower()), None)
        if row.role is None:
            row.errors.append(
                _("Unknown role “%(role)s”: use one of %(roles)s.", role=row.role_text,
                  roles=", ".join(r.value for r in Role))
            )
        if row.kind_text and row.kind_text not in PERSON_KINDS:
            row.errors.append(_("Unknown kind of person “%(kind)s”: use one of %(kinds)s, or "
                                "leave it empty.", kind=row.kind_text,
                                kinds=", ".join(PERSON_KINDS)))
        row.scheme = by_key.get(row.scheme_text.lower())
        if row.scheme is None:
            row.errors.append(_("Unknown scheme “%(scheme)s”, or not one you manage.",
                                 scheme=row.scheme_text))


def _check_username(row, taken, seen) -> None:
    problem = username_problem(row.username)
    if problem:
        row.errors.append(_("Username: %(problem)s", problem=problem))
    elif row.username in taken:
        row.errors.append(_("Username “%(username)s” already has an account.",
                             username=row.username))
    elif row.username in seen:
        row.errors.append(_("Username “%(username)s” is also on line %(line)d.",
                             username=row.username, line=seen[row.username]))
    seen.setdefault(row.username, row.line)


def _check_email(row, taken, seen) -> None:
    if row.email is None:
        return
    try:
        validate_email(row.email, check_deliverability=False)
    except EmailNotValidError:
        row.errors.append(_("Email “%(email)s” is not a valid email address.", email=row.email))
        return
    if row.email in taken:
        row.errors.append(_("Email “%(email)s” is already used by another account.",
                             email=row.email))
    elif row.email in seen:
        row.errors.append(_("Email “%(email)s” is also on line %(line)d.", email=row.email,
                             line=seen[row.email]))
    seen.setdefault(row.email, row.line)


def _existing(column, values: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in chunks(values):
        found.update(db.session.scalars(select(column).where(column.in_(chunk))))
    return {value.lower() for value in found}


def save_import(preview: ImportPreview, *, by: User) -> list[tuple[User, str]]:
    """Create every previewed account with its role; the caller commits once (all or none)."""
    assert preview.ok, "only a preview without errors can be saved"
    created = []
    for row in preview.rows:
        user = User(username=row.username, display_name=row.display_name, email=row.email,
                    person_kind=row.kind_text or None)
        otp = auth_services.issue_one_time_password(user)
        user.memberships.append(Membership(scheme=row.scheme, role=row.role))
        created.append((user, otp))
    db.session.add_all(user for user, _ in created)
    db.session.flush()
    # One event for the import (ids only), so 5,000 accounts do not queue 5,000 appends.
    audit.record("users.imported", actor=by, object_type="import", object_id=created[0][0].id,
                 payload={"user_ids": [user.id for user, _ in created],
                          "one_time_passwords_issued": len(created)})
    return created
