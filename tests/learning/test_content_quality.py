"""Knowledge checks a test-wise learner could pass by guessing: the warnings `courses check`
gives (by file and line), the figures it reports, and the shipped catalogue having none."""

import textwrap

from lms.learning.question_quality import CheckQuestion, catalogue_quality, quality_findings
from lms.yaml_files import default_courses_path

COURSE = "title: {title}\nsummary: S.\npathway_stage: foundation\nprerequisites: []\n" \
         "estimated_hours: 1\npass_mark: 80\nlive_session: {{required: false, hours: 0}}\n"


def write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def single(right, *wrong):
    """Options with the right one last."""
    return [*[(w, False) for w in wrong], (right, True)]


def q(prompt, options, kind="single", course="alpha", path="courses/alpha/01-a.check.yaml",
      line=2):
    return CheckQuestion(course, path, line, prompt, kind, tuple(options))


COURSES = {"alpha": "courses/alpha/course.yaml", "beta": "courses/beta/course.yaml"}


def messages(questions):
    return [f"{path}:{line}: {message}" for path, line, message in
            quality_findings(questions, COURSES)[0]]


def test_the_shipped_catalogue_has_no_warnings():
    findings, figures = catalogue_quality(default_courses_path())
    assert findings == []
    # Near chance: the longest option is the answer no more often than a blind pick would be.
    assert figures.longest_correct <= figures.longest_chance * 1.25
    assert figures.shortest_correct <= figures.shortest_of * 0.3
    assert figures.true_answers
    assert figures.false_answers
    assert figures.all_correct == 0
    assert figures.one_wrong * 3 <= figures.multiple


def test_longest_correct_option_in_most_questions_of_a_check_warns():
    questions = [q(f"Question {n}?", single("The long and detailed right answer", "Short",
                                            "Brief", "Terse"), line=2 + 8 * n)
                 for n in range(6)]
    found = messages(questions)
    assert ("courses/alpha/01-a.check.yaml:1: in this check the correct option is the only "
            "longest in 6 of 6 questions (chance would give about 2): vary option lengths so "
            "length does not give the answer away") in found
    assert any(m.startswith("courses/alpha/course.yaml:1: in this course the correct option "
                            "is the only longest in 6 of 6") for m in found)


def test_length_that_matches_chance_does_not_warn():
    long_right = single("The long and detailed right answer", "Short", "Brief", "Terse")
    short_right = single("Yes", "A much longer wrong answer", "Another long wrong one", "Mid")
    questions = [q(f"Question {n}?", long_right if n == 0 else short_right, line=2 + 8 * n)
                 for n in range(6)]
    assert [m for m in messages(questions) if "longest" in m] == []


def test_shortest_correct_option_in_every_question_warns():
    questions = [q(f"Question {n}?", single("Yes", "A much longer wrong answer",
                                            "Another long wrong one", "Mid-length wrong"),
                   line=2 + 8 * n) for n in range(6)]
    assert any("only shortest in 6 of 6" in m for m in messages(questions))


def test_true_false_all_one_way_warns_in_the_course_and_the_catalogue():
    false = [("True: it is", False), ("False: it is not", True)]
    true = [("True: it is", True), ("False: it is not", False)]
    questions = [q("Statement one.", false, line=2),
                 q("Statement two.", false, path="courses/alpha/02-b.check.yaml", line=9)]
    found = messages(questions)
    assert ("courses/alpha/01-a.check.yaml:2: all 2 true/false questions in this course are "
            "false") in found
    assert ("courses/alpha/01-a.check.yaml:2: all 2 true/false questions in this catalogue "
            "are false") in found
    questions[1] = q("Statement two.", true, path="courses/alpha/02-b.check.yaml", line=9)
    assert [m for m in messages(questions) if "true/false" in m] == []


def test_every_option_correct_warns_on_the_question():
    everything = [("A", True), ("B", True), ("C", True)]
    found = messages([q("Which apply?", everything, kind="multiple", line=14)])
    assert ("courses/alpha/01-a.check.yaml:14: every option is correct: add plausible wrong "
            "options") in found


def test_exactly_one_wrong_in_most_multiple_answer_questions_warns_on_the_course():
    one_wrong = [("Wrong", False), ("Right a", True), ("Right b", True), ("Right c", True)]
    two_wrong = [("Wrong", False), ("Wrong b", False), ("Right a", True), ("Right b", True)]
    questions = [q(f"Which apply {n}?", one_wrong, kind="multiple", line=2 + 10 * n)
                 for n in range(2)] + [q("Which apply 9?", two_wrong, kind="multiple", line=40)]
    assert ("courses/alpha/course.yaml:1: 2 of 3 multiple-answer questions have exactly one "
            "wrong option (first at courses/alpha/01-a.check.yaml:2): vary how many options "
            "are correct") in messages(questions)
    questions.append(q("Which apply 10?", two_wrong, kind="multiple", line=50))
    assert [m for m in messages(questions) if "exactly one wrong" in m] == []


def test_a_question_repeated_in_another_course_warns():
    options = single("At least every 12 weeks", "Once a year", "After each case")
    first = q("How often is case supervision needed, at minimum?", options)
    reworded = q("What is the minimum frequency of case supervision for a practitioner?",
                 options, course="beta", path="courses/beta/03-c.check.yaml", line=20)
    assert ("courses/beta/03-c.check.yaml:20: question repeats "
            "courses/alpha/01-a.check.yaml:2: ask each question in one place only"
            ) in messages([first, reworded])
    different = q("How often must an observed practice happen?", options, course="beta",
                  path="courses/beta/03-c.check.yaml", line=20)
    assert [m for m in messages([first, different]) if "repeats" in m] == []


def test_catalogue_quality_reads_files_and_names_lines(tmp_path):
    check = """\
        questions:
          - prompt: Which apply?
            type: multiple
            options:
              - text: One
                correct: true
              - text: Two
                correct: true
            explanation: Both.
        """
    root = write(tmp_path / "courses", {"alpha/course.yaml": COURSE.format(title="A"),
                                        "alpha/01-a.check.yaml": check})
    findings, figures = catalogue_quality(root)
    assert findings == [("courses/alpha/01-a.check.yaml", 2,
                         "every option is correct: add plausible wrong options")]
    assert (figures.multiple, figures.all_correct) == (1, 1)


def test_check_command_reports_figures_and_strict_fails_on_warnings(runner, tmp_path):
    check = "questions:\n" + "".join(
        f"  - prompt: Statement {n}.\n    type: single\n    options:\n"
        f"      - text: 'True: yes'\n      - text: 'False: no'\n        correct: true\n"
        f"    explanation: Because.\n" for n in range(5))
    root = write(tmp_path / "courses", {"alpha/course.yaml": COURSE.format(title="A"),
                                        "alpha/01-a.md": "---\ntitle: A\norder: 1\noutcomes: "
                                                         "[x]\n---\n# L\n\nText.\n",
                                        "alpha/01-a.check.yaml": check})
    relaxed = runner.invoke(args=["courses", "check", str(root)])
    assert relaxed.exit_code == 0, relaxed.output
    assert "all 5 true/false questions in this course are false" in relaxed.output
    assert "  true/false: 0 true, 5 false" in relaxed.output.splitlines()
    strict = runner.invoke(args=["courses", "check", "--strict", str(root)])
    assert strict.exit_code == 1
