"""The language switch in every page's header, the browser's Accept-Language as the first
default, and the person's stored preference."""

import re

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEvent
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import LANGUAGE_COOKIE
from tests.helpers import login_as


def _lang(page: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', page)
    assert match, "no <html lang>"
    return match.group(1)


def _switch(page: str) -> dict[str, str]:
    """The header's language form: its hidden fields and its button."""
    form = re.search(r'<form method="post" action="/language"[^>]*>(.*?)</form>', page, re.S)
    assert form, "no language switch on the page"
    fields = dict(re.findall(r'name="(language|next)" value="([^"]*)"', form.group(1)))
    button = re.search(r'<button[^>]*lang="([^"]+)"[^>]*>([^<]+)</button>', form.group(1))
    assert button, "the switch's button names no language"
    return {**fields, "button_lang": button.group(1), "button": button.group(2)}


def _cookie(client):
    cookie = client.get_cookie(LANGUAGE_COOKIE)
    return cookie.value if cookie else None


def test_english_pages_offer_cymraeg_and_welsh_pages_offer_english(client):
    page = client.get("/login").get_data(as_text=True)
    assert _lang(page) == "en-GB"
    assert _switch(page) == {"language": "cy", "next": "/login", "button_lang": "cy",
                             "button": "Cymraeg"}
    page = client.get("/login", headers={"Accept-Language": "cy"}).get_data(as_text=True)
    assert _lang(page) == "cy"
    assert _switch(page) == {"language": "en", "next": "/login", "button_lang": "en-GB",
                             "button": "English"}


@pytest.mark.parametrize("url", ["/", "/login", "/register", "/verify"])
def test_the_switch_is_on_signed_out_pages(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert _switch(response.get_data(as_text=True))["language"] == "cy"


def test_a_visitor_switches_to_welsh_and_the_choice_is_remembered(client):
    response = client.post("/language", data={"language": "cy", "next": "/register?q=x"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/register?q=x"
    assert _cookie(client) == "cy"
    page = client.get("/").get_data(as_text=True)
    assert _lang(page) == "cy"
    assert "Mewngofnodi" in page  # "Sign in"
    assert ">Sign in<" not in page
    client.post("/language", data={"language": "en", "next": "/"})
    assert _cookie(client) == "en"
    assert _lang(client.get("/").get_data(as_text=True)) == "en-GB"


def test_accept_language_is_the_first_default_and_a_choice_overrides_it(client):
    assert _lang(client.get("/", headers={"Accept-Language": "cy, en;q=0.5"})
                 .get_data(as_text=True)) == "cy"
    assert _lang(client.get("/", headers={"Accept-Language": "fr"})
                 .get_data(as_text=True)) == "en-GB"
    client.post("/language", data={"language": "en", "next": "/"})
    assert _lang(client.get("/", headers={"Accept-Language": "cy"})
                 .get_data(as_text=True)) == "en-GB"


def test_a_signed_in_person_switches_and_the_preference_persists(app, make_user):
    person = make_user()
    client = login_as(app, person)
    response = client.post("/language", data={"language": "cy", "next": "/account"})
    assert response.headers["Location"] == "/account"
    with app.app_context():
        user = db.session.get(User, person.id)
        assert user.preferred_language == "cy"
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "user.language_changed")).one()
        assert (event.actor_id, event.object_id) == (person.id, str(person.id))
    # A new session on another browser (no cookie, an English browser): still Welsh.
    other = login_as(app, person)
    assert _cookie(other) is None
    page = other.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert _lang(page) == "cy"
    assert "Allgofnodi" in page  # "Sign out"
    # The profile's choice is the same preference, and shows it.
    page = other.get("/account").get_data(as_text=True)
    assert re.search(r'<option selected value="cy">Cymraeg</option>', page)


def test_the_profile_choice_still_sets_the_language(app, make_user):
    person = make_user()
    client = login_as(app, person)
    client.post("/account", data={"display_name": person.display_name, "email": "",
                                  "preferred_language": "cy"})
    assert _lang(client.get("/").get_data(as_text=True)) == "cy"


def test_signing_out_keeps_the_language(app, make_user):
    person = make_user()
    client = login_as(app, person)
    client.post("/language", data={"language": "cy", "next": "/"})
    client.delete_cookie(LANGUAGE_COOKIE)
    client.post("/logout")
    assert _cookie(client) == "cy"
    assert _lang(client.get("/login").get_data(as_text=True)) == "cy"


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)",
    "/\t/evil.example", "", "evil",
])
def test_an_unsafe_next_is_refused(client, target):
    response = client.post("/language", data={"language": "cy", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert _cookie(client) == "cy"


@pytest.mark.parametrize("language", ["fr", "", "cy\r\nX: y"])
def test_an_unknown_language_is_refused(client, language):
    response = client.post("/language", data={"language": language, "next": "/"})
    assert response.status_code == 400
    assert _cookie(client) is None


def test_the_switch_needs_a_csrf_token(app):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = app.test_client().post("/language", data={"language": "cy", "next": "/"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
