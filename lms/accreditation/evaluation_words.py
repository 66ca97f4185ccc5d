"""The plain-language pieces a requirement's result is worded with: days, hours, weeks,
months and people with their plural forms, periods ("in the last 12 months") and practice
described by its kind, qualities and role, and the names shown for courses and levels. In
the reader's language (gettext); outside a request, English."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import format_date

from lms.i18n import current_locale, plural_number
from lms.i18n import gettext as _gettext
from lms.i18n import lazy_gettext as _l
from lms.i18n import ngettext as _ngettext

#: What every piece of wording is while counting only (lms.accreditation.evaluation's
#: count_met): never empty, since a check that joins its gaps decides "met" on whether
#: any gap was worded.
UNWORDED = "-"
_unworded: ContextVar[bool] = ContextVar("unworded", default=False)


@contextlib.contextmanager
def unworded() -> Iterator[None]:
    """Checks run inside decide what is met but word nothing: an export of thousands of
    people needs only how many requirements each meets, and wording was three quarters
    of its time. The rules run exactly as they do for the pathway."""
    token = _unworded.set(True)
    try:
        yield
    finally:
        _unworded.reset(token)


def _(string: str, **variables) -> str:
    """gettext, or UNWORDED while counting only."""
    return UNWORDED if _unworded.get() else _gettext(string, **variables)


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """ngettext, or UNWORDED while counting only."""
    return UNWORDED if _unworded.get() else _ngettext(singular, plural, num, **variables)

ROLE_WORDS = {"lead": _l("lead facilitator"), "co_facilitator": _l("co-facilitator"),
              "observer": _l("observer")}

#: filter -> (words when true, words when false)
FLAG_WORDS = {"direct": (_l("direct"), _l("indirect")),
              "face_to_face": (_l("face-to-face"), _l("remote")),
              "sensitive": (_l("sensitive or complex"), _l("non-sensitive"))}


@dataclass(frozen=True)
class Wording:
    """Names to show for course slugs and level keys (the key itself when unknown), and
    whether renewal (not first issue) is being assessed."""

    courses: Mapping[str, str]
    levels: Mapping[str, str]
    maintenance: bool = False

    def course(self, slug: str) -> str:
        return self.courses.get(slug, slug)

    def level(self, key: str) -> str:
        return self.levels.get(key, key)


def wording(course_titles: Mapping[str, str] | None = None,
            level_names: Mapping[str, str] | None = None, maintenance: bool = False) -> Wording:
    """What `lms.accreditation.evaluation.check` needs to word a result."""
    return Wording(course_titles or {}, level_names or {}, maintenance)


def _process_words(kind: str, count: int) -> str:
    """A process type as a noun for `count` of them (after a number)."""
    return _PROCESS_WORDS[kind](count)


#: Process type -> its noun for a count (each a literal call, for extraction; only the
#: kind asked for is translated).
_PROCESS_WORDS = {
    "informal_meeting": lambda n: ngettext("informal meeting", "informal meetings", n),
    "formal_conference": lambda n: ngettext("formal conference", "formal conferences", n),
    "indirect": lambda n: ngettext("indirect process", "indirect processes", n),
    "circle": lambda n: ngettext("circle", "circles", n),
    "other": lambda n: ngettext("other process", "other processes", n),
}


def either(names) -> str:
    """Alternatives: "A or B or C"."""
    if _unworded.get():
        return UNWORDED
    separator = " " + _("or") + " "
    return separator.join(str(name) for name in names)


def more(count: int, what: str) -> str:
    """What is still missing, e.g. "2 more signed-off processes"."""
    return _("%(count)d more %(what)s", count=count, what=what)


def practice_phrase(params: Mapping[str, Any], count: int, number: bool = True) -> str:
    """E.g. "3 signed-off direct, face-to-face formal conferences as lead facilitator, in
    the last 24 months"."""
    if _unworded.get():
        return UNWORDED
    flags = ", ".join(str(FLAG_WORDS[flag][0 if params[flag] else 1]) for flag in FLAG_WORDS
                      if flag in params)
    kinds = params.get("process_type")
    noun = (either(_process_words(kind, count) for kind in kinds) if kinds
            else ngettext("process", "processes", count))
    if flags:
        noun = _("%(qualities)s %(processes)s", qualities=flags, processes=noun)
    roles = params.get("role")
    role = " " + _("as %(roles)s", roles=either(ROLE_WORDS[r] for r in roles)) if roles else ""
    window = in_last(params.get("within_months"), comma=bool(role))
    text = _("signed-off %(processes)s%(role)s%(window)s", processes=noun, role=role,
             window=window)
    return f"{count} {text}" if number else text


def day_text(day: date) -> str:
    """E.g. "3 Mar 2025", with the month in the reader's language."""
    if _unworded.get():
        return UNWORDED
    return _day_text(day, str(current_locale() or "en"))


@functools.lru_cache(maxsize=4096)
def _day_text(day: date, locale: str) -> str:
    """Worked out once per day and language: an export evaluates thousands of people,
    and Babel's formatting costs more than the rest of a requirement's wording."""
    return format_date(day, "d MMM y", locale=locale)


def number_text(value: float) -> str:
    return f"{value:g}"


def hours_text(value: float) -> str:
    return ngettext("%(amount)s hour", "%(amount)s hours", plural_number(value),
                    amount=number_text(value))


def weeks_text(count: int) -> str:
    return ngettext("%(num)d week", "%(num)d weeks", count)


def months_text(count: int) -> str:
    return ngettext("%(num)d month", "%(num)d months", count)


def practitioners_text(count: int) -> str:
    return ngettext("%(num)d practitioner", "%(num)d practitioners", count)


def in_last(months: int | None, comma: bool = False) -> str:
    if months is None:
        return ""
    period = ngettext("in the last month", "in the last %(num)d months", months)
    return f"{',' if comma else ''} {period}"


def share_text(share: float) -> str:
    if not share:
        return ""
    words = {0.5: _("at least half approved"), 1: _("all approved")}.get(share)
    return ", " + (words or _("at least %(share)s approved", share=f"{share:.0%}"))


def span_text(days: int) -> str:
    weeks, rest = divmod(days, 7)
    parts = [words for n, words in ((weeks, weeks_text(weeks)),
                                    (rest, ngettext("%(num)d day", "%(num)d days", rest))) if n]
    return (" " + _("and") + " ").join(parts) or ngettext("%(num)d day", "%(num)d days", 0)
