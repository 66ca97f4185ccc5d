"""Subject access: everything the platform holds about one person, as a zip of JSON.

Built from `personal_tables()`, so it follows the models, plus every table that hangs off the
person's course enrolments (lessons done, knowledge-check attempts, skills practice results),
found the same way; and the person's uploaded evidence files themselves. One query per
personal column and per enrolment table, whatever the amount of data."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime

from sqlalchemy import Table, or_, select

from lms import clock
from lms.accreditation import files as evidence_files
from lms.accreditation.models import EvidenceFile
from lms.accreditation.storage import StoreError
from lms.extensions import Model, db
from lms.privacy.personal_data import SECRET_COLUMNS, personal_tables

README = """This archive holds every record the platform keeps about you, one JSON list
per table in data.json, with the columns that point at you named in "about_you_via".
Records that are yours (your account, your practice records, CPD, applications...) are
given in full; records of other people in which you only had a part (as supervisor,
co-facilitator or assessor) are listed by number with your part.
Fields about other people (their account numbers) are shown as numbers only.
Your learning (lessons done, knowledge-check attempts, skills practice results) is given in
full, found through your course enrolments ("about_you_via": "enrolment_id").
Files you uploaded (work products, insurance documents) are in the folder files/.
Passwords and session tokens are never included (only their one-way hashes exist).
Made on {made} (UTC).
"""


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str | int | float | bool | list | dict) or value is None:
        return value
    return str(value)


#: Columns that make a row the person's own record (exported in full). Other columns
#: pointing at a person (supervisor_id, assessor_id...) give their part in someone else's.
OWN_COLUMNS = {"id", "user_id", "author_id", "holder_id", "applicant_id", "practitioner_id",
               "actor_id"}


def _export_row(row, table, user_id) -> dict:
    if any(c.name in OWN_COLUMNS and row[c.name] == user_id for c in table.person_columns):
        return {k: _plain(v) for k, v in row.items()}
    return {"id": row["id"], "your_part": [c.name for c in table.person_columns
                                           if row[c.name] == user_id]}


def subject_data(user) -> dict:
    data = {}
    for table in personal_tables():
        rows = db.session.execute(
            select(*(table.model.__table__.c[c] for c in table.columns))
            .where(or_(*(column == user.id for column in table.person_columns)))
        ).mappings().all()
        if rows:
            data[table.table] = {
                "about_you_via": [c.name for c in table.person_columns],
                "rows": [_export_row(row, table, user.id) for row in rows],
            }
    return data


def _enrolment_tables() -> list[tuple[Table, str]]:
    """(table, column) for every table with a column pointing at an enrolment."""
    found = []
    for mapper in sorted(Model.registry.mappers, key=lambda m: str(m.local_table)):
        table = mapper.local_table
        if not isinstance(table, Table):
            continue
        found += [(table, c.name) for c in table.columns
                  if any(fk.column.table.name == "enrolments" for fk in c.foreign_keys)]
    return found


def _add_learning(data: dict, user) -> None:
    """Rows hanging off the person's enrolments, in full (they are the person's own)."""
    enrolments = db.metadata.tables["enrolments"]
    mine = select(enrolments.c.id).where(enrolments.c.user_id == user.id)
    for table, column in _enrolment_tables():
        columns = [c for c in table.columns if c.name not in SECRET_COLUMNS]
        rows = db.session.execute(select(*columns).where(table.c[column].in_(mine))
                                  .order_by(table.c.id)).mappings().all()
        if not rows:
            continue
        entry = data.setdefault(table.name, {"about_you_via": [], "rows": []})
        entry["about_you_via"].append(column)
        full = {row["id"]: {k: _plain(v) for k, v in row.items()} for row in rows}
        # a row listed only as "your part" (a paper result one entered) is now given whole
        kept = [r for r in entry["rows"] if r["id"] not in full]
        entry["rows"] = sorted([*kept, *full.values()], key=lambda r: r["id"])


def subject_access_zip(user) -> bytes:
    buffer = io.BytesIO()
    data = subject_data(user)
    _add_learning(data, user)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(made=clock.utcnow().isoformat()))
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False,
                                                 sort_keys=True))
        for record in db.session.scalars(select(EvidenceFile).where(
                EvidenceFile.user_id == user.id).order_by(EvidenceFile.id)):
            name = f"files/{record.id}-{record.filename}"
            try:
                archive.writestr(name, evidence_files.read(record))
            except (OSError, StoreError):
                archive.writestr(name + ".missing.txt", "This file could not be read from "
                                 "the store; ask the platform's administrators for it.")
    return buffer.getvalue()
