"""An employer or referrer checks many certificate numbers at once (pasted or a CSV),
without an account. Nothing about who asked, or what, is stored."""

import csv
import io
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accreditation.models import AccreditationRecord, status_label
from lms.accreditation.verification import normalise_identifier, status_words
from lms.db_types import chunks
from lms.extensions import db
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l

#: Most certificate numbers checked in one request.
MAX_ENTRIES = 500
HEADER_WORDS = {"identifier", "identifiers", "certificate", "certificate number",
                "certificate_number", "number", "id", "ref", "reference"}
CSV_HEADER = [_l("entered"), _l("certificate number"), _l("found"), _l("practitioner"),
              _l("level"), _l("status"), _l("valid"), _l("valid until"), _l("result"),
              _l("checked at")]


def csv_header() -> list[str]:
    """The CSV's column names in the reader's language."""
    return [str(name) for name in CSV_HEADER]


@dataclass(frozen=True)
class Row:
    entered: str
    record: AccreditationRecord | None

    @property
    def verdict(self) -> str:
        if self.record is None:
            return _("No accreditation has this certificate number.")
        return status_words(self.record)[1]


def entries(text: str) -> list[str] | None:
    """The certificate numbers in pasted text or a CSV file: every non-empty cell, in
    order, without a header cell. None when the text cannot be read as CSV."""
    found = []
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            for cell in row:
                for part in re.split(r"[;\t]+", cell):
                    value = part.strip().strip("'\"").strip()
                    if value and value.lower() not in HEADER_WORDS:
                        found.append(value[:60])
                if len(found) > MAX_ENTRIES:
                    return found  # enough to say there are too many
    except csv.Error:
        return None
    return found


def check(values: list[str]) -> list[Row]:
    """One row per entry, in the order given; a bounded number of queries."""
    normalised = {value: normalise_identifier(value) for value in values}
    wanted = {number for number in normalised.values() if number}
    records: dict[str | None, AccreditationRecord] = {}
    for chunk in chunks(wanted):
        for record in db.session.scalars(
                select(AccreditationRecord).where(AccreditationRecord.public_id.in_(chunk))
                .options(selectinload(AccreditationRecord.holder),
                         selectinload(AccreditationRecord.history))):
            records[record.public_id] = record
    return [Row(entered=value, record=records.get(normalised[value])) for value in values]


def csv_rows(rows: list[Row], checked_at: str) -> list[list[str]]:
    out = []
    for row in rows:
        record = row.record
        out.append([row.entered, record.public_id if record else "",
                    _("yes") if record else _("no"),
                    record.holder_name if record else "",
                    record.level_name if record else "",
                    status_label(record.status) if record else "",
                    (_("yes") if record.valid else _("no")) if record else _("no"),
                    record.expires_on.isoformat() if record else "", row.verdict,
                    checked_at])
    return out
