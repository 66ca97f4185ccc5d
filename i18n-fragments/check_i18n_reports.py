"""List strings marked in the reports area that i18n-reports.po does not translate (every
plural needs its six Welsh forms), and translations whose placeholders differ from their
msgid. Files other sessions own (areas, coverage, tile map) are left out.

    .venv/bin/python i18n-fragments/check_i18n_reports.py    (from the repository root)
"""

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
AREAS = ("lms/reports/", "templates/reports/")
NOT_MINE = ("lms/reports/area", "lms/reports/coverage.py", "lms/reports/tilemap.py")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%")
WELSH_PLURAL_FORMS = 6


def key(message):
    return (message.context, tuple(message.id) if message.pluralizable else message.id)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def problems_of(message, found) -> list[str]:
    if found is None:
        return ["untranslated"]
    if message.pluralizable:
        forms = list(found.string) if isinstance(found.string, tuple | list) else []
        if len(forms) != WELSH_PLURAL_FORMS or not all(forms):
            return [f"needs {WELSH_PLURAL_FORMS} plural forms"]
        # A form may leave the number out ("blwyddyn" for 1) but adds no placeholder.
        wanted = placeholders(message.id[0]) | placeholders(message.id[1])
        return [f"placeholders differ: {text}" for text in forms
                if not placeholders(text) <= wanted]
    if not found.string:
        return ["untranslated"]
    if placeholders(found.string) != placeholders(message.id):
        return [f"placeholders differ: {found.string}"]
    return []


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "x.pot"
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract",  # noqa: S603
                        "-F", "babel.cfg", "-k", "_l", "-k", "lazy_ngettext:1,2",
                        "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
        with pot.open("rb") as handle:
            marked = [m for m in read_po(handle) if m.id and any(
                path.startswith(AREAS) and not path.startswith(NOT_MINE)
                for path, _line in m.locations)]
    with (ROOT / "i18n-fragments/i18n-reports.po").open("rb") as handle:
        fragment = {key(m): m for m in read_po(handle, locale="cy") if m.id}
    problems = 0
    for message in marked:
        for problem in problems_of(message, fragment.get(key(message))):
            print(f"{problem}: {message.id!r}")
            problems += 1
    print(f"{len(marked)} strings marked, {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
