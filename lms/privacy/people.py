"""Names of people, and social-media handles.

Names cannot be told from ordinary words by a pattern, so evidence is combined: a word
on the given-name or surname lists (data/), capitalisation, and cues around it — a title
("Mrs Patel"), a relationship ("his mum Sharon"), a nickname cue ("known as Kaylz"), a
full name ("Sarah Jones"). Words that are also everyday words ("Grace", "May", "Crown")
or places ("Leeds") need one of those cues. Each finder yields (start, end) spans.
"""

import functools
import re
from collections.abc import Iterator

from lms.privacy import lexicon

# A capitalised word, allowing O'Neill, McDonald, Smith-Jones and a possessive 's.
_CAP = r"(?:O'|Mc|Mac)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?:'s|')?"
_WORD = r"[A-Za-z][a-z]+(?:'s)?"

_TITLES = (
    r"Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Cllr|Councillor|Rev|Revd|Reverend|Prof|Professor"
    r"|Sgt|Sergeant|PC|DC|DS|DI|DCI|Insp|Inspector|PCSO|Officer|Governor|Nurse|Coach"
)
_TITLE_NAME = re.compile(
    rf"\b(?:{_TITLES}|mr|mrs|ms|dr)\.?\s+(?P<name>{_WORD}(?:\s+{_CAP})?)"
)

_RELATIVES = (
    r"mum|mother|mam|mom|dad|father|brother|sister|son|daughter|nan|nana|nanna|gran"
    r"|granny|grandma|grandmother|grandad|granddad|grandfather|aunt|auntie|aunty|uncle"
    r"|cousin|niece|nephew|partner|boyfriend|girlfriend|wife|husband|fianc[eé]e?|ex"
    r"|friend|mate|pal|bestie|neighbour|carer|guardian|stepmum|stepdad|stepbrother"
    r"|stepsister|baby|kid|child|teacher|tutor|key ?worker|social worker|support worker"
    r"|youth worker|solicitor|landlord|landlady|boss|manager|cellmate|cellie|pad ?mate"
    r"|co-?defendant|victim|mentor|coach"
)
#: Cue words for the cheap test before the relationship pattern runs.
RELATIVE_WORDS = ("mum", "mother", "mam", "mom", "dad", "father", "brother", "sister", "son",
                  "daughter", "nan", "gran", "aunt", "uncle", "cousin", "niece", "nephew",
                  "partner", "friend", "wife", "husband", "fianc", "ex", "mate", "pal",
                  "bestie", "neighbour", "carer", "guardian", "step", "baby", "kid", "child",
                  "teacher", "tutor", "worker", "solicitor", "land", "boss", "manager",
                  "cell", "pad", "defendant", "victim", "mentor", "coach")
_RELATIONSHIP_NAME = re.compile(
    rf"\b(?:{_RELATIVES})s?\s*,?\s+(?:called\s+|named\s+)?(?P<name>{_WORD})",
    re.IGNORECASE,
)
# Before the relative: whose it is ("his mum", "the victim's sister", "her older brother").
_OWNER_BEFORE = re.compile(
    r"\b(?:his|her|their|my|our|your|the|a|[A-Za-z]+'s)\s+"
    r"(?:(?:older|younger|little|big|baby|twin|late|new|best|foster|step|ex)[- ]?)?$",
    re.IGNORECASE,
)

_NICKNAME = re.compile(
    r"\b(?:known as|nicknamed|nickname|goes by|aka|a\.k\.a\.?|calls (?:him|her|them)self"
    r"|calls (?:him|her|them)|call (?:him|her|them)|street name|name is|named|called)"
    r"\s*[:,]?\s*[\"'\u201c\u2018]?(?P<name>[A-Za-z][\w'-]*)",
    re.IGNORECASE,
)
# After these cues anything capitalised or quoted is taken as a name ("known as Smudge");
# after "called"/"named"/"name is" only a word that is on the name lists.
_QUOTES = "\"'\u201c\u2018"
_STRONG_NICKNAME_CUES = ("known", "nickname", "goes", "aka", "a.k.a", "calls", "call",
                         "street")

