"""Course modules mapped to the national occupational standards for restorative practice and
to the seven stages: the units and stages in courses/occupational-standards.yaml, each
course's `standards_map:` in its course.yaml, the warnings `courses check` gives about them,
and the mapping the course page shows. Files only: no database."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lms.yaml_files import Finding, is_text, parse_yaml, read_text

STANDARDS_FILE = "occupational-standards.yaml"
_MODULE_FILE = re.compile(r"^\d\d-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")


@dataclass(frozen=True)
class Framework:
    """The units and stages modules are mapped to."""

    source: str
    units: dict[str, str]  #: code -> title, in file order
    stages: dict[str, str]  #: key -> label, in file order
    covered_by: str  #: the course whose modules must cover every unit and stage


@dataclass(frozen=True)
class ModuleMapping:
    units: tuple[tuple[str, str], ...]  #: (code, title)
    stages: tuple[str, ...]  #: labels
    note: str = ""


def read_framework(root: Path) -> tuple[Framework | None, list[Finding]]:
    path = Path(root) / STANDARDS_FILE
    shown = f"{Path(root).name}/{STANDARDS_FILE}"
    if not path.exists():
        return None, []
    text, issue = read_text(path)
    doc, issues = parse_yaml(text) if text is not None else (None, [issue] if issue else [])
    if doc is None or issues:
        return None, [(shown, line, message) for line, message in issues]
    data = doc.data if isinstance(doc.data, dict) else {}
    findings = []
    for key in ("units", "stages"):
        value = data.get(key)
        if not (isinstance(value, dict) and value
                and all(isinstance(k, str) and is_text(v) for k, v in value.items())):
            findings.append((shown, doc.line(key), f"'{key}' must map each key to a title"))
    if not is_text(data.get("covered_by")):
        findings.append((shown, doc.line("covered_by"), "'covered_by' must name a course"))
    if findings:
        return None, findings
    return Framework(str(data.get("source", "")).strip(), dict(data["units"]),
                     dict(data["stages"]), data["covered_by"]), []


def mapping_findings(root: Path) -> list[Finding]:
    """Modules not mapped, mappings naming unknown units, stages or modules, and units or
    stages no module of the `covered_by` course teaches."""
    root = Path(root).resolve()
    framework, findings = read_framework(root)
    if framework is None:
        return findings
    covered: set[str] = set()
    covering_course = None
    for folder in sorted(p for p in root.iterdir() if (p / "course.yaml").is_file()):
        course_findings, taught = _course_findings(folder, root.parent, framework)
        findings += course_findings
        if folder.name == framework.covered_by:
            covering_course, covered = folder, taught
    shown = f"{root.name}/{STANDARDS_FILE}"
    if covering_course is None:
        return [*findings, (shown, 1, f"'covered_by' names no course: {framework.covered_by}")]
    for key, title in [*framework.units.items(), *framework.stages.items()]:
        if key not in covered:
            findings.append((f"{root.name}/{covering_course.name}/course.yaml", 1,
                             f"no module of this course covers {key} ({title})"))
    return findings


def _course_findings(folder: Path, base: Path, framework: Framework
                     ) -> tuple[list[Finding], set[str]]:
    shown = (folder / "course.yaml").relative_to(base).as_posix()
    text, _ = read_text(folder / "course.yaml")
    doc, issues = parse_yaml(text) if text is not None else (None, [])
    if doc is None or issues or not isinstance(doc.data, dict):
        return [], set()  # course.yaml problems are reported by the catalogue check
    modules = sorted(m["slug"] for p in folder.iterdir() if (m := _MODULE_FILE.match(p.name)))
    mapping = doc.data.get("standards_map")
    if not isinstance(mapping, dict):
        return [(shown, 1, "no standards_map: map every module to its national occupational "
                           "standards units and stages")], set()
    findings, taught = [], set()
    for slug in modules:
        if slug not in mapping:
            findings.append((shown, doc.line("standards_map"),
                             f"module '{slug}' is not in standards_map"))
    for slug, entry in mapping.items():
        line = doc.line("standards_map", slug)
        if slug not in modules:
            findings.append((shown, line, f"standards_map names no module of this course: "
                                          f"'{slug}'"))
        if not isinstance(entry, dict):
            findings.append((shown, line, "each standards_map entry needs 'units' and 'stages'"))
            continue
        for key, known in (("units", framework.units), ("stages", framework.stages)):
            values = entry.get(key)
            if not isinstance(values, list):
                findings.append((shown, line, f"'{key}' must be a list ([] for none)"))
                continue
            unknown = [str(v) for v in values if v not in known]
            if unknown:
                findings.append((shown, doc.line("standards_map", slug, key),
                                 f"unknown {key}: {', '.join(unknown)}"))
            taught |= {v for v in values if v in known}
        if not entry.get("units") and not entry.get("stages") and not is_text(entry.get("note")):
            findings.append((shown, line, "a module mapped to no unit and no stage needs a "
                                          "'note' saying why"))
        extra = set(entry) - {"units", "stages", "note"}
        if extra:
            findings.append((shown, line, f"unknown field '{sorted(extra)[0]}'"))
    return findings, taught


@dataclass(frozen=True)
class CourseMapping:
    """What the course page shows: each module's mapping and the units the course covers."""

    source: str = ""
    modules: dict[str, ModuleMapping] = field(default_factory=dict)  #: by module slug
    units: tuple[tuple[str, str], ...] = ()  #: (code, title) covered by any module


def course_mapping(root: Path, course_slug: str) -> CourseMapping:
    """The course's mapping as its files say now (empty when it has none)."""
    folder = Path(root) / course_slug
    try:
        stamps = tuple((p / name).stat().st_mtime_ns if (p / name).exists() else 0
                       for p, name in ((Path(root), STANDARDS_FILE), (folder, "course.yaml")))
    except OSError:
        return CourseMapping()
    return _cached_mapping(str(root), course_slug, stamps)


@lru_cache(maxsize=32)
def _cached_mapping(root: str, course_slug: str, _stamps: tuple) -> CourseMapping:
    framework, _ = read_framework(Path(root))
    text, _ = read_text(Path(root) / course_slug / "course.yaml")
    doc, issues = parse_yaml(text) if text is not None else (None, [])
    if framework is None or doc is None or issues or not isinstance(doc.data, dict):
        return CourseMapping()
    mapping = doc.data.get("standards_map")
    found = {}
    for slug, entry in (mapping.items() if isinstance(mapping, dict) else ()):
        if not isinstance(entry, dict):
            continue
        units = tuple((u, framework.units[u]) for u in entry.get("units") or ()
                      if u in framework.units)
        stages = tuple(framework.stages[s] for s in entry.get("stages") or ()
                       if s in framework.stages)
        found[str(slug)] = ModuleMapping(units, stages, str(entry.get("note") or "").strip())
    covered = {code for module in found.values() for code, _ in module.units}
    return CourseMapping(framework.source, found,
                         tuple((c, t) for c, t in framework.units.items() if c in covered))
