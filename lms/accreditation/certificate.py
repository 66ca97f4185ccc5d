"""The printable certificate of accreditation, rendered as a PDF on demand.

Text is set in DejaVu Sans, shipped in fonts/ (licence in fonts/LICENSE), so names in
any Latin, Greek or Cyrillic script print as typed: Welsh ŵ and ŷ, Polish ł, and so on.
The QR code and the printed address lead to the public verification page, which shows
the record's current status, so a revoked certificate cannot pass for a valid one.

The certificate is bilingual whatever the viewer's language, as Welsh public bodies issue
them: each passage is printed in Welsh first, then in English directly below it, in the
same size and weight (Welsh Language Standards: Welsh not treated less favourably, and
placed to be read first). Each language's wording comes from its gettext catalogue.
"""

import io
from datetime import date
from pathlib import Path

import segno
from babel.dates import format_date
from flask_babel import force_locale
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from lms.i18n import gettext as _

FONT_DIR = Path(__file__).parent / "fonts"
FONT = "DejaVuSans"
INK = (33, 37, 41)
ACCENT = (31, 78, 121)
MUTED = (90, 98, 106)
QR_SIZE = 38  # mm, printed
MARGIN = 18  # mm, inside the page edge
#: Welsh first, then English.
LANGUAGES = ("cy", "en")


def _long_date(day: date, language: str) -> str:
    return format_date(day, "d MMMM y", locale=language)


def _wording(language: str, *, holder_name: str, identifier: str, issued_on: date,
             expires_on: date, verify_url: str) -> dict[str, str]:
    """The certificate's fixed text in one language, whatever the request's language."""
    with force_locale(language):
        return {
            "title": _("Certificate of accreditation"),
            "doc_title": _("Certificate of accreditation: %(name)s", name=holder_name),
            "certify": _("This is to certify that"),
            "accredited_as": _("is accredited as"),
            "period": _("Accredited from %(start)s until %(end)s",
                        start=_long_date(issued_on, language),
                        end=_long_date(expires_on, language)),
            "number": _("Certificate number: %(number)s", number=identifier),
            "check": _("Check this certificate at %(url)s", url=verify_url),
            "current": _("The page shows whether the accreditation is still current."),
            "qr": _("QR code linking to %(url)s", url=verify_url),
        }


def add_fonts(pdf: FPDF) -> None:
    """DejaVu Sans, regular and bold, under the name FONT (every certificate uses these)."""
    pdf.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")


def draw_logo(pdf: FPDF, logo: Path | None) -> None:
    """The scheme's or network's logo in the top left corner, if there is one. A logo fpdf2
    cannot draw (an unusual SVG) is left out rather than spoil the certificate."""
    if logo is None:
        return
    try:
        pdf.image(str(logo), x=MARGIN, y=MARGIN, h=16, keep_aspect_ratio=True,
                  alt_text="Logo")
    except Exception:  # any failure to draw a logo must not stop a certificate
        return


def fitted_line(pdf: FPDF, text: str, *, size: float, bold: bool = False,
                 colour: tuple[int, int, int] = INK, min_size: float = 12) -> None:
    """One centred line, its type shrunk (down to min_size) until it fits the width."""
    width = pdf.epw
    pdf.set_font(FONT, "B" if bold else "", size)
    while size > min_size and pdf.get_string_width(text) > width:
        size -= 1
        pdf.set_font_size(size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(width, size * 0.5, text, align=Align.C, new_x=XPos.LMARGIN,
                   new_y=YPos.NEXT)


def _qr_png(url: str) -> io.BytesIO:
    image = io.BytesIO()
    segno.make(url, error="m").save(image, kind="png", scale=8, border=4)
    image.seek(0)
    return image


def render_certificate(*, holder_name: str, level_name: str, identifier: str,
                       issued_on: date, expires_on: date, issuer_name: str, verify_url: str,
                       level_name_cy: str | None = None, compress: bool = True,
                       logo: Path | None = None) -> bytes:
    """A4 landscape certificate as PDF bytes, in Welsh and English. `level_name_cy` is the
    level's Welsh name from the standards (the English name alone if there is none).
    `logo` is the scheme's or network's logo, drawn in the top left corner if given.
    `compress=False` leaves the page content readable, for tests."""
    cy, en = (_wording(language, holder_name=holder_name, identifier=identifier,
                       issued_on=issued_on, expires_on=expires_on, verify_url=verify_url)
              for language in LANGUAGES)
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_compression(compress)
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN + 12, MARGIN + 14, MARGIN + 12)
    add_fonts(pdf)
    pdf.set_title(f"{cy['doc_title']} / {en['doc_title']}")
    pdf.set_author(issuer_name)
    pdf.set_creator(issuer_name)
    pdf.add_page()

    # A double rule around the page, inside the printable area of most printers.
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(MARGIN - 6, MARGIN - 6, pdf.w - 2 * (MARGIN - 6), pdf.h - 2 * (MARGIN - 6))
    pdf.set_line_width(0.3)
    pdf.rect(MARGIN - 3, MARGIN - 3, pdf.w - 2 * (MARGIN - 3), pdf.h - 2 * (MARGIN - 3))
    draw_logo(pdf, logo)
    pdf.set_xy(pdf.l_margin, pdf.t_margin)

    fitted_line(pdf, issuer_name, size=15, bold=True, colour=ACCENT)
    pdf.ln(6)
    for words in (cy, en):
        fitted_line(pdf, words["title"], size=26, bold=True)
    pdf.ln(6)
    fitted_line(pdf, f"{cy['certify']} / {en['certify']}", size=12, colour=MUTED)
    pdf.ln(3)
    fitted_line(pdf, holder_name, size=28, bold=True, colour=ACCENT, min_size=14)
    pdf.ln(3)
    fitted_line(pdf, f"{cy['accredited_as']} / {en['accredited_as']}", size=12,
                colour=MUTED)
    pdf.ln(2)
    for name in dict.fromkeys(filter(None, (level_name_cy, level_name))):
        fitted_line(pdf, name, size=18, bold=True, min_size=11)
    pdf.ln(5)
    for words in (cy, en):
        fitted_line(pdf, words["period"], size=12)

    # Footer: identifier and verification address on the left, the QR code on the right.
    bottom = pdf.h - MARGIN - 6
    qr_x = pdf.w - MARGIN - 6 - QR_SIZE
    pdf.image(_qr_png(verify_url), x=qr_x, y=bottom - QR_SIZE, w=QR_SIZE, h=QR_SIZE,
              alt_text=f"{cy['qr']} / {en['qr']}")
    text_width = qr_x - pdf.l_margin - 6
    pdf.set_xy(pdf.l_margin, bottom - 27)
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*MUTED)
    for line in (cy["number"], en["number"], cy["check"], en["check"], cy["current"],
                 en["current"]):
        pdf.multi_cell(text_width, 4.5, line, align=Align.L, new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
    return bytes(pdf.output())
