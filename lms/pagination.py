"""Page numbers from the query string, read in one place for every paginated list.

`?page=` beyond the database's integer range made the OFFSET overflow (a server error);
now the number is ASCII digits, at most MAX_PAGE, and clamped to the last page.
"""

from typing import Any

from flask import has_request_context, request
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

MAX_PAGE = 100_000
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


def number_from_query(name: str, default: int, maximum: int) -> int:
    """A whole number from the query string clamped to 1..maximum; `default` when it is
    not ASCII digits at all."""
    raw = request.args.get(name, "") if has_request_context() else ""
    if not (raw.isascii() and raw.isdigit()):
        return default
    if len(raw) > len(str(maximum)):  # no int() of a 5,000-digit string
        return maximum
    return min(max(int(raw), 1), maximum)


class Database(SQLAlchemy):
    def paginate(self, select: Select[Any], *, page: int | None = None,
                 per_page: int | None = None, max_per_page: int | None = None,
                 error_out: bool = True, count: bool = True) -> Pagination:
        """As Flask-SQLAlchemy's, with `page` and `per_page` read safely and a page past
        the end showing the last page (never an error)."""
        if per_page is None:  # only a number from the query string is capped by default
            per_page = number_from_query("per_page", DEFAULT_PER_PAGE,
                                         max_per_page or MAX_PER_PAGE)
        elif max_per_page:
            per_page = min(per_page, max_per_page)
        page = page or number_from_query("page", 1, MAX_PAGE)
        result = super().paginate(select, page=page, per_page=per_page, error_out=False,
                                  count=count)
        if count and result.pages and page > result.pages:
            result = super().paginate(select, page=result.pages, per_page=per_page,
                                      error_out=False, count=count)
        return result
