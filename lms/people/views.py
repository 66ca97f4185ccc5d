from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_number
from flask_login import current_user
from sqlalchemy.orm import load_only

from lms import access
from lms.auth.models import User
from lms.csv_export import csv_text
from lms.extensions import db
from lms.forms import EmptyForm
from lms.i18n import gettext as _
from lms.i18n import ngettext
from lms.people import importing, services
from lms.people.forms import (
    ImportConfirmForm,
    ImportUploadForm,
    PeopleFilterForm,
    PersonForm,
    PersonKindForm,
    SchemeRoleForm,
)
from lms.people.kinds import kind_label
from lms.schemes.models import Role
from lms.schemes.services import schemes_managed_by

bp = Blueprint("people", __name__, url_prefix="/people")
PAGE_SIZE = 50


@bp.route("/")
@access.role(Role.LEAD)
def index():
    schemes = schemes_managed_by(current_user)
    form = PeopleFilterForm(schemes, formdata=request.args)
    form.validate()
    scheme = next((s for s in schemes if s.slug == form.scheme.data), None)
    role = Role(form.role.data) if form.role.data in Role._value2member_map_ else None
    search, scheme_id = form.q.data or "", scheme.id if scheme else None
    page = db.paginate(
        services.people_query(current_user, search=search, scheme_id=scheme_id, role=role)
        .options(load_only(*LISTED)),
        per_page=PAGE_SIZE, error_out=False,
        count_select=services.people_count(current_user, search=search, scheme_id=scheme_id,
                                           role=role))
    return render_template("people/index.html", form=form, page=page,
                           roles=services.roles_of([person.id for person in page.items]))


#: What the list shows of each person (their roles come in a query of their own).
LISTED = (User.display_name, User.username, User.active, User.one_time_password_hash)


@bp.route("/new", methods=["GET", "POST"])
@access.role(Role.LEAD)
def create():
    schemes = schemes_managed_by(current_user)
    form = PersonForm(schemes)
    if form.validate_on_submit():
        scheme = next(s for s in schemes if s.id == form.scheme.data)
        person, otp = services.create_person(
            username=form.username.data, display_name=form.display_name.data,
            email=form.email.data, scheme=scheme, role=Role(form.role.data), by=current_user,
        )
        db.session.commit()
        return render_template("people/credentials.html", credentials=[(person, otp)],
                               title=_("Account created"))
    return render_template("people/new.html", form=form)


@bp.route("/<int:user_id>")
@access.role(Role.LEAD)
def show(user_id):
    person = services.get_person_or_404(user_id, for_=current_user)
    return _render_person(person)


def _render_person(person, role_form=None):
    schemes = schemes_managed_by(current_user)
    managed_ids = {s.id for s in schemes}
    return render_template(
        "people/show.html",
        person=person,
        role_form=role_form or SchemeRoleForm(schemes),
        managed_ids=managed_ids,
        can_deactivate=services.can_deactivate(current_user, person),
        reset_refusal=services.reset_password_refusal(current_user, person),
        remove_role_refusal=lambda m: services.remove_role_refusal(current_user, m),
        button=EmptyForm(),
        kind_form=PersonKindForm(data={"kind": person.person_kind or ""}),
        kind_label=kind_label,
    )


@bp.route("/<int:user_id>/kind", methods=["POST"])
@access.role(Role.LEAD)
def set_kind(user_id):
    person = services.get_person_or_404(user_id, for_=current_user)
    form = PersonKindForm()
    if form.validate_on_submit() and services.set_person_kind(
            person, form.kind.data or None, by=current_user):
        db.session.commit()
        flash(_("Kind of person saved for %(name)s.", name=person.display_name), "success")
    return redirect(url_for("people.show", user_id=person.id))


@bp.route("/<int:user_id>/roles", methods=["POST"])
@access.role(Role.LEAD)
def add_role(user_id):
    person = services.get_person_or_404(user_id, for_=current_user)
    schemes = schemes_managed_by(current_user)
    form = SchemeRoleForm(schemes)
    if not form.validate_on_submit():
        return _render_person(person, role_form=form), 400
    scheme = next(s for s in schemes if s.id == form.scheme.data)
    role = Role(form.role.data)
    if services.add_role(person, scheme, role, by=current_user):
        db.session.commit()
        flash(_("%(name)s is now %(role)s in %(scheme)s.", name=person.display_name,
                role=str(role.label).lower(), scheme=scheme.name), "success")
    else:
        flash(_("%(name)s already holds that role in %(scheme)s.", name=person.display_name,
                scheme=scheme.name), "info")
    return redirect(url_for("people.show", user_id=person.id))


