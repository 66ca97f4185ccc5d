"""The word lists the name detector uses, loaded once from `data/` (see data/SOURCES.md).

Words are stored lower-case and without accents; `key()` turns a typed word into that
form ("O'Neill's" -> "o'neill", "Zoë" -> "zoe").
"""

import unicodedata
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


def _load(name: str) -> frozenset[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@cache
def given_names() -> frozenset[str]:
    return _load("given_names.txt") | _load("nicknames.txt")


@cache
def surnames() -> frozenset[str]:
    return _load("surnames.txt")


@cache
def ordinary_words() -> frozenset[str]:
    """Names that are also everyday or case-record words ("Grace", "Crown", "May"):
    reported only with stronger evidence (a title, a relationship, a full name)."""
    return _load("ordinary_words.txt") | _load("not_names.txt") | _load("places.txt")


@cache
def places() -> frozenset[str]:
    return _load("places.txt")


def key(word: str) -> str:
    word = word.lower().replace("\u2019", "'")
    if word.endswith("'s"):
        word = word[:-2]
    elif word.endswith("'"):
        word = word[:-1]
    if not word.isascii():
        word = "".join(c for c in unicodedata.normalize("NFKD", word)
                       if not unicodedata.combining(c))
    return word


def is_given_name(word: str) -> bool:
    return key(word) in given_names()


def is_surname(word: str) -> bool:
    return key(word) in surnames()


def is_name(word: str) -> bool:
    k = key(word)
    return k in given_names() or k in surnames()


def is_ordinary(word: str) -> bool:
    return key(word) in ordinary_words()
