"""Course content in Welsh: the file format (NN-x.cy.md, cy: blocks), fingerprints of the
English behind each translation, `courses check` reporting missing and outdated Welsh by
file and line, loading, and learners seeing the course in their language."""

import html
import textwrap

import pytest
from sqlalchemy import select, update

from lms.auth.models import User
from lms.extensions import db
from lms.learning.content import read_catalogue, translation_findings
from lms.learning.content_welsh import (
    course_fingerprint,
    lesson_fingerprint,
    module_fingerprint,
    question_fingerprint,
)
from lms.learning.models import CheckAttempt, CourseVersion, Lesson, Module, Question
from lms.yaml_files import default_courses_path
from tests.helpers import check_form, login_as
from tests.learning.conftest import course_yaml, load, module_md, write_catalogue

LESSON_1 = "/courses/basics/lessons/listening/why-listening-matters"
CHECK_1 = "/courses/basics/checks/listening"
PLAIN_LESSON = "/courses/plain/lessons/plain/plain-words"
LISTENING_LESSONS = [("Why listening matters", "Listen first, then ask what happened."),
                     ("Questions that help",
                      "Ask who has been affected. See [next](02-agreements.md).")]


def welsh_question(n, source=None):
    source = source or question_fingerprint(f"Question {n}?", [f"Wrong {n}", f"Right {n}"],
                                            f"Because {n}.")
    return textwrap.dedent(f"""\
      - prompt: Question {n}?
        type: single
        options:
          - text: Wrong {n}
          - text: Right {n}
            correct: true
        explanation: Because {n}.
        cy:
          source: {source}
          prompt: Cwestiwn {n}?
          options:
            - Anghywir {n}
            - Cywir {n}
          explanation: Oherwydd {n}.
    """)


def welsh_check(count=5, without=(), outdated=()):
    """A check whose questions have Welsh, except those in `without`."""
    parts = []
    for n in range(count):
        if n in without:
            parts.append(textwrap.dedent(f"""\
              - prompt: Question {n}?
                type: single
                options:
                  - text: Wrong {n}
                  - text: Right {n}
                    correct: true
                explanation: Because {n}.
            """))
        else:
            parts.append(welsh_question(n, "aaaaaaaaaaaa" if n in outdated else None))
    return "questions:\n" + "".join(textwrap.indent(p, "  ") for p in parts)


def welsh_module(title, english_title, english_outcomes, lessons, english_lessons):
    """A .cy.md file translating `english_lessons` (title, body) as `lessons`."""
    source = [f"  module: {module_fingerprint(english_title, english_outcomes)}"]
    source += [f"  {slug}: {lesson_fingerprint(t, body)}"
               for (t, body), slug in zip(english_lessons, _slugs(english_lessons), strict=True)]
    body = "\n".join(f"# {name}\n\n{text}\n" for name, text in lessons)
    return (f"---\ntitle: {title}\noutcomes:\n  - Gwneud {title}\nsource:\n"
            + "\n".join(source) + f"\n---\n\n{body}")


def _slugs(lessons):
    from lms.learning.content_markdown import slugify
    return [slugify(t) for t, _ in lessons]


def write_welsh_catalogue(root, *, listening_welsh=True, declare=True):
    """The test catalogue, with basics taught in Welsh too (advanced stays English only)."""
    write_catalogue(root)
    plain = root / "plain"  # English only, without prerequisites
    plain.mkdir()
    (plain / "course.yaml").write_text(course_yaml("Plain"))
    (plain / "01-plain.md").write_text(module_md("Plain", 1, [("Plain words", "Say it.")]))
    (plain / "01-plain.check.yaml").write_text(welsh_check(without=set(range(5))))
    basics = root / "basics"
    languages = "languages: [en, cy]\n" if declare else ""
    (basics / "course.yaml").write_text(
        course_yaml("Basics", max_attempts=2) + languages
        + f"cy:\n  source: {course_fingerprint('Basics', 'About Basics.')}\n"
          "  title: Hanfodion\n  summary: Am yr hanfodion.\n")
    if listening_welsh:
        (basics / "01-listening.cy.md").write_text(welsh_module(
            "Gwrando", "Listening", ["Do Listening"],
            [("Pam mae gwrando'n bwysig", "Gwrandewch yn gyntaf, yna gofynnwch beth ddigwyddodd."),
             ("Cwestiynau sy'n helpu", "Gofynnwch pwy sydd wedi cael eu heffeithio. Gweler "
                                       "[nesaf](02-agreements.md).")],
            LISTENING_LESSONS))
    (basics / "02-agreements.cy.md").write_text(welsh_module(
        "Cytundebau", "Agreements", ["Do Agreements"],
        [("Gwneud cytundebau", "Mae cytundebau'n benodol ac yn realistig.")],
        [("Making agreements", "Agreements are specific and realistic.")]))
    (basics / "01-listening.check.yaml").write_text(welsh_check())
    (basics / "02-agreements.check.yaml").write_text(welsh_check())
    return root


