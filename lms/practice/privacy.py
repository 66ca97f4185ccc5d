"""Spot identifying details of participants in free text before it is saved.

A practice log or supervision note must hold no identifying details of the people in a
restorative process (see DOMAIN.md, "Data protection"). This module finds the kinds of
data that are most likely to identify someone — contact details, ID numbers, dates of
birth, addresses — so a form can refuse the save and say what to remove and where.

Besides those patterns it finds names (from openly licensed name lists, with cues such
as titles and relationships), social-media handles, vehicle registrations, and places
and numbers that point at one person (a cell, a hospital bed, a school form, a named
shop or street where something happened, police and pupil numbers); the detectors live
in `lms.privacy`. Text is normalised first (NFKC, zero-width characters removed, Unicode
digits folded) so disguised contact details are found too.

It is a safety net, not a guarantee, tuned for UK formats and measured on a labelled
corpus (bench/privacy_guard.py): ordinary practice text (session dates, durations, case
codes, "Wing B officers", "the Crown Court", "Year 9", role titles) is kept from being
flagged.
"""

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from lms.i18n import gettext as _
from lms.privacy import numbers, people, places
from lms.privacy.text import normalise


def N_(message: str) -> str:
    """Marks `message` for translation (pybabel finds it) where it is defined as data; it is
    translated where it is shown, in `describe`."""
    return message


@dataclass(frozen=True)
class Finding:
    kind: str  # machine name, one of KINDS keys
    label: str  # human name, e.g. "an email address"
    start: int  # character offset in the text
    end: int
    excerpt: str  # the matched text, as typed
    line: int = 1  # line of the text it starts on


#: kind -> label. Ordered from most to least specific: when two findings overlap, the
#: one whose kind comes first is kept.
KINDS: dict[str, str] = {
    "email": N_("an email address"),
    "nhs_number": N_("an NHS number"),
    "ni_number": N_("a National Insurance number"),
    "pupil_number": N_("a unique pupil number"),
    "prison_number": N_("a prison number"),
    "date_of_birth": N_("a date of birth"),
    "uk_phone": N_("a phone number"),
    "postcode": N_("a postcode"),
    "street_address": N_("a street address"),
    "police_reference": N_("a police crime or reference number"),
    "vehicle_registration": N_("a vehicle registration"),
    "social_handle": N_("a social-media handle"),
    "date_and_place": N_("an exact date with a place"),
    "hospital_location": N_("a hospital ward or bed"),
    "prison_location": N_("a cell or landing"),
    "school_class": N_("a school class or form"),
    "named_place": N_("a named school, workplace, pub, shop or street"),
    "name": N_("a name"),
}

#: What to write instead, per kind of finding (shown once per message).
_PLACE_ADVICE = N_("Describe places in general terms (\u201ca local shop\u201d, \u201ctheir "
                   "school\u201d, \u201cthe ward\u201d, \u201ctheir cell\u201d).")
_NAME_ADVICE = N_("Write the person\u2019s role instead of their name, such as \u201cthe "
                  "person harmed\u201d, \u201cthe young person\u201d or \u201ctheir "
                  "parent\u201d.")
ADVICE: dict[str, str] = {
    "name": _NAME_ADVICE,
    **{kind: _PLACE_ADVICE for kind in ("date_and_place", "hospital_location",
                                        "prison_location", "school_class", "named_place")},
}

ANONYMISE_ADVICE = N_(
    "Refer to people by their role, such as \u201cthe person harmed\u201d, and never record"
    " contact details, dates of birth or ID numbers."
)

# Not preceded / followed by a letter or digit (a word edge that also works after "+").
_START = r"(?<![A-Za-z0-9])"
_END = r"(?![A-Za-z0-9])"

