"""The one commit at the edge of a request, with the person told what happened."""

from collections.abc import Callable

from flask import flash
from flask_babel.speaklater import LazyString
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from lms.extensions import db
from lms.i18n import lazy_gettext as _l

#: Shown when someone else changed the same thing at the same moment (an optimistic lock
#: or a unique constraint refused the second writer).
CHANGED_MEANWHILE = _l("Someone else changed this at the same moment, so your change was not "
                       "saved. Check the page and try again if it is still needed.")


def commit_or_flash(action: Callable[[], object], *, success: str | Callable[[], str],
                    refused: tuple[type[Exception], ...] = (),
                    conflict: str | LazyString = CHANGED_MEANWHILE) -> bool:
    """Run a service call and commit once. Flash `success` (or what it returns, when it needs
    what the action stored), or the refusal's own message, or `conflict` when a concurrent
    writer won; on failure nothing is stored. True on success."""
    try:
        action()
        db.session.commit()
    except refused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
        return False
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        flash(str(conflict), "error")
        return False
    flash(success() if callable(success) else success, "success")
    return True
