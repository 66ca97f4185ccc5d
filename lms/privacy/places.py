"""Places that point at a person: a cell, a hospital bed, a school form, a named shop,
pub, workplace, school or street where something happened, and an exact date of an
offence or birth given together with a place. Each finder yields (start, end) spans.

A place on its own is ordinary case language ("Wing B officers", "the ward", "the Crown
Court", "Year 9"); these patterns need the number or name that narrows it to someone.
"""

import re
from collections.abc import Iterator

_CAP = r"(?:St\.?\s|O'|Mc|Mac)?[A-Z][\w'&-]*"

# Prison: "cell 3-14" (landing and cell), or "cell 14"/"pad 14" said of someone.
_CELL = re.compile(r"\b(?:cell|pad|room)\s+(?:no\.?\s*)?\d{1,3}(?P<landing>[-/.]\d{1,3})?\b",
                   re.IGNORECASE)
_PERSON_BEFORE = re.compile(
    r"\b(?:he|she|they|him|her|his|their|them|lad|man|woman|prisoner|resident|lads|guy"
    r"|bloke|boy|girl|who|whose)\b(?:'s)?[^.!?\n]{0,25}$",
    re.IGNORECASE,
)
_LANDING = re.compile(r"\b(?:landing|spur)\s+\d{1,2}\b[^.!?\n]{0,20}\b(?:cell|pad)\s+\d{1,3}\b",
                      re.IGNORECASE)


def prison_locations(text: str) -> Iterator[tuple[int, int]]:
    yield from (m.span() for m in _LANDING.finditer(text))
    for match in _CELL.finditer(text):
        if match.group("landing"):
            yield match.span()
        elif not match.group().lower().startswith("room"):
            before = text[max(0, match.start() - 40) : match.start()]
            if _PERSON_BEFORE.search(before):
                yield match.span()


# Hospital: "bed 6", "bay 3", "Ward 21", "ward 7B", "Rowan Ward".
_BED_OR_WARD = re.compile(r"\b(?:bed|bay|side ?room|ward)\s+(?:no\.?\s*)?\d{1,3}[A-Za-z]?\b",
                          re.IGNORECASE)
_WARD_NAME = re.compile(r"\b(?P<name>[A-Z][a-z]+) Ward\b")
_NOT_WARD_NAMES = frozenset({"The", "A", "This", "That", "Each", "Every", "Our", "Their",
                             "His", "Her", "Mrs", "Mr", "Ms", "Miss", "Dr", "Sister",
                             "Nurse", "One", "Any", "Which", "Children's", "Maternity",
                             "Mental", "Psychiatric", "Hospital", "General", "Acute"})


def hospital_locations(text: str) -> Iterator[tuple[int, int]]:
    yield from (m.span() for m in _BED_OR_WARD.finditer(text))
    if "Ward" in text:
        for match in _WARD_NAME.finditer(text):
            if match.group("name") not in _NOT_WARD_NAMES:
                yield match.span()


# Schools: "St Wilfrid's Academy", "Oakfield Primary", "Riverside High School"; a form
# code ("9R", "10JH", "8W2") next to a school or a form/class cue.
_SCHOOL_WORDS = (
    r"(?:Academy|Primary(?:\s+School)?|High(?:\s+School)?|Secondary(?:\s+School)?|School"
    r"|College|Grammar(?:\s+School)?|Infants?(?:\s+School)?|Juniors?(?:\s+School)?"
    r"|Nursery|Sixth Form|PRU|Pupil Referral Unit|Free School|Studio School|UTC)\b"
)
_SCHOOL = re.compile(rf"(?P<name>(?:{_CAP}\s+){{1,4}}){_SCHOOL_WORDS}")
_GENERIC = frozenset({
    "The", "A", "An", "Primary", "Secondary", "High", "Special", "Independent", "Local",
    "Free", "Catholic", "Church", "Faith", "Grammar", "Boarding", "Village", "Junior",
    "Infant", "Middle", "Upper", "Lower", "Community", "State", "Private", "Summer",
    "Sunday", "Virtual", "Their", "His", "Her", "Our", "My", "Your", "Mainstream",
    "Alternative", "New", "Same", "Another", "Other", "Each", "Every", "This", "That",
    "Police", "Training", "Staff", "Further", "Education", "Sixth", "Year", "At", "In",
    "From", "To", "After", "Before", "During", "Whole", "Restorative", "Secure", "Prison",
    "Probation", "Schools", "Academy", "College", "Day", "Residential", "Trust", "Multi",
    "Academies", "Inclusion", "Learning", "Support", "Medical", "Hospital",
})
_FORM_CODE = r"(?:[1-9]|1[0-3])[A-Z]{1,3}\d?"
_FORM_CUE = re.compile(
    r"\b(?i:form|class|tutor group|form group|reg(?:istration)? group|set)\s+"
    rf"(?P<code>{_FORM_CODE})\b"
    rf"|\b(?:in|from|of)\s+(?P<code2>{_FORM_CODE})\b(?=[^.!?\n]{{0,40}}"
    r"(?i:academy|school|primary|college|high|grammar|form|class|tutor)\b)",
)


