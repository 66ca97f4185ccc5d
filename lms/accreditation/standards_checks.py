"""Checks for courses/standards.yaml: the requirement vocabulary, each field's rule, and the
links between levels, courses and attestations. Problems are (line, message) pairs; the
caller adds the file name. Nothing here raises for bad content."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lms.yaml_files import Issue, Rule, YamlDoc, check_mapping, is_int, is_number, is_text

#: Keys shared with lms.practice.models (PRACTITIONER_ROLES, PROCESS_TYPES).
ROLES = ("lead", "co_facilitator", "observer")
PROCESS_TYPES = ("instant", "informal_meeting", "formal_conference", "indirect", "circle", "other")
#: Evidence routes a level may accept (the standard route always).
ROUTES = ("standard", "portfolio")
#: Level and attestation keys.
KEY = r"[a-z][a-z0-9_]*"
#: Fields always held as tuples, even when the file gives a single value.
TUPLE_FIELDS = ("role", "process_type", "level", "course")
#: Values used when an optional field is left out.
DEFAULTS = {"cpd_hours": {"within_months": 12}, "supervision_within": {"within_months": 12}}
#: Kinds made of other requirements ("of": a list of requirements).
GROUP_KINDS = ("any_of", "at_least")


def _whole(minimum: int) -> Rule:
    return (lambda v: is_int(v) and v >= minimum,
            f"must be a whole number of at least {minimum}")


def _one_or_list(choices: tuple[str, ...]) -> Rule:
    def test(value: object) -> bool:
        items = value if isinstance(value, list) else [value]
        return (bool(items) and len(set(map(str, items))) == len(items)
                and all(isinstance(item, str) and item in choices for item in items))
    return test, f"must be one of {', '.join(choices)}, or a list of them"


FLAG: Rule = (lambda v: isinstance(v, bool), "must be true or false")
TEXT: Rule = (is_text, "must be non-empty text")
def _keys_rule(what: str) -> Rule:
    return (lambda v: is_text(v) or (isinstance(v, list) and bool(v) and all(
                is_text(x) for x in v) and len(set(v)) == len(v)),
            f"must be a {what} or a list of different {what}s (any one will do)")


LEVELS_RULE = _keys_rule("level key")
COURSES_RULE = _keys_rule("course folder name")
GROUP: Rule = (lambda v: isinstance(v, list) and len(v) >= 2,
               "must be a list of at least two requirements")

#: kind -> (rules for its fields, optional fields).
KINDS: dict[str, tuple[dict[str, Rule], tuple[str, ...]]] = {
    "course_completed": ({"course": COURSES_RULE, "within_months": _whole(1)},
                         ("within_months",)),
    "practice_records": ({
        "count": _whole(1), "role": _one_or_list(ROLES), "direct": FLAG,
        "face_to_face": FLAG, "sensitive": FLAG,
        "process_type": _one_or_list(PROCESS_TYPES), "within_months": _whole(1),
    }, ("role", "direct", "face_to_face", "sensitive", "process_type", "within_months")),
    "observations": ({"count": _whole(1), "within_months": _whole(1)}, ()),
    "supervision_within": ({"weeks": _whole(1), "within_months": _whole(1)},
                           ("within_months",)),
    "supervision_caseload": ({"supervisees": _whole(1), "within_weeks": _whole(1)}, ()),
    "cpd_hours": ({
        "hours": (lambda v: is_number(v) and v > 0, "must be a number greater than 0"),
        "within_months": _whole(1),
        "min_approved_share": (lambda v: is_number(v) and 0 <= v <= 1,
                               "must be a number from 0 to 1 (0.5: at least half)"),
    }, ("within_months", "min_approved_share")),
    "level_held": ({"level": LEVELS_RULE, "for_months": _whole(1)}, ("for_months",)),
    "attestation": ({"name": TEXT}, ()),
    "insurance_held": ({}, ()),
    "any_of": ({"of": GROUP}, ()),
    "at_least": ({"count": _whole(1), "of": GROUP}, ()),
}

TOP_RULES: dict[str, Rule] = {
    "expiring_notice_days": _whole(1),
    "reminder_days": (lambda v: isinstance(v, list) and bool(v) and len(set(map(str, v))) ==
                      len(v) and all(is_int(x) and x >= 1 for x in v),
                      "must be a list of different whole numbers of days, each at least 1"),
    "attestations": (lambda v: isinstance(v, dict) and bool(v),
                     "must map each attestation key to the sentence agreed to"),
    "attestations_cy": (lambda v: isinstance(v, dict),
                        "must map attestation keys to the sentences in Welsh"),
    "levels": (lambda v: isinstance(v, dict) and bool(v),
               "must map each level key to its standard"),
}
LEVEL_RULES: dict[str, Rule] = {
    "name": TEXT,
    "name_cy": TEXT,
    "summary": TEXT,
    "summary_cy": TEXT,
    "validity_months": _whole(1),
    "depends_on": LEVELS_RULE,
    "note": TEXT,
    "note_cy": TEXT,
    "routes": (lambda v: isinstance(v, list) and bool(v) and len(set(map(str, v))) == len(v)
               and all(x in ROUTES for x in v) and "standard" in v,
               "must be a list of routes including standard (standard, portfolio)"),
    "requirements": (lambda v: isinstance(v, list) and bool(v),
                     "must be a list of at least one requirement"),
    "maintenance": (lambda v: isinstance(v, list), "must be a list of requirements ([] for none)"),
}


@dataclass(frozen=True)
class Context:
    """What a requirement may refer to: courses, levels and attestations by key."""

    doc: YamlDoc
    courses: set[str]
    levels: set[str]
    attestations: set[str]


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def check_standards(doc: YamlDoc, course_slugs: set[str]) -> list[Issue]:
    """Every problem in a parsed standards.yaml."""
    issues = check_mapping(doc, doc.data, TOP_RULES, optional=("attestations_cy",),
                           what="standards.yaml")
    if not isinstance(doc.data, dict):
        return issues
    levels, attestations = (_mapping(doc.data.get(key)) for key in ("levels", "attestations"))
    context = Context(doc, course_slugs, set(levels), set(attestations))
    for key, sentence in attestations.items():
        if not re.fullmatch(KEY, str(key)) or not is_text(sentence):
            issues.append((doc.line("attestations", key), f"attestation '{key}' needs a key "
                           "in lowercase letters, digits and _ and a sentence to agree to"))
    for key, sentence in _mapping(doc.data.get("attestations_cy")).items():
        if key not in attestations or not is_text(sentence):
            issues.append((doc.line("attestations_cy", key), f"attestation '{key}' in Welsh "
                           "needs the key of an attestation above and a sentence"))
    for key, level in levels.items():
        issues += _check_level(context, str(key), level)
    return issues + _check_names(doc, levels) + _cycle_issues(doc, levels)


def _check_level(context: Context, key: str, level: object) -> list[Issue]:
    doc = context.doc
    issues = check_mapping(doc, level, LEVEL_RULES, "levels", key,
                           optional=("depends_on", "note", "routes", "name_cy", "summary_cy",
                                     "note_cy"),
                           what=f"level '{key}'")
    if not re.fullmatch(KEY, key):
        issues.append((doc.line("levels", key),
                       f"level key '{key}' must use lowercase letters, digits and _"))
    if not isinstance(level, dict):
        return issues
    issues += [(line, f"'depends_on' names an unknown level '{name}'")
               for name, line in _keys_named(doc, level, ("levels", key), "depends_on")
               if name not in context.levels]
    for where, item in _requirements(level, key):
        issues += _check_requirement(context, item, *where)
    return issues


def _requirements(level: object, key: str):
    """(where, item) for each item listed under a level's requirements and maintenance
    (not those inside any_of / at_least: see _nested)."""
    for section in ("requirements", "maintenance"):
        items = _mapping(level).get(section)
        for n, item in enumerate(items if isinstance(items, list) else []):
            yield ("levels", key, section, n), item


def _nested(where, item):
    """(where, item) for the item and, recursively, the requirements grouped inside it."""
    yield where, item
    if isinstance(item, dict) and item.get("kind") in GROUP_KINDS and isinstance(
            item.get("of"), list):
        for n, inner in enumerate(item["of"]):
            yield from _nested((*where, "of", n), inner)


def _check_requirement(context: Context, item: object, *where: str | int) -> list[Issue]:
    doc = context.doc
    if not isinstance(item, dict):
        return [(doc.line(*where), "a requirement must be a mapping with a 'kind'")]
    kind = item.get("kind")
    if "kind" not in item:
        return [(doc.line(*where), "missing field 'kind'")]
    if not isinstance(kind, str) or kind not in KINDS:
        return [(doc.line(*where, "kind"), f"unknown requirement kind '{kind}' "
                                           f"(one of: {', '.join(KINDS)})")]
    rules, optional = KINDS[kind]
    issues = check_mapping(doc, item, {"kind": TEXT, **rules}, *where, optional=optional,
                           what="a requirement")
    if kind in GROUP_KINDS and isinstance(item.get("of"), list):
        count = item.get("count", 1)
        if is_int(count) and count > len(item["of"]):
            issues.append((doc.line(*where, "count"),
                           f"'count' is {count} but only {len(item['of'])} requirements "
                           "are listed under 'of'"))
        for n, inner in enumerate(item["of"]):
            issues += _check_requirement(context, inner, *where, "of", n)
    return issues + _check_references(context, kind, item, where)


def _check_references(context: Context, kind: str, item: dict, where) -> list[Issue]:
    """Courses, levels and attestations named by a requirement must exist."""
    doc = context.doc
    if kind == "course_completed":
        return [(line, f"unknown course '{name}'")
                for name, line in _keys_named(doc, item, where, "course")
                if name not in context.courses]
    if kind == "attestation" and is_text(value := item.get("name")):
        if value not in context.attestations:
            return [(doc.line(*where, "name"),
                     f"unknown attestation '{value}' (add it under 'attestations')")]
    elif kind == "level_held":
        return [(line, f"unknown level '{name}'")
                for name, line in _keys_named(doc, item, where, "level")
                if name not in context.levels]
    return []


def _keys_named(doc: YamlDoc, item: object, where, field: str) -> list[tuple[str, int]]:
    """The keys `field` of a mapping names (one, or a list: any of them), each with its
    line."""
    value = _mapping(item).get(field)
    if is_text(value):
        return [(value, doc.line(*where, field))]
    if isinstance(value, list):
        return [(name, doc.line(*where, field, n))
                for n, name in enumerate(value) if is_text(name)]
    return []


def _check_names(doc: YamlDoc, levels: dict) -> list[Issue]:
    """Two levels with one name would be indistinguishable on certificates."""
    issues: list[Issue] = []
    seen: dict[str, str] = {}
    for key, level in levels.items():
        name = _mapping(level).get("name")
        if not is_text(name):
            continue
        name = name.strip()
        if name in seen:
            issues.append((doc.line("levels", key, "name"),
                           f"duplicate level name '{name}' (also {seen[name]})"))
        seen.setdefault(name, key)
    return issues


def _level_links(doc: YamlDoc, levels: dict) -> dict[str, list[tuple[str, int]]]:
    """Each level's links to the levels it needs (depends_on and level_held), with lines."""
    links: dict[str, list[tuple[str, int]]] = {}
    for key, level in levels.items():
        found = links.setdefault(key, [])
        found += _keys_named(doc, level, ("levels", key), "depends_on")
        for top, outer in _requirements(level, key):
            for where, item in _nested(top, outer):
                if isinstance(item, dict) and item.get("kind") == "level_held":
                    found += _keys_named(doc, item, where, "level")
    return links


def _cycle_issues(doc: YamlDoc, levels: dict) -> list[Issue]:
    """Each cycle once, from the first of its levels in the file, e.g. "a -> b -> a", on
    the line of its first link."""
    links, order = _level_links(doc, levels), list(levels)
    found: dict[tuple[str, ...], int] = {}

    def visit(path: list[str], first_line: int) -> None:
        for target, line in links[path[-1]]:
            if target == path[0]:
                found.setdefault(tuple(path), first_line or line)
            elif (target in order and order.index(target) > order.index(path[0])
                  and target not in path):
                visit([*path, target], first_line or line)

    for key in order:
        visit([key], 0)
    return [(line, "level cycle: " + " -> ".join((*cycle, cycle[0])))
            for cycle, line in found.items()]
