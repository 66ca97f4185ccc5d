"""Welsh (Cymraeg) versions of course content, kept beside the English (courses/README.md).

- `course.yaml`: `languages: [en, cy]` declares that the course is taught in Welsh too; its
  `cy:` block holds the Welsh title and summary.
- `NN-module-slug.cy.md` beside `NN-module-slug.md`: front matter with the Welsh title and
  outcomes and `source` (the fingerprints of the English it was translated from), then the
  Welsh lessons, one `# ` heading each, in the same order as the English lessons.
- A knowledge check question's `cy:` block: `source`, `prompt`, `options` (the Welsh texts,
  in the order of the English options, whose `correct` flags they share) and `explanation`.

A fingerprint is the start of the sha256 of the English text. A Welsh text whose recorded
fingerprint no longer matches is OUTDATED (a warning: the English changed since it was
translated). In a course that declares `cy`, a course, module, lesson or question without
its Welsh is MISSING (a problem: the course is not loaded). Courses that do not declare `cy`
are not reported either way, and any Welsh they have is still loaded and shown.

Pure: no database and no application. Findings are (path as shown, line, message).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from lms.learning.content_markdown import ModuleText, parse_module
from lms.yaml_files import (
    Finding,
    Rule,
    YamlDoc,
    check_mapping,
    check_text_list,
    is_text,
    parse_yaml,
    read_text,
)

WELSH = "cy"
LANGUAGES = ("en", WELSH)
#: Hex digits of sha256 kept as a fingerprint: plenty to notice a change.
FINGERPRINT_LENGTH = 12


def _fingerprint(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:FINGERPRINT_LENGTH]


def course_fingerprint(title: str, summary: str) -> str:
    return _fingerprint(["course", title.strip(), summary.strip()])


def module_fingerprint(title: str, outcomes: list[str] | tuple[str, ...]) -> str:
    return _fingerprint(["module", title.strip(), [o.strip() for o in outcomes]])


def lesson_fingerprint(title: str, body: str) -> str:
    return _fingerprint(["lesson", title.strip(), body.strip()])


def question_fingerprint(prompt: str, options: list[str] | tuple[str, ...],
                         explanation: str) -> str:
    return _fingerprint(["question", prompt.strip(), [o.strip() for o in options],
                         explanation.strip()])


def shown_fingerprint(value: str) -> str:
    """As written in YAML: quoted when all digits, which YAML would read as a number."""
    return f"'{value}'" if value.isdigit() else value


def welsh_file_name(module_file: str) -> str:
    """01-harm.md -> 01-harm.cy.md"""
    return f"{module_file.removesuffix('.md')}.{WELSH}.md"


@dataclass(frozen=True)
class WelshCourse:
    title: str
    summary: str


@dataclass(frozen=True)
class WelshLesson:
    title: str
    body: str  #: Markdown without the "# " heading line


@dataclass(frozen=True)
class WelshModule:
    title: str
    outcomes: tuple[str, ...]
    #: By position of the English lessons; None where a lesson has no Welsh.
    lessons: tuple[WelshLesson | None, ...]


@dataclass(frozen=True)
class WelshQuestion:
    prompt: str
    options: tuple[str, ...]  #: in the order of the English options
    explanation: str


@dataclass
class Findings:
    problems: list[Finding] = field(default_factory=list)  #: stop the course loading
    warnings: list[Finding] = field(default_factory=list)  #: outdated translations


def _is_fingerprint(value: object) -> bool:
    return isinstance(value, str) and len(value.strip()) >= 6


COURSE_RULES: dict[str, Rule] = {
    "source": (_is_fingerprint, "must be the fingerprint of the English title and summary"),
    "title": (is_text, "must be non-empty text"),
    "summary": (is_text, "must be non-empty text"),
}
WELSH_FRONT_MATTER_RULES: dict[str, Rule] = {
    "title": (is_text, "must be non-empty text"),
    "outcomes": (lambda v: isinstance(v, list) and len(v) > 0,
                 "must be a list of at least one learning outcome"),
    "source": (lambda v: isinstance(v, dict),
               "must map 'module' and each English lesson's slug to its fingerprint"),
}
QUESTION_RULES: dict[str, Rule] = {
    "source": (_is_fingerprint, "must be the fingerprint of the English question"),
    "prompt": (is_text, "must be non-empty text"),
    "options": (lambda v: isinstance(v, list) and all(is_text(o) for o in v),
                "must list the Welsh text of each option, in the English order"),
    "explanation": (is_text, "must be non-empty text"),
}
def declares_welsh(data: object) -> bool:
    """Whether a course.yaml's data declares the course is taught in Welsh."""
    return isinstance(data, dict) and isinstance(data.get("languages"), list) \
        and WELSH in data["languages"]


