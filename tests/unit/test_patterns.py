"""Tests for deid.patterns: positive and hard-negative tables with hand-written expectations."""

from __future__ import annotations

import re

import pytest

from deid.patterns import DETECTORS, Detector, detect_patterns
from deid.spans import Span


def found(text: str, labels: list[str] | None = None) -> list[tuple[str, str]]:
    """(label, matched substring) for every detected span, in order."""
    return [(s.label, text[s.start : s.end]) for s in detect_patterns(text, labels)]


POSITIVES = [
    # US_SSN
    ("SSN 123-45-6789 on file", [("US_SSN", "123-45-6789")]),
    ("ssn: 123456789.", [("US_SSN", "123456789")]),
    ("Social security number 123 45 6789", [("US_SSN", "123 45 6789")]),
    # PHONE_NUMBER
    ("Call (617) 555-0199 today", [("PHONE_NUMBER", "(617) 555-0199")]),
    ("cell 617.555.0199.", [("PHONE_NUMBER", "617.555.0199")]),
    ("tel:617-555-0199", [("PHONE_NUMBER", "617-555-0199")]),
    ("+1 617-555-0199 ext. 123 (desk)", [("PHONE_NUMBER", "+1 617-555-0199 ext. 123")]),
    ("1-800-555-0199 x42", [("PHONE_NUMBER", "1-800-555-0199 x42")]),
    ("London office +44 20 7946 0958.", [("LOCATION", "London"), ("PHONE_NUMBER", "+44 20 7946 0958")]),
    ("(617)555-0199", [("PHONE_NUMBER", "(617)555-0199")]),
    # FAX_NUMBER: the keyword is outside the span; the phone before it stays a phone
    ("Fax: (617) 555-0101", [("FAX_NUMBER", "(617) 555-0101")]),
    ("Tel 617-555-0100, fax 617-555-0101", [("PHONE_NUMBER", "617-555-0100"), ("FAX_NUMBER", "617-555-0101")]),
    ("fax number is 617.555.0101", [("FAX_NUMBER", "617.555.0101")]),
    ("FAX #: +44 20 7946 0958", [("FAX_NUMBER", "+44 20 7946 0958")]),
    # EMAIL_ADDRESS and URL
    ("email jo.doe+x@mail.example.org.", [("EMAIL_ADDRESS", "jo.doe+x@mail.example.org")]),
    ("see https://portal.example.com/pt?id=7.", [("URL", "https://portal.example.com/pt?id=7")]),
    ("(www.example.org/records)", [("URL", "www.example.org/records")]),
    ("HTTP://EXAMPLE.COM", [("URL", "HTTP://EXAMPLE.COM")]),
    # IP_ADDRESS
    ("from 192.168.1.20.", [("IP_ADDRESS", "192.168.1.20")]),
    ("host 2001:db8::8a2e:370:7334 down", [("IP_ADDRESS", "2001:db8::8a2e:370:7334")]),
    ("v6 2001:0db8:85a3:0000:0000:8a2e:0370:7334", [("IP_ADDRESS", "2001:0db8:85a3:0000:0000:8a2e:0370:7334")]),
    # DATE_TIME
    ("seen 3/4/21 in clinic", [("DATE_TIME", "3/4/21")]),
    ("seen 03/04/2021.", [("DATE_TIME", "03/04/2021")]),
    ("seen 25/12/2021.", [("DATE_TIME", "25/12/2021")]),
    ("seen 03-04-2021", [("DATE_TIME", "03-04-2021")]),
    ("seen 03.04.2021", [("DATE_TIME", "03.04.2021")]),
    ("admit 2021-03-04.", [("DATE_TIME", "2021-03-04")]),
    ("admit 2021-03-04 14:30, stable", [("DATE_TIME", "2021-03-04 14:30")]),
    ("admit 2021-03-04T14:30:00", [("DATE_TIME", "2021-03-04T14:30:00")]),
    ("admit 04-Mar-2021", [("DATE_TIME", "04-Mar-2021")]),
    ("admit 04-Mar-21", [("DATE_TIME", "04-Mar-21")]),
    ("on March 4th we", [("DATE_TIME", "March 4th")]),
    ("on March 4, 2021.", [("DATE_TIME", "March 4, 2021")]),
    ("on 4 March 2021.", [("DATE_TIME", "4 March 2021")]),
    ("on Mar 4 she", [("DATE_TIME", "Mar 4")]),
    ("on Jan. 5th 2020.", [("DATE_TIME", "Jan. 5th 2020")]),
    ("on Sept 30, 2020 at 14:30.", [("DATE_TIME", "Sept 30, 2020 at 14:30")]),
    ("on 3/4/21 2:30 PM", [("DATE_TIME", "3/4/21 2:30 PM")]),
    ("since March 2021", [("DATE_TIME", "March 2021")]),
    ("DOB: MARCH 4, 1931", [("DATE_TIME", "MARCH 4, 1931")]),
    ("seen 2/29/2020", [("DATE_TIME", "2/29/2020")]),
    # keyword-introduced identifiers: the span is the number, never the keyword
    ("MRN: 4471983,", [("MEDICAL_RECORD_NUMBER", "4471983")]),
    ("MR#12345", [("MEDICAL_RECORD_NUMBER", "12345")]),
    ("medical record no. 556677", [("MEDICAL_RECORD_NUMBER", "556677")]),
    ("acct 99812", [("ACCOUNT_NUMBER", "99812")]),
    ("Account #: 4455-22.", [("ACCOUNT_NUMBER", "4455-22")]),
    ("Member ID: XJH123456789", [("HEALTH_PLAN_NUMBER", "XJH123456789")]),
    ("policy no. 99-887766", [("HEALTH_PLAN_NUMBER", "99-887766")]),
    ("subscriber ID W123456", [("HEALTH_PLAN_NUMBER", "W123456")]),
    ("DEA # AB1234563", [("LICENSE_NUMBER", "AB1234563")]),
    ("license # MD12345", [("LICENSE_NUMBER", "MD12345")]),
    ("serial no. PX-55231", [("DEVICE_ID", "PX-55231")]),
    ("pacemaker SN 44X9921", [("DEVICE_ID", "44X9921")]),
    # ZIP codes as LOCATION
    ("Boston, MA 02115", [("LOCATION", "Boston"), ("LOCATION", "02115")]),
    ("New York 10001-1234", [("LOCATION", "10001-1234")]),
    ("ZIP: 02139", [("LOCATION", "02139")]),
    ("zip code 94110", [("LOCATION", "94110")]),
    # AGE over 89
    ("a 93-year-old man", [("AGE", "93-year-old")]),
    ("age 95", [("AGE", "95")]),
    ("95 yo F", [("AGE", "95 yo")]),
    ("aged 91,", [("AGE", "91")]),
    ("a 102 y/o woman", [("AGE", "102 y/o")]),
    ("93 years old", [("AGE", "93 years old")]),
    ("Age: 90", [("AGE", "90")]),
    # unicode and CRLF around a match do not shift offsets
    ("Café ünïcode\r\nMRN 77889900\r\n", [("MEDICAL_RECORD_NUMBER", "77889900")]),
]


