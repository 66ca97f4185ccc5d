"""Case supervision sessions and who is overdue for one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from lms import clock, policy
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.notify import services as notify
from lms.practice.models import SupervisionSession
from lms.schemes.models import Membership, Role


def interval() -> timedelta:
    return timedelta(weeks=policy.practice("supervision_interval_weeks"))


def record_session(*, supervisor: User, practitioner: User, scheme, held_on: date,
                   duration_minutes: int, notes: str) -> SupervisionSession:
    """The supervisor records the session and so confirms it; the practitioner confirms next."""
    session = SupervisionSession(
        supervisor_id=supervisor.id, practitioner_id=practitioner.id, scheme_id=scheme.id,
        held_on=held_on, duration_minutes=duration_minutes, notes=notes,
        supervisor_confirmed_at=clock.utcnow())
    db.session.add(session)
    db.session.flush()
    audit.record("supervision.recorded", actor=supervisor, object_type="supervision_session",
                 object_id=session.id, payload={"practitioner_id": practitioner.id})
    notify.notify(practitioner, f"{supervisor.display_name} recorded a supervision session "
                  f"on {held_on:%d %b %Y}: please confirm it.", f"/supervision/{session.id}")
    return session


def confirm(session: SupervisionSession, practitioner: User) -> None:
    session.practitioner_confirmed_at = clock.utcnow()
    db.session.flush()
    audit.record("supervision.confirmed", actor=practitioner, object_type="supervision_session",
                 object_id=session.id)


def last_supervised(user_ids) -> dict[int, date]:
    """{practitioner id: date of their last supervision confirmed by both}."""
    rows = db.session.execute(
        select(SupervisionSession.practitioner_id, func.max(SupervisionSession.held_on))
        .where(SupervisionSession.practitioner_id.in_(user_ids),
               SupervisionSession.supervisor_confirmed_at.is_not(None),
               SupervisionSession.practitioner_confirmed_at.is_not(None))
        .group_by(SupervisionSession.practitioner_id))
    return dict(rows.all())


@dataclass(frozen=True)
class SupervisionStatus:
    last: date | None
    due: date | None

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < clock.utcnow().date()


def status_for(user_ids) -> dict[int, SupervisionStatus]:
    last = last_supervised(user_ids)
    return {uid: SupervisionStatus(last.get(uid), last[uid] + interval() if uid in last
                                   else None) for uid in user_ids}


def practitioners_overdue() -> list[tuple[User, date | None]]:
    """Practitioners (trainee or supervisor roles... anyone who has logged practice) whose
    last confirmed supervision is older than the interval, with that date."""
    from lms.practice.models import PracticeRecord

    practitioner_ids = set(db.session.scalars(select(PracticeRecord.author_id).distinct()))
    if not practitioner_ids:
        return []
    statuses = status_for(practitioner_ids)
    cutoff = clock.utcnow().date() - interval()
    overdue = [uid for uid, s in statuses.items() if s.last is None or s.last < cutoff]
    users = db.session.scalars(select(User).where(User.id.in_(overdue),
                                                  User.active.is_(True))).all()
    return [(user, statuses[user.id].last) for user in users]


def supervisors_of(user: User) -> list[User]:
    """Supervisors in the schemes where `user` holds a role."""
    scheme_ids = {m.scheme_id for m in user.memberships}
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.scheme_id.in_(scheme_ids), Membership.role == Role.SUPERVISOR,
               User.id != user.id).distinct()))


def notify_overdue() -> int:
    """Tell each overdue practitioner and their supervisors, once per day. Idempotent."""
    today = clock.utcnow().date().isoformat()
    sent = 0
    for user, last in practitioners_overdue():
        when = f"since {last:%d %b %Y}" if last else "on record"
        message = f"{user.display_name} has had no case supervision {when}."
        for recipient in [user, *supervisors_of(user)]:
            key = f"supervision-overdue:{user.id}:{recipient.id}:{today}"
            if notify.notify(recipient, message, "/supervision/", dedupe_key=key):
                sent += 1
    return sent
