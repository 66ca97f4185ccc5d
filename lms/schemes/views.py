from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from lms import access
from lms.extensions import db
from lms.i18n import gettext as _
from lms.schemes import services
from lms.schemes.forms import SchemeForm

bp = Blueprint("schemes", __name__, url_prefix="/schemes")


@bp.route("/")
@access.signed_in
def index():
    return render_template("schemes/index.html", schemes=services.schemes_visible_to(current_user))


@bp.route("/new", methods=["GET", "POST"])
@access.admin
def create():
    form = SchemeForm()
    if form.validate_on_submit():
        scheme = services.save_scheme(form, by=current_user)
        db.session.commit()
        flash(_("Scheme “%(name)s” created.", name=scheme.name), "success")
        return redirect(url_for("schemes.show", slug=scheme.slug))
    return render_template("schemes/form.html", form=form, scheme=None)


@bp.route("/<slug>")
@access.signed_in
def show(slug):
    scheme = services.get_scheme_or_404(slug, for_=current_user)
    can_manage = scheme.can_manage_people(current_user)
    return render_template(
        "schemes/show.html",
        scheme=scheme,
        can_manage=can_manage,
        counts=services.role_counts(scheme),
        staff=services.staff_by_role(scheme) if can_manage else None,
    )


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@access.admin
def edit(slug):
    scheme = services.get_scheme_or_404(slug, for_=current_user)
    form = SchemeForm(scheme=scheme)
    if form.validate_on_submit():
        services.save_scheme(form, scheme, by=current_user)
        db.session.commit()
        flash(_("Scheme saved."), "success")
        return redirect(url_for("schemes.show", slug=scheme.slug))
    return render_template("schemes/form.html", form=form, scheme=scheme)
