"""Where a person stands against every level of the standards: the pathway page, and the
CPD log's view of the same CPD requirements."""

from __future__ import annotations

from lms.accreditation import evidence as evidence_store
from lms.accreditation.evaluation import evaluate
from lms.accreditation.evaluation_types import Evaluation, RequirementResult
from lms.accreditation.evidence import Evidence
from lms.accreditation.standards import Standards, load_standards
from lms.auth.models import User


def pathway(user: User, standards: Standards | None = None,
            evidence: Evidence | None = None) -> list[Evaluation]:
    """The person's evaluation against every level (a fixed number of queries); `evidence`,
    their gathered evidence, when the caller has it already."""
    standards = standards or load_standards()
    evidence = evidence or evidence_store.gather(user.id)
    titles = evidence_store.course_titles()
    names = {key: level.local_name for key, level in standards.levels.items()}
    return [evaluate(level, evidence, course_titles=titles, level_names=names)
            for level in standards.levels.values()]


def cpd_standing(user: User) -> list[tuple[str, RequirementResult]]:
    """(level name, result) of each CPD requirement of each level, worded by the same
    evaluation as the pathway, so the CPD log and the pathway never disagree."""
    return [(ev.level.local_name, result) for ev in pathway(user) for top in ev.results
            for result in (top, *top.parts) if result.requirement.kind == "cpd_hours"]
