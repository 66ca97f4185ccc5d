"""The portfolio route: the practitioner's portfolio, applying by it, the referee's
one-time link (no account), and the assessor's professional discussion."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from lms import access, policy, urls
from lms.accreditation import applications, files, portfolio
from lms.accreditation import evidence as evidence_store
from lms.accreditation.decisions import discussion_refusal, record_discussion
from lms.accreditation.forms import (
    DiscussionForm,
    EvidenceFileForm,
    PortfolioItemForm,
    ReferenceForm,
)
from lms.accreditation.models import (
    AccreditationRecord,
    Application,
    EvidenceFile,
    IndemnityInsurance,
    PortfolioItem,
)
from lms.accreditation.refusals import AccreditationError
from lms.accreditation.standards import load_standards
from lms.extensions import db
from lms.forms import EmptyForm
from lms.i18n import gettext as _
from lms.views_helpers import commit_or_flash

bp = Blueprint("portfolio", __name__, url_prefix="/accreditation")


def _render(form=None, new_link=None, status=200, file_errors=None):
    standards = load_standards()
    items = portfolio.items_of(current_user.id)
    evidence = evidence_store.gather(current_user.id)
    held = set(db.session.scalars(select(AccreditationRecord.level_key).where(
        AccreditationRecord.holder_id == current_user.id,
        AccreditationRecord.status.in_(("active", "expiring")))))
    evaluations = [applications.route_evaluation(level, "portfolio", evidence, items, standards)
                   for level in standards.levels.values()
                   if "portfolio" in level.routes and level.key not in held]
    uploaded: dict[int | None, list] = {}
    for file in db.session.scalars(select(EvidenceFile).where(
            EvidenceFile.portfolio_item_id.in_([i.id for i in items]))):
        uploaded.setdefault(file.portfolio_item_id, []).append(file)
    return render_template("accreditation/portfolio.html", items=items, uploaded=uploaded,
                           file_form=EvidenceFileForm(formdata=None),
                           file_errors=file_errors or {},
                           evaluations=evaluations, form=form or PortfolioItemForm(
                               formdata=None), button=EmptyForm(), new_link=new_link,
                           kinds=portfolio.KINDS), status


@bp.route("/portfolio")
@access.signed_in
def index():
    return _render()


@bp.route("/portfolio/items", methods=["POST"])
@access.signed_in
def add_item():
    form = PortfolioItemForm()
    if not form.validate_on_submit():
        return _render(form, status=422)
    try:
        item, token = portfolio.add_item(
            current_user, kind=form.kind.data, title=form.title.data,
            summary=form.summary.data, stages=form.stages.data or [],
            occurred_on=form.occurred_on.data, is_risk_assessment=form.is_risk_assessment.data,
            referee_name=form.referee_name.data, referee_email=form.referee_email.data)
    except portfolio.PortfolioError as problem:
        db.session.rollback()
        form.form_errors.append(str(problem))
        return _render(form, status=422)
    db.session.commit()
    if token and item.referee_email:  # emailed, never shown: only the referee can use it
        flash(_("Reference added. We have emailed a one-time link to %(email)s; it is not "
                "shown here, so only the referee can confirm.", email=item.referee_email),
              "success")
        return redirect(url_for("accreditation.portfolio.index"))
    if token:  # no address: shown once, and only its hash is kept
        # an address that leaves the site: built on LMS_BASE_URL, never the Host header
        return _render(new_link=urls.absolute_url("accreditation.portfolio.reference",
                                                  token=token))
    flash(_("%(kind)s added.", kind=portfolio.KINDS[item.kind]), "success")
    return redirect(url_for("accreditation.portfolio.index"))


@bp.route("/portfolio/items/<int:item_id>/remove", methods=["POST"])
@access.signed_in
def remove_item(item_id):
    item = db.session.get(PortfolioItem, item_id)
    if item is None or item.user_id != current_user.id:
        abort(404)
    if EmptyForm().validate_on_submit():
        commit_or_flash(lambda: portfolio.remove_item(item, current_user), success=_("Removed."),
                        refused=(portfolio.PortfolioError,))
    return redirect(url_for("accreditation.portfolio.index"))


@bp.route("/portfolio/items/<int:item_id>/files", methods=["POST"])
@access.signed_in
def upload(item_id):
    item = db.session.get(PortfolioItem, item_id)
    if item is None or item.user_id != current_user.id:
        abort(404)
    if item.application_id is not None:  # not on the page any more: say so at the top
        flash(_("Files can be added only to your own items not yet in an application."),
              "error")
        return redirect(url_for("accreditation.portfolio.index"))
    form = EvidenceFileForm()
    problem = next(iter(form.errors.values()))[0] if not form.validate_on_submit() else None
    if problem is None:
        # one byte over the limit is enough to refuse it
        data = form.file.data.read(policy.evidence_files("max_megabytes") * 1024 * 1024 + 1)
        try:
            files.save(current_user, form.file.data.filename or "", data,
                       redaction_confirmed=form.redacted.data, item=item)
        except files.FileRefused as refusal:
            db.session.rollback()
            problem = str(refusal)
    if problem:  # shown next to this item's file field
        return _render(status=422, file_errors={item.id: problem})
    db.session.commit()
    flash(_("File added."), "success")
    return redirect(url_for("accreditation.portfolio.index"))


@bp.route("/insurance/<int:insurance_id>/files", methods=["POST"])
@access.signed_in
def upload_insurance(insurance_id):
    insured = db.session.get(IndemnityInsurance, insurance_id)
    if insured is None or insured.user_id != current_user.id:
        abort(404)
    form = EvidenceFileForm()
    if form.validate_on_submit():
        data = form.file.data.read(policy.evidence_files("max_megabytes") * 1024 * 1024 + 1)
        try:
            files.save(current_user, form.file.data.filename or "", data,
                       redaction_confirmed=form.redacted.data, insurance=insured)
        except files.FileRefused as problem:
            db.session.rollback()
            flash(str(problem), "error")
        else:
            db.session.commit()
            flash(_("Insurance document added."), "success")
    else:
        flash(next(iter(form.errors.values()))[0], "error")
    return redirect(url_for("accreditation.pathway.pathway", _anchor="insurance"))


@bp.route("/files/<int:file_id>")
@access.signed_in
def download(file_id):
    record = db.session.get(EvidenceFile, file_id)
    if record is None or files.view_refusal(current_user, record):
        abort(404)
    return Response(files.read(record), mimetype=record.content_type, headers={
        "Content-Disposition": f'attachment; filename="{record.filename}"',
        "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"})


@bp.route("/apply/<level_key>/portfolio", methods=["POST"])
@access.signed_in
def apply(level_key):
    if EmptyForm().validate_on_submit():
        try:
            applications.apply(current_user, level_key, route="portfolio")
        except AccreditationError as refusal:
            db.session.rollback()
            flash(str(refusal), "error")
        else:
            db.session.commit()
            flash(_("Portfolio application sent. An assessor will arrange a professional "
                    "discussion with you."), "success")
    return redirect(url_for("accreditation.portfolio.index"))


@bp.route("/references/<token>", methods=["GET", "POST"])
@access.public
def reference(token):
    """The referee confirms, without an account. The link works once."""
    item = portfolio.reference_for_token(token[:100])
    if item is None:
        return render_template("accreditation/reference_used.html"), 404
    form = ReferenceForm()
    if form.validate_on_submit():
        portfolio.confirm_reference(item, referee_name=form.referee_name.data,
                                    statement=form.statement.data)
        db.session.commit()
        return render_template("accreditation/reference_thanks.html")
    return render_template("accreditation/reference.html", item=item, form=form)


@bp.route("/applications/<int:application_id>/discussion", methods=["POST"])
@access.assessor
def discussion(application_id):
    application = db.get_or_404(Application, application_id)
    if discussion_refusal(current_user, application):
        abort(403)
    form = DiscussionForm()
    if form.validate_on_submit():
        record_discussion(application, current_user, held_on=form.held_on.data,
                                   notes=form.notes.data)
        db.session.commit()
        flash(_("Professional discussion recorded."), "success")
    else:
        flash(next(iter(form.errors.values()))[0], "error")
    return redirect(url_for("accreditation.decisions.show", application_id=application_id))