def read_course_welsh(doc: YamlDoc, shown: str, found: Findings) -> WelshCourse | None:
    """The Welsh title and summary of a valid course.yaml."""
    data, declared = doc.data, declares_welsh(doc.data)
    block = data.get(WELSH)
    if block is None:
        if declared:
            found.problems.append((shown, doc.line("languages"),
                                   f"missing Welsh translation: the course declares '{WELSH}' "
                                   f"but has no '{WELSH}:' block with its title and summary"))
        return None
    issues = check_mapping(doc, block, COURSE_RULES, WELSH, what=f"the '{WELSH}' block")
    found.problems += [(shown, line, message) for line, message in issues]
    if issues:
        return None
    now = course_fingerprint(data["title"], data["summary"])
    if declared and block["source"].strip() != now:
        found.warnings.append((shown, doc.line(WELSH, "source"), _outdated(
            "the Welsh title and summary", "the English title or summary", shown, 1,
            block["source"], now)))
    return WelshCourse(block["title"].strip(), block["summary"].strip())


def read_welsh_module(english: ModuleText, english_shown: str, path: Path, shown: str,
                      declared: bool, found: Findings) -> tuple[WelshModule | None, ModuleText]:
    """The Welsh version of a valid module (`english`), from `path` when it exists; and the
    parsed Welsh file (for its links)."""
    if not path.is_file():
        if declared:
            found.problems.append((english_shown, 1, f"missing Welsh translation: no "
                                                     f"{path.name} beside this module"))
        return None, ModuleText()
    text, issue = read_text(path)
    welsh = (parse_module(text, WELSH_FRONT_MATTER_RULES) if text is not None
             else ModuleText(issues=[issue] if issue else []))
    found.problems += [(shown, line, message) for line, message in welsh.issues]
    front, english_front = welsh.front, english.front
    if welsh.issues or front is None or english_front is None:
        return None, welsh
    found.problems += [(shown, line, message) for line, message in
                       check_text_list(front, front.data["outcomes"], "outcomes",
                                       what="outcome")]
    outcomes = [o.strip() for o in front.data["outcomes"] if is_text(o)]
    english_outcomes = english_front.data["outcomes"]
    if len(front.data["outcomes"]) != len(english_outcomes):
        found.problems.append((shown, front.line("outcomes"),
                               f"{len(front.data['outcomes'])} outcomes, but the English "
                               f"module has {len(english_outcomes)}"))
    extra = welsh.lessons[len(english.lessons):]
    found.problems += [(shown, lesson.line, f"Welsh lesson '{lesson.title}' has no English "
                                            f"lesson (lessons pair up in order)")
                       for lesson in extra]
    if declared:
        found.problems += [(english_shown, lesson.line, f"missing Welsh translation of "
                                                        f"lesson '{lesson.title}' in "
                                                        f"{path.name}")
                           for lesson in english.lessons[len(welsh.lessons):]]
        _module_outdated(english, english_shown, welsh, shown, found)
    lessons: list[WelshLesson | None] = [
        WelshLesson(w.title, w.body) for w in welsh.lessons[:len(english.lessons)]]
    lessons += [None] * (len(english.lessons) - len(lessons))
    return WelshModule(front.data["title"].strip(), tuple(outcomes), tuple(lessons)), welsh


def _module_outdated(english: ModuleText, english_shown: str, welsh: ModuleText, shown: str,
                     found: Findings) -> None:
    assert welsh.front is not None
    assert english.front is not None
    front, source = welsh.front, welsh.front.data["source"]
    now = module_fingerprint(english.front.data["title"], english.front.data["outcomes"])
    if str(source.get("module", "")).strip() != now:
        found.warnings.append((shown, front.line("source", "module"), _outdated(
            "the Welsh title and outcomes", "the English title or outcomes", english_shown, 1,
            source.get("module"), now)))
    for theirs, ours in zip(english.lessons, welsh.lessons, strict=False):
        now = lesson_fingerprint(theirs.title, theirs.body)
        recorded = source.get(theirs.slug)
        if str(recorded or "").strip() != now:
            found.warnings.append((shown, ours.line, _outdated(
                f"Welsh lesson '{ours.title}'", f"the English lesson '{theirs.title}'",
                english_shown, theirs.line, recorded, now)))


