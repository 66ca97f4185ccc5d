"""Detection of identifying details in practitioners' free text (lms.practice.privacy)."""

import itertools
import string

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lms.practice.privacy import (
    ANONYMISE_ADVICE,
    KINDS,
    Finding,
    describe,
    find_identifying_data,
    nhs_check_digit_ok,
)
from lms.privacy.lexicon import is_given_name, is_name


@pytest.fixture(autouse=True)
def clean_database():
    """Pure functions: override the suite's per-test database reset, so these tests
    need no app."""
    return


def found(text):
    return [(f.kind, f.excerpt) for f in find_identifying_data(text)]


POSITIVES = [
    # email
    ("Victim's email is jo@example.org if needed.", "email", "jo@example.org"),
    ("Write to jo.bloggs+rj@mail.example.org.uk.", "email", "jo.bloggs+rj@mail.example.org.uk"),
    ("Contact: A.Khan99@nhs.net.", "email", "A.Khan99@nhs.net"),
    ("(sam_o'neill@example.co.uk)", "email", "sam_o'neill@example.co.uk"),
    ("Email him at dan-r@school-trust.org, he said.", "email", "dan-r@school-trust.org"),
    # uk_phone: mobiles
    ("Her mobile is 07700 900123.", "uk_phone", "07700 900123"),
    ("Call 07700900123 after 5.", "uk_phone", "07700900123"),
    ("Number given: 07700 900 123", "uk_phone", "07700 900 123"),
    ("Text 0770 090 0123 to confirm.", "uk_phone", "0770 090 0123"),
    ("Rang +44 7700 900123 twice.", "uk_phone", "+44 7700 900123"),
    ("Rang +447700900123 twice.", "uk_phone", "+447700900123"),
    ("His number is +44 (0)7700 900123.", "uk_phone", "+44 (0)7700 900123"),
    ("Mum's phone 07700-900-123.", "uk_phone", "07700-900-123"),
    # uk_phone: landlines and non-geographic
    ("Home phone 020 7946 0018.", "uk_phone", "020 7946 0018"),
    ("Landline (020) 7946 0018 only.", "uk_phone", "(020) 7946 0018"),
    ("Called 0113 496 0000 in Leeds.", "uk_phone", "0113 496 0000"),
    ("Try 01632 960000 instead.", "uk_phone", "01632 960000"),
    ("Try (01632) 960000 instead.", "uk_phone", "(01632) 960000"),
    ("Rang +44 20 7946 0018.", "uk_phone", "+44 20 7946 0018"),
    ("Helpline 0300 123 4567.", "uk_phone", "0300 123 4567"),
    ("Freephone 0800 123 4567.", "uk_phone", "0800 123 4567"),
    ("Freephone 0800 123456.", "uk_phone", "0800 123456"),
    ("Old number 0845 600 0000.", "uk_phone", "0845 600 0000"),
    # postcode
    ("She lives near SW1A 1AA now.", "postcode", "SW1A 1AA"),
    ("Moved to M1 1AE last year.", "postcode", "M1 1AE"),
    ("Postcode B33 8TH.", "postcode", "B33 8TH"),
    ("Address ends CR2 6XH.", "postcode", "CR2 6XH"),
    ("Sent to DN55 1PT.", "postcode", "DN55 1PT"),
    ("lives in sw1a1aa", "postcode", "sw1a1aa"),
    ("near W1A 0AX, London", "postcode", "W1A 0AX"),
    ("(EC1A 1BB)", "postcode", "EC1A 1BB"),
    # ni_number
    ("NI number AB 12 34 56 C on the form.", "ni_number", "AB 12 34 56 C"),
    ("His NINO is JG103759A.", "ni_number", "JG103759A"),
    ("ni: ce123456d", "ni_number", "ce123456d"),
    ("Quoted SK 123456 B.", "ni_number", "SK 123456 B"),
    ("Card showed HW123456D, she said.", "ni_number", "HW123456D"),
    ("(TW 98 76 54 A)", "ni_number", "TW 98 76 54 A"),
    # nhs_number: valid check digit, any context
    ("Referral for 943 476 5919 received.", "nhs_number", "943 476 5919"),
    ("Ref 9434765919.", "nhs_number", "9434765919"),
    ("Patient 943-476-5919 attended.", "nhs_number", "943-476-5919"),
    ("ID 401 023 2137 on the letter.", "nhs_number", "401 023 2137"),
    ("Number 398 259 7919 given.", "nhs_number", "398 259 7919"),
    # nhs_number: mistyped (bad check digit) but said to be an NHS number
    ("NHS no: 123 456 7890.", "nhs_number", "123 456 7890"),
    ("NHS number is 943 476 5918", "nhs_number", "943 476 5918"),
    ("his nhs no. 1234567890", "nhs_number", "1234567890"),
    # date_of_birth
    ("DOB 12/03/1985, lives locally.", "date_of_birth", "12/03/1985"),
    ("D.O.B.: 12-03-85", "date_of_birth", "12-03-85"),
    ("Date of birth 12.03.1985.", "date_of_birth", "12.03.1985"),
    ("He was born on 3 March 1985 in Leeds.", "date_of_birth", "3 March 1985"),
    ("born March 3rd, 1985", "date_of_birth", "March 3rd, 1985"),
    ("The young person was born in 2009.", "date_of_birth", "2009"),
    ("Her birthday is on the 3rd of March.", "date_of_birth", "3rd of March"),
    ("dob: 1 Jan 2001", "date_of_birth", "1 Jan 2001"),
    ("Born in March 1990, she is the eldest.", "date_of_birth", "March 1990"),
    # street_address
    ("He lives at 14 Acacia Avenue with his mum.", "street_address", "14 Acacia Avenue"),
    ("Address: Flat 2, 7 Mill Lane.", "street_address", "Flat 2, 7 Mill Lane"),
    ("Visited 3a St Mary's Road.", "street_address", "3a St Mary's Road"),
    ("Outside 10 Downing Street.", "street_address", "10 Downing Street"),
    ("Met at 221 Baker St yesterday.", "street_address", "221 Baker St"),
    ("Moved to 45 Upper Park Close.", "street_address", "45 Upper Park Close"),
    # prison_number
    ("Prison number A1234BC on the file.", "prison_number", "A1234BC"),
    ("Held as G5678HJ at HMP Leeds.", "prison_number", "G5678HJ"),
    ("(K0001AA)", "prison_number", "K0001AA"),
    ("Number: z9876yx.", "prison_number", "z9876yx"),
    ("Transferred, ref. B4321DE.", "prison_number", "B4321DE"),
    # pupil_number
    ("his UPN H801200001001 was on the form", "pupil_number", "H801200001001"),
    ("UPN: A123456789012.", "pupil_number", "A123456789012"),
    ("Referral quoted k801200001001 only.", "pupil_number", "k801200001001"),
    ("(T999999999999)", "pupil_number", "T999999999999"),
    ("The pupil number B12345678901C was given.", "pupil_number", "B12345678901C"),
    # police_reference
    ("police ref 43/12345/25 for the damage", "police_reference", "43/12345/25"),
    ("Crime ref 13/45678/24 applies.", "police_reference", "13/45678/24"),
    ("CAD 4412 was the first call.", "police_reference", "4412"),
    ("URN 43AB1234525 on the file.", "police_reference", "43AB1234525"),
    ("Incident number 2024/556677 was given.", "police_reference", "2024/556677"),
    # vehicle_registration
    ("Her car, registration AB12 CDE, was keyed", "vehicle_registration", "AB12 CDE"),
    ("A white van AX19LMN was seen.", "vehicle_registration", "AX19LMN"),
    ("reg BD51 SMR parked in her space", "vehicle_registration", "BD51 SMR"),
    ("Old car, reg A123 BCD, outside.", "vehicle_registration", "A123 BCD"),
    ("Number plate: ab12 cde.", "vehicle_registration", "ab12 cde"),
    # social_handle
    ("She posted it as @lilmiss_kaylz_x", "social_handle", "@lilmiss_kaylz_x"),
    ("He's on Snapchat as big_k_2004 now.", "social_handle", "big_k_2004"),
    ("tiktok: lil.miss.jess09 posted it", "social_handle", "lil.miss.jess09"),
    ("His gamertag is ShadowKing_77, she said.", "social_handle", "ShadowKing_77"),
    ("insta handle @deano_2k7 shared the clip", "social_handle", "@deano_2k7"),
    # date_and_place
    ("He was assaulted on 3 March 2025 outside the pub.", "date_and_place", "3 March 2025"),
    ("It happened on 12/06/2024 at the park.", "date_and_place", "12/06/2024"),
    ("Robbed on 2nd May near the shops.", "date_and_place", "2nd May"),
    ("The theft on 14/02 at the corner shop upset him.", "date_and_place", "14/02"),
    ("Arrested on 4 July 2024 in Leeds city centre.", "date_and_place", "4 July 2024"),
    # hospital_location
    ("The patient in bed 12 was upset.", "hospital_location", "bed 12"),
    ("Complaint about ward 21 staff.", "hospital_location", "ward 21"),
    ("On Rowan Ward that night.", "hospital_location", "Rowan Ward"),
    ("Moved to bay 3 after the fall.", "hospital_location", "bay 3"),
    ("Patient on Ward 7B complained.", "hospital_location", "Ward 7B"),
    # prison_location
    ("the man in cell 3-14 on C wing", "prison_location", "cell 3-14"),
    ("He is in cell 22 and refuses to come out.", "prison_location", "cell 22"),
    ("Met him at his pad 4/12 before lock-up.", "prison_location", "pad 4/12"),
    ("on landing 2, cell 14 there was a fight", "prison_location", "landing 2, cell 14"),
    ("She said her cell 7 was searched.", "prison_location", "cell 7"),
    # school_class
    ("Pupil is in 9R at the academy.", "school_class", "9R"),
    ("Tutor group 9LM had a circle.", "school_class", "9LM"),
    ("The girls involved are in form 10JH.", "school_class", "10JH"),
    ("Circle in class 6B after lunch.", "school_class", "6B"),
    ("Registration group 8W2 were told.", "school_class", "8W2"),
    # named_place
    ("She goes to St Wilfrid's Academy now.", "named_place", "St Wilfrid's Academy"),
    ("Outside Greggs on the high street.", "named_place", "Greggs"),
    ("They fight outside the Red Lion at weekends.", "named_place", "Red Lion"),
    ("The garage on Ash Road was broken into.", "named_place", "Ash Road"),
    ("He works at Hartley Motors now.", "named_place", "Hartley Motors"),
    # name
    ("Met Jamie at the YOT office", "name", "Jamie"),
    ("and his mum Sharon came too", "name", "Sharon"),
    ("Mrs Patel's form group", "name", "Patel"),
    ("The young person, known as Smudge, apologised.", "name", "Smudge"),
    ("The porter, Dean, had an argument.", "name", "Dean"),
    ("Apology from Kieran Walsh today.", "name", "Kieran Walsh"),
]


