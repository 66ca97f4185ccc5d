"""Evidence measured against a level's standard: pure, no database.

The caller gathers the evidence (lms.accreditation.evidence); here each requirement is
checked and explained in plain language: what is needed, what the person has, and, when
not met, one line saying what is still missing.
"""

from __future__ import annotations

import calendar
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from lms.accreditation.standards import LevelStandard, Requirement

ROLE_WORDS = {"lead": "lead facilitator", "co_facilitator": "co-facilitator",
              "observer": "observer"}
#: process type -> (one, many)
PROCESS_WORDS = {
    "informal_meeting": ("informal meeting", "informal meetings"),
    "formal_conference": ("formal conference", "formal conferences"),
    "indirect": ("indirect process", "indirect processes"),
    "circle": ("circle", "circles"),
    "other": ("other process", "other processes"),
}
#: filter -> (words when true, words when false)
FLAG_WORDS = {"direct": ("direct", "indirect"), "face_to_face": ("face-to-face", "remote"),
              "sensitive": ("sensitive or complex", "non-sensitive")}


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


def _course_completed(req: Requirement, ev: Evidence, words: _Words) -> RequirementResult:
    slugs, months = req.params["course"], req.params.get("within_months")
    title = " or ".join(words.course(slug) for slug in slugs)
    done = max((ev.completed_courses[slug] for slug in slugs if slug in ev.completed_courses
                and _within(ev.completed_courses[slug], ev.today, months)), default=None)
    noun = "course" if len(slugs) == 1 else "course (any one)"
    return _result(req, f"{title} {noun} completed{_last(months)}",
                   f"completed on {_day(done)}" if done else "not yet", "completed",
                   None if done else f"Complete the {title} {noun}{_last(months)}")


def _practice_records(req: Requirement, ev: Evidence, words: _Words) -> RequirementResult:
    params, need = req.params, req.params["count"]
    have = sum(1 for record in ev.practice if _matches(record, params)
               and _within(record.occurred_on, ev.today, params.get("within_months")))
    short = need - have
    return _result(req, _practice_phrase(params, need), str(have), str(need),
                   f"{short} more {_practice_phrase(params, short, number=False)}"
                   if short > 0 else None)


def _matches(record: PracticeEvidence, params: Mapping[str, Any]) -> bool:
    return (record.role in params.get("role", (record.role,))
            and record.process_type in params.get("process_type", (record.process_type,))
            and all(getattr(record, flag) == params[flag] for flag in FLAG_WORDS
                    if flag in params))


def _practice_phrase(params: Mapping[str, Any], count: int, number: bool = True) -> str:
    """E.g. "3 signed-off direct, face-to-face formal conferences as lead facilitator, in
    the last 24 months"."""
    many = count != 1
    flags = ", ".join(FLAG_WORDS[flag][0 if params[flag] else 1] for flag in FLAG_WORDS
                      if flag in params)
    kinds = params.get("process_type")
    noun = (" or ".join(PROCESS_WORDS[kind][many] for kind in kinds) if kinds
            else ("processes" if many else "process"))
    roles = params.get("role")
    role = f" as {' or '.join(ROLE_WORDS[r] for r in roles)}" if roles else ""
    window = _last(params.get("within_months"), comma=bool(role))
    text = f"signed-off {flags + ' ' if flags else ''}{noun}{role}{window}"
    return f"{count} {text}" if number else text


def _observations(req: Requirement, ev: Evidence, words: _Words) -> RequirementResult:
    """Observed practice: a supervisor or assessor watched the person deliver and found it
    met the standard (a signed-off log record is not an observation)."""
    need, months = req.params["count"], req.params["within_months"]
    have = sum(1 for day in ev.observations if _within(day, ev.today, months))
    short = need - have

    def phrase(count: int) -> str:
        return (f"observed practice{'s' if count != 1 else ''} (watched live or by recording"
                f" by a supervisor or assessor) meeting the standard{_last(months)}")

    return _result(req, f"{need} {phrase(need)}", str(have), str(need),
                   f"{short} more {phrase(short)}" if short > 0 else None)


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
    since = ("since practice began" if not words.maintenance and began and
             start > months_before(ev.today, months) else _last(months).strip(", "))
    details = [f"No session from {_day(a)} to {_day(b)} ({_span((b - a).days)})"
               for a, b in gaps]
    missing = None
    if gaps:
        missing = (f"Case supervision at least every {_plural(weeks, 'week')}: "
                   f"{_plural(len(gaps), 'gap')} longer than that {since}")
    elif not held:
        missing = "A case supervision session (none recorded yet)"
    return _result(req, f"Case supervision at least every {_plural(weeks, 'week')}, {since}",
                   f"{_plural(len(held), 'session')}, longest gap {_span(longest)}"
                   if held else "no sessions yet",
                   f"no gap over {_plural(weeks, 'week')}", missing, details)


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
    return _result(req, f"An active supervision caseload: at least "
                        f"{_plural(need, 'practitioner')} supervised in the last "
                        f"{_plural(weeks, 'week')}",
                   _plural(have, "practitioner"), _plural(need, "practitioner"),
                   f"Supervise {_plural(short, 'more practitioner')} (sessions confirmed by "
                   f"supervisor and practitioner) in the last {_plural(weeks, 'week')}"
                   if short > 0 else None)