@pytest.fixture
def welsh_catalogue(app, tmp_path):
    root = write_welsh_catalogue(tmp_path / "courses")
    load(app, root)
    return root


def _problems(root):
    _, problems = read_catalogue(root)
    return [(p.path, p.line, p.message) for p in problems]


# The file format and `courses check`

def test_a_complete_translation_has_no_problems_or_warnings(tmp_path):
    root = write_welsh_catalogue(tmp_path / "courses")
    courses, problems = read_catalogue(root)
    assert problems == []
    assert translation_findings(root) == []
    basics = next(c for c in courses if c.slug == "basics")
    assert basics.welsh is True
    assert basics.cy is not None
    assert basics.cy.title == "Hanfodion"
    listening = basics.modules[0]
    assert listening.cy_title == "Gwrando"
    assert [lesson.cy.title for lesson in listening.lessons if lesson.cy] == [
        "Pam mae gwrando'n bwysig", "Cwestiynau sy'n helpu"]
    assert listening.questions[1].cy is not None
    assert listening.questions[1].cy.options == ("Anghywir 1", "Cywir 1")


def test_missing_translations_are_problems_by_file_and_line(tmp_path, runner):
    root = write_welsh_catalogue(tmp_path / "courses", listening_welsh=False)
    (root / "basics" / "02-agreements.check.yaml").write_text(welsh_check(without={2}))
    problems = _problems(root)
    assert ("courses/basics/01-listening.md", 1,
            "missing Welsh translation: no 01-listening.cy.md beside this module") in problems
    # question 3 starts on line 2 + 2 * 14 (each translated question is 14 lines)
    assert ("courses/basics/02-agreements.check.yaml", 30,
            "missing Welsh translation of this question (a 'cy:' block)") in problems
    result = runner.invoke(args=["courses", "check", str(root)])
    assert result.exit_code == 1
    assert (f"{root.resolve()}/basics/02-agreements.check.yaml:30: missing Welsh translation "
            f"of this question (a 'cy:' block)") in result.output.splitlines()


def test_a_missing_lesson_is_reported_at_the_english_lesson(tmp_path):
    root = write_welsh_catalogue(tmp_path / "courses")
    text = (root / "basics" / "01-listening.cy.md").read_text()
    (root / "basics" / "01-listening.cy.md").write_text(text.split("# Cwestiynau")[0])
    english = (root / "basics" / "01-listening.md").read_text().split("\n")
    line = english.index("# Questions that help") + 1
    assert ("courses/basics/01-listening.md", line, "missing Welsh translation of lesson "
            "'Questions that help' in 01-listening.cy.md") in _problems(root)


def test_outdated_translations_are_warnings_by_file_and_line(tmp_path, runner):
    root = write_welsh_catalogue(tmp_path / "courses")
    english = root / "basics" / "01-listening.md"
    english.write_text(english.read_text().replace("Listen first", "Always listen first"))
    (root / "basics" / "02-agreements.check.yaml").write_text(welsh_check(outdated={0}))
    assert _problems(root) == []  # outdated Welsh still loads
    findings = translation_findings(root)
    welsh_lines = (root / "basics" / "01-listening.cy.md").read_text().split("\n")
    heading = welsh_lines.index("# Pam mae gwrando'n bwysig") + 1
    lesson_warning = next(f for f in findings if f[0] == "courses/basics/01-listening.cy.md")
    assert lesson_warning[1] == heading
    assert lesson_warning[2].startswith(
        "outdated Welsh translation: the English lesson 'Why listening matters' "
        "(courses/basics/01-listening.md:")
    question_warning = next(f for f in findings if f[0].endswith("02-agreements.check.yaml"))
    assert question_warning[1] == 10  # the source line of the first question's cy block
    assert "outdated Welsh translation: the English question" in question_warning[2]
    assert len(findings) == 2
    result = runner.invoke(args=["courses", "check", str(root)])
    assert result.exit_code == 0, result.output
    assert f"{root.resolve()}/basics/01-listening.cy.md:{heading}: warning: outdated Welsh" \
        in result.output
    assert runner.invoke(args=["courses", "check", "--strict", str(root)]).exit_code == 1