@pytest.mark.parametrize(("text", "kind", "excerpt"), POSITIVES)
def test_finds_identifying_data(text, kind, excerpt):
    assert found(text) == [(kind, excerpt)]


def test_every_kind_has_at_least_five_positive_examples():
    for kind in KINDS:
        assert sum(1 for _, k, _ in POSITIVES if k == kind) >= 5, kind


def test_offsets_point_at_the_excerpt():
    text = "Spoke to jo@example.org and then rang 07700 900123."
    for f in find_identifying_data(text):
        assert text[f.start : f.end] == f.excerpt
        assert f.label == KINDS[f.kind]


def test_findings_are_in_text_order_across_kinds():
    text = "Ring 07700 900123, email jo@example.org, post to 14 Acacia Avenue, M1 1AE."
    assert found(text) == [
        ("uk_phone", "07700 900123"),
        ("email", "jo@example.org"),
        ("street_address", "14 Acacia Avenue"),
        ("postcode", "M1 1AE"),
    ]


def test_overlaps_keep_the_more_specific_kind():
    # The domain contains a valid NHS number and the local part a postcode.
    assert found("Mail sw1a1aa@9434765919.com now") == [("email", "sw1a1aa@9434765919.com")]


NEGATIVES = [
    "Met the person harmed on 12/03/2025 for a preparation meeting lasting 2 hours.",
    "Case RJ-2026-7K3QXZ: co-facilitated with a prison officer on wing 3.",
    "Conference at the Crown Court, 14:30, 3 participants, 45 minutes.",
    "Stages 1-4 evidenced; outcome agreement signed.",
    "CPD: 6 hours of training in 2025.",
    "The young person (aged 15) apologised.",
    "Room B12, block C.",
    "Score 10/10.",
    "Reference 1234567890 on the referral form.",
    "Batch 9434765918 checked.",
    "Met on 3 March and again on 17 April 2025.",
    "Preparation over 12 weeks; the conference ran 09:15-11:45.",
    "Observed a circle at Magistrates' Court and at the Crown Court.",
    "Level 2 Court was booked, then wing 3 road was closed.",
    "CO2 levels in the room were high; the IT1 form and the A1 road were mentioned.",
    "Travelled to SW1A for the training.",
    "Year 9 1st session went well; Y9 2nd session next week.",
    "The harmer was born in Leeds. We met on 12/03/2025.",
    "Call 999 in an emergency or 111 for advice; support is 24/7.",
    "Supervision on 2025-03-12 with my supervisor, 1.5 hours.",
    "Facilitated 3 conferences and 2 circles in Q3 2025.",
    "Page 12 of 20, version 1.2.3, section 4.1.",
    "Costs £1,250.00 for 3 days (ref 2025/26).",
    "Used script v2 with both parties in HMP Leeds, wing B, cell 14.",
    "Shuttle mediation: 5 meetings, 7.5 hours in total, outcome 4/5.",
    "The person harmed, their supporter and the officer attended.",
    "Met at 10am; reviewed risk on 01/04/2025; reflective log updated 2 days later.",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_ordinary_practice_text_is_not_flagged(text):
    assert found(text) == []


def test_nhs_check_digit():
    assert nhs_check_digit_ok("9434765919")
    assert not nhs_check_digit_ok("9434765918")
    assert not nhs_check_digit_ok("1234567890")  # check digit would be 10: never issued


# --- property-based ---------------------------------------------------------------

# Random filler words; a lower-case given name ("bina") is itself identifying, so none.
words = st.lists(
    st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=8).filter(
        lambda w: not is_given_name(w)), max_size=5
).map(" ".join)


