"""YAML side of the course-file checks: reading files, parsing YAML with line numbers, and
validating course.yaml and knowledge checks. Problems are (line, message) pairs; the caller
adds the file name. Nothing here raises for bad content."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

LEVELS = ("foundation", "facilitator", "advanced", "supervision", "trainer")
QUESTION_TYPES = ("single", "multiple")
MIN_QUESTIONS = 5

Issue = tuple[int, str]
#: A field's test and what to say when it fails ("'pass_mark' must be ...").
Rule = tuple[Callable[[object], bool], str]


def is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


def read_text(path: Path) -> tuple[str | None, Issue | None]:
    """The file's text with newlines normalised, or why it cannot be read."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        return None, (1, f"cannot read file: {err.strerror or err}")
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return None, (raw[:err.start].count(b"\n") + 1, "file is not valid UTF-8")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


@dataclass(frozen=True)
class YamlDoc:
    """Parsed YAML and the node tree it came from, to find the line of any key or item."""

    data: object
    node: yaml.Node | None
    offset: int = 0  #: lines in the file before the YAML text (front matter starts on line 2)

    def line(self, *keys: str | int) -> int:
        """1-based file line of the deepest of `keys` that exists (a key, or a list item)."""
        node, line = self.node, (self.node.start_mark.line if self.node else 0)
        for key in keys:
            found = _child(node, key)
            if found is None:
                break
            marker, node = found
            line = marker.start_mark.line
        return line + 1 + self.offset


def _child(node, key):
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in reversed(node.value):  # the last duplicate wins in data
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(key):
                return key_node, value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key], node.value[key]
    return None


def parse_yaml(text: str, offset: int = 0) -> tuple[YamlDoc | None, list[Issue]]:
    try:
        node, data = _load(text)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = (mark.line + 1 if mark else 1) + offset
        return None, [(line, f"invalid YAML: {err.problem or err.context or 'syntax error'}")]
    except yaml.YAMLError as err:  # ReaderError: a character YAML does not allow
        position = getattr(err, "position", 0)
        line = text.count("\n", 0, position) + 1 + offset
        return None, [(line, f"invalid YAML: {getattr(err, 'reason', 'unreadable text')}")]
    except RecursionError:
        return None, [(1 + offset, "invalid YAML: nested too deeply")]
    return YamlDoc(data, node, offset), _duplicate_keys(node, offset)


def _load(text: str) -> tuple[yaml.Node | None, object]:
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _duplicate_keys(root: yaml.Node | None, offset: int) -> list[Issue]:
    issues, seen_nodes, stack = [], set(), [root]
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys = set()
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    if key_node.value in keys:
                        issues.append((key_node.start_mark.line + 1 + offset,
                                       f"duplicate key '{key_node.value}'"))
                    keys.add(key_node.value)
                stack.append(value_node)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return sorted(issues)


def check_mapping(doc: YamlDoc, value: object, rules: dict[str, Rule], *where: str | int,
                  optional: tuple[str, ...] = (), what: str = "this") -> list[Issue]:
    """Missing, wrong and unknown fields of the mapping `value` found at `where` in `doc`."""
    if not isinstance(value, dict):
        return [(doc.line(*where), f"{what} must be a mapping of fields")]
    issues = []
    for key, (test, requirement) in rules.items():
        if key not in value:
            if key not in optional:
                issues.append((doc.line(*where), f"missing field '{key}'"))
        elif not test(value[key]):
            issues.append((doc.line(*where, key), f"'{key}' {requirement}"))
    issues += [(doc.line(*where, key), f"unknown field '{key}'")
               for key in value if key not in rules]
    return issues


def check_text_list(doc: YamlDoc, value: object, *where: str | int, what: str) -> list[Issue]:
    """Each item of a list must be non-empty text (the list itself is checked by its rule)."""
    if not isinstance(value, list):
        return []
    return [(doc.line(*where, n), f"each {what} must be non-empty text")
            for n, item in enumerate(value) if not is_text(item)]