_CAPITALISED = re.compile(_CAP)
# Words that introduce an organisation or place named after someone, and words after a
# name that show it names a place ("Victoria Road", "Grace Academy", "HMP Lincoln").
_PLACE_BEFORE = re.compile(r"(?:HMP|HMYOI|YOI|HMPYOI|St\.?|Saint|Port|Fort|Mount|Lake)\s+$")
_PLACE_AFTER = re.compile(
    r"\s+(?:Court|Courts|Crown|Magistrates|Road|Street|Avenue|Lane|Close|Drive|Way|Academy"
    r"|School|College|Primary|High|Hospital|House|Hall|Park|Centre|Center|Station|Prison"
    r"|Ward|Unit|Estate|Square|Gardens|Trust|Council|Police|Constabulary|Service|Team"
    r"|Place|Terrace|Grove|Crescent|Hill|Green|Church|Chapel|Mosque|Library|Surgery"
    r"|Ltd|Limited|plc|University|Infirmary|Clinic|Centre|Arms|Inn|Tavern|Hotel|Club"
    r"|Stadium|Bridge|Building|Tower|Block|Wing|Suite|Room|Lodge|Farm|Mill|Quay|Wharf"
    r"|Village|Town|City|County|Borough|Shire|Region|Area)\b"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|[-*•]\s+|[\"'“(]\s*)$")
# After a sentence starts with a surname-only word, one of these shows it is a person.
_PERSON_VERB = re.compile(
    r"\s+(?:said|says|was|is|has|had|told|kicked|got|refused|punched|hit|shouted|came|went"
    r"|admitted|apologised|agreed|wrote|asked|wanted|felt|cried|left|spoke|explained"
    r"|accepted|declined|threatened|swore|took|stole|arrived|attended|and\s+(?:his|her))\b"
)


def _span(match: re.Match, group: str | int = "name") -> tuple[int, int]:
    start, end = match.span(group)
    text = match.string
    if text[start:end].endswith("'s"):
        end -= 2
    elif text[start:end].endswith("'"):
        end -= 1
    return start, end


def titles_with_names(text: str) -> Iterator[tuple[int, int]]:
    """"Mrs Patel", "Mr Evans", "PC Khan", "Dr Okafor", "mr evans"."""
    for match in _TITLE_NAME.finditer(text):
        first = match.group("name").split()[0]
        if ((first[0].isupper() or lexicon.is_name(first))
                and lexicon.key(first) not in _NOT_AFTER_TITLE):
            yield _span(match)


_NOT_AFTER_TITLE = frozenset({"and", "or", "the", "a", "in", "on", "at", "to", "of", "from",
                              "with", "said", "was", "is", "who", "has", "had", "will"})


def relationships_with_names(text: str) -> Iterator[tuple[int, int]]:
    """"his mum Sharon", "her son, Tyler", "their neighbour called Dave"."""
    for match in _RELATIONSHIP_NAME.finditer(text):
        if not _OWNER_BEFORE.search(text, max(0, match.start() - 30), match.start()):
            continue
        name = match.group("name")
        if name[0].isupper():
            k = lexicon.key(name)
            plain = k not in _FUNCTION_WORDS and not lexicon.is_ordinary(name)
            if plain or (lexicon.is_name(name) and k not in lexicon.places()):
                yield _span(match)
        elif lexicon.is_given_name(name) and not lexicon.is_ordinary(name):
            yield _span(match)


# "The porter, Dean, had...": a name between commas after a role, even an everyday word.
_APPOSITIVE = re.compile(
    r"\b(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir)\s+[a-z]+(?:\s+[a-z]+)?,\s+"
    rf"(?P<name>{_CAP}),"
)


def appositive_names(text: str) -> Iterator[tuple[int, int]]:
    for match in _APPOSITIVE.finditer(text):
        name = match.group("name")
        if lexicon.is_name(name) and lexicon.key(name) not in lexicon.places():
            yield _span(match)


# Capitalised words that may follow "his mum" but are never a name.
_FUNCTION_WORDS = frozenset({
    "the", "a", "an", "and", "but", "or", "so", "then", "when", "who", "she", "he", "they",
    "it", "we", "i", "was", "is", "had", "has", "said", "at", "on", "in", "to", "from",
    "with", "after", "before", "during", "also", "both", "this", "that", "these", "there",
    "not", "did", "does", "came", "went", "felt", "agreed", "attended", "would", "could",
    "should", "might", "will", "were", "as", "if", "for", "because", "while", "although",
    "however", "later", "afterwards", "again", "too", "about", "by", "of", "all", "no",
})


def nicknames(text: str) -> Iterator[tuple[int, int]]:
    """"known as Smudge", "goes by 'Kaylz'", "a lad called Tyler"."""
    for match in _NICKNAME.finditer(text):
        name = match.group("name")
        k = lexicon.key(name)
        if k in _FUNCTION_WORDS or len(k) < 2:
            continue
        cue = match.group().lower()
        quoted = match.group()[match.start("name") - match.start() - 1] in _QUOTES
        strong = cue.startswith(_STRONG_NICKNAME_CUES)
        if (strong and (name[0].isupper() or quoted)) or (quoted and not lexicon.is_ordinary(
                name)) or (lexicon.is_name(name) and not lexicon.is_ordinary(name)):
            yield _span(match)


def _at_sentence_start(text: str, start: int) -> bool:
    return _SENTENCE_START.search(text[max(0, start - 4) : start]) is not None


def _names_a_place(text: str, start: int, end: int) -> bool:
    return (_PLACE_BEFORE.search(text[max(0, start - 8) : start]) is not None
            or _PLACE_AFTER.match(text, end) is not None)


@functools.lru_cache(maxsize=8192)
def _classify(word: str) -> tuple[bool, bool, bool, bool]:
    """(given name, surname, ordinary word, place) for a typed word."""
    k = lexicon.key(word)
    if "-" in k:  # "Stacey-Ann", "Smith-Jones": a name if a part is one
        parts = [_classify(part.capitalize()) for part in k.split("-")]
        given = any(p[0] and not p[2] for p in parts)
        surname = any(p[1] and not p[2] for p in parts)
        return given, surname, not (given or surname), False
    return (k in lexicon.given_names(), k in lexicon.surnames(),
            k in lexicon.ordinary_words(), k in lexicon.places())


def capitalised_names(text: str) -> Iterator[tuple[int, int]]:
    """Given names, and surnames used alone or after a given name, from the lists."""
    previous_end = -2
    previous_was_given = False
    for match in _CAPITALISED.finditer(text):
        given, surname, ordinary, place = _classify(match.group())
        if not (given or surname):
            previous_was_given = False
            continue
        start, end = _span(match, 0)
        follows_given = previous_was_given and text[previous_end:start] == " "
        previous_end, previous_was_given = end, False
        if not (given or surname) or _names_a_place(text, start, end):
            continue
        if given and not ordinary:
            previous_was_given = True
            yield start, end
        elif surname and follows_given and not place:
            yield start, end  # "Sarah Jones", "Jamie Hall"
        elif given and _next_is_surname(text, end):
            previous_was_given = True
            yield start, end  # "Mark Evans": an ordinary-word given name before a surname
        elif surname and not ordinary and (not _at_sentence_start(text, start)
                                           or _PERSON_VERB.match(text, end)):
            yield start, end  # "told Wilson to", "Jones said"


_NEXT_WORD = re.compile(r" (" + _CAP + r")")


def _next_is_surname(text: str, end: int) -> bool:
    match = _NEXT_WORD.match(text, end)
    if match is None:
        return False
    k = lexicon.key(match.group(1))
    return (k in lexicon.surnames() and k not in lexicon.ordinary_words()
            and not _names_a_place(text, match.start(1), match.end(1)))


@functools.cache
def _lowercase_candidates() -> frozenset[str]:
    return frozenset(n for n in lexicon.given_names()
                     if len(n) >= 4 and n.isalpha() and n not in lexicon.ordinary_words())


def lowercase_given_names(text: str) -> Iterator[tuple[int, int]]:
    """Given names typed in lower case ("met jamie and his mum"), when the word is not
    also an everyday word."""
    hits = set(_ALL_WORDS.findall(text)) & _lowercase_candidates()
    if not hits:
        return
    pattern = re.compile(r"(?<![\w@.'-])(?:" + "|".join(sorted(hits)) + r")(?:'s)?(?![\w@-])")
    for match in pattern.finditer(text):
        yield _span(match, 0)


_ALL_WORDS = re.compile(r"[a-z]+")

# Social-media handles: "@lilmiss_kaylz_x", or a user name after a platform name
# ("Snapchat: kaylz_99", "on TikTok as tyler.b.2009").
_AT_HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?")
_PLATFORM_HANDLE = re.compile(
    r"\b(?:snap(?:chat)?|insta(?:gram)?|ig|tik ?tok|facebook|fb|twitter|x\.com|youtube"
    r"|discord|twitch|threads|telegram|whats ?app|kik|reddit|roblox|xbox|psn|gamertag"
    r"|username|user name|handle)\b"
    r"(?:\s+(?:account|name|handle|username|user name|gamertag|tag|id|page|profile|story"
    r"|is|was|as|under|called|of|by|from))*\s*[:=-]?\s*(?P<handle>[A-Za-z0-9_.]{3,30})",
    re.IGNORECASE,
)


def social_handles(text: str) -> Iterator[tuple[int, int]]:
    for match in _AT_HANDLE.finditer(text):
        if len(match.group()) > 2:
            yield match.span()
    for match in _PLATFORM_HANDLE.finditer(text):
        handle = match.group("handle").rstrip(".")
        if any(c.isdigit() or c in "_." for c in handle) and not handle.isdigit():
            start = match.start("handle")
            yield start, start + len(handle)