# jo.bloggs+rj@mail.example.org.uk. The look-behind starts a match only at the start of a
# run of local-part characters, which keeps long runs of letters or digits linear.
_EMAIL = re.compile(
    r"(?<![\w.%+'-])[\w.%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)

# 10 digits, optionally grouped 3-3-4 by spaces or hyphens: 943 476 5919, 943-476-5919.
# Kept only if the modulus 11 check digit is right, or "NHS" comes just before it.
_NHS = re.compile(_START + r"\d{3}[ -]?\d{3}[ -]?\d{4}" + _END)
_NHS_CONTEXT = re.compile(r"\bNHS\b(?:\W+\w+){0,3}\W*$", re.IGNORECASE)

# QQ 12 34 56 C style: two prefix letters (official rules), six digits, suffix A-D.
_NI = re.compile(
    _START
    + r"(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    + r" ?\d{2} ?\d{2} ?\d{2} ?[A-D]"
    + _END,
    re.IGNORECASE,
)

# Prison (NOMIS) number: one letter, four digits, two letters, e.g. A1234BC.
_PRISON = re.compile(_START + r"[A-Z]\d{4}[A-Z]{2}" + _END, re.IGNORECASE)

# Dates, in UK order: 12/03/1985, 12-03-85, 12.03.1985, 3 March 1985, 3rd of March,
# March 3rd, 1985, March 1985.
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_DATE = (
    r"(?<!\d)(?:"
    r"(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|1[0-2])[/.-](?:\d{4}|\d{2})(?!\d)"
    rf"|{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?"
    rf"|{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR})?"
    rf"|{_MONTH}\s+{_YEAR}"
    r")"
)
# A date of birth is a date shortly after a cue such as "DOB:", "date of birth",
# "born (on)" or "birthday" (same sentence, within ~20 characters), or a year after
# "born in". Only the date itself is reported.
_DOB_CUE = r"\b(?:d\.?o\.?b\b\.?|date\s+of\s+birth|born|birthday|b'?day)"
_DATE_OF_BIRTH = re.compile(
    rf"{_DOB_CUE}[^.!?\n]{{0,20}}?(?P<date>{_DATE})|\bborn\s+in\s+(?P<year>{_YEAR})\b",
    re.IGNORECASE,
)

# Phone numbers: a leading 0, +44, +44 (0) or 0044, then 10 digits in a common grouping
# (07700 900123, 07700 900 123, 0113 496 0000, 020 7946 0018, 0800 123 4567,
# +44 7700 900123), or a 0800/0808 freephone number with 9 digits (0800 123456).
_PHONE_PREFIX = r"(?:\+44\s?(?:\(0\)\s?)?|0044\s?|0)"
_SEP = r"[ -]?"
_PHONE = re.compile(
    r"(?<![\w+])(?:"
    + _PHONE_PREFIX
    + r"(?:"
    + rf"[1237]\d{{3}}{_SEP}\d{{6}}"
    + rf"|[1237]\d{{3}}{_SEP}\d{{3}}{_SEP}\d{{3}}"
    + rf"|[12378]\d{{2}}{_SEP}\d{{3}}{_SEP}\d{{4}}"
    + rf"|2\d{_SEP}\d{{4}}{_SEP}\d{{4}}"
    + rf"|80[08]{_SEP}\d{{6}}"
    + r")"
    # The same with the area code in brackets: (020) 7946 0018, (01632) 960000.
    + rf"|\(0(?:2\d\)\s?\d{{4}}{_SEP}\d{{4}}"
    + rf"|[12378]\d{{2}}\)\s?\d{{3}}{_SEP}\d{{4}}"
    + rf"|[1237]\d{{3}}\)\s?(?:\d{{6}}|\d{{3}}{_SEP}\d{{3}}))"
    + r")(?!\d)"
)

# Full UK postcodes, with or without the space: M1 1AE, B33 8TH, CR2 6XH, DN55 1PT,
# W1A 0AX, SW1A 1AA. Letters are limited to those Royal Mail uses in each position, so
# "CO2", "A1" or an outward code alone ("SW1A") never match.
_POSTCODE = re.compile(
    _START
    + r"(?P<outward>[A-PR-UWYZ](?:\d[A-HJKPSTUW]?|\d\d|[A-HK-Y]\d[ABEHMNPRVWXY]?|[A-HK-Y]\d\d))"
    + r" ?(?P<inward>\d[ABD-HJLNP-UW-Z]{2})"
    + _END,
    re.IGNORECASE,
)
_ORDINAL = {"1st", "2nd", "3rd"} | {f"{n}th" for n in (0, 4, 5, 6, 7, 8, 9)}

# A house number (optionally after "Flat 2, ") then one to three Capitalised words and a
# street suffix: "14 Acacia Avenue", "Flat 2, 7 Mill Lane", "3a St Mary's Road".
_STREET_SUFFIX = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Close|Drive|Way|Crescent|Court|Place|Gardens"
    r"|Terrace|Grove|Hill|Park|Square)"
)
_STREET_ADDRESS = re.compile(
    r"\b(?:(?:Flat|Apartment|Unit)\s+\d+[A-Za-z]?,?\s+)?"
    r"\d{1,4}[A-Za-z]?,?\s+(?:[A-Z][a-z'\u2019-]*\s+){1,3}"
    + _STREET_SUFFIX
    + r"\b"
)


