"""Tests for the entity rules on a span's own text (deid.rules): what a model span can be, and how it is cut."""

from __future__ import annotations

import pytest

from deid.rules import breaks_a_rule, extend_to_rules, trim_to_rules
from deid.spans import Span


def _kept(text: str, value: str, label: str) -> str | None:
    """What of ``value`` (a ``label`` span in ``text``) the rules keep; ``None`` when they drop it."""
    start = text.index(value)
    trimmed = trim_to_rules(text, Span(start, start + len(value), label))
    return None if trimmed is None else text[trimmed.start : trimmed.end]


@pytest.mark.parametrize(
    ("value", "label", "breaks"),
    [
        ("Dr.", "PERSON", True),
        ("the nurse", "PERSON", True),
        ("Mr. ", "PERSON", True),
        ("Dr. Ann Lee", "PERSON", False),
        ("Lee", "PERSON", False),
        ("67 y/o male", "AGE", True),
        ("89", "AGE", True),
        ("90", "AGE", False),
        ("ninety-three", "AGE", False),
        ("RN", "ACCOUNT_NUMBER", True),
        ("TX", "LICENSE_NUMBER", True),
        ("TX 4821", "LICENSE_NUMBER", False),
        ("ABCDEFG", "VEHICLE_ID", False),
        ("jsmith", "ID", False),
        ("Maria de los Angeles Garcia y Lopez", "PERSON", False),
        ("Braden 14 Morse 35 CAM neg PHQ-9 7 GAD-7 3 MoCA 26/30", "PERSON", True),  # tagging ran past a name
        ("3 West", "LOCATION", True),
        ("bed 14", "LOCATION", True),
        ("rm 9B", "MEDICAL_RECORD_NUMBER", True),
        ("3 Westover Rd", "LOCATION", False),
        (".", "DATE_TIME", True),
        ("Q", "BIOMETRIC_ID", True),
        ("J", "PERSON", False),  # an initial can be a name
        ("cousin", "PERSON", True),
        ("Grandmother", "PERSON", True),
        ("the", "LOCATION", True),
        ("name", "DATE_TIME", True),
        ("at noon sharp", "DATE_TIME", True),  # no digit, month, weekday or holiday
        ("Christmas Eve", "DATE_TIME", False),
        ("march twelfth", "DATE_TIME", False),
        ("the fourteenth", "DATE_TIME", False),  # a spelled day, as dictation writes it
        ("Oregon", "LOCATION", True),
        ("Brazil", "LOCATION", True),
        ("New York", "LOCATION", False),  # also a city
        ("Medical Records", "LOCATION", True),
        ("Salem", "LOCATION", False),
    ],
)
def test_when_a_span_text_breaks_an_entity_rule_then_it_is_said(value: str, label: str, breaks: bool) -> None:

    assert breaks_a_rule(value, label) is breaks


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("Heidi W. LCSW", "Heidi W."),
        ("CMA A. Morgan", "A. Morgan"),
        ("brother Gavin Hudson", "Gavin Hudson"),
        ("J. Walker, MD", "J. Walker"),
        ("(Anna S.)", "Anna S."),
        ("Mr. James T.", "Mr. James T."),
        ("Son", "Son"),
    ],
)
def test_when_a_person_span_has_a_credential_relation_or_punctuation_at_its_edge_then_it_is_cut_to_the_name(value: str, kept: str) -> None:

    text = f"seen: {value} today"
    trimmed = trim_to_rules(text, Span(6, 6 + len(value), "PERSON"))
    assert trimmed is not None and text[trimmed.start : trimmed.end] == kept and trimmed.label == "PERSON"


def test_when_a_span_breaks_a_rule_then_trimming_drops_it_and_other_labels_are_kept_whole() -> None:

    text = "Dr. and 67 y/o, seen at Mercy, MD"
    assert trim_to_rules(text, Span(0, 3, "PERSON")) is None
    assert trim_to_rules(text, Span(8, 14, "AGE")) is None
    assert trim_to_rules(text, Span(24, 33, "LOCATION")) == Span(24, 33, "LOCATION")


