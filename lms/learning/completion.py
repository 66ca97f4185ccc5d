"""The certificate of completion of a course: a record of training finished, printed as a
PDF on demand. It is not accreditation, and says so: accreditation is decided by assessors
on practice evidence (see lms/accreditation)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import abort
from flask_babel import format_date
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.accreditation.certificate import (
    ACCENT,
    FONT,
    MARGIN,
    MUTED,
    add_fonts,
    draw_logo,
    fitted_line,
)
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import gettext as _
from lms.learning.models import Enrolment
from lms.schemes.models import Role
from lms.timezones import local

#: Those who may download a learner's certificate besides the learner and admins.
STAFF_ROLES = (Role.LEAD, Role.TRAINER)


def get_completed_enrolment_or_404(enrolment_id: int, *, for_: User) -> Enrolment:
    """A completed enrolment that `for_` may see: 404 otherwise (not 403, so that nobody
    learns which enrolments exist)."""
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.id == enrolment_id).options(
        selectinload(Enrolment.user).selectinload(User.memberships),
        selectinload(Enrolment.completed_version), selectinload(Enrolment.course)))
    if enrolment is None or enrolment.completed_at is None \
            or not can_download(for_, enrolment):
        abort(404)
    return enrolment


def can_download(user: User, enrolment: Enrolment) -> bool:
    """The learner, an admin, or a lead or trainer of a scheme the learner belongs to."""
    if user.is_admin or user.id == enrolment.user_id:
        return True
    learner_schemes = {m.scheme_id for m in enrolment.user.memberships}
    if enrolment.scheme_id is not None:
        learner_schemes.add(enrolment.scheme_id)
    return bool(learner_schemes & user.scheme_ids_with(*STAFF_ROLES))


def _long_date(day: date) -> str:
    """E.g. 14 March 2027, or 14 Mawrth 2027 in Welsh: in the request's language."""
    return format_date(day, "d MMMM y")


def render(enrolment: Enrolment, *, issuer_name: str, product: str,
           logo: Path | None = None, compress: bool = True) -> bytes:
    """A4 landscape PDF. `compress=False` leaves the page content readable, for tests."""
    version = enrolment.completed_version or enrolment.course.current_version
    title = version.title if version else enrolment.course.slug
    holder = enrolment.user.display_name
    completed_on = local(enrolment.completed_at).date() if enrolment.completed_at else None
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_compression(compress)
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN + 12, MARGIN + 14, MARGIN + 12)
    add_fonts(pdf)
    pdf.set_title(_("Certificate of completion: %(name)s", name=holder))
    pdf.set_author(issuer_name)
    pdf.set_creator(product)
    pdf.add_page()
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.6)
    pdf.rect(MARGIN - 4, MARGIN - 4, pdf.w - 2 * (MARGIN - 4), pdf.h - 2 * (MARGIN - 4))
    draw_logo(pdf, logo)
    pdf.set_xy(pdf.l_margin, pdf.t_margin)

    fitted_line(pdf, issuer_name, size=15, bold=True, colour=ACCENT)
    pdf.ln(8)
    fitted_line(pdf, _("Certificate of completion of training"), size=28, bold=True)
    pdf.ln(10)
    fitted_line(pdf, _("This is to certify that"), size=13, colour=MUTED)
    pdf.ln(4)
    fitted_line(pdf, holder, size=28, bold=True, colour=ACCENT, min_size=14)
    pdf.ln(4)
    fitted_line(pdf, _("has completed the course"), size=13, colour=MUTED)
    pdf.ln(3)
    fitted_line(pdf, title, size=20, bold=True, min_size=11)
    if completed_on:
        pdf.ln(8)
        fitted_line(pdf, _("Completed on %(date)s", date=_long_date(completed_on)), size=13)

    pdf.set_xy(pdf.l_margin, pdf.h - MARGIN - 22)
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(pdf.epw, 5, _(
        "This certificate records the completion of training. It is not a certificate of "
        "accreditation: accreditation is decided separately, on evidence of practice."),
        align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.multi_cell(pdf.epw, 5, product, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
