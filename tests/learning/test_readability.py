"""The reading-age check for courses written for pupils and prisoners."""

import shutil

import pytest

from lms.learning.readability import plain_text, readability_findings, reading_age, syllables
from lms.yaml_files import default_courses_path

EASY = ("Two people fell out. They meet with a mediator. She helps them talk. They each say "
        "what went wrong and how it felt. Then they make a plan. The plan says who will do "
        "what, and when. They both sign it. A few days later, she checks how it is going.")
HARD = ("Restorative interventions necessitate comprehensive, individualised consideration of "
        "participants' vulnerabilities, communicative capabilities and organisational "
        "responsibilities, notwithstanding institutional pressures favouring expeditious "
        "resolution, particularly where safeguarding considerations and confidentiality "
        "obligations interact with disciplinary procedures administered independently. "
        "Organisational accountability mechanisms, incorporating multidisciplinary "
        "evaluation, consequently necessitate documented, proportionate justification.")


@pytest.mark.parametrize(("word", "count"), [("cat", 1), ("table", 2), ("make", 1),
                                         ("restorative", 4), ("people", 2), ("agreement", 3)])
def test_syllables(word, count):
    assert syllables(word) == count


def test_plain_text_keeps_link_text_and_ends_list_items():
    text = plain_text("# Steps\n\n- Say hello\n- Agree [rules](02-rules.md)\n")
    assert "Say hello." in text
    assert "Agree rules." in text
    assert "02-rules" not in text


def test_easy_text_reads_younger_than_hard_text():
    assert reading_age(EASY) < 9 < 16 < reading_age(HARD)
    assert reading_age("Too short to judge.") is None


def test_the_peer_mediation_course_reads_within_its_reading_age():
    findings, summary = readability_findings(default_courses_path())
    assert findings == []
    assert any(line.startswith("peer-mediation: reading age at most ") for line in summary)


def test_a_lesson_above_the_reading_age_warns_on_its_heading_line(tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(default_courses_path() / "peer-mediation", root / "peer-mediation")
    module = root / "peer-mediation" / "02-running-a-mediation.md"
    text = module.read_text()
    module.write_text(text + f"\n# A hard lesson\n\n{HARD}\n")
    line = text.count("\n") + 2
    findings, _ = readability_findings(root)
    assert len(findings) == 1
    path, found_line, message = findings[0]
    assert (path, found_line) == ("courses/peer-mediation/02-running-a-mediation.md", line)
    assert message.startswith("lesson 'A hard lesson' reads at age ")
    assert message.endswith("above this course's reading age of 10")


def test_courses_without_a_reading_age_are_not_judged(tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(default_courses_path() / "trainer", root / "trainer")
    assert readability_findings(root) == ([], [])
