"""The Welsh catalogue, as tests read it."""

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
WELSH = ROOT / "lms" / "translations" / "cy" / "LC_MESSAGES"


def welsh_catalogue() -> Catalog:
    """The Welsh catalogue as kept in git (messages.po)."""
    with (WELSH / "messages.po").open("rb") as po:
        return read_po(po, locale="cy")


def served_catalogue() -> Catalog:
    """The compiled catalogue the application serves (messages.mo, built by
    `make translations`)."""
    with (WELSH / "messages.mo").open("rb") as mo:
        return read_mo(mo)