@pytest.mark.parametrize(
    ("value", "label", "kept", "kept_label"),
    [
        ("DOB 04/17/1951", "DATE_TIME", "04/17/1951", "DATE_TIME"),
        ("le 04/05/1939", "DATE_TIME", "04/05/1939", "DATE_TIME"),
        ("MRN 22-417-901", "MEDICAL_RECORD_NUMBER", "22-417-901", "MEDICAL_RECORD_NUMBER"),
        ("member ID W 4471 2093", "HEALTH_PLAN_NUMBER", "W 4471 2093", "HEALTH_PLAN_NUMBER"),  # a letter of the value stays
        ("the 9th", "DATE_TIME", "the 9th", "DATE_TIME"),
        ("jan 3", "DATE_TIME", "jan 3", "DATE_TIME"),
        ("sat 7/6", "DATE_TIME", "sat 7/6", "DATE_TIME"),
        ("94F", "MEDICAL_RECORD_NUMBER", "94", "AGE"),
        ("91 M", "ID", "91", "AGE"),
        ("brother, Dana Ruiz", "PERSON", "Dana Ruiz", "PERSON"),
        ("the 92 yo w/ CHF", "ID", "92 yo", "AGE"),
        ("the Riverside Methodist Hospital", "LOCATION", "Riverside Methodist Hospital", "LOCATION"),
        ("Kessler Institute rehab stay", "LOCATION", "Kessler Institute", "LOCATION"),
        ("44 Ocean Drive", "LOCATION", "44 Ocean Drive", "LOCATION"),
        ("12 Main street", "LOCATION", "12 Main street", "LOCATION"),
        ("springfield", "LOCATION", "springfield", "LOCATION"),
    ],
)
def test_when_a_span_runs_past_its_value_or_is_an_age_then_it_is_cut_to_it(
    value: str, label: str, kept: str, kept_label: str
) -> None:

    text = f"seen: {value} today"
    trimmed = trim_to_rules(text, Span(6, 6 + len(value), label))
    assert trimmed is not None and (text[trimmed.start : trimmed.end], trimmed.label) == (kept, kept_label)


def test_when_an_age_with_sex_is_under_90_then_trimming_drops_it() -> None:

    assert trim_to_rules("a 27M with asthma", Span(2, 5, "ID")) is None


@pytest.mark.parametrize(
    ("text", "value", "label", "kept"),
    [
        ("new onset Bell's palsy on the left", "Bell", "PERSON", None),
        ("Jackson-Pratt drain removed", "Jackson-Pratt", "PERSON", None),
        ("Wilson disease ruled out", "Wilson", "PERSON", None),
        ("Wilson Procedure date: 3/4", "Wilson", "PERSON", "Wilson"),  # a heading after a name
        ("started adalimumab today", "adalimumab", "PERSON", None),
        ("April Lowe signed", "April Lowe", "PERSON", "April Lowe"),
        ("Blue Cross Blue Shield of Texas denied", "Blue Cross Blue Shield of Texas", "LOCATION", None),
        ("card says BCBSTX member XOT 7720 4418", "BCBSTX member XOT 7720 4418", "HEALTH_PLAN_NUMBER", "XOT 7720 4418"),
        ("dx E11.65 and I10", "E11.65", "ID", None),
        ("moved to bed 14 today", "14", "LOCATION", None),
        ("home: 35, Nori Chowk", "35", "LOCATION", "35"),  # an address goes on
        ("a 27yo with asthma", "27yo", "PERSON", None),
        ("a 93F. with CHF", "93F.", "PERSON", "93"),
        ("new Bell's palsy", "Bell's palsy", "PERSON", None),
        ("Kayser-Fleischer rings seen", "Kayser-Fleischer rings", "PERSON", None),
        ("s/p Ladd pull-through", "Ladd", "PERSON", None),
        ("PCP: Dr. unknown.", "Dr. unknown", "PERSON", None),
        ("Dx: E78.5 mixed hyperlipidemia;", "E78.5 mixed hyperlipidemia", "MEDICAL_RECORD_NUMBER", None),
        ("acuity 20/40 OS.", "20/40 OS.", "VEHICLE_ID", None),
        ("Murmur: 3/6 holosystolic at apex", "3/6 holosystolic at apex", "DATE_TIME", None),
        ("seen 3/6 at noon", "3/6", "DATE_TIME", "3/6"),
    ],
)
def test_when_a_span_is_an_eponym_drug_insurer_code_or_short_number_then_the_rules_drop_it(
    text: str, value: str, label: str, kept: str | None
) -> None:
    assert _kept(text, value, label) == kept


