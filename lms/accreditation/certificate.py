"""The printable certificate of accreditation, rendered as a PDF on demand.

Text is set in DejaVu Sans, shipped in fonts/ (licence in fonts/LICENSE), so names in
any Latin, Greek or Cyrillic script print as typed: Welsh ŵ and ŷ, Polish ł, and so on.
The QR code and the printed address lead to the public verification page, which shows
the record's current status, so a revoked certificate cannot pass for a valid one.
"""

import io
from datetime import date
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

FONT_DIR = Path(__file__).parent / "fonts"
FONT = "DejaVuSans"
INK = (33, 37, 41)
ACCENT = (31, 78, 121)
MUTED = (90, 98, 106)
QR_SIZE = 38  # mm, printed
MARGIN = 18  # mm, inside the page edge


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


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
                       compress: bool = True, logo: Path | None = None) -> bytes:
    """A4 landscape certificate as PDF bytes. `compress=False` leaves the page content
    readable, for tests."""
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_compression(compress)
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN + 12, MARGIN + 14, MARGIN + 12)
    add_fonts(pdf)
    pdf.set_title(f"Certificate of accreditation: {holder_name}")
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
    pdf.ln(8)
    fitted_line(pdf, "Certificate of accreditation", size=32, bold=True)
    pdf.ln(10)
    fitted_line(pdf, "This is to certify that", size=13, colour=MUTED)
    pdf.ln(4)
    fitted_line(pdf, holder_name, size=30, bold=True, colour=ACCENT, min_size=14)
    pdf.ln(4)
    fitted_line(pdf, "is accredited as", size=13, colour=MUTED)
    pdf.ln(3)
    fitted_line(pdf, level_name, size=20, bold=True, min_size=11)
    pdf.ln(8)
    fitted_line(pdf, f"Accredited from {_long_date(issued_on)} until {_long_date(expires_on)}",
                 size=13)

    # Footer: identifier and verification address on the left, the QR code on the right.
    bottom = pdf.h - MARGIN - 6
    qr_x = pdf.w - MARGIN - 6 - QR_SIZE
    pdf.image(_qr_png(verify_url), x=qr_x, y=bottom - QR_SIZE, w=QR_SIZE, h=QR_SIZE,
              alt_text=f"QR code linking to {verify_url}")
    text_width = qr_x - pdf.l_margin - 6
    pdf.set_xy(pdf.l_margin, bottom - 24)
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*MUTED)
    for line in (f"Certificate number: {identifier}",
                 f"Check this certificate at {verify_url}",
                 "The page shows whether the accreditation is still current."):
        pdf.multi_cell(text_width, 5, line, align=Align.L, new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
    return bytes(pdf.output())
