"""The logo: served to everyone, uploaded and removed by administrators."""

import hashlib

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from lms import access
from lms.audit import services as audit
from lms.branding import LOGO_TYPES, logo, logo_file, product_name, uploaded_logo
from lms.branding.forms import LogoForm
from lms.extensions import db
from lms.forms import EmptyForm
from lms.i18n import gettext as _

bp = Blueprint("branding", __name__)


@bp.route("/branding/logo")
@access.public
def logo_image():
    path = logo_file()
    if path is None:
        abort(404)
    # Read whole (at most MAX_BYTES): no file stays open however the response ends.
    response = Response(path.read_bytes(),
                        mimetype=LOGO_TYPES[path.suffix.lstrip(".").lower()])
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    # Opened on its own, an SVG can do nothing: no scripts, no loads, nothing embedded.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; sandbox")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/admin/branding", methods=["GET", "POST"])
@access.admin
def settings():
    form = LogoForm()
    if form.validate_on_submit():
        upload = form.logo.data
        try:
            data = upload.read(logo.MAX_BYTES + 1)
        finally:
            upload.close()  # a large upload is spooled to a temporary file
        try:
            extension = logo.check(upload.filename or "", data)
        except logo.LogoRefused as refusal:
            form.logo.errors.append(str(refusal))
        else:
            logo.store(extension, data)
            audit.record("branding.logo_uploaded", actor=current_user, object_type="logo",
                         object_id=extension,
                         payload={"sha256": hashlib.sha256(data).hexdigest(),
                                  "bytes": len(data)})
            db.session.commit()
            flash(_("The logo is uploaded. It shows in the header and on certificates."),
                  "success")
            return redirect(url_for("branding.settings"))
    return render_template("branding/settings.html", form=form, remove_form=EmptyForm(),
                           uploaded=uploaded_logo() is not None, product=product_name())


@bp.route("/admin/branding/remove", methods=["POST"])
@access.admin
def remove():
    if EmptyForm().validate_on_submit() and logo.remove():
        audit.record("branding.logo_removed", actor=current_user, object_type="logo",
                     object_id="uploaded")
        db.session.commit()
        flash(_("The uploaded logo is removed."), "success")
    return redirect(url_for("branding.settings"))