@bp.route("/<int:user_id>/roles/<int:membership_id>/remove", methods=["POST"])
@access.role(Role.LEAD)
def remove_role(user_id, membership_id):
    person = services.get_person_or_404(user_id, for_=current_user)
    membership = next((m for m in person.memberships if m.id == membership_id), None)
    if membership is None or not membership.scheme.can_manage_people(current_user):
        abort(404)
    if EmptyForm().validate_on_submit():
        refusal = services.remove_role_refusal(current_user, membership)
        if refusal:
            flash(refusal, "error")
        else:
            services.remove_role(person, membership, by=current_user)
            db.session.commit()
            flash(_("Role removed from %(name)s.", name=person.display_name), "success")
    return redirect(url_for("people.show", user_id=person.id))


@bp.route("/<int:user_id>/deactivate", methods=["POST"])
@access.role(Role.LEAD)
def deactivate(user_id):
    return _set_active(user_id, False)


@bp.route("/<int:user_id>/reactivate", methods=["POST"])
@access.role(Role.LEAD)
def reactivate(user_id):
    return _set_active(user_id, True)


def _set_active(user_id, active):
    person = services.get_person_or_404(user_id, for_=current_user)
    if not services.can_deactivate(current_user, person):
        abort(403)
    if EmptyForm().validate_on_submit():
        if active:
            services.reactivate(person, by=current_user)
            message = _("%(name)s can sign in again.", name=person.display_name)
        else:
            services.deactivate(person, by=current_user)
            message = _("%(name)s can no longer sign in; their sessions have ended.",
                        name=person.display_name)
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("people.show", user_id=person.id))


@bp.route("/<int:user_id>/reset-password", methods=["POST"])
@access.role(Role.LEAD)
def reset_password(user_id):
    person = services.get_person_or_404(user_id, for_=current_user)
    refusal = services.reset_password_refusal(current_user, person)
    if refusal:
        flash(refusal, "error")
        return _render_person(person), 403
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("people.show", user_id=person.id))
    otp = services.reset_password(person, by=current_user)
    db.session.commit()
    return render_template("people/credentials.html", credentials=[(person, otp)],
                           title=_("New one-time password"))


@bp.route("/import", methods=["GET", "POST"])
@access.role(Role.LEAD)
def import_upload():
    form = ImportUploadForm()
    if form.validate_on_submit():
        text = importing.decode_upload(form.file.data.read())
        if text is None:
            form.file.errors.append(_("The file is not UTF-8 text. Save it as “CSV UTF-8” and "
                                      "upload it again."))
        else:
            return _render_preview(text)
    return render_template("people/import.html", form=form)


def _render_preview(text):
    preview = importing.preview_import(
        text, schemes_managed_by(current_user), current_app.config["MAX_IMPORT_ROWS"]
    )
    confirm = ImportConfirmForm(formdata=None, content=text)
    return render_template("people/import_preview.html", preview=preview, confirm=confirm)


@bp.route("/import/confirm", methods=["POST"])
@access.role(Role.LEAD)
def import_confirm():
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        flash(_("The import could not be confirmed. Upload the file again."), "error")
        return redirect(url_for("people.import_upload"))
    preview = importing.preview_import(
        form.content.data, schemes_managed_by(current_user), current_app.config["MAX_IMPORT_ROWS"]
    )
    if not preview.ok:  # something changed since the preview: show it again, save nothing
        flash(_("Some rows are no longer valid. Nothing was saved."), "error")
        return render_template("people/import_preview.html", preview=preview, confirm=form), 409
    created = importing.save_import(preview, by=current_user)
    db.session.commit()
    return render_template(
        "people/credentials.html", credentials=created,
        title=ngettext("%(count)s account created", "%(count)s accounts created",
                       len(created), count=format_number(len(created))),
        csv_data=_credentials_csv(created),
    )


def _credentials_csv(created) -> str:
    return csv_text(
        ["username", "display_name", "one_time_password"],
        ((user.username, user.display_name, otp) for user, otp in created),
    )


@bp.route("/<int:user_id>/assessor", methods=["POST"])
@access.admin
def toggle_assessor(user_id):
    person = services.get_person_or_404(user_id, for_=current_user)
    if EmptyForm().validate_on_submit():
        services.set_assessor(person, not person.is_assessor, by=current_user)
        db.session.commit()
        flash(_("%(name)s is now an accreditation assessor.", name=person.display_name)
              if person.is_assessor else
              _("%(name)s is no longer an accreditation assessor.", name=person.display_name),
              "success")
    return redirect(url_for("people.show", user_id=person.id))
