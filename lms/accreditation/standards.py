"""The accreditation standards (courses/standards.yaml) read into plain, frozen specs.

No database, and no application needed (only the names in the page's language ask
Flask-Babel which language that is). The levels, their requirements and the renewal
policy are data a scheme network edits, never constants in code; the vocabulary and its
checks live in standards_checks.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from flask import g, has_request_context

from lms.accreditation.standards_checks import (
    DEFAULTS,
    GROUP_KINDS,
    TUPLE_FIELDS,
    check_standards,
)
from lms.i18n import current_locale
from lms.yaml_files import (
    Problem,
    course_slugs,
    default_courses_path,
    parse_yaml,
    read_text,
)

STANDARDS_FILE = "standards.yaml"


@dataclass(frozen=True)
class Requirement:
    kind: str  #: e.g. "practice_records" (see the vocabulary in standards.yaml)
    #: validated fields; role/process_type/level/course as tuples; for any_of and
    #: at_least, "of" holds the grouped Requirements and "count" how many must be met
    params: Mapping[str, Any]  # validated YAML values of several types
    line: int  #: where it is in standards.yaml

    def __hash__(self):  # params is a read-only mapping of hashable values
        return hash((self.kind, tuple(sorted(self.params.items())), self.line))


@dataclass(frozen=True)
class LevelStandard:
    key: str
    name: str
    summary: str
    validity_months: int
    #: levels of which at least one must stay valid for this one to stay valid (() none)
    depends_on: tuple[str, ...]
    note: str | None  #: where our rule is stricter than the public code, and why
    routes: tuple[str, ...]  #: evidence routes accepted: "standard", and maybe "portfolio"
    requirements: tuple[Requirement, ...]  #: for first issue
    maintenance: tuple[Requirement, ...]  #: for renewal
    name_cy: str | None = None  #: the name in Welsh, for bilingual certificates
    summary_cy: str | None = None  #: the summary in Welsh
    note_cy: str | None = None  #: the note in Welsh

    @property
    def local_name(self) -> str:
        """The name in the page's language (the English name where there is no Welsh)."""
        return self.name_cy if self.name_cy and _welsh_page() else self.name

    @property
    def local_summary(self) -> str:
        return self.summary_cy if self.summary_cy and _welsh_page() else self.summary

    @property
    def local_note(self) -> str | None:
        return self.note_cy if self.note and self.note_cy and _welsh_page() else self.note


@dataclass(frozen=True)
class Standards:
    levels: Mapping[str, LevelStandard]  #: in file order
    attestations: Mapping[str, str]  #: key -> the sentence a practitioner agrees to
    expiring_notice_days: int
    reminder_days: tuple[int, ...]
    content_hash: str  #: same content, same hash (comments and layout do not count)
    #: key -> the sentence in Welsh, where translated (not part of the hash, as name_cy)
    attestations_cy: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def local_attestations(self) -> dict[str, str]:
        """key -> the sentence agreed to, in the page's language where translated."""
        welsh = self.attestations_cy if _welsh_page() else {}
        return {key: welsh.get(key) or sentence for key, sentence in self.attestations.items()}


def _welsh_page() -> bool:
    """Whether the request (or forced locale) is Welsh; False outside a request."""
    return str(current_locale() or "en") == "cy"  # asked for each record a list shows


def local_level_name(level_key: str, stored_name: str) -> str:
    """A level's name as a page in the reader's language shows it: on a Welsh page the
    Welsh name of the level in the standards now in force, otherwise (and for a level no
    longer in the standards, or without a Welsh name) the name kept on the record."""
    if not _welsh_page():
        return stored_name
    return _welsh_level_names().get(level_key) or stored_name


def _welsh_level_names() -> dict[str, str]:
    """key -> Welsh name, read once per request (a page may list many records)."""
    if has_request_context() and "welsh_level_names" in g:
        return g.welsh_level_names
    names = {key: level.name_cy for key, level in load_standards().levels.items()
             if level.name_cy}
    if has_request_context():
        g.welsh_level_names = names
    return names


def default_standards_path() -> Path:
    return default_courses_path() / STANDARDS_FILE


def read_standards(path: Path, course_slugs: set[str]) -> tuple[Standards | None, list[Problem]]:
    """The standards in `path` and every problem found (None if any). Never raises for bad
    content. Course slugs are those a course_completed requirement may name."""
    path = Path(path)
    shown = f"{path.resolve().parent.name}/{path.name}"  # as in course problems
    text, issue = read_text(path)
    doc, issues = parse_yaml(text) if text is not None else (None, [issue] if issue else [])
    if doc is not None and not issues:
        issues = check_standards(doc, set(course_slugs))
    problems = sorted((Problem(shown, line, message) for line, message in issues),
                      key=lambda p: (p.line, p.message))
    return (None, problems) if problems else (_standards(doc), [])