def test_courses_without_welsh_are_not_reported(tmp_path):
    root = write_welsh_catalogue(tmp_path / "courses", declare=False, listening_welsh=False)
    english = root / "basics" / "02-agreements.md"
    english.write_text(english.read_text().replace("specific", "very specific"))
    (root / "basics" / "02-agreements.check.yaml").write_text(welsh_check(without={1}))
    courses, problems = read_catalogue(root)
    assert problems == []
    assert translation_findings(root) == []
    basics = next(c for c in courses if c.slug == "basics")
    assert basics.welsh is False
    assert basics.modules[1].lessons[0].cy is not None  # partial Welsh is still used


def test_malformed_welsh_is_a_problem(tmp_path):
    root = write_welsh_catalogue(tmp_path / "courses")
    check = root / "basics" / "01-listening.check.yaml"
    check.write_text(check.read_text().replace("        - Cywir 0\n", "", 1))
    (root / "basics" / "03-orphan.cy.md").write_text("---\ntitle: x\n---\n")
    cy = root / "basics" / "02-agreements.cy.md"
    cy.write_text(cy.read_text() + "\n# Gwers ychwanegol\n\nTestun.\n")
    problems = _problems(root)
    assert ("courses/basics/01-listening.check.yaml", 12,
            "1 Welsh options, but the question has 2") in problems
    assert ("courses/basics/03-orphan.cy.md", 1,
            "Welsh module file without an English module file") in problems
    assert any(p[0] == "courses/basics/02-agreements.cy.md"
               and "'Gwers ychwanegol' has no English lesson" in p[2] for p in problems)