def _insurance_held(req: Requirement, ev: Evidence, words: _Words) -> RequirementResult:
    until = ev.insurance_until
    met = until is not None and until >= ev.today
    missing = None
    if not met:
        missing = (f"Record professional indemnity insurance in force (the last expired on "
                   f"{_day(until)})" if until else
                   "Record professional indemnity insurance (insurer, policy number, "
                   "expiry date)")
    return _result(req, "Professional indemnity insurance in force",
                   f"insured until {_day(until)}" if until else "none recorded",
                   "in force today", missing)


def _group(req: Requirement, ev: Evidence, words: _Words) -> RequirementResult:
    """any_of / at_least: enough of the grouped requirements are met."""
    need, parts = req.params["count"], tuple(check(r, ev, words) for r in req.params["of"])
    met = [part for part in parts if part.met]
    head = "Any one of" if need == 1 else f"At least {need} of"
    description = f"{head}: " + "; ".join(part.description for part in parts)
    short = need - len(met)
    missing = None
    if short > 0:
        missing = ("One of: " if short == 1 else f"{short} more of: ") + "; or ".join(
            part.missing or "" for part in parts if not part.met)
    return _result(req, description,
                   "met: " + "; ".join(part.description for part in met) if met else
                   "none met yet", f"{need} of {len(parts)}", missing, parts=parts)


def _cpd_hours(req: Requirement, ev: Evidence, words: _Words) -> RequirementResult:
    params, months = req.params, req.params["within_months"]
    entries = [entry for entry in ev.cpd if _within(entry.done_on, ev.today, months)]
    total = round(sum(entry.hours for entry in entries), 2)
    approved = round(sum(entry.hours for entry in entries if entry.approved), 2)
    share = params.get("min_approved_share", 0)
    need = f"{_hours(params['hours'])}{_share(share)}"
    gaps = []
    if (short := round(params["hours"] - total, 2)) > 0:
        gaps.append(f"{_number(short)} more CPD {_hours(short, number=False)}{_last(months)}")
    if (short := round(params["hours"] * share - approved, 2)) > 0:
        gaps.append(f"{_number(short)} more approved CPD {_hours(short, number=False)}")
    return _result(req, f"{_hours(params['hours'])} of CPD{_last(months)}{_share(share)}",
                   f"{_hours(total)} ({_number(approved)} approved)", need,
                   "; ".join(gaps) or None)


def _level_held(req: Requirement, ev: Evidence, words: _Words) -> RequirementResult:
    keys, months = req.params["level"], req.params.get("for_months")
    label = " or ".join(words.level(key) for key in keys)
    held = sorted((start, key) for key, start in ev.levels_held.items()
                  if key in keys and start <= ev.today)
    since, key = held[0] if held else (None, "")  # the longest held (key unused if none)
    need = f"held for {_plural(months, 'month')}" if months else "held"
    missing = None
    if since is None:
        missing = f"Hold an active {label} accreditation" + (
            f" for {_plural(months, 'month')}" if months else "")
    elif months and since > months_before(ev.today, months):
        to_go = _months_to_go(since, ev.today, months)
        missing = f"Hold {words.level(key)} for {_plural(to_go, 'more month')}"
    return _result(req, f"{label} {need}",
                   f"{words.level(key)} since {_day(since)}" if since else "not held",
                   need, missing)


def _months_to_go(since: date, today: date, months: int) -> int:
    """Whole months from today until `since` is `months` ago (a part month counts as 1)."""
    return next(n for n in itertools.count(1)  # not range(months): month ends clip days
                if since <= months_before(months_before(today, -n), months))


def _attestation(req: Requirement, ev: Evidence, words: _Words) -> RequirementResult:
    label = req.params["name"].replace("_", " ")
    agreed = req.params["name"] in ev.attestations
    return _result(req, f"Agreed to the {label} statement", "agreed" if agreed else "not yet",
                   "agreed", None if agreed else f"Agree to the {label} statement")


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
    return f"{day.day} {day:%b %Y}"


def _number(value: float) -> str:
    return f"{value:g}"


def _hours(value: float, number: bool = True) -> str:
    unit = "hour" if value == 1 else "hours"
    return f"{_number(value)} {unit}" if number else unit


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"


def _last(months: int | None, comma: bool = False) -> str:
    if months is None:
        return ""
    period = "month" if months == 1 else _plural(months, "month")
    return f"{',' if comma else ''} in the last {period}"


def _share(share: float) -> str:
    if not share:
        return ""
    return ", " + {0.5: "at least half", 1: "all"}.get(share, f"at least {share:.0%}") + \
        " approved"


def _span(days: int) -> str:
    weeks, rest = divmod(days, 7)
    parts = [_plural(n, unit) for n, unit in ((weeks, "week"), (rest, "day")) if n]
    return " and ".join(parts) or "0 days"
