"""List strings marked in the learning and practice areas that i18n-learning.po does not
translate, and translations whose placeholders differ from their msgid.

    .venv/bin/python i18n-fragments/check_i18n_learning.py    (from the repository root)
"""

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
AREAS = ("lms/learning/", "lms/practice/", "templates/learning/", "templates/practice/")
# Practice records belong to another session's work.
NOT_MINE = ("lms/practice/models.py", "lms/practice/views.py", "lms/practice/forms.py",
            "templates/practice/form.html", "templates/practice/index.html",
            "templates/practice/show.html")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%")


def key(message):
    return tuple(message.id) if message.pluralizable else message.id


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "x.pot"
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract",
                        "-F", "babel.cfg", "-k", "_l", "-o", str(pot), "."], cwd=ROOT,
                       check=True, capture_output=True)
        marked = [m for m in read_po(pot.open("rb")) if m.id and any(
            path.startswith(AREAS) and not path.startswith(NOT_MINE)
            for path, _line in m.locations)]
    fragment = {key(m): m for m in read_po(
        (ROOT / "i18n-fragments/i18n-learning.po").open("rb"), locale="cy") if m.id}
    problems = 0
    for message in marked:
        found = fragment.get(key(message))
        if found is None or not all(found.string if message.pluralizable else [found.string]):
            print("untranslated:", message.id)
            problems += 1
            continue
        wanted = set(PLACEHOLDER.findall(message.id[-1] if message.pluralizable else message.id))
        for text in (found.string if message.pluralizable else [found.string]):
            if message.pluralizable:
                if not set(PLACEHOLDER.findall(text)) <= wanted:
                    print("placeholders differ:", message.id, "->", text)
                    problems += 1
            elif set(PLACEHOLDER.findall(text)) != wanted:
                print("placeholders differ:", message.id, "->", text)
                problems += 1
    print(f"{len(marked)} strings marked, {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
