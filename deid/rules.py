"""The entity set's rules that a span's own text can break, applied to the model's spans.

``conf/entities/hipaa.yaml`` says what each label covers; a model tags past those rules (a credential inside a
name, a keyword inside a date, a drug or an eponym as a person). ``trim_to_rules`` cuts a span to what the rules
say can be PHI and ``breaks_a_rule`` says when nothing of it can be. The pattern detectors share the relation words.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from deid.spans import Span

# The entity set's rules that a span's own text can break (conf/entities/hipaa.yaml): "a title without a
# name is not PHI", "ages up to 89 are not PHI", and a structured identifier has digits.
_TITLES = r"(?:dr|mr|mrs|ms|miss|mx|prof|rev|sr|sister|fr|nurse)"
# A title before a name is not identifying on its own ("Dr." may stay visible before "[PERSON]").
LEADING_TITLE = re.compile(rf"(?i:{_TITLES}\.?)\s+")
_TITLE_ONLY = re.compile(
    rf"(?i:[\W_]*(?:(?:{_TITLES}|doctor|the)\.?[\W_]*)*)(?:(?:unknown|none|pending|tbd|n/?a|on[- ]?call|covering)\W*)?"
)  # "Dr.", "Dr. unknown"
_DIGITS_REQUIRED = frozenset(
    {"MEDICAL_RECORD_NUMBER", "ACCOUNT_NUMBER", "HEALTH_PLAN_NUMBER", "LICENSE_NUMBER", "DEVICE_ID", "US_SSN",
     "PHONE_NUMBER", "FAX_NUMBER", "IP_ADDRESS"}
)  # fmt: skip


# A credential or a relation word at a name's edge is not part of it ("Heidi W. LCSW", "CMA A. Morgan",
# "brother Gavin"), nor is punctuation around it; the period of a trailing initial is ("Anna S.").
_CREDENTIALS = (
    r"MD|DO|RN|NP|PA|PA-C|LPN|CNA|CMA|LCSW|LMSW|MSW|PhD|PharmD|DDS|DMD|DPM|APRN|CRNA|FNP|FNP-C|PT|DPT|OT|RD|RRT|BSN|MSN|DNP"
)
# Relation words, shared with the pattern detectors' "a name after a relation word".
RELATIONS = (
    r"(?i:brother|father|mother|son|daughter|wife|husband|mom|dad|aunt|uncle|grandson|granddaughter|niece|nephew|cousin"
    r"|grandmother|grandfather|grandma|grandpa|stepson|stepdaughter|fianc[eé]e?|partner|friend|neighbou?r|guardian|caregiver)"
)
_PERSON_EDGE_START = re.compile(rf"(?:[\s,;:!?()\"'\[\]]+|(?:{_CREDENTIALS}|{RELATIONS}),?\s+)+")
# A relation word alone is no name, but for "Son", which is also a family name (Sơn, Son).
_RELATION_ONLY = re.compile(rf"(?!Son\b){RELATIONS}s?")
_PERSON_EDGE_END = re.compile(rf"(?:[\s,;:!?()\"'\[\]]+|,?\s+(?:{_CREDENTIALS}))+$")


# A keyword before a date or an identifier is not part of it ("DOB 02/11/1950", "MRN 55-210-443", "el 3 de
# noviembre"): words in lower case and these keywords, when a value with a digit follows. "the" and month and
# weekday names stay ("the 14th", "jan 3", "sat 7/6").
_KEYWORDS = (
    r"DOB|DOD|DOS|Adm|Admitted|Discharged|Seen|MRN|MR|SSN|ID|NPI|DL|Acct|HAR|FIN|CSN|Tel|Ph|Phone|Cell|Fax|Member"
    r"|Policy|Group|Claim|Account|Serial|SN|No\.?|#|UHC|BCBS\w*|Aetna|Cigna|Humana|Medicare|Medicaid"
)
_MONTH_OR_WEEKDAY = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun"
_MONTH_OR_DAY_WORD = rf"(?:the|{_MONTH_OR_WEEKDAY})[a-z]*\b"
_LEADING_KEYWORDS = re.compile(rf"(?:(?!{_MONTH_OR_DAY_WORD})(?:[a-zà-ÿ]+|{_KEYWORDS})[:#.]?\s+)+(?=.*\d)")
_KEYWORD_TRIMMED = _DIGITS_REQUIRED | {"DATE_TIME", "ID", "BIOMETRIC_ID", "VEHICLE_ID"}
# A patient's age with sex ("93F", "27M") or an age phrase ("95 yo w/ afib") is an age whatever the model called
# it: only the number and the words that state it can be PHI.
_AGE_SEX = re.compile(r"(\d{2,3}) ?[MF]\.?")
_AGE_PHRASE = re.compile(r"(?:the\s+|a\s+)?(\d{2,3}(?:[- ]?(?i:years?|yrs?|y)[- ]?(?i:old)|\s?(?i:yo|y/o|y\.o\.)(?!\w)))\b.*", re.S)
# Words that are no PHI on their own, whatever the label: "the", "name", "pt".
_STOPWORDS = frozenset({"the", "a", "an", "of", "in", "at", "on", "to", "and", "or", "name", "pt", "patient", "pls", "thx"})
# A date has a digit, or names a month, a weekday or a holiday ("on sticker" is not one).
_DATE_WORD = re.compile(
    rf"(?i:{_MONTH_OR_WEEKDAY}|christmas|thanksgiving|easter"
    r"|new\s+year|halloween|hanukkah|ramadan|diwali|eid|independence|memorial|labor|labour|veterans|valentine|mother|father"
    r"|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|\w+teenth|twentieth|thirtieth)"
)
# A place's name has no article before it and no lower-case words after its last capitalised word ("the Cleveland
# Clinic", "Lincoln High School football practice"); street types, particles and short words stay ("12 Main st").
_PLACE_EDGE_START = re.compile(r"(?:the|a|an|at|in|to|from)\s+(?=[A-Z0-9])")
_PLACE_WORDS_KEPT = frozenset(
    {
        "street", "road", "avenue", "lane", "drive", "court", "place", "boulevard", "highway", "parkway", "terrace",
        "circle", "square", "trail", "plaza", "close", "grove", "crescent", "west", "east", "north", "south", "norte",
        "este", "oeste", "mayo", "junio", "julio", "county", "city", "town", "village", "island", "beach", "heights",
    }
)  # fmt: skip


def _place_name_end(text: str, start: int, end: int) -> int:
    """Where a place's name ends: before lower-case words after its last capitalised word or number."""
    words = list(re.finditer(r"[\w'’.-]+", text[start:end]))
    cut = len(words)
    while cut > 1 and re.fullmatch(r"[a-zà-ÿ]{4,}", words[cut - 1].group()) and words[cut - 1].group() not in _PLACE_WORDS_KEPT:
        cut -= 1
    if cut == len(words) or not any(w.group()[0].isupper() or w.group()[0].isdigit() for w in words[:cut]):
        return end
    return start + words[cut - 1].end()


