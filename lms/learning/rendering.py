"""Lesson Markdown to safe HTML: markdown-it renders (raw HTML off), nh3 sanitises anyway,
and links to other modules' files become links to their lesson pages."""

import re
from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
#: A link to a module file: [text](03-name.md#lesson) or ../course/03-name.md
MODULE_LINK = re.compile(r"^(?:\.\./(?P<course>[a-z0-9-]+)/)?(?P<file>\d\d-[a-z0-9-]+)\.md"
                         r"(?:#(?P<anchor>[a-z0-9-]+))?$")

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_lesson(markdown: str, resolve_link: Callable[[str, str, str | None], str | None]):
    """HTML for a lesson. `resolve_link(course_slug, module_file_stem, anchor)` turns a module
    link into the app's address (or None to drop the link target)."""
    html = _markdown.render(markdown)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        attribute_filter=_link_filter(resolve_link),
    )


def _link_filter(resolve_link):
    def keep(tag, attribute, value):
        if tag == "a" and attribute == "href":
            match = MODULE_LINK.match(value)
            if match:
                return resolve_link(match["course"], match["file"], match["anchor"])
        return value

    return keep
