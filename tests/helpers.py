"""Small helpers for tests."""

import re

from flask import Flask
from werkzeug.routing import IntegerConverter, Rule

#: Methods every route answers by itself (not the view's own behaviour).
SKIP_METHODS = {"HEAD", "OPTIONS"}


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def login_as(client_or_app, user, password=None, next_url=None):
    """Sign `user` in and return the signed-in test client: on the given client, or on a
    new one when given the app (for tests where several people act at once)."""
    client = (client_or_app.test_client() if isinstance(client_or_app, Flask)
              else client_or_app)
    url = "/login" + (f"?next={next_url}" if next_url else "")
    response = client.post(url, data={"username": user.username,
                                      "password": password or user.password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def check_form(client, url):
    """{field name: [(value, label), ...]} for each question of the check at `url`, and
    the hidden fields (attempt number and paper fingerprint)."""
    page = client.get(url).get_data(as_text=True)
    options = {}
    for name, value, label in re.findall(
            r'name="(q\d+)" value="(\d+)"[^>]*> ([^<]+)</label>', page):
        options.setdefault(name, []).append((value, label.strip()))
    assert options, "no questions found"
    attempt = re.search(r'name="attempt"[^>]*value="(\d+)"', page) or re.search(
        r'value="(\d+)"[^>]*name="attempt"', page)
    assert attempt, "no attempt number in the form"
    shown = re.search(r'name="shown" type="hidden" value="([0-9a-f]+)"', page)
    return options, {"attempt": attempt.group(1), "shown": shown.group(1)}


def url_for_rule(rule: Rule) -> str:
    """A URL that the route `rule` matches: 1 for integer parts, "x" for the others."""
    values = {arg: 1 if isinstance(rule._converters[arg], IntegerConverter) else "x"
              for arg in rule.arguments}
    return rule.build(values)[1]


def forget_kept_figures(app):
    """Drop every kept figure (lms/reports/snapshots.py), so the next dashboard or figures
    page computes its figures again: query counts then measure the costly path."""
    from lms.extensions import db
    from lms.reports.models import FigureSnapshot
    with app.app_context():
        db.session.execute(FigureSnapshot.__table__.delete())
        db.session.commit()
