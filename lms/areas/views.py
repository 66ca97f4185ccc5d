"""Administrators grant and revoke viewer scopes: read-only figures across schemes."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms import access
from lms.areas import services
from lms.areas.forms import SCOPE_CHOICES, GrantViewerForm
from lms.areas.models import ViewerScope
from lms.areas.reference import force_area, local_authority
from lms.extensions import db
from lms.forms import EmptyForm
from lms.i18n import gettext as _
from lms.schemes.models import Scheme

bp = Blueprint("areas", __name__, url_prefix="/areas")
bp.add_app_template_global(force_area, "force_area")
bp.add_app_template_global(local_authority, "local_authority")


def _schemes():
    return list(db.session.scalars(select(Scheme).order_by(Scheme.name)))


def _render(form, status=200):
    scopes = list(db.session.scalars(
        select(ViewerScope).order_by(ViewerScope.user_id, ViewerScope.id)
        .options(selectinload(ViewerScope.user), selectinload(ViewerScope.scheme))))
    return render_template("areas/viewers.html", form=form, scopes=scopes, button=EmptyForm(),
                           kinds=dict(SCOPE_CHOICES)), status


@bp.route("/viewers")
@access.admin
def viewers():
    return _render(GrantViewerForm(_schemes()))


@bp.route("/viewers/grant", methods=["POST"])
@access.admin
def grant():
    schemes = _schemes()
    form = GrantViewerForm(schemes)
    if not form.validate_on_submit():
        return _render(form, 400)
    person = form.person
    assert person is not None  # validate_username found them
    scheme = next((s for s in schemes if str(s.id) == form.scheme.data), None)
    services.grant_scope(person, form.kind.data, force_code=form.force_code.data or None,
                         sector=form.sector.data or None, scheme=scheme, by=current_user)
    db.session.commit()
    flash(_("%(name)s can now see figures (never case text) for what you chose.",
            name=person.display_name), "success")
    return redirect(url_for("areas.viewers"))


@bp.route("/viewers/<int:scope_id>/revoke", methods=["POST"])
@access.admin
def revoke(scope_id):
    scope = db.session.get(ViewerScope, scope_id) or abort(404)
    if EmptyForm().validate_on_submit():
        services.revoke_scope(scope, by=current_user)
        db.session.commit()
        flash(_("Viewer scope removed."), "success")
    return redirect(url_for("areas.viewers"))
