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


@dataclass(frozen=True)
class RequirementResult:
    requirement: Requirement
    description: str  #: what is required, e.g. "1 observed practice signed off in ..."
    have: str  #: e.g. "4.5 hours (2 approved)"
    need: str  #: e.g. "12 hours, at least half approved"
    met: bool
    missing: str | None  #: one line saying what is still needed; None when met


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
    """Names to show for course slugs and level keys (the key itself when unknown)."""

    courses: Mapping[str, str]
    levels: Mapping[str, str]

    def course(self, slug: str) -> str:
        return self.courses.get(slug, slug)

    def level(self, key: str) -> str:
        return self.levels.get(key, key)


def evaluate(level: LevelStandard, evidence: Evidence, *,
             course_titles: Mapping[str, str] | None = None,
             level_names: Mapping[str, str] | None = None,
             maintenance: bool = False) -> Evaluation:
    """Each requirement for first issue (or, with `maintenance`, for renewal) checked."""
    words = _Words(course_titles or {}, level_names or {})
    items = level.maintenance if maintenance else level.requirements
    return Evaluation(level, tuple(_CHECKS[r.kind](r, evidence, words) for r in items))


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier, or the month's last day if shorter
    (31 May -> 28/29 Feb for 3 months). Negative `months` count forwards."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _within(day: date, today: date, months: int | None) -> bool:
    """On or after the same day `months` ago (any time if None), and not in the future."""
    return day <= today and (months is None or day >= months_before(today, months))


def _result(requirement, description, have, need, missing) -> RequirementResult:
    return RequirementResult(requirement, description, have, need, missing is None, missing)


def _course_completed(req: Requirement, ev: Evidence, words: _Words) -> RequirementResult:
    title = words.course(req.params["course"])
    done = ev.completed_courses.get(req.params["course"])
    return _result(req, f"{title} course completed",
                   f"completed on {_day(done)}" if done else "not yet", "completed",
                   None if done else f"Complete the {title} course")


def _practice_records(req: Requirement, ev: Evidence, words: _Words) -> RequirementResult:
    params, need = req.params, req.params["count"]
    have = sum(1 for record in ev.practice if _matches(record, params)
               and _within(record.occurred_on, ev.today, params.get("within_months")))
    short = need - have
    return _result(req, _practice_phrase(params, need), str(have), str(need),
                   f"{short} more {_practice_phrase(params, short, number=False)}"
                   if short > 0 else None)


def _matches(record: PracticeEvidence, params: Mapping[str, object]) -> bool:
    return (record.role in params.get("role", (record.role,))
            and record.process_type in params.get("process_type", (record.process_type,))
            and all(getattr(record, flag) == params[flag] for flag in FLAG_WORDS
                    if flag in params))


def _practice_phrase(params: Mapping[str, object], count: int, number: bool = True) -> str:
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


def _observed_sign_offs(req: Requirement, ev: Evidence, words: _Words) -> RequirementResult:
    need, months = req.params["count"], req.params["within_months"]
    have = sum(1 for record in ev.practice if _within(record.signed_off_on, ev.today, months))
    short = need - have

    def phrase(count: int) -> str:
        return (f"observed practice{'s' if count != 1 else ''} signed off by a case "
                f"supervisor{_last(months)}")

    return _result(req, f"{need} {phrase(need)}", str(have), str(need),
                   f"{short} more {phrase(short)}" if short > 0 else None)


def _supervision_within(req: Requirement, ev: Evidence, words: _Words) -> RequirementResult:
    weeks = req.params["weeks"]
    last = max((day for day in ev.supervision_dates if day <= ev.today), default=None)
    met = last is not None and last >= ev.today - timedelta(weeks=weeks)
    missing = None
    if not met:
        ago = (f"the last was {_ago((ev.today - last).days)}" if last
               else "none recorded yet")
        missing = f"A case supervision session ({ago})"
    return _result(req, f"A case supervision session in the last {_plural(weeks, 'week')}",
                   f"last on {_day(last)}" if last else "none yet",
                   f"within {_plural(weeks, 'week')}",
                   missing)


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
    since, key = held[0] if held else (None, None)  # the longest held
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
    "observed_sign_offs": _observed_sign_offs,
    "supervision_within": _supervision_within,
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


def _ago(days: int) -> str:
    weeks, rest = divmod(days, 7)
    parts = [_plural(n, unit) for n, unit in ((weeks, "week"), (rest, "day")) if n]
    return " and ".join(parts) + " ago"
