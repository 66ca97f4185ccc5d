"""Evidence measured against a level's standard: pure, no database.

The caller gathers the evidence (lms.accreditation.evidence); here each requirement is
checked and explained in plain language: what is needed, what the person has, and, when
not met, one line saying what is still missing. The words are in the reader's language
(gettext); outside a request they are English.
"""

from __future__ import annotations

import calendar
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from babel.dates import format_date
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.accreditation.standards import LevelStandard, Requirement

ROLE_WORDS = {"lead": _l("lead facilitator"), "co_facilitator": _l("co-facilitator"),
              "observer": _l("observer")}


def _process_words(kind: str, count: int) -> str:
    """A process type as a noun for `count` of them (after a number)."""
    words = {
        "informal_meeting": ngettext("informal meeting", "informal meetings", count),
        "formal_conference": ngettext("formal conference", "formal conferences", count),
        "indirect": ngettext("indirect process", "indirect processes", count),
        "circle": ngettext("circle", "circles", count),
        "other": ngettext("other process", "other processes", count),
    }
    return words[kind]


#: filter -> (words when true, words when false)
FLAG_WORDS = {"direct": (_l("direct"), _l("indirect")),
              "face_to_face": (_l("face-to-face"), _l("remote")),
              "sensitive": (_l("sensitive or complex"), _l("non-sensitive"))}


@dataclass(frozen=True)
class PracticeEvidence:
    occurred_on: date
    signed_off_on: date
    role: str  #: lead | co_facilitator | observer
    direct: bool
    face_to_face: bool
    sensitive: bool
    process_type: str


@dataclass(frozen=True)
class CpdEvidence:
    done_on: date
    hours: float
    approved: bool


@dataclass(frozen=True)
class Evidence:
    today: date
    completed_courses: Mapping[str, date]  #: course slug -> completion date
    practice: tuple[PracticeEvidence, ...]  #: signed-off records only
    supervision_dates: tuple[date, ...]  #: sessions confirmed by both people
    cpd: tuple[CpdEvidence, ...]
    levels_held: Mapping[str, date]  #: level key -> start of the currently active record
    attestations: frozenset[str]
    #: dates of observations of this person's practice that met the standard
    observations: tuple[date, ...] = ()
    #: (supervisee id, date) of confirmed sessions where this person was the supervisor
    supervisees: tuple[tuple[int, date], ...] = ()
    #: the latest expiry date of a professional indemnity insurance policy recorded
    insurance_until: date | None = None


@dataclass(frozen=True)
class RequirementResult:
    requirement: Requirement
    description: str  #: what is required, e.g. "1 observed practice signed off in ..."
    have: str  #: e.g. "4.5 hours (2 approved)"
    need: str  #: e.g. "12 hours, at least half approved"
    met: bool
    missing: str | None  #: one line saying what is still needed; None when met
    details: tuple[str, ...] = ()  #: more lines to show, e.g. each supervision gap
    parts: tuple[RequirementResult, ...] = ()  #: for any_of / at_least, each alternative


@dataclass(frozen=True)
class Evaluation:
    level: LevelStandard
    results: tuple[RequirementResult, ...]

    @property
    def eligible(self) -> bool:
        return all(result.met for result in self.results)

    @property
    def met_count(self) -> int:
        return sum(1 for result in self.results if result.met)


@dataclass(frozen=True)
class _Words:
    """Names to show for course slugs and level keys (the key itself when unknown), and
    whether renewal (not first issue) is being assessed."""

    courses: Mapping[str, str]
    levels: Mapping[str, str]
    maintenance: bool = False

    def course(self, slug: str) -> str:
        return self.courses.get(slug, slug)

    def level(self, key: str) -> str:
        return self.levels.get(key, key)


