"""The paper of a knowledge check: which questions of its bank, and the options' order.

An attempt's paper is seeded by (enrolment, check, attempt number) with the app's secret,
so showing the page again shows the same paper, the next attempt gets another, and nobody
can work out a future paper. A submitted attempt stores the paper it answered.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
from dataclasses import dataclass

from flask import current_app

from lms.learning.models import CheckAttempt, Module, Question


@dataclass(frozen=True)
class PaperQuestion:
    question: Question
    #: Option indices (as in the course file) in the order shown.
    order: tuple[int, ...]

    def shown(self) -> list[tuple[int, dict]]:
        """(original index, option) in the order shown."""
        return [(index, self.question.options[index]) for index in self.order]


def attempt_paper(enrolment_id: int, module: Module, number: int) -> list[PaperQuestion]:
    return _seeded(module, f"attempt/{enrolment_id}/{module.check_hash}/{number}")


def printed_paper(module: Module, set_number: int) -> list[PaperQuestion]:
    """Paper set N of a check, for printing; its answer key uses the same set number."""
    return _seeded(module, f"printed/{module.check_hash}/{set_number}")


def stored_paper(attempt: CheckAttempt, module: Module) -> list[PaperQuestion]:
    """The paper an attempt answered (attempts from before papers were stored: as filed)."""
    by_id = {q.id: q for q in module.questions}
    if attempt.paper is None:
        return [PaperQuestion(q, tuple(range(len(q.options)))) for q in module.questions]
    return [PaperQuestion(by_id[qid], tuple(order)) for qid, order in attempt.paper
            if qid in by_id]


def as_stored(paper: list[PaperQuestion]) -> list:
    return [[item.question.id, list(item.order)] for item in paper]


def fingerprint(paper: list[PaperQuestion]) -> str:
    """Short and stable: tells whether answers were given on this very paper."""
    return hashlib.sha256(json.dumps(as_stored(paper)).encode()).hexdigest()[:16]


def _seeded(module: Module, label: str) -> list[PaperQuestion]:
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    # Not for secrecy: the secret seed only makes the order reproducible and unguessable.
    rng = random.Random(hmac.new(key, label.encode(), hashlib.sha256).digest())  # noqa: S311
    questions = list(module.questions)
    wanted = module.questions_per_attempt
    if wanted and wanted < len(questions):
        questions = sorted(rng.sample(questions, wanted), key=lambda q: q.order)
    return [PaperQuestion(q, tuple(rng.sample(range(len(q.options)), len(q.options))))
            for q in questions]