@pytest.mark.parametrize(
    ("text", "value", "label", "kept"),
    [
        # products and companies, with or without a dose or count after them
        ("home on Xarelto 20 mg daily", "Xarelto 20 mg daily", "PERSON", None),
        ("supplies from Lincare", "Lincare", "LOCATION", None),
        ("wearing a Zio patch x 14 days", "Zio patch x 14 days", "PERSON", None),
        # a product that is also a given name stays a possible person
        ("seen by Allegra today", "Allegra", "PERSON", "Allegra"),
        # small numbers at a name's edges are cut off; a span of nothing else is dropped, unless it may be an age
        ("Kowalski 14 on admission", "Kowalski 14", "PERSON", "Kowalski"),
        ("scored 26/30 today", "26/30", "PERSON", None),
        ("she is 97 now", "97", "PERSON", "97"),
        # long digit runs and clock times with the wrong label still redact what they cover
        ("NPI 1639285540 on file", "1639285540", "PERSON", "1639285540"),
        ("RAMQ TREM 8562 1419 valid", "TREM 8562 1419", "PERSON", "TREM 8562 1419"),
        # a billing code and a specialty without a proper name are no person or place
        ("billed J1100 x2", "J1100", "PERSON", None),
        ("follow up in Fracture Clinic", "Fracture Clinic", "LOCATION", None),
        ("follow up in Mercy Fracture Clinic", "Mercy Fracture Clinic", "LOCATION", "Mercy Fracture Clinic"),
        # "Molina" alone is a family name; the insurer has its word
        ("called Dr. Molina back", "Dr. Molina", "PERSON", "Dr. Molina"),
        ("covered by Molina Healthcare", "Molina Healthcare", "PERSON", None),
    ],
)
def test_when_a_span_is_a_product_a_count_or_a_specialty_then_the_rules_cut_or_drop_it(
    text: str, value: str, label: str, kept: str | None
) -> None:
    assert _kept(text, value, label) == kept


@pytest.mark.parametrize(
    ("text", "value", "label", "grown"),
    [
        ("signed A. Marchetti, MD", "Marchetti", "PERSON", "A. Marchetti"),
        ("signed J. K. Rowe today", "Rowe", "PERSON", "J. K. Rowe"),
        ("Name: Adeyemi, Tolu B.   Sex: F", "Adeyemi, Tolu", "PERSON", "Adeyemi, Tolu B."),
        ("2W-07 FLORES, M 90F fall", "FLORES", "PERSON", "FLORES, M"),
        ("Dr. Chen", "Chen", "PERSON", "Dr. Chen"),  # the title belongs to the name (and is read as a title, not initials)
        ("chair 4 at Fresenius Lakeside Dialysis today", "Fresenius Lakeside", "LOCATION", "Fresenius Lakeside Dialysis"),
        ("to Oak Ridge Rehabilitation and Nursing Center.", "Oak Ridge", "LOCATION", "Oak Ridge Rehabilitation and Nursing Center"),
        ("lives in Oak Ridge now", "Oak Ridge", "LOCATION", "Oak Ridge"),
    ],
)
def test_when_the_model_leaves_an_initial_or_a_facility_noun_out_then_the_span_grows_over_it(
    text: str, value: str, label: str, grown: str
) -> None:
    start = text.index(value)
    span = extend_to_rules(text, Span(start, start + len(value), label))
    assert text[span.start : span.end] == grown


def test_when_a_span_runs_on_over_a_sentence_then_its_plain_words_are_uncovered_and_names_and_places_stay() -> None:
    from deid.rules import split_runaway

    text = "11/02/2026 0915: son tomas called from el paso asking for an update, informed him of the plan. Thanks"
    end = text.index(" Thanks")
    pieces = split_runaway(text, Span(0, end, "DATE_TIME"))
    kept = [text[p.start : p.end] for p in pieces]
    assert kept == ["11/02/2026 0915:", "tomas", "el paso"]
    assert all(p.label == "DATE_TIME" for p in pieces)


