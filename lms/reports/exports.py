"""Every dashboard table as CSV, streamed in batches so a large export stays small in memory.
Column headings are in the reader's language; cells keep their codes ("expiring", "harm"),
so a spreadsheet built on an export reads the same in either language."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlalchemy.orm import selectinload

from lms.accreditation.models import AccreditationRecord, Application
from lms.auth.models import User
from lms.csv_export import csv_lines, csv_text
from lms.extensions import db
from lms.i18n import pgettext
from lms.practice.models import PracticeRecord
from lms.reports import figures
from lms.reports.delivery import Period, delivery
from lms.reports.figures import Scope
from lms.reports.practitioners import practitioners_query, rows_for

BATCH = 500


def _stream(query, header, to_rows: Callable) -> Iterator[str]:
    yield csv_text(header, [])
    result = db.session.execute(query.execution_options(yield_per=BATCH))
    try:
        for batch in result.partitions(BATCH):
            yield csv_lines(to_rows(batch))
    finally:
        result.close()


def _date(value) -> str:
    return value.isoformat() if value else ""


def accredited(scope: Scope, **filters) -> Iterator[str]:
    def rows(batch):
        for row in rows_for(batch):
            best = row.highest
            yield (row.user.display_name, row.user.username,
                   best.level_name if best else "", best.status if best else "not accredited",
                   _date(best.expires_on) if best else "", row.next_level or "",
                   f"{row.met}/{row.total}" if row.total else "")

    # each person as the three columns used (a mapped User each cost more than its row)
    people = practitioners_query(scope, **filters).with_only_columns(
        User.id, User.display_name, User.username)
    return _stream(people,
                   [pgettext("CSV column heading", "name"),
                    pgettext("CSV column heading", "username"),
                    pgettext("CSV column heading", "level"),
                    pgettext("CSV column heading", "status"),
                    pgettext("CSV column heading", "expires"),
                    pgettext("CSV column heading", "next_level"),
                    pgettext("CSV column heading", "requirements_met")], rows)


def expiring(scope: Scope) -> Iterator[str]:
    return _stream(figures.expiring_query(scope).options(
        selectinload(AccreditationRecord.holder)),
                   [pgettext("CSV column heading", "identifier"),
                    pgettext("CSV column heading", "name"),
                    pgettext("CSV column heading", "level"),
                    pgettext("CSV column heading", "status"),
                    pgettext("CSV column heading", "expires")],
                   lambda batch: ((r.public_id, r.holder.display_name, r.level_name, r.status,
                                   _date(r.expires_on)) for (r,) in batch))


def supervision_overdue(scope: Scope) -> Iterator[str]:
    return _stream(figures.supervision_overdue_query(scope),
                   [pgettext("CSV column heading", "name"),
                    pgettext("CSV column heading", "username"),
                    pgettext("CSV column heading", "last_supervision")],
                   lambda batch: ((u.display_name, u.username, _date(last))
                                  for u, last in batch))


def awaiting_sign_off(scope: Scope) -> Iterator[str]:
    return _stream(figures.awaiting_sign_off_query(scope).options(
        selectinload(PracticeRecord.author), selectinload(PracticeRecord.supervisor)),
                   [pgettext("CSV column heading", "case_code"),
                    pgettext("CSV column heading", "practitioner"),
                    pgettext("CSV column heading", "requested"),
                    pgettext("CSV column heading", "supervisor")],
                   lambda batch: ((r.case_code, r.author.display_name,
                                   _date(r.requested_at and r.requested_at.date()),
                                   r.supervisor.display_name if r.supervisor else "")
                                  for (r,) in batch))


def applications(scope: Scope) -> Iterator[str]:
    return _stream(figures.applications_query(scope).options(
        selectinload(Application.applicant), selectinload(Application.nominated_by)),
                   [pgettext("CSV column heading", "applicant"),
                    pgettext("CSV column heading", "level"),
                    pgettext("CSV column heading", "submitted"),
                    pgettext("CSV column heading", "nominated_by")],
                   lambda batch: ((a.applicant.display_name, a.level_key,
                                   _date(a.submitted_at.date()),
                                   a.nominated_by.display_name if a.nominated_by else "")
                                  for (a,) in batch))


def pipeline(scope: Scope) -> Iterator[str]:
    rows = figures.training_pipeline(scope)
    yield csv_text([pgettext("CSV column heading", "course"),
                    pgettext("CSV column heading", "enrolled"),
                    pgettext("CSV column heading", "not_started"),
                    pgettext("CSV column heading", "in_progress"),
                    pgettext("CSV column heading", "completed")],
                   [(r.course, r.enrolled, r.not_started, r.in_progress, r.completed)
                    for r in rows])


def delivery_figures(scope: Scope, period: Period) -> Iterator[str]:
    figures_ = delivery(scope, period)
    rows: list[tuple[str, str, int, int | str]] = [
        ("type", label, direct, indirect) for label, direct, indirect in figures_.type_rows()]
    rows += [("harm", label, count, "") for label, count in figures_.harm_rows()]
    rows += [("month", f"{y}-{m:02d}", figures_.by_month.get((y, m), 0), "")
             for y, m in period.months()]
    yield csv_text([pgettext("CSV column heading", "figure"),
                    pgettext("CSV column heading", "category"),
                    pgettext("CSV column heading", "count"),
                    pgettext("CSV column heading", "indirect")], rows)


TABLES = {
    "accredited": accredited, "expiring": expiring, "supervision-overdue": supervision_overdue,
    "awaiting-sign-off": awaiting_sign_off, "applications": applications,
    "pipeline": pipeline,
}
