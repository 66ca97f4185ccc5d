"""Uploaded CSV text checked before it is read for real.

Python's csv module stops with an error at a cell over 131,072 characters (its field size
limit) and PostgreSQL refuses NUL bytes; both were server errors. No file we read (people,
usernames) has a cell anywhere near MAX_CELL, so a longer one means a wrong file or an
unclosed quote, and the person is told which line.
"""

import csv
import io

from flask_babel import format_number

from lms.i18n import gettext as _
from lms.inputs.text import unstorable

#: Longest cell accepted, in characters (names are at most 120, emails 254).
MAX_CELL = 1_000


def csv_refusal(text: str, max_cell: int = MAX_CELL) -> str | None:
    """Why `text` cannot be read as CSV, in plain words; None when it can."""
    if unstorable(text):
        return _("The file contains NUL bytes, so it is not a plain CSV file. Save it as "
                 "“CSV UTF-8” and upload it again.")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            if any(len(cell) > max_cell for cell in row):
                return _("Line %(line)d: a cell is longer than %(max)s characters. Check for a "
                         "quote mark that is never closed.", line=reader.line_num,
                         max=format_number(max_cell))
    except csv.Error:
        return _("Line %(line)d: this line cannot be read as CSV (a cell longer than %(max)s "
                 "characters, or a quote mark that is never closed).", line=reader.line_num,
                 max=format_number(max_cell))
    return None