def test_fingerprints_command_prints_the_sources(tmp_path, runner):
    root = write_welsh_catalogue(tmp_path / "courses")
    basics = root / "basics"
    result = runner.invoke(args=["courses", "fingerprints", str(basics / "01-listening.md"),
                                 str(basics / "01-listening.check.yaml")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1:4] == ["source:",
                          f"  module: {module_fingerprint('Listening', ['Do Listening'])}",
                          f"  why-listening-matters: {lesson_fingerprint(*LISTENING_LESSONS[0])}"]
    first = question_fingerprint("Question 0?", ["Wrong 0", "Right 0"], "Because 0.")
    assert f"line 2: source: {first}" in lines


# Loading

def test_loader_stores_the_welsh(app, welsh_catalogue):
    with app.app_context():
        version = db.session.scalar(select(CourseVersion).where(CourseVersion.title == "Basics"))
        assert (version.welsh, version.title_cy, version.summary_cy) == (
            True, "Hanfodion", "Am yr hanfodion.")
        module = db.session.scalar(select(Module).where(Module.version_id == version.id,
                                                        Module.slug == "listening"))
        assert (module.title_cy, module.outcomes_cy) == ("Gwrando", ["Gwneud Gwrando"])
        lesson = module.lessons[1]
        assert lesson.title_cy == "Cwestiynau sy'n helpu"
        # links in the Welsh are resolved as in the English
        assert 'href="/courses/basics/modules/agreements"' in lesson.body_html_cy
        question = module.questions[0]
        assert (question.prompt_cy, question.options_cy, question.explanation_cy) == (
            "Cwestiwn 0?", ["Anghywir 0", "Cywir 0"], "Oherwydd 0.")
        advanced = db.session.scalar(select(Lesson).where(Lesson.slug == "extended-preparation"))
        assert advanced.title_cy is None
        assert advanced.body_html_cy is None


def test_fixing_the_welsh_keeps_progress_keys(app, tmp_path):
    root = write_welsh_catalogue(tmp_path / "courses")
    courses, _ = read_catalogue(root)
    before = next(c for c in courses if c.slug == "basics")
    cy = root / "basics" / "02-agreements.cy.md"
    cy.write_text(cy.read_text().replace("realistig", "realistig iawn"))
    courses, _ = read_catalogue(root)
    after = next(c for c in courses if c.slug == "basics")
    assert after.content_hash != before.content_hash  # a new version carries the new Welsh
    assert [x.content_hash for m in after.modules for x in m.lessons] == [
        x.content_hash for m in before.modules for x in m.lessons]
    assert [m.check_hash for m in after.modules] == [m.check_hash for m in before.modules]


# The foundation course ships in Welsh

def test_the_foundation_course_is_fully_in_welsh():
    courses, problems = read_catalogue(default_courses_path())
    assert problems == []
    foundation = next(c for c in courses if c.slug == "foundation")
    assert foundation.welsh is True
    assert foundation.cy is not None
    for module in foundation.modules:
        assert module.cy_title, module.filename
        assert module.cy_outcomes is not None
        assert len(module.cy_outcomes) == len(module.outcomes), module.filename
        for lesson in module.lessons:
            assert lesson.cy is not None, (module.filename, lesson.title)
            assert lesson.cy.body.count("\n#") == lesson.body.count("\n#"), lesson.title
        for question in module.questions:
            assert question.cy is not None, (module.filename, question.prompt)
    assert [f for f in translation_findings(default_courses_path())
            if "/foundation/" in f[0]] == []


def test_courses_check_reports_nothing_for_the_foundation_course(runner):
    result = runner.invoke(args=["courses", "check", "--strict"])
    assert result.exit_code == 0, result.output
    assert "courses/foundation/" not in result.output


# What learners see

def _learner(app, make_user, make_scheme, language):
    user = make_user(role="trainee", scheme=make_scheme())
    with app.app_context():
        db.session.execute(update(User).where(User.id == user.id)
                           .values(preferred_language=language))
        db.session.commit()
    return user


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.get_data(as_text=True))


def test_a_welsh_learner_sees_the_lesson_in_welsh(app, client, welsh_catalogue, make_user,
                                                   make_scheme):
    login_as(client, _learner(app, make_user, make_scheme, "cy"))
    client.post("/courses/basics/enrol")
    page = _page(client, LESSON_1)
    assert "<h1>Pam mae gwrando'n bwysig</h1>" in page
    assert "Gwrandewch yn gyntaf" in page
    assert "Listen first" not in page
    assert "not available in Welsh" not in page
    catalogue = _page(client, "/courses/")
    assert "Hanfodion" in catalogue
    assert ("Available in Welsh" in catalogue) or ("Ar gael yn Gymraeg" in catalogue)


def test_an_english_learner_sees_the_lesson_in_english(app, client, welsh_catalogue,
                                                        make_user, make_scheme):
    login_as(client, _learner(app, make_user, make_scheme, "en"))
    client.post("/courses/basics/enrol")
    page = _page(client, LESSON_1)
    assert "<h1>Why listening matters</h1>" in page
    assert "Listen first" in page
    assert "Gwrandewch" not in page
    catalogue = _page(client, "/courses/")
    assert catalogue.count("Available in Welsh") == 1  # basics, not advanced
    # its Welsh title beside it, marked as Welsh on the English page
    assert '<span lang="cy">Hanfodion</span>' in catalogue


def test_a_course_without_welsh_says_so_and_marks_the_english(app, client, welsh_catalogue,
                                                              make_user, make_scheme):
    login_as(client, _learner(app, make_user, make_scheme, "cy"))
    course = _page(client, "/courses/plain")
    assert ("This course is not available in Welsh yet" in course
            or "Nid yw'r cwrs hwn ar gael yn Gymraeg eto" in course)
    assert '<h1 lang="en">Plain</h1>' in course
    assert "not available in Welsh" not in _page(client, "/courses/basics")
    client.post("/courses/plain/enrol")
    lesson = _page(client, PLAIN_LESSON)
    assert ("This lesson is not available in Welsh yet" in lesson
            or "Nid yw'r wers hon ar gael yn Gymraeg eto" in lesson)
    assert '<div class="lesson-body" lang="en">' in lesson
    assert '<h1 lang="en">Plain words</h1>' in lesson