def test_when_a_span_is_short_or_has_no_sentence_end_then_it_is_not_split() -> None:
    from deid.rules import split_runaway

    text = "Maria de los Angeles Garcia y Lopez; the Hospital of the University of Pennsylvania"
    for value in ("Maria de los Angeles Garcia y Lopez", "Hospital of the University of Pennsylvania"):
        start = text.index(value)
        span = Span(start, start + len(value), "PERSON")
        assert split_runaway(text, span) is None


@pytest.mark.parametrize(
    ("text", "pieces", "joined"),
    [
        ("booked Thursday the 18th at 7:30 sharp", [("Thursday the 18th", "DATE_TIME"), ("7:30", "DATE_TIME")], ["Thursday the 18th at 7:30"]),
        ("filled at Publix Pharmacy at Camp Creek today", [("Publix Pharmacy", "LOCATION"), ("Camp Creek", "LOCATION")], ["Publix Pharmacy at Camp Creek"]),
        ("Patient: HOLLOWAY ,  JUDITH  MRN", [("HOLLOWAY", "PERSON"), ("JUDITH", "PERSON")], ["HOLLOWAY ,  JUDITH"]),
        ("from Boston to Galway", [("Boston", "LOCATION"), ("Galway", "LOCATION")], ["Boston", "Galway"]),  # "to" joins nothing
        ("Dr. Lee at 7:30", [("Dr. Lee", "PERSON"), ("7:30", "DATE_TIME")], ["Dr. Lee", "7:30"]),  # labels differ
    ],
)
def test_when_one_value_was_found_in_two_pieces_then_they_are_joined_over_the_word_between(
    text: str, pieces: list[tuple[str, str]], joined: list[str]
) -> None:
    from deid.rules import join_pieces

    spans = [Span(text.index(v), text.index(v) + len(v), label) for v, label in pieces]
    assert [text[s.start : s.end] for s in join_pieces(text, spans)] == joined


def test_when_a_city_follows_a_place_by_a_comma_then_it_is_a_location_too() -> None:
    from deid.rules import cities_after_places

    text = "seen at Clínica La Familia, Brownsville, then at Mercy Clinic, Tuesday"
    first, second = text.index("Clínica La Familia"), text.index("Mercy Clinic")
    spans = [Span(first, first + 18, "LOCATION"), Span(second, second + 12, "LOCATION")]
    found = cities_after_places(text, spans)
    assert [text[s.start : s.end] for s in found] == ["Clínica La Familia", "Brownsville", "Mercy Clinic"]


@pytest.mark.parametrize(
    ("text", "value", "grown"),
    [
        ("on HD at Lagos University Teaching Hospital (LUTH) since", "Lagos University Teaching Hospital", "Lagos University Teaching Hospital (LUTH)"),
        ("lives on the Crow Reservation near", "Crow", "Crow Reservation"),
        ("Patient:  HOLLOWAY ,  JUDITH  A      MRN", "JUDITH", "JUDITH  A"),
    ],
)
def test_when_a_place_has_its_abbreviation_or_head_noun_or_a_name_its_initial_then_the_span_grows(text: str, value: str, grown: str) -> None:
    start = text.index(value)
    label = "PERSON" if value == "JUDITH" else "LOCATION"
    span = extend_to_rules(text, Span(start, start + len(value), label))
    assert text[span.start : span.end] == grown


