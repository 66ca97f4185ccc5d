from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.schemes.models import Membership, Role, Scheme


def get_scheme_or_404(slug: str, *, for_: User, manage: bool = False) -> Scheme:
    """The scheme, if `for_` may see it (or manage its people); 404 otherwise, so that
    nobody learns about schemes that are not theirs."""
    scheme = db.first_or_404(select(Scheme).where(Scheme.slug == slug))
    allowed = scheme.can_manage_people(for_) if manage else scheme.can_view(for_)
    if not allowed:
        abort(404)
    return scheme


def schemes_visible_to(user: User) -> list[Scheme]:
    query = select(Scheme).order_by(Scheme.name)
    if not user.is_admin:
        query = query.where(Scheme.id.in_({m.scheme_id for m in user.memberships}))
    return list(db.session.scalars(query))


def schemes_with_role(user: User, *roles: Role) -> list[Scheme]:
    """Schemes where `user` holds one of `roles` (every scheme for admins)."""
    query = select(Scheme).order_by(Scheme.name)
    if not user.is_admin:
        query = query.where(Scheme.id.in_(user.scheme_ids_with(*roles)))
    return list(db.session.scalars(query))


def schemes_managed_by(user: User) -> list[Scheme]:
    return schemes_with_role(user, Role.LEAD)


def role_counts(scheme: Scheme) -> dict[Role, int]:
    counts = dict.fromkeys(Role, 0)
    rows = db.session.execute(
        select(Membership.role, func.count())
        .where(Membership.scheme_id == scheme.id)
        .group_by(Membership.role)
    )
    counts.update({role: count for role, count in rows})
    return counts


def staff_by_role(scheme: Scheme) -> dict[Role, list[User]]:
    """Leads, supervisors and trainers (trainees can number thousands: see the people list)."""
    staff_roles = (Role.LEAD, Role.SUPERVISOR, Role.TRAINER)
    rows = db.session.scalars(
        select(Membership)
        .where(Membership.scheme_id == scheme.id, Membership.role.in_(staff_roles))
        .join(Membership.user)
        .options(contains_eager(Membership.user))
        .order_by(User.display_name)
    )
    grouped: dict[Role, list[User]] = {role: [] for role in staff_roles}
    for membership in rows:
        grouped[membership.role].append(membership.user)
    return grouped


def save_scheme(form, scheme: Scheme | None = None, *, by: User | None = None) -> Scheme:
    action = "scheme.updated" if scheme is not None else "scheme.created"
    if scheme is None:
        scheme = Scheme()
        db.session.add(scheme)
    scheme.name = form.name.data.strip()
    scheme.slug = form.slug.data
    scheme.sector = form.sector.data
    scheme.region = form.region.data
    scheme.police_force_code = form.police_force_code.data or None
    scheme.local_authority_code = form.local_authority_code.data or None
    db.session.flush()
    audit.record(action, actor=by, object_type="scheme", object_id=scheme.id,
                 payload={"slug": scheme.slug, "police_force_code": scheme.police_force_code,
                          "local_authority_code": scheme.local_authority_code})
    return scheme
