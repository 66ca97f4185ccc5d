"""Numbers and contact details the original patterns miss: vehicle registrations,
unique pupil numbers, police crime and reference numbers, National Insurance numbers
with a cue, and contact details written to slip past a filter ("jo at hotmail dot com",
"0 7 7 0 0 9 0 0 1 2 3", "zero seven seven..."). Each finder yields (start, end) spans.
"""

import re
from collections.abc import Iterator

# Current UK plates: two letters, two digits, three letters ("AB12 CDE"). Older formats
# ("A123 BCD", "ABC 123D") only after a cue, since they look like codes.
_PLATE = re.compile(r"(?<![A-Za-z0-9])[A-HJ-PR-Y]{2}\d{2} ?[A-HJ-PR-Z]{3}(?![A-Za-z0-9])")
_PLATE_CUE = re.compile(
    r"\b(?:reg(?:istration)?(?:\s+(?:no|number|plate))?|number ?plate|plates?|vrm|vehicle"
    r"|car|van|motorbike|moped|bike|taxi)\b\.?\s*(?:was|is|number|no\.?)?\s*[:,-]?\s*"
    r"(?P<plate>[A-Z]{2}\d{2} ?[A-Z]{3}|[A-Z]\d{1,3} ?[A-Z]{3}|[A-Z]{3} ?\d{1,3} ?[A-Z]"
    r"|[A-Z]{1,3} ?\d{1,4})(?![A-Za-z0-9])",
    re.IGNORECASE,
)


def vehicle_registrations(text: str) -> Iterator[tuple[int, int]]:
    yield from (m.span() for m in _PLATE.finditer(text))
    for match in _PLATE_CUE.finditer(text):
        plate = match.group("plate")
        if any(c.isdigit() for c in plate) and any(c.isalpha() for c in plate):
            yield match.span("plate")


# Unique pupil number: a check letter then 12 characters ("H801200001001").
_UPN = re.compile(r"(?<![A-Za-z0-9])[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z](?![A-Za-z0-9])",
                  re.IGNORECASE)
_ELEVEN_DIGITS = re.compile(r"\d{11}")


def pupil_numbers(text: str) -> Iterator[tuple[int, int]]:
    if _ELEVEN_DIGITS.search(text):
        yield from (m.span() for m in _UPN.finditer(text))


# Police: force/serial/year crime numbers ("43/12345/25"), and any number of five or
# more digits after a police cue ("CAD 4412", "crime ref 13254879", "URN 43AB1234525").
_CRIME_NUMBER = re.compile(r"(?<![\d/])\d{2}/\d{3,8}/\d{2,4}(?![\d/])")
_POLICE_CUE = re.compile(
    r"\b(?:crime|police|incident|occurrence|cad|urn|log|storm|niche|pnc|pnd|custody"
    r"|collar|warrant|case)\s*(?:ref(?:erence)?|no|number|num|#)?\.?\s*(?:is|was)?\s*[:#-]?"
    r"\s*(?P<ref>[A-Z0-9][A-Z0-9/-]{3,24})(?![A-Za-z0-9])",
    re.IGNORECASE,
)


_CASE_CODE = re.compile(r"RJ-\d{4}-\w+", re.IGNORECASE)  # this platform's own case codes
_YEAR = re.compile(r"(?:19|20)\d{2}(?:/\d{2})?")


def police_references(text: str) -> Iterator[tuple[int, int]]:
    yield from (m.span() for m in _CRIME_NUMBER.finditer(text))
    for match in _POLICE_CUE.finditer(text):
        ref = match.group("ref")
        if (sum(c.isdigit() for c in ref) >= 4 and not _CASE_CODE.fullmatch(ref)
                and not _YEAR.fullmatch(ref)):
            yield match.span("ref")


# "NI number QQ 12 34 56 C": any two letters after a cue (QQ is the sample prefix).
_NI_CUE = re.compile(
    r"\b(?:NI|N\.I\.|NINO|national insurance)\s*(?:no|number|num)?\.?\s*(?:is|was)?\s*:?"
    r"\s*(?P<ni>[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]?)(?![A-Za-z0-9])",
    re.IGNORECASE,
)


def ni_numbers_after_cue(text: str) -> Iterator[tuple[int, int]]:
    yield from (m.span("ni") for m in _NI_CUE.finditer(text))


# Obfuscated emails: "jo at hotmail dot com", "jo [at] gmail [dot] com", "jo(at)nhs.net",
# "jo @ gmail.com". Found from the "at" outwards, which keeps the search linear.
_AT = re.compile(r"\s*[\[({<]\s*at\s*[\])}>]\s*|\s+at\s+|\s+@\s*|\s*@\s+", re.IGNORECASE)
_USER = re.compile(r"[A-Za-z0-9][\w.+-]{0,63}$")
_DOT = r"(?:\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+|\s*\.\s*)"
_PROVIDERS = (r"gmail|googlemail|hotmail|outlook|live|yahoo|icloud|aol|btinternet"
              r"|sky|virginmedia|protonmail|proton|gmx|ymail|msn|talktalk")
_TLD = r"(?:com|co|uk|org|net|gov|nhs|ac|me|io|info|ie|sch|police|biz)"
_DOMAIN = re.compile(
    rf"[A-Za-z0-9-]{{1,63}}(?:{_DOT}[A-Za-z0-9-]{{1,63}}){{0,4}}?{_DOT}{_TLD}\b"
    rf"|(?:{_PROVIDERS})\b",
    re.IGNORECASE,
)
_PLAIN_WORDS = frozenset({"him", "her", "them", "me", "us", "home", "school", "work",
                          "least", "all", "first", "last", "the", "a", "this", "that",
                          "it", "one", "once", "which", "what", "night", "times", "was",
                          "were", "is", "arrived", "met", "looked", "left", "stayed"})


def obfuscated_emails(text: str) -> Iterator[tuple[int, int]]:
    for at in _AT.finditer(text):
        user = _USER.search(text, max(0, at.start() - 64), at.start())
        domain = _DOMAIN.match(text, at.end())
        if user is None or domain is None or user.group().lower() in _PLAIN_WORDS:
            continue
        if user.start() > 0 and (text[user.start() - 1].isalnum() or
                                 text[user.start() - 1] in "_.+-"):
            continue
        yield user.start(), domain.end()


# Phone numbers with odd separators ("07700.900.123", "0 7 7 0 0 9 0 0 1 2 3").
_SPACED_DIGITS = re.compile(r"(?<![\w+])(?:\+\s?4\s?4|0)(?:[\s.\-_/]{0,2}\d){9,10}(?![\w])")
# Spelled out: "oh seven seven double oh nine..." (nine or more digit words).
_DIGIT_WORD = (r"(?:zero|oh|o|nought|nil|one|two|three|four|five|six|seven|eight|nine"
               r"|double|treble|triple)")
_SPELLED = re.compile(rf"\b{_DIGIT_WORD}(?:[\s,-]+{_DIGIT_WORD}){{8,}}\b", re.IGNORECASE)
_COUNT = {"double": 2, "treble": 3, "triple": 3}


def disguised_phone_numbers(text: str) -> Iterator[tuple[int, int]]:
    for match in _SPACED_DIGITS.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if (digits.startswith("0") and len(digits) == 11) or (
                digits.startswith("44") and len(digits) == 12):
            yield match.span()
    for match in _SPELLED.finditer(text):
        words = re.split(r"[\s,-]+", match.group().lower())
        spelled = sum(1 for w in words if w not in _COUNT) + sum(
            _COUNT[w] - 1 for w in words if w in _COUNT)
        if spelled >= 10:
            yield match.span()
