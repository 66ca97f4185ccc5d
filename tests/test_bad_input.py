"""Bad input gets a clear answer, never a server error: one test per cause found."""

import io
import re
import threading
from datetime import date

import pytest
from sqlalchemy import event, func, select

from lms.accreditation.models import Attestation
from lms.auth.models import User
from lms.extensions import db
from lms.learning.models import Course, Enrolment
from lms.practice.models import CpdEntry, PracticeRecord
from lms.schemes.models import Scheme
from tests.helpers import check_form, login_as
from tests.learning.conftest import load, write_catalogue
from tests.practice.conftest import create_record

NUL_REFUSAL = "hidden control character (a NUL byte)"


@pytest.fixture
def catalogue(app, tmp_path):
    load(app, write_catalogue(tmp_path / "courses"))
    with app.app_context():
        return {c.slug: c.id for c in db.session.scalars(select(Course))}


@pytest.fixture
def admin(make_user):
    return make_user(is_admin=True)


# 1. NUL bytes (PostgreSQL refuses them in text: every query that used one was a 500)

@pytest.mark.parametrize(("method", "url", "data"), [
    ("POST", "/login", {"username": "ad\x00min", "password": "whatever it is"}),
    ("GET", "/register?q=Jo%00nes", None),
    ("GET", "/verify/ABC%00DEF", None),
    ("GET", "/api/v1/verify/%00", None),
    ("POST", "/verify", {"credential": "eyJ\x00"}),
])
def test_nul_bytes_from_anyone_are_refused_with_a_clear_page(client, method, url, data):
    response = client.open(url, method=method, data=data)
    assert response.status_code == 400
    assert NUL_REFUSAL in response.get_data(as_text=True)


def test_nul_bytes_in_a_signed_in_form_are_refused_and_nothing_is_saved(
        app, client, make_user):
    user = make_user(display_name="Ann Example")
    login_as(client, user)
    response = client.post("/account", data={"display_name": "Ann\x00", "email": "",
                                             "preferred_language": "en"})
    assert response.status_code == 400
    assert NUL_REFUSAL in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user.id).display_name == "Ann Example"


def test_nul_bytes_in_a_json_body_are_refused(client):
    response = client.post("/verify", json={"credential": "a\u0000b"})
    assert response.status_code == 400


# 2. ids beyond the database's integer range, and non-ASCII digits as ids

@pytest.mark.parametrize("path", [
    "/people/2147483648", "/people/99999999999999999999", "/practice/9223372036854775808",
    "/sessions/0", "/people/\u00b2", "/people/\u0663", "/accreditation/pathway/10000000000",
])
def test_ids_outside_the_integer_range_or_not_ascii_digits_are_not_found(
        client, admin, path):
    login_as(client, admin)
    assert client.get(path).status_code == 404


def test_ids_within_the_range_still_reach_the_view(client, admin):
    login_as(client, admin)
    assert client.get(f"/people/{admin.id}").status_code == 200
    assert client.get("/people/2147483647").status_code == 404


def test_bulk_selection_ignores_ids_that_are_not_plain_numbers(
        app, client, make_scheme, make_user):
    scheme = make_scheme()
    login_as(client, make_user(role="lead", scheme=scheme))
    trainee = make_user(role="trainee", scheme=scheme)
    response = client.post(f"/reports/schemes/{scheme.slug}/bulk", data={
        "user": ["\u00b2", "99999999999999999999", str(trainee.id)], "action": "remind"})
    assert response.status_code == 200
    assert trainee.display_name in response.get_data(as_text=True)


# 3. page numbers: too large, not numbers, past the end

@pytest.mark.parametrize("page", ["99999999999999999999", "2147483648", "\u00b2", "-3", "abc",
                                  "1e9"])
def test_any_page_number_shows_a_page(client, admin, page):
    login_as(client, admin)
    for url in ("/people/", "/register", "/practice/", "/training/learners"):
        response = client.get(url, query_string={"page": page, "per_page": page})
        assert response.status_code == 200, url


def test_a_page_past_the_end_shows_the_last_page(client, make_scheme, make_user):
    scheme = make_scheme()
    login_as(client, make_user(is_admin=True))
    for n in range(3):
        make_user(role="trainee", scheme=scheme, display_name=f"Listed Person {n}")
    page = client.get("/people/", query_string={"page": "500"}).get_data(as_text=True)
    assert "Listed Person 2" in page


# 4. "²" as an answer to a knowledge check

def test_a_superscript_digit_as_an_answer_is_an_unanswered_question(
        app, client, catalogue, make_scheme, make_user):
    login_as(client, make_user(role="trainee", scheme=make_scheme()))
    client.post("/courses/basics/enrol")
    options, hidden = check_form(client, "/courses/basics/checks/listening")
    answers = {**hidden, **dict.fromkeys(options, "\u00b2")}
    response = client.post("/courses/basics/checks/listening", data=answers)
    assert response.status_code == 400
    assert "Choose from the answers shown." in response.get_data(as_text=True)


