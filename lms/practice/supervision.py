"""Case supervision sessions and who is overdue for one."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import force_locale, format_date
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from lms import clock, policy
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import gettext as _
from lms.notify import services as notify
from lms.practice.models import PracticeRecord, SupervisionSession
from lms.schemes.models import Membership, Role, Scheme


def interval() -> timedelta:
    return timedelta(weeks=policy.practice("supervision_interval_weeks"))


class SupervisionError(Exception):
    """A rule refused the action; the message is shown to the person."""


def shared_scheme(supervisor: User, practitioner: User | None) -> Scheme | None:
    """A scheme where `supervisor` supervises and `practitioner` has a role."""
    if practitioner is None:
        return None
    mine = supervisor.scheme_ids_with(Role.SUPERVISOR)
    return next((m.scheme for m in practitioner.memberships if m.scheme_id in mine), None)


def record_refusal(supervisor: User, practitioner: User | None) -> str | None:
    """Why `supervisor` may not record a session with `practitioner`; None if they may."""
    if practitioner is not None and practitioner.id == supervisor.id:
        return _("You cannot record your own supervision; another supervisor records it.")
    if shared_scheme(supervisor, practitioner) is None:
        return _("Enter the username of a practitioner in a scheme where you supervise.")
    return None


def record_session(*, supervisor: User, practitioner: User, held_on: date,
                   duration_minutes: int, notes: str) -> SupervisionSession:
    """The supervisor records the session and so confirms it; the practitioner confirms next."""
    refusal = record_refusal(supervisor, practitioner)
    if refusal:
        raise SupervisionError(refusal)
    scheme = shared_scheme(supervisor, practitioner)
    assert scheme is not None  # record_refusal refuses people with no scheme in common
    session = SupervisionSession(
        supervisor_id=supervisor.id, practitioner_id=practitioner.id, scheme_id=scheme.id,
        held_on=held_on, duration_minutes=duration_minutes, notes=notes,
        supervisor_confirmed_at=clock.utcnow())
    db.session.add(session)
    db.session.flush()
    audit.record("supervision.recorded", actor=supervisor, object_type="supervision_session",
                 object_id=session.id, payload={"practitioner_id": practitioner.id})
    with force_locale(language_of(practitioner)):
        message = _("%(name)s recorded a supervision session on %(date)s: please confirm it.",
                    name=supervisor.display_name, date=format_date(held_on, "dd MMM y"))
    notify.notify(practitioner, message, f"/supervision/{session.id}",
                  topic=confirm_topic(session))
    return session


def language_of(user: User) -> str:
    """The language a notification to `user` is written in: their preference."""
    return getattr(user, "preferred_language", None) or "en"


def confirm_topic(session: SupervisionSession) -> str:
    """Notification topic of a request to confirm the session (done once confirmed)."""
    return f"confirm:supervision_session:{session.id}"


def confirm(session: SupervisionSession, practitioner: User) -> None:
    """Raises StaleDataError (via the session's version) when it was confirmed at the same
    moment by another request."""
    refusal = session.confirm_refusal(practitioner)
    if refusal:
        raise SupervisionError(refusal)
    session.practitioner_confirmed_at = clock.utcnow()
    db.session.flush()
    audit.record("supervision.confirmed", actor=practitioner, object_type="supervision_session",
                 object_id=session.id)
    notify.done(confirm_topic(session))


def last_supervised(user_ids) -> dict[int, date]:
    """{practitioner id: date of their last supervision confirmed by both}."""
    rows = db.session.execute(
        select(SupervisionSession.practitioner_id, func.max(SupervisionSession.held_on))
        .where(SupervisionSession.practitioner_id.in_(user_ids),
               SupervisionSession.confirmed_by_both())
        .group_by(SupervisionSession.practitioner_id))
    return dict(rows.all())


@dataclass(frozen=True)
class SupervisionStatus:
    last: date | None
    due: date | None

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < clock.today()


def status_for(user_ids) -> dict[int, SupervisionStatus]:
    last = last_supervised(user_ids)
    return {uid: SupervisionStatus(last.get(uid), last[uid] + interval() if uid in last
                                   else None) for uid in user_ids}


def overdue_query(scheme_ids=None):
    """(user, last confirmed supervision or None) for active practitioners who log practice
    (in `scheme_ids`, or anywhere) and are past the supervision interval; never-supervised
    first, then longest ago."""
    author_ids = select(PracticeRecord.author_id).distinct()
    if scheme_ids is not None:
        author_ids = author_ids.where(PracticeRecord.scheme_id.in_(scheme_ids))
    authors = author_ids.subquery()
    # The scope's practitioners drive the join to their own sessions (index on
    # practitioner_id): never an aggregate over every practitioner in the country.
    last = func.max(SupervisionSession.held_on)
    cutoff = clock.today() - interval()
    return (select(User, last.label("last"))
            .join(authors, authors.c.author_id == User.id)
            .outerjoin(SupervisionSession,
                       and_(SupervisionSession.practitioner_id == User.id,
                            SupervisionSession.confirmed_by_both()))
            .where(User.active.is_(True))
            .group_by(User.id)
            .having(or_(last.is_(None), last < cutoff))
            .order_by(last.is_not(None), last, User.display_name))


def _supervisors_by_scheme(scheme_ids) -> dict[int, list[User]]:
    by_scheme = defaultdict(list)
    rows = db.session.execute(
        select(Membership.scheme_id, User).join(Membership, Membership.user_id == User.id)
        .where(Membership.scheme_id.in_(scheme_ids), Membership.role == Role.SUPERVISOR,
               User.active.is_(True)))
    for scheme_id, supervisor in rows:
        by_scheme[scheme_id].append(supervisor)
    return by_scheme


def notify_overdue() -> int:
    """Tell each overdue practitioner and their supervisors, once per day. Idempotent."""
    today = clock.today().isoformat()
    overdue = db.session.execute(
        overdue_query().options(selectinload(User.memberships))).all()
    supervisors = _supervisors_by_scheme({m.scheme_id for user, _last in overdue
                                          for m in user.memberships})
    sent = 0
    for user, last in overdue:
        theirs = {s.id: s for m in user.memberships for s in supervisors[m.scheme_id]
                  if s.id != user.id}
        for recipient in [user, *theirs.values()]:
            key = f"supervision-overdue:{user.id}:{recipient.id}:{today}"
            with force_locale(language_of(recipient)):
                message = (_("%(name)s has had no case supervision since %(date)s.",
                             name=user.display_name, date=format_date(last, "dd MMM y"))
                           if last else
                           _("%(name)s has had no case supervision on record.",
                             name=user.display_name))
            if notify.notify(recipient, message, "/supervision/", dedupe_key=key):
                sent += 1
    return sent
