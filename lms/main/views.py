from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import text

from lms import access
from lms.extensions import db
from lms.learning.home_views import my_learning

bp = Blueprint("main", __name__)


@bp.route("/")
@access.public
def index():
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    in_progress, completed = my_learning(current_user)
    return render_template("main/home.html", memberships=current_user.memberships,
                           in_progress=in_progress, completed=completed)


@bp.route("/healthz")
@access.public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database means unhealthy
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200
