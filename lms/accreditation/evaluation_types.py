"""What an evaluation reads and gives: the evidence as plain values (gathered from the
database by lms.accreditation.evidence) and each requirement's result. Pure, no database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from lms.accreditation.standards import LevelStandard, Requirement
from lms.i18n import gettext as _


@dataclass(frozen=True)
class PracticeEvidence:
    occurred_on: date
    signed_off_on: date
    role: str  #: lead | co_facilitator | observer
    direct: bool
    face_to_face: bool
    sensitive: bool
    process_type: str


@dataclass(frozen=True)
class CpdEvidence:
    done_on: date
    hours: float
    approved: bool


@dataclass(frozen=True)
class Evidence:
    today: date
    completed_courses: Mapping[str, date]  #: course slug -> completion date
    practice: tuple[PracticeEvidence, ...]  #: signed-off records only
    supervision_dates: tuple[date, ...]  #: sessions confirmed by both people
    cpd: tuple[CpdEvidence, ...]
    levels_held: Mapping[str, date]  #: level key -> start of the currently active record
    attestations: frozenset[str]
    #: dates of observations of this person's practice that met the standard
    observations: tuple[date, ...] = ()
    #: (supervisee id, date) of confirmed sessions where this person was the supervisor
    supervisees: tuple[tuple[int, date], ...] = ()
    #: the latest expiry date of a professional indemnity insurance policy recorded
    insurance_until: date | None = None


@dataclass(frozen=True)
class RequirementResult:
    requirement: Requirement
    description: str  #: what is required, e.g. "1 observed practice signed off in ..."
    have: str  #: e.g. "4.5 hours (2 approved)"
    need: str  #: e.g. "12 hours, at least half approved"
    met: bool
    missing: str | None  #: one line saying what is still needed; None when met
    details: tuple[str, ...] = ()  #: more lines to show, e.g. each supervision gap
    parts: tuple[RequirementResult, ...] = ()  #: for any_of / at_least, each alternative

    @property
    def kinds(self) -> tuple[str, ...]:
        """The requirement's kind and its alternatives' (where the person acts on each)."""
        return (self.requirement.kind, *(part.requirement.kind for part in self.parts))

    @property
    def met_words(self) -> str:
        """Whether it is met, in the one wording the pathway and the CPD log use."""
        return "✓ " + _("yes") if self.met else _("not yet")


@dataclass(frozen=True)
class Evaluation:
    level: LevelStandard
    results: tuple[RequirementResult, ...]

    @property
    def eligible(self) -> bool:
        return all(result.met for result in self.results)

    @property
    def met_count(self) -> int:
        return sum(1 for result in self.results if result.met)
