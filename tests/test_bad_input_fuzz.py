"""Property-based: generated junk sent to every route never produces a server error.

Walks `app.url_map` over the demo site, as an anonymous visitor and as a signed-in admin.
Path arguments are real ids and keys or junk; query strings and form fields (the page's
own fields, kept valid or replaced with junk) carry NUL bytes, out-of-range numbers,
non-ASCII digits, NaN, CR/LF, very long text and random Unicode. Runs on whichever database
the suite uses. Kept small per route so the whole walk stays well under two minutes.
"""

from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.routing import AnyConverter, IntegerConverter

from lms import access
from lms.accreditation.models import AccreditationRecord
from lms.demo.data import DEMO_PASSWORD
from lms.extensions import db
from lms.learning.models import Course, Lesson, Module
from lms.reports import exports
from lms.schemes.models import Scheme

#: Bounds the walk: ~95 route/method pairs x 4 examples x 2 visitors. Measured on a shared
#: 2-core machine: 30 s on SQLite, 40 s on PostgreSQL (plus loading the demo site).
EXAMPLES_PER_ROUTE = 4
SKIPPED_METHODS = {"HEAD", "OPTIONS"}

SPECIAL = [
    "\x00", "a\x00b", "\u00b2", "\u0663", "\uff11\uff12", "99999999999999999999", "2147483648",
    "-1", "0",
    "1e309", "sNaN", "NaN", "-Infinity", "\r\nX-Injected: yes", "/\r\n/evil.example",
    "//evil.example", "0001-01-01", "9999-12-31", "x" * 5000, "\u202eevil\u202c", "\x1b[31m",
    "' OR 1=1 --", "<script>x</script>", "%00", "..", "",
]
JUNK = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.integers(-(2**70), 2**70).map(str),
)
QUERY_NAMES = ["page", "per_page", "q", "start", "end", "next", "level", "status", "course",
               "scheme"]


class FieldCollector(HTMLParser):
    """name -> a valid value (the page's own) for every form field in a page."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and name != "csrf_token":
            if a.get("type") in ("checkbox", "radio") and name in self.fields:
                return
            self.fields[name] = a.get("value") or ""
        elif tag == "textarea" and name:
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and (
                "selected" in a or not self.fields[self._select]):
            self.fields[self._select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def fields_of(html: str) -> dict[str, str]:
    collector = FieldCollector()
    collector.feed(html)
    return collector.fields


def _path_values(app):
    """Real values for each path argument name, so routes are reached past their 404."""
    with app.app_context():
        course_slugs = list(db.session.scalars(select(Course.slug)))
        modules = db.session.execute(select(Module.slug)).scalars().all()
        lessons = db.session.execute(select(Lesson.slug)).scalars().all()
        schemes = list(db.session.scalars(select(Scheme.slug)))
        records = list(db.session.scalars(select(AccreditationRecord.public_id)))
    return {
        "slug": course_slugs + schemes, "module_slug": modules[:5], "lesson_slug": lessons[:5],
        "public_id": records[:5], "level_key": ["foundation", "intermediate", "trainer"],
        "action": ["suspend", "withdraw", "reinstate", "revoke", "renew"],
        "table": ["delivery", "accredited", *exports.TABLES],
    }


def _ids(app):
    with app.app_context():
        tables = [t for t in db.metadata.sorted_tables if "id" in t.c]
        ids = set()
        for table in tables:
            ids.update(db.session.scalars(select(table.c.id).limit(3)))
    return sorted(ids)


def _rules(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in access.BUILTIN_PUBLIC_ENDPOINTS:
            continue
        for method in sorted(rule.methods - SKIPPED_METHODS):
            yield rule, method


def _path_strategy(rule, known, ids):
    arguments = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if isinstance(converter, AnyConverter):  # only its listed values build a URL
            arguments[name] = st.sampled_from(sorted(converter.items))
        elif isinstance(converter, IntegerConverter):
            arguments[name] = st.one_of(
                st.sampled_from(ids),
                st.sampled_from([0, 2**31 - 1, 2**31, 2**63, 10**30]))
        else:
            real = known.get(name) or ["x"]
            arguments[name] = st.one_of(st.sampled_from(real), JUNK.filter(bool))
    return st.fixed_dictionaries(arguments)


@pytest.fixture
def demo_site(app, runner):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    return SimpleNamespace(values=_path_values(app), ids=_ids(app))


def _sign_in_admin(client):
    response = client.post("/login", data={"username": "admin", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def _walk(app, client, site, signed_in: bool):
    """Every route and method with junk; returns how many requests were made."""
    counter = [0]
    all_fields: dict[str, str] = {}
    for rule, method in _rules(app):
        if signed_in:
            _sign_in_admin(client)
        _route_property(client, rule, method, site, all_fields, counter)()
    return counter[0]


def _route_property(client, rule, method, site, all_fields, counter):
    """A hypothesis test of one route and method."""
    path_strategy = _path_strategy(rule, site.values, site.ids)

    @settings(max_examples=EXAMPLES_PER_ROUTE, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def one_route(data):
        url = rule.build(data.draw(path_strategy), append_unknown=False)[1]
        query = data.draw(st.dictionaries(st.sampled_from(QUERY_NAMES), JUNK, max_size=3))
        if method == "GET":
            response = client.get(url, query_string=query)
            if response.status_code == 200 and response.mimetype == "text/html":
                all_fields.update(fields_of(response.get_data(as_text=True)))
        else:
            page = client.get(url) if "GET" in rule.methods else None
            fields = (fields_of(page.get_data(as_text=True))
                      if page is not None and page.status_code == 200 else dict(all_fields))
            form = {name: data.draw(st.one_of(st.just(valid), JUNK), label=name)
                    for name, valid in fields.items()}
            response = client.open(url, method=method, query_string=query, data=form)
        counter[0] += 1
        assert response.status_code < 500, (method, url, query, response.status_code)

    return one_route


def test_junk_to_every_route_as_an_anonymous_visitor_gives_no_server_error(
        app, client, demo_site):
    assert _walk(app, client, demo_site, signed_in=False) > 80


def test_junk_to_every_route_as_an_admin_gives_no_server_error(app, client, demo_site):
    assert _walk(app, client, demo_site, signed_in=True) > 80
