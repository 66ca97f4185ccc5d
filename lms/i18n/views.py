"""The language switch in every page's header: a small form (no JavaScript needed) that
stores the choice in a cookie for everyone and, for a signed-in person, as their preferred
language, then goes back to the page it was on."""

from flask import Blueprint, abort, redirect, request
from flask_login import current_user

from lms import access
from lms.audit import services as audit
from lms.auth.views import safe_next_url
from lms.extensions import db
from lms.i18n import LANGUAGES, remember_language

bp = Blueprint("i18n", __name__)


@bp.route("/language", methods=["POST"])
@access.public
def set_language():
    language = request.form.get("language", "")
    if language not in LANGUAGES:
        abort(400)
    if current_user.is_authenticated and current_user.preferred_language != language:
        current_user.preferred_language = language
        audit.record("user.language_changed", actor=current_user, object_type="user",
                     object_id=current_user.id, payload={"language": language})
        db.session.commit()
    return remember_language(redirect(safe_next_url(request.form.get("next"))), language)
