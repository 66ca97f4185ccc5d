"""Rebuild given_names.txt, surnames.txt and ordinary_words.txt (see SOURCES.md).

Not used by the app. Run with Faker's wheel unpacked and a dictionary word list:
    python lms/privacy/data/build_name_lists.py /tmp/faker-unpacked \
        /usr/share/dict/british-english
"""

import importlib
import re
import sys
import unicodedata
from pathlib import Path

GIVEN_LOCALES = ["en_GB", "en_US", "en_IE", "en_IN", "en_NZ", "en_PK", "en_NG", "en_KE",
                 "pl_PL", "ro_RO", "lt_LT", "pt_PT", "it_IT", "tr_TR"]
SURNAME_LOCALES = ["en_GB", "en_US", "en_IE", "en_IN", "en_NZ", "en_PK", "en_NG", "en_KE"]
HERE = Path(__file__).parent


def clean(name: str) -> str | None:
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c)).lower()
    return name if re.fullmatch(r"[a-z][a-z'\-]+", name) else None


def names(provider, attributes) -> set[str]:
    found = set()
    for attribute in attributes:
        for name in getattr(provider, attribute, None) or ():
            found |= {c for part in name.split() if (c := clean(part))}
    return found


def main(faker_dir: str, dictionary: str) -> None:
    sys.path.insert(0, faker_dir)
    given, surnames = set(), set()
    for locale in sorted(set(GIVEN_LOCALES) | set(SURNAME_LOCALES)):
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        if locale in GIVEN_LOCALES:
            given |= names(provider, ("first_names", "first_names_male",
                                      "first_names_female", "first_names_nonbinary"))
        if locale in SURNAME_LOCALES:
            surnames |= names(provider, ("last_names",))
    words = {w.strip().replace("'s", "") for w in
             Path(dictionary).read_text(encoding="utf-8").splitlines() if w[:1].islower()}
    for filename, values in (("given_names.txt", given), ("surnames.txt", surnames),
                             ("ordinary_words.txt", (given | surnames) & words)):
        (HERE / filename).write_text("\n".join(sorted(values)) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
