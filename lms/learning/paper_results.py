"""Knowledge checks sat on paper (prisons, schools, no devices): a trainer enters the score.

A paper result is an attempt like any other: numbered, within the attempt limit, counting
towards completion. It records the day it was sat and who entered it, and is audited.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l
from lms.learning import services
from lms.learning.models import CheckAttempt, Course, CourseVersion, Enrolment, Module
from lms.learning.services import LearningError
from lms.schemes.models import Role

STAFF_ROLES = (Role.TRAINER, Role.LEAD)


def questions_per_paper(module: Module) -> int:
    return module.questions_per_attempt or len(module.questions)


def paper_result_refusal(user: User, enrolment: Enrolment) -> str | None:
    """Why `user` may not enter a paper result for `enrolment`, or None."""
    if enrolment.user_id == user.id:
        return _("You cannot enter a result for yourself: another trainer must.")
    if user.is_admin:
        return None
    if enrolment.scheme_id is None or enrolment.scheme_id not in user.scheme_ids_with(
            *STAFF_ROLES):
        return _("Only a trainer or lead of the learner's scheme can enter their results.")
    return None


def learners_for(user: User, course: Course) -> list[Enrolment]:
    """Enrolments on `course` whose results `user` may enter, in name order."""
    query = (select(Enrolment).join(Enrolment.user)
             .options(contains_eager(Enrolment.user))
             .where(Enrolment.course_id == course.id, Enrolment.user_id != user.id)
             .order_by(User.display_name, Enrolment.id))
    if not user.is_admin:
        query = query.where(Enrolment.scheme_id.in_(user.scheme_ids_with(*STAFF_ROLES)))
    return list(db.session.scalars(query))


def recent_paper_results(module: Module, enrolment_ids: list[int],
                         limit: int = 50) -> list[CheckAttempt]:
    return list(db.session.scalars(
        select(CheckAttempt).where(CheckAttempt.check_hash == module.check_hash,
                                   CheckAttempt.source == "paper",
                                   CheckAttempt.enrolment_id.in_(enrolment_ids))
        .options(selectinload(CheckAttempt.entered_by))
        .order_by(CheckAttempt.submitted_at.desc(), CheckAttempt.id.desc()).limit(limit)))


def record_paper_result(enrolment: Enrolment, module: Module, version: CourseVersion, *,
                        correct: int, taken_on: date, by: User) -> CheckAttempt:
    refusal = paper_result_refusal(by, enrolment) or services.attempt_refusal(
        enrolment, module, version)
    if refusal:
        raise LearningError(refusal)
    total = questions_per_paper(module)
    if not 0 <= correct <= total:
        raise LearningError(_("The score must be from 0 to %(total)d.", total=total))
    attempt = CheckAttempt(
        enrolment_id=enrolment.id, module_id=module.id, check_hash=module.check_hash,
        number=services.next_attempt_number(enrolment, module),
        attempt_limit=version.max_attempts, correct=correct, total=total,
        passed=services.is_pass(correct, total, version), answers={}, source="paper",
        taken_on=taken_on, entered_by_id=by.id,
    )
    services.flush_or_refuse(attempt, _l("Another result for this learner was entered at the "
                                         "same moment. Check the list below before entering "
                                         "it again."))
    services.record_progress(enrolment)  # before the audit lock, as elsewhere
    audit.record("learning.paper_result_entered", actor=by, object_type="check_attempt",
                 object_id=attempt.id,
                 payload={"enrolment_id": enrolment.id, "module_id": module.id,
                          "number": attempt.number, "correct": correct, "total": total,
                          "passed": attempt.passed, "taken_on": taken_on.isoformat()})
    return attempt
