"""The course-file parser and checker (no database), and `flask courses check`."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.learning.content import read_catalogue
from lms.learning.content_markdown import slugify
from lms.learning.content_yaml import PATHWAY_STAGES
from lms.yaml_files import Problem, default_courses_path

ALPHA = """\
title: Alpha
summary: >
  The first course.
pathway_stage: foundation
prerequisites: []
estimated_hours: 6
pass_mark: 80
live_session:
  required: false
  hours: 0
"""

BETA = """\
title: Beta
summary: The second course.
pathway_stage: facilitator
prerequisites: [alpha]
estimated_hours: 12.5
pass_mark: 70
max_attempts: 3
live_session:
  required: true
  hours: 6
"""

INTRO = """\
---
title: Introduction
order: 1
outcomes:
  - Explain the basics
---

# First lesson

Some text, then [the next module](02-next.md#going-further).

# Second lesson

More text, and `[not a link](99-nowhere.md)` in code.
"""

NEXT = """\
---
title: Next steps
order: 2
outcomes:
  - Go further
  - Go further still
---
# Going further

See [the web](https://example.org/x.md) and [mail](mailto:a@example.org).
"""

BETA_MODULE = """\
---
title: Beta module
order: 1
outcomes: [Do the work]
---

# The work

Builds on [the first lesson](../alpha/01-intro.md#first-lesson).
"""


def question(n, kind="single", options=(("Right", True), ("Wrong", False))):
    lines = [f"  - prompt: Question {n}?", f"    type: {kind}", "    options:"]
    for text, correct in options:
        lines.append(f"      - text: {text}")
        if correct:
            lines.append("        correct: true")
    return "\n".join([*lines, f"    explanation: Because {n}."])


def check_yaml(*questions):
    questions = questions or tuple(question(n) for n in range(1, 6))
    return "questions:\n" + "\n".join(questions) + "\n"


BASE = {
    "README.md": "# Courses\n",
    "notes.yaml": "anything: [goes\n",  # top-level files are not course files
    "alpha/course.yaml": ALPHA,
    "alpha/01-intro.md": INTRO,
    "alpha/01-intro.check.yaml": check_yaml(),
    "alpha/02-next.md": NEXT,
    "alpha/02-next.check.yaml": check_yaml(),
    "beta/course.yaml": BETA,
    "beta/01-work.md": BETA_MODULE,
    "beta/01-work.check.yaml": check_yaml(),
}


@pytest.fixture
def catalogue(tmp_path):
    """catalogue({"alpha/course.yaml": text, "beta/01-work.md": None}) -> the root folder:
    the valid two-course catalogue above with files replaced (None deletes one)."""

    def build(changes=None):
        root = tmp_path / "courses"
        for name, content in {**BASE, **(changes or {})}.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if content is None:
                path.unlink(missing_ok=True)
            elif isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return build


def problems(root):
    return [str(problem) for problem in read_catalogue(root)[1]]


def slugs(root):
    return [course.slug for course in read_catalogue(root)[0]]


def test_a_valid_catalogue_reads_into_specs(catalogue):
    courses, found = read_catalogue(catalogue())
    assert found == []
    alpha, beta = courses
    assert (alpha.slug, alpha.title, alpha.summary, alpha.pathway_stage) == (
        "alpha", "Alpha", "The first course.", "foundation")
    assert (alpha.max_attempts, alpha.live_required, alpha.live_hours) == (None, False, 0.0)
    assert (beta.prerequisites, beta.estimated_hours, beta.pass_mark, beta.max_attempts) == (
        ("alpha",), 12.5, 70, 3)
    intro, following = alpha.modules
    assert (intro.slug, intro.filename, intro.order, intro.outcomes) == (
        "intro", "01-intro.md", 1, ("Explain the basics",))
    assert [(x.slug, x.order) for x in intro.lessons] == [("first-lesson", 1),
                                                           ("second-lesson", 2)]
    assert intro.lessons[0].body == (
        "Some text, then [the next module](02-next.md#going-further).")
    assert following.outcomes == ("Go further", "Go further still")
    first = intro.questions[0]
    assert (first.prompt, first.type, first.explanation) == ("Question 1?", "single",
                                                             "Because 1.")
    assert [(o.text, o.correct) for o in first.options] == [("Right", True), ("Wrong", False)]


def test_the_shipped_catalogue_has_no_problems():
    courses, found = read_catalogue(default_courses_path())
    assert [str(p) for p in found] == []
    assert len(courses) == 7
    assert {course.pathway_stage for course in courses} <= set(PATHWAY_STAGES)
    assert all(len(module.questions) >= 5 for course in courses for module in course.modules)


def test_shipped_correct_answers_are_not_mostly_first():
    for course in read_catalogue(default_courses_path())[0]:
        singles = [q for m in course.modules for q in m.questions if q.type == "single"]
        first = [q for q in singles if q.options[0].correct]
        assert len(first) * 2 <= len(singles), course.slug


def test_shipped_multiple_choice_is_not_mostly_led_by_a_correct_option():
    for course in read_catalogue(default_courses_path())[0]:
        multiples = [q for m in course.modules for q in m.questions if q.type == "multiple"]
        led = [q for q in multiples if q.options[0].correct]
        assert len(led) * 3 <= len(multiples) * 2, (course.slug, len(led), len(multiples))


def test_problem_reads_as_file_line_message():
    assert str(Problem("courses/a/course.yaml", 3, "oops")) == "courses/a/course.yaml:3: oops"


@pytest.mark.parametrize(("title", "slug"), [
    ("The facilitator's role", "the-facilitators-role"),
    ("  Harm, needs & obligations ", "harm-needs-obligations"),
    ("Café au lait", "cafe-au-lait"),
    ("!!!", ""),
])
def test_slugify(title, slug):
    assert slugify(title) == slug


def test_yaml_syntax_error_is_reported_at_its_line(catalogue):
    root = catalogue({"alpha/course.yaml": ALPHA.replace("pass_mark: 80", "pass_mark: [80")})
    assert any(p.startswith("courses/alpha/course.yaml:8: invalid YAML") for p in problems(root))
    assert slugs(root) == []  # beta needs alpha, so it is left out too


def test_a_file_that_is_not_utf8_is_reported_at_the_bad_byte(catalogue):
    root = catalogue({"alpha/02-next.md": NEXT.encode().replace(b"Go further\n",
                                                                b"Go f\xfcrther\n", 1)})
    assert problems(root) == ["courses/alpha/02-next.md:5: file is not valid UTF-8"]


def test_course_yaml_must_be_a_mapping(catalogue):
    root = catalogue({"alpha/course.yaml": "- title\n- summary\n"})
    assert problems(root) == ["courses/alpha/course.yaml:1: course.yaml must be a mapping "
                              "of fields"]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("pathway_stage: foundation", "pathway_stage: expert",
     "4: 'pathway_stage' must be one of: foundation, facilitator, advanced, supervision, "
     "trainer"),
    ("pathway_stage: foundation", "level: foundation",
     "4: 'level' is now called 'pathway_stage': write 'pathway_stage:' instead of 'level:'"),
    ("pathway_stage: foundation", "pathway_stage: foundation\nlevel: foundation",
     "5: 'level' is now called 'pathway_stage': write 'pathway_stage:' instead of 'level:'"),
    # "stage" alone means a stage of the facilitator's process, never a course field
    ("pathway_stage: foundation", "pathway_stage: foundation\nstage: foundation",
     "5: unknown field 'stage'"),
    ("pass_mark: 80", "pass_mark: 0", "7: 'pass_mark' must be a whole number from 1 to 100"),
    ("pass_mark: 80", "pass_mark: 80.5", "7: 'pass_mark' must be a whole number from 1 to 100"),
    ("estimated_hours: 6", "estimated_hours: -1",
     "6: 'estimated_hours' must be a number greater than 0"),
    ("estimated_hours: 6", "estimated_hours: six",
     "6: 'estimated_hours' must be a number greater than 0"),
    ("prerequisites: []", "prerequisites: foundation",
     "5: 'prerequisites' must be a list of course slugs ([] for none)"),
    ("prerequisites: []", "prerequisites:\n  - 3", "6: each prerequisite must be non-empty text"),
    ("title: Alpha\n", "", "1: missing field 'title'"),
    ("pass_mark: 80", "pasmark: 80", "1: missing field 'pass_mark'"),
    ("pass_mark: 80", "pass_mark: 80\nmax_attempt: 3", "8: unknown field 'max_attempt'"),
    ("pass_mark: 80", "pass_mark: 80\nmax_attempts: 0",
     "8: 'max_attempts' must be a whole number of at least 1 (leave it out for unlimited)"),
    ("required: false", "required: maybe", "9: 'required' must be true or false"),
    ("required: false", "required: true",
     "10: 'hours' must be greater than 0 when live training is required"),
    ("  hours: 0", "  hours: 0\n  where: online", "11: unknown field 'where'"),
    ("  hours: 0", "  hours: -2", "10: 'hours' must be a number of at least 0"),
    ("pass_mark: 80", "pass_mark: 80\npass_mark: 90", "8: duplicate key 'pass_mark'"),
])
def test_course_fields_are_checked(catalogue, old, new, expected):
    root = catalogue({"alpha/course.yaml": ALPHA.replace(old, new)})
    assert f"courses/alpha/course.yaml:{expected}" in problems(root)
    assert "alpha" not in slugs(root)


def test_a_course_file_still_saying_level_is_refused_with_the_new_name(catalogue):
    root = catalogue({"alpha/course.yaml": ALPHA.replace("pathway_stage:", "level:")})
    assert problems(root) == ["courses/alpha/course.yaml:4: 'level' is now called "
                              "'pathway_stage': write 'pathway_stage:' instead of 'level:'"]
    assert slugs(root) == []  # beta needs alpha


def test_prerequisites_must_name_other_courses(catalogue):
    root = catalogue({"beta/course.yaml": BETA.replace("[alpha]", "[alpha, gamma, beta, alpha]")})
    assert problems(root) == [
        "courses/beta/course.yaml:4: a course cannot be its own prerequisite",
        "courses/beta/course.yaml:4: duplicate prerequisite 'alpha'",
        "courses/beta/course.yaml:4: unknown prerequisite 'gamma'",
    ]
    assert slugs(root) == ["alpha"]


def test_a_prerequisite_cycle_is_reported_once(catalogue):
    root = catalogue({"alpha/course.yaml": ALPHA.replace("prerequisites: []",
                                                         "prerequisites:\n  - beta")})
    assert problems(root) == ["courses/alpha/course.yaml:6: prerequisite cycle: "
                              "alpha -> beta -> alpha"]
    assert slugs(root) == []


def test_two_courses_cannot_share_a_title(catalogue):
    root = catalogue({"beta/course.yaml": BETA.replace("title: Beta", "title: Alpha")})
    assert problems(root) == ["courses/beta/course.yaml:1: duplicate course title 'Alpha' "
                              "(also courses/alpha/course.yaml)"]


def test_module_files_without_course_yaml_are_reported(catalogue):
    root = catalogue({"gamma/01-lost.md": NEXT})
    assert problems(root) == ["courses/gamma/course.yaml:1: course folder has module files "
                              "but no course.yaml"]


@pytest.mark.parametrize(("changes", "expected"), [
    ({"alpha/3-extra.md": NEXT},
     "courses/alpha/3-extra.md:1: a module file name must look like 01-module-slug.md"),
    ({"alpha/03-extra.check.yml": "questions: []\n"},
     "courses/alpha/03-extra.check.yml:1: a YAML file here must be course.yaml or "
     "NN-module-slug.check.yaml"),
    ({"alpha/02-next.check.yaml": None},
     "courses/alpha/02-next.md:1: module has no knowledge check (02-next.check.yaml)"),
    ({"alpha/03-gone.check.yaml": check_yaml()},
     "courses/alpha/03-gone.check.yaml:1: knowledge check without a module file"),
    ({"alpha/02-next.md": NEXT.replace("order: 2", "order: 3")},
     "courses/alpha/02-next.md:3: 'order' is 3 but the file name starts with 02"),
    ({"alpha/02-intro.md": NEXT, "alpha/02-intro.check.yaml": check_yaml()},
     "courses/alpha/02-next.md:3: duplicate module order 2 (also 02-intro.md)"),
    ({"alpha/03-intro.md": NEXT.replace("order: 2", "order: 3"),
      "alpha/03-intro.check.yaml": check_yaml()},
     "courses/alpha/03-intro.md:1: duplicate module slug 'intro' (also 01-intro.md)"),
    ({"beta/01-work.md": None, "beta/01-work.check.yaml": None},
     "courses/beta/course.yaml:1: course has no module files"),
])
def test_module_files_are_checked(catalogue, changes, expected):
    assert expected in problems(catalogue(changes))


@pytest.mark.parametrize(("text", "expected"), [
    ("# Going further\n\nText.\n", "1: a module file must start with front matter between "
                                   "'---' lines"),
    ("---\ntitle: Next\n# Going further\n", "1: front matter is not closed with a '---' line"),
    (NEXT.replace("order: 2", "order: 2: 3"), "3: invalid YAML: mapping values"),
    (NEXT.replace("title: Next steps", "title: ''"), "2: 'title' must be non-empty text"),
    (NEXT.replace("  - Go further still", "  - ''"), "6: each outcome must be non-empty text"),
    (NEXT.replace("outcomes:\n  - Go further\n  - Go further still", "outcomes: []"),
     "4: 'outcomes' must be a list of at least one learning outcome"),
    (NEXT.replace("order: 2", "order: 2\nlevel: 1"), "4: unknown field 'level'"),
    (NEXT.replace("---\n# Going", "---\nIntro text.\n\n# Going"),
     "8: text before the first lesson heading"),
    (NEXT.replace("# Going further", "## Going further"),
     "8: module has no lessons (each lesson starts with a '# ' heading)"),
    (NEXT + "\n# Going  further!\n\nAgain.\n",
     "12: duplicate lesson 'Going  further!' (same slug 'going-further' as the lesson on "
     "line 8)"),
    (NEXT + "\n# Empty\n\n# Last\n\nText.\n", "12: lesson 'Empty' has no text"),
    (NEXT + "\n# ?\n\nText.\n", "12: a lesson heading needs a title with letters or digits"),
])
def test_module_text_is_checked(catalogue, text, expected):
    found = problems(catalogue({"alpha/02-next.md": text}))
    assert any(p.startswith(f"courses/alpha/02-next.md:{expected}") for p in found), found


def test_a_module_with_problems_leaves_its_course_out_but_reports_everything(catalogue):
    root = catalogue({"alpha/02-next.md": NEXT.replace("title: Next steps", "title: 3")
                                              .replace("# Going further\n", "Stray\n# Going\n")})
    assert problems(root) == [
        "courses/alpha/01-intro.md:10: broken link '02-next.md#going-further': 02-next.md "
        "has no lesson 'going-further'",
        "courses/alpha/02-next.md:2: 'title' must be non-empty text",
        "courses/alpha/02-next.md:8: text before the first lesson heading",
    ]
    assert slugs(root) == []


def q_at(n):
    """File line of question n (1-based) in check_yaml(): each question is seven lines."""
    return 2 + 7 * (n - 1)


@pytest.mark.parametrize(("check", "expected"), [
    ("- just a list\n", "1: a knowledge check must be a mapping of fields"),
    ("questions: 5\n", "1: 'questions' must be a list of questions"),
    (check_yaml(*(question(n) for n in range(1, 5))),
     "1: a knowledge check needs at least 5 questions (found 4)"),
    (check_yaml(*(question(n) for n in range(1, 5)), question(5, options=[("A", True),
                                                                          ("B", True)])),
     f"{q_at(5)}: a single-choice question must have exactly one correct option (found 2)"),
    (check_yaml(*(question(n) for n in range(1, 5)), question(5, "multiple", [("A", False),
                                                                              ("B", False)])),
     f"{q_at(5)}: question without a correct answer"),
    (check_yaml(question(1, "choose"), *(question(n) for n in range(2, 6))),
     "3: 'type' must be single or multiple"),
    (check_yaml(question(1, options=[("A", True)]), *(question(n) for n in range(2, 6))),
     "4: 'options' must list at least 2 options"),
    (check_yaml(question(1, options=[("A", True), ("A", False)]),
                *(question(n) for n in range(2, 6))), "7: duplicate option 'A'"),
    (check_yaml(question(1, options=[("A", True), ("''", False)]),
                *(question(n) for n in range(2, 6))), "7: 'text' must be non-empty text"),
    (check_yaml().replace("correct: true", "correct: 'yes'", 1),
     "6: 'correct' must be true or false"),
    (check_yaml().replace("    explanation: Because 3.\n", ""), f"{q_at(3)}: missing field "
                                                                 "'explanation'"),
    (check_yaml().replace("Question 2?", "Question 1?"),
     f"{q_at(2)}: duplicate question (same prompt as line 2)"),
    (check_yaml().replace("    type: single\n", "    type: single\n    hint: no\n", 1),
     "4: unknown field 'hint'"),
])
def test_knowledge_checks_are_checked(catalogue, check, expected):
    found = problems(catalogue({"alpha/02-next.check.yaml": check}))
    assert f"courses/alpha/02-next.check.yaml:{expected}" in found


@pytest.mark.parametrize(("link", "expected"), [
    ("03-missing.md", "broken link '03-missing.md': there is no module file alpha/03-missing.md"),
    ("01-intro.md#no-such-lesson",
     "broken link '01-intro.md#no-such-lesson': 01-intro.md has no lesson 'no-such-lesson'"),
    ("../gamma/01-intro.md", "broken link '../gamma/01-intro.md': there is no course 'gamma'"),
    ("../beta/02-work.md", "broken link '../beta/02-work.md': there is no module file "
                           "beta/02-work.md"),
    ("notes/01-intro.md", "link to 'notes/01-intro.md' must be a module file name like "
                          "02-name.md, or ../course/02-name.md"),
])
def test_broken_links_are_reported_at_their_line(catalogue, link, expected):
    text = NEXT.replace("and [mail]", f"and\nalso [this]({link}) and [mail]")
    assert problems(catalogue({"alpha/02-next.md": text})) == [
        f"courses/alpha/02-next.md:11: {expected}"]


def test_links_that_work_or_are_not_module_links_are_fine(catalogue):
    text = NEXT + "\n[intro](01-intro.md), [second](01-intro.md#second-lesson), " \
                  "[beta](../beta/01-work.md#the-work), [image](pic.png), [top](#going-further)" \
                  "\n\n    [in a code block](99-nowhere.md)\n"
    assert problems(catalogue({"alpha/02-next.md": text})) == []


def test_hashes_are_stable_and_follow_the_content(catalogue):
    root = catalogue()
    first, again = read_catalogue(root)[0], read_catalogue(root)[0]
    assert [c.content_hash for c in first] == [c.content_hash for c in again]
    changed_root = catalogue({"alpha/01-intro.md": INTRO.replace("More text", "Other text")})
    changed = read_catalogue(changed_root)[0]
    before, after = first[0].modules[0].lessons, changed[0].modules[0].lessons
    assert first[0].content_hash != changed[0].content_hash
    assert before[1].content_hash != after[1].content_hash
    assert before[0].content_hash == after[0].content_hash
    assert first[0].modules[1] == changed[0].modules[1]
    assert first[1].content_hash == changed[1].content_hash  # beta did not change


def test_renaming_level_to_pathway_stage_kept_every_course_hash(catalogue):
    # A new hash would make a new version of every course on the next `courses load`.
    alpha, beta = read_catalogue(catalogue())[0]
    assert (alpha.content_hash, beta.content_hash) == (
        "ed9537138c77115e313eefb19b319bfc398d828c8fa20763a8cc2c5477a605a8",
        "45c70e64c5bca0ee1c007867941292d9e41160259a10ee454df1f296b66362ea")


def test_check_hash_follows_the_questions(catalogue):
    before = read_catalogue(catalogue())[0][0]
    root = catalogue({"alpha/01-intro.check.yaml": check_yaml().replace("Because 4.", "Why.")})
    after = read_catalogue(root)[0][0]
    assert before.modules[0].check_hash != after.modules[0].check_hash
    assert before.modules[0].lessons == after.modules[0].lessons
    assert before.content_hash != after.content_hash


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text())
def test_any_module_text_gives_problems_not_errors(catalogue, text):
    root = catalogue({"alpha/02-next.md": "---\n" + text})
    courses, found = read_catalogue(root)
    assert all(isinstance(p, Problem) and p.line >= 1 for p in found)
    assert len(courses) <= 2


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(), data=st.binary(max_size=40))
def test_any_yaml_text_gives_problems_not_errors(catalogue, text, data):
    root = catalogue({"alpha/course.yaml": ALPHA + text, "beta/01-work.check.yaml": data})
    _, found = read_catalogue(root)
    assert found
    assert all(p.line >= 1 for p in found)


def test_check_command_passes_on_the_shipped_catalogue(runner):
    result = runner.invoke(args=["courses", "check", "--strict"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("checked 7 courses, 39 modules, ")
    assert result.output.splitlines()[-1].endswith(": 0 problems")
    assert "warning" not in result.output


def test_check_command_lists_problems_and_fails(runner, catalogue):
    root = catalogue({"alpha/01-intro.check.yaml": None})
    result = runner.invoke(args=["courses", "check", str(root)])
    assert result.exit_code == 1
    shown = Path(root).resolve() / "alpha" / "01-intro.md"
    lines = result.output.splitlines()
    assert lines[0] == f"{shown}:1: module has no knowledge check (01-intro.check.yaml)"
    assert lines[-1] == ("checked 0 courses, 0 modules, 0 questions: 1 problem (2 more courses "
                         "cannot be loaded)")
    # between them, the knowledge-check warnings and figures (test_content_quality.py)
