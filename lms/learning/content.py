"""The course catalogue as files (see courses/README.md) read into plain, frozen specs.

Pure: no database and no application. `read_catalogue` returns only courses without any
problem (and whose prerequisites are all returned too), plus every problem found, each with
its file and line. The Markdown and YAML details live in content_markdown and content_checks.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from lms.learning.content_checks import PATHWAY_STAGES, Question, check_course, check_questions
from lms.learning.content_markdown import (
    CHECK_FILE,
    MODULE_FILE,
    SLUG,
    WELSH_FILE,
    ModuleIndex,
    ModuleText,
    link_problem,
    parse_module,
    slugify,
)
from lms.learning.content_welsh import (
    Findings,
    WelshCourse,
    WelshLesson,
    WelshModule,
    WelshQuestion,
    declares_welsh,
    read_course_welsh,
    read_welsh_module,
    read_welsh_questions,
    welsh_file_name,
)
from lms.learning.occupational_standards import read_framework
from lms.learning.question_banks import bank_problem, split_policy
from lms.learning.skills_content import (
    SkillsPracticeSpec,
    check_skills_practice,
    skills_practice_spec,
)
from lms.yaml_files import (
    Issue,
    Problem,
    YamlDoc,
    course_folders,
    default_courses_path,
    parse_yaml,
    read_text,
)

__all__ = [
    "PATHWAY_STAGES", "CourseSpec", "LessonSpec", "ModuleSpec", "OptionSpec", "Problem",
    "QuestionSpec", "course_folders", "default_courses_path", "read_catalogue", "slugify",
    "translation_findings",
]


@dataclass(frozen=True)
class OptionSpec:
    text: str
    correct: bool


@dataclass(frozen=True)
class QuestionSpec:
    prompt: str
    type: str  #: "single" | "multiple"
    options: tuple[OptionSpec, ...]
    explanation: str
    cy: WelshQuestion | None = None  #: the question in Welsh, when translated


@dataclass(frozen=True)
class LessonSpec:
    slug: str  #: slugified title, unique within its module
    title: str
    order: int  #: 1-based position in the module
    body: str  #: Markdown without the "# " heading line
    content_hash: str  #: of (course slug, module slug, title, body); not of the Welsh
    cy: WelshLesson | None = None  #: the lesson in Welsh, when translated


@dataclass(frozen=True)
class ModuleSpec:
    slug: str  #: file name without "NN-" and ".md"
    filename: str
    title: str
    order: int
    outcomes: tuple[str, ...]
    lessons: tuple[LessonSpec, ...]
    questions: tuple[QuestionSpec, ...]
    check_hash: str  #: changes when any question, option or explanation changes
    questions_per_attempt: int | None = None  #: drawn from the bank; None: all of them
    cy_title: str | None = None  #: the module's Welsh title and outcomes, when translated
    cy_outcomes: tuple[str, ...] | None = None


@dataclass(frozen=True)
class CourseSpec:
    slug: str  #: folder name
    title: str
    summary: str
    stage: str  #: on the training pathway, one of PATHWAY_STAGES
    prerequisites: tuple[str, ...]
    estimated_hours: float
    pass_mark: int  #: 1..100
    max_attempts: int | None  #: None: unlimited
    live_required: bool
    live_hours: float
    modules: tuple[ModuleSpec, ...]  #: by order
    content_hash: str  #: over everything above and the Welsh: same files, same hash
    #: The course declares `languages: [en, cy]`: it is taught in Welsh in full.
    welsh: bool = False
    cy: WelshCourse | None = None  #: the Welsh title and summary
    #: Skills a trainer must mark "pass" before the course is complete; None: no such rule.
    skills_practice: SkillsPracticeSpec | None = None


@dataclass
class _Course:
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


def read_catalogue(root: Path) -> tuple[list[CourseSpec], list[Problem]]:
    """Every valid course under `root` and every problem found. Never raises for bad
    content. A course with a problem is left out, and so is any course needing it."""
    root = Path(root).resolve()
    if not root.is_dir():
        return [], [Problem(root.name, 1, "course catalogue folder not found")]
    framework, _findings = read_framework(root)
    stages = set(framework.stages) if framework else None
    courses = {folder.name: _read_course(folder, root.parent, stages)
               for folder in course_folders(root)}
    stray = [_stray_folder(folder, root.parent) for folder in sorted(root.iterdir())]
    _check_prerequisites(courses)
    _check_links(courses)
    _check_titles(courses)
    problems = sorted([p for p in stray if p] + [p for c in courses.values() for p in c.problems],
                      key=lambda p: (p.path, p.line, p.message))
    return [_course_spec(courses[slug]) for slug in _loadable(courses)], problems


def _stray_folder(folder: Path, base: Path) -> Problem | None:
    """Module files in a folder without course.yaml are a course someone forgot to name."""
    if not folder.is_dir() or (folder / "course.yaml").exists() or folder.name.startswith("."):
        return None
    if any(MODULE_FILE.match(p.name) or CHECK_FILE.match(p.name) for p in folder.iterdir()):
        return Problem(_shown(folder / "course.yaml", base), 1,
                       "course folder has module files but no course.yaml")
    return None


def _shown(path: Path, base: Path) -> str:
    return path.relative_to(base).as_posix()


def _read_course(folder: Path, base: Path, stages: set[str] | None = None) -> _Course:
    course = _Course(folder.name, _shown(folder, base))
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


def _read_yaml(course: _Course, path: Path, shown: str) -> YamlDoc | None:
    text, issue = read_text(path)
    doc, issues = parse_yaml(text) if text is not None else (None, [issue] if issue else [])
    course.problems += [Problem(shown, line, message) for line, message in issues]
    return None if issues else doc


def _module_match(name: str) -> re.Match[str]:
    """MODULE_FILE's match of a name already known to match it."""
    match = MODULE_FILE.match(name)
    assert match is not None
    return match


