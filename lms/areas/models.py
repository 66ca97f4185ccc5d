"""Who may see figures across schemes without managing them: a viewer's scopes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms import clock
from lms.auth.models import User
from lms.db_types import UTCDateTime
from lms.extensions import Model
from lms.schemes.models import Scheme

#: What a scope covers: everything, one police force area, one sector or one scheme.
SCOPE_KINDS = ("national", "area", "sector", "scheme")


class ViewerScope(Model):
    """One thing a read-only viewer (a PCC's office, a prison group director, a national
    body) may see figures for. A person with at least one scope is a viewer; they see
    figures and who is accredited in their scopes, never case text."""

    __tablename__ = "viewer_scopes"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'national' AND force_code IS NULL AND sector IS NULL AND scheme_id IS NULL)"
            " OR (kind = 'area' AND force_code IS NOT NULL)"
            " OR (kind = 'sector' AND sector IS NOT NULL)"
            " OR (kind = 'scheme' AND scheme_id IS NOT NULL)",
            name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: One of SCOPE_KINDS.
    kind: Mapped[str] = mapped_column(String(16))
    #: ONS code of the police force area (kind "area"): see lms/areas/data.
    force_code: Mapped[str | None] = mapped_column(String(9))
    #: A Sector value (kind "sector").
    sector: Mapped[str | None] = mapped_column(String(16))
    scheme_id: Mapped[int | None] = mapped_column(
        ForeignKey("schemes.id", ondelete="CASCADE"), index=True)
    granted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    scheme: Mapped[Scheme | None] = relationship()
