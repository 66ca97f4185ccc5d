"""The standards' Welsh (name_cy, summary_cy, note_cy, attestations_cy): checked, shown on
Welsh pages only, and outside the version hash; records show their level in Welsh."""

from flask_babel import force_locale

from lms.accreditation.models import AccreditationRecord, evidence_word
from lms.accreditation.standards import load_standards, local_level_name
from tests.accreditation.test_standards import MINI, problems, read

WELSH = MINI.replace("  code_of_practice: I follow the code.\n",
                     "  code_of_practice: I follow the code.\n"
                     "attestations_cy:\n  code_of_practice: Rwy'n dilyn y cod.\n").replace(
    "    name: First\n", "    name: First\n    name_cy: Cyntaf\n    note: Why.\n"
    "    note_cy: Pam.\n")


def test_welsh_is_accepted_and_makes_no_new_version(tmp_path):
    welsh, english = read(tmp_path, WELSH)[0], read(tmp_path, MINI)[0]
    assert welsh.levels["first"].note_cy == "Pam."
    assert dict(welsh.attestations_cy) == {"code_of_practice": "Rwy'n dilyn y cod."}
    without_note = read(tmp_path, WELSH.replace("    note_cy: Pam.\n", ""))[0]
    assert welsh.content_hash == without_note.content_hash
    assert read(tmp_path, WELSH.replace("attestations_cy:\n  code_of_practice: Rwy'n dilyn "
                                        "y cod.\n", ""))[0].content_hash == welsh.content_hash
    assert english.attestations_cy == {}


def test_welsh_attestation_must_name_a_known_attestation(tmp_path):
    text = WELSH.replace("  code_of_practice: Rwy'n", "  unknown_one: Rwy'n")
    assert problems(tmp_path, text) == [
        (6, "attestation 'unknown_one' in Welsh needs the key of an attestation above and "
            "a sentence")]


def test_names_notes_and_sentences_follow_the_page_language(app, tmp_path):
    standards = read(tmp_path, WELSH)[0]
    first = standards.levels["first"]
    with app.test_request_context():
        with force_locale("cy"):
            assert (first.local_name, first.local_note) == ("Cyntaf", "Pam.")
            assert standards.local_attestations() == {"code_of_practice": "Rwy'n dilyn y cod."}
            assert standards.levels["second"].local_name == "Second"  # no Welsh: English
        with force_locale("en"):
            assert (first.local_name, first.local_note) == ("First", "Why.")
            assert standards.local_attestations() == {"code_of_practice": "I follow the code."}


def test_a_record_shows_its_level_in_welsh_and_keeps_its_english_name(app):
    key, level = next((k, lv) for k, lv in load_standards().levels.items() if lv.name_cy)
    record = AccreditationRecord(level_key=key, level_name="Name kept at issue")
    with app.test_request_context():
        with force_locale("cy"):
            assert record.local_level_name == level.name_cy
            assert local_level_name("no-such-level", "Old level") == "Old level"
            assert evidence_word("not yet") != "not yet"
            assert evidence_word("completed on 3 Jan 2026") == "completed on 3 Jan 2026"
            assert evidence_word(3) == 3
        with force_locale("en"):
            assert record.local_level_name == "Name kept at issue"
            assert evidence_word("not yet") == "not yet"
