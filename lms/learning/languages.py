"""Course content in the learner's language: the Welsh of a course, module, lesson or
question where it exists (columns named `<field>_cy`), otherwise the English, marked with
the language it is in, so a page can set `lang` on a passage in the other language and tell
a Welsh reader plainly where the content is only in English.

Templates call `shown(obj, "title")` (and `shown_option(question, index)`); the result
prints as the text (escaped, or as HTML for `body_html`), and has `inline` (the text, in a
span with `lang` when needed), `lang_attr` (` lang="en"` on a Welsh page showing English,
` lang="cy"` on an English page showing Welsh, else empty) and `fallback` (Welsh was wanted
but only English exists)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from lms.i18n import current_locale

WELSH, ENGLISH = "cy", "en"
#: Fields that hold sanitised HTML rendered when the course was loaded.
HTML_FIELDS = frozenset({"body_html"})


def page_language() -> str:
    """The language the page is shown in: "cy" or "en"."""
    locale = current_locale()  # asked for every title a page shows
    return WELSH if locale is not None and locale.language == WELSH else ENGLISH


@dataclass(frozen=True)
class Shown:
    """A piece of content and the language it is in."""

    text: Any  #: str, Markup, or a list of str (outcomes)
    lang: str  #: the language of `text`
    page: str  #: the language of the page

    def __str__(self) -> str:
        return str(self.text)

    def __html__(self) -> Markup:
        return self.text if isinstance(self.text, Markup) else escape(self.text)

    def __iter__(self):
        return iter(self.text)

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def lang_attr(self) -> Markup:
        return Markup(' lang="%s"') % self.lang if self.lang != self.page else Markup("")

    @property
    def inline(self) -> Markup:
        """The text, in a span with `lang` when it is not in the page's language."""
        if self.lang == self.page:
            return self.__html__()
        return Markup('<span lang="%s">%s</span>') % (self.lang, self.__html__())

    @property
    def fallback(self) -> bool:
        """A Welsh page showing English because there is no Welsh."""
        return self.page == WELSH and self.lang != WELSH


def shown(obj: object, field: str) -> Shown:
    """`obj.<field>` in the page's language where it exists, else in English."""
    page = page_language()
    text, lang = getattr(obj, field), ENGLISH
    if page == WELSH:
        welsh = getattr(obj, f"{field}_cy", None)
        if welsh:
            text, lang = welsh, WELSH
    if field in HTML_FIELDS:
        text = Markup(text)  # noqa: S704 - sanitised when the course was loaded
    return Shown(text, lang, page)


def shown_option(question: Any, index: int) -> Shown:
    """The text of a question's option (by its index in the course file) in the page's
    language, where the question is translated."""
    page = page_language()
    welsh = getattr(question, "options_cy", None)
    if page == WELSH and welsh and index < len(welsh):
        return Shown(welsh[index], WELSH, page)
    return Shown(question.options[index]["text"], ENGLISH, page)


def in_welsh(version: object) -> bool:
    """Whether a course version is taught in Welsh in full."""
    return bool(getattr(version, "welsh", False))


def register(blueprint) -> None:
    """Make `shown`, `shown_option`, `page_language` and `in_welsh` template globals."""
    for function in (shown, shown_option, page_language, in_welsh):
        blueprint.add_app_template_global(function)
