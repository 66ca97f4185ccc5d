"""Viewer scopes: granting and revoking them, and which schemes a person's figures cover."""

from __future__ import annotations

from sqlalchemy import or_, select

from lms.areas.models import ViewerScope
from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.schemes.models import Role, Scheme


def scopes_of(user: User) -> list[ViewerScope]:
    return list(db.session.scalars(
        select(ViewerScope).where(ViewerScope.user_id == user.id).order_by(ViewerScope.id)))


def is_viewer(user: User) -> bool:
    return db.session.scalar(
        select(ViewerScope.id).where(ViewerScope.user_id == user.id).limit(1)) is not None


def figures_scheme_ids(user: User, scopes: list[ViewerScope] | None = None
                       ) -> frozenset[int] | None:
    """The schemes whose figures `user` may see: None means every scheme (administrators
    and national viewers); otherwise the schemes in their viewer scopes and those they
    lead."""
    if user.is_admin:
        return None
    scopes = scopes_of(user) if scopes is None else scopes
    if any(scope.kind == "national" for scope in scopes):
        return None
    areas = {s.force_code for s in scopes if s.kind == "area"}
    sectors = {s.sector for s in scopes if s.kind == "sector"}
    ids = {s.scheme_id for s in scopes if s.kind == "scheme"} | user.scheme_ids_with(Role.LEAD)
    conditions = [Scheme.id.in_(ids)]
    if areas:
        conditions.append(Scheme.police_force_code.in_(areas))
    if sectors:
        conditions.append(Scheme.sector.in_(sectors))
    return frozenset(db.session.scalars(select(Scheme.id).where(or_(*conditions))))


def scope_areas(scopes: list[ViewerScope]) -> set[str]:
    return {s.force_code for s in scopes if s.kind == "area" and s.force_code}


def grant_scope(user: User, kind: str, *, force_code: str | None = None,
                sector: str | None = None, scheme: Scheme | None = None,
                by: User) -> ViewerScope:
    scope = ViewerScope(user_id=user.id, kind=kind, granted_by_id=by.id,
                        force_code=force_code if kind == "area" else None,
                        sector=sector if kind == "sector" else None,
                        scheme_id=scheme.id if kind == "scheme" and scheme else None)
    db.session.add(scope)
    db.session.flush()
    audit.record("viewer.scope_granted", actor=by, object_type="user", object_id=user.id,
                 payload={"scope_id": scope.id, "kind": kind, "force_code": scope.force_code,
                          "sector": scope.sector, "scheme_id": scope.scheme_id})
    return scope


def revoke_scope(scope: ViewerScope, *, by: User) -> None:
    audit.record("viewer.scope_revoked", actor=by, object_type="user", object_id=scope.user_id,
                 payload={"scope_id": scope.id, "kind": scope.kind})
    db.session.delete(scope)
    db.session.flush()
