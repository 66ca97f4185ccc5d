"""Scheme lead dashboards, the admin view across schemes, exports and bulk actions."""

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user

from lms import access
from lms.extensions import db
from lms.reports import area_views, bulk_views, exports, figures
from lms.reports.chart_svg import bar_chart_svg
from lms.reports.dashboard import across_schemes, dashboard
from lms.reports.figures import Scope
from lms.reports.forms import PeriodForm, PractitionerFilterForm
from lms.reports.practitioners import practitioners_query, rows_for
from lms.reports.snapshots import max_age_minutes
from lms.schemes.models import Role
from lms.schemes.services import get_scheme_or_404, schemes_managed_by

bp = Blueprint("reports", __name__, url_prefix="/reports")
bp.register_blueprint(bulk_views.bp)  # reports.bulk.*: bulk actions on chosen practitioners
bp.register_blueprint(area_views.bp)  # reports.areas.*: figures across schemes, coverage map
# A true global (not a context variable), so imported macros can call it too.
bp.add_app_template_global(bar_chart_svg, "bar_chart_svg")
bp.add_app_template_global(max_age_minutes, "figures_max_age_minutes")
PAGE_SIZE = 50


@bp.route("/")
@access.role(Role.LEAD)
def index():
    schemes = schemes_managed_by(current_user)
    if current_user.is_admin:
        return redirect(url_for("reports.admin"))
    return redirect(url_for("reports.scheme", slug=schemes[0].slug))


def _scope(slug):
    scheme = get_scheme_or_404(slug, for_=current_user, manage=True)
    return scheme, Scope(frozenset({scheme.id}))


@bp.route("/schemes/<slug>")
@access.role(Role.LEAD)
def scheme(slug):
    found, scope = _scope(slug)
    form = PeriodForm(formdata=request.args)
    form.validate()
    return render_template("reports/dashboard.html", scheme=found, form=form,
                           d=dashboard(scope, form.period()),
                           schemes=schemes_managed_by(current_user))


@bp.route("/schemes/<slug>/practitioners")
@access.role(Role.LEAD)
def practitioners(slug):
    found, scope = _scope(slug)
    form = PractitionerFilterForm(figures.level_names(), formdata=request.args)
    form.validate()
    query = practitioners_query(scope, **_filters(form))
    page = db.paginate(query, per_page=PAGE_SIZE, error_out=False)
    return render_template("reports/practitioners.html", scheme=found, form=form, page=page,
                           rows=rows_for(page.items))


def _filters(form):
    return {"level": form.level.data or "", "status": form.status.data or "",
            "search": form.q.data or ""}


@bp.route("/schemes/<slug>/export/<table>.csv")
@access.role(Role.LEAD)
def export(slug, table):
    _found, scope = _scope(slug)
    if table == "delivery":
        form = PeriodForm(formdata=request.args)
        form.validate()
        lines = exports.delivery_figures(scope, form.period())
    elif table == "accredited":
        form = PractitionerFilterForm(figures.level_names(), formdata=request.args)
        form.validate()
        lines = exports.accredited(scope, **_filters(form))
    elif table in exports.TABLES:
        lines = exports.TABLES[table](scope)
    else:
        abort(404)
    return Response(stream_with_context(lines), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename={slug}-{table}.csv"})


@bp.route("/admin")
@access.admin
def admin():
    form = PeriodForm(formdata=request.args)
    form.validate()
    period = form.period()
    d = across_schemes(period)
    return render_template("reports/admin.html", form=form, period=period,
                           overview=d["overview"], d=d)