def _outdated(what: str, english: str, english_shown: str, line: int, recorded: object,
              now: str) -> str:
    if not recorded:
        return (f"no fingerprint of the English it translates for {what}: record "
                f"'{now}' once it matches {english} ({english_shown}:{line})")
    return (f"outdated Welsh translation: {english} ({english_shown}:{line}) has changed "
            f"since {what} was translated from it (fingerprint {recorded}, now {now})")


def read_welsh_questions(doc: YamlDoc, shown: str, declared: bool, found: Findings
                         ) -> list[WelshQuestion | None]:
    """The Welsh of each question of a valid knowledge check, by position."""
    welsh: list[WelshQuestion | None] = []
    for n, question in enumerate(doc.data["questions"]):
        block = question.get(WELSH)
        if block is None:
            if declared:
                found.problems.append((shown, doc.line("questions", n),
                                       f"missing Welsh translation of this question (a "
                                       f"'{WELSH}:' block)"))
            welsh.append(None)
            continue
        issues = check_mapping(doc, block, QUESTION_RULES, "questions", n, WELSH,
                               what=f"the '{WELSH}' block")
        english_options = [o["text"] for o in question["options"]]
        if not issues and len(block["options"]) != len(english_options):
            issues.append((doc.line("questions", n, WELSH, "options"),
                           f"{len(block['options'])} Welsh options, but the question has "
                           f"{len(english_options)}"))
        found.problems += [(shown, line, message) for line, message in issues]
        if issues:
            welsh.append(None)
            continue
        now = question_fingerprint(question["prompt"], english_options, question["explanation"])
        if declared and block["source"].strip() != now:
            found.warnings.append((shown, doc.line("questions", n, WELSH, "source"), _outdated(
                "its Welsh", "the English question", shown, doc.line("questions", n),
                block["source"], now)))
        welsh.append(WelshQuestion(block["prompt"].strip(),
                                   tuple(o.strip() for o in block["options"]),
                                   block["explanation"].strip()))
    return welsh


def module_sources(english: ModuleText) -> dict[str, str]:
    """The `source:` mapping a Welsh version of this module records (see `courses
    fingerprints`)."""
    assert english.front is not None
    sources = {"module": module_fingerprint(english.front.data["title"],
                                            english.front.data["outcomes"])}
    sources.update((lesson.slug, lesson_fingerprint(lesson.title, lesson.body))
                   for lesson in english.lessons)
    return sources


def source_lines(path: Path) -> list[str]:
    """What `courses fingerprints` prints for one English file (see there)."""
    text, issue = read_text(path)
    if text is None:
        return [f"cannot read: {issue[1] if issue else path}"]
    if path.name.endswith(".check.yaml"):
        doc, issues = parse_yaml(text)
        if doc is None or issues or not isinstance(doc.data, dict):
            return ["not a valid knowledge check: run courses check"]
        lines = []
        for n, question in enumerate(doc.data.get("questions") or []):
            try:
                now = question_fingerprint(question["prompt"],
                                           [o["text"] for o in question["options"]],
                                           question["explanation"])
            except (KeyError, TypeError, AttributeError):
                lines.append(f"line {doc.line('questions', n)}: not a valid question")
                continue
            lines.append(f"line {doc.line('questions', n)}: source: {shown_fingerprint(now)}")
        return lines
    if path.name == "course.yaml":
        doc, issues = parse_yaml(text)
        data = doc.data if doc is not None and not issues else None
        if not isinstance(data, dict) or not is_text(data.get("title")) \
                or not is_text(data.get("summary")):
            return ["not a valid course.yaml: run courses check"]
        return [f"source: {shown_fingerprint(course_fingerprint(data['title'], data['summary']))}"]
    module = parse_module(text)
    if module.issues or module.front is None:
        return ["not a valid module file: run courses check"]
    return ["source:", *(f"  {key}: {shown_fingerprint(value)}"
                         for key, value in module_sources(module).items())]
