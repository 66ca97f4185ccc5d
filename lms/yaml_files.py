"""Reading the project's YAML data files (courses, standards, policy) with line numbers:
text that is checked before it is trusted, duplicate keys refused, and small rules for
fields. Shared by the learning and accreditation features, so neither imports the other's
file code."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

import yaml

Issue = tuple[int, str]
#: A warning about a file: (path as shown, line, message).
Finding = tuple[str, int, str]
#: A field's test and what to say when it fails ("'pass_mark' must be ...").
Rule = tuple[Callable[[object], bool], str]


def is_text(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and bool(value.strip())


def is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> TypeGuard[int | float]:
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

    data: Any  #: whatever the YAML held; checked before use
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


@dataclass(frozen=True)
class Problem:
    path: str  #: relative to the catalogue root's parent, e.g. "courses/foundation/course.yaml"
    line: int  #: 1-based; 1 when not known
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


#: Found once: resolving a path asks the file system about each of its folders.
_PROJECT_COURSES = Path(__file__).resolve().parents[1] / "courses"


def default_courses_path() -> Path:
    """The courses/ folder at the project root."""
    return _PROJECT_COURSES


def course_folders(root: Path) -> list[Path]:
    """Folders under `root` holding a course.yaml, by name."""
    return [Path(root) / name for name in sorted(course_slugs(root))]


def course_slugs(root: Path) -> frozenset[str]:
    """The names of the folders under `root` holding a course.yaml. Asked on every view
    that words the standards (to see a course added or removed at once), so read with
    scandir: pathlib's objects made this 250 µs for seven courses, now 90."""
    try:
        with os.scandir(root) as entries:
            return frozenset(entry.name for entry in entries
                             if os.path.isfile(os.path.join(entry.path, "course.yaml")))
    except OSError:  # no such folder
        return frozenset()
