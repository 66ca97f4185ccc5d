"""Gather a practitioner's evidence from the database in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import (
    Date,
    Float,
    Integer,
    String,
    any_,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.elements import BindParameter

from lms import clock
from lms.accreditation.evaluation_types import CpdEvidence, Evidence, PracticeEvidence
from lms.accreditation.models import (
    VALID_STATUSES,
    AccreditationRecord,
    Attestation,
    IndemnityInsurance,
    Observation,
    ObservationOutcome,
)
from lms.db_types import UTCDateTime
from lms.extensions import db
from lms.learning.languages import page_language
from lms.learning.models import Course, CourseVersion, Enrolment, local_title_column
from lms.practice.models import CpdEntry, PracticeRecord, PracticeStatus, SupervisionSession
from lms.timezones import local


def _day(moment) -> date:
    return local(moment).date()


def gather(user_id: int, today: date | None = None) -> Evidence:
    """One query, whatever the amount of evidence."""
    return gather_many([user_id], today)[user_id]


def empty_evidence(today: date) -> Evidence:
    """No evidence at all: evaluating it gives each requirement's description."""
    return Evidence(today=today, completed_courses={}, practice=(), supervision_dates=(),
                    cpd=(), levels_held={}, attestations=frozenset())


def gather_many(user_ids, today: date | None = None) -> dict[int, Evidence]:
    """Evidence for several people (a page of a report) in the same one query."""
    ids = list(user_ids)
    today = today or clock.today()
    one = len(ids) == 1
    statement = _evidence_query(db.session.get_bind().dialect.name, one)
    rows: defaultdict[int, list] = defaultdict(list)
    for row in db.session.execute(statement, {"id": ids[0]} if one else {"ids": ids}).all():
        rows[row[1]].append(row)  # fetched at once, each person's rows together
    return {uid: _evidence(rows.get(uid, ()), today) for uid in ids}


def _evidence(rows, today: date) -> Evidence:
    """One person's evidence from their rows of the union."""
    found: dict[str, list] = {kind: [] for kind in _KINDS}
    for kind, _uid, *values in rows:
        found[kind].append(values)
    return Evidence(
        today=today,
        completed_courses={word: _day(moment) for _, moment, word, *_ in found["course"]},
        practice=tuple(_practice(*values) for values in found["practice"]),
        supervision_dates=tuple(day for day, *_ in found["supervised"]),
        cpd=tuple(CpdEvidence(day, float(amount), bool(number))
                  for day, _, _, _, amount, number in found["cpd"]),
        levels_held=_earliest((word, day) for day, _, word, *_ in found["level"]),
        attestations=frozenset(word for _, _, word, *_ in found["attested"]),
        observations=tuple(day for day, *_ in found["observed"]),
        supervisees=tuple((number, day) for day, *_, number in found["caseload"]),
        insurance_until=next((day for day, *_ in found["insured"]), None))


# Practice records carry their three yes/no facts as bits of one number in the union.
_DIRECT, _FACE_TO_FACE, _SENSITIVE = 1, 2, 4


def _practice(occurred, signed, role, kind, _amount, flags) -> PracticeEvidence:
    # records signed off before sign-off dates were kept count from their process date
    signed_on = _day(signed) if signed else occurred
    return PracticeEvidence(occurred, signed_on, role, bool(flags & _DIRECT),
                            bool(flags & _FACE_TO_FACE), bool(flags & _SENSITIVE), kind)


_KINDS = ("course", "practice", "supervised", "cpd", "level", "attested", "observed",
          "caseload", "insured")


def _row(kind, user, *, day=None, moment=None, word=None, other=None, amount=None,
         number=None):
    """One kind of evidence as the union's common row: (kind, user id, day, moment, word,
    other word, amount, number); what a kind lacks is a typed NULL, so the first branch
    gives the union its column types on every database."""
    def column(value, type_):
        return cast(null(), type_) if value is None else value
    return (_constant(kind, String(16)).label("kind"), user.label("user_id"),
            column(day, Date).label("day"), column(moment, UTCDateTime).label("moment"),
            column(word, String).label("word"), column(other, String).label("other"),
            column(amount, Float).label("amount"), column(number, Integer).label("number"))