def embedded(value, before, after):
    return f"{before} {value} {after}".strip()


def assert_found_once(text, kind, value):
    assert found(text) == [(kind, value)]


_label = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=8)
emails = st.builds(
    lambda user, extra, domain, tld: f"{user}{'.' + extra if extra else ''}@{domain}.{tld}",
    _label,
    st.one_of(st.just(""), _label),
    _label,
    st.text(alphabet=string.ascii_lowercase, min_size=2, max_size=6),
)

_MOBILE_FORMATS = [
    "07{0} {1}", "07{0}{1}", "07{0} {2} {3}", "+44 7{0} {1}", "+447{0}{1}",
    "+44 (0)7{0} {1}", "07{0}-{2}-{3}",
]
mobiles = st.builds(
    lambda fmt, d: fmt.format(d[:3], d[3:], d[3:6], d[6:]),
    st.sampled_from(_MOBILE_FORMATS),
    st.text(alphabet=string.digits, min_size=9, max_size=9),
)

_AREA = "ABCDEFGHIJKLMNOPRSTUWYZ"  # first letter: not Q, V, X
_DISTRICT = "ABCDEFGHKLMNOPQRSTUVWXY"  # second letter: not I, J, Z
_UNIT = "ABDEFGHJLNPQRSTUWXYZ"  # inward letters: not C, I, K, M, O, V
_digit = st.sampled_from(string.digits)
outward_codes = st.one_of(
    st.tuples(st.sampled_from(_AREA), _digit),  # A9
    st.tuples(st.sampled_from(_AREA), _digit, _digit),  # A99
    st.tuples(st.sampled_from(_AREA), st.sampled_from(_DISTRICT), _digit),  # AA9
    st.tuples(st.sampled_from(_AREA), st.sampled_from(_DISTRICT), _digit, _digit),  # AA99
    st.tuples(st.sampled_from(_AREA), _digit, st.sampled_from("ABCDEFGHJKPSTUW")),  # A9A
    st.tuples(  # AA9A
        st.sampled_from(_AREA), st.sampled_from(_DISTRICT), _digit,
        st.sampled_from("ABEHMNPRVWXY"),
    ),
).map("".join)
postcodes = st.builds(
    lambda out, space, d, units: f"{out}{space}{d}{units}",
    outward_codes,
    st.sampled_from(["", " "]),
    _digit,
    st.text(alphabet=_UNIT, min_size=2, max_size=2),
)

