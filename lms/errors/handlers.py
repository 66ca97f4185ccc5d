"""Error pages in the site layout, with no internals shown."""

from flask import current_app, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from lms.extensions import db
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l

MESSAGES = {
    400: (_l("Something was wrong with that request"),
          _l("Go back, check what you entered and try again.")),
    403: (_l("You do not have access to this page"),
          _l("If you think you should, ask your scheme lead.")),
    404: (_l("Page not found"),
          _l("Check the address, or use the navigation to find what you need.")),
    405: (_l("That action is not allowed here"), _l("Use the buttons and links on the page.")),
    409: (_l("That was already done"),
          _l("The form may have been sent twice, or someone else acted at the same moment. "
             "Reload the page to see where things stand.")),
    413: (_l("That file is too large"), _l("Upload a smaller file.")),
    429: (_l("Too many requests"), _l("Wait a minute and try again.")),
    503: (_l("The site is busy"), _l("Wait a moment and try again.")),
    500: (_l("Something went wrong on our side"),
          _l("Nothing you did caused this. Please try again.")),
}


def render_error(code, detail=None):
    """The error page for `code`, with `detail` instead of the usual advice."""
    title, advice = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    advice = detail or advice
    try:
        body = render_template("errors/error.html", code=code, title=title, advice=advice)
    except Exception:  # the layout itself may need what failed (e.g. the database)
        current_app.logger.exception("error page could not be rendered")
        body = f"<!doctype html><title>{title}</title><h1>{title}</h1><p>{advice}</p>"
    return body, code


def handle_http_error(error: HTTPException):
    if error.code is None or error.code >= 500:
        return handle_server_error(error)
    return render_error(error.code)


def handle_csrf_error(_error: CSRFError):
    return render_error(400, _("This form has expired or was sent from elsewhere. "
                               "Go back, reload the page and try again."))


def handle_server_error(error):
    # Flask passes the original exception on as `original_exception`; log it, show nothing.
    db.session.rollback()
    current_app.logger.error(
        "unhandled error", exc_info=getattr(error, "original_exception", None) or error
    )
    return render_error(500)


def handle_conflict(error: IntegrityError | StaleDataError):
    """Two posts of one form at once (a double click, two tabs): a unique constraint
    refused the duplicate, or the row was changed or deleted under us. The database kept
    one outcome; the other request is told, not given a 500."""
    db.session.rollback()
    current_app.logger.warning("conflicting write refused: %s", getattr(error, "orig", error))
    return render_error(409)


#: Messages of transient refusals: SQLite busy, PostgreSQL serialization and deadlock.
TRANSIENT = ("database is locked", "could not serialize", "deadlock detected")


def handle_operational_error(error: OperationalError):
    if any(marker in str(error.orig) for marker in TRANSIENT):
        db.session.rollback()
        current_app.logger.warning("transient database refusal: %s", error.orig)
        body, code = render_error(503)
        return body, code, {"Retry-After": "2"}
    raise error  # anything else is a bug: the usual 500 path logs it


def register(app):
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(500, handle_server_error)
    app.register_error_handler(IntegrityError, handle_conflict)
    app.register_error_handler(StaleDataError, handle_conflict)
    app.register_error_handler(OperationalError, handle_operational_error)
