"""Creating people and managing their roles and accounts. Functions flush, never commit."""

import functools
import re

from flask import abort
from sqlalchemy import ColumnElement, bindparam, distinct, func, select
from sqlalchemy.orm import selectinload

from lms.audit import services as audit
from lms.auth import services as auth_services
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l
from lms.people.kinds import PERSON_KINDS
from lms.practice.models import RecognisedSupervisor
from lms.schemes.models import Membership, Role, Scheme

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]$")
USERNAME_RULE = _l("3 to 64 letters, digits, dots, hyphens or underscores, starting and ending "
                   "with a letter or digit")


def username_problem(username: str) -> str | None:
    if not USERNAME_PATTERN.match(auth_services.normalise_username(username)):
        return _("Use %(rule)s.", rule=USERNAME_RULE)
    return None


def can_manage_person(actor: User, person: User) -> bool:
    """Admins manage everyone; a lead manages people who hold a role in a scheme they lead."""
    if actor.is_admin:
        return True
    led = actor.scheme_ids_with(Role.LEAD)
    return any(m.scheme_id in led for m in person.memberships)


def can_deactivate(actor: User, person: User) -> bool:
    """A lead may deactivate only people wholly within their own schemes (and never an
    admin), so that no other scheme loses a member without its lead's say."""
    if actor.id == person.id:
        return False
    if actor.is_admin:
        return True
    led = actor.scheme_ids_with(Role.LEAD)
    return (not person.is_admin and bool(person.memberships)
            and all(m.scheme_id in led for m in person.memberships))


def holds_wide_powers(person: User) -> bool:
    """Admins, assessors, scheme leads and recognised supervisors can act on other people's
    records; taking over such an account is worth more than the account itself."""
    if person.is_admin or person.is_assessor or person.has_role(Role.LEAD):
        return True
    return db.session.scalar(select(RecognisedSupervisor.id).where(
        RecognisedSupervisor.user_id == person.id)) is not None


def reset_password_refusal(actor: User, person: User) -> str | None:
    """Why `actor` may not issue `person` a new one-time password, or None. Whoever resets
    a password can sign in as that person, so a lead may reset only people whose every role
    lies in schemes the lead leads, and never someone with powers beyond a scheme."""
    if actor.id == person.id:
        return _("Change your own password from your account page.")
    if actor.is_admin:
        return None
    if holds_wide_powers(person):
        return _("Only an administrator can reset the password of an administrator, assessor, "
                 "scheme lead or recognised supervisor.")
    led = actor.scheme_ids_with(Role.LEAD)
    if not person.memberships or any(m.scheme_id not in led for m in person.memberships):
        return _("This person also has a role in a scheme you do not lead: ask an "
                 "administrator to reset their password.")
    return None


def remove_role_refusal(actor: User, membership: Membership) -> str | None:
    if membership.user_id == actor.id and membership.role == Role.LEAD:
        return _("You cannot remove your own lead role. Ask another lead or an admin.")
    return None


def get_person_or_404(user_id: int, *, for_: User) -> User:
    person = db.session.scalar(
        select(User)
        .where(User.id == user_id)
        .options(selectinload(User.memberships).selectinload(Membership.scheme))
    )
    if person is None or not can_manage_person(for_, person):
        abort(404)
    return person


def create_person(*, username, display_name, email, scheme: Scheme, role: Role,
                  by: User) -> tuple[User, str]:
    """A new account with one role; returns it with its one-time password."""
    user = User(
        username=auth_services.normalise_username(username),
        display_name=display_name.strip(),
        email=auth_services.normalise_email(email),
    )
    otp = auth_services.issue_one_time_password(user)
    user.memberships.append(Membership(scheme=scheme, role=role))
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", actor=by, object_type="user", object_id=user.id,
                 payload={"scheme_id": scheme.id, "role": role.value,
                          "one_time_password_issued": True})
    return user, otp


def add_role(person: User, scheme: Scheme, role: Role, *, by: User) -> bool:
    """Give `person` the role; False if they already hold it."""
    if role in person.roles_in(scheme):
        return False
    person.memberships.append(Membership(scheme=scheme, role=role))
    db.session.flush()
    audit.record("user.role_added", actor=by, object_type="user", object_id=person.id,
                 payload={"scheme_id": scheme.id, "role": role.value})
    return True