def schools(text: str) -> Iterator[tuple[int, int]]:
    for match in _SCHOOL.finditer(text):
        words = [w for w in match.group("name").split() if w not in ("St", "St.")]
        if any(w.rstrip("'s") not in _GENERIC and w not in _GENERIC for w in words):
            yield match.span()


def school_classes(text: str) -> Iterator[tuple[int, int]]:
    for match in _FORM_CUE.finditer(text):
        group = "code" if match.group("code") else "code2"
        yield match.span(group)


# Shops, pubs, workplaces and streets, when the text says something happened there.
_WHERE = (r"\b(?i:at|outside|inside|in|near|behind|by|from|opposite|on|to|into|round|"
          r"around|along|down|up|off|past|towards|onto)\s+(?:[Tt]he\s+)?")
_SHOPS = (
    r"Tesco(?:\s+(?:Extra|Express|Metro))?|Asda|Sainsbury's|Sainsburys|Morrisons|Aldi"
    r"|Lidl|Co-op|Coop|Spar|Iceland|Greggs|Boots|Primark|McDonald's|McDonalds|Maccies"
    r"|KFC|Subway|Costa|Starbucks|Poundland|B&M|Home Bargains|JD Sports|JD|Argos|Wilko"
    r"|Currys|Superdrug|Nisa|Londis|One Stop|Premier|Budgens|Farmfoods|Burger King"
    r"|Domino's|Nando's|Wetherspoons?|Spoons|Costcutter|Card Factory|Sports Direct"
    r"|Matalan|TK Maxx|Specsavers|Halfords|B&Q|Screwfix|Pizza Hut|Dunelm|Poundstretcher"
    r"|Waitrose|Marks and Spencer|M&S|Lloyds|Barclays|NatWest|Halifax|Santander"
    r"|William Hill|Ladbrokes|Coral|Betfred|Paddy Power|Post Office|Cash Converters"
)
_SHOP = re.compile(rf"{_WHERE}(?P<place>(?:{_SHOPS})(?:\s+(?:on|in)\s+{_CAP}(?:\s+{_CAP})?)?)\b")
_VENUE_WORDS = (
    r"(?:Arms|Inn|Tavern|Hotel|Pub|pub|Bar|Social Club|Working Men's Club|Club|Stores?"
    r"|Shop|shop|Newsagents?|newsagents?|Off Licence|off licence|Chippy|chippy|Takeaway"
    r"|takeaway|Barbers?|Cafe|Café|Garage|Supermarket|Bakery|Pharmacy|Chemists?|Salon"
    r"|Bookmakers|Launderette|Leisure Centre|Community Centre|Youth Club|Gym|Mosque"
    r"|Church|Surgery|Retail Park|Shopping Centre|Precinct|Arcade|Motors|Ltd|Limited"
    r"|Factory|Warehouse|Depot|Plant|Distribution Centre|Logistics|Car Wash)\b"
)
_VENUE = re.compile(rf"{_WHERE}(?P<place>(?:{_CAP}\s+){{1,3}}{_VENUE_WORDS})")
_PUB = re.compile(
    rf"{_WHERE}(?P<place>(?:Red|White|Black|Golden|Royal|Kings?|Queens?|King's|Queen's"
    r"|Old|Green|Blue|Grey|Rose and|Coach and|Horse and|Fox and|Crown and|George and)\s+"
    r"(?:Lion|Horse|Hart|Bull|Swan|Head|Arms|Oak|Crown|Anchor|Bell|Plough|Star|Dragon"
    r"|Cow|Hound|Hounds|Fox|Feathers|Crown|Horses|Dog|Duck|Eagle|Goat|Ram|Stag|Bear|Boar))\b"
)
_WORKPLACE = re.compile(
    r"\b(?:works|worked|working|work|job|shifts?|employed|apprenticeship|placement)\s+"
    rf"(?:at|for|in|with)\s+(?:the\s+)?(?P<place>{_CAP}(?:\s+{_CAP}){{0,3}})"
)
_STREET_WORDS = (
    r"(?:Street|Road|Avenue|Lane|Close|Drive|Crescent|Grove|Terrace|Gardens|Way|Walk|Row"
    r"|Mews|Rise|Square|Estate|estate|Parade|View|Green|Park|Hill|Place|Vale|Fields"
    r"|Meadows|Flats|flats|Tower|Towers|House|Court Flats|Rec|rec|Playing Fields|Woods"
    r"|Wood|Bridge|Underpass|Subway|Alley|Ginnel|Snicket|Bus Station|Train Station"
    r"|Station|Retail Park|Precinct|Square|Market|Car Park|car park)\b"
)
_STREET = re.compile(rf"{_WHERE}(?P<place>(?:{_CAP}\s+){{1,3}}{_STREET_WORDS})")
_NOT_PLACE_START = frozenset({
    "The", "A", "An", "This", "That", "Our", "Their", "His", "Her", "My", "Your", "Its",
    "Each", "Every", "Same", "Next", "Last", "First", "Second", "Local", "Main", "Crown",
    "Magistrates", "County", "Youth", "Family", "High", "Central", "Wing", "Block",
    "Health", "Housing", "Police", "Probation", "Council", "Restorative", "Victim",
    "Support", "Children's", "Social", "Community", "Hospital", "Prison", "Staff", "Year",
    "Stage", "Section", "Level", "Unit", "Visits", "Healthcare", "Education", "Chaplaincy",
    "Reception", "Segregation", "Care", "Safer", "Custody", "Court", "Training", "Supervision",
    "Team", "Office", "Head", "Deputy", "Senior", "Duty", "Governor", "Zoom", "Teams", "Video",
    "Phone", "Online", "I", "We", "He", "She", "They", "It", "Mental", "Neighbourhood",
    "Mediation", "Conference", "Meeting", "Room", "Outcome", "Risk", "Case", "Adult",
    "National", "Regional", "City", "Town", "Borough", "District", "Area", "North", "South",
    "East", "West", "Upper", "Lower", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday", "HMP", "YOI", "NHS", "CPD", "RJ", "Sports", "Leisure",
})