COURSE_RULES: dict[str, Rule] = {
    "title": (is_text, "must be non-empty text"),
    "summary": (is_text, "must be non-empty text"),
    "level": (lambda v: isinstance(v, str) and v in LEVELS,
              f"must be one of: {', '.join(LEVELS)}"),
    "prerequisites": (lambda v: isinstance(v, list),
                      "must be a list of course slugs ([] for none)"),
    "estimated_hours": (lambda v: is_number(v) and v > 0, "must be a number greater than 0"),
    "pass_mark": (lambda v: is_int(v) and 1 <= v <= 100, "must be a whole number from 1 to 100"),
    "max_attempts": (lambda v: is_int(v) and v >= 1,
                     "must be a whole number of at least 1 (leave it out for unlimited)"),
    "live_session": (lambda v: isinstance(v, dict),
                     "must be a mapping with 'required' and 'hours'"),
}
LIVE_SESSION_RULES: dict[str, Rule] = {
    "required": (lambda v: isinstance(v, bool), "must be true or false"),
    "hours": (lambda v: is_number(v) and v >= 0, "must be a number of at least 0"),
}


def check_course(doc: YamlDoc) -> list[Issue]:
    """Problems in a parsed course.yaml (prerequisite slugs are checked against the catalogue
    later, by the caller)."""
    data = doc.data
    issues = check_mapping(doc, data, COURSE_RULES, optional=("max_attempts",),
                           what="course.yaml")
    if not isinstance(data, dict):
        return issues
    issues += check_text_list(doc, data.get("prerequisites"), "prerequisites",
                              what="prerequisite")
    live = data.get("live_session")
    if isinstance(live, dict):
        issues += check_mapping(doc, live, LIVE_SESSION_RULES, "live_session")
        if live.get("required") is True and is_number(live.get("hours")) and live["hours"] <= 0:
            issues.append((doc.line("live_session", "hours"),
                           "'hours' must be greater than 0 when live training is required"))
    return issues


OPTION_RULES: dict[str, Rule] = {
    "text": (is_text, "must be non-empty text"),
    "correct": (lambda v: isinstance(v, bool), "must be true or false"),
}
QUESTION_RULES: dict[str, Rule] = {
    "prompt": (is_text, "must be non-empty text"),
    "type": (lambda v: isinstance(v, str) and v in QUESTION_TYPES, "must be single or multiple"),
    "options": (lambda v: isinstance(v, list) and len(v) >= 2, "must list at least 2 options"),
    "explanation": (is_text, "must be non-empty text"),
}

#: A valid question as plain data: (prompt, type, ((text, correct), ...), explanation).
Question = tuple[str, str, tuple[tuple[str, bool], ...], str]


def check_questions(doc: YamlDoc) -> tuple[list[Question], list[Issue]]:
    """The questions of a knowledge check, and its problems (questions only if none)."""
    issues = check_mapping(doc, doc.data, {"questions": (
        lambda v: isinstance(v, list), "must be a list of questions")}, what="a knowledge check")
    if issues:
        return [], issues
    questions = doc.data["questions"]
    if len(questions) < MIN_QUESTIONS:
        issues.append((doc.line("questions"), f"a knowledge check needs at least {MIN_QUESTIONS}"
                                              f" questions (found {len(questions)})"))
    prompts: dict[str, int] = {}
    for n, question in enumerate(questions):
        issues += _check_question(doc, question, n)
        if isinstance(question, dict) and is_text(question.get("prompt")):
            prompt = question["prompt"].strip()
            if prompt in prompts:
                issues.append((doc.line("questions", n),
                               f"duplicate question (same prompt as line {prompts[prompt]})"))
            prompts.setdefault(prompt, doc.line("questions", n))
    if issues:
        return [], issues
    return [_question(q) for q in questions], []


def _check_question(doc: YamlDoc, question: object, n: int) -> list[Issue]:
    issues = check_mapping(doc, question, QUESTION_RULES, "questions", n, what="a question")
    options = question.get("options") if isinstance(question, dict) else None
    if not isinstance(options, list):
        return issues
    texts: set[str] = set()
    for m, option in enumerate(options):
        issues += check_mapping(doc, option, OPTION_RULES, "questions", n, "options", m,
                                optional=("correct",), what="an option")
        if isinstance(option, dict) and is_text(option.get("text")):
            text = option["text"].strip()
            if text in texts:
                issues.append((doc.line("questions", n, "options", m),
                               f"duplicate option '{text}'"))
            texts.add(text)
    correct = sum(1 for o in options if isinstance(o, dict) and o.get("correct") is True)
    if correct == 0:
        issues.append((doc.line("questions", n), "question without a correct answer"))
    elif question.get("type") == "single" and correct > 1:
        issues.append((doc.line("questions", n), "a single-choice question must have exactly "
                                                  f"one correct option (found {correct})"))
    return issues


def _question(question: dict) -> Question:
    options = tuple((o["text"].strip(), o.get("correct", False)) for o in question["options"])
    return (question["prompt"].strip(), question["type"], options,
            question["explanation"].strip())
