"""Normalise text before matching, keeping a map back to what was typed.

Identifying data is often disguised, on purpose or by a phone keyboard: full-width or
other Unicode digits, zero-width characters inside a number, compatibility forms such as
a full-width at sign. Matching runs on the normalised text; findings are reported on the original.
"""

import unicodedata
from dataclasses import dataclass

# Invisible characters that only hide what a word or number really is.
_INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068"
    "\u2069\u3164\ufeff\uffa0"
)
# Typographic apostrophes and dashes fold to ASCII so one pattern serves both.
_FOLD = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-",
         "\u2012": "-", "\u2013": "-", "\u2212": "-", "\u00a0": " ", "\u202f": " "}


@dataclass(frozen=True)
class Normalised:
    text: str  # what the detectors match on
    origin: list[int]  # origin[i]: index in the original text of text[i]; one extra at end

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original text's span for text[start:end]."""
        if end <= start:
            return self.origin[start], self.origin[start]
        return self.origin[start], self.origin[end - 1] + 1


def _fold(char: str) -> str:
    if char in _INVISIBLE:
        return ""
    if char in _FOLD:
        return _FOLD[char]
    if char.isascii():
        return char
    digit = unicodedata.decimal(char, None)
    if digit is not None:
        return str(digit)
    folded = unicodedata.normalize("NFKC", char)
    # NFKC can expand one character into several ("①" -> "1", "ﬁ" -> "fi"): keep them all.
    return "".join(str(unicodedata.decimal(c)) if unicodedata.decimal(c, None) is not None
                   else c for c in folded if c not in _INVISIBLE)


def normalise(text: str) -> Normalised:
    if text.isascii():
        return Normalised(text, list(range(len(text) + 1)))
    out: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        folded = _fold(char)
        out.append(folded)
        origin.extend([i] * len(folded))
    origin.append(len(text))
    return Normalised("".join(out), origin)
