"""Gather a practitioner's evidence from the database in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select

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
from lms.extensions import db
from lms.learning.models import Course, CourseVersion, Enrolment, local_title_column
from lms.practice.models import CpdEntry, PracticeRecord, PracticeStatus, SupervisionSession
from lms.timezones import local


def _day(moment) -> date:
    return local(moment).date()


def gather(user_id: int, today: date | None = None) -> Evidence:
    """Nine queries, whatever the amount of evidence."""
    return gather_many([user_id], today)[user_id]


def empty_evidence(today: date) -> Evidence:
    """No evidence at all: evaluating it gives each requirement's description."""
    return Evidence(today=today, completed_courses={}, practice=(), supervision_dates=(),
                    cpd=(), levels_held={}, attestations=frozenset())


def gather_many(user_ids, today: date | None = None) -> dict[int, Evidence]:
    """Evidence for several people in the same nine queries (a page of a report)."""
    ids = list(user_ids)
    today = today or clock.today()
    courses, practice, supervised = _by_user(), _by_user(), _by_user()
    cpd, levels, attested = _by_user(), _by_user(), _by_user()
    observed, caseload = _by_user(), _by_user()
    for uid, slug, completed_at in db.session.execute(
            select(Enrolment.user_id, Course.slug, Enrolment.completed_at)
            .join(Enrolment.course)
            .where(Enrolment.user_id.in_(ids), Enrolment.completed_at.is_not(None))):
        courses[uid].append((slug, _day(completed_at)))
    for uid, *fields in db.session.execute(_practice_query(ids)):
        occurred, signed, role, direct, f2f, sensitive, kind = fields
        # records signed off before sign-off dates were kept count from their process date
        signed_on = _day(signed) if signed else occurred
        practice[uid].append(PracticeEvidence(occurred, signed_on, role, direct, f2f,
                                              sensitive, kind))
    for uid, held_on in db.session.execute(_supervision_query(ids)):
        supervised[uid].append(held_on)
    for uid, done_on, hours, approved in db.session.execute(
            select(CpdEntry.user_id, CpdEntry.done_on, CpdEntry.hours, CpdEntry.approved)
            .where(CpdEntry.user_id.in_(ids))):
        cpd[uid].append(CpdEvidence(done_on, hours, approved))
    for uid, level, issued in db.session.execute(
            select(AccreditationRecord.holder_id, AccreditationRecord.level_key,
                   AccreditationRecord.issued_on)
            .where(AccreditationRecord.holder_id.in_(ids),
                   AccreditationRecord.status.in_(VALID_STATUSES))):
        levels[uid].append((level, issued))
    for uid, key in db.session.execute(select(Attestation.user_id, Attestation.key)
                                       .where(Attestation.user_id.in_(ids))):
        attested[uid].append(key)
    for uid, observed_on in db.session.execute(
            select(Observation.practitioner_id, Observation.observed_on)
            .where(Observation.practitioner_id.in_(ids),
                   Observation.outcome == ObservationOutcome.MEETS)):
        observed[uid].append(observed_on)
    for uid, supervisee, held_on in db.session.execute(_caseload_query(ids)):
        caseload[uid].append((supervisee, held_on))
    insured = dict(db.session.execute(
        select(IndemnityInsurance.user_id, func.max(IndemnityInsurance.expires_on))
        .where(IndemnityInsurance.user_id.in_(ids)).group_by(IndemnityInsurance.user_id)).all())
    return {uid: Evidence(today=today, completed_courses=dict(courses[uid]),
                          practice=tuple(practice[uid]), supervision_dates=tuple(supervised[uid]),
                          cpd=tuple(cpd[uid]), levels_held=_earliest(levels[uid]),
                          attestations=frozenset(attested[uid]),
                          observations=tuple(observed[uid]), supervisees=tuple(caseload[uid]),
                          insurance_until=insured.get(uid))
            for uid in ids}


def _by_user():
    return defaultdict(list)


def _practice_query(ids):
    return (select(PracticeRecord.author_id, PracticeRecord.occurred_on,
                   PracticeRecord.signed_off_at, PracticeRecord.practitioner_role,
                   PracticeRecord.direct, PracticeRecord.face_to_face, PracticeRecord.sensitive,
                   PracticeRecord.process_type)
            .where(PracticeRecord.author_id.in_(ids),
                   PracticeRecord.status == PracticeStatus.SIGNED_OFF))


def _confirmed_by_both():
    """Only sessions both people confirmed count, as supervisee and as supervisor."""
    return SupervisionSession.confirmed_by_both()


def _supervision_query(ids):
    return (select(SupervisionSession.practitioner_id, SupervisionSession.held_on)
            .where(SupervisionSession.practitioner_id.in_(ids), _confirmed_by_both()))


def _caseload_query(ids):
    return (select(SupervisionSession.supervisor_id, SupervisionSession.practitioner_id,
                   SupervisionSession.held_on)
            .where(SupervisionSession.supervisor_id.in_(ids), _confirmed_by_both()))


def _earliest(pairs) -> dict[str, date]:
    """Each currently valid level with the date it was first issued."""
    held: dict[str, date] = {}
    for level, issued in pairs:
        held[level] = min(issued, held.get(level, issued))
    return held


def course_titles() -> dict[str, str]:
    """Course slug -> title in the page's language (requirement wording names courses)."""
    return dict(db.session.execute(
        select(Course.slug, local_title_column())
        .join(CourseVersion, Course.current_version_id == CourseVersion.id)).all())


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