# 5. decimal fields: NaN, sNaN and Infinity

@pytest.mark.parametrize("hours", ["sNaN", "NaN", "Infinity", "-inf", "-sNaN"])
def test_cpd_hours_that_are_not_a_number_get_a_message_next_to_the_field(
        app, client, make_user, hours):
    login_as(client, make_user())
    response = client.post("/cpd/", data={"done_on": "2026-01-10", "hours": hours,
                                          "activity": "Reading", "provider": "RJ hub"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter a number, e.g. 1.5." in page
    assert 'value="Reading"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CpdEntry)) == 0


# 6. CSV cells over 131,072 characters (Python's csv field size limit)

def test_people_import_with_a_huge_cell_names_the_line(client, make_scheme, make_user):
    scheme = make_scheme()
    login_as(client, make_user(role="lead", scheme=scheme))
    text = ("username,display_name,email,role,scheme\n"
            f"ann.one,Ann One,,trainee,{scheme.slug}\n"
            f"bob.two,{'B' * 140_000},,trainee,{scheme.slug}\n")
    response = client.post("/people/import", data={
        "file": (io.BytesIO(text.encode()), "people.csv")}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Line 3:" in page
    assert "longer than 1,000 characters" in page


def test_people_import_confirm_with_an_unclosed_quote_saves_nothing(
        app, client, make_scheme, make_user):
    scheme = make_scheme()
    login_as(client, make_user(role="lead", scheme=scheme))
    content = ("username,display_name,email,role,scheme\n"
               f'ann.one,"Ann {"x" * 140_000},,trainee,{scheme.slug}\n')
    response = client.post("/people/import/confirm", data={"content": content})
    assert response.status_code == 409
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "ann.one")) is None


def test_bulk_enrolment_with_a_huge_cell_is_refused_with_a_message(
        client, catalogue, make_scheme, make_user):
    scheme = make_scheme()
    login_as(client, make_user(role="lead", scheme=scheme))
    response = client.post("/training/enrol", data={
        "course": catalogue["basics"], "scheme": scheme.id,
        "usernames": 'username\n"' + "u" * 140_000})
    assert response.status_code == 200
    assert "longer than 1,000 characters" in response.get_data(as_text=True)


# 7. CR/LF (and other controls) in next=

@pytest.mark.parametrize("target", ["/%0D%0ASet-Cookie:%20x=1", "/%0d%0aLocation:%20//evil",
                                    "/%09/evil.example", "/%0A/evil.example"])
def test_next_with_control_characters_goes_home(client, make_user, target):
    user = make_user()
    response = client.post(f"/login?next={target}",
                           data={"username": user.username, "password": user.password})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_plain_next_path_is_still_followed(client, make_user):
    user = make_user()
    response = client.post("/login?next=/cpd/", data={"username": user.username,
                                                      "password": user.password})
    assert response.headers["Location"] == "/cpd/"


# 8. concurrent duplicate posts: the database keeps one, the other is told

def test_a_duplicate_insert_racing_the_check_is_answered_not_a_server_error(
        app, client, catalogue, make_scheme, make_user):
    """Two enrol posts at once: both checks find no enrolment, one insert wins. The
    race is made certain by running the same INSERT just before the request's own."""
    user = make_user(role="trainee", scheme=make_scheme())
    login_as(client, user)
    with app.app_context():
        engine = db.engine
    raced = []

    def competitor(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO enrolments") and not raced:
            raced.append(statement)
            cursor.execute(statement, parameters)

    event.listen(engine, "before_cursor_execute", competitor)
    try:
        response = client.post("/courses/basics/enrol")
    finally:
        event.remove(engine, "before_cursor_execute", competitor)
    assert raced
    assert response.status_code in (302, 409)
    if response.status_code == 409:
        assert "That was already done" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Enrolment).where(
            Enrolment.user_id == user.id)) <= 1


# Names: control and direction-override characters never stored

def test_names_lose_control_and_direction_override_characters(
        app, client, make_user):
    user = make_user()
    login_as(client, user)
    client.post("/account", data={"display_name": "\u202eAnn\r\nExample\u200f\x1b",
                                  "email": "", "preferred_language": "en"})
    with app.app_context():
        assert db.session.get(User, user.id).display_name == "Ann Example"


def test_scheme_names_set_anywhere_are_cleaned(app):
    with app.app_context():
        scheme = Scheme(name="North\u2066 \tside\n", slug="north", sector="prison",
                        region="Wales\u202e")
        db.session.add(scheme)
        db.session.flush()
        assert (scheme.name, scheme.region) == ("North side", "Wales")
        db.session.rollback()