def nhs_check_digit_ok(digits: str) -> bool:
    """The NHS modulus 11 check: weights 10..2 on the first nine digits."""
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _nhs_ok(match: re.Match, text: str) -> bool:
    digits = re.sub(r"\D", "", match.group())
    if nhs_check_digit_ok(digits):
        return True
    before = text[max(0, match.start() - 40) : match.start()]
    return _NHS_CONTEXT.search(before) is not None


# "10 Crown Court centres" counts courts; it is not an address.
_COURT = re.compile(r"(?:Crown|Magistrates'?|County|Family|Youth|Coroner'?s|High|Royal|Supreme"
                    r"|Combined|Civil|Appeal) Court$")


def _street_ok(match: re.Match, text: str) -> bool:
    return _COURT.search(match.group()) is None


def _postcode_ok(match: re.Match, text: str) -> bool:
    # "Y9 1st" is more likely a year group and an ordinal than a postcode.
    return match.group("inward") not in _ORDINAL


def _always(match: re.Match, text: str) -> bool:
    return True


_Check = Callable[[re.Match, str], bool]
_PATTERNS: dict[str, tuple[re.Pattern, _Check]] = {
    "email": (_EMAIL, _always),
    "nhs_number": (_NHS, _nhs_ok),
    "ni_number": (_NI, _always),
    "prison_number": (_PRISON, _always),
    "date_of_birth": (_DATE_OF_BIRTH, _always),
    "uk_phone": (_PHONE, _always),
    "postcode": (_POSTCODE, _postcode_ok),
    "street_address": (_STREET_ADDRESS, _street_ok),
}

_Finder = Callable[[str], Iterable[tuple[int, int]]]
#: (kind, finder, cue words): a finder runs only when one of its cue words is somewhere in
#: the lower-cased text (a cheap test that keeps a long text fast); () means always.
_FINDERS: list[tuple[str, _Finder, tuple[str, ...]]] = [
    ("email", numbers.obfuscated_emails, ("at", "@")),
    ("ni_number", numbers.ni_numbers_after_cue, ("ni", "n.i", "national insurance")),
    ("pupil_number", numbers.pupil_numbers, ()),
    ("police_reference", numbers.police_references, (
        "/", "crime", "police", "incident", "occurrence", "cad", "urn", "log", "storm",
        "niche", "pnc", "pnd", "custody", "collar", "warrant", "case")),
    ("vehicle_registration", numbers.vehicle_registrations, ()),
    ("social_handle", people.social_handles, (
        "@", "snap", "insta", "ig", "tik", "facebook", "fb", "twitter", "x.com", "youtube",
        "discord", "twitch", "threads", "telegram", "whats", "kik", "reddit", "roblox",
        "xbox", "psn", "gamertag", "user", "handle")),
    ("date_and_place", places.dates_with_places, ()),
    ("uk_phone", numbers.disguised_phone_numbers, ()),
    ("hospital_location", places.hospital_locations, ("bed", "bay", "ward", "side")),
    ("prison_location", places.prison_locations, ("cell", "pad", "landing", "spur")),
    ("school_class", places.school_classes, (
        "form", "class", "tutor", "group", "set ", "academy", "school", "primary", "college",
        "high", "grammar", "infant", "junior", "nursery", "pru", "utc")),
    ("named_place", places.schools, (
        "academy", "school", "primary", "college", "high", "grammar", "infant", "junior",
        "nursery", "sixth form", "pru", "pupil referral", "utc")),
    ("named_place", places.named_places, ()),
    ("name", people.titles_with_names, (
        "mr", "ms", "miss", "mx", "dr", "sir", "dame", "cllr", "councillor", "rev", "prof",
        "sgt", "sergeant", "pc", "dc", "ds", "di", "insp", "officer", "governor", "nurse",
        "coach")),
    ("name", people.relationships_with_names, people.RELATIVE_WORDS),
    ("name", people.nicknames, (
        "known as", "nickname", "goes by", "aka", "a.k.a", "call", "street name", "name is",
        "named")),
    ("name", people.appositive_names, (",",)),
    ("name", people.capitalised_names, ()),
    ("name", people.lowercase_given_names, ()),
]