def load_standards() -> Standards:
    """The project's standards; re-read when the file (or the set of courses) changes.
    Raises RuntimeError listing the problems if the file is not valid."""
    path = default_standards_path()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as err:
        raise RuntimeError(f"cannot read {path}: {err.strerror or err}") from err
    return _load(path, mtime, course_slugs(default_courses_path()))


@lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int, course_slugs: frozenset[str]) -> Standards:
    standards, problems = read_standards(path, set(course_slugs))
    if standards is None:
        raise RuntimeError("the accreditation standards have problems:\n"
                           + "\n".join(str(p) for p in problems))
    return standards


def _standards(doc) -> Standards:
    data = doc.data
    levels = {key: _level(doc, key, level) for key, level in data["levels"].items()}
    fields = {
        "levels": MappingProxyType(levels),
        "attestations": MappingProxyType({k: v.strip() for k, v in data["attestations"].items()}),
        "expiring_notice_days": data["expiring_notice_days"],
        "reminder_days": tuple(data["reminder_days"]),
    }
    welsh = {k: " ".join(v.split()) for k, v in (data.get("attestations_cy") or {}).items()}
    return Standards(**fields, content_hash=_digest(_canonical(fields)),
                     attestations_cy=MappingProxyType(welsh))


def _level(doc, key: str, level: dict) -> LevelStandard:
    return LevelStandard(
        key=key, name=level["name"].strip(), summary=" ".join(level["summary"].split()),
        validity_months=level["validity_months"],
        depends_on=tuple(_as_list(level.get("depends_on", []))),
        note=" ".join(level["note"].split()) if level.get("note") else None,
        routes=tuple(level.get("routes", ["standard"])),
        requirements=_requirements(doc, key, "requirements", level["requirements"]),
        maintenance=_requirements(doc, key, "maintenance", level["maintenance"]),
        name_cy=level["name_cy"].strip() if level.get("name_cy") else None,
        summary_cy=" ".join(level["summary_cy"].split()) if level.get("summary_cy") else None,
        note_cy=" ".join(level["note_cy"].split()) if level.get("note_cy") else None)


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _requirements(doc, key: str, section: str, items: list) -> tuple[Requirement, ...]:
    return tuple(_requirement(doc, item, ("levels", key, section, n))
                 for n, item in enumerate(items))


def _requirement(doc, item: dict, where: tuple) -> Requirement:
    if item["kind"] in GROUP_KINDS:
        grouped = tuple(_requirement(doc, inner, (*where, "of", n))
                        for n, inner in enumerate(item["of"]))
        params = {"count": item.get("count", 1), "of": grouped}
    else:
        params = _params(item)
    return Requirement(item["kind"], MappingProxyType(params), doc.line(*where))


def _params(item: dict) -> dict[str, object]:
    params = {k: v for k, v in item.items() if k != "kind"}
    for name, value in DEFAULTS.get(item["kind"], {}).items():
        params.setdefault(name, value)
    for name in TUPLE_FIELDS:
        if name in params and not isinstance(params[name], list):
            params[name] = [params[name]]
    if item["kind"] == "cpd_hours":  # 16 and 16.0 are the same standard
        params = {k: float(v) if k != "within_months" else v for k, v in params.items()}
    return {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()}


def _canonical(fields: dict) -> dict:
    """What the version hash covers. The Welsh name, summary and note translate the
    standard and do not change what it asks, so adding or correcting them makes no new
    version."""
    def requirements(items):
        return [[r.kind, {k: requirements(v) if k == "of" else v for k, v in r.params.items()}]
                for r in items]

    levels = [[lv.key, lv.name, lv.summary, lv.note, lv.routes, lv.validity_months,
               lv.depends_on,
               requirements(lv.requirements), requirements(lv.maintenance)]
              for lv in fields["levels"].values()]
    return {**fields, "levels": levels, "attestations": dict(fields["attestations"])}


def _digest(value: object) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def check_standards_file(root: Path) -> tuple[list[tuple[int, str]], list[Problem]]:
    """For `flask courses check`: the levels to mention (none without a standards.yaml)
    and the file's problems. A course_completed requirement may name any course folder."""
    path = root / STANDARDS_FILE
    if not path.exists():
        return [], []
    standards, problems = read_standards(path, set(course_slugs(root)))
    return [(len(standards.levels) if standards else 0, "accreditation level")], problems
