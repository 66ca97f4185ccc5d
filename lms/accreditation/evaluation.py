"""Evidence measured against a level's standard: pure, no database.

The caller gathers the evidence (lms.accreditation.evidence); here each requirement is
checked and explained in plain language: what is needed, what the person has, and, when
not met, one line saying what is still missing. The words are in the reader's language
(gettext, pieces from lms.accreditation.evaluation_words); outside a request they are
English. The evidence and result types are in lms.accreditation.evaluation_types.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

from lms.accreditation.evaluation_types import (
    Evaluation,
    Evidence,
    PracticeEvidence,
    RequirementResult,
)
from lms.accreditation.evaluation_words import (
    FLAG_WORDS,
    Wording,
    _,
    day_text,
    either,
    hours_text,
    in_last,
    months_text,
    more,
    ngettext,
    number_text,
    practice_phrase,
    practitioners_text,
    share_text,
    span_text,
    unworded,
    weeks_text,
    wording,
)
from lms.accreditation.periods import (
    months_before,
    months_to_go,
    stretches,
    supervision_gaps,
    within,
)
from lms.accreditation.standards import LevelStandard, Requirement
from lms.i18n import plural_number


def evaluate(level: LevelStandard, evidence: Evidence, *,
             course_titles: Mapping[str, str] | None = None,
             level_names: Mapping[str, str] | None = None,
             maintenance: bool = False) -> Evaluation:
    """Each requirement for first issue (or, with `maintenance`, for renewal) checked."""
    items = level.maintenance if maintenance else level.requirements
    return evaluate_items(level, items, evidence, course_titles=course_titles,
                          level_names=level_names, maintenance=maintenance)


def count_met(level: LevelStandard, evidence: Evidence) -> tuple[int, int]:
    """(requirements met, requirements) for first issue: evaluate's decisions without its
    words, for lists and exports that show only the counts."""
    with unworded():
        results = evaluate(level, evidence).results
    return sum(1 for result in results if result.met), len(results)


def evaluate_items(level: LevelStandard, items, evidence: Evidence, *,
                   course_titles: Mapping[str, str] | None = None,
                   level_names: Mapping[str, str] | None = None,
                   maintenance: bool = False) -> Evaluation:
    """The given requirements checked (joint renewal gathers them from several levels)."""
    words = wording(course_titles, level_names, maintenance)
    return Evaluation(level, tuple(check(r, evidence, words) for r in items))


def check(requirement: Requirement, evidence: Evidence, words: Wording) -> RequirementResult:
    return _CHECKS[requirement.kind](requirement, evidence, words)


def _result(requirement, description, have, need, missing, details=(), parts=()):
    return RequirementResult(requirement, description, have, need, missing is None, missing,
                             tuple(details), tuple(parts))


def _course_completed(req: Requirement, ev: Evidence, words: Wording) -> RequirementResult:
    slugs, months = req.params["course"], req.params.get("within_months")
    title = either(words.course(slug) for slug in slugs)
    done = max((ev.completed_courses[slug] for slug in slugs if slug in ev.completed_courses
                and within(ev.completed_courses[slug], ev.today, months)), default=None)
    period = in_last(months)
    if len(slugs) == 1:
        description = _("%(title)s course completed%(period)s", title=title, period=period)
        missing = _("Complete the %(title)s course%(period)s", title=title, period=period)
    else:
        description = _("%(title)s course (any one) completed%(period)s", title=title,
                        period=period)
        missing = _("Complete the %(title)s course (any one)%(period)s", title=title,
                    period=period)
    return _result(req, description,
                   _("completed on %(day)s", day=day_text(done)) if done else _("not yet"),
                   _("completed"), None if done else missing)


def _practice_records(req: Requirement, ev: Evidence, words: Wording) -> RequirementResult:
    params, need = req.params, req.params["count"]
    matches = _matcher(params, ev.today)
    have = sum(1 for record in ev.practice if matches(record))
    short = need - have
    return _result(req, practice_phrase(params, need), str(have), str(need),
                   more(short, practice_phrase(params, short, number=False))
                   if short > 0 else None)


def _matcher(params: Mapping[str, Any], today: date) -> Callable[[PracticeEvidence], bool]:
    """Whether a signed-off record counts for a practice requirement: its role, process
    type and qualities among those asked for, on a day within the period (and not in the
    future). The requirement is read once, not again for every record."""
    roles, kinds = params.get("role"), params.get("process_type")
    flags = tuple((flag, params[flag]) for flag in FLAG_WORDS if flag in params)
    months = params.get("within_months")
    since = months_before(today, months) if months is not None else None

    def matches(record: PracticeEvidence) -> bool:
        return ((roles is None or record.role in roles)
                and (kinds is None or record.process_type in kinds)
                and all(getattr(record, flag) == wanted for flag, wanted in flags)
                and record.occurred_on <= today
                and (since is None or record.occurred_on >= since))

    return matches


def _observations(req: Requirement, ev: Evidence, words: Wording) -> RequirementResult:
    """Observed practice: a supervisor or assessor watched the person deliver and found it
    met the standard (a signed-off log record is not an observation)."""
    need, months = req.params["count"], req.params["within_months"]
    have = sum(1 for day in ev.observations if within(day, ev.today, months))
    short = need - have

    def phrase(count: int) -> str:
        return ngettext("observed practice (watched live or by recording by a supervisor or "
                        "assessor) meeting the standard%(period)s",
                        "observed practices (watched live or by recording by a supervisor or "
                        "assessor) meeting the standard%(period)s", count,
                        period=in_last(months))

    return _result(req, f"{need} {phrase(need)}", str(have), str(need),
                   more(short, phrase(short)) if short > 0 else None)


def _supervision_within(req: Requirement, ev: Evidence, words: Wording) -> RequirementResult:
    """Supervision at least every `weeks` throughout the assessed period: the last
    `within_months` months, or for a first application only since practice began."""
    weeks, months = req.params["weeks"], req.params["within_months"]
    start = months_before(ev.today, months)
    began = min((record.occurred_on for record in ev.practice), default=None)
    if not words.maintenance:
        start = max(start, began or ev.today - timedelta(weeks=weeks))
    gaps = supervision_gaps(ev.supervision_dates, start, ev.today, weeks)
    held = sorted(day for day in ev.supervision_dates if start <= day <= ev.today)
    longest = max((b - a).days for a, b in stretches(ev.supervision_dates, start, ev.today))
    since = (_("since practice began") if not words.maintenance and began and
             start > months_before(ev.today, months) else in_last(months).strip(", "))
    details = [_("No session from %(start)s to %(end)s (%(span)s)", start=day_text(a),
                 end=day_text(b), span=span_text((b - a).days))
               for a, b in gaps]
    every = weeks_text(weeks)
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
                     span=span_text(longest))
                   if held else _("no sessions yet"),
                   _("no gap over %(weeks)s", weeks=every), missing, details)


def _supervision_caseload(req: Requirement, ev: Evidence, words: Wording) -> RequirementResult:
    need, weeks = req.params["supervisees"], req.params["within_weeks"]
    since = ev.today - timedelta(weeks=weeks)
    have = len({who for who, day in ev.supervisees if since <= day <= ev.today})
    short = need - have
    return _result(req, _("An active supervision caseload: at least %(practitioners)s "
                          "supervised in the last %(weeks)s",
                          practitioners=practitioners_text(need), weeks=weeks_text(weeks)),
                   practitioners_text(have), practitioners_text(need),
                   _("Supervise %(practitioners)s (sessions confirmed by supervisor and "
                     "practitioner) in the last %(weeks)s", weeks=weeks_text(weeks),
                     practitioners=ngettext("%(num)d more practitioner",
                                            "%(num)d more practitioners", short))
                   if short > 0 else None)


def _insurance_held(req: Requirement, ev: Evidence, words: Wording) -> RequirementResult:
    until = ev.insurance_until
    met = until is not None and until >= ev.today
    missing = None
    if not met:
        missing = (_("Record professional indemnity insurance in force (the last expired on "
                     "%(day)s)", day=day_text(until)) if until else
                   _("Record professional indemnity insurance (insurer, policy number, "
                     "expiry date)"))
    return _result(req, _("Professional indemnity insurance in force"),
                   _("insured until %(day)s", day=day_text(until)) if until else
                   _("none recorded"),
                   _("in force today"), missing)


def _group(req: Requirement, ev: Evidence, words: Wording) -> RequirementResult:
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


def _cpd_hours(req: Requirement, ev: Evidence, words: Wording) -> RequirementResult:
    params, months = req.params, req.params["within_months"]
    entries = [entry for entry in ev.cpd if within(entry.done_on, ev.today, months)]
    total = round(sum(entry.hours for entry in entries), 2)
    approved = round(sum(entry.hours for entry in entries if entry.approved), 2)
    share = params.get("min_approved_share", 0)
    need = f"{hours_text(params['hours'])}{share_text(share)}"
    gaps = []
    if (short := round(params["hours"] - total, 2)) > 0:
        gaps.append(ngettext("%(amount)s more CPD hour%(period)s",
                             "%(amount)s more CPD hours%(period)s", plural_number(short),
                             amount=number_text(short), period=in_last(months)))
    if (short := round(params["hours"] * share - approved, 2)) > 0:
        gaps.append(ngettext("%(amount)s more approved CPD hour",
                             "%(amount)s more approved CPD hours", plural_number(short),
                             amount=number_text(short)))
    return _result(req, _("%(hours)s of CPD%(period)s%(share)s", hours=hours_text(params["hours"]),
                          period=in_last(months), share=share_text(share)),
                   _("%(hours)s (%(approved)s approved)", hours=hours_text(total),
                     approved=number_text(approved)), need,
                   "; ".join(gaps) or None)


def _level_held(req: Requirement, ev: Evidence, words: Wording) -> RequirementResult:
    keys, months = req.params["level"], req.params.get("for_months")
    label = either(words.level(key) for key in keys)
    held = sorted((start, key) for key, start in ev.levels_held.items()
                  if key in keys and start <= ev.today)
    since, key = held[0] if held else (None, "")  # the longest held (key unused if none)
    need = _("held for %(months)s", months=months_text(months)) if months else _("held")
    missing = None
    if since is None:
        missing = (_("Hold an active %(level)s accreditation for %(months)s", level=label,
                     months=months_text(months)) if months else
                   _("Hold an active %(level)s accreditation", level=label))
    elif months and since > months_before(ev.today, months):
        to_go = months_to_go(since, ev.today, months)
        missing = _("Hold %(level)s for %(months)s", level=words.level(key),
                    months=ngettext("%(num)d more month", "%(num)d more months", to_go))
    return _result(req, f"{label} {need}",
                   _("%(level)s since %(day)s", level=words.level(key), day=day_text(since))
                   if since else _("not held"),
                   need, missing)


def _attestation(req: Requirement, ev: Evidence, words: Wording) -> RequirementResult:
    label = req.params["name"].replace("_", " ")
    agreed = req.params["name"] in ev.attestations
    return _result(req, _("Agreed to the %(statement)s statement", statement=label),
                   _("agreed") if agreed else _("not yet"), _("agreed"),
                   None if agreed else _("Agree to the %(statement)s statement",
                                         statement=label))


_CHECKS: dict[str, Callable[[Requirement, Evidence, Wording], RequirementResult]] = {
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
