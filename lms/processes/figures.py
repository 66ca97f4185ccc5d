"""Figures of restorative processes for a set of schemes and a period. Each counts
PROCESSES (never practitioners' records), so a co-facilitated process counts once. Every
figure is one aggregate query: six queries whatever the number of schemes or processes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, literal, select

from lms.extensions import db
from lms.processes import catalogue
from lms.processes.models import (
    FACILITATING,
    FeedbackResponse,
    ProcessHarm,
    ProcessOutcome,
    ProcessParticipant,
    ProcessTakeUp,
    RestorativeProcess,
)


@dataclass(frozen=True)
class ProcessFigures:
    start: date
    end: date
    total: int
    by_type: dict[str, int]
    by_setting: dict[str, int]
    by_involvement: dict[str | None, int]
    #: processes recording each harm (a process with two harms counts under both)
    by_harm: dict[str, int]
    #: processes with two or more confirmed facilitators (lead and co-facilitator)
    co_facilitated: int
    #: {outcome key: {"yes": n, "no": n, "not_known": n}}
    outcomes: dict[str, dict[str, int]]
    items_agreed: int
    items_completed: int
    #: {party: {funnel stage: people}}
    funnel: dict[str, dict[str, int]]
    responses: int
    #: {1..scale: responses}
    satisfaction: dict[int, int]
    #: {"yes"|"no"|"unsure": responses}
    recommend: dict[str, int]

    @property
    def satisfaction_answers(self) -> int:
        return sum(self.satisfaction.values())

    @property
    def satisfied(self) -> int:
        """Answers at the top two points of the scale."""
        scale = catalogue.feedback("satisfaction_scale")
        return sum(n for point, n in self.satisfaction.items() if point >= scale - 1)

    def share(self, part: int, whole: int) -> str:
        return f"{round(100 * part / whole)}%" if whole else "-"


def _in_scope(scheme_ids: Iterable[int] | None, start: date, end: date,
              model=RestorativeProcess):
    """Processes (or the rows that carry their process's scheme and date) in scope."""
    schemes = literal(True) if scheme_ids is None else model.scheme_id.in_(list(scheme_ids))
    return and_(schemes, model.occurred_on >= start, model.occurred_on <= end)


def process_figures(scheme_ids: Iterable[int] | None, start: date, end: date) -> ProcessFigures:
    """Processes that took place from `start` to `end` (inclusive) in the schemes (None:
    every scheme), with their outcomes, take-up and feedback."""
    scheme_ids = None if scheme_ids is None else list(scheme_ids)
    where = _in_scope(scheme_ids, start, end)
    P = RestorativeProcess
    # the outcome agreement's items are summed in the same pass over the processes
    grouped = db.session.execute(
        select(P.process_type, P.setting, P.involvement, func.count(),
               func.coalesce(func.sum(P.items_agreed), 0),
               func.coalesce(func.sum(P.items_completed), 0))
        .where(where).group_by(P.process_type, P.setting, P.involvement)).all()
    by_type: dict[str, int] = {}
    by_setting: dict[str, int] = {}
    by_involvement: dict[str | None, int] = {}
    agreed = completed = 0
    for kind, setting, involvement, n, items_agreed, items_completed in grouped:
        by_type[kind] = by_type.get(kind, 0) + n
        by_setting[setting] = by_setting.get(setting, 0) + n
        by_involvement[involvement] = by_involvement.get(involvement, 0) + n
        agreed, completed = agreed + (items_agreed or 0), completed + (items_completed or 0)
    # the rows below carry their process's scheme and date: no join to the processes
    def rows_of(model):
        return _in_scope(scheme_ids, start, end, model)

    by_harm = dict(db.session.execute(
        select(ProcessHarm.harm, func.count()).where(rows_of(ProcessHarm))
        .group_by(ProcessHarm.harm)).all())
    facilitators = (select(ProcessParticipant.process_id)
                    .where(rows_of(ProcessParticipant),
                           ProcessParticipant.confirmed_at.is_not(None),
                           ProcessParticipant.role.in_(FACILITATING))
                    .group_by(ProcessParticipant.process_id)
                    .having(func.count() >= 2).subquery())
    co_facilitated = db.session.scalar(select(func.count()).select_from(facilitators)) or 0
    outcomes: dict[str, dict[str, int]] = {}
    for key, answer, n in db.session.execute(
            select(ProcessOutcome.key, ProcessOutcome.answer, func.count())
            .where(rows_of(ProcessOutcome))
            .group_by(ProcessOutcome.key, ProcessOutcome.answer)):
        outcomes.setdefault(key, {})[answer] = n
    stages = list(catalogue.FUNNEL)
    funnel = {party: dict.fromkeys(stages, 0) for party in catalogue.PARTIES}
    for party, *sums in db.session.execute(
            select(ProcessTakeUp.party,
                   *(func.coalesce(func.sum(getattr(ProcessTakeUp, s)), 0) for s in stages))
            .where(rows_of(ProcessTakeUp))
            .group_by(ProcessTakeUp.party)):
        funnel[party] = dict(zip(stages, (int(v) for v in sums), strict=True))
    feedback = db.session.execute(
        select(FeedbackResponse.satisfaction, FeedbackResponse.recommend, func.count())
        .where(rows_of(FeedbackResponse))
        .group_by(FeedbackResponse.satisfaction, FeedbackResponse.recommend)).all()
    satisfaction: dict[int, int] = {}
    recommend: dict[str, int] = {}
    for score, would, n in feedback:
        if score is not None:
            satisfaction[score] = satisfaction.get(score, 0) + n
        if would is not None:
            recommend[would] = recommend.get(would, 0) + n
    return ProcessFigures(
        start=start, end=end, total=sum(by_type.values()), by_type=by_type,
        by_setting=by_setting, by_involvement=by_involvement, by_harm=by_harm,
        co_facilitated=co_facilitated, outcomes=outcomes, items_agreed=agreed,
        items_completed=completed, funnel=funnel,
        responses=sum(n for _s, _r, n in feedback), satisfaction=satisfaction,
        recommend=recommend)
