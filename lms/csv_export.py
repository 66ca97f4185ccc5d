"""CSV output that is safe to open in a spreadsheet."""

import csv
import io
from collections.abc import Iterable

#: A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_lines(rows: Iterable[Iterable]) -> str:
    """Rows as CSV text, every cell neutralised; for streaming after a header."""
    out = io.StringIO()
    csv.writer(out).writerows([neutralise(cell) for cell in row] for row in rows)
    return out.getvalue()


def csv_text(header: Iterable[str], rows: Iterable[Iterable]) -> str:
    return csv_lines([list(header)]) + csv_lines(rows)
