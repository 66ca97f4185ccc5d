"""Readiness for a load balancer: /healthz (in main) says the process and database answer;
/readyz says this node can serve: database reachable and migrated to the code's schema, and
the shared rate-limit store reachable."""

from flask import Blueprint, current_app

from lms import access
from lms.extensions import db, limiter

bp = Blueprint("ops", __name__)


@bp.route("/readyz")
@access.public
def readyz():
    checks = {"database": _database(), "rate_limit_store": _rate_limit_store()}
    ready = all(value == "ok" for value in checks.values())
    return {"status": "ready" if ready else "not ready", **checks}, 200 if ready else 503


def _database() -> str:
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    try:
        current = set(MigrationContext.configure(db.session.connection()).get_current_heads())
    except Exception:  # any failure to reach the database means not ready
        db.session.rollback()
        return "unreachable"
    expected = set(ScriptDirectory(current_app.extensions["migrate"].directory).get_heads())
    return "ok" if current == expected else "schema not at the code's migration"


def _rate_limit_store() -> str:
    try:
        return "ok" if limiter.storage.check() else "unreachable"
    except Exception:  # a store that raises is as unusable as one that says no
        return "unreachable"
