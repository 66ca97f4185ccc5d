"""The certificate of completion of a course, for the learner and those who train them."""

from flask import Blueprint, Response, current_app
from flask_login import current_user

from lms import access
from lms.branding import logo_file, product_name
from lms.learning import completion

bp = Blueprint("completion", __name__)


@bp.route("/enrolments/<int:enrolment_id>/certificate.pdf")
@access.signed_in
def certificate(enrolment_id):
    enrolment = completion.get_completed_enrolment_or_404(enrolment_id, for_=current_user)
    pdf = completion.render(enrolment, issuer_name=current_app.config["ISSUER_NAME"],
                            product=product_name(), logo=logo_file())
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition":
            f'inline; filename="completion-{enrolment.course.slug}-{enrolment.id}.pdf"'})
