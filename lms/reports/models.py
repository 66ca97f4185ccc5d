from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.db_types import UTCDateTime
from lms.extensions import Model


class FigureSnapshot(Model):
    """Figures computed once and kept, with when (see lms/reports/snapshots.py)."""
    __tablename__ = "figure_snapshots"

    #: hash of what was asked: the kind of figures, language, schemes and arguments
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    locale: Mapped[str] = mapped_column(String(10))
    #: the one scheme the figures cover, whose changes drop them; None: several or all
    scheme_id: Mapped[int | None] = mapped_column(
        ForeignKey("schemes.id", ondelete="CASCADE"), index=True)
    #: {"schemes": [ids] or None, "args": [...]}: enough to compute them again
    request: Mapped[dict] = mapped_column(JSON)
    figures: Mapped[dict] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: the last day someone looked (written at most once a day): the refresh job keeps
    #: only what is looked at fresh
    viewed_on: Mapped[date] = mapped_column(Date)
    #: the scheme's FigureVersion read before computing (one scheme's figures only)
    scheme_version: Mapped[int | None]


class FigureVersion(Model):
    """How many times a scheme's counted records have changed (committed). Kept figures
    of the scheme are current only while their `scheme_version` equals it: read before
    computing, so a change committed while figures were being computed makes them stale."""
    __tablename__ = "figure_versions"

    scheme_id: Mapped[int] = mapped_column(
        ForeignKey("schemes.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
