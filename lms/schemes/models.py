"""Schemes (where restorative practice is delivered) and people's roles within them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms import clock
from lms.auth.models import User
from lms.db_types import UTCDateTime
from lms.extensions import Model
from lms.i18n import lazy_gettext as _l


class Sector(enum.StrEnum):
    PRISON = "prison"
    PROBATION = "probation"
    YOUTH_JUSTICE = "youth justice"
    POLICE = "police"
    COURTS = "courts"
    SCHOOL = "school"
    HOUSING = "housing"
    HEALTH = "health"
    COMMUNITY = "community"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The sector's name in the page's language (a lazy string: forms build their
        choices at import time)."""
        return SECTOR_LABELS[self]


class Role(enum.StrEnum):
    TRAINEE = "trainee"
    TRAINER = "trainer"
    SUPERVISOR = "supervisor"
    LEAD = "lead"

    @property
    def label(self) -> str:
        """The role's name in the page's language (a lazy string)."""
        return ROLE_LABELS[self][0]

    @property
    def plural_label(self) -> str:
        """The role's name for several people: "Trainees", "Scheme leads"."""
        return ROLE_LABELS[self][1]


SECTOR_LABELS = {
    Sector.PRISON: _l("Prison"),
    Sector.PROBATION: _l("Probation"),
    Sector.YOUTH_JUSTICE: _l("Youth justice"),
    Sector.POLICE: _l("Police"),
    Sector.COURTS: _l("Courts"),
    Sector.SCHOOL: _l("School"),
    Sector.HOUSING: _l("Housing"),
    Sector.HEALTH: _l("Health"),
    Sector.COMMUNITY: _l("Community"),
    Sector.OTHER: _l("Other"),
}
ROLE_LABELS = {
    Role.TRAINEE: (_l("Trainee"), _l("Trainees")),
    Role.TRAINER: (_l("Trainer"), _l("Trainers")),
    Role.SUPERVISOR: (_l("Case supervisor"), _l("Case supervisors")),
    Role.LEAD: (_l("Scheme lead"), _l("Scheme leads")),
}


REGIONS = (
    "North East",
    "North West",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
    "Wales",
    "National",
)


def _enum(enum_cls, length):
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Scheme(Model):
    __tablename__ = "schemes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    #: Short URL name, e.g. "hmp-northfield".
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    sector: Mapped[Sector] = mapped_column(_enum(Sector, 16))
    region: Mapped[str] = mapped_column(String(64))
    #: ONS code of the police force (PCC) area the scheme serves (lms/areas/data); optional
    #: for schemes created before areas were recorded.
    police_force_code: Mapped[str | None] = mapped_column(String(9), index=True)
    #: ONS code of the local authority, if the scheme serves one (optional).
    local_authority_code: Mapped[str | None] = mapped_column(String(9))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="scheme", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Scheme {self.slug}>"

    def can_manage_people(self, user: User) -> bool:
        return user.is_admin or user.has_role(Role.LEAD, scheme=self)

    def can_view(self, user: User) -> bool:
        return user.is_admin or bool(user.roles_in(self))


class Membership(Model):
    """One role a person holds in one scheme; a person may hold several."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "scheme_id", "role"),
                      # a scheme's members, and the count of them, from the index alone
                      Index("ix_memberships_scheme_user", "scheme_id", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("schemes.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(_enum(Role, 16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    user: Mapped[User] = relationship(back_populates="memberships")
    scheme: Mapped[Scheme] = relationship(back_populates="memberships")