@pytest.mark.parametrize(
    ("text", "value", "label", "kept"),
    [
        # clinical notation is no date, name or identifier
        ("seen 3 wks ago for it", "3 wks ago", "DATE_TIME", None),
        ("G2P1001 at 37w2d", "37w2d", "DATE_TIME", None),
        ("G2P1001 at 37w2d", "G2P1001", "MEDICAL_RECORD_NUMBER", None),
        ("born at 28 2/7 weeks", "28 2/7 weeks", "PHONE_NUMBER", None),
        ("dialysis Tuesdays and Fridays", "Tuesdays and Fridays", "DATE_TIME", None),
        ("transfer to MICU tonight", "MICU", "LOCATION", None),
        ("GBS+ at delivery", "GBS+", "PERSON", None),
        ("dx I10, E78 today", "I10, E78", "PERSON", None),
        ("Babinski downgoing bilaterally", "Babinski downgoing bilaterally", "PERSON", None),
        ("Boston Bowel Prep Scale 8", "Boston Bowel Prep Scale 8", "LOCATION", None),
        ("her nephew drove her", "her nephew", "PERSON", None),
        # procedure codes after their keyword, and only there
        ("CPT codes: 99215-25, 93000, 36415", "93000", "ACCOUNT_NUMBER", None),
        ("Acct 93000 and CPT 99213", "93000", "ACCOUNT_NUMBER", "93000"),
        # an age stays an age; digits in words are digits; letters spaced out are one name
        ("Decedent, 94 years", "94 years", "AGE", "94 years"),
        ("DOB four twelve thirty one", "four twelve thirty one", "DATE_TIME", "four twelve thirty one"),
        ("call five two oh five five five zero one nine three", "five two oh five five five zero one nine three", "PHONE_NUMBER", "five two oh five five five zero one nine three"),
        ("A B I G A I L   F O R T U N E", "A B I G A I L   F O R T U N E", "PERSON", "A B I G A I L   F O R T U N E"),
    ],
)
def test_when_a_span_is_clinical_notation_or_a_code_then_it_is_dropped_and_values_in_words_stay(
    text: str, value: str, label: str, kept: str | None
) -> None:
    assert _kept(text, value, label) == kept


@pytest.mark.parametrize(
    ("text", "value", "label", "grown"),
    [
        ("DELIVER TO:  NP SHARONDA  WILLIAMS\nGRADY", "SHARONDA", "PERSON", "SHARONDA  WILLIAMS"),
        ("DAYITA BALASUBRAMANIAN NOTIFIED AT 10:00", "DAYITA BALASUBRAMANIAN", "PERSON", "DAYITA BALASUBRAMANIAN"),
        ("date of service November second twenty twenty five period", "November second", "DATE_TIME", "November second twenty twenty five"),
    ],
)
def test_when_a_name_in_capitals_ends_its_field_later_or_a_year_is_said_after_a_date_then_the_span_grows(
    text: str, value: str, label: str, grown: str
) -> None:
    start = text.index(value)
    span = extend_to_rules(text, Span(start, start + len(value), label))
    assert text[span.start : span.end] == grown


def test_when_an_identifier_span_starts_or_ends_inside_a_token_then_it_grows_to_the_whole_token() -> None:
    from deid.rules import grow_to_tokens

    text = "plan GRP884120 and license RN.339127, born 2/3"
    spans = [Span(text.index("884120"), text.index("884120") + 6, "HEALTH_PLAN_NUMBER"),
             Span(text.index("339127"), text.index("339127") + 6, "LICENSE_NUMBER"),
             Span(text.index("2/3"), text.index("2/3") + 1, "DATE_TIME")]  # fmt: skip
    assert [text[s.start : s.end] for s in grow_to_tokens(text, spans)] == ["GRP884120", "RN.339127", "2"]


def test_when_a_name_span_cuts_a_latin_word_then_it_grows_to_the_word_and_never_over_a_script_without_spaces() -> None:
    from deid.rules import grow_to_tokens

    text = "Ref by: Dr. B. Castellan0, seen at Mercyhurst; 王小明住在北京市"
    spans = [Span(text.index("Dr."), text.index("Castellan") + 9, "PERSON"),
             Span(text.index("Mercy"), text.index("Mercy") + 5, "LOCATION"),
             Span(text.index("王小明"), text.index("王小明") + 3, "PERSON")]  # fmt: skip
    assert [text[s.start : s.end] for s in grow_to_tokens(text, spans)] == ["Dr. B. Castellan0", "Mercyhurst", "王小明"]


@pytest.mark.parametrize(
    ("text", "value", "label"),
    [
        ("PACU then 6 Ortho. WBAT", "6 Ortho.", "LOCATION"),
        ("Billing codes for today: 99215-25, 93000 (ECG), 36415", "36415", "ACCOUNT_NUMBER"),
        ("Dx codes: E11.65, I10, Z79.4, N18.32", ", Z79.4", "DATE_TIME"),
        ("Bethesda category II nodule", "Bethesda", "LOCATION"),
        ("closed with Prolene", "Prolene", "PERSON"),
    ],
)
def test_when_a_span_is_a_ward_a_code_list_item_a_category_or_a_suture_then_it_is_dropped(text: str, value: str, label: str) -> None:
    assert _kept(text, value, label) is None


