"""Figures kept once computed ("materialised"), for summaries too costly to compute from
the raw rows on every view at national scale.

A function decorated with `@materialised("kind")` computes figures for a scope and some
arguments; calling it returns a `Snapshot`: the figures and when they were computed. A
snapshot is computed again when it is older than the policy's `figures_max_age_minutes`
(courses/policy.yaml); a single scheme's snapshots are also stale as soon as a change to
a record they count in that scheme commits (its FigureVersion goes up in the same
transaction; an ORM change: bulk statements bypass this and rely on the age). Pages say
when their figures were computed, so nothing is stale without saying so.
`flask reports refresh-figures` recomputes the snapshots viewed in the last day before
they age out.

Figures are stored as JSON: dataclasses registered with `@storable` (by name, from that
list only), dicts, tuples, lists, dates and plain values."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import chain
from typing import Any, Generic, TypeVar

from flask_babel import force_locale, get_locale
from sqlalchemy import Integer, and_, delete, event, func, literal, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import get_history

from lms import clock, policy
from lms.accreditation.models import AccreditationRecord
from lms.db_types import conflict_insert
from lms.extensions import db
from lms.learning.models import Enrolment
from lms.practice.models import PracticeRecord, SupervisionSession
from lms.processes.models import (
    FeedbackResponse,
    ProcessHarm,
    ProcessOutcome,
    ProcessParticipant,
    ProcessTakeUp,
    RestorativeProcess,
)
from lms.reports.figures import Scope
from lms.reports.models import FigureSnapshot, FigureVersion

T = TypeVar("T")

#: Records a single scheme's figures count: a change to one drops that scheme's snapshots.
SOURCES = (AccreditationRecord, PracticeRecord, SupervisionSession, Enrolment,
           RestorativeProcess, ProcessHarm, ProcessParticipant, ProcessOutcome, ProcessTakeUp,
           FeedbackResponse)
_CHANGED = "lms.reports.changed_schemes"


def max_age_minutes() -> int:
    return int(policy.reports("figures_max_age_minutes"))


def max_age() -> timedelta:
    return timedelta(minutes=max_age_minutes())


# --- Storing figures as JSON ------------------------------------------------------------

_STORABLE: dict[str, type] = {}


def storable(cls: type[T]) -> type[T]:
    """Allow a dataclass in stored figures (only these are rebuilt when read back)."""
    _STORABLE[cls.__qualname__] = cls
    return cls


def encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__qualname__
        if _STORABLE.get(name) is not type(value):
            raise TypeError(f"{name} is not @storable")
        return {"~": name, **{f.name: encode(getattr(value, f.name))
                              for f in dataclasses.fields(value)}}
    if isinstance(value, dict):
        if all(isinstance(key, str) and not key.startswith("~") for key in value):
            return {str(key): encode(item) for key, item in value.items()}
        return {"~items": [[encode(key), encode(item)] for key, item in value.items()]}
    if isinstance(value, tuple):
        return {"~tuple": [encode(item) for item in value]}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, datetime):
        raise TypeError("store dates, not moments")
    if isinstance(value, date):
        return {"~date": value.isoformat()}
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)  # str, str enums and translated labels (already in the page's language)


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "~" in value:
        cls = _STORABLE[value["~"]]
        return cls(**{name: decode(item) for name, item in value.items() if name != "~"})
    if "~items" in value:
        return {_hashable(decode(key)): decode(item) for key, item in value["~items"]}
    if "~tuple" in value:
        return tuple(decode(item) for item in value["~tuple"])
    if "~date" in value:
        return date.fromisoformat(value["~date"])
    return {key: decode(item) for key, item in value.items()}


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


# --- Kept figures -----------------------------------------------------------------------

@dataclass(frozen=True)
class Snapshot(Generic[T]):
    figures: T
    computed_at: datetime


class Materialised(Generic[T]):
    """`compute(scope, *args)` kept as a snapshot; call it for the Snapshot."""

    def __init__(self, kind: str, compute: Callable[..., T]):
        self.kind, self.compute = kind, compute
        functools.update_wrapper(self, compute)

    def __call__(self, scope: Scope, *args: Any) -> Snapshot[T]:
        locale = str(get_locale() or "en")
        schemes = None if scope.scheme_ids is None else sorted(scope.scheme_ids)
        single = schemes[0] if schemes and len(schemes) == 1 else None
        request = {"schemes": schemes, "args": encode(list(args))}
        key = _key(self.kind, locale, request)
        now = clock.utcnow()
        # One row whether or not figures are kept: the scheme's version comes with it (read
        # before computing: a change committed meanwhile leaves these figures stale).
        row = db.session.execute(
            select(FigureSnapshot.figures, FigureSnapshot.computed_at, FigureSnapshot.viewed_on,
                   FigureSnapshot.scheme_version, _version_of(single).label("version"))
            .select_from(select(literal(1)).subquery())
            .outerjoin(FigureSnapshot, FigureSnapshot.key == key)).one()
        if (row.computed_at is not None and row.computed_at > now - max_age()
                and (single is None or row.scheme_version == row.version)):
            try:
                figures = decode(row.figures)
            except (KeyError, TypeError, ValueError):
                pass  # stored by a version whose figures had another shape: compute them
            else:
                if row.viewed_on != now.date():
                    _write(update(FigureSnapshot).where(FigureSnapshot.key == key)
                           .values(viewed_on=now.date()))
                return Snapshot(figures, row.computed_at)
        version = row.version
        figures = self.compute(scope, *args)
        values = {"kind": self.kind, "locale": locale, "request": request, "scheme_id": single,
                  "scheme_version": version, "figures": encode(figures), "computed_at": now,
                  "viewed_on": now.date()}
        _write(_upsert(key, values))
        return Snapshot(figures, now)


def _version_of(scheme_id: int | None):
    """The scheme's FigureVersion (0 before its first change); NULL for several schemes."""
    if scheme_id is None:
        return literal(None, Integer)
    return func.coalesce(select(FigureVersion.version)
                         .where(FigureVersion.scheme_id == scheme_id).scalar_subquery(), 0)