def evaluate(level: LevelStandard, evidence: Evidence, *,
             course_titles: Mapping[str, str] | None = None,
             level_names: Mapping[str, str] | None = None,
             maintenance: bool = False) -> Evaluation:
    """Each requirement for first issue (or, with `maintenance`, for renewal) checked."""
    items = level.maintenance if maintenance else level.requirements
    return evaluate_items(level, items, evidence, course_titles=course_titles,
                          level_names=level_names, maintenance=maintenance)


def evaluate_items(level: LevelStandard, items, evidence: Evidence, *,
                   course_titles: Mapping[str, str] | None = None,
                   level_names: Mapping[str, str] | None = None,
                   maintenance: bool = False) -> Evaluation:
    """The given requirements checked (joint renewal gathers them from several levels)."""
    words = _Words(course_titles or {}, level_names or {}, maintenance)
    return Evaluation(level, tuple(check(r, evidence, words) for r in items))


def wording(course_titles: Mapping[str, str] | None = None,
            level_names: Mapping[str, str] | None = None, maintenance: bool = False) -> _Words:
    """What `check` needs to word a result."""
    return _Words(course_titles or {}, level_names or {}, maintenance)


def check(requirement: Requirement, evidence: Evidence, words: _Words) -> RequirementResult:
    return _CHECKS[requirement.kind](requirement, evidence, words)


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier, or the month's last day if shorter
    (31 May -> 28/29 Feb for 3 months). Negative `months` count forwards."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _within(day: date, today: date, months: int | None) -> bool:
    """On or after the same day `months` ago (any time if None), and not in the future."""
    return day <= today and (months is None or day >= months_before(today, months))


def _result(requirement, description, have, need, missing, details=(), parts=()):
    return RequirementResult(requirement, description, have, need, missing is None, missing,
                             tuple(details), tuple(parts))


def _either(names) -> str:
    """Alternatives: "A or B or C"."""
    separator = " " + _("or") + " "
    return separator.join(str(name) for name in names)


def _course_completed(req: Requirement, ev: Evidence, words: _Words) -> RequirementResult:
    slugs, months = req.params["course"], req.params.get("within_months")
    title = _either(words.course(slug) for slug in slugs)
    done = max((ev.completed_courses[slug] for slug in slugs if slug in ev.completed_courses
                and _within(ev.completed_courses[slug], ev.today, months)), default=None)
    period = _last(months)
    if len(slugs) == 1:
        description = _("%(title)s course completed%(period)s", title=title, period=period)
        missing = _("Complete the %(title)s course%(period)s", title=title, period=period)
    else:
        description = _("%(title)s course (any one) completed%(period)s", title=title,
                        period=period)
        missing = _("Complete the %(title)s course (any one)%(period)s", title=title,
                    period=period)
    return _result(req, description,
                   _("completed on %(day)s", day=_day(done)) if done else _("not yet"),
                   _("completed"), None if done else missing)


def _practice_records(req: Requirement, ev: Evidence, words: _Words) -> RequirementResult:
    params, need = req.params, req.params["count"]
    have = sum(1 for record in ev.practice if _matches(record, params)
               and _within(record.occurred_on, ev.today, params.get("within_months")))
    short = need - have
    return _result(req, _practice_phrase(params, need), str(have), str(need),
                   _more(short, _practice_phrase(params, short, number=False))
                   if short > 0 else None)


def _more(count: int, what: str) -> str:
    """What is still missing, e.g. "2 more signed-off processes"."""
    return _("%(count)d more %(what)s", count=count, what=what)


def _matches(record: PracticeEvidence, params: Mapping[str, Any]) -> bool:
    return (record.role in params.get("role", (record.role,))
            and record.process_type in params.get("process_type", (record.process_type,))
            and all(getattr(record, flag) == params[flag] for flag in FLAG_WORDS
                    if flag in params))


