"""What the course files say, as plain frozen specs (what the loader stores), and the
content hashes that version them: the same files always give the same hash.

Pure: no database and no application."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from lms.learning.content_welsh import WelshCourse, WelshLesson, WelshQuestion
from lms.learning.skills_content import SkillsPracticeSpec


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
    pathway_stage: str  #: place on the training pathway, one of content_yaml.PATHWAY_STAGES
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


def canonical_course(fields: dict) -> dict:
    """A course's fields (CourseSpec's, without the hash) as the data its hash is taken of."""
    modules = [[m.slug, m.filename, m.title, m.order, list(m.outcomes), m.check_hash,
                [[x.slug, x.title, x.order, x.content_hash] for x in m.lessons]]
               for m in fields["modules"]]
    # "pathway_stage" is hashed under its old name, so renaming the field made no new versions
    stage = fields["pathway_stage"]
    return {**{k: v for k, v in fields.items() if k != "pathway_stage"}, "level": stage,
            "prerequisites": list(fields["prerequisites"]), "modules": modules}


def digest(value: object) -> str:
    """sha256 of the value as canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