_NI_FIRST = "ABCEGHJKLMNOPRSTWXYZ"  # not D, F, I, Q, U, V
_NI_SECOND = "ABCEGHJKLMNPRSTWXYZ"  # not D, F, I, O, Q, U, V
ni_prefixes = st.builds(
    str.__add__, st.sampled_from(_NI_FIRST), st.sampled_from(_NI_SECOND)
).filter(lambda p: p not in {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})
ni_numbers = st.builds(
    lambda prefix, d, suffix, spaced: (
        f"{prefix} {d[:2]} {d[2:4]} {d[4:]} {suffix}" if spaced else f"{prefix}{d}{suffix}"
    ),
    ni_prefixes,
    st.text(alphabet=string.digits, min_size=6, max_size=6),
    st.sampled_from("ABCD"),
    st.booleans(),
)


def with_check_digit(nine):
    total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    assume(check != 10)  # such numbers are never issued
    return nine + str(check)


nhs_numbers = st.builds(
    lambda nine, sep: (lambda n: f"{n[:3]}{sep}{n[3:6]}{sep}{n[6:]}")(with_check_digit(nine)),
    st.text(alphabet=string.digits, min_size=9, max_size=9),
    st.sampled_from(["", " ", "-"]),
)


@given(value=emails, before=words, after=words)
def test_any_email_is_found(value, before, after):
    assert_found_once(embedded(value, before, after), "email", value)


