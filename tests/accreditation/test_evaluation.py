"""Evidence measured against a level (lms.accreditation.evaluation): pure, no database."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from lms.accreditation.evaluation import evaluate
from lms.accreditation.evaluation_types import CpdEvidence, Evidence, PracticeEvidence
from lms.accreditation.periods import months_before
from lms.accreditation.standards import LevelStandard, Requirement, load_standards
from lms.accreditation.standards_checks import DEFAULTS, TUPLE_FIELDS

TODAY = date(2026, 3, 15)
YEAR_AGO = date(2025, 3, 15)  # exactly 12 months before TODAY
TITLES = {"sensitive-complex": "Sensitive and complex cases"}
NAMES = {"foundation": "Foundation practitioner", "intermediate": "Intermediate practitioner",
         "advanced": "Advanced practitioner"}


@pytest.fixture(autouse=True)
def clean_database():
    """Pure functions: override the suite's per-test database reset, so these tests
    need no app."""
    return


def evidence(**fields):
    empty = {"today": TODAY, "completed_courses": {}, "practice": (), "supervision_dates": (),
             "cpd": (), "levels_held": {}, "attestations": frozenset()}
    return Evidence(**{**empty, **fields})


def process(occurred_on=date(2026, 1, 10), signed_off_on=None, role="lead", direct=True,
            face_to_face=True, sensitive=False, process_type="formal_conference"):
    return PracticeEvidence(occurred_on, signed_off_on or occurred_on, role, direct,
                            face_to_face, sensitive, process_type)


def level(*requirements, maintenance=()):
    return LevelStandard("test", "Test level", "For tests.", 12, (), None, ("standard",),
                         tuple(requirements), tuple(maintenance))


def requirement(kind, **params):
    """A requirement as the standards file would give it (lists as tuples, defaults)."""
    params = {**DEFAULTS.get(kind, {}), **params}
    normalised = {k: (v,) if k in TUPLE_FIELDS and isinstance(v, str) else
                  tuple(v) if isinstance(v, list) else v for k, v in params.items()}
    return Requirement(kind, normalised, 1)


def check(kind, ev, maintenance=False, **params):
    """The one result of a level with a single requirement."""
    req = requirement(kind, **params)
    standard = level(req, maintenance=[req])
    result, = evaluate(standard, ev, course_titles=TITLES, level_names=NAMES,
                       maintenance=maintenance).results
    return result


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 3, 15), 12, date(2025, 3, 15)),
    (date(2026, 5, 31), 3, date(2026, 2, 28)),
    (date(2024, 5, 31), 3, date(2024, 2, 29)),
    (date(2026, 1, 10), 1, date(2025, 12, 10)),
    (date(2026, 3, 31), 25, date(2024, 2, 29)),
    (date(2026, 1, 31), -1, date(2026, 2, 28)),
])
def test_months_before_handles_month_ends(day, months, expected):
    assert months_before(day, months) == expected


def test_course_completed():
    done = check("course_completed", evidence(completed_courses={
        "sensitive-complex": date(2025, 6, 2)}), course="sensitive-complex")
    assert (done.met, done.have, done.need, done.missing) == (
        True, "completed on 2 Jun 2025", "completed", None)
    assert done.description == "Sensitive and complex cases course completed"
    not_done = check("course_completed", evidence(), course="sensitive-complex")
    assert (not_done.met, not_done.have) == (False, "not yet")
    assert not_done.missing == "Complete the Sensitive and complex cases course"
    untitled = check("course_completed", evidence(), course="trainer")
    assert untitled.missing == "Complete the trainer course"


def test_practice_records_count_and_wording():
    ev = evidence(practice=(process(), process(role="co_facilitator")))
    met = check("practice_records", ev, count=2, within_months=24)
    assert (met.met, met.have, met.need, met.missing) == (True, "2", "2", None)
    assert met.description == "2 signed-off processes in the last 24 months"
    lead = check("practice_records", ev, count=3, role=["lead"], within_months=24)
    assert lead.description == "3 signed-off processes as lead facilitator, in the last 24 months"
    assert (lead.met, lead.have, lead.need) == (False, "1", "3")
    assert lead.missing == "2 more signed-off processes as lead facilitator, in the last 24 months"
    conferences = check("practice_records", evidence(practice=(process(),)), count=3,
                        role=["lead"], process_type=["formal_conference"])
    assert conferences.missing == "2 more signed-off formal conferences as lead facilitator"


def test_practice_records_window_uses_the_date_the_process_took_place():
    on_the_day = process(occurred_on=YEAR_AGO, signed_off_on=date(2026, 1, 1))
    day_before = process(occurred_on=YEAR_AGO - timedelta(days=1),
                         signed_off_on=date(2026, 1, 1))
    assert check("practice_records", evidence(practice=(on_the_day,)), count=1,
                 within_months=12).met
    assert not check("practice_records", evidence(practice=(day_before,)), count=1,
                     within_months=12).met
    assert check("practice_records", evidence(practice=(day_before,)), count=1).met  # any time
    future = process(occurred_on=TODAY + timedelta(days=1))
    assert not check("practice_records", evidence(practice=(future,)), count=1).met


@pytest.mark.parametrize(("filters", "matching", "other", "words"), [
    ({"role": ["lead"]}, {"role": "lead"}, {"role": "observer"}, "process as lead facilitator"),
    ({"role": ["lead", "co_facilitator"]}, {"role": "co_facilitator"}, {"role": "observer"},
     "process as lead facilitator or co-facilitator"),
    ({"direct": True}, {"direct": True}, {"direct": False}, "direct process"),
    ({"direct": False}, {"direct": False}, {"direct": True}, "indirect process"),
    ({"face_to_face": True}, {"face_to_face": True}, {"face_to_face": False},
     "face-to-face process"),
    ({"sensitive": True}, {"sensitive": True}, {"sensitive": False},
     "sensitive or complex process"),
    ({"process_type": ["informal_meeting"]}, {"process_type": "informal_meeting"},
     {"process_type": "circle"}, "informal meeting"),
    ({"process_type": ["circle", "indirect"]}, {"process_type": "indirect"},
     {"process_type": "other"}, "circle or indirect process"),
    ({"direct": True, "face_to_face": True}, {"direct": True, "face_to_face": True},
     {"direct": True, "face_to_face": False}, "direct, face-to-face process"),
])
def test_practice_records_filters(filters, matching, other, words):
    ev = evidence(practice=(process(**matching), process(**other)))
    result = check("practice_records", ev, count=1, **filters)
    assert result.met
    assert result.have == "1"
    short = check("practice_records", ev, count=2, **filters)
    assert short.missing == f"1 more signed-off {words}"


def test_observations_count_observed_practice_not_signed_off_records():
    # signed-off log records are the practitioner's own account: they are not observations
    signed_off = process(occurred_on=date(2026, 1, 1), signed_off_on=date(2026, 1, 5))
    result = check("observations", evidence(practice=(signed_off,)), count=1,
                   within_months=12)
    assert (result.met, result.have) == (False, "0")
    result = check("observations", evidence(observations=(YEAR_AGO,)), count=1,
                   within_months=12)
    assert (result.met, result.have) == (True, "1")
    assert result.description == ("1 observed practice (watched live or by recording by a "
                                  "supervisor or assessor) meeting the standard in the last "
                                  "12 months")
    result = check("observations", evidence(observations=(YEAR_AGO - timedelta(days=1),)),
                   count=2, within_months=12)
    assert (result.met, result.have, result.need) == (False, "0", "2")
    assert result.missing.startswith("2 more observed practices")


def test_one_session_after_forty_weeks_fails_the_supervision_rule():
    # Before: only the last session counted, so one session after 40 weeks passed.
    ev = evidence(supervision_dates=(TODAY - timedelta(weeks=40), TODAY - timedelta(weeks=1)))
    result = check("supervision_within", ev, maintenance=True, weeks=12)
    assert not result.met
    assert result.missing == ("Case supervision at least every 12 weeks: 2 gaps longer than "
                              "that in the last 12 months")
    assert result.details == ("No session from 15 Mar 2025 to 8 Jun 2025 (12 weeks and 1 day)",
                              "No session from 8 Jun 2025 to 8 Mar 2026 (39 weeks)")


def test_supervision_every_twelve_weeks_across_the_period_passes():
    days = tuple(TODAY - timedelta(weeks=w) for w in (2, 14, 26, 38, 50))
    result = check("supervision_within", evidence(supervision_dates=days), maintenance=True,
                   weeks=12)
    assert (result.met, result.missing, result.details) == (True, None, ())
    assert result.have == "5 sessions, longest gap 12 weeks"
    assert result.need == "no gap over 12 weeks"
    # the stretch before the first session in the period counts too
    late_start = check("supervision_within", evidence(supervision_dates=days[:4]),
                       maintenance=True, weeks=12)
    assert late_start.details == (
        "No session from 15 Mar 2025 to 22 Jun 2025 (14 weeks and 1 day)",)


def test_first_application_is_assessed_since_practice_began():
    began = process(occurred_on=TODAY - timedelta(weeks=10))
    ev = evidence(practice=(began,), supervision_dates=(TODAY - timedelta(weeks=3),))
    first = check("supervision_within", ev, weeks=12)
    assert first.met
    assert first.description == "Case supervision at least every 12 weeks, since practice began"
    # practice that began long ago with no supervision for 20 weeks at the start fails
    early = replace(ev, practice=(process(occurred_on=TODAY - timedelta(weeks=23)),))
    assert check("supervision_within", early, weeks=12).details == (
        "No session from 5 Oct 2025 to 22 Feb 2026 (20 weeks)",)
    none = check("supervision_within", evidence(), weeks=12)
    assert (none.met, none.have) == (False, "no sessions yet")
    assert none.missing == "A case supervision session (none recorded yet)"


def test_supervision_caseload_counts_different_supervisees_recently():
    recent, old = TODAY - timedelta(weeks=4), TODAY - timedelta(weeks=13)
    ev = evidence(supervisees=((7, recent), (7, TODAY), (8, old)))
    result = check("supervision_caseload", ev, supervisees=2, within_weeks=12)
    assert (result.met, result.have) == (False, "1 practitioner")
    assert result.missing == ("Supervise 1 more practitioner (sessions confirmed by "
                              "supervisor and practitioner) in the last 12 weeks")
    ev = replace(ev, supervisees=(*ev.supervisees, (9, recent)))
    assert check("supervision_caseload", ev, supervisees=2, within_weeks=12).met


def test_any_of_and_at_least_groups():
    process_or_training = requirement("any_of", count=1, of=(
        requirement("practice_records", count=1, within_months=12),
        requirement("course_completed", course=["facilitator", "trainer"], within_months=12)))
    standard = level(process_or_training)
    nothing = evaluate(standard, evidence()).results[0]
    assert not nothing.met
    assert len(nothing.parts) == 2
    assert nothing.missing == ("One of: 1 more signed-off process in the last 12 months; or "
                               "Complete the facilitator or trainer course (any one) in the "
                               "last 12 months")
    trained = evaluate(standard, evidence(completed_courses={"trainer": date(2025, 6, 1)}))
    assert trained.eligible
    old_course = evidence(completed_courses={"trainer": date(2024, 6, 1)})
    assert not evaluate(standard, old_course).eligible
    two_of_three = level(requirement("at_least", count=2, of=(
        requirement("attestation", name="code_of_practice"),
        requirement("attestation", name="indemnity_insurance"),
        requirement("observations", count=1, within_months=12))))
    one = evidence(attestations=frozenset({"code_of_practice"}))
    result = evaluate(two_of_three, one).results[0]
    assert (result.met, result.need) == (False, "2 of 3")
    assert result.description.startswith("At least 2 of: Agreed to the code of practice")
    assert evaluate(two_of_three, replace(one, observations=(TODAY,))).eligible


def cpd(*entries):
    return evidence(cpd=tuple(CpdEvidence(day, hours, approved)
                              for day, hours, approved in entries))


def test_cpd_hours_total_and_approved_share():
    ev = cpd((date(2026, 1, 5), 4.5, True), (date(2025, 11, 1), 3, False))
    result = check("cpd_hours", ev, hours=12, within_months=12, min_approved_share=0.5)
    assert (result.met, result.have, result.need) == (
        False, "7.5 hours (4.5 approved)", "12 hours, at least half approved")
    assert result.description == "12 hours of CPD in the last 12 months, at least half approved"
    assert result.missing == ("4.5 more CPD hours in the last 12 months; "
                              "1.5 more approved CPD hours")
    ev = cpd((date(2026, 1, 5), 4.5, True), (date(2025, 11, 1), 8, False))
    result = check("cpd_hours", ev, hours=12, within_months=12, min_approved_share=0.5)
    assert (result.met, result.missing) == (False, "1.5 more approved CPD hours")
    ev = cpd((date(2026, 1, 5), 6, True), (date(2025, 11, 1), 6, False))
    assert check("cpd_hours", ev, hours=12, within_months=12, min_approved_share=0.5).met


def test_cpd_hours_window_and_no_share():
    ev = cpd((YEAR_AGO, 5, False), (YEAR_AGO - timedelta(days=1), 5, True))
    result = check("cpd_hours", ev, hours=6, within_months=12)
    assert (result.have, result.need) == ("5 hours (0 approved)", "6 hours")
    assert result.missing == "1 more CPD hour in the last 12 months"
    assert check("cpd_hours", ev, hours=5, within_months=12).met


def test_level_held():
    ev = evidence(levels_held={"foundation": date(2025, 9, 1)})
    held = check("level_held", ev, level=["foundation"])
    assert (held.met, held.have, held.need) == (
        True, "Foundation practitioner since 1 Sep 2025", "held")
    assert held.description == "Foundation practitioner held"
    missing = check("level_held", ev, level=["intermediate"])
    assert (missing.met, missing.have) == (False, "not held")
    assert missing.missing == "Hold an active Intermediate practitioner accreditation"
    unnamed = check("level_held", ev, level=["case_supervisor"], for_months=24)
    assert unnamed.missing == "Hold an active case_supervisor accreditation for 24 months"


def test_level_held_for_months_boundary():
    two_years_ago = months_before(TODAY, 24)
    on_time = check("level_held", evidence(levels_held={"advanced": two_years_ago}),
                    level=["advanced"], for_months=24)
    assert (on_time.met, on_time.need) == (True, "held for 24 months")
    assert on_time.description == "Advanced practitioner held for 24 months"
    a_day_short = check("level_held", evidence(
        levels_held={"advanced": two_years_ago + timedelta(days=1)}),
        level=["advanced"], for_months=24)
    assert a_day_short.missing == "Hold Advanced practitioner for 1 more month"
    recent = check("level_held", evidence(levels_held={"advanced": date(2024, 10, 15)}),
                   level=["advanced"], for_months=24)
    assert recent.missing == "Hold Advanced practitioner for 7 more months"
    month_end = check("level_held", evidence(today=date(2026, 1, 31),
                                             levels_held={"advanced": date(2026, 1, 30)}),
                      level=["advanced"], for_months=1)
    assert month_end.missing == "Hold Advanced practitioner for 2 more months"


def test_level_held_from_a_list_uses_the_longest_held():
    ev = evidence(levels_held={"intermediate": date(2023, 1, 1),
                               "advanced": date(2025, 6, 1)})
    result = check("level_held", ev, level=["intermediate", "advanced"], for_months=24)
    assert result.met
    assert result.have == "Intermediate practitioner since 1 Jan 2023"
    assert result.description == ("Intermediate practitioner or Advanced practitioner held for "
                                  "24 months")
    only_advanced = check("level_held", evidence(levels_held={"advanced": date(2025, 6, 1)}),
                          level=["intermediate", "advanced"])
    assert only_advanced.met
    neither = check("level_held", evidence(), level=["intermediate", "advanced"])
    assert neither.missing == ("Hold an active Intermediate practitioner or Advanced "
                               "practitioner accreditation")


def test_attestation():
    agreed = check("attestation", evidence(attestations=frozenset({"code_of_practice"})),
                   name="code_of_practice")
    assert (agreed.met, agreed.have, agreed.missing) == (True, "agreed", None)
    not_agreed = check("attestation", evidence(), name="indemnity_insurance")
    assert (not_agreed.met, not_agreed.have) == (False, "not yet")
    assert not_agreed.missing == "Agree to the indemnity insurance statement"


def test_eligible_only_when_every_requirement_is_met():
    standard = level(Requirement("attestation", {"name": "code_of_practice"}, 1),
                     requirement("supervision_within", weeks=12),
                     maintenance=[Requirement("cpd_hours", {"hours": 6.0,
                                                            "within_months": 12}, 3)])
    ev = evidence(attestations=frozenset({"code_of_practice"}))
    first = evaluate(standard, ev)
    assert (first.eligible, first.met_count, len(first.results)) == (False, 1, 2)
    ev = replace(ev, supervision_dates=(TODAY,))
    assert evaluate(standard, ev).eligible
    renewal = evaluate(standard, ev, maintenance=True)
    assert [r.requirement.kind for r in renewal.results] == ["cpd_hours"]
    assert not renewal.eligible
    assert renewal.met_count == 0


def test_a_full_foundation_portfolio_meets_the_shipped_standard():
    foundation = load_standards().levels["foundation"]
    ev = evidence(completed_courses={"facilitator": date(2025, 5, 1)},
                  practice=(process(role="co_facilitator"), process(date(2025, 9, 1))),
                  supervision_dates=(date(2025, 4, 1), date(2025, 6, 20), date(2025, 9, 1),
                                     date(2025, 11, 20), date(2026, 2, 10)),
                  cpd=(CpdEvidence(date(2025, 10, 1), 3, True),
                       CpdEvidence(date(2026, 1, 1), 3, False)),
                  attestations=frozenset({"code_of_practice"}), observations=(TODAY,))
    assert evaluate(foundation, ev).eligible
    assert evaluate(foundation, ev, maintenance=True).eligible
    lapsed = evaluate(foundation, replace(ev, today=date(2026, 6, 1)))
    assert [r.missing for r in lapsed.results if not r.met] == [
        "Case supervision at least every 12 weeks: 1 gap longer than that since practice "
        "began"]
    assert lapsed.results[2].details == (
        "No session from 10 Feb 2026 to 1 Jun 2026 (15 weeks and 6 days)",)


def test_foundation_entry_follows_the_public_code():
    """Facilitator training and co-facilitation under guidance (plus the supervision and
    code of practice the standards file explains): no CPD or observation is asked at entry."""
    foundation = load_standards().levels["foundation"]
    ev = evidence(completed_courses={"facilitator": date(2025, 12, 1)},
                  practice=(process(date(2026, 1, 10), role="co_facilitator"),),
                  supervision_dates=(date(2026, 2, 1),),
                  attestations=frozenset({"code_of_practice"}))
    assert evaluate(foundation, ev).eligible
    assert "co-facilitation under guidance" in foundation.note
    assert not evaluate(foundation, replace(ev, completed_courses={})).eligible


def test_advanced_asks_for_co_facilitated_sensitive_cases_not_led_ones():
    advanced = load_standards().levels["advanced"]
    base = evidence(levels_held={"intermediate": date(2025, 1, 1)},
                    supervision_dates=(date(2025, 4, 1), date(2025, 6, 1), date(2025, 8, 1),
                                       date(2025, 10, 1), date(2025, 12, 1), date(2026, 2, 1)),
                    cpd=(CpdEvidence(date(2025, 10, 1), 16, True),),
                    attestations=frozenset({"code_of_practice"}), observations=(TODAY,))
    co_facilitated = tuple(process(date(2026, 1, n), role="co_facilitator", sensitive=True)
                           for n in (1, 2, 3))
    assert evaluate(advanced, replace(base, practice=co_facilitated)).eligible
    led = tuple(replace(p, role="lead") for p in co_facilitated)
    assert not evaluate(advanced, replace(base, practice=led)).eligible


def test_maintenance_accepts_a_process_or_relevant_training():
    foundation = load_standards().levels["foundation"]
    ev = evidence(supervision_dates=tuple(TODAY - timedelta(weeks=w) for w in (1, 12, 24, 36,
                                                                                  48)),
                  cpd=(CpdEvidence(date(2025, 10, 1), 6, True),), observations=(TODAY,),
                  completed_courses={"sensitive-complex": date(2025, 11, 1)})
    assert evaluate(foundation, ev, maintenance=True).eligible
    untrained = replace(ev, completed_courses={"facilitator": date(2024, 1, 1)})
    assert not evaluate(foundation, untrained, maintenance=True).eligible
    assert evaluate(foundation, replace(untrained, practice=(process(),)),
                    maintenance=True).eligible


def test_requirements_are_explained_in_welsh_with_welsh_plurals(app):
    """The same results worded in Welsh: numbers before a singular noun, adjectives after
    it, Welsh month names; English stays as it was."""
    from flask_babel import force_locale

    days = [TODAY - timedelta(weeks=20)]
    with app.test_request_context(), force_locale("cy"):
        supervision = check("supervision_within", evidence(supervision_dates=days),
                            maintenance=True, weeks=12)
        practice = check("practice_records", evidence(), count=3, role=["lead"],
                         process_type=["formal_conference"], direct=True,
                         within_months=24)
        hours = check("cpd_hours", evidence(), hours=1.0)

    assert supervision.description == ("Goruchwyliaeth achosion o leiaf bob 12 wythnos, "
                                       "yn ystod y 12 mis diwethaf")
    assert supervision.need == "dim bwlch dros 12 wythnos"
    assert supervision.missing == ("Goruchwyliaeth achosion o leiaf bob 12 wythnos: "
                                   "2 bwlch yn hwy na hynny yn ystod y 12 mis diwethaf")
    assert supervision.details[1] == "Dim sesiwn rhwng 26 Hyd 2025 a 15 Maw 2026 (20 wythnos)"
    assert practice.description == ("3 cynhadledd ffurfiol uniongyrchol wedi'u cymeradwyo "
                                    "fel prif hwylusydd, yn ystod y 24 mis diwethaf")
    assert practice.missing.startswith("3 yn rhagor: cynhadledd ffurfiol uniongyrchol")
    assert hours.need == "1 awr"


def _evidence_grid():
    """Evidence from nothing to plenty, and the edges where one gap decides: CPD short in
    hours only, in approved hours only, supervision with one long gap, a level held too
    briefly."""
    old, recent = date(2023, 1, 5), date(2026, 2, 1)
    sessions = tuple(TODAY - timedelta(weeks=w) for w in range(0, 104, 4))
    plenty = dict(
        completed_courses={"foundation": recent, "facilitator": recent,
                           "sensitive-complex": recent, "case-supervision": recent,
                           "trainer": recent},
        practice=tuple(process(occurred_on=TODAY - timedelta(days=20 * n), role=role,
                               sensitive=n % 2 == 0, direct=n % 3 != 0,
                               process_type=kind)
                       for n in range(30) for role, kind in
                       (("lead", "formal_conference"), ("co_facilitator", "circle"))),
        supervision_dates=sessions, observations=(recent, recent, old),
        supervisees=tuple((n, recent) for n in range(6)),
        cpd=(CpdEvidence(recent, 30, True),), insurance_until=date(2027, 1, 1),
        levels_held={"foundation": old, "intermediate": date(2025, 12, 1)},
        attestations=frozenset({"code_of_practice", "indemnity_insurance"}))
    yield evidence()
    yield evidence(**plenty)
    yield evidence(**{**plenty, "cpd": (CpdEvidence(recent, 11.5, True),)})  # hours short
    yield evidence(**{**plenty, "cpd": (CpdEvidence(recent, 30, False),)})  # approval short
    yield evidence(**{**plenty, "supervision_dates": sessions[:3] + sessions[10:]})
    yield evidence(**{**plenty, "levels_held": {"foundation": recent}})
    yield evidence(**{**plenty, "practice": plenty["practice"][:7], "observations": ()})
    yield evidence(**{**plenty, "insurance_until": date(2026, 1, 1), "attestations": frozenset()})


@pytest.mark.parametrize("ev", list(_evidence_grid()))
def test_counting_only_decides_as_the_worded_evaluation(ev):
    """count_met words nothing, yet every level's count is the pathway's."""
    from lms.accreditation.evaluation import count_met

    for standard in load_standards().levels.values():
        worded = evaluate(standard, ev)
        assert count_met(standard, ev) == (worded.met_count, len(worded.results))


def test_counting_only_leaves_the_words_to_everyone_else():
    """Words are silenced only inside count_met, even when a check inside it fails."""
    from lms.accreditation import evaluation
    from lms.accreditation.evaluation_words import unworded

    foundation = load_standards().levels["foundation"]
    evaluation.count_met(foundation, evidence())
    result = evaluate(foundation, evidence()).results[0]
    assert "course" in result.description
    def fails_while_unworded():
        with unworded():
            assert evaluate(foundation, evidence()).results[0].description == "-"
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        fails_while_unworded()
    assert evaluate(foundation, evidence()).results[0].description == result.description
