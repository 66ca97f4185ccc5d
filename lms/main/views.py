from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from lms import access
from lms.areas.services import is_viewer
from lms.extensions import db
from lms.learning.home_views import my_learning
from lms.main import search
from lms.main.todo import next_accreditation_step, todos_for
from lms.reports.dashboard import summary
from lms.reports.figures import Scope
from lms.schemes.models import Role
from lms.schemes.services import schemes_managed_by

bp = Blueprint("main", __name__)
bp.register_blueprint(search.bp)  # main.search.*: staff search


@bp.route("/")
@access.public
def index():
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    if not (current_user.memberships or current_user.is_admin) and is_viewer(current_user):
        return redirect(url_for("reports.areas.figures"))  # a viewer's home is their figures
    in_progress, completed = my_learning(current_user)
    lead_schemes = schemes_managed_by(current_user) if current_user.has_role(Role.LEAD) else []
    return render_template(
        "main/home.html", memberships=current_user.memberships, in_progress=in_progress,
        completed=completed, todos=todos_for(current_user),
        next_step=next_accreditation_step(current_user) if current_user.memberships else None,
        lead_schemes=lead_schemes,
        d=summary(Scope(frozenset(s.id for s in lead_schemes))) if lead_schemes else None)


@bp.route("/healthz")
@access.public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database means unhealthy
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200
