"""Question banks: a knowledge check may hold more questions than one attempt shows.

`questions_per_attempt: N` in course.yaml (every check of the course) or in a check file
(that check only) draws N questions per attempt, so a retake is not the same paper. The key
is taken out of the YAML here, before the rest of the file is validated.
"""

from __future__ import annotations

from lms.learning.content_yaml import MIN_QUESTIONS
from lms.yaml_files import Issue, YamlDoc, is_int

POLICY_KEY = "questions_per_attempt"


def split_policy(doc: YamlDoc) -> tuple[YamlDoc, int | None, list[Issue]]:
    """(the document without the key, its valid value or None, problems with it)."""
    if not isinstance(doc.data, dict) or POLICY_KEY not in doc.data:
        return doc, None, []
    value = doc.data[POLICY_KEY]
    rest = YamlDoc({k: v for k, v in doc.data.items() if k != POLICY_KEY}, doc.node, doc.offset)
    if not (is_int(value) and value >= MIN_QUESTIONS):
        return rest, None, [(doc.line(POLICY_KEY), f"'{POLICY_KEY}' must be a whole number of "
                                                   f"at least {MIN_QUESTIONS}")]
    return rest, value, []


def bank_problem(per_attempt: int | None, question_count: int, *, from_course: bool) -> str | None:
    """Why a check cannot draw `per_attempt` questions from its `question_count`, or None."""
    if per_attempt is None or per_attempt <= question_count:
        return None
    where = "the course's" if from_course else "its"
    return (f"the check has {question_count} questions, fewer than {where} "
            f"'{POLICY_KEY}' ({per_attempt})")
