"""Data protection pages: a person's own data (subject access), the record of
processing for admins, and erasing an account."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from lms import access, clock
from lms.auth.models import User
from lms.extensions import db
from lms.forms import EmptyForm
from lms.i18n import gettext as _
from lms.i18n import ngettext
from lms.privacy.erasure import erase, erasure_refusal
from lms.privacy.export import subject_access_zip
from lms.privacy.processing import other_records, record_of_processing

bp = Blueprint("privacy", __name__)


@bp.route("/privacy/my-data")
@access.signed_in
def my_data():
    return render_template("privacy/my_data.html", form=EmptyForm())


@bp.route("/privacy/my-data.zip", methods=["POST"])
@access.signed_in
def my_data_zip():
    # POST with CSRF: the archive is only made by the person's own deliberate request.
    if not EmptyForm().validate_on_submit():
        abort(400)
    stamp = clock.utcnow().strftime("%Y%m%d")
    return Response(subject_access_zip(current_user), mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="my-data-{stamp}.zip"',
        "Cache-Control": "no-store"})


@bp.route("/admin/privacy")
@access.admin
def processing():
    return render_template("privacy/processing.html", entries=record_of_processing(),
                           others=other_records())


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/admin/privacy/erase/<int:user_id>", methods=["GET", "POST"])
@access.admin
def erase_account(user_id):
    user = _user_or_404(user_id)
    refusal = erasure_refusal(current_user, user)
    form = EmptyForm()
    if refusal is None and form.validate_on_submit():
        counts = erase(user, actor=current_user)
        db.session.commit()
        flash(_("The account was erased: %(counts)s.", counts=", ".join(
            _erased(what, n) for what, n in counts.items())), "success")
        return redirect(url_for("privacy.processing"))
    return render_template("privacy/erase.html", user=user, refusal=refusal, form=form)


def _erased(what: str, n: int) -> str:
    """One of erase()'s counts in words, in the page's language."""
    words = {
        "accreditations revoked": lambda: ngettext(
            "%(num)d accreditation revoked", "%(num)d accreditations revoked", n),
        "practice records redacted": lambda: ngettext(
            "%(num)d practice record redacted", "%(num)d practice records redacted", n),
        "supervision notes redacted": lambda: ngettext(
            "%(num)d supervision note redacted", "%(num)d supervision notes redacted", n),
        "CPD entries redacted": lambda: ngettext(
            "%(num)d CPD entry redacted", "%(num)d CPD entries redacted", n),
    }.get(what)
    return words() if words else f"{n} {what}"