def _practice_phrase(params: Mapping[str, Any], count: int, number: bool = True) -> str:
    """E.g. "3 signed-off direct, face-to-face formal conferences as lead facilitator, in
    the last 24 months"."""
    flags = ", ".join(str(FLAG_WORDS[flag][0 if params[flag] else 1]) for flag in FLAG_WORDS
                      if flag in params)
    kinds = params.get("process_type")
    noun = (_either(_process_words(kind, count) for kind in kinds) if kinds
            else ngettext("process", "processes", count))
    if flags:
        noun = _("%(qualities)s %(processes)s", qualities=flags, processes=noun)
    roles = params.get("role")
    role = " " + _("as %(roles)s", roles=_either(ROLE_WORDS[r] for r in roles)) if roles else ""
    window = _last(params.get("within_months"), comma=bool(role))
    text = _("signed-off %(processes)s%(role)s%(window)s", processes=noun, role=role,
             window=window)
    return f"{count} {text}" if number else text


def _observations(req: Requirement, ev: Evidence, words: _Words) -> RequirementResult:
    """Observed practice: a supervisor or assessor watched the person deliver and found it
    met the standard (a signed-off log record is not an observation)."""
    need, months = req.params["count"], req.params["within_months"]
    have = sum(1 for day in ev.observations if _within(day, ev.today, months))
    short = need - have

    def phrase(count: int) -> str:
        return ngettext("observed practice (watched live or by recording by a supervisor or "
                        "assessor) meeting the standard%(period)s",
                        "observed practices (watched live or by recording by a supervisor or "
                        "assessor) meeting the standard%(period)s", count,
                        period=_last(months))

    return _result(req, f"{need} {phrase(need)}", str(have), str(need),
                   _more(short, phrase(short)) if short > 0 else None)


def _supervision_within(req: Requirement, ev: Evidence, words: _Words) -> RequirementResult:
    """Supervision at least every `weeks` throughout the assessed period: the last
    `within_months` months, or for a first application only since practice began."""
    weeks, months = req.params["weeks"], req.params["within_months"]
    start = months_before(ev.today, months)
    began = min((record.occurred_on for record in ev.practice), default=None)
    if not words.maintenance:
        start = max(start, began or ev.today - timedelta(weeks=weeks))
    gaps = supervision_gaps(ev.supervision_dates, start, ev.today, weeks)
    held = sorted(day for day in ev.supervision_dates if start <= day <= ev.today)
    longest = max((b - a).days for a, b in _segments(ev.supervision_dates, start, ev.today))
    since = (_("since practice began") if not words.maintenance and began and
             start > months_before(ev.today, months) else _last(months).strip(", "))
    details = [_("No session from %(start)s to %(end)s (%(span)s)", start=_day(a),
                 end=_day(b), span=_span((b - a).days))
               for a, b in gaps]
    every = _weeks(weeks)
    missing = None
    if gaps:
        missing = _("Case supervision at least every %(weeks)s: %(gaps)s longer than that "
                    "%(since)s", weeks=every, since=since,
                    gaps=ngettext("%(num)d gap", "%(num)d gaps", len(gaps)))
    elif not held:
        missing = _("A case supervision session (none recorded yet)")
    return _result(req, _("Case supervision at least every %(weeks)s, %(since)s",
                          weeks=every, since=since),
                   _("%(sessions)s, longest gap %(span)s",
                     sessions=ngettext("%(num)d session", "%(num)d sessions", len(held)),
                     span=_span(longest))
                   if held else _("no sessions yet"),
                   _("no gap over %(weeks)s", weeks=every), missing, details)


def _segments(days, start: date, end: date) -> list[tuple[date, date]]:
    """Consecutive stretches from the last session on or before `start` (or `start`) to
    `end`, through every session in between."""
    before = max((day for day in days if day <= start), default=start)
    inside = sorted({day for day in days if start < day <= end})
    points = [before, *inside, end]
    return list(itertools.pairwise(points))


def supervision_gaps(days, start: date, end: date, weeks: int) -> list[tuple[date, date]]:
    """Stretches between `start` and `end` with no session for longer than `weeks`."""
    return [(a, b) for a, b in _segments(days, start, end) if (b - a).days > weeks * 7]