def _read_modules(course: _Course, folder: Path, base: Path) -> None:
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


def _read_module(course: _Course, path: Path, check: Path | None, base: Path) -> None:
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


def _check_module_set(course: _Course) -> None:
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
                   _digest([course_slug, slug, lesson.title, lesson.body]), cy=welsh)
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
                      check_hash=_digest(questions if per_attempt is None
                                         else [questions, per_attempt]),
                      cy_title=cy.title if cy else None,
                      cy_outcomes=cy.outcomes if cy else None)


def _check_prerequisites(courses: dict[str, _Course]) -> None:
    graph: dict[str, list[str]] = {}
    for course in courses.values():
        seen = set()
        for slug, line in course.prerequisites:
            if slug == course.slug:
                course.problem(course.yaml_path, line, "a course cannot be its own prerequisite")
            elif slug in seen:
                course.problem(course.yaml_path, line, f"duplicate prerequisite '{slug}'")
            elif slug not in courses:
                course.problem(course.yaml_path, line, f"unknown prerequisite '{slug}'")
            else:
                graph.setdefault(course.slug, []).append(slug)
            seen.add(slug)
    for cycle in _cycles(graph):
        course = courses[cycle[0]]
        line = dict(course.prerequisites)[cycle[1]]
        course.problem(course.yaml_path, line, "prerequisite cycle: " + " -> ".join(cycle))


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Each cycle once, starting from its alphabetically first course, e.g. [a, b, a]."""
    found: list[list[str]] = []
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for successor in graph.get(node, []):
            if state.get(successor) == "open":
                loop = [*path[path.index(successor):], node]
                start = loop.index(min(loop))
                cycle = loop[start:] + loop[:start]
                if cycle + cycle[:1] not in found:
                    found.append(cycle + cycle[:1])
            elif successor not in state:
                visit(successor, [*path, node])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    return found


def _check_links(courses: dict[str, _Course]) -> None:
    index: ModuleIndex = {slug: course.lesson_slugs for slug, course in courses.items()}
    for course in courses.values():
        for path, line, href in course.links:
            message = link_problem(href, course.slug, index)
            if message:
                course.problem(path, line, message)


def _check_titles(courses: dict[str, _Course]) -> None:
    titles: dict[str, str] = {}
    for course in courses.values():
        if course.doc is None:
            continue
        title = course.doc.data["title"].strip()
        if title in titles:
            course.problem(course.yaml_path, course.doc.line("title"),
                           f"duplicate course title '{title}' (also {titles[title]})")
        titles.setdefault(title, course.yaml_path)


def _loadable(courses: dict[str, _Course]) -> list[str]:
    """Courses without problems whose prerequisites are all loadable, by slug."""
    ok = {slug for slug, course in courses.items() if not course.problems}
    changed = True
    while changed:
        blocked = {slug for slug in ok
                   if any(p not in ok for p, _ in courses[slug].prerequisites)}
        ok -= blocked
        changed = bool(blocked)
    return sorted(ok)


def _course_spec(course: _Course) -> CourseSpec:
    assert course.doc is not None  # only courses without problems get here
    data = course.doc.data
    live = data["live_session"]
    fields = {
        "slug": course.slug, "title": data["title"].strip(), "summary": data["summary"].strip(),
        "stage": data["stage"], "prerequisites": tuple(data["prerequisites"]),
        "estimated_hours": float(data["estimated_hours"]), "pass_mark": data["pass_mark"],
        "max_attempts": data.get("max_attempts"), "live_required": live["required"],
        "live_hours": float(live["hours"]),
        "modules": tuple(sorted(course.modules, key=lambda m: m.order)),
    }
    canonical = _canonical(fields)
    welsh = _welsh_canonical(course)
    if welsh:  # English-only courses keep the hash they had before Welsh was supported
        canonical["welsh"] = welsh
    practice = skills_practice_spec(data)
    if practice is not None:  # only then, so courses without it keep their hashes
        canonical["skills_practice"] = practice.as_stored()
    return CourseSpec(**fields, content_hash=_digest(canonical), welsh=course.welsh,
                      cy=course.cy, skills_practice=practice)


def _welsh_canonical(course: _Course) -> list | None:
    """Everything Welsh in the course (a change makes a new version), None if nothing."""
    modules = [[m.slug, m.cy_title, list(m.cy_outcomes or ()),
                [[x.cy.title, x.cy.body] if x.cy else None for x in m.lessons],
                [[q.cy.prompt, list(q.cy.options), q.cy.explanation] if q.cy else None
                 for q in m.questions]]
               for m in sorted(course.modules, key=lambda m: m.order)]
    has_welsh = course.welsh or course.cy or any(
        m.cy_title or any(x.cy for x in m.lessons) or any(q.cy for q in m.questions)
        for m in course.modules)
    if not has_welsh:
        return None
    return [course.welsh, [course.cy.title, course.cy.summary] if course.cy else None, modules]


def translation_findings(root: Path) -> list[tuple[str, int, str]]:
    """Outdated Welsh translations (warnings) in courses that declare Welsh, by file and
    line. Missing ones are problems, reported by `read_catalogue`."""
    root = Path(root).resolve()
    if not root.is_dir():
        return []
    return sorted(finding for folder in course_folders(root)
                  for finding in _read_course(folder, root.parent).translations.warnings)


def _canonical(fields: dict) -> dict:
    modules = [[m.slug, m.filename, m.title, m.order, list(m.outcomes), m.check_hash,
                [[x.slug, x.title, x.order, x.content_hash] for x in m.lessons]]
               for m in fields["modules"]]
    # "stage" is hashed under its old name, so renaming the field made no new versions
    stage = fields["stage"]
    return {**{k: v for k, v in fields.items() if k != "stage"}, "level": stage,
            "prerequisites": list(fields["prerequisites"]), "modules": modules}


def _digest(value: object) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