@pytest.mark.parametrize(
    ("text", "value", "grown"),
    [
        ("at 1187 Grand Concourse, Apt 4F, Bronx", "1187 Grand Concourse", "1187 Grand Concourse, Apt 4F"),
        ("End.: Rua da Bahia, 1148, apto 702, Centro", "Rua da Bahia, 1148", "Rua da Bahia, 1148, apto 702"),
        ("walk-up Apt 4F, Bronx", "Apt", "Apt 4F"),
        ("No. 42, 3rd Cross, Jayanagar 4th Block, Bengaluru", "Jayanagar 4th", "Jayanagar 4th Block"),
    ],
)
def test_when_a_street_has_its_unit_after_it_then_the_place_grows_over_it(text: str, value: str, grown: str) -> None:
    start = text.index(value)
    span = extend_to_rules(text, Span(start, start + len(value), "LOCATION"))
    assert text[span.start : span.end] == grown


def test_when_a_wordless_date_has_a_capitalised_word_then_it_is_kept_as_a_mislabelled_name_or_place() -> None:
    assert _kept("crash on I-95 near Warwick today", "Warwick", "DATE_TIME") == "Warwick"
    assert _kept("see on sticker", "on sticker", "DATE_TIME") is None


def test_when_a_city_follows_a_name_by_a_comma_then_it_is_a_location_too() -> None:
    from deid.rules import cities_after_places

    text = "Ana Ruiz, Laredo, called"
    spans = [Span(0, 8, "PERSON")]
    assert [text[s.start : s.end] for s in cities_after_places(text, spans)] == ["Ana Ruiz", "Laredo"]


def test_when_a_runaway_span_has_no_plain_word_then_it_is_kept_whole_and_lower_case_cyrillic_words_are_plain() -> None:
    from deid.rules import split_runaway

    text = "Пациент: Иванова Ольга Петровна, 91 год, адрес: Санкт-Петербург, ул. Марата, д. 12"
    pieces = split_runaway(text, Span(0, len(text), "PERSON"))
    assert pieces is not None
    kept = " ".join(text[p.start : p.end] for p in pieces)
    assert "Иванова Ольга Петровна" in kept and "Санкт-Петербург" in kept and "адрес" not in kept
    cjk = "患者 佐藤 花子 様 東京都 新宿区 西新宿 6-7-1 重症 大動脈弁狭窄症"
    assert split_runaway(cjk, Span(0, len(cjk), "PERSON")) == [Span(0, len(cjk), "PERSON")]


@pytest.mark.parametrize(
    ("text", "value", "label", "kept"),
    [
        ("MDM: Wells 1.5, PERC positive", "Wells", "PERSON", None),
        ("Berg 41/56. Tinetti 19/28.", "Tinetti", "PERSON", None),
        ("seen by Dr. Moreau 12/3.", "Dr. Moreau", "PERSON", "Dr. Moreau"),  # a date after a name, not a score
        ("Ruth Adler 415.555.0134", "Ruth Adler", "PERSON", "Ruth Adler"),
        ("NICU day 21: CGA 32+4", "21", "DATE_TIME", None),
        ("policy U59204418 02 active", "02", "DATE_TIME", "02"),  # a mislabelled piece of an identifier stays covered
        ("Dx G20.A1, I10", "G20.A1", "PERSON", None),
        ("ROP exam due at 31-32 wk: stage 1", "31-32 wk", "DATE_TIME", None),
        ("HCPCS G0121 if criteria met", "G0121", "HEALTH_PLAN_NUMBER", None),
        ("S: Bed 6 desatting", "Bed", "PERSON", None),
        ("PTSD clinic: PCL-5 44", "PCL-5", "LOCATION", None),
    ],
)
def test_when_a_span_is_a_scale_with_its_score_a_count_a_code_or_a_bed_then_it_is_dropped(
    text: str, value: str, label: str, kept: str | None
) -> None:
    assert _kept(text, value, label) == kept


