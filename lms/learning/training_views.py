"""Trainers' and leads' views of learners: progress, CSV export, enrolling in bulk."""

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms import access
from lms.csv_export import csv_lines, csv_text
from lms.extensions import db
from lms.i18n import gettext as _
from lms.i18n import ngettext
from lms.inputs.csv_files import csv_refusal
from lms.learning import training
from lms.learning.forms import EnrolConfirmForm, EnrolForm, LearnerFilterForm
from lms.learning.models import Course
from lms.learning.progress import progress_for
from lms.people.importing import decode_upload
from lms.schemes.models import Role
from lms.schemes.services import schemes_with_role
from lms.timezones import format_local

bp = Blueprint("training", __name__, url_prefix="/training")
STAFF = (Role.TRAINER, Role.LEAD)
PAGE_SIZE = 50
EXPORT_BATCH = 500


def _courses():
    return db.session.scalars(select(Course).where(Course.current_version_id.is_not(None))
                              .options(selectinload(Course.current_version))
                              .order_by(Course.id)).all()


def _filtered_query():
    courses, schemes = _courses(), schemes_with_role(current_user, *STAFF)
    form = LearnerFilterForm(courses, schemes, formdata=request.args)
    form.validate()
    course = next((c for c in courses if c.slug == form.course.data), None)
    scheme = next((s for s in schemes if s.slug == form.scheme.data), None)
    query = training.learners_query(
        None if current_user.is_admin else {s.id for s in schemes},
        course_id=course and course.id, scheme_id=scheme and scheme.id,
        status=form.status.data or "", search=form.q.data or "")
    return form, query


@bp.route("/learners")
@access.role(*STAFF)
def learners():
    form, query = _filtered_query()
    page = db.paginate(query, per_page=PAGE_SIZE, error_out=False)
    return render_template("learning/learners.html", form=form, page=page,
                           progress=progress_for(page.items))


@bp.route("/learners.csv")
@access.role(*STAFF)
def learners_csv():
    _form, query = _filtered_query()

    def rows():
        # Column headings in the reader's language (the status column keeps its codes).
        yield csv_text([_("name"), _("username"), _("course"), _("scheme"), _("status"),
                        _("progress_percent"), _("live_hours"), _("enrolled"), _("completed")],
                       [])
        batch = []
        for enrolment in db.session.scalars(query.execution_options(yield_per=EXPORT_BATCH)):
            batch.append(enrolment)
            if len(batch) == EXPORT_BATCH:
                yield _csv_batch(batch)
                batch = []
        if batch:
            yield _csv_batch(batch)

    return Response(stream_with_context(rows()), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=learners.csv"})


def _csv_batch(enrolments):
    progress = progress_for(enrolments)
    return csv_lines(
        (e.user.display_name, e.user.username, progress[e.id].version.title,
         e.scheme.name if e.scheme else "", progress[e.id].status, progress[e.id].percent,
         progress[e.id].live_hours, format_local(e.enrolled_at, "%Y-%m-%d"),
         format_local(e.completed_at, "%Y-%m-%d"))
        for e in enrolments)


@bp.route("/enrol", methods=["GET", "POST"])
@access.role(*STAFF)
def enrol():
    courses, schemes = _courses(), schemes_with_role(current_user, *STAFF)
    form = EnrolForm(courses, schemes)
    if form.validate_on_submit():
        text = form.usernames.data or ""
        if form.file.data:
            text = decode_upload(form.file.data.read())
            if text is None:
                form.file.errors.append(_("The file is not UTF-8 text. Save it as CSV UTF-8."))
        problem = csv_refusal(text) if text is not None else None
        if problem:
            (form.file if form.file.data else form.usernames).errors.append(problem)
        elif text is not None and not training.parse_usernames(text):
            form.usernames.errors.append(_("Enter at least one username, or choose a file."))
        if not form.errors:
            return _preview(form, courses, schemes, text)
    return render_template("learning/enrol.html", form=form)


def _preview(form, courses, schemes, text, status=200):
    course = next(c for c in courses if c.id == form.course.data)
    scheme = next(s for s in schemes if s.id == form.scheme.data)
    rows = training.preview_enrolments(course, scheme, text)
    confirm = EnrolConfirmForm(formdata=None, course=course.id, scheme=scheme.id,
                               usernames="\n".join(r.username for r in rows))
    return render_template("learning/enrol_preview.html", rows=rows, course=course,
                           scheme=scheme, confirm=confirm,
                           error_count=sum(1 for r in rows if r.errors)), status


@bp.route("/enrol/confirm", methods=["POST"])
@access.role(*STAFF)
def enrol_confirm():
    courses, schemes = _courses(), schemes_with_role(current_user, *STAFF)
    form = EnrolConfirmForm()
    course = next((c for c in courses if c.id == form.course.data), None)
    scheme = next((s for s in schemes if s.id == form.scheme.data), None)
    if not form.validate_on_submit() or course is None or scheme is None:
        flash(_("The enrolment could not be confirmed. Start again."), "error")
        return redirect(url_for("learning.training.enrol"))
    rows = training.preview_enrolments(course, scheme, form.usernames.data)
    if not rows or any(r.errors for r in rows):
        flash(_("Some rows are no longer valid. Nobody was enrolled."), "error")
        return render_template("learning/enrol_preview.html", rows=rows, course=course,
                               scheme=scheme, confirm=form,
                               error_count=sum(1 for r in rows if r.errors)), 409
    count = training.save_enrolments(course, scheme, rows, current_user)
    db.session.commit()
    current_app.logger.info("%s enrolled %d learners on %s", current_user.username, count,
                            course.slug)
    flash(ngettext("%(num)d learner enrolled on %(course)s.",
                   "%(num)d learners enrolled on %(course)s.", count,
                   course=str(course.current_version.local_title)), "success")
    return redirect(url_for("learning.training.learners", course=course.slug, scheme=scheme.slug))
