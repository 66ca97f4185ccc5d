"""Page numbers from the query string, read in one place for every paginated list.

`?page=` beyond the database's integer range made the OFFSET overflow (a server error);
now the number is ASCII digits, at most MAX_PAGE, and clamped to the last page.
"""

from flask import has_request_context, request
from flask_sqlalchemy import SQLAlchemy

MAX_PAGE = 100_000
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


def number_from_query(name: str, default: int, maximum: int) -> int:
    """A positive whole number from the query string, within 1..maximum, else `default`."""
    raw = request.args.get(name, "") if has_request_context() else ""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(maximum)):
        return default
    return min(max(int(raw), 1), maximum)


class Database(SQLAlchemy):
    def paginate(self, select, *, page=None, per_page=None, max_per_page=None,
                 error_out=True, count=True):
        """As Flask-SQLAlchemy's, with `page` and `per_page` read safely and a page past
        the end showing the last page (never an error)."""
        limit = max_per_page or MAX_PER_PAGE
        per_page = min(per_page or number_from_query("per_page", DEFAULT_PER_PAGE, limit),
                       limit)
        page = page or number_from_query("page", 1, MAX_PAGE)
        result = super().paginate(select, page=page, per_page=per_page, error_out=False,
                                  count=count)
        if count and result.pages and page > result.pages:
            result = super().paginate(select, page=result.pages, per_page=per_page,
                                      error_out=False, count=count)
        return result