# A hospital department or a generic facility word is no place ("Medical Records", "Radiology", "the Clinic").
_DEPARTMENT_WORDS = frozenset(
    {
        "medical", "records", "record", "health", "information", "services", "service", "department", "dept", "office",
        "unit", "lab", "laboratory", "clinic", "hospital", "radiology", "pharmacy", "admissions", "registration",
        "billing", "cardiology", "oncology", "neurology", "pathology", "imaging", "surgery", "ed", "er", "icu",
        "emergency", "triage", "transplant", "dialysis", "the",
    }
)  # fmt: skip
# A place inside the hospital is no geographic subdivision: a numbered wing ("4 West") or a bay, bed or room.
_WARD = re.compile(
    r"\d{1,2} ?(?:North|South|East|West)|(?i:bay|bed|beds|rm|room|pod)(?: ?#? ?\d{1,3}[A-Z]?)?|(?i:\d{1,2}(?:st|nd|rd|th) ?(?:fl|floor))"
)
# Named things that are no person or place: a disease, sign, test or device named after one ("Bell's palsy",
# "Dix-Hallpike", "Jackson-Pratt drain"), a generic drug by its USAN stem ("adalimumab", "apixaban"), an insurer,
# a diagnosis code (ICD-10: "E11.65", "I10"), a number alone.
_EPONYM_AFTER = re.compile(
    r"(?:['’]s)?\s+(?:(?:disease|syndrome|sign|palsy|sarcoma|lymphoma|tumou?r|diverticulum|drain|test|maneuver|manoeuvre"
    r"|score|scale|classification|criteria|fracture|reflex|catheter|stocking|lift|phenomenon|ulcer|positive|negative"
    r"|node|cyst|hernia|anomaly|deformity|contracture|granuloma|tremor|pump|rings?|components?|procedure|operation|repair"
    r"|approach|technique|pull-through|incision|flap|anastomosis|shunt|stent|dressing)|Disease|Syndrome|Palsy|Sign)\b"
)  # in lower case ("ÇORLU, HINDAL Procedure date:" is a name before a heading)
_DRUG_STEM = re.compile(
    r"(?i:\w{3,}(?:mab|nib|pril|sartan|olol|statin|azole|cillin|mycin|floxacin|parin|xaban|gliflozin|gliptin|dipine|prazole"
    r"|tidine|glutide|tinib|ciclib|lukast|triptan|setron|dronate|semide|thiazide|oxetine|apine|idone|azepam|zolam)\b)"
)
_INSURER = re.compile(
    r"\b(?:Blue\s+Cross|Blue\s+Shield|BCBS\w*|Aetna|Cigna|Humana|UnitedHealth\w*|United\s+Healthcare|Anthem|Centene"
    r"|Molina|WellCare|Highmark|Oscar\s+Health|Tricare|TRICARE|MassHealth|Medi-Cal)\b"
)
_ICD10 = re.compile(r"[A-TV-Z]\d{2}(?:\.\d{1,4}[A-Z]?)?(?:\s+[a-z][a-z0-9 ,'-]*)?")  # "E11.9 type 2 diabetes"
# A visual acuity ("20/20 OU") or a grade ("2/6 systolic", "4/5 strength") is no date or identifier.
_ACUITY_OR_GRADE = re.compile(
    r"20/\d{2,3}(?:\s+O[UDS])?\.?|\d{1,2}/(?:[2-6]|10)\s+(?i:systolic|diastolic|holosystolic|murmur|SEM|strength|power"
    r"|pain|reflex(?:es)?)\b.*"
)
_NUMBER_ALONE = re.compile(r"\d{1,3}(?:st|nd|rd|th)?")
_ADDRESS_GOES_ON = re.compile(r",?\s*[A-Z0-9]")


