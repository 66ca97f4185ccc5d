"""Issue 17: a knowledge check may draw N questions from a larger bank for each attempt."""

import re
import textwrap

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.learning.content import read_catalogue
from lms.learning.models import CheckAttempt, Module
from tests.helpers import login_as
from tests.learning.conftest import load, right_answers, write_catalogue, wrong_answers

CHECK_1 = "/courses/basics/checks/listening"


def bank_yaml(count, per_attempt=None):
    head = f"questions_per_attempt: {per_attempt}\n" if per_attempt is not None else ""
    questions = "".join(textwrap.dedent(f"""\
          - prompt: Bank question {n}?
            type: single
            options:
              - text: Wrong {n}a
              - text: Right {n}
                correct: true
              - text: Wrong {n}b
              - text: Wrong {n}c
            explanation: Because {n}.
        """) for n in range(count))
    return head + "questions:\n" + textwrap.indent(questions, "  ")


def bank_catalogue(tmp_path, course_key="questions_per_attempt: 5\n", check_per_attempt=None,
                   bank=12):
    root = write_catalogue(tmp_path / "courses")
    course = root / "basics" / "course.yaml"
    course.write_text(course.read_text() + course_key)
    (root / "basics" / "01-listening.check.yaml").write_text(bank_yaml(bank, check_per_attempt))
    return root


def problems(root):
    return [str(p).split("courses/", 1)[1] for p in read_catalogue(root)[1]]


def test_a_course_and_a_check_can_set_questions_per_attempt(tmp_path):
    courses, found = read_catalogue(bank_catalogue(tmp_path, check_per_attempt=8))
    assert found == []
    basics = next(c for c in courses if c.slug == "basics")
    assert [m.questions_per_attempt for m in basics.modules] == [8, 5]
    assert len(basics.modules[0].questions) == 12


def test_a_bank_makes_another_check_but_no_bank_keeps_the_hash(tmp_path):
    plain, _ = read_catalogue(write_catalogue(tmp_path / "plain"))
    banked, _ = read_catalogue(bank_catalogue(tmp_path))
    plain_basics = next(c for c in plain if c.slug == "basics")
    banked_basics = next(c for c in banked if c.slug == "basics")
    # agreements has the same 5 questions, now drawn "5 of 5": a new check identity
    assert plain_basics.modules[1].check_hash != banked_basics.modules[1].check_hash
    plain_again, _ = read_catalogue(write_catalogue(tmp_path / "again"))
    assert plain_again[1].modules[1].check_hash == plain_basics.modules[1].check_hash


@pytest.mark.parametrize(("course_key", "check_per_attempt", "expected"), [
    ("questions_per_attempt: 3\n", None,
     "basics/course.yaml:11: 'questions_per_attempt' must be a whole number of at least 5"),
    ("questions_per_attempt: five\n", None,
     "basics/course.yaml:11: 'questions_per_attempt' must be a whole number of at least 5"),
    ("", 13, "basics/01-listening.check.yaml:2: the check has 12 questions, fewer than its "
             "'questions_per_attempt' (13)"),
    ("questions_per_attempt: 6\n", None,
     "basics/02-agreements.check.yaml:1: the check has 5 questions, fewer than the course's "
     "'questions_per_attempt' (6)"),
])
def test_courses_check_reports_a_bad_bank_policy(tmp_path, course_key, check_per_attempt,
                                                 expected):
    root = bank_catalogue(tmp_path, course_key, check_per_attempt)
    assert expected in problems(root)


def test_the_check_command_reports_it(runner, tmp_path):
    root = bank_catalogue(tmp_path, "", 13)
    result = runner.invoke(args=["courses", "check", str(root)])
    assert result.exit_code == 1
    assert "fewer than its 'questions_per_attempt' (13)" in result.output


def _prompts(client):
    page = client.get(CHECK_1).get_data(as_text=True)
    return re.findall(r"<legend>\d+\. (Bank question \d+\?)", page)


def test_each_attempt_draws_its_own_paper_from_the_bank(app, client, tmp_path, make_scheme,
                                                        make_user):
    load(app, bank_catalogue(tmp_path))
    with app.app_context():
        assert db.session.scalar(select(Module.questions_per_attempt).where(
            Module.slug == "listening")) == 5
    login_as(client, make_user(role="trainee", scheme=make_scheme()))
    client.post("/courses/basics/enrol")
    page = client.get(CHECK_1).get_data(as_text=True)
    assert "5 questions, drawn from a bank of 12" in page
    first = _prompts(client)
    assert len(first) == 5
    assert _prompts(client) == first
    result = client.post(CHECK_1, data=wrong_answers(client, CHECK_1)).get_data(as_text=True)
    assert "You scored 0 out of 5 (0%)" in result
    second = _prompts(client)
    assert len(second) == 5
    assert second != first
    result = client.post(CHECK_1, data=right_answers(client, CHECK_1)).get_data(as_text=True)
    assert "You scored 5 out of 5 (100%): passed" in result
    with app.app_context():
        papers = [a.paper for a in db.session.scalars(select(CheckAttempt)
                                                      .order_by(CheckAttempt.number))]
        assert [len(p) for p in papers] == [5, 5]
        assert {qid for qid, _order in papers[0]} != {qid for qid, _order in papers[1]}
