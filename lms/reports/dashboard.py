"""Everything on a scheme lead's dashboard, gathered in a fixed number of queries."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from babel import dates as babel_dates
from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from lms.accreditation.models import AccreditationRecord, Application, RecordStatus
from lms.accreditation.standards import local_level_name
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import current_locale, ngettext, plural_number
from lms.i18n import gettext as _
from lms.practice.models import PracticeRecord
from lms.processes.figures import ProcessFigures, process_figures
from lms.reports import figures
from lms.reports.charts import Chart, Series, Unit, format_value
from lms.reports.delivery import DeliveryFigures, Period, delivery
from lms.reports.figures import LIST_LIMIT, PipelineRow, Scope
from lms.reports.overview import Overview, overview
from lms.reports.snapshots import materialised, storable

STATUS_ORDER = [RecordStatus.ACTIVE, RecordStatus.EXPIRING, RecordStatus.LAPSED,
                RecordStatus.WITHDRAWN, RecordStatus.SUSPENDED, RecordStatus.REVOKED]


def _first_and_count(query, *options) -> tuple[list, int]:
    """The first LIST_LIMIT rows of `query` and how many rows it has in all, in one
    query (a window count), so a heavy query runs once for a dashboard's list and count."""
    rows = db.session.execute(query.add_columns(func.count().over()).options(*options)
                              .limit(LIST_LIMIT)).all()
    return [tuple(row[:-1]) for row in rows], (rows[0][-1] if rows else 0)


def summary(scope: Scope) -> dict:
    """The four counts at the top of a dashboard (and on a lead's home page)."""
    return {
        "expiring_count": figures.count_of(figures.expiring_query(scope)),
        "expiring_days": figures.expiring_notice_days(),
        "overdue_count": figures.count_of(figures.supervision_overdue_query(scope)),
        "waiting_count": figures.count_of(figures.awaiting_sign_off_query(scope)),
        "applications_count": figures.count_of(figures.applications_query(scope)),
    }


storable(ProcessFigures)
storable(PipelineRow)


@storable
@dataclass(frozen=True)
class OverdueRow:
    user_id: int
    name: str
    last: date | None  # last confirmed supervision


@storable
@dataclass(frozen=True)
class SchemeFigures:
    """A scheme dashboard's summaries and its costliest list (who is overdue for
    supervision: every practitioner's last session); the other lists are read live."""
    by_level: dict[tuple[str, str], int]
    delivery: DeliveryFigures
    pipeline: list[PipelineRow]
    processes: ProcessFigures
    overdue: list[OverdueRow]
    overdue_count: int


@materialised("scheme-dashboard")
def scheme_figures(scope: Scope, period: Period) -> SchemeFigures:
    overdue, overdue_count = _first_and_count(figures.supervision_overdue_query(scope))
    return SchemeFigures(figures.accredited_by_level_and_status(scope), delivery(scope, period),
                         figures.training_pipeline(scope),
                         process_figures(scope.scheme_ids, period.start, period.end),
                         [OverdueRow(user.id, user.display_name, last) for user, last in overdue],
                         overdue_count)


def _rows_and_count(query, model, *columns) -> tuple[Select, Select]:
    """The first LIST_LIMIT rows of `query` as just `columns` (named rows, no ORM objects:
    a dashboard list shows three or four fields of each), and a statement counting the
    `model` rows that match its conditions without its joins (an index count, where a
    window count would join every match to its people first)."""
    return (query.with_only_columns(*columns).limit(LIST_LIMIT),
            select(func.count()).select_from(model).where(query.whereclause))


@dataclass(frozen=True)
class _LiveLists:
    """A dashboard's lists read live, each with its count, and the count of discretionary
    approvals: statements built once for a kind of scope (figures.bound)."""
    expiring: tuple[Select, Select]
    waiting: tuple[Select, Select]
    applications: tuple[Select, Select]
    discretion_count: Select


@functools.cache
def _live_lists(scope: Scope) -> _LiveLists:
    """Built once for some schemes and once for every scheme, run with the scope's
    parameters: composing them was about a tenth of a dashboard view's worker time."""
    supervisor = aliased(User)
    return _LiveLists(
        _rows_and_count(
            figures.expiring_query(scope, figures.EXPIRING_UNTIL), AccreditationRecord,
            AccreditationRecord.public_id, User.display_name.label("name"),
            AccreditationRecord.level_key, AccreditationRecord.level_name,
            AccreditationRecord.expires_on),
        _rows_and_count(
            figures.awaiting_sign_off_query(scope)
            .outerjoin(supervisor, PracticeRecord.supervisor_id == supervisor.id),
            PracticeRecord, PracticeRecord.case_code, User.display_name.label("name"),
            supervisor.display_name.label("supervisor"), PracticeRecord.requested_at),
        _rows_and_count(
            figures.applications_query(scope), Application, User.display_name.label("name"),
            Application.level_key, Application.submitted_at),
        figures.count_statement(figures.discretion_query(scope)))


