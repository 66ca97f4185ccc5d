"""Reference data shipped with the app: the 43 police force areas of England and Wales
(with population, for rates per 100,000 people) and the local authorities in each. The
files in lms/areas/data name their sources and years in their headers."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask_babel import get_locale

DATA = Path(__file__).parent / "data"


def _welsh_or(name: str, name_cy: str) -> str:
    """The Welsh name when the page is in Welsh and there is one."""
    return name_cy if name_cy and str(get_locale() or "en") == "cy" else name


@dataclass(frozen=True)
class ForceArea:
    code: str
    name: str
    name_cy: str
    population: int
    population_year: int
    #: Place in the tile-grid map: row 0 is the north, col 0 the west.
    row: int
    col: int
    #: The label drawn on the map's square.
    short: str

    @property
    def in_wales(self) -> bool:
        return self.code.startswith("W")

    def local_name(self) -> str:
        return _welsh_or(self.name, self.name_cy)


@dataclass(frozen=True)
class LocalAuthority:
    code: str
    name: str
    name_cy: str
    force_code: str

    def local_name(self) -> str:
        return _welsh_or(self.name, self.name_cy)


def _rows(filename: str) -> list[dict[str, str]]:
    with (DATA / filename).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


@cache
def force_areas() -> dict[str, ForceArea]:
    """Every police force area by ONS code, in name order."""
    areas = [ForceArea(code=r["code"], name=r["name"], name_cy=r["name_cy"],
                       population=int(r["population"]),
                       population_year=int(r["population_year"]),
                       row=int(r["row"]), col=int(r["col"]), short=r["short"])
             for r in _rows("police_force_areas.csv")]
    return {area.code: area for area in sorted(areas, key=lambda a: a.name)}


@cache
def local_authorities() -> dict[str, LocalAuthority]:
    """Every listed local authority by ONS code, in name order."""
    authorities = [LocalAuthority(code=r["code"], name=r["name"], name_cy=r["name_cy"],
                                  force_code=r["force_code"])
                   for r in _rows("local_authorities.csv")]
    return {la.code: la for la in sorted(authorities, key=lambda la: la.name)}


def force_area(code: str | None) -> ForceArea | None:
    return force_areas().get(code) if code else None


def local_authority(code: str | None) -> LocalAuthority | None:
    return local_authorities().get(code) if code else None


def population_year() -> int:
    return max(area.population_year for area in force_areas().values())
