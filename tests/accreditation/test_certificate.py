"""The PDF certificate (lms.accreditation.certificate).

pypdf is not a project dependency, so the page text is read back here from an
uncompressed rendering: each text run is decoded through its font's ToUnicode map, the
same way a PDF reader extracts text to copy or search it.
"""

import re
from datetime import date

import pytest
import segno
from flask_babel import force_locale

from lms.accreditation.certificate import render_certificate


@pytest.fixture(autouse=True)
def clean_database():
    """No database here: override the suite's per-test database reset."""
    return


@pytest.fixture(autouse=True)
def request_context(app):
    """The certificate takes each language's wording from the app's catalogues."""
    with app.test_request_context():
        yield


VERIFY_URL = "https://lms.example.org/verify/RP-2025-00042"


def render(**overrides):
    values = {
        "holder_name": "Jordan Ellis",
        "level_name": "Accredited Restorative Facilitator",
        "level_name_cy": "Hwylusydd Adferol Achrededig",
        "identifier": "RP-2025-00042",
        "issued_on": date(2025, 3, 3),
        "expires_on": date(2028, 3, 2),
        "issuer_name": "Restorative Practice Accreditation Board",
        "verify_url": VERIFY_URL,
    }
    return render_certificate(**{**values, **overrides})


ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(literal: bytes) -> bytes:
    def replace(match):
        escaped = match.group(1)
        if escaped[:1].isdigit():
            return bytes([int(escaped, 8)])
        return ESCAPES.get(escaped, escaped)

    return re.sub(rb"\\([0-7]{1,3}|.)", replace, literal, flags=re.DOTALL)


def _cmaps(pdf: bytes) -> list[dict[int, str]]:
    maps = []
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", pdf, flags=re.DOTALL):
        pairs = re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block)
        maps.append({int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be")
                     for code, text in pairs})
    return maps


def page_text(pdf: bytes) -> list[str]:
    """Every text run on the page, decoded with each embedded font's ToUnicode map (runs
    decoded with the wrong font's map come out as noise and match nothing)."""
    runs = [_unescape(raw) for raw in re.findall(rb"\(((?:[^\\)]|\\.)*)\)\s*Tj", pdf,
                                                 flags=re.DOTALL)]
    maps = _cmaps(pdf)
    assert runs
    assert maps
    texts = []
    for run in runs:
        codes = [int.from_bytes(run[i:i + 2], "big") for i in range(0, len(run), 2)]
        texts.extend("".join(cmap.get(code, "\ufffd") for code in codes) for cmap in maps)
    return texts


def test_renders_a_one_page_pdf():
    pdf = render()

    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert b"/Count 1" in pdf
    assert b"/FlateDecode" in pdf


def test_page_is_a4_landscape():
    pdf = render(compress=False)
    match = re.search(rb"/MediaBox\s*\[\s*0\.?0*\s+0\.?0*\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert match
    width, height = float(match.group(1)), float(match.group(2))
    assert (round(width), round(height)) == (842, 595)


def test_shows_the_certificate_details():
    text = page_text(render(compress=False))

    for expected in [
        "Restorative Practice Accreditation Board",
        "Certificate of accreditation",
        "Jordan Ellis",
        "Accredited Restorative Facilitator",
        "Accredited from 3 March 2025 until 2 March 2028",
        "Certificate number: RP-2025-00042",
        f"Check this certificate at {VERIFY_URL}",
    ]:
        assert expected in text, expected


WELSH = [
    "Tystysgrif achredu",
    "Hwylusydd Adferol Achrededig",
    "Achrededig o 3 Mawrth 2025 hyd at 2 Mawrth 2028",
    "Rhif y dystysgrif: RP-2025-00042",
    f"Gwiriwch y dystysgrif hon yn {VERIFY_URL}",
]
ENGLISH = [
    "Certificate of accreditation",
    "Accredited Restorative Facilitator",
    "Accredited from 3 March 2025 until 2 March 2028",
    "Certificate number: RP-2025-00042",
    f"Check this certificate at {VERIFY_URL}",
]


@pytest.mark.parametrize("viewer", ["en", "cy"])
def test_is_bilingual_welsh_first_whatever_the_viewers_language(viewer):
    with force_locale(viewer):
        text = page_text(render(compress=False))

    for expected in WELSH + ENGLISH:
        assert expected in text, expected
    runs = [run for run in text if run in WELSH + ENGLISH]
    # Welsh first: each Welsh passage comes before its English counterpart.
    for welsh, english in zip(WELSH, ENGLISH, strict=True):
        assert runs.index(welsh) < runs.index(english), (welsh, english)
    assert "Mae hyn i dystio bod / This is to certify that" in text


def test_without_a_welsh_level_name_the_english_one_is_printed_once():
    text = page_text(render(level_name_cy=None, compress=False))

    assert "Tystysgrif achredu" in text
    assert sum(run.count("Accredited Restorative Facilitator") for run in text
               if "Accredited from" not in run) == 1


@pytest.mark.parametrize("name", [
    "Siân Ŵyn ap Rhŷs",
    "Łukasz Żółkiewski-Wrzesiński",
    "Zoë O'Brien-Ní Bhriain",
    "Ἀλέξανδρος Папандреу",
])
def test_names_beyond_latin_1_print_as_typed(name):
    assert name in page_text(render(holder_name=name, compress=False))


def test_a_long_name_is_shrunk_onto_one_line():
    name = "Maximiliana Ffion Llewellyn-ap-Gruffydd Szczęsna-Fitzwilliam"
    assert name in page_text(render(holder_name=name, compress=False))


def test_an_overlong_name_wraps_and_stays_on_one_page():
    name = " ".join(["Wrzesińska-Llewellyn"] * 12)
    pdf = render(holder_name=name, compress=False)

    assert b"/Count 1" in pdf
    wrapped = [run for run in page_text(pdf) if "Wrzesińska-Llewellyn" in run]
    assert len(wrapped) >= 2
    assert sum(run.count("Wrzesińska-Llewellyn") for run in wrapped) == 12


def test_contains_the_qr_code_image():
    pdf = render(compress=False)

    images = re.findall(rb"/Subtype\s*/Image", pdf)
    assert len(images) == 1
    image = pdf[pdf.index(b"/Subtype /Image") - 300:pdf.index(b"/Subtype /Image") + 300]
    width = int(re.search(rb"/Width (\d+)", image).group(1))
    height = int(re.search(rb"/Height (\d+)", image).group(1))
    # The size of the QR code for this address, at the scale the certificate draws it.
    assert (width, height) == segno.make(VERIFY_URL, error="m").symbol_size(scale=8, border=4)


def test_qr_code_differs_with_the_address():
    def image_stream(pdf):
        start = pdf.index(b"/Subtype /Image")
        return pdf[start:pdf.index(b"endstream", start)]

    assert image_stream(render()) != image_stream(render(
        verify_url="https://lms.example.org/verify/RP-2025-00043"))