def trim_to_rules(text: str, span: Span) -> Span | None:
    """``span`` cut to what the rules say is PHI, or None when nothing of it can be (see ``breaks_a_rule``):
    a person's name without a credential, relation word or outer punctuation; a date or identifier without
    the keyword before it; an age with sex ("93F") as the age's number."""
    start, end, label = span.start, span.end, span.label
    age = _AGE_SEX.fullmatch(text, start, end) or _AGE_PHRASE.fullmatch(text, start, end)
    if age:
        start, end, label = age.start(1), age.end(1), "AGE"
    elif label == "PERSON":
        lead = _PERSON_EDGE_START.match(text, start, end)
        if lead and lead.end() < end:
            start = lead.end()
        tail = _PERSON_EDGE_END.search(text, start, end)
        if tail and tail.start() > start:
            end = tail.start()
    elif label in _KEYWORD_TRIMMED:
        lead = _LEADING_KEYWORDS.match(text, start, end)
        if lead and lead.end() < end:
            start = lead.end()
    elif label == "LOCATION":
        lead = _PLACE_EDGE_START.match(text, start, end)
        if lead and lead.end() < end:
            start = lead.end()
        end = _place_name_end(text, start, end)
    if label == "PERSON" and (_EPONYM_AFTER.match(text, end) or _EPONYM_AFTER.search(text, start, end)):
        return None  # "Bell's palsy", "Jackson-Pratt drain", "Wilson disease": a disease, sign or device
    if label == "LOCATION" and _NUMBER_ALONE.fullmatch(text, start, end) and not _ADDRESS_GOES_ON.match(text, end):
        return None  # "bed 14", "the 2nd": a number this short is no ZIP or postcode, unless an address goes on
    if breaks_a_rule(text[start:end], label):
        return None
    return span if (start, end, label) == (span.start, span.end, span.label) else replace(span, start=start, end=end, label=label)


# No name runs past ten words (titles, particles and initials included: "Dr. Maria de los Angeles Garcia y Lopez");
# a PERSON span that does is the model tagging on past the name, over a line of vitals or a sentence.
_MOST_WORDS_IN_A_NAME = 10


def breaks_a_rule(value: str, label: str) -> bool:
    """Whether text tagged ``label`` cannot be PHI by the rules: a bare title or relation word, an age up to 89, a
    number without digits, a "name" of more than ten words, one character or a stop word, a ward, bay, bed or room,
    a "date" with no digit, month, weekday or holiday, a state or country alone, a department."""
    if value.strip().lower() in _STOPWORDS:
        return True
    if label == "PERSON":
        return (
            _TITLE_ONLY.fullmatch(value) is not None
            or _RELATION_ONLY.fullmatch(value.strip()) is not None
            or len(value.split()) > _MOST_WORDS_IN_A_NAME
            or _DRUG_STEM.search(value) is not None
            or _INSURER.search(value) is not None
        )
    if sum(ch.isalnum() for ch in value) < 2 or _WARD.fullmatch(value):
        return True  # a stray letter or mark; a ward, bay, bed or room
    if _ICD10.fullmatch(value) or _ACUITY_OR_GRADE.fullmatch(value) or (_INSURER.search(value) and not any(ch.isdigit() for ch in value)):
        return True  # a diagnosis code; an insurer (only facilities are places)
    if label == "DATE_TIME":
        return not any(ch.isdigit() for ch in value) and _DATE_WORD.search(value) is None
    if label == "LOCATION":
        words = re.findall(r"[\w'’]+", value.lower())
        return value.strip() in _states_and_countries() or (bool(words) and all(w in _DEPARTMENT_WORDS for w in words))
    if label == "AGE":
        numbers = [int(n) for n in re.findall(r"\d+", value)]
        return bool(numbers) and max(numbers) < 90
    if label in _DIGITS_REQUIRED:
        return not any(ch.isdigit() for ch in value)
    return False


@lru_cache(maxsize=1)
def _states_and_countries() -> frozenset[str]:
    """US state names and codes and country names (not PHI alone); "New York" and "Washington" are also cities."""
    from deid.places import country_names, us_states

    names = set(us_states()) | set(us_states().values()) | set(country_names()) | {"USA", "US", "UK", "U.S."}
    return frozenset(names - {"New York", "Washington", "Georgia", "DC", "District of Columbia"})
