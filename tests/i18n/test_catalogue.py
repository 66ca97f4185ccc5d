"""The Welsh catalogue is complete: every string marked in the code and templates is in
it, translated, and none is fuzzy (a changed English text waiting for its translator)."""

import subprocess
import sys

from babel.messages.pofile import read_po

from tests.i18n.conftest import ROOT, WELSH, welsh_catalogue


def _extracted(tmp_path):
    """Every msgid marked in lms/ and templates/, extracted as `make translations-update`
    does."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_ngettext:1,2", "--no-location", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as f:
        return read_po(f)


def _key(message) -> str:
    return message.id[0] if isinstance(message.id, tuple | list) else message.id


def test_no_welsh_entry_is_untranslated_or_fuzzy():
    catalogue = welsh_catalogue()
    untranslated, fuzzy = [], []
    for message in catalogue:
        if not message.id:
            continue  # the header
        strings = message.string if isinstance(message.string, tuple | list) else [
            message.string]
        short = message.pluralizable and len(strings) < catalogue.num_plurals
        if short or not all(strings):
            untranslated.append(_key(message))
        if message.fuzzy:
            fuzzy.append(_key(message))
    assert untranslated == [], f"{len(untranslated)} untranslated in {WELSH}/messages.po: " \
        + "; ".join(untranslated[:50])
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {WELSH}/messages.po: " + "; ".join(fuzzy[:50])


def test_the_welsh_catalogue_has_six_plural_forms():
    catalogue = welsh_catalogue()
    assert catalogue.num_plurals == 6
    assert catalogue.plural_expr.replace(" ", "") == (
        "(n==0?0:n==1?1:n==2?2:n==3?3:n==6?4:5)")


def test_every_marked_string_is_in_the_welsh_catalogue(tmp_path):
    extracted = _extracted(tmp_path)
    welsh = welsh_catalogue()
    missing = sorted({_key(m) for m in extracted if m.id} - {_key(m) for m in welsh if m.id})
    assert len([m for m in extracted if m.id]) > 100  # the extraction found the marked text
    assert missing == [], (
        f"{len(missing)} marked strings are not in the Welsh catalogue "
        "(run `make translations-update` and translate them): " + "; ".join(missing[:60]))
