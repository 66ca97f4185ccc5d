"""A restorative process: log an instant resolution, see the process, invite and confirm
practitioners, record outcomes, take-up and feedback."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from lms import access, clock
from lms.auth.models import User
from lms.extensions import db
from lms.forms import EmptyForm
from lms.i18n import gettext as _
from lms.practice.models import PracticeRecord
from lms.processes import catalogue, services
from lms.processes.forms import (
    FeedbackCodeForm,
    InstantResolutionForm,
    InviteForm,
    PaperFeedbackForm,
    TakeUpForm,
    outcomes_form,
)
from lms.processes.models import (
    FeedbackCode,
    FeedbackResponse,
    ProcessParticipant,
    RestorativeProcess,
)
from lms.views_helpers import commit_or_flash

REFUSED = (services.ProcessError,)

bp = Blueprint("process", __name__, url_prefix="/processes")


@bp.app_context_processor
def process_vocabulary():
    return {"process_settings": catalogue.SETTINGS, "involvements": catalogue.INVOLVEMENTS,
            "funnel_stages": catalogue.FUNNEL, "parties": catalogue.PARTIES,
            "outcome_answers": catalogue.ANSWERS, "recommend_answers": catalogue.RECOMMEND,
            # a function, not a dict of translated labels: every page's context is built
            # with this, and only process pages show an outcome
            "outcome_label": catalogue.outcome_label}


def pending_for(user: User) -> list[ProcessParticipant]:
    """Parts in processes waiting for `user` to confirm them."""
    return list(db.session.scalars(
        select(ProcessParticipant).where(ProcessParticipant.user_id == user.id,
                                         ProcessParticipant.confirmed_at.is_(None))
        .order_by(ProcessParticipant.id)
        .options(selectinload(ProcessParticipant.process)
                 .selectinload(RestorativeProcess.participants)
                 .selectinload(ProcessParticipant.user))))


def without_a_record(user: User, limit: int = 20) -> list[RestorativeProcess]:
    """Processes `user` confirmed that have no practice record of theirs: instant
    resolutions and observed processes, newest first."""
    theirs = exists().where(PracticeRecord.process_id == RestorativeProcess.id,
                            PracticeRecord.author_id == user.id)
    return list(db.session.scalars(
        select(RestorativeProcess).join(ProcessParticipant)
        .where(ProcessParticipant.user_id == user.id,
               ProcessParticipant.confirmed_at.is_not(None), ~theirs)
        .order_by(RestorativeProcess.occurred_on.desc(), RestorativeProcess.id.desc())
        .limit(limit)))


def get_process_or_404(process_id: int, *, for_: User, manage=False) -> RestorativeProcess:
    """404 unless `for_` may see it; 403 when they may see it but not manage it."""
    process = db.session.scalar(
        select(RestorativeProcess).where(RestorativeProcess.id == process_id)
        .options(selectinload(RestorativeProcess.participants)
                 .selectinload(ProcessParticipant.user),
                 selectinload(RestorativeProcess.harms),
                 selectinload(RestorativeProcess.outcomes),
                 selectinload(RestorativeProcess.take_up),
                 selectinload(RestorativeProcess.scheme)))
    if process is None or not process.viewable(for_):
        abort(404)
    if manage and process.manage_refusal(for_):
        abort(403)
    return process


def _to_process(process):
    return redirect(url_for("processes.process.show", process_id=process.id))


@bp.route("/instant", methods=["GET", "POST"])
@access.signed_in
def instant():
    schemes = list({m.scheme_id: m.scheme for m in current_user.memberships}.values())
    if not schemes:
        flash(_("You need a role in a scheme before you can log practice."), "info")
        return redirect(url_for("practice.records.index"))
    form = InstantResolutionForm(schemes, data={"occurred_on": clock.today()})
    if form.validate_on_submit():
        facts = services.Facts(
            scheme_id=form.scheme.data, occurred_on=form.occurred_on.data,
            setting=form.setting.data, process_type="instant",
            involvement=form.involvement.data, harms=[form.harm.data])
        refusals = services.facts_refusals(facts)
        fields = {"setting": form.setting, "process_type": form.setting,
                  "involvement": form.involvement, "harms": form.harm}
        for name, message in refusals.items():
            fields[name].errors.append(message)
        if not refusals:
            made: dict[str, RestorativeProcess] = {}

            def log():
                made["process"] = services.start(facts, current_user)
                services.record_outcomes(
                    made["process"], current_user,
                    answers={"agreement_reached": form.agreement_reached.data},
                    items_agreed=None, items_completed=None)

            if commit_or_flash(log, refused=REFUSED, success=lambda: _(
                    "Instant resolution logged as %(code)s.", code=made["process"].case_code)):
                return _to_process(made["process"])
    return render_template("processes/instant.html", form=form)


@bp.route("/<int:process_id>")
@access.signed_in
def show(process_id):
    process = get_process_or_404(process_id, for_=current_user)
    mine = process.participant(current_user)
    can_manage = process.manage_refusal(current_user) is None
    feedback = db.session.execute(
        select(db.func.count(FeedbackResponse.id)).where(
            FeedbackResponse.process_id == process.id)).scalar_one()
    return render_template(
        "processes/show.html", process=process, mine=mine, can_manage=can_manage,
        button=EmptyForm(), feedback_count=feedback,
        invite_form=InviteForm(services.scheme_members({process.scheme_id},
                                                       excluding=current_user))
        if mine and mine.confirmed_at else None)


@bp.route("/<int:process_id>/invite", methods=["POST"])
@access.signed_in
def invite(process_id):
    process = get_process_or_404(process_id, for_=current_user)
    form = InviteForm(services.scheme_members({process.scheme_id}, excluding=current_user))
    person = db.session.get(User, form.person.data or 0) if form.validate_on_submit() else None
    if person is not None:
        commit_or_flash(lambda: services.invite(process, person, role=form.role.data,
                                                by=current_user),
                        refused=REFUSED, success=_("%(name)s has been asked to confirm their "
                                                   "part.", name=person.display_name))
    else:
        flash(_("Choose a colleague and their role."), "error")
    return _to_process(process)


def _participant_or_404(participant_id) -> ProcessParticipant:
    participant = db.session.get(ProcessParticipant, participant_id)
    # nobody confirms for someone else: another person's invitation is not found
    if participant is None or participant.user_id != current_user.id:
        abort(404)
    return participant


@bp.route("/parts/<int:participant_id>/confirm", methods=["POST"])
@access.signed_in
def confirm(participant_id):
    participant = _participant_or_404(participant_id)
    made: dict[str, PracticeRecord | None] = {}
    if EmptyForm().validate_on_submit() and commit_or_flash(
            lambda: made.setdefault("record", services.confirm(participant, current_user)),
            refused=REFUSED, success=_("Confirmed. Add your reflection to your practice "
                                       "record of this process.")):
        record = made.get("record")
        if record is not None:
            return redirect(url_for("practice.records.edit", record_id=record.id))
        return redirect(url_for("processes.process.show", process_id=participant.process_id))
    return redirect(url_for("practice.records.index"))


@bp.route("/parts/<int:participant_id>/decline", methods=["POST"])
@access.signed_in
def decline(participant_id):
    participant = _participant_or_404(participant_id)
    if EmptyForm().validate_on_submit():
        commit_or_flash(lambda: services.decline(participant, current_user), refused=REFUSED,
                        success=_("Removed: you are not shown as part of that process."))
    return redirect(url_for("practice.records.index"))


@bp.route("/<int:process_id>/outcomes", methods=["GET", "POST"])
@access.signed_in
def outcomes(process_id):
    process = get_process_or_404(process_id, for_=current_user, manage=True)
    form = outcomes_form(process.setting, data={
        **process.answers(), "items_agreed": process.items_agreed,
        "items_completed": process.items_completed})
    if form.validate_on_submit() and commit_or_flash(
            lambda: services.record_outcomes(
                process, current_user, answers=form.answers(),
                items_agreed=form.items_agreed.data, items_completed=form.items_completed.data),
            refused=REFUSED, success=_("Outcomes saved.")):
        return _to_process(process)
    return render_template("processes/outcomes.html", process=process, form=form)


@bp.route("/<int:process_id>/take-up", methods=["GET", "POST"])
@access.signed_in
def take_up(process_id):
    process = get_process_or_404(process_id, for_=current_user, manage=True)
    saved = {t.party: {k: getattr(t, k) for k in catalogue.FUNNEL} for t in process.take_up}
    form = TakeUpForm(data=saved)
    problems: dict[str, str] = {}
    if form.validate_on_submit():
        counts = {party: dict(form[party].data) for party in catalogue.PARTIES}
        problems = {party: problem for party, numbers in counts.items()
                    if (problem := services.take_up_refusal(numbers))}
        if not problems and commit_or_flash(
                lambda: services.record_take_up(process, current_user, counts=counts),
                refused=REFUSED, success=_("Take-up saved.")):
            return _to_process(process)
    return render_template("processes/take_up.html", process=process, form=form,
                           problems=problems)


def _feedback_page(process, *, code_form=None, paper_form=None, new_code=None):
    codes = list(db.session.scalars(select(FeedbackCode).where(
        FeedbackCode.process_id == process.id).order_by(FeedbackCode.id)))
    return render_template(
        "processes/feedback.html", process=process, new_code=new_code, codes=codes,
        code_form=code_form or FeedbackCodeForm(formdata=None),
        paper_form=paper_form or PaperFeedbackForm(formdata=None))


@bp.route("/<int:process_id>/feedback")
@access.signed_in
def feedback(process_id):
    """Make a one-time code for participants, and enter answers given on paper."""
    return _feedback_page(get_process_or_404(process_id, for_=current_user, manage=True))


@bp.route("/<int:process_id>/feedback/code", methods=["POST"])
@access.signed_in
def feedback_code(process_id):
    process = get_process_or_404(process_id, for_=current_user, manage=True)
    form = FeedbackCodeForm()
    made: dict[str, str] = {}
    if form.validate_on_submit() and commit_or_flash(
            lambda: made.setdefault("code", services.make_feedback_code(
                process, current_user, max_answers=form.max_answers.data)),
            refused=REFUSED, success=_("Code made. Write it down now: it is shown only "
                                       "once.")):
        # shown once, on this page: only its hash is kept
        return _feedback_page(process, new_code=made["code"])
    return _feedback_page(process, code_form=form)


@bp.route("/<int:process_id>/feedback/paper", methods=["POST"])
@access.signed_in
def feedback_paper(process_id):
    process = get_process_or_404(process_id, for_=current_user, manage=True)
    form = PaperFeedbackForm()
    if form.validate_on_submit() and commit_or_flash(
            lambda: services.enter_paper_feedback(
                process, current_user, satisfaction=int(form.satisfaction.data)
                if form.satisfaction.data else None,
                recommend=form.recommend.data or None, comment=form.comment.data or ""),
            refused=REFUSED, success=_("Paper answers saved.")):
        return redirect(url_for("processes.process.feedback", process_id=process.id))
    return _feedback_page(process, paper_form=form)
