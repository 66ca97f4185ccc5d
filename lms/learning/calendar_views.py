"""Calendar downloads: one session as .ics, and each person's secret calendar feed."""

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user

from lms import access
from lms.audit import services as audit
from lms.extensions import db
from lms.forms import EmptyForm
from lms.i18n import gettext as _
from lms.learning import calendar
from lms.learning.session_views import get_session_or_404
from lms.urls import absolute_url

bp = Blueprint("calendar", __name__)


def _ics(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/sessions/<int:session_id>/calendar.ics")
@access.signed_in
def session_ics(session_id):
    session = get_session_or_404(session_id, for_=current_user)
    return _ics(calendar.to_ical([session], _("Live session")), f"session-{session.id}.ics")


@bp.route("/calendar/<token>.ics")
@access.public
def feed(token):
    """No sign-in: the secret address is the key. Unknown or replaced addresses get 404."""
    user = calendar.feed_owner(token)
    if user is None:
        abort(404)
    response = Response(calendar.to_ical(calendar.feed_sessions(user), _("My live sessions")),
                        mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/account/calendar", methods=["GET", "POST"])
@access.signed_in
def feed_address():
    """Shows how the feed works; a POST makes a new secret address (shown once) and the
    old one stops working."""
    form = EmptyForm()
    address = None
    if form.validate_on_submit():
        had_one = current_user.calendar_feed_token_hash is not None
        token = calendar.new_feed_token(current_user)
        audit.record("user.calendar_feed_reset", actor=current_user, object_type="user",
                     object_id=current_user.id, payload={"replaced": had_one})
        db.session.commit()
        address = absolute_url("learning.calendar.feed", token=token)
    response = Response(render_template(
        "learning/calendar_feed.html", form=form, address=address,
        has_feed=current_user.calendar_feed_token_hash is not None))
    response.headers["Cache-Control"] = "no-store"
    return response