_PLACE_CUES = {
    _SHOP: tuple(w.lower() for w in re.findall(r"[A-Za-z]{2,}", _SHOPS)),
    _PUB: ("lion", "horse", "hart", "bull", "swan", "head", "arms", "oak", "crown",
           "anchor", "bell", "plough", "star", "dragon", "cow", "hound", "fox", "feathers",
           "dog", "duck", "eagle", "goat", "ram", "stag", "bear", "boar"),
    _WORKPLACE: ("work", "job", "shift", "employed", "apprentice", "placement"),
}


def named_places(text: str) -> Iterator[tuple[int, int]]:
    lowered = text.lower()
    for pattern in (_SHOP, _PUB):
        if any(cue in lowered for cue in _PLACE_CUES[pattern]):
            yield from (m.span("place") for m in pattern.finditer(text))
    for pattern in (_VENUE, _STREET, _WORKPLACE):
        if pattern in _PLACE_CUES and not any(c in lowered for c in _PLACE_CUES[pattern]):
            continue
        for match in pattern.finditer(text):
            first = match.group("place").split()[0]
            if first not in _NOT_PLACE_START:
                yield match.span("place")


# An exact date (day and month) in the same sentence as an offence or birth and a place.
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_EXACT_DATE = re.compile(
    r"(?<!\d)(?:(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|1[0-2])(?:[/.-](?:\d{4}|\d{2}))?(?![\d/])"
    rf"|{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+(?:19|20)\d{{2}})?"
    rf"|{_MONTH}\s+{_DAY}\b(?:,?\s+(?:19|20)\d{{2}})?)",
    re.IGNORECASE,
)
_EVENT_CUE = re.compile(
    r"\b(?:assault\w*|attack\w*|burgl\w*|broke into|break-in|robb\w*|mugg\w*|stab\w*"
    r"|punch\w*|theft|thefts|stole|stolen|steal\w*|shoplift\w*|vandal\w*|criminal damage"
    r"|damaged|keyed|arson|set fire|fight|fought|offence|offences|offense|crime|arrest\w*"
    r"|harass\w*|threaten\w*|hate incident|hit him|hit her|born|birthday|dob|d\.o\.b"
    r"|incident happened|it happened|took place|was hurt|injured)\b",
    re.IGNORECASE,
)
_PLACE_CUE = re.compile(
    r"\b(?:at|in|outside|near|behind|opposite|on)\s+(?:the\s+)?"
    r"(?:[A-Z][a-z]+|[a-z]+\s+(?:shop|pub|park|estate|street|road|school|station|bus stop))"
)
_MONTH_ONLY = re.compile(_MONTH, re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?\n]+")


def dates_with_places(text: str) -> Iterator[tuple[int, int]]:
    if not _EVENT_CUE.search(text):
        return
    for sentence in _SENTENCE.finditer(text):
        body = sentence.group()
        if not _EVENT_CUE.search(body):
            continue
        places = [m for m in _PLACE_CUE.finditer(body)
                  if m.group().split()[-1] not in _NOT_PLACE_START
                  and not _MONTH_ONLY.fullmatch(m.group().split()[-1])]
        if not places:
            continue
        for match in _EXACT_DATE.finditer(body):
            if any(not (p.start() <= match.start() < p.end()) for p in places):
                yield sentence.start() + match.start(), sentence.start() + match.end()
