"""The course page's outline as HTML, rendered once and kept per process: a course of 13
modules and 47 lessons is the same for every learner but their marks (lessons done, checks
passed), and rendering its titles, outcomes, standards and links through Jinja on every
view was about a third of the page. What is kept depends only on the course version (its
content hash), the page's language, whether the viewer sees the answer key, the script
root and the standards mapping the course's files give now, which is its key."""

from __future__ import annotations

from typing import NamedTuple

from flask import get_template_attribute, request
from markupsafe import Markup

from lms.learning.languages import page_language
from lms.learning.occupational_standards import CourseMapping
from lms.learning.progress import ModuleProgress

_TEMPLATE = "learning/_outline.html"
KEPT = 256  #: (version, language, viewer kind) combinations kept; far more than are live


class ModuleHtml(NamedTuple):
    title: Markup
    details: Markup  #: what it teaches and the standards it maps to
    lessons: tuple[Markup, ...]  #: each lesson's link, in order
    check: Markup  #: the knowledge check's list item


class _Kept(NamedTuple):
    mapping: CourseMapping  #: the mapping it was rendered with (compared by identity)
    modules: list[ModuleHtml]


_kept: dict[tuple, _Kept] = {}


def outline_html(course_slug: str, version, modules: list[ModuleProgress],
                 mapping: CourseMapping, *, answer_key: bool) -> list[ModuleHtml]:
    """Each module's unchanging parts, in the order of `modules` (the version's outline,
    or a learner's copy of it)."""
    key = (version.id, version.content_hash, page_language(), answer_key, request.script_root,
           course_slug)
    kept = _kept.get(key)
    if kept is None or kept.mapping is not mapping:
        if len(_kept) >= KEPT:
            _kept.clear()
        kept = _kept[key] = _Kept(mapping, _render(course_slug, modules, mapping, answer_key))
    return kept.modules


def _render(course_slug, modules, mapping, answer_key) -> list[ModuleHtml]:
    title, details, link, check = (get_template_attribute(_TEMPLATE, name) for name in (
        "module_title", "module_details", "lesson_link", "check_item"))
    return [ModuleHtml(title(module), details(module, mapping.modules.get(module.slug)),
                       tuple(link(course_slug, module, lesson) for lesson in module.lessons),
                       check(course_slug, module, answer_key))
            for module in modules]


def forget() -> None:
    """For tests, whose database starts again from id 1 for every test."""
    _kept.clear()
