"""`<int:...>` in every route means a database id: ASCII digits within the column's range.

Werkzeug's own converter accepts any Unicode decimal digit and any size; a number the
database cannot hold made the lookup fail with a server error instead of "not found".
"""

from werkzeug.routing import IntegerConverter

#: Largest value of an INTEGER primary key (PostgreSQL's int4; SQLite's is larger).
MAX_ID = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    """1..MAX_ID in ASCII digits; anything else does not match the route (404)."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits=0, min=1, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed=False)


def whole_number(raw, maximum: int) -> int | None:
    """0..maximum written in ASCII digits, else None. `str.isdigit` alone is not enough:
    it accepts "²", which int() refuses, and any length, which no column holds."""
    if not (isinstance(raw, str) and raw.isascii() and raw.isdigit()):
        return None
    if len(raw) > len(str(maximum)) or int(raw) > maximum:
        return None
    return int(raw)


def database_id(raw) -> int | None:
    """An id from form data or a query string (1..MAX_ID), else None."""
    value = whole_number(raw, MAX_ID)
    return value if value else None


def init_app(app):
    app.url_map.converters["int"] = DatabaseIdConverter
