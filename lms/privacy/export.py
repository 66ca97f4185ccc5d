"""Subject access: everything the platform holds about one person, as a zip of JSON.

Built from `personal_tables()`, so it follows the models. One query per personal
column, whatever the amount of data."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime

from sqlalchemy import or_, select

from lms import clock
from lms.extensions import db
from lms.privacy.personal_data import personal_tables

README = """This archive holds every record the platform keeps about you, one JSON list
per table in data.json, with the columns that point at you named in "about_you_via".
Records that are yours (your account, your practice records, CPD, applications...) are
given in full; records of other people in which you only had a part (as supervisor,
co-facilitator or assessor) are listed by number with your part.
Fields about other people (their account numbers) are shown as numbers only.
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


def subject_access_zip(user) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(made=clock.utcnow().isoformat()))
        archive.writestr("data.json", json.dumps(subject_data(user), indent=2,
                                                 ensure_ascii=False, sort_keys=True))
    return buffer.getvalue()
