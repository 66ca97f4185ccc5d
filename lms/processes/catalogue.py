"""The vocabulary of restorative processes (labels, translated) and which parts of it each
setting offers (policy, in courses/processes.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from lms.i18n import lazy_gettext as _l
from lms.practice.models import HARM_CATEGORIES, PROCESS_TYPES

POLICY_FILE = Path(__file__).resolve().parent.parent.parent / "courses" / "processes.yaml"

SETTINGS = {
    "prison": _l("Prison"), "probation": _l("Probation"), "youth justice": _l("Youth justice"),
    "police": _l("Police"), "courts": _l("Courts (before sentence)"), "school": _l("School"),
    "housing": _l("Housing"), "health": _l("Health"), "neighbourhood": _l("Neighbourhood"),
    "community": _l("Community"), "other": _l("Other"),
}
#: Who was involved in the harm, by category (never who they were).
INVOLVEMENTS = {
    "prisoner_prisoner": _l("Prisoner and prisoner"),
    "staff_prisoner": _l("Staff and prisoner"),
    "staff_staff": _l("Staff and staff"),
    "pupil_pupil": _l("Pupil and pupil"),
    "pupil_staff": _l("Pupil and staff"),
    "neighbours": _l("Neighbours"),
    "tenant_staff": _l("Tenant and staff"),
    "patient_staff": _l("Patient or family and staff"),
    "complainant_police": _l("Complainant and police"),
    "victim_offender": _l("Victim and offender"),
    "other": _l("Other"),
}
#: Outcome questions; which a setting asks is policy.
OUTCOMES = {
    "agreement_reached": _l("An outcome agreement was reached"),
    "repeat_incident": _l("A repeat incident between the same people at follow-up"),
    "returned_to_wing": _l("Returned to the wing after an adjudication"),
    "continued_in_education": _l("The pupils involved continued their education in school"),
    "complaint_local_resolution": _l("The complaint was resolved restoratively, outside the "
                                     "formal process"),
    "report_to_court": _l("A report was provided to the court"),
    "resolved_without_complaint": _l("The concern was resolved without a formal complaint"),
}
ANSWERS = {"yes": _l("Yes"), "no": _l("No"), "not_known": _l("Not known yet")}
RECOMMEND = {"yes": _l("Yes"), "no": _l("No"), "unsure": _l("Not sure")}
#: The two sides of a take-up funnel.
PARTIES = {"harmed": _l("People harmed"), "responsible": _l("People responsible")}
#: Funnel stages, in order, then where people declined.
FUNNEL = {
    "offered": _l("Offered a restorative process"),
    "interested": _l("Interested"),
    "met": _l("Met a facilitator"),
    "took_part": _l("Took part"),
    "declined_at_offer": _l("Declined when offered"),
    "declined_after_interest": _l("Declined after showing interest"),
    "declined_after_meeting": _l("Declined after meeting a facilitator"),
}


@dataclass(frozen=True)
class Setting:
    key: str
    types: tuple[str, ...]
    involvements: tuple[str, ...]
    harms: tuple[str, ...]
    outcomes: tuple[str, ...]  # the common outcome questions first


@cache
def _load() -> dict:
    return yaml.safe_load(POLICY_FILE.read_text(encoding="utf-8")) or {}


def check_policy(data: dict | None = None) -> list[str]:
    """Problems in courses/processes.yaml: unknown keys. Empty when it is sound."""
    data = _load() if data is None else data
    problems = []
    vocab = {"types": PROCESS_TYPES, "involvements": INVOLVEMENTS, "harms": HARM_CATEGORIES,
             "outcomes": OUTCOMES}
    for key in data.get("common_outcomes", []):
        if key not in OUTCOMES:
            problems.append(f"common_outcomes: unknown outcome {key!r}")
    for name, setting in (data.get("settings") or {}).items():
        if name not in SETTINGS:
            problems.append(f"settings: unknown setting {name!r}")
        for part, known in vocab.items():
            for key in setting.get(part) or []:
                if key not in known:
                    problems.append(f"settings.{name}.{part}: unknown key {key!r}")
    return problems


def settings() -> dict[str, Setting]:
    data = _load()
    common = tuple(data.get("common_outcomes") or ())
    return {name: Setting(name, tuple(s.get("types") or ()), tuple(s.get("involvements") or ()),
                          tuple(s.get("harms") or ()), common + tuple(s.get("outcomes") or ()))
            for name, s in data["settings"].items()}


def setting(key: str) -> Setting | None:
    return settings().get(key)


def repeat_incident_months() -> int:
    return int(_load()["repeat_incident_months"])


def feedback(key: str):
    """A value from the `feedback:` section, e.g. feedback("satisfaction_scale")."""
    return _load()["feedback"][key]


def outcome_label(key: str) -> str:
    if key == "repeat_incident":
        from lms.i18n import gettext as _
        return _("A repeat incident between the same people within %(months)d months",
                 months=repeat_incident_months())
    return str(OUTCOMES.get(key, key))
