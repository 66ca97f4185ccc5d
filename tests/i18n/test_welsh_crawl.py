"""A crawl of the demo site in Welsh: for every role, every page reachable from the
navigation and the links on those pages is fetched with the person's language set to
Welsh, and must be `<html lang="cy">` with no English interface text.

English interface text: the catalogue's msgids whose Welsh differs from the English (so
"CPD" → "DPP" counts, a name that is the same in both does not). A page fails when one of
its text nodes, or an aria-label, title, placeholder, alt or button value, is exactly one of
those msgids (whitespace normalised). Scripts and styles are skipped, and so is a passage
marked as being in another language (`<div lang="en">`: course content not yet in Welsh,
which the page must tag). Strings with placeholders are left out of the exact match.

The crawl is bounded (PAGES_PER_VISITOR pages, at most PER_SHAPE addresses that differ only
in their numbers), follows same-site GET links only, and never follows sign-out or
downloads.
"""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from sqlalchemy import update

from lms.auth.models import User
from lms.demo.data import DEMO_PASSWORD
from lms.extensions import db
from lms.i18n import LANGUAGE_COOKIE
from tests.i18n.conftest import served_catalogue

PAGES_PER_VISITOR = 150
PER_SHAPE = 3
#: Addresses that are not pages (files, feeds, machine documents).
NOT_PAGES = re.compile(r"\.(csv|zip|pdf|json|svg|png|ics|txt)$|^/static/|^/api/|/export")
VISITORS = {
    "admin": "admin",
    "lead": "prison.lead",
    "supervisor": "prison.supervisor",
    "trainer": "prison.trainer",
    "trainee": "prison.trainee1",
    "assessor": "crawl.assessor",
    "signed out": None,
}
CHECKED_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}


class PageText(HTMLParser):
    """A page's text nodes and checked attributes, its same-site links and its lang."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self.lang: str | None = None
        self._skip = 0
        #: (tag, depth) of an element in another language, while inside it
        self._foreign: tuple[str, int] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif self._foreign is None and a.get("lang") and not a["lang"].startswith("cy"):
            self._foreign = (tag, 0)
        if self._foreign and self._foreign[0] == tag:
            self._foreign = (tag, self._foreign[1] + 1)
        if tag in ("script", "style", "code"):  # code: literal names (CSV columns, codes)
            self._skip += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        for name, value in attrs:
            if self._foreign is None and value and (name in CHECKED_ATTRIBUTES or (
                    name == "value" and a.get("type") in ("submit", "button"))):
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code") and self._skip:
            self._skip -= 1
        if self._foreign and self._foreign[0] == tag:
            depth = self._foreign[1] - 1
            self._foreign = (tag, depth) if depth else None

    def handle_data(self, data):
        if not self._skip and self._foreign is None:
            self.texts.append(data)


def test_the_page_reader_skips_passages_in_another_language():
    page = PageText()
    page.feed('<html lang="cy"><p>Cymraeg</p><div lang="en"><div>Health</div><p>Police</p>'
              '</div><button lang="en-GB" title="Hi">English</button><p aria-label="Dewislen">'
              'Iechyd</p><script>var x = "Health";</script></html>')
    assert page.lang == "cy"
    assert [t for t in page.texts if t.strip()] == ["Cymraeg", "Dewislen", "Iechyd"]


def _normal(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def english_interface_text(app):
    """Every English msgid (without placeholders) whose Welsh is different."""
    catalogue = served_catalogue()
    english = set()
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (
            message.string,)
        for msgid in ids:
            if msgid and "%(" not in msgid and any(s and s != msgid for s in strings):
                english.add(_normal(msgid))
    assert len(english) > 50, "the Welsh catalogue served has (almost) no translations"
    return english


@pytest.fixture
def demo_site(app, runner, make_user):
    assert runner.invoke(args=["courses", "load"]).exit_code == 0
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    make_user("crawl.assessor", password=DEMO_PASSWORD)
    with app.app_context():
        db.session.execute(update(User).where(User.username == "crawl.assessor")
                           .values(is_assessor=True))
        db.session.execute(update(User).values(preferred_language="cy"))
        db.session.commit()


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _same_site_page(href: str) -> str | None:
    href = urldefrag(href)[0]
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not href.startswith("/") or NOT_PAGES.search(
            parts.path):
        return None
    return href


def crawl(client, english: set[str]) -> tuple[int, list[str]]:
    """(pages fetched, problems) for one visitor."""
    queue, seen, shapes = deque(["/"]), {"/"}, {}
    problems: list[str] = []
    fetched = 0
    while queue and fetched < PAGES_PER_VISITOR:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        fetched += 1
        page = PageText()
        page.feed(response.get_data(as_text=True))
        if page.lang != "cy":
            problems.append(f"{url}: <html lang={page.lang!r}>")
        for text in {_normal(t) for t in page.texts}:
            if text in english:
                problems.append(f"{url}: {text!r}")
        for href in page.links:
            link = _same_site_page(href)
            if link is None or link in seen:
                continue
            shape = _shape(urlsplit(link).path)
            if shapes.get(shape, 0) >= PER_SHAPE:
                continue
            shapes[shape] = shapes.get(shape, 0) + 1
            seen.add(link)
            queue.append(link)
    return fetched, problems


@pytest.mark.parametrize("visitor", list(VISITORS))
def test_every_page_in_welsh_has_no_english_interface_text(app, demo_site,
                                                           english_interface_text, visitor):
    client = app.test_client()
    username = VISITORS[visitor]
    if username is None:
        client.set_cookie(LANGUAGE_COOKIE, "cy")
    else:
        response = client.post("/login", data={"username": username,
                                               "password": DEMO_PASSWORD})
        assert response.status_code == 302, f"{username} could not sign in"
    fetched, problems = crawl(client, english_interface_text)
    assert fetched >= 3, f"the crawl reached only {fetched} pages"
    assert problems == [], f"{visitor}: {len(problems)} English texts on {fetched} Welsh " \
        "pages:\n" + "\n".join(sorted(set(problems))[:300])