def materialised(kind: str) -> Callable[[Callable[..., T]], Materialised[T]]:
    def register(compute: Callable[..., T]) -> Materialised[T]:
        kept = Materialised(kind, compute)
        _KINDS[kind] = kept
        return kept
    return register


_KINDS: dict[str, Materialised] = {}


def _key(kind: str, locale: str, request: dict) -> str:
    return hashlib.sha256(json.dumps([kind, locale, request, _shape()], sort_keys=True)
                          .encode()).hexdigest()


def _shape() -> str:
    """The stored classes and their fields: a version that changes them keys its figures
    apart (two versions side by side during a deploy never read each other's)."""
    return hashlib.sha256(repr(sorted(
        (name, [f.name for f in dataclasses.fields(cls)]) for name, cls in _STORABLE.items()
    )).encode()).hexdigest()[:16]


def _upsert(key: str, values: dict):
    """Insert or replace: two workers computing the same figures at once both succeed."""
    statement = conflict_insert(FigureSnapshot).values(key=key, **values)
    return statement.on_conflict_do_update(index_elements=["key"], set_=values)


def _write(statement) -> None:
    """On a connection of its own, committed at once: a view reading figures changes
    nothing else, and the page's own session stays as it was."""
    with db.engine.begin() as connection:
        connection.execute(statement)


def drop_unviewed() -> int:
    """Delete kept figures nobody has viewed today or yesterday. Flushes; returns how many."""
    yesterday = clock.utcnow().date() - timedelta(days=1)
    return db.session.execute(delete(FigureSnapshot).where(  # type: ignore[attr-defined]
        FigureSnapshot.viewed_on < yesterday)).rowcount


def due(older_than: timedelta | None = None) -> list:
    """Kept figures computed more than `older_than` ago (half the max age by default), or
    of a scheme changed since: rows of (key, kind, locale, request)."""
    cutoff = clock.utcnow() - (max_age() / 2 if older_than is None else older_than)
    changed = and_(FigureSnapshot.scheme_id.is_not(None),
                   func.coalesce(FigureSnapshot.scheme_version, 0)
                   != func.coalesce(FigureVersion.version, 0))
    return list(db.session.execute(
        select(FigureSnapshot.key, FigureSnapshot.kind, FigureSnapshot.locale,
               FigureSnapshot.request)
        .outerjoin(FigureVersion, FigureVersion.scheme_id == FigureSnapshot.scheme_id)
        .where(or_(FigureSnapshot.computed_at <= cutoff, changed))))


def recompute(key: str, kind: str, locale: str, request: dict) -> bool:
    """Compute one kept figure again (flushes). A kind or arguments this version no longer
    has: the row is dropped instead, and False returned."""
    kept = _KINDS.get(kind)
    try:
        args = decode(request["args"])
    except (KeyError, TypeError, ValueError):
        kept = None
    if kept is None:
        db.session.execute(delete(FigureSnapshot).where(FigureSnapshot.key == key))
        return False
    schemes = request["schemes"]
    single = schemes[0] if schemes and len(schemes) == 1 else None
    version = db.session.scalar(select(_version_of(single)))  # before computing
    began = clock.utcnow()
    with force_locale(locale):
        figures = kept.compute(Scope(None if schemes is None else frozenset(schemes)), *args)
    db.session.execute(update(FigureSnapshot).where(FigureSnapshot.key == key)
                       .values(figures=encode(figures), computed_at=began,
                               scheme_version=version))
    return True


# --- Dropping a scheme's snapshots when its records change ------------------------------

@event.listens_for(Session, "after_flush")
def _note_changed_schemes(session: Session, _context) -> None:
    changed: set[int] = session.info.setdefault(_CHANGED, set())
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, SOURCES):
            history = get_history(obj, "scheme_id")
            changed.update(s for s in chain(history.added, history.unchanged, history.deleted)
                           if s is not None)


@event.listens_for(Session, "before_commit")
def _count_changed_schemes(session: Session) -> None:
    """One more version for each scheme whose counted records this transaction changed:
    its kept figures are stale from the moment it commits."""
    if session.info.get(_CHANGED) is None and not (session.new or session.dirty
                                                   or session.deleted):
        return
    session.flush()
    changed = session.info.pop(_CHANGED, None)
    if changed:
        bump = conflict_insert(FigureVersion).values(
            [{"scheme_id": scheme_id, "version": 1} for scheme_id in sorted(changed)])
        session.execute(bump.on_conflict_do_update(
            index_elements=["scheme_id"],
            set_={"version": FigureVersion.__table__.c.version + 1}))


@event.listens_for(Session, "after_rollback")
def _forget_changes(session: Session) -> None:
    session.info.pop(_CHANGED, None)