def dashboard(scope: Scope, period: Period) -> dict:
    levels = figures.level_names()
    kept = scheme_figures(scope, period)
    by_level, delivered, pipeline = (kept.figures.by_level, kept.figures.delivery,
                                     kept.figures.pipeline)
    lists = _live_lists(figures.bound(scope))
    params = {**scope.params(), "expiring_until": figures.expiring_until()}

    def rows_and_count(statements: tuple[Select, Select]) -> tuple[list, int]:
        rows, count = statements
        return (list(db.session.execute(rows, params)),
                db.session.scalar(count, params) or 0)

    expiring, expiring_count = rows_and_count(lists.expiring)
    waiting, waiting_count = rows_and_count(lists.waiting)
    applications, applications_count = rows_and_count(lists.applications)
    return {
        "expiring_count": expiring_count, "expiring_days": figures.expiring_notice_days(),
        "overdue_count": kept.figures.overdue_count, "waiting_count": waiting_count,
        "applications_count": applications_count,
        "levels": levels, "statuses": STATUS_ORDER, "by_level": by_level,
        "expiring": [(row, local_level_name(row.level_key, row.level_name))
                     for row in expiring],
        "overdue": kept.figures.overdue, "waiting": waiting, "applications": applications,
        "discretion_count": db.session.scalar(lists.discretion_count, params) or 0,
        "pipeline": pipeline,
        "sessions": figures.upcoming_sessions(scope),
        "delivery": delivered, "period": period,
        "charts": {**delivery_charts(delivered, period), "pipeline": pipeline_chart(pipeline)},
        "process_figures": kept.figures.processes, "computed_at": kept.computed_at,
    }


@storable
@dataclass(frozen=True)
class AdminFigures:
    overview: Overview
    summary: dict[str, int]
    delivery: DeliveryFigures


@materialised("admin")
def admin_figures(scope: Scope, period: Period) -> AdminFigures:
    """The admin's page across every scheme: the table by scheme and sector, the summary
    counts and the delivery figures (the lists and the pipeline belong to one scheme's
    dashboard, where they are short)."""
    return AdminFigures(
        overview(period),
        {**summary(scope), "discretion_count": figures.count_of(figures.discretion_query(scope))},
        delivery(scope, period))


def across_schemes(period: Period) -> dict:
    kept = admin_figures(Scope(None), period)
    return {**kept.figures.summary, "overview": kept.figures.overview,
            "charts": delivery_charts(kept.figures.delivery, period),
            "computed_at": kept.computed_at}


def month_label(year: int, month: int) -> str:
    """'Mar 2027' in English, 'Maw 2027' in Welsh."""
    return _month_label(year, month, str(current_locale()))


@functools.lru_cache(maxsize=1024)  # a dashboard labels a dozen months on every view
def _month_label(year: int, month: int, locale: str) -> str:
    return babel_dates.format_date(date(year, month, 1), "MMM y", locale=locale)


def amount_of_processes(value: float) -> str:
    return ngettext("%(figure)s process", "%(figure)s processes", plural_number(value),
                    figure=format_value(value))


def amount_of_learners(value: float) -> str:
    return ngettext("%(figure)s learner", "%(figure)s learners", plural_number(value),
                    figure=format_value(value))


def delivery_charts(delivered: DeliveryFigures, period: Period) -> dict[str, Chart]:
    months = period.months()
    type_rows = delivered.type_rows()
    processes = Unit(_("processes"), amount_of_processes)
    return {
        "by_month": Chart(
            _("Processes delivered by month"), tuple(month_label(*m) for m in months),
            (Series(_("Processes"), tuple(delivered.by_month.get(m, 0) for m in months)),),
            unit=processes),
        "by_type": Chart(
            _("Processes by type"), tuple(str(label) for label, _d, _i in type_rows),
            (Series(_("Direct"), tuple(d for _l, d, _i in type_rows)),
             Series(_("Indirect"), tuple(i for _l, _d, i in type_rows))),
            unit=processes, stacked=True, horizontal=True),
        "by_harm": Chart(
            _("Processes by harm"), tuple(str(label) for label, _n in delivered.harm_rows()),
            (Series(_("Processes"), tuple(n for _l, n in delivered.harm_rows())),),
            unit=processes, horizontal=True),
    }


def pipeline_chart(pipeline) -> Chart:
    return Chart(
        _("Training pipeline"), tuple(row.course for row in pipeline),
        (Series(_("Not started"), tuple(r.not_started for r in pipeline)),
         Series(_("In progress"), tuple(r.in_progress for r in pipeline)),
         Series(_("Completed"), tuple(r.completed for r in pipeline))),
        unit=Unit(_("learners"), amount_of_learners), stacked=True, horizontal=True)
