"""Markdown side of the course-file checks: a module file's front matter, its lessons (one
per level-1 heading) and its links to other modules. Problems are (line, message) pairs."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt

from lms.yaml_files import (
    Issue,
    Rule,
    YamlDoc,
    check_mapping,
    check_text_list,
    is_int,
    is_text,
    parse_yaml,
)

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
MODULE_FILE = re.compile(rf"^(?P<order>\d\d)-(?P<slug>{SLUG})\.md$")
#: A module's Welsh version beside it: 01-module-slug.cy.md (see content_welsh).
WELSH_FILE = re.compile(rf"^(?P<order>\d\d)-(?P<slug>{SLUG})\.cy\.md$")
CHECK_FILE = re.compile(rf"^(?P<order>\d\d)-(?P<slug>{SLUG})\.check\.yaml$")
#: The link forms the renderer turns into lesson addresses (see rendering.MODULE_LINK).
MODULE_LINK = re.compile(r"^(?:\.\./(?P<course>[^/]+)/)?(?P<file>[^/]+\.md)$")

# Parse as the renderer does, so the checker sees the same headings and links.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

FRONT_MATTER_RULES: dict[str, Rule] = {
    "title": (is_text, "must be non-empty text"),
    "order": (lambda v: is_int(v) and v >= 1, "must be a whole number of at least 1"),
    "outcomes": (lambda v: isinstance(v, list) and len(v) > 0,
                 "must be a list of at least one learning outcome"),
}


def slugify(text: str) -> str:
    """"The facilitator's role" -> "the-facilitators-role" (ASCII, lowercase, hyphens)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['\u2019]", "", ascii_text.lower())
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


@dataclass(frozen=True)
class Lesson:
    title: str
    slug: str
    line: int
    body: str


@dataclass(frozen=True)
class Link:
    line: int
    href: str


@dataclass
class ModuleText:
    """What a module file holds; `front` is None when the front matter is unusable."""

    front: YamlDoc | None = None
    lessons: list[Lesson] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def parse_module(text: str, rules: dict[str, Rule] | None = None) -> ModuleText:
    """A module file (or, with other front-matter `rules`, its Welsh version)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return ModuleText(issues=[(1, "a module file must start with front matter between "
                                      "'---' lines")])
    end = next((n for n in range(1, len(lines)) if lines[n].rstrip() == "---"), None)
    if end is None:
        return ModuleText(issues=[(1, "front matter is not closed with a '---' line")])
    module = ModuleText()
    module.front, module.issues = _front_matter("\n".join(lines[1:end]),
                                                rules or FRONT_MATTER_RULES)
    _read_body(module, lines[end + 1:], offset=end + 1)
    return module


def _front_matter(text: str, rules: dict[str, Rule]) -> tuple[YamlDoc | None, list[Issue]]:
    doc, issues = parse_yaml(text, offset=1)
    if doc is None:
        return None, issues
    issues += check_mapping(doc, doc.data, rules, what="front matter")
    if isinstance(doc.data, dict):
        issues += check_text_list(doc, doc.data.get("outcomes"), "outcomes", what="outcome")
    return (None if issues else doc), issues


def _read_body(module: ModuleText, lines: list[str], offset: int) -> None:
    tokens = _markdown.parse("\n".join(lines))
    maps = {n: t.map for n, t in enumerate(tokens)
            if t.type == "heading_open" and t.tag == "h1" and t.level == 0 and t.map}
    headings = list(maps)
    module.links = [Link(line + offset + 1, href) for line, href in _links(tokens)]
    if not headings:
        module.issues.append((offset + 1, "module has no lessons (each lesson starts with a "
                                          "'# ' heading)"))
        return
    first = maps[headings[0]][0]
    stray = next((n for n in range(first) if lines[n].strip()), None)
    if stray is not None:
        module.issues.append((stray + offset + 1, "text before the first lesson heading"))
    ends = [maps[n][0] for n in headings[1:]] + [len(lines)]
    for n, end in zip(headings, ends, strict=True):
        start, body_start = maps[n]
        _add_lesson(module, tokens[n + 1].content.strip(), start + offset + 1,
                    _trim(lines[body_start:end]))


def _add_lesson(module: ModuleText, title: str, line: int, body: str) -> None:
    slug = slugify(title)
    same = next((lesson for lesson in module.lessons if lesson.slug == slug), None)
    if not slug:
        module.issues.append((line, "a lesson heading needs a title with letters or digits"))
    elif same is not None:
        module.issues.append((line, f"duplicate lesson '{title}' (same slug '{slug}' as the "
                                    f"lesson on line {same.line})"))
    if not body:
        module.issues.append((line, f"lesson '{title}' has no text"))
    module.lessons.append(Lesson(title, slug, line, body))


def _trim(lines: list[str]) -> str:
    """The lines without blank lines at either end (indentation kept: it can be code)."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(line.rstrip() for line in lines[start:end])


def _links(tokens) -> list[tuple[int, str]]:
    """(0-based line, href) of every link; code spans and blocks hold none."""
    found = []
    for token in tokens:
        if token.type != "inline" or not token.map or not token.children:
            continue
        line = token.map[0]
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                found.append((line, str(child.attrGet("href") or "")))
    return found


#: Lesson slugs of every module file, by course slug then file name (None: unreadable).
ModuleIndex = dict[str, dict[str, frozenset[str] | None]]


def link_problem(href: str, course: str, index: ModuleIndex) -> str | None:
    """Why a link in `course` does not lead to a module (or lesson) in the catalogue."""
    parts = urlsplit(href)
    path = unquote(parts.path)
    if parts.scheme or parts.netloc or not path.endswith(".md"):
        return None  # web, mail or in-page links, and links to other kinds of file
    match = MODULE_LINK.match(path)
    if match is None:
        return (f"link to '{path}' must be a module file name like 02-name.md, or "
                "../course/02-name.md")
    target_course, target_file = match["course"] or course, match["file"]
    modules = index.get(target_course)
    if modules is None:
        return f"broken link '{href}': there is no course '{target_course}'"
    if target_file not in modules:
        return f"broken link '{href}': there is no module file {target_course}/{target_file}"
    anchor, slugs = unquote(parts.fragment), modules[target_file]
    if anchor and slugs is not None and anchor not in slugs:
        return f"broken link '{href}': {target_file} has no lesson '{anchor}'"
    return None