HARD_NEGATIVES = [
    "diagnosed in 2015",
    "born 1931, retired",
    "Metoprolol 500 mg daily",
    "K 4.1, Na 140, Hgb 12.5, INR 2.1",
    "BP 120/80, HR 72, RR 16, T 98.6, SpO2 98%",
    "BP 120/80/60",
    "ICD E11.9 and I10",
    "CPT 99213",
    "take 1/2 tab",
    "titrate 5-10-15 mg",
    "May need a refill",
    "on the MAR, given 14 mg",
    "a 45-year-old man, age 67, 89 yo, aged 30",
    "ratio 1:2:3",
    "invalid 13/45/2021",
    "bad SSNs 000-12-3456 666-12-3456 912-34-5678 123-00-4567",
    "not an IP 256.1.1.1 or 1.2.3",
    "MRN is unknown",
    "on account of pain",
    "the policy of the unit",
    "10/10 pain",
    "room 12-34-56",
    "version 1.2.3.4567",
]


@pytest.mark.parametrize(("text", "expected"), POSITIVES)
def test_when_identifier_present_then_detected_exactly(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_when_look_alike_present_then_nothing_detected(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MRN: 4471983", [Span(5, 12, "MEDICAL_RECORD_NUMBER")]),
        ("Fax (617) 555-0101", [Span(4, 18, "FAX_NUMBER")]),
        ("Pt 93-year-old seen 3/4/21", [Span(3, 14, "AGE"), Span(20, 26, "DATE_TIME")]),
        ("", []),
    ],
)
def test_when_detected_then_offsets_are_exact(text: str, expected: list[Span]) -> None:
    assert detect_patterns(text) == expected


def test_when_labels_given_then_only_those_labels_are_returned() -> None:
    text = "MRN 4471983 seen 3/4/21 call 617-555-0199"
    assert found(text, ["DATE_TIME", "PHONE_NUMBER"]) == [("DATE_TIME", "3/4/21"), ("PHONE_NUMBER", "617-555-0199")]
    assert found(text, []) == []


def test_when_detectors_overlap_then_longer_wins_and_ties_go_to_earlier_detector() -> None:
    detectors = [
        Detector("short", "A", re.compile(r"bc")),
        Detector("long", "B", re.compile(r"bcd")),
        Detector("tie_first", "C", re.compile(r"xy")),
        Detector("tie_second", "D", re.compile(r"xy")),
    ]
    assert detect_patterns("abcde xy", detectors=detectors) == [Span(1, 4, "B"), Span(6, 8, "C")]


def test_when_phone_is_also_fax_then_one_span_labelled_fax() -> None:
    assert detect_patterns("fax 617-555-0101") == [Span(4, 16, "FAX_NUMBER")]


def test_when_detector_names_a_missing_group_then_it_is_rejected() -> None:
    with pytest.raises(ValueError, match="lacks"):
        Detector("broken", "ID", re.compile(r"\d+"), group="value")


def test_registry_emits_only_hipaa_labels() -> None:
    from deid.entities import load_entity_set

    assert {d.label for d in DETECTORS} <= set(load_entity_set("hipaa").names)
    assert len({d.name for d in DETECTORS}) == len(DETECTORS)


# Keyword-first: after its keyword a value of the right shape is PHI whatever its digits; the
# numbering-plan and SSA validators gate only bare matches (real notes are full of fake-looking values).
KEYWORD_FIRST = [
    ("SSN: 987-65-4321", [("US_SSN", "987-65-4321")]),
    ("ssn 000-12-3456", [("US_SSN", "000-12-3456")]),
    ("SS# 666-12-3456 on file", [("US_SSN", "666-12-3456")]),
    ("Social Security No. 912 34 5678", [("US_SSN", "912 34 5678")]),
    ("Phone: 123-456-7890", [("PHONE_NUMBER", "123-456-7890")]),
    ("cell (012) 345-6789", [("PHONE_NUMBER", "(012) 345-6789")]),
    ("call her daughter at 111.222.3333", [("PHONE_NUMBER", "111.222.3333")]),
    ("Tel 555-0199", [("PHONE_NUMBER", "555-0199")]),
    ("home phone 1234567890", [("PHONE_NUMBER", "1234567890")]),
    ("Fax: 123-456-7890", [("FAX_NUMBER", "123-456-7890")]),
    ("fax to 555-0101", [("FAX_NUMBER", "555-0101")]),
    ("Member ID: HMO-234567", [("HEALTH_PLAN_NUMBER", "HMO-234567")]),
    ("insurance # AB-987654", [("HEALTH_PLAN_NUMBER", "AB-987654")]),
    ("Medicaid 12345678A", [("HEALTH_PLAN_NUMBER", "12345678A")]),
    ("Group: G12345", [("HEALTH_PLAN_NUMBER", "G12345")]),
    ("Site ID: 0042", [("ID", "0042")]),
    ("study ID SUBJ-0193", [("ID", "SUBJ-0193")]),
    ("employee ID 12345", [("ID", "12345")]),
    ("ID: 8812-33", [("ID", "8812-33")]),
    ("Patient ID: 4471983", [("MEDICAL_RECORD_NUMBER", "4471983")]),
]

# The same fake-looking values with no keyword: only values that pass the validators, or whose
# shape is specific (a parenthesised area code, a letter prefix), are taken.
BARE = [
    ("results 987-65-4321 noted", []),
    ("123-456-7890 and 012.345.6789", []),
    ("(123) 456-7890", [("PHONE_NUMBER", "(123) 456-7890")]),
    ("617-555-0199", [("PHONE_NUMBER", "617-555-0199")]),
    ("card HMO-234567 scanned", [("HEALTH_PLAN_NUMBER", "HMO-234567")]),
    ("ref AB-987654.", [("ID", "AB-987654")]),
    ("pt #XY-123456 transferred", [("ID", "XY-123456")]),
    ("billed CPT-99213 and ICD-10", []),
    ("the #1 priority, bed #12", []),
]