def remove_role(person: User, membership: Membership, *, by: User) -> None:
    if refusal := remove_role_refusal(by, membership):
        raise PermissionError(refusal)
    person.memberships.remove(membership)
    db.session.flush()
    audit.record("user.role_removed", actor=by, object_type="user", object_id=person.id,
                 payload={"scheme_id": membership.scheme_id, "role": membership.role.value})


def deactivate(person: User, *, by: User) -> None:
    person.active = False
    auth_services.end_other_sessions(person)
    db.session.flush()
    audit.record("user.deactivated", actor=by, object_type="user", object_id=person.id)


def reactivate(person: User, *, by: User) -> None:
    person.active = True
    db.session.flush()
    audit.record("user.reactivated", actor=by, object_type="user", object_id=person.id)


def reset_password(person: User, *, by: User) -> str:
    """A new one-time password for `person`; their sessions end."""
    if refusal := reset_password_refusal(by, person):
        raise PermissionError(refusal)
    otp = auth_services.reset_password(person)
    db.session.flush()
    audit.record("user.password_reset", actor=by, object_type="user", object_id=person.id,
                 payload={"one_time_password_issued": True})
    return otp


def set_assessor(person: User, assessor: bool, *, by: User) -> None:
    """Make `person` an accreditation assessor, or stop them being one (admins only)."""
    if not by.is_admin:
        raise PermissionError(_("Only an administrator appoints assessors."))
    person.is_assessor = assessor
    db.session.flush()
    audit.record("user.assessor_role_changed", actor=by, object_type="user",
                 object_id=person.id, payload={"assessor": assessor})


def people_query(actor: User, *, search: str = "", scheme_id: int | None = None,
                 role: Role | None = None):
    """People `actor` manages, filtered, in name order (for pagination); their roles come
    from roles_of."""
    query = select(User).order_by(User.display_name, User.id)
    member_filter = _member_filter(actor, scheme_id, role)
    if member_filter:
        # Drive from memberships (indexed by scheme) rather than a correlated EXISTS per user.
        query = query.where(User.id.in_(select(Membership.user_id).where(*member_filter)))
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.where(
            User.username.like(pattern) | User.display_name.ilike(pattern)
            | User.email.like(pattern)
        )
    return query


def roles_of(user_ids: list[int]) -> dict[int, list[tuple[Role, str]]]:
    """Each person's roles with their schemes' names, in the order they were given: rows
    for a list of people, not their memberships and schemes as objects."""
    found: dict[int, list[tuple[Role, str]]] = {user_id: [] for user_id in user_ids}
    if user_ids:
        for user_id, role, scheme in db.session.execute(_roles_statement(),
                                                         {"user_ids": user_ids}):
            found[user_id].append((role, scheme))
    return found


@functools.cache
def _roles_statement():
    return (select(Membership.user_id, Membership.role, Scheme.name)
            .join(Scheme, Scheme.id == Membership.scheme_id)
            .where(Membership.user_id.in_(bindparam("user_ids", expanding=True)))
            .order_by(Membership.user_id, Membership.id))


def people_count(actor: User, *, search: str = "", scheme_id: int | None = None,
                 role: Role | None = None):
    """How many people_query finds, counted from the memberships index alone when it
    filters by membership and not by name (every member is a person: the foreign key);
    None when the people it finds must be counted."""
    member_filter = _member_filter(actor, scheme_id, role)
    if search or not member_filter:
        return None
    return select(func.count(distinct(Membership.user_id))).where(*member_filter)


def _member_filter(actor: User, scheme_id: int | None,
                   role: Role | None) -> list[ColumnElement[bool]]:
    """The memberships a person must hold to be listed for `actor`: one of the schemes
    they lead (any, for an administrator), narrowed to a scheme and a role."""
    member_filter: list[ColumnElement[bool]] = []
    if not actor.is_admin:
        member_filter.append(Membership.scheme_id.in_(actor.scheme_ids_with(Role.LEAD)))
    if scheme_id is not None:
        member_filter.append(Membership.scheme_id == scheme_id)
    if role is not None:
        member_filter.append(Membership.role == role)
    return member_filter


def set_person_kind(person: User, kind: str | None, *, by: User) -> bool:
    """Record whether `person` is staff, a volunteer, a prisoner or a pupil (None: not
    recorded). False if nothing changed."""
    if kind is not None and kind not in PERSON_KINDS:
        raise ValueError(f"unknown kind of person {kind!r}")
    if person.person_kind == kind:
        return False
    person.person_kind = kind
    db.session.flush()
    audit.record("user.kind_set", actor=by, object_type="user", object_id=person.id,
                 payload={"kind": kind})
    return True