@pytest.mark.parametrize(
    ("text", "name", "other"),
    [
        ("患者：佐藤 花子 様（Hanako Sato）、82歳", "佐藤 花子", "Hanako Sato"),
        ("מטופלת: רחל כהן (Rachel Cohen), רחוב", "Rachel Cohen", "רחל כהן"),
        ("환자: 김민준 (Kim Min-jun), 58세", "김민준", "Kim Min-jun"),
    ],
)
def test_when_a_name_is_written_in_two_scripts_then_both_are_persons(text: str, name: str, other: str) -> None:
    from deid.rules import names_in_two_scripts

    start = text.index(name)
    found = names_in_two_scripts(text, [Span(start, start + len(name), "PERSON")])
    assert other in [text[s.start : s.end] for s in found]


def test_when_a_latin_name_has_a_department_in_parentheses_then_it_is_no_second_name() -> None:
    from deid.rules import names_in_two_scripts

    text = "seen by Dr. Lee (Cardiology) today"
    assert names_in_two_scripts(text, [Span(8, 15, "PERSON")]) == [Span(8, 15, "PERSON")]


@pytest.mark.parametrize(
    ("text", "value", "grown"),
    [
        ("Daughter Magdalena Wiśniewska will bring", "Magdalena", "Magdalena Wiśniewska"),
        ("its me sandra r. my sugars", "sandra", "sandra r."),
        ("Maria Called back", "Maria", "Maria"),
    ],
)
def test_when_a_given_name_has_its_family_name_or_initial_after_it_then_the_name_grows(text: str, value: str, grown: str) -> None:
    start = text.index(value)
    span = extend_to_rules(text, Span(start, start + len(value), "PERSON"))
    assert text[span.start : span.end] == grown


@pytest.mark.parametrize(
    ("text", "value", "label", "grown"),
    [
        ("wait for the 28th? —lupe", "28th", "DATE_TIME", "the 28th"),
        ("Next visit Feb 2 at 7:15 a.m. CT.", "Feb 2 at 7:15 a.m.", "DATE_TIME", "Feb 2 at 7:15 a.m. CT"),
        ("admitted to St. Vincent's today", "St. Vincent", "LOCATION", "St. Vincent's"),
        ("any notes from st joseph's on this pt", "st joseph", "PERSON", "st joseph's"),
        ("omw, stuck on lake shore dr, 10 min", "lake shore", "LOCATION", "lake shore dr"),
        ("dr okafor wants the k rechecked", "okafor", "PERSON", "dr okafor"),
        ("seen by Mrs. Abernathy today", "Abernathy", "PERSON", "Mrs. Abernathy"),
        ("she lives off Lake Shore Dr now", "Lake Shore", "LOCATION", "Lake Shore"),
        ("worked at the Port of Long Beach for", "Long Beach", "LOCATION", "Port of Long Beach"),
        ("mail to PO Box 74092 Cleveland", "74092", "LOCATION", "PO Box 74092"),
        ("seen at UCSF Mission Bay on", "UCSF", "LOCATION", "UCSF Mission Bay"),
        ("the UCSF Transfer Center", "UCSF", "LOCATION", "UCSF"),
    ],
)
def test_when_a_date_or_a_place_has_its_article_zone_possessive_box_or_campus_beside_it_then_it_grows(
    text: str, value: str, label: str, grown: str
) -> None:
    start = text.index(value)
    span = extend_to_rules(text, Span(start, start + len(value), label))
    assert text[span.start : span.end] == grown


@pytest.mark.parametrize(
    ("text", "value", "label"),
    [
        ("K > 6.0 on 6 West", "West", "LOCATION"),
        ("XR: Weber B distal fibula fx", "Weber B", "PERSON"),
    ],
)
def test_when_a_span_is_a_wing_or_a_fracture_class_then_it_is_dropped(text: str, value: str, label: str) -> None:
    assert _kept(text, value, label) is None


def test_when_a_short_number_has_an_identifier_label_then_it_stays_covered_as_it_may_be_an_age_or_a_time() -> None:
    assert _kept("my mom (97) is home", "97", "ID") == "97"  # the model's label may be wrong; the value is still PHI
    assert _kept("report given at 1900. Pt sleeping", "1900", "ID") == "1900"


