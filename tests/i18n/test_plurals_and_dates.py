"""Counts and dates in the page's language: Welsh has six plural forms (n = 0, 1, 2, 3, 6,
other), English two; month and day names follow the language; times are UK time."""

from datetime import UTC, datetime

import pytest
from flask import render_template_string
from flask_babel import force_locale

from lms.templating import (
    days_ago,
    local_date,
    local_datetime,
    local_time,
    plural,
    utc_datetime,
)
from tests.helpers import login_as

WELSH_PEOPLE = {0: "0 person", 1: "1 person", 2: "2 berson", 3: "3 pherson", 6: "6 pherson",
                10: "10 person"}


@pytest.mark.parametrize(("count", "words"), sorted(WELSH_PEOPLE.items()))
def test_welsh_plural_forms_through_the_filter(app, count, words):
    with app.test_request_context(), force_locale("cy"):
        assert plural(count, "person", "people") == words
        assert render_template_string("{{ n | plural('person', 'people') }}", n=count) == words


@pytest.mark.parametrize(("count", "words"), [(0, "0 people"), (1, "1 person"),
                                              (2, "2 people"), (6, "6 people")])
def test_english_plural_forms(app, count, words):
    with app.test_request_context(), force_locale("en"):
        assert plural(count, "person", "people") == words
        assert render_template_string(
            "{{ ngettext('%(num)d person', '%(num)d people', n) }}", n=count) == words


def test_a_unit_the_filter_does_not_know_stays_as_before(app):
    with app.test_request_context(), force_locale("en"):
        assert plural(2, "widget") == "2 widgets"
        assert plural(1.5, "hour") == "1.5 hours"


def test_a_real_page_counts_in_welsh(app, make_scheme, make_user):
    scheme = make_scheme()
    lead = make_user(role="lead", scheme=scheme)
    make_user(role="trainee", scheme=scheme)
    client = login_as(app, lead)
    client.post("/language", data={"language": "cy", "next": "/"})
    page = client.get("/people/").get_data(as_text=True)
    assert "2 berson." in page  # the lead and the trainee
    client.post("/language", data={"language": "en", "next": "/"})
    assert "2 people." in client.get("/people/").get_data(as_text=True)


def test_dates_and_times_in_welsh_and_english_in_uk_time(app):
    moment = datetime(2026, 7, 6, 23, 30, tzinfo=UTC)  # 00:30 on the 7th in London (BST)
    with app.test_request_context():
        with force_locale("en"):
            assert local_date(moment) == "07 Jul 2026"
            assert local_datetime(moment) == "Tue 07 Jul 2026, 00:30"
            assert local_time(moment) == "00:30"
        with force_locale("cy"):
            assert local_date(moment) == "07 Gorff 2026"
            assert local_datetime(moment).startswith("Maw 07 Gorff 2026")
            assert local_time(moment) == "00:30"
        assert local_date(None) == local_datetime(None) == local_time(None) == ""


def test_days_ago_in_welsh(app, monkeypatch):
    from lms import clock
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    monkeypatch.setattr(clock, "utcnow", lambda: now)
    with app.test_request_context(), force_locale("cy"):
        assert days_ago(now) == "heddiw"
        assert days_ago(datetime(2026, 11, 28, 12, 0, tzinfo=UTC)) == "2 ddiwrnod"
    # the words are kept per day count and language: English after Welsh is English
    with app.test_request_context(), force_locale("en"):
        assert days_ago(now) == "today"
        assert days_ago(datetime(2026, 11, 28, 12, 0, tzinfo=UTC)) == "2 days"
    with app.test_request_context(), force_locale("cy"):
        assert days_ago(datetime(2026, 11, 28, 12, 0, tzinfo=UTC)) == "2 ddiwrnod"


def test_the_locale_name_is_babels_own(app):
    from babel import Locale

    from lms.i18n import locale_name

    for code in ("en", "cy"):
        with app.test_request_context(), force_locale(code):
            assert locale_name() == code == str(Locale.parse(code))


def test_local_date_gives_what_flask_babel_gives_in_uk_time_and_either_language(app):
    """local_date remembers each day's text per language: the same as Flask-Babel's, with
    a moment after 23:00 UTC in summer already the next day in London."""
    from datetime import UTC, date, datetime

    from flask_babel import format_date

    from lms.templating import local_date
    moments = [date(2026, 3, 1), datetime(2026, 7, 31, 23, 30, tzinfo=UTC),
               datetime(2026, 7, 31, 23, 30), datetime(2026, 12, 31, 23, 30, tzinfo=UTC)]
    for language in ("en", "cy"):
        with app.test_request_context(headers={"Accept-Language": language}):
            app.preprocess_request()
            for moment in moments:
                assert local_date(moment) == format_date(moment, "dd MMM yyyy")
            assert local_date(moments[1]) == local_date(date(2026, 8, 1))
    with app.test_request_context(headers={"Accept-Language": "cy"}):
        app.preprocess_request()
        assert local_date(date(2026, 8, 1)) != "01 Aug 2026"  # Welsh, not the English kept
    assert local_date(None) == ""


def test_utc_moments_in_either_language_stay_in_utc(app):
    """A verification's "checked at ... UTC": the month in the page's language, the time
    not moved to UK summer time."""
    summer = datetime(2026, 7, 6, 23, 30, tzinfo=UTC)
    with app.test_request_context():
        with force_locale("en"):
            assert utc_datetime(summer) == "06 Jul 2026 23:30"
            assert utc_datetime(datetime(2026, 12, 1, 1, 52)) == "01 Dec 2026 01:52"
        with force_locale("cy"):
            assert utc_datetime(summer) == "06 Gorff 2026 23:30"
            assert utc_datetime(datetime(2026, 12, 1, 1, 52)) == "01 Rhag 2026 01:52"
        assert utc_datetime(None) == ""
