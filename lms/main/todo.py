"""What is waiting for the signed-in person: one line per kind of work, with a count and a
link to where it is done. Each count is one query, whatever the size of the data."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, func, or_, select

from lms import clock
from lms.accreditation.evaluation import evaluate
from lms.accreditation.evidence import gather
from lms.accreditation.models import (
    Application,
    ApplicationStatus,
)
from lms.accreditation.standards import load_standards
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import ngettext
from lms.learning.models import LiveSession, SessionBooking
from lms.practice import cpd
from lms.practice.models import PracticeRecord, PracticeStatus, SupervisionSession
from lms.processes.models import ProcessParticipant
from lms.schemes.models import Role


@dataclass(frozen=True)
class Todo:
    count: int
    text: str     # "1 record to assess", "3 records to assess": from ngettext
    endpoint: str


@dataclass(frozen=True)
class _Waiting:
    """One kind of waiting work before it is counted: what to count, where it is done,
    and its line (`words`, an ngettext: the right plural form in the page's language)."""
    query: Select[Any]
    endpoint: str
    words: Callable[[int], str]


def _counting(kinds: list[_Waiting]) -> Select[Any]:
    """Every kind counted in one query (a scalar subquery each), so the home page costs
    the same few queries whatever the person's roles."""
    return select(*(select(func.count()).select_from(kind.query.subquery()).scalar_subquery()
                    for kind in kinds))


def _counted(kinds: list[_Waiting], statement: Select[Any], params: dict) -> list[Todo]:
    row = db.session.execute(statement, params).one()
    return [Todo(int(n or 0), kind.words(int(n or 0)), kind.endpoint)
            for kind, n in zip(kinds, row, strict=True)]


_USER: BindParameter[int] = bindparam("user_id")
_NOW: BindParameter[datetime] = bindparam("now")


@functools.cache
def _everyones() -> tuple[list[_Waiting], Select[Any]]:
    """The kinds of waiting work anyone may have, and their counting statement: built once
    (composing it cost more than running it), the person and the time bound at each call.
    In the order todos_for lists them: the first comes after a supervisor's, the rest
    last."""
    unconfirmed = select(SupervisionSession.id).where(or_(
        (SupervisionSession.practitioner_id == _USER)
        & SupervisionSession.practitioner_confirmed_at.is_(None),
        (SupervisionSession.supervisor_id == _USER)
        & SupervisionSession.supervisor_confirmed_at.is_(None)))
    returned = select(PracticeRecord.id).where(PracticeRecord.author_id == _USER,
                                               PracticeRecord.status == PracticeStatus.RETURNED)
    # a colleague named them in a process: they confirm their own part (nobody else can)
    parts = select(ProcessParticipant.id).where(ProcessParticipant.user_id == _USER,
                                                ProcessParticipant.confirmed_at.is_(None))
    booked = (select(SessionBooking.id).join(LiveSession)
              .where(SessionBooking.user_id == _USER, LiveSession.starts_at >= _NOW))
    kinds = [
        _Waiting(unconfirmed, "practice.supervision.index", lambda n: ngettext(
            "%(num)d supervision session to confirm",
            "%(num)d supervision sessions to confirm", n)),
        _Waiting(returned, "practice.records.index", lambda n: ngettext(
            "%(num)d practice record returned to you",
            "%(num)d practice records returned to you", n)),
        _Waiting(parts, "practice.records.index", lambda n: ngettext(
            "%(num)d process to confirm your part in",
            "%(num)d processes to confirm your part in", n)),
        _Waiting(booked, "learning.sessions.index", lambda n: ngettext(
            "%(num)d live session booked",
            "%(num)d live sessions booked", n)),
    ]
    return kinds, _counting(kinds)


def todos_for(user: User) -> list[Todo]:
    """The person's waiting work, most urgent kinds first; kinds with nothing waiting are
    left out."""
    first: list[_Waiting] = []  # a supervisor's, before everyone's first kind
    staff: list[_Waiting] = []  # other roles', after it
    now = clock.utcnow()
    if user.is_admin or user.has_role(Role.SUPERVISOR):
        schemes = user.scheme_ids_with(Role.SUPERVISOR)
        waiting = select(PracticeRecord.id).where(
            PracticeRecord.status == PracticeStatus.AWAITING_SIGN_OFF,
            PracticeRecord.supervisor_id == user.id,
            *([] if user.is_admin else [PracticeRecord.scheme_id.in_(schemes)]))
        first.append(_Waiting(waiting, "practice.assess.queue", lambda n: ngettext(
        "%(num)d practice record to assess",
        "%(num)d practice records to assess", n)))
    if user.is_admin or user.is_assessor:
        applications = select(Application.id).where(
            Application.status == ApplicationStatus.SUBMITTED,
            Application.applicant_id != user.id)
        staff.append(_Waiting(applications, "accreditation.decisions.index",
                           lambda n: ngettext(
        "%(num)d accreditation application waiting",
        "%(num)d accreditation applications waiting", n)))
    if user.is_admin or user.has_role(Role.TRAINER):
        staff.append(_Waiting(cpd.waiting_for(user), "practice.cpd.to_approve",
                           lambda n: ngettext(
        "%(num)d CPD entry to approve",
        "%(num)d CPD entries to approve", n)))
        mine = LiveSession.trainer_id == user.id
        this_week = select(LiveSession.id).where(
            mine, LiveSession.starts_at >= now, LiveSession.starts_at < now + timedelta(days=7))
        staff.append(_Waiting(this_week, "learning.sessions.index", lambda n: ngettext(
        "%(num)d live session you run this week",
        "%(num)d live sessions you run this week", n)))
        unmarked = (select(LiveSession.id).join(SessionBooking)
                    .where(mine, LiveSession.ends_at < now, SessionBooking.attended.is_(None))
                    .distinct())
        staff.append(_Waiting(unmarked, "learning.sessions.index", lambda n: ngettext(
        "%(num)d past session needs its attendance recorded",
        "%(num)d past sessions need their attendance recorded", n)))
    everyones, statement = _everyones()
    kinds = everyones
    if first or staff:
        kinds = [*first, everyones[0], *staff, *everyones[1:]]
        statement = _counting(kinds)
    return [item for item in _counted(kinds, statement, {"user_id": user.id, "now": now})
            if item.count]


@dataclass(frozen=True)
class NextStep:
    level_name: str
    met: int
    total: int
    missing: str | None  #: the first thing still needed, in the pathway's words


def next_accreditation_step(user: User) -> NextStep | None:
    """The next level on the person's pathway and the first thing it still needs."""
    standards = load_standards()
    evidence = gather(user.id)  # the levels held come with it: no query of their own
    upcoming = next((level for key, level in standards.levels.items()
                     if key not in evidence.levels_held), None)
    if upcoming is None:
        return None
    evaluation = evaluate(upcoming, evidence)
    missing = next((r.missing for r in evaluation.results if not r.met), None)
    return NextStep(upcoming.local_name, evaluation.met_count, len(evaluation.results), missing)
