"""The privacy guard measured on the labelled corpus (bench/privacy_corpus.tsv), and
the cases the guard must get right: the examples from the issue, disguised contact
details, clean case language, and what a flagged practitioner is told."""

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from lms.practice.privacy import ANONYMISE_ADVICE, describe, find_identifying_data

BENCH = Path(__file__).parents[2] / "bench" / "privacy_guard.py"
_spec = importlib.util.spec_from_file_location("privacy_bench", BENCH)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


@pytest.fixture(autouse=True)
def clean_database():
    """Pure functions: no app or database needed."""
    return


@pytest.fixture(scope="module")
def corpus():
    return bench.load_corpus()


def test_corpus_is_large_and_covers_every_sector(corpus):
    assert len(corpus) >= 300
    labels = Counter(identifying for identifying, _, _ in corpus)
    assert labels[True] >= 150
    assert labels[False] >= 150
    sectors = {sector for _, sector, _ in corpus}
    assert {"prison", "school", "housing", "health", "police", "courts"} <= sectors


@pytest.mark.parametrize("path", [bench.CORPUS, bench.HOLDOUT], ids=["corpus", "held-out"])
def test_recall_and_false_alarms_meet_the_targets(path):
    result = bench.score(bench.load_corpus(path))
    assert result["recall"] >= bench.TARGET_RECALL, result["misses"]
    assert result["false_alarm_rate"] <= bench.TARGET_FALSE_ALARMS, result["alarms"]


def test_adjacent_names_join_into_one_full_name_of_at_most_three_words():
    assert [f.excerpt for f in find_identifying_data("Met Kieran Walsh today.")] == [
        "Kieran Walsh"]
    findings = find_identifying_data("Sharon Jones " * 4)
    assert all(f.excerpt.count(" ") <= 2 for f in findings)
    assert len(findings) >= 3


ISSUE_EXAMPLES = [
    ("Met Jamie and his mum Sharon at the YOT office", {"Jamie", "Sharon"}),
    ("Kyle in cell 3-14 on C wing", {"Kyle", "cell 3-14"}),
    ("Pupil is in 9R at St Wilfrid's Academy, Mrs Patel's form group",
     {"9R", "St Wilfrid's Academy", "Patel"}),
    ("Her car, registration AB12 CDE, was keyed", {"AB12 CDE"}),
    ("She posted it as @lilmiss_kaylz_x", {"@lilmiss_kaylz_x"}),
    ("Mr Evans in bed 6 on Ward 21", {"Evans", "bed 6", "Ward 21"}),
    ("his UPN H801200001001 and police ref 43/12345/25", {"H801200001001", "43/12345/25"}),
    ("sarah_jones at hotmail dot com", {"sarah_jones at hotmail dot com"}),
    ("NI number QQ 12 34 56 C", {"QQ 12 34 56 C"}),
]


@pytest.mark.parametrize(("text", "expected"), ISSUE_EXAMPLES)
def test_the_issues_examples_are_caught_in_full(text, expected):
    assert {f.excerpt for f in find_identifying_data(text)} == expected


@pytest.mark.parametrize("text", [
    "Call \uff10\uff17\uff17\uff10\uff10 \uff19\uff10\uff10\uff11\uff12\uff13 tonight",
    "Ring 0\u200b7700 900\u200b123 tonight",
    "Ring 07700.900.123 tonight",
    "Ring 0 7 7 0 0 9 0 0 1 2 3 tonight",
    "Ring oh seven seven double oh nine double oh one two three tonight",
    "Ring \u0660\u0667\u0667\u0660\u0660 \u0669\u0660\u0660\u0661\u0662\u0663 tonight",
])
def test_disguised_phone_numbers_are_caught(text):
    [finding] = find_identifying_data(text)
    assert finding.kind == "uk_phone"
    assert finding.excerpt.startswith(text.split()[1][0])
    assert text[finding.start : finding.end] == finding.excerpt  # offsets on what was typed


@pytest.mark.parametrize("text", [
    "jo [at] gmail [dot] com", "jo(at)nhs.net", "jo @ example.org", "jo\uff20example.org",
    "tracey (at) btinternet (dot) com", "jo@exa\u200bmple.org",
])
def test_disguised_emails_are_caught(text):
    assert [f.kind for f in find_identifying_data(text)] == ["email"]


@pytest.mark.parametrize("text", [
    "The harmed person met the person responsible.", "a 15-year-old in Year 9",
    "Wing B officers were briefed.", "A Section 18 assault.", "Stage 4 went well.",
    "The meeting ran 14:30-16:00.", "The young person, aged 15, apologised.",
    "The service runs in 10 Crown Court centres.", "The head of year referred the case.",
    "We met at the school, then at the Crown Court.", "Met at home at 6pm.",
    "The ward manager and the matron attended.", "He was on the wing at the time.",
])
def test_clean_case_language_is_not_flagged(text):
    assert find_identifying_data(text) == []


def test_a_flagged_practitioner_is_told_what_where_and_what_to_write_instead():
    text = "Good session.\nMet Jamie and his mum Sharon in bed 6."
    message = describe(find_identifying_data(text), "Reflection")
    assert message.startswith("Remove a name (\u201cJamie\u201d on line 2, \u201cSharon\u201d on"
                              " line 2) and a hospital ward or bed (\u201cbed 6\u201d on line 2)"
                              " from Reflection.")
    assert "instead of their name" in message
    assert "the person harmed" in message
    assert "Describe places in general terms" in message
    assert message.endswith(ANONYMISE_ADVICE)


def test_ten_thousand_characters_are_checked_without_error(corpus):
    text = bench.long_text(corpus)
    findings = find_identifying_data(text)
    assert len(text) == 10_000
    assert findings
    assert all(text[f.start : f.end] == f.excerpt for f in findings)
