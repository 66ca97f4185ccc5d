"""The rules behind bad-input handling, one function at a time."""

from decimal import Decimal

import pytest
from wtforms import DecimalField
from wtforms.validators import NumberRange

from lms.forms import BaseForm
from lms.inputs.converters import MAX_ID, database_id, whole_number
from lms.inputs.csv_files import csv_refusal
from lms.inputs.text import clean_name, header_safe, strip_controls, unstorable
from lms.pagination import MAX_PAGE, number_from_query


@pytest.mark.parametrize(("raw", "expected"), [
    ("7", 7), ("0", 0), ("\u00b2", None), ("\u0663", None), ("-1", None), ("1e3", None),
    (" 7", None), ("9" * 5000, None), ("11", None), (None, None),
])
def test_whole_number_is_ascii_digits_within_the_maximum(raw, expected):
    assert whole_number(raw, 10) == expected


def test_database_ids_are_within_the_integer_column():
    assert database_id(str(MAX_ID)) == MAX_ID
    assert database_id(str(MAX_ID + 1)) is None
    assert database_id("0") is None


@pytest.mark.parametrize(("value", "expected"), [
    ("a\x00b", True), ("\ud800", True), ("plain \u00e9 \u202e", False),
])
def test_unstorable_text_is_nul_or_a_lone_surrogate(value, expected):
    assert unstorable(value) is expected


def test_names_are_one_clean_line():
    assert clean_name("  \u202eAnn\u202c\r\n\tvan\u2066 der\x1b  Berg\ufeff ") == "Ann van der Berg"
    assert clean_name("\u0645\u200c\u06cc") == "\u0645\u200c\u06cc"  # ZWNJ kept for Persian
    assert clean_name(None) is None


def test_multi_line_text_keeps_line_breaks_and_tabs_only():
    assert strip_controls("a\r\n\tb\x07\x1bc\x85", multiline=True) == "a\r\n\tbc"
    assert strip_controls("a\r\nb\x07", multiline=False) == "a  b"


def test_header_values_are_one_line():
    assert header_safe("Hi\r\nBcc: x@example.org") == "Hi Bcc: x@example.org"


def test_csv_refusals_name_the_line():
    assert csv_refusal("a,b\nc,d\n") is None
    assert csv_refusal("a,b\n" + "x" * 1001 + ",d\n").startswith("Line 2:")
    assert csv_refusal('a,b\n"' + "x" * 200_000).startswith("Line 2:")
    assert "NUL" in csv_refusal("a,b\x00\n")


@pytest.mark.parametrize(("raw", "expected"), [
    ("3", 3), ("0", 1), ("", 1), ("\u00b2", 1), ("-2", 1), ("99999999999999999999", MAX_PAGE),
    (str(MAX_PAGE + 1), MAX_PAGE),
])
def test_page_numbers_from_the_query_string_are_bounded(app, raw, expected):
    with app.test_request_context("/", query_string={"page": raw}):
        assert number_from_query("page", 1, MAX_PAGE) == expected


@pytest.mark.parametrize("value", [Decimal("sNaN"), Decimal("NaN"), Decimal("-Infinity"),
                                   float("nan"), float("inf")])
def test_decimal_fields_refuse_values_that_are_not_numbers(app, value):
    class HoursForm(BaseForm):
        class Meta:
            csrf = False

        hours = DecimalField(validators=[NumberRange(0, 10)])

    with app.test_request_context("/"):
        form = HoursForm(formdata=None, data={"hours": value})
        assert not form.validate()
        assert form.hours.errors == ["Enter a number, e.g. 1.5."]
