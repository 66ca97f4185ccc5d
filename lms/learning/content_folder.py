"""One course folder read: its course.yaml, module files and knowledge checks, and the
Welsh beside them, into module specs and every problem found in the folder. Problems between
courses (prerequisites, links, titles) are found by content.read_catalogue.

Pure: no database and no application. Never raises for bad content."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lms.learning.content_markdown import (
    CHECK_FILE,
    MODULE_FILE,
    SLUG,
    WELSH_FILE,
    ModuleText,
    parse_module,
)
from lms.learning.content_specs import LessonSpec, ModuleSpec, OptionSpec, QuestionSpec, digest
from lms.learning.content_welsh import (
    Findings,
    WelshCourse,
    WelshModule,
    WelshQuestion,
    declares_welsh,
    read_course_welsh,
    read_welsh_module,
    read_welsh_questions,
    welsh_file_name,
)
from lms.learning.content_yaml import Question, check_course, check_questions
from lms.learning.question_banks import bank_problem, split_policy
from lms.learning.skills_content import check_skills_practice
from lms.yaml_files import Issue, Problem, YamlDoc, parse_yaml, read_text


@dataclass
class CourseFolder:
    """One course folder while the catalogue is being read."""

    slug: str
    folder: str  #: as shown in problems, e.g. "courses/foundation"
    doc: YamlDoc | None = None  #: course.yaml, when it parsed and is valid
    modules: list[ModuleSpec] = field(default_factory=list)
    lesson_slugs: dict[str, frozenset[str] | None] = field(default_factory=dict)
    links: list[tuple[str, int, str]] = field(default_factory=list)  #: (path, line, href)
    problems: list[Problem] = field(default_factory=list)
    order_lines: dict[str, int] = field(default_factory=dict)  #: file name -> 'order:' line
    per_attempt: int | None = None  #: course.yaml's questions_per_attempt
    welsh: bool = False  #: course.yaml declares cy: missing Welsh is a problem
    cy: WelshCourse | None = None
    translations: Findings = field(default_factory=Findings)  #: problems, outdated Welsh

    @property
    def yaml_path(self) -> str:
        return f"{self.folder}/course.yaml"

    def problem(self, path: str, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, message))

    @property
    def prerequisites(self) -> list[tuple[str, int]]:
        doc = self.doc
        if doc is None:
            return []
        return [(slug, doc.line("prerequisites", n))
                for n, slug in enumerate(doc.data["prerequisites"])]


def stray_folder(folder: Path, base: Path) -> Problem | None:
    """Module files in a folder without course.yaml are a course someone forgot to name."""
    if not folder.is_dir() or (folder / "course.yaml").exists() or folder.name.startswith("."):
        return None
    if any(MODULE_FILE.match(p.name) or CHECK_FILE.match(p.name) for p in folder.iterdir()):
        return Problem(_shown(folder / "course.yaml", base), 1,
                       "course folder has module files but no course.yaml")
    return None


def _shown(path: Path, base: Path) -> str:
    return path.relative_to(base).as_posix()


def read_course_folder(folder: Path, base: Path, stages: set[str] | None = None) -> CourseFolder:
    """The folder's course.yaml and modules, paths shown relative to `base`. `stages`: the
    keys of the facilitator's process stages a skill may name (None: no framework file)."""
    course = CourseFolder(folder.name, _shown(folder, base))
    if not re.fullmatch(SLUG, folder.name):
        course.problem(course.yaml_path, 1, "the course folder name must be a slug "
                                            "(lowercase letters, digits and hyphens)")
    doc = _read_yaml(course, folder / "course.yaml", course.yaml_path)
    if doc is not None:
        doc, course.per_attempt, issues = split_policy(doc)
        issues += check_course(doc) + check_skills_practice(doc, stages)
        course.problems += [Problem(course.yaml_path, line, msg) for line, msg in issues]
        course.doc = None if issues else doc
        if course.doc is not None:
            course.welsh = declares_welsh(doc.data)
            course.cy = read_course_welsh(doc, course.yaml_path, course.translations)
    _read_modules(course, folder, base)
    course.problems += [Problem(*found) for found in course.translations.problems]
    return course


def _read_yaml(course: CourseFolder, path: Path, shown: str) -> YamlDoc | None:
    text, issue = read_text(path)
    doc, issues = parse_yaml(text) if text is not None else (None, [issue] if issue else [])
    course.problems += [Problem(shown, line, message) for line, message in issues]
    return None if issues else doc


def _module_match(name: str) -> re.Match[str]:
    """MODULE_FILE's match of a name already known to match it."""
    match = MODULE_FILE.match(name)
    assert match is not None
    return match