def test_imported_names_lose_control_and_direction_override_characters(
        app, client, make_scheme, make_user):
    scheme = make_scheme()
    login_as(client, make_user(role="lead", scheme=scheme))
    content = ("username,display_name,email,role,scheme\n"
               f"ann.one,\u202eAnn\u202c\u200b One\x1b,,trainee,{scheme.slug}\n")
    response = client.post("/people/import/confirm", data={"content": content})
    assert response.status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "ann.one"))
        assert user.display_name == "Ann One"


# Dashboard period: bounded, with the message next to the field

@pytest.mark.parametrize(("query", "message"), [
    ({"start": "0001-01-01"}, "Choose a start on or after 01 January 2000."),
    ({"start": "2001-01-01", "end": "2020-01-01"}, "Choose a period of at most 5 years."),
    ({"end": "9999-12-31"}, "Choose an end on or before"),
    ({"start": "2020-02-01", "end": "2020-01-01"}, "The end of the period must be after"),
])
def test_dashboard_period_is_bounded_with_a_message(client, make_scheme, make_user,
                                                     query, message):
    scheme = make_scheme()
    login_as(client, make_user(role="lead", scheme=scheme))
    response = client.get(f"/reports/schemes/{scheme.slug}", query_string=query)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert len(page) < 200_000
    # the default period is shown instead: about twelve months, not thousands
    assert len(re.findall(r"<th scope=\"row\">[A-Z][a-z]{2} \d{4}</th>", page)) <= 13


def test_a_period_inside_the_bounds_is_used(client, make_scheme, make_user):
    scheme = make_scheme()
    login_as(client, make_user(role="lead", scheme=scheme))
    today = date.today()
    response = client.get(f"/reports/schemes/{scheme.slug}",
                          query_string={"start": f"{today.year - 2}-01-01"})
    assert response.status_code == 200
    assert "Choose" not in response.get_data(as_text=True)


# Every form shares the base form's cleaning

def test_every_form_derives_from_the_base_form(app):
    from flask_wtf import FlaskForm

    from lms.forms import BaseForm

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [f for f in subclasses(FlaskForm) if f.__module__.startswith("lms.")]
    assert len(ours) > 20
    assert [f.__name__ for f in ours if not issubclass(f, BaseForm)] == []


def _at_once(app, user, url, data, times=8):
    """Post `data` to `url` from `times` signed-in tabs at the same moment; returns the
    status codes and any server errors (which surface as exceptions in testing)."""
    clients = []
    for _ in range(times):
        client = app.test_client()
        assert client.post("/login", data={"username": user.username,
                                           "password": user.password}).status_code == 302
        clients.append(client)
    barrier = threading.Barrier(times)
    answers, crashes = [], []

    def post(client):
        barrier.wait()
        try:
            answers.append(client.post(url, data=data).status_code)
        except Exception as error:
            crashes.append(repr(error))

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, crashes


def _attestations(app, user):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Attestation).where(
            Attestation.user_id == user.id))


def test_simultaneous_duplicate_posts_get_an_answer_not_a_server_error(app, make_user):
    """Eight tabs save the same statements at once: one set is kept, the others told."""
    user = make_user()
    answers, crashes = _at_once(app, user, "/accreditation/attestations",
                                {"attestation": "code_of_practice"})
    assert crashes == []
    assert set(answers) <= {302, 409, 503}
    assert 302 in answers
    assert _attestations(app, user) == 1


def test_simultaneous_submits_of_one_record_get_an_answer_not_a_server_error(
        app, client, make_scheme, make_user):
    scheme = make_scheme()
    author = make_user(role="trainee", scheme=scheme)
    login_as(client, author)
    record_id = create_record(client, scheme.id)
    answers, crashes = _at_once(app, author, f"/practice/{record_id}/submit", {})
    assert crashes == []
    assert set(answers) <= {302, 409, 503}
    assert 302 in answers
    with app.app_context():
        assert db.session.get(PracticeRecord, record_id).status == "submitted"


def test_a_number_too_large_to_store_is_refused_cleared_and_kept_as_typed(app):
    """No other field's validator, nor the view, sees an id past the INTEGER range (a
    cross-field check once looked a scheme of 99999999999999999999 up and PostgreSQL
    refused the query); the box still shows what was typed."""
    from werkzeug.datastructures import MultiDict
    from wtforms import IntegerField, SelectField

    from lms.forms import BaseForm, choices

    class Pick(BaseForm):
        count = IntegerField()
        scheme = SelectField(coerce=int, choices=choices([(1, "One")]))

    with app.test_request_context():
        form = Pick(MultiDict({"count": "99999999999999999999", "scheme": "99999999999999999999"}),
                    meta={"csrf": False})
        assert not form.validate()
        assert form.count.errors == ["That number is too large."]
        assert "That number is too large." in form.scheme.errors
        assert form.count.data is None
        assert form.scheme.data is None
        assert 'value="99999999999999999999"' in form.count()
