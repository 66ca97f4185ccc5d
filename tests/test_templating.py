"""Addresses built for templates: kept once built, and always what flask.url_for gives."""

from flask import url_for

from lms.templating import kept_url_for


def test_the_app_has_no_url_defaults_so_a_built_address_stays_true(app):
    """kept_url_for keeps addresses per endpoint and values: a URL-defaults function
    (which may add values from the request) would make that wrong."""
    assert app.url_default_functions == {}
    assert app.url_value_preprocessors == {}


def test_kept_addresses_are_flasks_under_any_root_and_with_any_values(app):
    cases = [("main.index", {}),
             ("accreditation.public.verify", {"public_id": "RJ-2026-ABCD"}),
             ("accreditation.public.register", {"q": "Jones & Co", "page": 2}),
             ("accreditation.public.register", {"page": "2"}),
             ("accreditation.public.register", {"flag": True}),
             ("accreditation.public.register", {"flag": 1}),
             ("accreditation.public.register", {"level": ["a", "b"]}),  # not a key: built
             ("accreditation.public.register", {"_anchor": "results"}),
             ("accreditation.public.register", {"_external": True})]
    for root in ("", "/lms"):
        with app.test_request_context("/", base_url=f"https://lms.example.org{root}/"):
            for _ in range(2):  # built, then kept
                for endpoint, values in cases:
                    assert kept_url_for(endpoint, **values) == url_for(endpoint, **values)
            assert kept_url_for("accreditation.public.register", flag=True).endswith("flag=True")
            assert kept_url_for("accreditation.public.register", flag=1).endswith("flag=1")
            assert kept_url_for("main.index") == f"{root}/"


def test_outside_a_request_addresses_are_flasks_own(app, monkeypatch):
    """A job rendering a page has no request (and no script root): flask.url_for's rules
    apply, here a configured server name; nothing is kept from one to the other."""
    monkeypatch.setitem(app.config, "SERVER_NAME", "lms.example.org")
    with app.app_context():
        assert kept_url_for("accreditation.public.verify", public_id="RJ-1") == url_for(
            "accreditation.public.verify", public_id="RJ-1") == \
            "http://lms.example.org/verify/RJ-1"