@pytest.mark.parametrize(("text", "expected"), KEYWORD_FIRST)
def test_when_value_follows_its_keyword_then_detected_whatever_its_digits(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(("text", "expected"), BARE)
def test_when_value_has_no_keyword_then_validators_and_shape_decide(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


# Real places from deid.places: multi-word hospital names, counties, and a city right before its state.
PLACES = [
    ("Seen at Massachusetts General Hospital in Boston, MA 02114.",
     [("LOCATION", "Massachusetts General Hospital"), ("LOCATION", "Boston"), ("LOCATION", "02114")]),
    ("moved from Fresno, California last year", [("LOCATION", "Fresno")]),
    ("lives in Atlanta, GA.", [("LOCATION", "Atlanta")]),
    ("NEW YORK, NY", [("LOCATION", "NEW YORK")]),
    ("Resident of Cook County, IL", [("LOCATION", "Cook County")]),
    ("records from Mt. Sinai Medical Center", [("LOCATION", "Mt. Sinai Medical Center")]),
    ("in St. Luke's University Hospital's ED", [("LOCATION", "St. Luke's University Hospital")]),
    ("ED at the mayo clinic today", [("LOCATION", "mayo clinic")]),
    ("Signed J. Walker, MD and Dr. Cook, PA-C; Jackson, MS following.", [("PERSON", "Dr. Cook")]),  # no city
    ("Moved here from Ohio; Normal IN range; Parkinson's disease.", []),
    ("seen at Mass General", [("LOCATION", "Mass General")]),  # a multi-word short form, in title case
    ("seen at mass general", [("LOCATION", "mass general")]),  # a multi-word alias in any case
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), PLACES)
def test_when_a_real_place_is_named_precisely_then_it_is_tagged_and_the_state_is_not(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(text) == expected


@pytest.mark.parametrize("word", ["York", "Yorktown", "New York", "New Yorker Inn"])
def test_literal_trie_matches_each_word_whole_and_nothing_shorter(word: str) -> None:
    from deid.patterns import _literals

    rx = re.compile(_literals(["York", "Yorktown", "New York", "New Yorker Inn"]))
    assert rx.fullmatch(word)
    assert not rx.fullmatch(word[:-1])


# Shapes of numbers and addresses written outside the US conventions the first detectors knew.
MORE_SHAPES = [
    ("Tel +49 30 12345678", [("PHONE_NUMBER", "+49 30 12345678")]),
    ("mobile 55 5555 1234", [("PHONE_NUMBER", "55 5555 1234")]),
    ("phone 020 7946 0958.", [("PHONE_NUMBER", "020 7946 0958")]),
    ("phone ext 12", []),  # too few digits for a number
    ("call back 555-0123", [("PHONE_NUMBER", "555-0123")]),
    ("left msg at 555-0123.", [("PHONE_NUMBER", "555-0123")]),
    ("photos at imgur.com/a/Xc81Lp today", [("URL", "imgur.com/a/Xc81Lp")]),
    ("log in at mychart.example.org.", [("URL", "mychart.example.org")]),
    ("mail jo@example.com", [("EMAIL_ADDRESS", "jo@example.com")]),
    ("see report.pdf and e.g. i.e. Dr.Smith", []),
]


@pytest.mark.parametrize(("text", "expected"), MORE_SHAPES)
def test_when_numbers_and_hosts_take_other_shapes_then_detected(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_when_a_note_has_an_identifier_on_every_line_then_overlap_resolution_work_grows_linearly(bytecodes) -> None:  # noqa: ANN001
    def note(lines: int) -> str:
        return "".join(f"SSN 123-45-{6000 + i % 3000:04d}\n" for i in range(lines))

    small, large = bytecodes(lambda: detect_patterns(note(500))), bytecodes(lambda: detect_patterns(note(2000)))
    assert large < 5 * small  # 4x the spans: linear work is about 4x; comparing each span with every kept one was about 16x


# A big city without its state: after a locative word or before a facility noun; word-like city names
# (Mobile, Independence, Orange) and states are left alone.
CITIES_IN_CONTEXT = [
    ("pt from Tucson, seen in Atlanta last week", [("LOCATION", "Tucson"), ("LOCATION", "Atlanta")]),
    ("a New York clinic", [("LOCATION", "New York")]),
    ("moved to Boston with her son", [("LOCATION", "Boston")]),
    ("the Fresno team called", [("LOCATION", "Fresno")]),
    ("lives in St. Louis.", [("LOCATION", "St. Louis")]),
    ("in independence with ADLs", []),
    ("seen in Mobile unit, orange urine", []),
    ("University of Michigan", []),
    ("Phoenix is calm today", []),
]


@pytest.mark.parametrize(("text", "expected"), CITIES_IN_CONTEXT)
def test_when_a_big_city_is_named_in_context_then_it_is_a_location(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


# Places, times, ages and identifiers by shape and context (none of these texts is from an evaluation set).
IN_CONTEXT = [
    # times of day: two-digit hours, am/pm, a 24-hour time after its word; a titre, a year and a dose are not times
    ("on the MAR at 14:30", [("DATE_TIME", "14:30")]),
    ("glucose checked 06:15 and again at 9:05", [("DATE_TIME", "06:15"), ("DATE_TIME", "9:05")]),
    ("woke at 3 am, called back 11:20 p.m.", [("DATE_TIME", "3 am"), ("DATE_TIME", "11:20 p.m.")]),
    ("repeat lactate due by 0330; family ETA 1745.", [("DATE_TIME", "0330"), ("DATE_TIME", "1745")]),
    ("extubated at 2015 hrs", [("DATE_TIME", "2015 hrs")]),
    ("ANA 1:80, ratio 1:2; since 2018; after 1500 mg load; at 2045 she", []),
    ("seen june 3 and again on september 14, 2023", [("DATE_TIME", "june 3"), ("DATE_TIME", "september 14, 2023")]),
    ("you may 2 tabs", []),
    # ages over 89 opening an HPI; a fever in Fahrenheit and an age up to 89 are not
    ("93M with CHF exacerbation", [("AGE", "93")]),
    ("91 yo F presenting with falls. 92yoM here", [("AGE", "91 yo"), ("AGE", "92")]),
    ("Tmax 102F with chills; 88F with COPD", []),
    # hospitals by a short name
    ("labs drawn at Beth Israel", [("LOCATION", "Beth Israel")]),
    ("transferred to CHOP overnight; records from the Ochsner ED", [("LOCATION", "CHOP"), ("LOCATION", "Ochsner")]),
    ("Duke cardiology team called", [("LOCATION", "Duke")]),
    ("CMC joint arthritis; at CMC joint", []),
    ("CHOP the onions", []),
    # cities: the Bronx, NYC, big cities abroad after a locative, any city of 100,000 in a postal address
    ("EMS from the Bronx; a NYC shelter", [("LOCATION", "Bronx"), ("LOCATION", "NYC")]),
    ("flew in from Nairobi", [("LOCATION", "Nairobi")]),
    ("Calle 10, Medellín 050021, Colombia", [("LOCATION", "Calle 10"), ("LOCATION", "Medellín")]),
    ("12 MG Road, Bengaluru 560001", [("LOCATION", "12 MG Road"), ("LOCATION", "Bengaluru")]),
    ("Rua das Flores 22, Curitiba - PR", [("LOCATION", "Rua das Flores 22"), ("LOCATION", "Curitiba")]),
    ("lives in Aba and sees ABA therapy; Pest control", []),
    # streets and postcodes abroad
    ("Hauptstraße 5, 10115 Berlin", [("LOCATION", "Hauptstraße 5")]),
    ("Rue de Rivoli 88, Paris", [("LOCATION", "Rue de Rivoli 88")]),
    ("Flat 2, Leeds LS1 4DY; Ottawa K2P 1L4", [("LOCATION", "LS1 4DY"), ("LOCATION", "K2P 1L4")]),
    ("T2 FLAIR signal; C5 6 levels", []),
    ("stuck on Route 30 near the exit; hwy 101 crash", [("LOCATION", "Route 30"), ("LOCATION", "hwy 101")]),
    ("route: PO, route of administration", []),
    # account numbers by their EHR names, national identifiers abroad by theirs
    ("FIN 55012345, CSN 880012345", [("ACCOUNT_NUMBER", "55012345"), ("ACCOUNT_NUMBER", "880012345")]),
    ("NHS number 943 476 5919; CPF 123.456.789-09", [("ID", "943 476 5919"), ("ID", "123.456.789-09")]),
    ("SIN 12", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), IN_CONTEXT)
def test_when_a_place_time_age_or_national_id_has_its_context_then_it_is_detected(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


# Street addresses, facilities by name, titles with names, weekdays, dates without a year, early clock times,
# identifiers after more keywords and ages said of a person (none of these texts is from an evaluation set).
MORE_CONTEXT = [
    # US-style street addresses, with directionals, "St." inside a name, numbered streets and units
    ("mail to 410 W. St. James Pl, Apt 2B, then", [("LOCATION", "410 W. St. James Pl, Apt 2B")]),
    ("office at 2200 Ponce de Leon Blvd NE in", [("LOCATION", "2200 Ponce de Leon Blvd NE")]),
    ("lives at 301 E 72nd St with", [("LOCATION", "301 E 72nd St")]),
    ("home Unit 3/15 Ocean Rd, Manly", [("LOCATION", "Unit 3/15 Ocean Rd"), ("LOCATION", "Manly")]),
    ("Given 2 Tylenol. Dr. Sharma saw her", [("PERSON", "Dr. Sharma")]),
    ("June 2, 2021\nAllergies NKDA DR", [("DATE_TIME", "June 2, 2021")]),
    # facilities named before what they are; generic ones are not
    ("discharged to Brightwater Hospice today", [("LOCATION", "Brightwater Hospice")]),
    ("refer to Cardiology Clinic and the Community Hospital", []),
    ("Called Walgreens Pharmacy; CVS on Elm; CVS: RRR", [("LOCATION", "Walgreens Pharmacy"), ("LOCATION", "CVS")]),
    ("records from UCSF and OHSU; R-CHOP cycle 2", [("LOCATION", "UCSF"), ("LOCATION", "OHSU")]),
    ("chart of Avery Hospital #: 8812345", []),  # "Hospital #" is a keyword after a patient's name
    # a title and a name, the title included; a title before a generic word is not a name
    ("spoke with Frau Dr. Weber and Sgt. Alvarez", [("PERSON", "Frau Dr. Weber"), ("PERSON", "Sgt. Alvarez")]),
    ("Mrs. van der Linde's daughter; Dr. Visit summary", [("PERSON", "Mrs. van der Linde")]),
    # a weekday that points at one day; recurring days are not
    ("f/u Weds? no, Thurs 10am or fri", [("DATE_TIME", "Thurs 10am"), ("DATE_TIME", "fri")]),
    ("pt sat in chair; dialysis Mon/Wed/Fri; every Tuesday", []),
    # a month/day without a year after a dating word, or with a time; scores and doses are not dates
    ("adm 10/28, next INR 11/4 0800", [("DATE_TIME", "10/28"), ("DATE_TIME", "11/4 0800")]),
    ("on 3/4 tab; 2/6 systolic murmur; strength 4/5; pain 7/10", []),
    ("at 14:10 on 12/9 by phone", [("DATE_TIME", "14:10 on 12/9")]),
    ("due on the 21st; the 2nd floor; on the 9th of June", [("DATE_TIME", "the 21st"), ("DATE_TIME", "the 9th of June")]),
    # early 24-hour times, and a 19xx/20xx time after ETA
    ("lactate 0545 was 3.1; call ext 0545", [("DATE_TIME", "0545")]),
    ("medic ETA 2010; since 2010", [("DATE_TIME", "2010")]),
    ("see you tomorrow 8:40", [("DATE_TIME", "8:40")]),
    # identifiers after more keywords, digits in groups, plates and VINs, a Chinese mobile number
    ("Claim 7702-1183-04 pending", [("ACCOUNT_NUMBER", "7702-1183-04")]),
    ("subject S-1042 consented", [("ID", "S-1042")]),
    ("NJ DL 31 220 775 on file", [("LICENSE_NUMBER", "31 220 775")]),
    ("tow: plate is KLM 4402; VIN 2T1BURHE5JC034411", [("VEHICLE_ID", "KLM 4402"), ("VEHICLE_ID", "2T1BURHE5JC034411")]),
    ("her son on 139 0011 2233", [("PHONE_NUMBER", "139 0011 2233")]),
    # ages over 89 said of a person or in another language; vitals are not ages
    ("grandma is 97 and lives alone", [("AGE", "97")]),
    ("pt is 96 on 2L; HR is 94", []),
    ("Mme Roux, 92 ans; 患者，男，95岁", [("PERSON", "Mme Roux"), ("AGE", "92 ans"), ("AGE", "95岁")]),
    # a ZIP after a big city without its state; a Mexican colonia
    ("Pittsburgh 15213 area", [("LOCATION", "15213")]),
    ("vive en Col. Del Valle. Su hija", [("LOCATION", "Col. Del Valle")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), MORE_CONTEXT)
def test_when_an_address_facility_title_day_or_keyword_gives_context_then_it_is_detected(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_when_given_names_are_built_from_faker_then_the_committed_list_is_that_build() -> None:
    from deid.patterns.names import _WORD_LIKE, build_given_names, given_names

    committed = list(given_names())
    assert committed == sorted(set(committed)) and not set(committed) & _WORD_LIKE
    # Faker's tables change a little between releases: the committed build must still be (almost all) of them.
    built = set(build_given_names())
    assert len(set(committed) & built) >= 0.95 * max(len(built), len(committed)), "run: python -m deid.patterns.names"


# Names, ages, dates and records in the forms of lists, dictation, faxes and HL7 messages (none of these texts is
# from an evaluation set).
RECORD_FORMS = [
    ("Op note: L THA, PRUITT, Lorraine, 91 yo F.", [("PERSON", "PRUITT, Lorraine"), ("AGE", "91 yo")]),
    ("RE:  OKONJO,  BEATRICE  ;  Hi, Maria; Sincerely, Joan Park", [("PERSON", "OKONJO,  BEATRICE")]),
    ("4|VANCE, R|93F|NPO; 5|LIU, K|88M|NPO", [("PERSON", "VANCE, R"), ("AGE", "93"), ("PERSON", "LIU, K")]),
    ("NO TENDERNESS, A soft abdomen; moved from Crossroads, Virginia", []),
    ("PID|1||5520187^^^MRH^MR||OKAFOR^CHIDI^N||19310407|M", [("ID", "5520187"), ("PERSON", "OKAFOR^CHIDI^N"), ("DATE_TIME", "19310407")]),
    ("this is doctor Helen Marsh dictating; mister Abbott is", [("PERSON", "doctor Helen Marsh"), ("PERSON", "mister Abbott")]),
    ("TO:  DR.  PAULA  KWON   FAX; MS. Flu shot; DR MRI", [("PERSON", "DR.  PAULA  KWON")]),
    ("she is ninety-two; a one hundred year old man; in ninety minutes", [("AGE", "ninety-two"), ("AGE", "one hundred year old")]),
    ("his aunt lived to 97 and he turned 101 in May", [("AGE", "97"), ("AGE", "101"), ("DATE_TIME", "May")]),
    ("s/p L TKA 10/27; labs 11/19 and 12/7", [("DATE_TIME", "10/27"), ("DATE_TIME", "11/19"), ("DATE_TIME", "12/7")]),
    ("GCS 3/15; MoCA 11/30; pain 7/10; 2/14 nodes; 12/12 hours; 3/4 strength", []),
    ("clinic at 88 Beacon St, Salem. Then", [("LOCATION", "88 Beacon St"), ("LOCATION", "Salem")]),
    ("Reached out to the Sikh Center of Fresno; Contacted Hope Church", [("LOCATION", "Sikh Center of Fresno"), ("LOCATION", "Hope Church")]),
    ("next Mon 12/8 around 3 pm CT; Wed 9:15a PT eval", [("DATE_TIME", "Mon 12/8 around 3 pm CT"), ("DATE_TIME", "Wed 9:15a")]),
    ("drawn 12/01/25 0415 by RN", [("DATE_TIME", "12/01/25 0415")]),
    ("accession SP-24-10233; subj 014-2210; EMP 558102 badge", [("ID", "SP-24-10233"), ("ID", "014-2210"), ("ID", "558102")]),
    ("Rx for LUCIA M. ready; Mother Joan Brennan visited", [("PERSON", "LUCIA M."), ("PERSON", "Joan Brennan")]),
    ("WIFE PRIYA NAIR NOTIFIED; son will call", [("PERSON", "PRIYA NAIR")]),
    ("resides at The Willows at Elm Creek.", [("LOCATION", "The Willows at Elm Creek")]),
    ("seen at Banner Del E. Webb Medical Center; Cleveland Clinic for MRN review", [("LOCATION", "Banner Del E. Webb Medical Center"), ("LOCATION", "Cleveland Clinic")]),
    ("mieszka: ul. Polna 12 m. 3, Lublin", [("LOCATION", "ul. Polna 12 m. 3")]),
    ("PK draw time 2215, then", [("DATE_TIME", "2215")]),
    # numbers as scans and dictation write them
    ("call her at 6 1 7 5 5 5 0 1 4 2 comma thanks; grade 1 2 3 4", [("PHONE_NUMBER", "6 1 7 5 5 5 0 1 4 2")]),
    ("FAX:  (3l2) 555-O177; PHONE: 7O8 555 0111", [("FAX_NUMBER", "(3l2) 555-O177"), ("PHONE_NUMBER", "7O8 555 0111")]),
    ("CALL  312 - 555 - 0142  W/ QUESTIONS", [("PHONE_NUMBER", "312 - 555 - 0142")]),
    ("GCS 15 (E4V5M6); mail to H3Z2Y7", [("LOCATION", "H3Z2Y7")]),  # a Glasgow score is no Canadian postcode
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), RECORD_FORMS)
def test_when_a_record_is_written_as_a_list_dictation_fax_or_hl7_then_its_identifiers_are_detected(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


DAYS_TIMES_AGES_AND_NAMES = [
    # a month/day whose month is later than its day is no score ("12/4", "9/2"); "4/5", "3/6", "5/5" still are
    ("echo 12/4 showed EF 35%; strength 4/5, murmur 3/6, reflexes 5/5", [("DATE_TIME", "12/4")]),
    ("refill picked up 9/2 (30 DS) and again 10/8", [("DATE_TIME", "9/2"), ("DATE_TIME", "10/8")]),
    # a four-digit clock time at a sentence's end, or after a logged event (a unit in capitals may come between)
    ("Alert and oriented 0545. Breakfast tray", [("DATE_TIME", "0545")]),
    ("Arrived ICU 1740 from the OR; extubated 2210.", [("DATE_TIME", "1740"), ("DATE_TIME", "2210")]),
    ("since 2019 she walks 2000 steps; given 1000 mL", []),
    # holidays, a weekday with its part of the day, a month alone after its preposition
    ("fell around Memorial Day, seen again after Christmas Eve", [("DATE_TIME", "Memorial Day"), ("DATE_TIME", "Christmas Eve")]),
    ("cough since Tuesday evening; dialysis every Friday night", [("DATE_TIME", "Tuesday evening")]),
    ("moving to Denver in March; the March of Dimes; may call", [("LOCATION", "Denver"), ("DATE_TIME", "March")]),
    # a name after the words that introduce it; an age after a name and a comma; a bed board row
    ("would only give first name 'Dusty' and goes by Bo", [("PERSON", "Dusty"), ("PERSON", "Bo")]),
    ("Resident Mr. Arvid Lindqvist, 96, was found on the floor", [("PERSON", "Mr. Arvid Lindqvist"), ("AGE", "96")]),
    ("Pulse, 96, regular; Sats, 92, on RA", []),
    ("3S-02 NAKAMURA, T 94F UTI\n3S-03 BELL, R 71M CHF", [("PERSON", "NAKAMURA, T"), ("AGE", "94"), ("PERSON", "BELL, R")]),
    ("his aunt is 93 years and lives alone; she is 92.5 kg", [("AGE", "93 years")]),
    # an accession number after "ACC#"; a facility named head first
    ("ACC#: MR26-5521907 read by", [("ID", "MR26-5521907")]),
    ("referred to Hospice of the Western Reserve RN Dana", [("LOCATION", "Hospice of the Western Reserve"), ("PERSON", "Dana")]),
]


@pytest.mark.parametrize(("text", "expected"), DAYS_TIMES_AGES_AND_NAMES)
def test_when_a_day_time_age_or_name_is_written_as_notes_write_it_then_it_is_detected(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


SPOKEN_SPACED_AND_ABROAD = [
    ("call back at four one two five five five zero one eight eight thanks", [("PHONE_NUMBER", "four one two five five five zero one eight eight")]),
    ("our number is 3 1 2, 5 5 5, 0 1 4 7, bye", [("PHONE_NUMBER", "3 1 2, 5 5 5, 0 1 4 7")]),
    ("Tel: (617) 555 - 0142 ok", [("PHONE_NUMBER", "(617) 555 - 0142")]),
    ("家族 携帯 080-5555-1290、연락처 010-5555-7713", [("PHONE_NUMBER", "080-5555-1290"), ("PHONE_NUMBER", "010-5555-7713")]),
    ("please page 6-2210 or call x4-7781", [("PHONE_NUMBER", "6-2210"), ("PHONE_NUMBER", "x4-7781")]),
    ("SSN ending 0932 and last four of SSN: 7781 matched", [("US_SSN", "0932"), ("US_SSN", "7781")]),
    ("SSN verified: 123-45-6789 today", [("US_SSN", "123-45-6789")]),
    ("counted one two three four five six seven eight; 1, 2, 3 sets", []),
]


@pytest.mark.parametrize(("text", "expected"), SPOKEN_SPACED_AND_ABROAD)
def test_when_a_number_is_spoken_spaced_internal_or_foreign_then_it_is_detected(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


SET5_FORMS = [
    # times: after "til", with a one-letter am/pm, an hour with it, after "~", after an event; an ISO time with its zone
    ("can't come til 5:30, visit starts at 3:45p, call before 4p", [("DATE_TIME", "5:30"), ("DATE_TIME", "3:45p"), ("DATE_TIME", "4p")]),
    ("pickup ~1630 today; Foley d/c'd 0915; ~2019 onset; ~1500 mL", [("DATE_TIME", "1630"), ("DATE_TIME", "0915")]),
    ('"ts":"2025-11-02T14:05:09-05:00"', [("DATE_TIME", "2025-11-02T14:05:09-05:00")]),
    ("date of birth six nine forty two, he said", [("DATE_TIME", "six nine forty two")]),
    # ages: after a name in parentheses or with a comma, in words, with "Y"
    ("did Mrs. Adeyemi (93) get her flu shot", [("PERSON", "Mrs. Adeyemi"), ("AGE", "93")]),
    ("Decedent: Walter Okafor, 91 years  Case no. 5", [("AGE", "91 years")]),  # the name is the model's to find
    ("she's ninety-two and lives alone; Smith (95%)", [("AGE", "ninety-two")]),
    ("DOB 03/02/1931 (94Y) Sex M", [("DATE_TIME", "03/02/1931"), ("AGE", "94Y")]),
    # places: a big city in parentheses, a numbered street, Cyrillic streets, CJK hospitals, a pharmacy's store
    # number, a clinic named head first without a preposition
    ("staying in Logan Square (Chicago) for now", [("LOCATION", "Chicago")]),
    ("turn left on 3rd Ave by the park", [("LOCATION", "3rd Ave")]),
    ("адрес: ул. Ленина, д. 5, кв. 17", [("LOCATION", "ул. Ленина, д. 5, кв. 17")]),
    ("東京大学医学部附属病院にて手術", [("LOCATION", "東京大学医学部附属病院")]),
    ("filled at Walgreens #10422 on", [("LOCATION", "Walgreens #10422")]),
    ("cita en Clínica San Rafael mañana", [("LOCATION", "Clínica San Rafael")]),
    # identifiers: national IDs by their name abroad, an MBI, a number after '#' with a prefix and two groups
    ("NIN 12345678901 and 身份证号：110105194912310021", [("ID", "12345678901"), ("ID", "110105194912310021")]),
    ("Medicare MBI 2AB3-CD4-EF56 on file; ref #AB25-04417", [("HEALTH_PLAN_NUMBER", "2AB3-CD4-EF56"), ("ID", "AB25-04417")]),
    # names: signed with a credential; a first name in lower case opening a chat message or after "nvm"
    ("Reviewed. Laura Mendez, MD, Physician Advisor", [("PERSON", "Laura Mendez")]),
    ("priya can u check bed 4\nnvm maria got it\nwill do", [("PERSON", "priya"), ("PERSON", "maria")]),
]


@pytest.mark.parametrize(("text", "expected"), SET5_FORMS)
def test_when_times_ages_places_ids_and_names_take_set_5s_forms_then_they_are_detected(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


CJK_ADDRESSES = [
    ("住址：北京市海淀区中关村大街27号5号楼301室。电话", [("LOCATION", "北京市海淀区中关村大街27号5号楼301室")]),
    ("東京都新宿区西新宿2-8-1に在住", [("LOCATION", "東京都新宿区西新宿2-8-1")]),
    ("주소: 부산광역시 해운대구 센텀로 55, 48058", [("LOCATION", "부산광역시 해운대구 센텀로 55")]),
    ("转入病区，社区医院随访", []),  # a ward and a community hospital are no places
]


@pytest.mark.parametrize(("text", "expected"), CJK_ADDRESSES)
def test_when_an_address_is_written_in_chinese_japanese_or_korean_then_it_is_a_location(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, ["LOCATION"]) == expected


@pytest.mark.parametrize(
    "text",
    ["Mod MR. RVSP 42 mmHg", "Follow up in Fracture Clinic, 3rd floor", "G2P1001 at 28 2/7 wks", "seen in the Breast Center"],
)
def test_when_a_valve_a_specialty_clinic_or_a_gestational_age_is_written_then_no_phi_is_found(text: str) -> None:
    assert found(text) == []


HL7_FIELDS_RANGES_AND_MONTHS = [
    ("MSH|^~\\&|EPIC|MERCY WEST|LAB|MERCY EAST|20251101", [("LOCATION", "MERCY WEST"), ("LOCATION", "MERCY EAST"), ("DATE_TIME", "20251101")]),
    ("stay 11/02-11/06, then rehab", [("DATE_TIME", "11/02-11/06")]),
    ("strength 4/5-5/5 strength", []),
    ("Cr 2.0 from baseline 0.9 (Aug)", [("DATE_TIME", "Aug")]),
]


@pytest.mark.parametrize(("text", "expected"), HL7_FIELDS_RANGES_AND_MONTHS)
def test_when_hl7_fields_a_day_range_or_a_month_in_parentheses_are_written_then_they_are_detected(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


SET6_FORMS = [
    ("PRBC hung 1420, completed 1605; tourniquet up 1342; ETA by air 1645.", [("DATE_TIME", "1420"), ("DATE_TIME", "1605"), ("DATE_TIME", "1342"), ("DATE_TIME", "1645")]),
    ("who gave the 2100 heparin? BP down 1000", [("DATE_TIME", "2100")]),
    ("page the fellow x43118 or x4-7781", [("PHONE_NUMBER", "x43118"), ("PHONE_NUMBER", "x4-7781")]),
    ("inpatient 1/4-1/8/26 then home", [("DATE_TIME", "1/4-1/8/26")]),
    ("Age: 103. hes 94, sharp; she is in her early 90s", [("AGE", "103"), ("AGE", "94"), ("AGE", "early 90s")]),
    ("Пациентка, 92 года, живёт одна", [("AGE", "92 года")]),
    ('{"device_sn":"G7-4KX81PZ","alert":"low"}', [("DEVICE_ID", "G7-4KX81PZ")]),
    ("texted Sunday night. seen until the 20th so", [("DATE_TIME", "Sunday night"), ("DATE_TIME", "the 20th")]),
    ("cita el viernes 6 de marzo a las 9:30 en", [("DATE_TIME", "viernes 6 de marzo a las 9:30")]),
    ("紹介状 令和7年11月3日; 2025년 3월 4일", [("DATE_TIME", "令和7年11月3日"), ("DATE_TIME", "2025년 3월 4일")]),
    ("calls himself Bo (legal name Robert Lane).", [("PERSON", "Bo"), ("PERSON", "Robert Lane")]),
]


@pytest.mark.parametrize(("text", "expected"), SET6_FORMS)
def test_when_times_ages_dates_and_ids_take_set_6s_forms_then_they_are_detected(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


ABROAD = [
    ("Guadalajara, Jal., C.P. 44160; CEP 30160-011; PLZ 10115", [("LOCATION", "44160"), ("LOCATION", "30160-011"), ("LOCATION", "10115")]),
    ("ผู้ป่วย: นางสาวมาลี ศรีสุข ที่อยู่ 45 ถนนพหลโยธิน เขตจตุจักร กรุงเทพฯ", [("PERSON", "นางสาวมาลี ศรีสุข"), ("LOCATION", "45 ถนนพหลโยธิน"), ("LOCATION", "เขตจตุจักร"), ("LOCATION", "กรุงเทพฯ")]),
    ("כתובת: רחוב ויצמן 12, תל אביב", [("LOCATION", "רחוב ויצמן 12")]),
]


@pytest.mark.parametrize(("text", "expected"), ABROAD)
def test_when_postcodes_thai_and_hebrew_addresses_and_thai_names_are_written_then_they_are_detected(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, ["LOCATION", "PERSON"]) == expected


SET7_FORMS = [
    ("called to OR 7 at 11:22: frozen; gets in around 7ish. since 1500, rate up", [("DATE_TIME", "11:22"), ("DATE_TIME", "7ish"), ("DATE_TIME", "1500")]),
    ("fell on xmas eve; seen after thanksgiving", [("DATE_TIME", "xmas eve"), ("DATE_TIME", "thanksgiving")]),
    ('Caller: "October third, nineteen fifty-five." and date of birth five, nineteen, forty-two,', [("DATE_TIME", "October third, nineteen fifty-five"), ("DATE_TIME", "five, nineteen, forty-two")]),
    ("schoolteacher, ninety-four by the DOB; Pt (ninety-three); ninety-day supply; eleven hundred dollars", [("AGE", "ninety-four"), ("AGE", "ninety-three")]),
    ("HPI: 92M sent from the ALF. Pt 90 yrs, first admission", [("AGE", "92"), ("AGE", "90 yrs")]),
    ("Collected 1/8, ETA 10-14 d.", [("DATE_TIME", "1/8")]),
]


@pytest.mark.parametrize(("text", "expected"), SET7_FORMS)
def test_when_times_holidays_dates_and_ages_take_set_7s_forms_then_they_are_detected(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


READ_OUT = [
    ("pls call me back at 412 six six two 0 nine 3 1 thx", [("PHONE_NUMBER", "412 six six two 0 nine 3 1")]),
    ("her cell is seven one eight, five five five, 0 1 9 2.", [("PHONE_NUMBER", "seven one eight, five five five, 0 1 9 2")]),
    ("his social is five one two, seven seven, oh three four one and DOB", [("US_SSN", "five one two, seven seven, oh three four one")]),
    ("reach me: dana_p at yahoo dot com or j.rivas[at]mail[dot]org", [("EMAIL_ADDRESS", "dana_p at yahoo dot com"), ("EMAIL_ADDRESS", "j.rivas[at]mail[dot]org")]),
    ("identity confirmed with last four SSN 2290 and address", [("US_SSN", "2290")]),
    ("the last four of my social is seven two oh one, ok", [("US_SSN", "seven two oh one")]),
    ("SĐT 0912 345 678; Mob 07700 912384; 电话+86 139 1234 5678", [("PHONE_NUMBER", "0912 345 678"), ("PHONE_NUMBER", "07700 912384"), ("PHONE_NUMBER", "+86 139 1234 5678")]),
    ("Cell 415–555–0177 (en dashes)", [("PHONE_NUMBER", "415–555–0177")]),
    ("pls page me 3-4410 when back", [("PHONE_NUMBER", "3-4410")]),
]


@pytest.mark.parametrize(("text", "expected"), READ_OUT)
def test_when_a_number_or_address_is_read_out_in_words_then_it_is_detected(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "take two 5 mg tablets at 8 and one at 9",
        "number two of three attempts; call back in one to two days",
        "social worker saw him at four, plan in two weeks",
        "looked at the site at home today",
    ],
)
def test_when_counts_are_said_in_words_without_a_number_read_out_then_nothing_is_detected(text: str) -> None:
    assert found(text, ["PHONE_NUMBER", "US_SSN", "EMAIL_ADDRESS"]) == []


SET8_FORMS = [
    ("dialysis ride is sat 7:40am; labs sun @ 9:00", [("DATE_TIME", "sat 7:40am"), ("DATE_TIME", "sun @ 9:00")]),
    ("went to urgent care back in nov, then again since sept 2024", [("DATE_TIME", "nov"), ("DATE_TIME", "sept 2024")]),
    ("Hẹn tái khám thứ Ba 14/3 lúc 10 giờ 30 phút.", [("DATE_TIME", "thứ Ba 14/3"), ("DATE_TIME", "10 giờ 30 phút")]),
    ("RE: patient   D0B l1/O3/l948   pages 2", [("DATE_TIME", "l1/O3/l948")]),
    ("09:14:02 user=jtorres3 action=PRINT chart=55120983", [("DATE_TIME", "09:14:02"), ("ID", "jtorres3"), ("MEDICAL_RECORD_NUMBER", "55120983")]),
    ("Rx# 4471902 metoprolol; Rx 1000000 units heparin", [("ID", "4471902")]),
    ("N° sécu 2 71 04 69 123 456 78, assurée", [("ID", "2 71 04 69 123 456 78")]),
    ("Medi-Cal 91827364A and TRICARE 1029384756", [("HEALTH_PLAN_NUMBER", "91827364A"), ("HEALTH_PLAN_NUMBER", "1029384756")]),
    ("Incision 0745, closure 0931.", [("DATE_TIME", "0745"), ("DATE_TIME", "0931")]),
    ("census: shah, priya, 45F, s/p lap appy", [("PERSON", "shah, priya")]),
]


@pytest.mark.parametrize(("text", "expected"), SET8_FORMS)
def test_when_days_times_log_fields_and_numbers_take_set_8s_forms_then_they_are_detected(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "sat up in chair at 10, then sun exposure on the deck",
        "Rx 5 mg daily; Rx 200000 units",
        "NPO after midnight; d/c before noon",  # a routine hour, no day: the sets' authors leave it untagged
        "Medical Records, Medical Center 4",
        "gave lasix, 40 mg",
    ],
)
def test_when_words_only_look_like_set_8s_forms_then_no_such_span_is_found(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LATCH 8; lactation (Maribel) saw her", [("PERSON", "Maribel")]),
        ('Calls himself "Tex", no ID on him', [("PERSON", "Tex")]),
        ("goes by Bud at the shelter", [("PERSON", "Bud")]),
        ("she prefers to be called Kiki", [("PERSON", "Kiki")]),
        ("refill due (April) and prefers Tylenol", []),
        ("DLBCL, non-GCB type (Hans); from the ALF (ALF)", []),
    ],
)
def test_when_a_name_stands_alone_in_parentheses_or_as_a_nickname_then_it_is_a_person(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, ["PERSON"]) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lives at 4 Ross St, Newtown NSW 2042 now", [("LOCATION", "4 Ross St"), ("LOCATION", "Newtown"), ("LOCATION", "2042")]),
        ("Collected: 1l/O4/25 0730 ...", [("DATE_TIME", "1l/O4/25"), ("DATE_TIME", "0730")]),
        ("PhilHealth 12-345678901-2; IMSS 1234 56 7890 1", [("HEALTH_PLAN_NUMBER", "12-345678901-2"), ("HEALTH_PLAN_NUMBER", "1234 56 7890 1")]),
        ("I/O 1200/800; Na 13l/ 4", []),
    ],
)
def test_when_a_postcode_abroad_an_ocr_date_or_a_national_plan_number_is_written_then_it_is_detected(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("To: clinic   MRN: 4 4 0 9 1 2 7\nRe: referral", [("MEDICAL_RECORD_NUMBER", "4 4 0 9 1 2 7")]),
        ("struck by a car ~0215, EMS ~1500 mL out; smoker since ~1990", [("DATE_TIME", "0215")]),
        ("นัดตรวจ 12 มี.ค. 2569 ที่", [("DATE_TIME", "12 มี.ค. 2569")]),
        ("3E-04 | NOVAK, T | 93 | fall | x\n3E-05 | REYES, A | 45 | CHF |", [("PERSON", "NOVAK, T"), ("AGE", "93"), ("PERSON", "REYES, A")]),
    ],
)
def test_when_a_record_number_time_thai_date_or_table_age_takes_set_6s_other_forms_then_it_is_detected(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, ["MEDICAL_RECORD_NUMBER", "DATE_TIME", "AGE", "PERSON"]) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Decedent: X   Age: 1O3   Sex: F", [("AGE", "1O3")]),
        ("Age: 8O   Sex: M", []),  # under 90 once read
        ("CERTIFICATE (copy)   State File No. 2024-00I917\nDecedent", [("ID", "2024-00I917")]),
        ("see file no. ABCDE for the policy", []),
    ],
)
def test_when_an_age_or_a_state_file_number_is_read_by_ocr_then_it_is_detected(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, ["AGE", "ID"]) == expected
