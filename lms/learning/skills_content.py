"""Assessed skills practice as course data: the `skills_practice:` block of a course.yaml
(see courses/README.md). Pure: checks the block and turns it into plain specs; no database.

A course with the block is completed only when a trainer has marked every skill "pass"
(lms.learning.progress holds that rule)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lms.yaml_files import Issue, Rule, YamlDoc, check_mapping, is_text

KEY = r"[a-z0-9]+(?:-[a-z0-9]+)*"
BLOCK = "skills_practice"

PRACTICE_RULES: dict[str, Rule] = {
    "skills": (lambda v: isinstance(v, list) and len(v) > 0,
               "must list at least one skill"),
    "not_yet": (is_text, "must say, in plain words, what a 'not yet' means and what happens "
                         "next"),
}
SKILL_RULES: dict[str, Rule] = {
    "key": (lambda v: isinstance(v, str) and re.fullmatch(KEY, v) is not None,
            "must be a slug (lowercase letters, digits and hyphens)"),
    "title": (is_text, "must be non-empty text"),
    "stages": (lambda v: isinstance(v, list) and len(v) > 0
               and all(isinstance(s, str) for s in v),
               "must list the stages of the facilitator's process the skill is assessed "
               "against"),
    "looks_for": (is_text, "must say what the trainer looks for"),
}


@dataclass(frozen=True)
class SkillSpec:
    key: str  #: unique within the course; results are kept by it across course versions
    title: str
    stages: tuple[str, ...]  #: stage keys, as in courses/occupational-standards.yaml
    looks_for: str  #: what the trainer looks for, shown to the learner


@dataclass(frozen=True)
class SkillsPracticeSpec:
    skills: tuple[SkillSpec, ...]
    not_yet: str  #: what "not yet" means and what happens next

    def as_stored(self) -> dict:
        """The JSON kept on the course version."""
        return {"not_yet": self.not_yet,
                "skills": [{"key": s.key, "title": s.title, "stages": list(s.stages),
                            "looks_for": s.looks_for} for s in self.skills]}


def check_skills_practice(doc: YamlDoc, stages: set[str] | None) -> list[Issue]:
    """Problems in a course.yaml's `skills_practice:` (none when it has no such block).
    `stages`: the known stage keys, or None when the catalogue has no framework file."""
    block = doc.data.get(BLOCK) if isinstance(doc.data, dict) else None
    if block is None:
        return []
    issues = check_mapping(doc, block, PRACTICE_RULES, BLOCK, what=BLOCK)
    skills = block.get("skills") if isinstance(block, dict) else None
    if not isinstance(skills, list):
        return issues
    keys: dict[str, int] = {}
    for n, skill in enumerate(skills):
        issues += check_mapping(doc, skill, SKILL_RULES, BLOCK, "skills", n, what="a skill")
        if not isinstance(skill, dict):
            continue
        key = skill.get("key")
        if isinstance(key, str):
            if key in keys:
                issues.append((doc.line(BLOCK, "skills", n, "key"),
                               f"duplicate skill key '{key}' (also line {keys[key]})"))
            keys.setdefault(key, doc.line(BLOCK, "skills", n, "key"))
        listed = skill.get("stages")
        if stages is not None and isinstance(listed, list):
            issues += [(doc.line(BLOCK, "skills", n, "stages", m), f"unknown stage '{stage}'")
                       for m, stage in enumerate(listed)
                       if isinstance(stage, str) and stage not in stages]
    return issues


def skills_practice_spec(data: dict) -> SkillsPracticeSpec | None:
    """The block of a course.yaml already checked, as a spec (None: no assessed practice)."""
    block = data.get(BLOCK)
    if block is None:
        return None
    return SkillsPracticeSpec(
        skills=tuple(SkillSpec(s["key"], s["title"].strip(), tuple(s["stages"]),
                               " ".join(s["looks_for"].split())) for s in block["skills"]),
        not_yet=" ".join(block["not_yet"].split()))
