from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from lms.db_types import UTCDateTime
from lms.extensions import Model


class JobLease(Model):
    """Who is running job `name` now, until when. The primary key makes taking a free
    lease a race only one node can win."""
    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    #: host:pid:random of the run holding it, for the operator reading "already running".
    holder: Mapped[str] = mapped_column(String(120))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
