"""Observed practice: a supervisor or assessor watched a practitioner deliver (live or by
recording) and assessed it against the stages. Observations that meet the standard are the
evidence the `observations` requirement counts; a signed-off log record is not one.

The observer must be independent in the same way as for sign-off: never the practitioner,
never someone who delivered the observed process with them, and either an assessor or a
recognised supervisor of one of the practitioner's schemes."""

from __future__ import annotations

import functools
from datetime import date

from flask_babel import force_locale
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from lms.accreditation.models import (
    OBSERVATION_LABELS,
    Observation,
    ObservationMode,
    ObservationOutcome,
)
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import gettext as _
from lms.notify import services as notify
from lms.practice.models import STAGES, PracticeRecord
from lms.practice.services import is_recognised_supervisor
from lms.schemes.models import Role


class ObservationError(Exception):
    """A rule refused the observation; the message is shown to the person."""


def observer_refusal(observer: User, practitioner: User,
                     record: PracticeRecord | None = None) -> str | None:
    """Why `observer` may not record an observation of `practitioner` (None: they may)."""
    if observer.id == practitioner.id:
        return _("Nobody may observe and assess their own practice.")
    if record is not None and observer.id in (record.author_id, record.co_facilitator_id):
        return _("Someone who delivered the process cannot be its observer.")
    if observer.is_assessor:
        return None
    shared = (observer.scheme_ids_with(Role.SUPERVISOR)
              & {m.scheme_id for m in practitioner.memberships})
    if not shared or not is_recognised_supervisor(observer):
        return _("Only an assessor or a recognised supervisor of the practitioner's scheme "
                 "may record an observation.")
    return None


def record_observation(practitioner: User, observer: User, *, observed_on: date, mode: str,
                       stages: list[str], outcome: str, feedback: str,
                       record: PracticeRecord | None = None) -> Observation:
    if refusal := observer_refusal(observer, practitioner, record):
        raise ObservationError(refusal)
    if mode not in set(ObservationMode) or outcome not in set(ObservationOutcome):
        raise ObservationError(_("Choose how it was observed and the outcome."))
    if not stages or not set(stages) <= set(STAGES):
        raise ObservationError(_("Choose the stages you assessed."))
    if record is not None and record.author_id != practitioner.id:
        raise ObservationError(_("That process is not in this practitioner's log."))
    scheme_ids = sorted(observer.scheme_ids_with(Role.SUPERVISOR)
                        & {m.scheme_id for m in practitioner.memberships})
    observation = Observation(
        practitioner_id=practitioner.id, observer_id=observer.id,
        scheme_id=scheme_ids[0] if scheme_ids else (
            practitioner.memberships[0].scheme_id if practitioner.memberships else None),
        practice_record_id=record.id if record else None, observed_on=observed_on,
        mode=mode, stages=sorted(stages, key=list(STAGES).index), outcome=outcome,
        feedback=feedback.strip())
    db.session.add(observation)
    db.session.flush()
    audit.record("observation.recorded", actor=observer, object_type="observation",
                 object_id=observation.id,
                 payload={"practitioner_id": practitioner.id, "outcome": outcome,
                          "mode": mode, "stages": observation.stages})
    with force_locale(practitioner.preferred_language or "en"):
        message = _("%(name)s recorded an observation of your practice: %(outcome)s.",
                    name=observer.display_name, outcome=OBSERVATION_LABELS[outcome])
    notify.notify(practitioner, message, "/accreditation/pathway")
    return observation


def observations_of(user_id: int) -> list[Observation]:
    return list(db.session.scalars(_observations_statement(), {"person": user_id}))


@functools.cache  # built once: the pathway shows them on every view
def _observations_statement():
    return (select(Observation).where(Observation.practitioner_id == bindparam("person"))
            .options(joinedload(Observation.observer))  # one each: in the same query
            .order_by(Observation.observed_on.desc(), Observation.id.desc()))
