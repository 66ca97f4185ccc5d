"""Figures across schemes and the postcode-lottery map, for administrators, viewers (a
PCC's office, a prison group director, a national body) and scheme leads, each seeing the
schemes in their scope. Figures only: nothing here shows case text."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_login import current_user
from sqlalchemy import select

from lms import access
from lms.areas.reference import force_areas
from lms.areas.services import figures_scheme_ids, scope_areas, scopes_of
from lms.csv_export import csv_text
from lms.extensions import db
from lms.i18n import gettext as _
from lms.i18n import ngettext
from lms.people.kinds import kind_label
from lms.reports import area_figures
from lms.reports.coverage import coverage, rate_text
from lms.reports.figures import Scope
from lms.reports.forms import FiguresForm
from lms.reports.tilemap import tile_map_svg
from lms.schemes.models import Scheme

bp = Blueprint("areas", __name__, url_prefix="/areas")
PAGE_SIZE = 50


def _allowed():
    """(scope of the schemes the person may see, their viewer scopes)."""
    scopes = scopes_of(current_user)
    return Scope(figures_scheme_ids(current_user, scopes)), scopes


def _narrowed(scope: Scope, form: FiguresForm) -> Scope:
    """The allowed scope, narrowed to the chosen area and sector (never widened)."""
    area, sector = form.area.data or "", form.sector.data or ""
    if not (area or sector):
        return scope
    query = select(Scheme.id).where(scope.where(Scheme.id))
    if area:
        query = query.where(Scheme.police_force_code == area)
    if sector:
        query = query.where(Scheme.sector == sector)
    return Scope(frozenset(db.session.scalars(query)))


@bp.route("/figures")
@access.viewer
def figures():
    allowed, _scopes = _allowed()
    form = FiguresForm(formdata=request.args)
    form.validate()
    scope, period = _narrowed(allowed, form), form.period()
    grouping = form.group.data if form.group.data in area_figures.GROUPINGS else "scheme"
    kept = area_figures.area_figures(scope, period, grouping)
    found = kept.figures
    return render_template(
        "reports/figures.html", form=form, period=period, grouping=grouping,
        national=allowed.scheme_ids is None, trained=found.trained, by_level=found.by_level,
        accredited=found.accredited, group_rows=found.group_rows, pf=found.processes,
        computed_at=kept.computed_at, single_scheme=_single(scope),
        groupings=area_figures.GROUPINGS, kind_columns=area_figures.KIND_COLUMNS,
        kind_label=kind_label)


def _single(scope: Scope) -> bool:
    return scope.scheme_ids is not None and len(scope.scheme_ids) == 1


@bp.route("/accredited")
@access.viewer
def accredited():
    """Who is accredited in the schemes in view: names, levels, schemes and dates."""
    scope, _scopes = _allowed()
    page = db.paginate(area_figures.accredited_list_query(scope), per_page=PAGE_SIZE,
                       error_out=False)
    return render_template("reports/accredited.html", page=page)


def _coverage(form: FiguresForm):
    scope, scopes = _allowed()
    codes = None
    if scope.scheme_ids is not None:
        codes = scope_areas(scopes) | {code for code in db.session.scalars(
            select(Scheme.police_force_code).where(scope.where(Scheme.id)).distinct()) if code}
    return coverage(scope, form.period(), codes), codes


@bp.route("/coverage")
@access.viewer
def coverage_map():
    form = FiguresForm(formdata=request.args)
    form.validate()
    found, codes = _coverage(form)
    metric = found.metric(request.args.get("metric", "accredited"))
    values = {row.area.code: row.rate(metric.key) for row in found.rows}
    without = found.without(metric.key)
    svg = tile_map_svg(
        list(force_areas().values()), values, id_prefix="coverage-map",
        title=_("%(figure)s per 100,000 people, by police force area", figure=metric.label),
        description=" ".join((
            _("A grid of squares, one for each of the 43 police force areas of England and "
              "Wales, placed roughly where the area lies, darker where the rate is higher."),
            ngettext("%(num)d area is shown;", "%(num)d areas are shown;", len(found.rows)),
            ngettext("%(num)d of them has none.", "%(num)d of them have none.", len(without)),
            _("The same figures are in the table after the map."))))
    return render_template("reports/coverage.html", form=form, found=found, metric=metric,
                           svg=svg, without=without, national=codes is None,
                           rate_text=rate_text)


@bp.route("/coverage.csv")
@access.viewer
def coverage_csv():
    form = FiguresForm(formdata=request.args)
    form.validate()
    found, _codes = _coverage(form)
    header = ["code", "name", "population", "population_year"]
    for metric in found.metrics:
        header += [metric.key, f"{metric.key}_per_100000"]
    rows = ([row.area.code, row.area.name, row.area.population, row.area.population_year,
             *[value for m in found.metrics
               for value in (row.counts[m.key], f"{row.rate(m.key):.2f}")]]
            for row in found.rows)
    return Response(csv_text(header, rows), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=coverage-by-police-force-area.csv"})
