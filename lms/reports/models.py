from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String
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
