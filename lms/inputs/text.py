"""Characters that have no place in stored text, and the cleaning applied to it."""

import re
import unicodedata

#: Invisible characters that reorder or hide text (Trojan Source, CVE-2021-42574) and
#: zero-width marks used to make look-alike names. ZWJ/ZWNJ stay: scripts need them.
DIRECTION_AND_INVISIBLE = frozenset(
    "\u061c\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
)
LINE_BREAKS = frozenset("\t\n\r")
_SPACES = re.compile(r"\s+")


def unstorable(value: str) -> bool:
    """NUL (PostgreSQL refuses it in text) or a lone surrogate (not encodable as UTF-8)."""
    return "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value)


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc"


def strip_controls(value: str, *, multiline: bool) -> str:
    """Without control characters. Multi-line text keeps tabs and line breaks; one-line
    text has them turned into spaces (a pasted line break must not reach a header)."""
    if multiline:
        return "".join(ch for ch in value if ch in LINE_BREAKS or not _is_control(ch))
    return "".join(" " if ch in LINE_BREAKS else ch for ch in value
                   if ch in LINE_BREAKS or not _is_control(ch))


def clean_name(value: str | None) -> str | None:
    """A name as shown to others: one line, no control or direction-override characters,
    single spaces."""
    if value is None:
        return None
    visible = "".join(" " if _is_control(ch) else ch for ch in value
                      if ch not in DIRECTION_AND_INVISIBLE)
    return _SPACES.sub(" ", visible).strip()


def header_safe(value: str) -> str:
    """One line for an email header: line breaks and other controls become spaces."""
    return clean_name(value) or ""