@pytest.mark.parametrize(
    ("text", "value", "label", "kept"),
    [
        ("RLQ pain, Alvarado 6, hCG negative", "Alvarado", "PERSON", None),
        ("PACU: Aldrete 9 then 10 at 30 min", "Aldrete", "PERSON", None),
        ("barky cough, Westley 3. Dex given", "Westley", "LOCATION", None),
        ("Braden score of 14, turn q2h", "Braden", "PERSON", None),
        ("Maria Alvarado 45F, abd pain", "Alvarado", "PERSON", "Alvarado"),  # an age and sex, no score
        ("Dr. Wells 4 pm clinic", "Wells", "PERSON", "Wells"),  # a title before it: a person
        ("called Tanner 3 times today", "Tanner", "PERSON", "Tanner"),  # a count of calls
        ("Alvarado 4/12 admit", "Alvarado", "PERSON", "Alvarado"),  # a date after it
        ("Alvarado called back", "Alvarado", "PERSON", "Alvarado"),
    ],
)
def test_when_a_score_named_after_a_person_has_its_whole_number_score_then_the_span_is_dropped(
    text: str, value: str, label: str, kept: str | None
) -> None:
    assert _kept(text, value, label) == kept


@pytest.mark.parametrize(
    ("text", "value", "label", "grown"),
    [
        ("informant: son Ignacio De la Rosa. State file", "Ignacio De", "PERSON", "Ignacio De la Rosa"),
        ("RE: patient  B A K E R ,  J O H N  DOB", "B A K E R", "PERSON", "B A K E R ,  J O H N"),
        ("Patient: D I A Z , M a r i s o l   MRN", "D I A Z", "PERSON", "D I A Z , M a r i s o l"),
        ("from Quezon City, Metro Manila", "Quezon", "LOCATION", "Quezon City"),
        ("met at Kansas City Hall", "Kansas", "LOCATION", "Kansas"),
    ],
)
def test_when_a_name_has_its_particle_spaced_letters_or_city_word_beside_it_then_it_grows(text: str, value: str, label: str, grown: str) -> None:
    start = text.index(value)
    span = extend_to_rules(text, Span(start, start + len(value), label))
    assert text[span.start : span.end] == grown


def test_when_a_name_is_written_in_two_scripts_with_a_slash_then_both_are_people() -> None:
    from deid.rules.joins import names_in_two_scripts

    text = "Pt: சரவணன் குமார் / Saravanan Kumar, 51M"
    latin = text.index("Saravanan")
    found = names_in_two_scripts(text, [Span(latin, latin + len("Saravanan Kumar"), "PERSON")])
    assert [text[s.start : s.end] for s in found] == ["சரவணன் குமார்", "Saravanan Kumar"]


@pytest.mark.parametrize(
    ("text", "tagged", "whole"),
    [
        ("found near Halsted and 18th at night", "Halsted", ["Halsted and 18th"]),
        ("dropped off at Main St & Oak, then", "Oak", ["Main St & Oak"]),
        ("seen at Mercy and discharged", None, []),  # nothing tagged: no intersection is read into plain words
    ],
)
def test_when_a_street_of_an_intersection_is_tagged_then_the_whole_intersection_is_one_location(text: str, tagged: str | None, whole: list[str]) -> None:
    from deid.rules import intersections

    spans = [] if tagged is None else [Span(text.index(tagged), text.index(tagged) + len(tagged), "LOCATION")]
    assert [text[s.start : s.end] for s in intersections(text, spans)] == whole


def test_when_part_of_a_name_in_another_script_is_tagged_and_its_latin_form_is_then_the_whole_name_is_covered() -> None:
    from deid.rules.joins import names_in_two_scripts

    text = "रोगी: सुनील कुमार वर्मा (Sunil Kumar Verma), 61"
    native, latin = text.index("सुनील"), text.index("Sunil")
    spans = [Span(native, native + len("सुनील कुमार"), "PERSON"), Span(latin, latin + len("Sunil Kumar Verma"), "PERSON")]
    assert [text[s.start : s.end] for s in names_in_two_scripts(text, spans)] == ["सुनील कुमार वर्मा", "Sunil Kumar Verma"]