def _supervision_caseload(req: Requirement, ev: Evidence, words: _Words) -> RequirementResult:
    need, weeks = req.params["supervisees"], req.params["within_weeks"]
    since = ev.today - timedelta(weeks=weeks)
    have = len({who for who, day in ev.supervisees if since <= day <= ev.today})
    short = need - have
    return _result(req, _("An active supervision caseload: at least %(practitioners)s "
                          "supervised in the last %(weeks)s",
                          practitioners=_practitioners(need), weeks=_weeks(weeks)),
                   _practitioners(have), _practitioners(need),
                   _("Supervise %(practitioners)s (sessions confirmed by supervisor and "
                     "practitioner) in the last %(weeks)s", weeks=_weeks(weeks),
                     practitioners=ngettext("%(num)d more practitioner",
                                            "%(num)d more practitioners", short))
                   if short > 0 else None)


def _insurance_held(req: Requirement, ev: Evidence, words: _Words) -> RequirementResult:
    until = ev.insurance_until
    met = until is not None and until >= ev.today
    missing = None
    if not met:
        missing = (_("Record professional indemnity insurance in force (the last expired on "
                     "%(day)s)", day=_day(until)) if until else
                   _("Record professional indemnity insurance (insurer, policy number, "
                     "expiry date)"))
    return _result(req, _("Professional indemnity insurance in force"),
                   _("insured until %(day)s", day=_day(until)) if until else
                   _("none recorded"),
                   _("in force today"), missing)


def _group(req: Requirement, ev: Evidence, words: _Words) -> RequirementResult:
    """any_of / at_least: enough of the grouped requirements are met."""
    need, parts = req.params["count"], tuple(check(r, ev, words) for r in req.params["of"])
    met = [part for part in parts if part.met]
    listed = "; ".join(part.description for part in parts)
    description = (_("Any one of: %(parts)s", parts=listed) if need == 1 else
                   _("At least %(count)d of: %(parts)s", count=need, parts=listed))
    short = need - len(met)
    missing = None
    if short > 0:
        options = ("; " + _("or") + " ").join(part.missing or "" for part in parts
                                                  if not part.met)
        missing = (_("One of: %(options)s", options=options) if short == 1 else
                   _("%(count)d more of: %(options)s", count=short, options=options))
    return _result(req, description,
                   _("met: %(parts)s", parts="; ".join(part.description for part in met))
                   if met else _("none met yet"),
                   _("%(count)d of %(total)d", count=need, total=len(parts)), missing,
                   parts=parts)


def _cpd_hours(req: Requirement, ev: Evidence, words: _Words) -> RequirementResult:
    params, months = req.params, req.params["within_months"]
    entries = [entry for entry in ev.cpd if _within(entry.done_on, ev.today, months)]
    total = round(sum(entry.hours for entry in entries), 2)
    approved = round(sum(entry.hours for entry in entries if entry.approved), 2)
    share = params.get("min_approved_share", 0)
    need = f"{_hours(params['hours'])}{_share(share)}"
    gaps = []
    if (short := round(params["hours"] - total, 2)) > 0:
        gaps.append(ngettext("%(amount)s more CPD hour%(period)s",
                             "%(amount)s more CPD hours%(period)s", _form(short),
                             amount=_number(short), period=_last(months)))
    if (short := round(params["hours"] * share - approved, 2)) > 0:
        gaps.append(ngettext("%(amount)s more approved CPD hour",
                             "%(amount)s more approved CPD hours", _form(short),
                             amount=_number(short)))
    return _result(req, _("%(hours)s of CPD%(period)s%(share)s", hours=_hours(params["hours"]),
                          period=_last(months), share=_share(share)),
                   _("%(hours)s (%(approved)s approved)", hours=_hours(total),
                     approved=_number(approved)), need,
                   "; ".join(gaps) or None)