def _read_modules(course: CourseFolder, folder: Path, base: Path) -> None:
    files = sorted(p for p in folder.iterdir() if p.is_file())
    checks = {p.name.removesuffix(".check.yaml"): p for p in files if CHECK_FILE.match(p.name)}
    for path in files:
        shown = _shown(path, base)
        if MODULE_FILE.match(path.name):
            _read_module(course, path, checks.get(path.stem), base)
        elif WELSH_FILE.match(path.name):
            if not (folder / f"{path.name.removesuffix('.cy.md')}.md").is_file():
                course.problem(shown, 1, "Welsh module file without an English module file")
        elif path.suffix == ".md":
            course.problem(shown, 1, "a module file name must look like 01-module-slug.md")
        elif path.suffix in (".yaml", ".yml") and path.name != "course.yaml":
            if not CHECK_FILE.match(path.name):
                course.problem(shown, 1, "a YAML file here must be course.yaml or "
                                         "NN-module-slug.check.yaml")
            elif not (folder / f"{path.name.removesuffix('.check.yaml')}.md").is_file():
                course.problem(shown, 1, "knowledge check without a module file")
    _check_module_set(course)


def _read_module(course: CourseFolder, path: Path, check: Path | None, base: Path) -> None:
    shown, text, issue = _shown(path, base), *read_text(path)
    parsed = parse_module(text) if text is not None else ModuleText(issues=[issue] if issue else [])
    before = len(course.problems)
    course.problems += [Problem(shown, line, message) for line, message in parsed.issues]
    course.lesson_slugs[path.name] = (frozenset(x.slug for x in parsed.lessons)
                                      if text is not None else None)
    course.links += [(shown, link.line, link.href) for link in parsed.links]
    welsh_path = path.with_name(welsh_file_name(path.name))
    cy: WelshModule | None = None
    if not parsed.issues:
        cy, welsh = read_welsh_module(parsed, shown, welsh_path, _shown(welsh_path, base),
                                      course.welsh, course.translations)
        course.links += [(_shown(welsh_path, base), link.line, link.href)
                         for link in welsh.links]
    order = int(_module_match(path.name)["order"])
    if parsed.front:
        course.order_lines[path.name] = parsed.front.line("order")
        if parsed.front.data["order"] != order:
            course.problem(shown, parsed.front.line("order"),
                           f"'order' is {parsed.front.data['order']} but the file name "
                           f"starts with {order:02d}")
    if check is None:
        course.problem(shown, 1, f"module has no knowledge check ({path.stem}.check.yaml)")
        return
    doc = _read_yaml(course, check, _shown(check, base))
    per_attempt: int | None = None
    issues: list[Issue] = []
    questions: list[Question] = []
    cy_questions: list[WelshQuestion | None] = []
    if doc:
        doc, per_attempt, issues = split_policy(doc)
        questions, more = check_questions(doc)
        issues += more
        from_course = per_attempt is None
        per_attempt = course.per_attempt if from_course else per_attempt
        problem = bank_problem(per_attempt, len(questions), from_course=from_course) \
            if questions else None
        issues += [(doc.line("questions"), problem)] if problem else []
        if questions and not issues:
            cy_questions = read_welsh_questions(doc, _shown(check, base), course.welsh,
                                                course.translations)
    course.problems += [Problem(_shown(check, base), line, message) for line, message in issues]
    if len(course.problems) == before:
        course.modules.append(_module_spec(course.slug, path.name, parsed, questions,
                                           per_attempt, cy, cy_questions))


def _check_module_set(course: CourseFolder) -> None:
    if not course.lesson_slugs:
        course.problem(course.yaml_path, 1, "course has no module files")
    seen: dict[str, str] = {}
    for name in sorted(course.lesson_slugs):
        match = _module_match(name)
        for key, label, line in ((f"order {int(match['order'])}", "module",
                                  course.order_lines.get(name, 1)),
                                 (f"slug '{match['slug']}'", "module", 1)):
            if key in seen:
                course.problem(f"{course.folder}/{name}", line,
                               f"duplicate {label} {key} (also {seen[key]})")
            seen.setdefault(key, name)


def _module_spec(course_slug: str, filename: str, parsed: ModuleText, questions,
                 per_attempt: int | None, cy: WelshModule | None,
                 cy_questions: list[WelshQuestion | None]) -> ModuleSpec:
    assert parsed.front is not None  # only modules without problems get here
    front, slug = parsed.front.data, _module_match(filename)["slug"]
    cy_lessons = cy.lessons if cy else (None,) * len(parsed.lessons)
    lessons = tuple(
        LessonSpec(lesson.slug, lesson.title, n, lesson.body,
                   digest([course_slug, slug, lesson.title, lesson.body]), cy=welsh)
        for n, (lesson, welsh) in enumerate(zip(parsed.lessons, cy_lessons, strict=True),
                                            start=1))
    cy_questions = cy_questions or [None] * len(questions)
    specs = tuple(QuestionSpec(prompt, kind, tuple(OptionSpec(*o) for o in options), explanation,
                               cy=welsh)
                  for (prompt, kind, options, explanation), welsh
                  in zip(questions, cy_questions, strict=True))
    return ModuleSpec(slug=slug, filename=filename, title=front["title"].strip(),
                      order=front["order"], outcomes=tuple(o.strip() for o in front["outcomes"]),
                      lessons=lessons, questions=specs, questions_per_attempt=per_attempt,
                      # drawing from a bank makes another check; without one, hashes stay
                      # (the Welsh is left out: a translation does not make another check)
                      check_hash=digest(questions if per_attempt is None
                                        else [questions, per_attempt]),
                      cy_title=cy.title if cy else None,
                      cy_outcomes=cy.outcomes if cy else None)
