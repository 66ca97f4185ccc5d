"""List strings marked in the reports files of session i18n-reports that i18n-reports.po
does not translate (every plural needs its six Welsh forms), and translations whose
placeholders differ from their msgid. The areas session's files are left out; a string it
added to a shared file (the figures form in forms.py) counts as translated when its own
fragment translates it.

    .venv/bin/python i18n-fragments/check_i18n_reports.py    (from the repository root)
"""

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
MINE = tuple(f"templates/reports/{name}.html" for name in (
    "_chart", "_summary", "admin", "bulk", "dashboard", "practitioners")) + tuple(
    f"lms/reports/{name}.py" for name in (
        "bulk_views", "charts", "dashboard", "delivery", "exports", "figures", "forms",
        "overview", "practitioners", "views"))
OTHERS = ("areas.po",)
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
                path in MINE for path, _line in m.locations)]
    with (ROOT / "i18n-fragments/i18n-reports.po").open("rb") as handle:
        fragment = {key(m): m for m in read_po(handle, locale="cy") if m.id}
    others = {}
    for name in OTHERS:
        with (ROOT / "i18n-fragments" / name).open("rb") as handle:
            others.update({key(m): m for m in read_po(handle, locale="cy") if m.id})
    problems = 0
    for message in marked:
        found = fragment.get(key(message)) or others.get(key(message))
        for problem in problems_of(message, found):
            print(f"{problem}: {message.id!r}")
            problems += 1
    print(f"{len(marked)} strings marked, {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