def test_answering_in_welsh_is_marked_the_same(app, client, welsh_catalogue, make_user,
                                               make_scheme):
    user = _learner(app, make_user, make_scheme, "cy")
    login_as(client, user)
    client.post("/courses/basics/enrol")
    options, hidden = check_form(client, CHECK_1)
    labels = [label for choices in options.values() for _, label in choices]
    assert all(label.startswith(("Cywir", "Anghywir")) for label in labels)
    answers = {**hidden, **{name: next(v for v, label in choices if label.startswith("Cywir"))
                            for name, choices in options.items()}}
    page = html.unescape(client.post(CHECK_1, data=answers).get_data(as_text=True))
    assert "Oherwydd 0." in page  # the Welsh explanation
    with app.app_context():
        attempt = db.session.scalar(select(CheckAttempt))
        assert (attempt.correct, attempt.total, attempt.passed) == (5, 5, True)
        # stored by option index, as an English answer would be
        right = {str(q.id): [1] for q in db.session.scalars(select(Question))
                 if q.prompt_cy and str(q.id) in attempt.answers}
        assert attempt.answers == right


def test_the_kept_check_form_is_per_language(app, client, welsh_catalogue, make_user,
                                             make_scheme, monkeypatch):
    """The form class of a paper is made once and kept, per language: the same paper
    viewed in English after Welsh has English answers, and the next attempt its own."""
    from lms.learning import forms

    made = []
    make = forms.KnowledgeCheckForm._paper_class.__func__

    def counted(cls, paper, number, shown):
        made.append((number, shown))
        return make(cls, paper, number, shown)

    monkeypatch.setattr(forms.KnowledgeCheckForm, "_paper_class", classmethod(counted))
    forms._paper_forms.clear()  # an earlier test may have made this very paper's
    user = _learner(app, make_user, make_scheme, "cy")
    login_as(client, user)
    client.post("/courses/basics/enrol")
    welsh, hidden = check_form(client, CHECK_1)
    assert check_form(client, CHECK_1) == (welsh, hidden)
    assert len(made) == 1  # the second view reused the first's form class
    client.post("/language", data={"language": "en", "next": CHECK_1})
    english, english_hidden = check_form(client, CHECK_1)
    assert english_hidden == hidden  # the same paper and attempt
    labels = [label for choices in english.values() for _, label in choices]
    assert all(label.startswith(("Right", "Wrong")) for label in labels)
    assert len(made) == 2
    answers = {**hidden, **{name: next(v for v, label in choices if label.startswith("Wrong"))
                            for name, choices in english.items()}}
    client.post(CHECK_1, data=answers)
    _next_options, next_hidden = check_form(client, CHECK_1)
    assert next_hidden["attempt"] == str(int(hidden["attempt"]) + 1)
    assert made[-1][0] == int(next_hidden["attempt"])


# The migration

def test_the_migration_keeps_every_row_and_marks_old_versions_english_only(tmp_path):
    """Adding the Welsh columns copies no table: on SQLite, copying and dropping
    course_versions would delete modules and attempts through ON DELETE CASCADE."""
    import flask_migrate
    from sqlalchemy import text

    from lms import create_app
    from tests.learning.test_attempt_numbers_migration import ATTEMPT, BEFORE, ROWS

    app = create_app({"ENV": "testing",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    with app.app_context():
        flask_migrate.upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            for row in ROWS:
                conn.execute(text(row))
            conn.execute(text(ATTEMPT.format(id=1, enrolment=1, check="k")))
        flask_migrate.upgrade(revision="c7311296a4bb")
        flask_migrate.upgrade(revision="5c1e0a7d3b92")
        counts = "SELECT (SELECT count(*) FROM modules), (SELECT count(*) FROM check_attempts)"
        with db.engine.connect() as conn:
            assert conn.execute(text(counts)).one() == (1, 1)
            assert conn.execute(text(
                "SELECT welsh, title_cy, summary_cy FROM course_versions")).one() == (
                False, None, None)
        flask_migrate.downgrade(revision="c7311296a4bb")
        with db.engine.connect() as conn:
            assert conn.execute(text(counts)).one() == (1, 1)
        db.engine.dispose()
