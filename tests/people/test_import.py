import html
import io
from urllib.parse import unquote

import pytest
from sqlalchemy import func, select

from lms.auth.models import User
from lms.extensions import db
from lms.schemes.models import Membership
from tests.helpers import login_as

HEADER = "username,display_name,email,role,scheme\n"


@pytest.fixture
def setup(make_scheme, make_user):
    a = make_scheme(name="Scheme A", slug="scheme-a")
    b = make_scheme(name="Scheme B", slug="scheme-b")
    lead = make_user("lead.a", role="lead", scheme=a, email="lead@example.org")
    return {"a": a, "b": b, "lead": lead}


def _upload(client, text, filename="people.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post("/people/import", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_preview_lists_every_row_with_its_errors_and_saves_nothing(client, app, setup):
    login_as(client, setup["lead"])
    users_before = _count(app, User)
    csv_text = HEADER + "\n".join([
        "good.one,Good One,,trainee,scheme-a",
        "LEAD.A,Clash With Database,,trainee,scheme-a",
        "dup.name,First,,trainee,Scheme A",
        "dup.name,Second,,trainee,scheme-a",
        "bad.role,Bad Role,,boss,scheme-a",
        "bad.email,Bad Email,not-an-email,trainee,scheme-a",
        "other.scheme,Other,,trainee,scheme-b",
        "no.scheme,Nowhere,,trainee,atlantis",
        "email.clash,Email Clash,LEAD@example.org,trainee,scheme-a",
        "x,Short Name,,trainee,scheme-a",
    ]) + "\n"
    response = _upload(client, csv_text)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "8 of 10 rows have problems" in page
    for message in [
        "Username “lead.a” already has an account.",
        "Username “dup.name” is also on line 4.",
        "Unknown role “boss”",
        "Email “not-an-email” is not a valid email address.",
        "Unknown scheme “scheme-b”, or not one you manage.",
        "Unknown scheme “atlantis”",
        "Email “lead@example.org” is already used by another account.",
        "Username: Use 3 to 64",
    ]:
        assert message in page, message
    assert "Create 10 accounts" not in page  # no confirm button while there are errors
    assert _count(app, User) == users_before


def test_preview_then_confirm_creates_all_accounts(client, app, setup):
    login_as(client, setup["lead"])
    csv_text = "\ufeff" + HEADER + (
        "ana.b,Ana B,ana@example.org,trainee,scheme-a\n"
        "\n"
        "carl.d,Carl D,,supervisor,Scheme A\n"
        'eve.f,"=HYPERLINK(""x"")",,trainee,scheme-a\n'
    )
    page = _upload(client, csv_text).get_data(as_text=True)
    assert "All 3 rows are ready" in page
    content = html.unescape(page.split('name="content" type="hidden" value="')[1].split('"')[0])
    result = client.post("/people/import/confirm", data={"content": content}).get_data(
        as_text=True)
    assert "3 accounts created" in result
    assert "ana.b" in result
    assert "carl.d" in result
    download = unquote(result.split('href="data:text/csv;charset=utf-8,')[1].split('"')[0])
    # the downloadable list neutralises a name that a spreadsheet would run as a formula
    assert "eve.f,\"'=HYPERLINK(\"\"x\"\")\"," in html.unescape(download)
    with app.app_context():
        roles = dict(db.session.execute(
            select(User.username, Membership.role).join(User.memberships)
            .where(User.username.in_(["ana.b", "carl.d", "eve.f"]))).all())
        assert {k: v.value for k, v in roles.items()} == {
            "ana.b": "trainee", "carl.d": "supervisor", "eve.f": "trainee"}


def test_confirm_saves_nothing_if_a_row_became_invalid(client, app, setup,
                                                       make_user):
    login_as(client, setup["lead"])
    csv_text = HEADER + "first.one,First,,trainee,scheme-a\nsecond.one,Second,,trainee,scheme-a\n"
    assert "All 2 rows are ready" in _upload(client, csv_text).get_data(as_text=True)
    make_user("second.one")  # someone took the name between preview and confirm
    users_before = _count(app, User)
    response = client.post("/people/import/confirm", data={"content": csv_text})
    assert response.status_code == 409
    assert "Nothing was saved" in response.get_data(as_text=True)
    assert _count(app, User) == users_before


def test_confirm_cannot_smuggle_rows_for_other_schemes(client, app, setup):
    login_as(client, setup["lead"])
    response = client.post("/people/import/confirm",
                           data={"content": HEADER + "smuggled,S,,lead,scheme-b\n"})
    assert response.status_code == 409
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "smuggled")) is None


@pytest.mark.parametrize(("content", "message"), [
    (b"\xff\xfe\x00bad", "The file is not UTF-8 text"),
    ("name,role\nx,y\n", "missing: username, display_name, scheme"),
    (HEADER, "no people in it"),
    ("", "missing: username"),
])
def test_bad_files_get_clear_messages(client, setup, content, message):
    login_as(client, setup["lead"])
    response = _upload(client, content)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_upload_without_a_file_is_refused_next_to_the_field(client, setup):
    login_as(client, setup["lead"])
    response = client.post("/people/import", data={}, content_type="multipart/form-data")
    assert b"Choose a CSV file to upload." in response.data


def test_five_thousand_rows_preview_and_import(client, app, setup):
    login_as(client, setup["lead"])
    rows = "".join(f"learner{n:05d},Learner {n},,trainee,scheme-a\n" for n in range(5000))
    response = _upload(client, HEADER + rows)
    assert "All 5000 rows are ready" in response.get_data(as_text=True)
    response = client.post("/people/import/confirm", data={"content": HEADER + rows})
    assert "5,000 accounts created" in response.get_data(as_text=True)
    assert _count(app, User) == 5001
    assert _count(app, Membership) == 5001
