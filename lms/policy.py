"""Policy values kept as data in courses/policy.yaml (read once per process)."""

from functools import cache
from pathlib import Path

import yaml

POLICY_FILE = Path(__file__).resolve().parent.parent / "courses" / "policy.yaml"


@cache
def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def practice(key: str):
    """A value from the `practice:` section, e.g. practice("supervision_interval_weeks")."""
    return _load(POLICY_FILE)["practice"][key]


def retention(key: str):
    """A value from the `retention:` section, e.g. retention("supervision_notes_years")."""
    return _load(POLICY_FILE)["retention"][key]


def accounts(key: str):
    """A value from the `accounts:` section, e.g. accounts("one_time_password_hours")."""
    return _load(POLICY_FILE)["accounts"][key]


def accreditation(key: str):
    """A value from the `accreditation:` section, e.g. accreditation("cpd_audit_sample_share")."""
    return _load(POLICY_FILE)["accreditation"][key]


def portfolio(key: str):
    """A value from the `portfolio:` section, e.g. portfolio("references")."""
    return _load(POLICY_FILE)["portfolio"][key]


def evidence_files(key: str):
    """A value from the `evidence_files:` section, e.g. evidence_files("max_megabytes")."""
    return _load(POLICY_FILE)["evidence_files"][key]


def reports(key: str):
    """A value from the `reports:` section, e.g. reports("figures_max_age_minutes")."""
    return _load(POLICY_FILE)["reports"][key]
