"""Assessed skills practice: a trainer marks each skill of a learner's role-play or observed
practice "pass" or "not yet", with short feedback. Every skill passed is part of completing
a course that asks for it (the rule is CourseProgress.complete). Flush, never commit."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms import clock
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l
from lms.learning import services
from lms.learning.models import CourseVersion, Enrolment, SkillAssessment
from lms.learning.services import LearningError
from lms.schemes.models import Role

STAFF_ROLES = (Role.TRAINER, Role.LEAD)
RESULTS = {"pass": _l("Pass"), "not_yet": _l("Not yet")}
METHODS = {"role_play": _l("Role-play"), "observation": _l("Live observation")}


def assessment_refusal(user: User, enrolment: Enrolment) -> str | None:
    """Why `user` may not assess `enrolment`'s skills practice, or None."""
    if enrolment.user_id == user.id:
        return _("You cannot assess your own skills practice: another trainer must.")
    if user.is_admin:
        return None
    if enrolment.scheme_id is None or enrolment.scheme_id not in user.scheme_ids_with(
            *STAFF_ROLES):
        return _("Only a trainer or lead of the learner's scheme can assess their skills "
                 "practice.")
    return None


def record_assessment(enrolment: Enrolment, version: CourseVersion, *, skill_key: str,
                      result: str, method: str, feedback: str, assessed_on: date,
                      by: User) -> SkillAssessment:
    """Store a trainer's result for one skill, then complete the course if that was the
    last thing left. Audited without the feedback text (which stays on the record)."""
    refusal = assessment_refusal(by, enrolment)
    if refusal:
        raise LearningError(refusal)
    if skill_key not in {s["key"] for s in version.skills}:
        raise LearningError(_("This course has no such skill to assess."))
    if result not in RESULTS or method not in METHODS:
        raise LearningError(_("Choose a result and how the skill was assessed."))
    if assessed_on > clock.today():
        raise LearningError(_("The date cannot be in the future."))
    assessment = SkillAssessment(
        enrolment_id=enrolment.id, skill_key=skill_key, result=result, method=method,
        feedback=feedback.strip(), assessed_on=assessed_on, assessed_by_id=by.id)
    db.session.add(assessment)
    db.session.flush()
    services.record_completion_if_done(enrolment)
    audit.record("learning.skill_assessed", actor=by, object_type="skill_assessment",
                 object_id=assessment.id,
                 payload={"enrolment_id": enrolment.id, "user_id": enrolment.user_id,
                          "skill": skill_key, "result": result, "method": method,
                          "assessed_on": assessed_on.isoformat()})
    return assessment


def recent_assessments(enrolment_ids: list[int], limit: int = 50) -> list[SkillAssessment]:
    """The latest assessments entered for these enrolments, newest first."""
    if not enrolment_ids:
        return []
    return list(db.session.scalars(
        select(SkillAssessment).where(SkillAssessment.enrolment_id.in_(enrolment_ids))
        .options(selectinload(SkillAssessment.assessed_by))
        .order_by(SkillAssessment.recorded_at.desc(), SkillAssessment.id.desc())
        .limit(limit)))
