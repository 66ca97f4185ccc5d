"""How a rule refuses an action on accreditation (AccreditationError: its message is shown
to the person), and the refusal every decision shares: nobody decides on their own record."""

from __future__ import annotations

from lms.auth.models import User
from lms.i18n import gettext as _


class AccreditationError(Exception):
    """A rule refused the action; the message is shown to the person. The caller rolls
    the session back (a refusal may come from a constraint the database enforced)."""


def own_record_refusal(user: User, holder_id: int) -> str | None:
    """Nobody decides, changes or renews their own accreditation or application, whatever
    their role; the holder's own requests (withdrawal, return) are not decisions."""
    if user.id == holder_id:
        return _("Nobody may decide on their own accreditation or application.")
    return None
