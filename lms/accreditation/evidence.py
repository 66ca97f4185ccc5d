"""Gather a practitioner's evidence from the database in a fixed number of queries."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from lms import clock
from lms.accreditation.evaluation import CpdEvidence, Evidence, PracticeEvidence
from lms.accreditation.models import VALID_STATUSES, AccreditationRecord, Attestation
from lms.extensions import db
from lms.learning.models import Course, CourseVersion, Enrolment
from lms.practice.models import CpdEntry, PracticeRecord, RecordStatus, SupervisionSession
from lms.timezones import local


def _day(moment) -> date:
    return local(moment).date()


def gather(user_id: int, today: date | None = None) -> Evidence:
    """Six queries, whatever the amount of evidence."""
    return Evidence(
        today=today or local(clock.utcnow()).date(),
        completed_courses=_completed_courses(user_id),
        practice=_signed_off_practice(user_id),
        supervision_dates=tuple(db.session.scalars(
            select(SupervisionSession.held_on).where(
                SupervisionSession.practitioner_id == user_id,
                SupervisionSession.supervisor_confirmed_at.is_not(None),
                SupervisionSession.practitioner_confirmed_at.is_not(None)))),
        cpd=tuple(CpdEvidence(done_on, hours, approved) for done_on, hours, approved in
                  db.session.execute(select(CpdEntry.done_on, CpdEntry.hours, CpdEntry.approved)
                                     .where(CpdEntry.user_id == user_id))),
        levels_held=_levels_held(user_id),
        attestations=frozenset(db.session.scalars(
            select(Attestation.key).where(Attestation.user_id == user_id))),
    )


def _completed_courses(user_id) -> dict[str, date]:
    rows = db.session.execute(
        select(Course.slug, Enrolment.completed_at).join(Enrolment.course)
        .where(Enrolment.user_id == user_id, Enrolment.completed_at.is_not(None)))
    return {slug: _day(completed_at) for slug, completed_at in rows}


def _signed_off_practice(user_id) -> tuple[PracticeEvidence, ...]:
    rows = db.session.execute(
        select(PracticeRecord.occurred_on, PracticeRecord.signed_off_at,
               PracticeRecord.practitioner_role, PracticeRecord.direct,
               PracticeRecord.face_to_face, PracticeRecord.sensitive,
               PracticeRecord.process_type)
        .where(PracticeRecord.author_id == user_id,
               PracticeRecord.status == RecordStatus.SIGNED_OFF))
    return tuple(PracticeEvidence(occurred, _day(signed), role, direct, f2f, sensitive, kind)
                 for occurred, signed, role, direct, f2f, sensitive, kind in rows)


def _levels_held(user_id) -> dict[str, date]:
    """Each currently valid level with the date it was first issued."""
    held: dict[str, date] = {}
    rows = db.session.execute(
        select(AccreditationRecord.level_key, AccreditationRecord.issued_on)
        .where(AccreditationRecord.holder_id == user_id,
               AccreditationRecord.status.in_(VALID_STATUSES)))
    for level, issued in rows:
        held[level] = min(issued, held.get(level, issued))
    return held


def course_titles() -> dict[str, str]:
    return dict(db.session.execute(
        select(Course.slug, CourseVersion.title)
        .join(CourseVersion, Course.current_version_id == CourseVersion.id)).all())


def snapshot(evaluation, evidence: Evidence) -> dict:
    """The evaluation and a summary of the evidence, frozen on an application as JSON."""
    return {
        "level": evaluation.level.key,
        "taken_on": evidence.today.isoformat(),
        "results": [{"description": r.description, "have": r.have, "need": r.need,
                     "met": r.met, "missing": r.missing} for r in evaluation.results],
        "evidence": {
            "completed_courses": {k: v.isoformat() for k, v in
                                  evidence.completed_courses.items()},
            "signed_off_processes": len(evidence.practice),
            "supervision_sessions": len(evidence.supervision_dates),
            "cpd_hours": round(sum(c.hours for c in evidence.cpd), 2),
            "levels_held": {k: v.isoformat() for k, v in evidence.levels_held.items()},
            "attestations": sorted(evidence.attestations),
        },
    }