@cache
def _evidence_query(dialect: str, one: bool = False):
    """Every kind of evidence for the people in the `ids` parameter, in one UNION ALL: one
    round trip for a page. Built once per process and dialect (building it costs more
    than running it); the ids are bound at each call: on PostgreSQL as one array
    (`= ANY`), so the statement's text is the same for any number of people and the
    driver keeps its parse (an export's batch of 500 ids was 4,500 placeholders to split
    again on each batch); elsewhere as an expanding IN.

    `one`: for one person (a pathway, a home page), in the `id` parameter. PostgreSQL
    plans an array of unknown length as if it held many people, so it would plan the
    statement afresh on every run (0.9 ms at national scale) rather than reuse its plan
    (0.35 ms a run)."""
    if one:
        single: BindParameter[int] = bindparam("id", type_=Integer)

        def among(column):
            return column == single
    elif dialect == "postgresql":
        array: BindParameter[Any] = bindparam("ids", type_=postgresql.ARRAY(Integer))

        def among(column):
            return column == any_(array)
    else:
        expanding: BindParameter[int] = bindparam("ids", expanding=True)

        def among(column):
            return column.in_(expanding)
    both = SupervisionSession.confirmed_by_both()
    flags = (_bit(PracticeRecord.direct, _DIRECT) + _bit(PracticeRecord.face_to_face, _FACE_TO_FACE)
             + _bit(PracticeRecord.sensitive, _SENSITIVE))
    return union_all(
        select(*_row("course", Enrolment.user_id, moment=Enrolment.completed_at,
                     word=Course.slug))
        .join(Enrolment.course)
        .where(among(Enrolment.user_id), Enrolment.completed_at.is_not(None)),
        select(*_row("practice", PracticeRecord.author_id, day=PracticeRecord.occurred_on,
                     moment=PracticeRecord.signed_off_at, word=PracticeRecord.practitioner_role,
                     other=PracticeRecord.process_type, number=flags))
        .where(among(PracticeRecord.author_id),
               PracticeRecord.status == _constant(PracticeStatus.SIGNED_OFF)),
        select(*_row("supervised", SupervisionSession.practitioner_id,
                     day=SupervisionSession.held_on))
        .where(among(SupervisionSession.practitioner_id), both),
        select(*_row("cpd", CpdEntry.user_id, day=CpdEntry.done_on, amount=CpdEntry.hours,
                     number=_bit(CpdEntry.approved, 1)))
        .where(among(CpdEntry.user_id)),
        select(*_row("level", AccreditationRecord.holder_id, day=AccreditationRecord.issued_on,
                     word=AccreditationRecord.level_key))
        .where(among(AccreditationRecord.holder_id),
               AccreditationRecord.status.in_([_constant(s) for s in VALID_STATUSES])),
        select(*_row("attested", Attestation.user_id, word=Attestation.key))
        .where(among(Attestation.user_id)),
        select(*_row("observed", Observation.practitioner_id, day=Observation.observed_on))
        .where(among(Observation.practitioner_id),
               Observation.outcome == _constant(ObservationOutcome.MEETS)),
        select(*_row("caseload", SupervisionSession.supervisor_id,
                     day=SupervisionSession.held_on, number=SupervisionSession.practitioner_id))
        .where(among(SupervisionSession.supervisor_id), both),
        select(*_row("insured", IndemnityInsurance.user_id,
                     day=func.max(IndemnityInsurance.expires_on)))
        .where(among(IndemnityInsurance.user_id)).group_by(IndemnityInsurance.user_id))


def _bit(flag, value: int):
    return case((flag, _constant(value, Integer)), else_=_constant(0, Integer))


def _constant(value: str | int, type_=None):
    """One of the statement's own fixed values (a kind, a status, a flag's bit) written into
    its text rather than bound: bound, its 21 constants made the one-person statement 4,241
    bytes, over the 4,096 up to which psycopg keeps a statement's converted form, so it
    was converted again on every pathway and home page; each bound value was also
    processed on every run. Only values of ours (never input) come here."""
    if isinstance(value, int):
        return literal_column(str(int(value)), type_)
    quoted = str(value).replace("'", "''")
    return literal_column(f"'{quoted}'", type_ or String)


def _earliest(pairs) -> dict[str, date]:
    """Each currently valid level with the date it was first issued."""
    held: dict[str, date] = {}
    for level, issued in pairs:
        held[level] = min(issued, held.get(level, issued))
    return held


def course_titles() -> dict[str, str]:
    """Course slug -> title in the page's language (requirement wording names courses)."""
    return dict(db.session.execute(_course_titles_statement(page_language())).all())


@cache  # one for each language, built once
def _course_titles_statement(language: str):
    return (select(Course.slug, local_title_column(language))
            .join(CourseVersion, Course.current_version_id == CourseVersion.id))


def snapshot(evaluation, evidence: Evidence) -> dict:
    """The evaluation and a summary of the evidence, frozen on an application as JSON."""
    return {
        "level": evaluation.level.key,
        "taken_on": evidence.today.isoformat(),
        "results": [{"description": r.description, "have": r.have, "need": r.need,
                     "met": r.met, "missing": r.missing, "details": list(r.details)}
                    for r in evaluation.results],
        "evidence": {
            "completed_courses": {k: v.isoformat() for k, v in
                                  evidence.completed_courses.items()},
            "signed_off_processes": len(evidence.practice),
            "supervision_sessions": len(evidence.supervision_dates),
            "supervision_dates": sorted(day.isoformat() for day in evidence.supervision_dates),
            "observations": len(evidence.observations),
            "cpd_hours": round(sum(c.hours for c in evidence.cpd), 2),
            "levels_held": {k: v.isoformat() for k, v in evidence.levels_held.items()},
            "attestations": sorted(evidence.attestations),
        },
    }