def _level_held(req: Requirement, ev: Evidence, words: _Words) -> RequirementResult:
    keys, months = req.params["level"], req.params.get("for_months")
    label = _either(words.level(key) for key in keys)
    held = sorted((start, key) for key, start in ev.levels_held.items()
                  if key in keys and start <= ev.today)
    since, key = held[0] if held else (None, "")  # the longest held (key unused if none)
    need = _("held for %(months)s", months=_months(months)) if months else _("held")
    missing = None
    if since is None:
        missing = (_("Hold an active %(level)s accreditation for %(months)s", level=label,
                     months=_months(months)) if months else
                   _("Hold an active %(level)s accreditation", level=label))
    elif months and since > months_before(ev.today, months):
        to_go = _months_to_go(since, ev.today, months)
        missing = _("Hold %(level)s for %(months)s", level=words.level(key),
                    months=ngettext("%(num)d more month", "%(num)d more months", to_go))
    return _result(req, f"{label} {need}",
                   _("%(level)s since %(day)s", level=words.level(key), day=_day(since))
                   if since else _("not held"),
                   need, missing)


def _months_to_go(since: date, today: date, months: int) -> int:
    """Whole months from today until `since` is `months` ago (a part month counts as 1)."""
    return next(n for n in itertools.count(1)  # not range(months): month ends clip days
                if since <= months_before(months_before(today, -n), months))


def _attestation(req: Requirement, ev: Evidence, words: _Words) -> RequirementResult:
    label = req.params["name"].replace("_", " ")
    agreed = req.params["name"] in ev.attestations
    return _result(req, _("Agreed to the %(statement)s statement", statement=label),
                   _("agreed") if agreed else _("not yet"), _("agreed"),
                   None if agreed else _("Agree to the %(statement)s statement",
                                         statement=label))


_CHECKS: dict[str, Callable[[Requirement, Evidence, _Words], RequirementResult]] = {
    "course_completed": _course_completed,
    "practice_records": _practice_records,
    "observations": _observations,
    "supervision_within": _supervision_within,
    "supervision_caseload": _supervision_caseload,
    "insurance_held": _insurance_held,
    "any_of": _group,
    "at_least": _group,
    "cpd_hours": _cpd_hours,
    "level_held": _level_held,
    "attestation": _attestation,
}


def _day(day: date) -> str:
    """E.g. "3 Mar 2025", with the month in the reader's language."""
    return format_date(day, "d MMM y", locale=get_locale() or "en")


def _number(value: float) -> str:
    return f"{value:g}"


def _form(value: float) -> int:
    """The count that picks a plural form for a number of hours: a fraction takes the
    general form in English and Welsh alike."""
    return int(value) if float(value).is_integer() else 100


def _hours(value: float) -> str:
    return ngettext("%(amount)s hour", "%(amount)s hours", _form(value),
                    amount=_number(value))


def _weeks(count: int) -> str:
    return ngettext("%(num)d week", "%(num)d weeks", count)


def _months(count: int) -> str:
    return ngettext("%(num)d month", "%(num)d months", count)


def _practitioners(count: int) -> str:
    return ngettext("%(num)d practitioner", "%(num)d practitioners", count)


def _last(months: int | None, comma: bool = False) -> str:
    if months is None:
        return ""
    period = ngettext("in the last month", "in the last %(num)d months", months)
    return f"{',' if comma else ''} {period}"


def _share(share: float) -> str:
    if not share:
        return ""
    words = {0.5: _("at least half approved"), 1: _("all approved")}.get(share)
    return ", " + (words or _("at least %(share)s approved", share=f"{share:.0%}"))


def _span(days: int) -> str:
    weeks, rest = divmod(days, 7)
    parts = [words for n, words in ((weeks, _weeks(weeks)),
                                    (rest, ngettext("%(num)d day", "%(num)d days", rest))) if n]
    return (" " + _("and") + " ").join(parts) or ngettext("%(num)d day", "%(num)d days", 0)