def _reported_span(match: re.Match) -> tuple[int, int]:
    """The span of the first named group that matched (the date, not its "DOB:" cue),
    or of the whole match for a pattern without named value groups."""
    for name in ("date", "year"):
        if name in match.re.groupindex and match.group(name) is not None:
            return match.span(name)
    return match.span()


def _spans(text: str) -> Iterator[tuple[str, int, int]]:
    for kind, (pattern, check) in _PATTERNS.items():
        for match in pattern.finditer(text):
            if check(match, text):
                yield kind, *_reported_span(match)
    lowered = text.lower()
    for kind, finder, cues in _FINDERS:
        if not cues or any(cue in lowered for cue in cues):
            for start, end in finder(text):
                yield kind, start, end


def _candidates(text: str) -> Iterator[Finding]:
    norm = normalise(text)
    for kind, n_start, n_end in _spans(norm.text):
        start, end = norm.span(n_start, n_end)
        if end > start:
            yield Finding(kind, KINDS[kind], start, end, text[start:end],
                          text.count("\n", 0, start) + 1)


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    """Keep, of any overlapping findings, the one of the more specific kind (then the
    longer one); return them in text order."""
    rank = {kind: i for i, kind in enumerate(KINDS)}
    kept: list[Finding] = []  # in text order, never overlapping
    for f in sorted(findings, key=lambda f: (rank[f.kind], f.start - f.end, f.start)):
        i = bisect.bisect_left(kept, f.start, key=lambda k: k.start)
        clear_before = i == 0 or kept[i - 1].end <= f.start
        clear_after = i == len(kept) or f.end <= kept[i].start
        if clear_before and clear_after:
            kept.insert(i, f)
    return kept


def _joined_names(findings: list[Finding], text: str) -> list[Finding]:
    """"Kieran" and "Walsh" side by side are one name: "Kieran Walsh"."""
    joined: list[Finding] = []
    for f in findings:
        last = joined[-1] if joined else None
        if (last is not None and last.kind == f.kind == "name"
                and text[last.end : f.start] == " " and last.excerpt.count(" ") < 2):
            joined[-1] = Finding(f.kind, f.label, last.start, f.end,
                                 text[last.start : f.end], last.line)
        else:
            joined.append(f)
    return joined


def find_identifying_data(text: str) -> list[Finding]:
    """Likely identifying details in ``text``, in the order they appear."""
    return _joined_names(_without_overlaps(list(_candidates(text))), text)


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return _("%(items)s and %(last)s", items=", ".join(parts[:-1]), last=parts[-1])


def _quoted(excerpt: str) -> str:
    return f"\u201c{excerpt}\u201d"


def describe(findings: list[Finding], field_label: str) -> str:
    """A form error naming each kind of data found (once, in order of appearance) with
    what was typed (and its line, in text of several lines), the field, and what to
    write instead. Empty if none."""
    if not findings:
        return ""
    several_lines = any(f.line > 1 for f in findings)
    excerpts: dict[str, list[str]] = {}
    for f in findings:
        shown = (_("%(excerpt)s on line %(line)d", excerpt=_quoted(f.excerpt), line=f.line)
                 if several_lines else _quoted(f.excerpt))
        seen = excerpts.setdefault(f.kind, [])
        if shown not in seen:
            seen.append(shown)
    parts = [f"{_(KINDS[kind])} ({', '.join(shown)})" for kind, shown in excerpts.items()]
    advice = [_(text) for text in dict.fromkeys(ADVICE[k] for k in excerpts if k in ADVICE)]
    return " ".join([_("Remove %(found)s from %(field)s.", found=_join(parts), field=field_label),
                     *advice, _(ANONYMISE_ADVICE)])