@given(value=mobiles, before=words, after=words)
def test_any_mobile_number_is_found(value, before, after):
    assert_found_once(embedded(value, before, after), "uk_phone", value)


@given(value=postcodes, before=words, after=words)
def test_any_postcode_is_found(value, before, after):
    assert_found_once(embedded(value, before, after), "postcode", value)


@given(value=ni_numbers, before=words, after=words)
def test_any_ni_number_is_found(value, before, after):
    assert_found_once(embedded(value, before, after), "ni_number", value)


@given(value=nhs_numbers, before=words, after=words)
def test_any_valid_nhs_number_is_found(value, before, after):
    assert_found_once(embedded(value, before, after), "nhs_number", value)


@given(text=st.text(alphabet=string.ascii_lowercase + " "))
def test_plain_lowercase_words_are_flagged_only_as_given_names(text):
    # A lower-case word can only ever be a name typed without a capital.
    for f in find_identifying_data(text):
        assert f.kind == "name"
        assert all(is_name(w) for w in f.excerpt.split())


@given(text=st.text())
def test_never_raises_and_findings_are_consistent(text):
    findings = find_identifying_data(text)
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    for earlier, later in itertools.pairwise(findings):
        assert earlier.end <= later.start
    for f in findings:
        assert text[f.start : f.end] == f.excerpt
        assert f.label == KINDS[f.kind]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a" * 50_000, 0),
        ("1" * 50_000, 0),
        ("a." * 20_000 + "@", 0),
        ("x@" + "a-" * 20_000, 0),
        ("jo@example.org " * 3000, 3000),
    ],
)
def test_long_adversarial_input_is_handled(text, expected):
    # Inputs that once made a pattern backtrack for seconds; bench/privacy_guard.py times them.
    assert len(find_identifying_data(text)) == expected


# --- describe ---------------------------------------------------------------------


def test_describe_matches_the_form_error_style():
    findings = find_identifying_data("Email jo@example.org or ring 07700 900123.")
    assert describe(findings, "Reflection") == (
        "Remove an email address (\u201cjo@example.org\u201d) and a phone number"
        " (\u201c07700 900123\u201d) from Reflection. " + ANONYMISE_ADVICE
    )


def test_describe_names_each_kind_once_in_order_with_excerpts():
    text = (
        "Ring 07700 900123 or 020 7946 0018, email jo@example.org, DOB 12/03/1985, "
        "then ring 07700 900123 again; M1 1AE."
    )
    message = describe(find_identifying_data(text), "Supervision notes")
    labels = [KINDS[k] for k in ("uk_phone", "email", "date_of_birth", "postcode")]
    positions = [message.index(label) for label in labels]
    assert positions == sorted(positions)
    for label in labels:
        assert message.count(label) == 1
    for excerpt in ("07700 900123", "020 7946 0018", "jo@example.org", "12/03/1985", "M1 1AE"):
        assert f"\u201c{excerpt}\u201d" in message
    assert message.count("07700 900123") == 1  # repeated excerpts are shown once
    assert ", a date of birth" in message
    assert " and a postcode" in message
    assert "from Supervision notes." in message
    assert message.endswith(ANONYMISE_ADVICE)


def test_describe_single_finding():
    finding = Finding("postcode", KINDS["postcode"], 0, 6, "M1 1AE")
    assert describe([finding], "Reflection") == (
        "Remove a postcode (\u201cM1 1AE\u201d) from Reflection. " + ANONYMISE_ADVICE
    )


def test_describe_nothing_found_is_empty():
    assert describe([], "Reflection") == ""


def test_advice_is_one_sentence_about_roles():
    assert ANONYMISE_ADVICE.startswith("Refer to people by their role")
    assert ANONYMISE_ADVICE.endswith(".")
