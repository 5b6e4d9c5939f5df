"""The entity set's rules that one span's own text can break, applied to the model's spans.

``conf/entities/hipaa.yaml`` says what each label covers; a model tags past those rules (a credential inside a
name, a keyword inside a date, a drug or an eponym as a person) or stops short of them (an initial left out).
``trim_to_rules`` cuts a span to what the rules say can be PHI and ``breaks_a_rule`` says when nothing of it can
be; ``extend_to_rules`` grows a span over what the model left out at its edge; ``split_runaway`` keeps of a span
that runs on over a sentence only the words that can be PHI. The pattern detectors share the relation words.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

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
_RELATION_ONLY = re.compile(rf"(?i:(?:her|his|my|their|our|your|the|pt['’]s|patient['’]s)\s+)?(?!Son\b)(?:{RELATIONS}s?|(?i:parents|children|kids|family|sisters|brothers))")
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
    rf"(?i:{_MONTH_OR_WEEKDAY}|christmas|x-?mas|thanksgiving|easter"
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
        # specialties and services named without a proper name ("Fracture Clinic", "Thoracic Oncology", "Pain Center")
        "fracture", "thoracic", "breast", "spine", "sports", "wound", "pain", "sleep", "memory", "heart", "vascular",
        "pediatric", "pediatrics", "orthopedic", "orthopedics", "orthopaedic", "orthopaedics", "urology", "dermatology",
        "gastroenterology", "gi", "endocrinology", "endo", "rheumatology", "pulmonology", "pulmonary", "nephrology",
        "hepatology", "hematology", "infectious", "disease", "diseases", "allergy", "ent", "ophthalmology", "psychiatry",
        "behavioral", "psychology", "obstetrics", "gynecology", "maternity", "nicu", "picu", "pacu", "cath", "interventional",
        "nuclear", "medicine", "internal", "primary", "care", "urgent", "rehab", "rehabilitation", "physical", "therapy",
        "occupational", "speech", "infusion", "center", "centre", "and", "&", "of", "for", "hospitalist", "hospitalists",
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
    r"|approach|technique|pull-through|incision|flap|anastomosis|shunt|stent|dressing|rules?|protocol|regimen|fx|downgoing"
    r"|upgoing|category|class)|Disease|Syndrome|Palsy|Sign|Scale|Score|Criteria|Rules?|Protocol)\b"
)  # in lower case ("ÇORLU, HINDAL Procedure date:" is a name before a heading)
_DRUG_STEM = re.compile(
    r"(?i:\w{3,}(?:mab|nib|pril|sartan|olol|statin|azole|cillin|mycin|floxacin|parin|xaban|gliflozin|gliptin|dipine|prazole"
    r"|tidine|glutide|tinib|ciclib|lukast|triptan|setron|dronate|semide|thiazide|oxetine|apine|idone|azepam|zolam)\b)"
)
# "Molina" alone is as often a family name as the insurer.
_INSURER = re.compile(
    r"\b(?:Blue\s+Cross|Blue\s+Shield|BCBS\w*|Aetna|Cigna|Humana|UnitedHealth\w*|United\s+Healthcare|Anthem|Centene"
    r"|Molina\s+Healthcare|WellCare|Highmark|Oscar\s+Health|Tricare|TRICARE|MassHealth|Medi-Cal)\b"
)
_ICD10 = re.compile(
    r"[A-TV-Z]\d{2}(?:\.[0-9A-Z]{1,4})?(?:,\s*[A-TV-Z]\d{2}(?:\.[0-9A-Z]{1,4})?)*(?:\s+[a-z][a-z0-9 ,'-]*)?"
)  # "E11.9 type 2 diabetes", "I10, E78"
# Clinical notation that is no date, name or identifier: a duration or a gestational age ("3 wks ago", "42 min",
# "37w2d", "28 2/7 weeks"), pack-years, gravida/para ("G2P1001"), a weekday that recurs ("Tuesdays and Fridays",
# "MWF"), a unit of the hospital ("MICU", "3W", "7N-712B").
_NOTATION = re.compile(
    r"(?i:\d{1,3}(?:\.\d)?(?:\s?[-–]\s?\d{1,3})?\s*(?:-|\s)?(?:w|wk|wks|weeks?|d|days?|min|mins|minutes?|h|hrs?|hours?|mo|mos|months?)"
    r"(?:\s+ago)?|\d{1,2}w\d{1,2}d|\d{2}\s[0-6]/7(?:\s*(?:weeks?|wks?))?|\d{1,3}\s*(?:pk|pack)[- ]?(?:yrs?|years?)"
    r"|G\d{1,2}\s?P\d{1,4}|(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days(?:,?\s+(?:and\s+)?)?)+|M/?W/?F|T/?Th|TTh"
    r"|[MSCNPT]?ICU|CVICU|NSICU|PACU|ALF|SNF|LTAC|IRF|\d{1,2}[NSEW](?:-\d{1,4}[A-Z]?)?"
    r"|\d{1,2}\s?(?:Ortho|Surg|Med|Tele|Onc|Neuro|Cardiac|Peds|Rehab|Med-?Surg|Step-?down)\.?)"
)
# CPT and HCPCS codes after their keyword on the line ("CPT: 99215-25, 93000, 36415") are no identifiers.
_CPT_BEFORE = re.compile(
    r"(?i:\b(?:CPT|HCPCS|procedure|billing)(?:\s+codes?)?)(?:\s+(?:for|billed|today|submitted))*\s*[:#]?\s*(?:\d{5}(?:-\d{2})?(?:\s*x\s?\d+)?(?:\s*[,;/]\s*|\s+)|\([^)\n]*\)\s*[,;/]?\s*)*$"
)
_HCPCS_SHAPE = r"[A-V]\d{4}"  # a HCPCS level II code ("J3301", "G0121")
_CPT_CODE = re.compile(rf"\d{{5}}(?:-\d{{2}})?|{_HCPCS_SHAPE}")
# A visual acuity ("20/20 OU") or a grade ("2/6 systolic", "4/5 strength") is no date or identifier.
_ACUITY_OR_GRADE = re.compile(
    r"20/\d{2,3}(?:\s+O[UDS])?\.?|\d{1,2}/(?:[2-6]|10)\s+(?i:systolic|diastolic|holosystolic|murmur|SEM|strength|power"
    r"|pain|reflex(?:es)?)\b.*"
)
_HCPCS = re.compile(_HCPCS_SHAPE)
_COUNT_BEFORE = re.compile(r"(?i:\b(?:day|days|POD|HD|week|wk|cycle|dose|trial|session|visit|round|attempt|step|grade|stage|level|no\.?)\s*#?\s*)$")
# A score after a one-word "name": a decimal, or a fraction no date can be (numerator over 12 or denominator over 31).
_SCORE_AFTER = re.compile(r"\s+(?:\d{1,2}\.\d(?![\d.-])|(?:1[3-9]|[2-9]\d|\d{3})/\d{1,3}(?![\d/])|\d{1,2}/(?:3[2-9]|[4-9]\d|\d{3})(?![\d/]))")
_NUMBER_ALONE = re.compile(r"\d{1,3}(?:st|nd|rd|th)?")
# Clinical scores named after people who are also common surnames, with a whole-number score after them ("Alvarado 4",
# "Aldrete 8 then 10", "Westley 4", "Braden 15"). Only with the number: "Alvarado" alone may be the patient, and a
# title before the word ("Dr. Wells 4 pm") keeps it a name. From general clinical knowledge, not from any data set.
_SCORE_EPONYMS = frozenset(
    "alvarado aldrete westley braden wells glasgow apgar ranson bishop mallampati gleason breslow killip fisher"
    " caprini padua khorana charlson karnofsky lansky zubrod norton waterlow tanner beighton berg barthel katz"
    " rankin beck epworth centor mcisaac ballard dubowitz finnegan sarnat gail hinchey"
    " rockall blatchford balthazar bosniak fleischner clavien gartland tegner lysholm oswestry cobb"
    " risser fitzpatrick fontaine rutherford lachman spetzler kellgren outerbridge gustilo schatzker neer frykman"
    " meyerding ficat weber truelove lown tinetti morse silverman kurtzke"
    " ramsay aldrete wexner bristol".split()
)
_WHOLE_SCORE_AFTER = re.compile(r"\s+(?:(?:score|grade|class|stage)\s+(?:of\s+)?)?(?:[0-9]|1\d|[2-4]\d)(?![\d/:.,]\d|[\w/%-]|\s*(?i:yo|y/o|yrs?|years?|am|pm|a\.m|p\.m|times|x|days?|d|weeks?|wks?|hours?|hrs?|h|min(?:ute)?s?|months?|mos?)\b)")
_ADDRESS_GOES_ON = re.compile(r",?\s*[A-Z0-9]")


# A drug, device or company name is no person or place (conf/entities/hipaa.yaml), nor is it with the dose after it
# ("Eliquis 5 mg BID", "Wegovy 0.25 mg weekly", "Zio patch x 14 days").
_PRODUCT_NAMES_FILE = Path(__file__).resolve().parent.parent / "data" / "product_names.txt"
_DOSE_OR_COUNT = re.compile(
    r"\s+(?:(?:\d[\d.,/]*|x\s?\d+)\b.*|(?i:BID|TID|QID|QD|QHS|HS|PRN|daily|weekly|PO|SQ|SC|IV|IM|patch|pen|inhaler)\b.*)", re.S
)


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    """Given names in lower case (``deid.patterns.names.given_names``, Faker's tables)."""
    from deid.patterns.names import given_names  # here, not at the top: deid.patterns imports these rules

    return frozenset(name.lower() for name in given_names())


@lru_cache(maxsize=1)
def _product_names() -> frozenset[str]:
    """Product and company names in lower case (deid/data/product_names.txt), less those that are given names."""
    names = (line.split("#", 1)[0].strip().lower() for line in _PRODUCT_NAMES_FILE.read_text(encoding="utf-8").splitlines())
    return frozenset(name for name in names if name and name not in _given_names())


def names_a_product(value: str) -> bool:
    """Whether ``value`` is a drug, device or company name, with or without a dose or count after it."""
    name = _DOSE_OR_COUNT.sub("", value.strip()).strip(" .,;:").lower()
    return name in _product_names()


# A small number is no part of a name ("Braden 15", "MoCA 26/30", "Jardiance 10 mg", "x4"): small numbers at a
# PERSON span's edges are cut off, and a span of nothing else is dropped. Longer digit runs and clock times stay:
# the model may have tagged an identifier or a time with the wrong label ("1639285540", "5:50a", "RAMQ TREM 8562 1419"),
# and a wrong label still redacts it.
_SMALL_NUMBER = re.compile(r"[(#x]?\d{1,3}(?:[./]\d{1,3})?(?:[a-z]{0,3}|%)?[),.;]?")
_TOKEN = re.compile(r"\S+")
_AGE_OVER_89 = re.compile(r"(?<!\d)(?:9\d|1[0-2]\d)(?![\d.])")  # "95" may be an age the model labelled PERSON


def _without_small_numbers(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A PERSON span's bounds without small numbers at its edges; ``None`` when it holds nothing else."""
    tokens = list(_TOKEN.finditer(text, start, end))
    while tokens and _SMALL_NUMBER.fullmatch(tokens[0].group()):
        tokens.pop(0)
    while tokens and _SMALL_NUMBER.fullmatch(tokens[-1].group()):
        tokens.pop()
    if not tokens:
        return None if not _AGE_OVER_89.search(text, start, end) else (start, end)
    return tokens[0].start(), tokens[-1].end()


# What the model leaves out at a name's or a place's edge and the rules put in: initials before a name ("R. Feldman"),
# a trailing initial ("Okeke, Chinonso P.", "WASHINGTON, D", "HOLLOWAY ,  JUDITH  A" on a form); a facility's head
# noun after its name ("DaVita Germantown Dialysis", "Crow Reservation") and its abbreviation in parentheses.
# The words of a street address's unit, in the languages the sets use.
_UNIT_WORDS = "apt|apartment|suite|ste|unit|fl|floor|rm|room|bldg|apto|piso|depto|flat"
_TITLE_BEFORE = re.compile(r"(?:^|(?<=[\s(\"“]))(?:[Dd]r|DR|[Mm]rs?|MRS?|[Mm]s|[Mm]iss|[Pp]rof)\.? $")
_INITIALS_BEFORE = re.compile(r"(?:^|(?<=[\s(]))(?:[A-Z]\. ?){1,2}$")
_INITIAL_AFTER = re.compile(r" [A-Z]\.(?![\w.])|, [A-Z](?=\s|$|[|,;)])|\s{1,2}[A-Z](?=\s{2,}|[ \t]*(?:\n|$))")
_LOWER_INITIAL_AFTER = re.compile(r" [a-z]\.(?![\w.])")  # "sandra r."
# A given name alone goes on over the family name after it ("Daughter Magdalena Wiśniewska"), not over a word that
# starts a sentence or names a day, a month or a facility.
_SURNAME_AFTER = re.compile(
    r" (?!(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|The|And|But|Called|Said|Will|Has|Was|Is)[a-z]*\b)"
    r"[A-Z][a-zà-ÿąćęłńóśźżčřšžěůő'’-]{2,}(?![\w'’.-])"
)
_FACILITY_HEAD_AFTER = re.compile(
    r" (?:Dialysis(?: Center| Clinic| Unit)?|Rehabilitation(?: (?:and|&) Nursing)?(?: Center)?"
    r"|Nursing(?: (?:and|&) Rehabilitation)?(?: Home| Center| Facility)?|Primary Care|Urgent Care|Medical Center|Medical Group"
    r"|Health Center|Care Center|Surgery Center|Surgical Center|Cancer Center|Hospital|Clinic|Hospice|Pharmacy"
    r"|Reservation|Agency|County|Parish|Township|Block|Sector|Layout|Colony)(?![\w'’-])"
    rf"|,?\s*(?i:{_UNIT_WORDS})\.?\s*#?\s*[A-Za-z]?\d{{1,5}}[A-Za-z]?(?![\w-])"
    r"|\s\([A-Z][A-Za-z&]{1,7}\)"  # its abbreviation in parentheses ("Lagos University Teaching Hospital (LUTH)")
)


# A name in capitals on a form goes on over the words in capitals after it to the end of its field ("NP SHARONDA
# WILLIAMS" and a line break or a wide gap; not into a sentence in capitals, "NOTIFIED AT 10:00"); a date over
# a year said in words ("November second twenty twenty five").
_CAPITALS_AFTER = re.compile(rf"(?:[ \t]{{1,2}}(?!(?:{_CREDENTIALS})\b)[A-Z][A-Z'’-]+(?![\w'’-])){{1,2}}(?=[ \t]{{2,}}|[ \t]*(?:\n|$))")
_YEAR_IN_WORDS_AFTER = re.compile(
    r",?\s+(?i:(?:nineteen|twenty|two\s+thousand)(?:\s+(?:and\s+)?(?:oh\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty"
    r"|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?))(?![\w-])"
)


# A date's "the" ("the 28th"), its time zone ("7:15 a.m. CT"); a place's "Port of", "PO Box" before it, a hospital
# acronym's campus after it ("UCSF Mission Bay").
_THE_BEFORE = re.compile(r"(?i:\bthe\s+)$")
_ZONE_AFTER = re.compile(r" (?:[ECMP][SD]?T|UTC|GMT)\b")
_PLACE_WORDS_BEFORE = re.compile(r"(?:\bPort\s+of|\bP\.?\s?O\.?\s+Box)\s+$")
_CAMPUS_AFTER = re.compile(r"(?: (?!(?:The|And|Or|To|For|On|In|At|Is|Was|Transfer|Hospital|Clinic)\b)[A-Z][a-z]+){1,2}(?![\w'’-])")


# A street's unit after it ("1187 Grand Concourse, Apt 4F", "Rua da Bahia, 1148, apto 702"), or the unit's number after
# a span that ends with the unit's word ("Apt" then "4F").
_UNIT_WORD_AT_END = re.compile(rf"(?i:\b(?:{_UNIT_WORDS}))\.?$")
_UNIT_NUMBER = re.compile(r"\s*#?\s*[A-Za-z]?\d{1,5}[A-Za-z]?(?![\w-])")


_PARTICLE_AT_END = re.compile(r"(?<=\s)(?:De|de|Del|del|Da|da|Van|van|Von|von|Di|di|Du|du|Dos|dos|La|la|Le|le|Bin|bin|Al|al)$")
_NAME_AFTER_PARTICLE = re.compile(r"(?:\s(?:la|las|los|le|der|den|da|de))?\s[A-Z][a-zà-ÿ'’-]+(?![\w'’-])")
_SPACED_LETTERS = re.compile(r"[A-Z](?: [A-Z]){2,}")
_SPACED_LETTERS_AFTER = re.compile(r"\s*,?\s{1,3}[A-Z](?: [A-Za-z]){1,}(?![\w])")
_CITY_WORD_AFTER = re.compile(r" City\b(?! (?:Hall|Council|Jail|Hospital|Clinic|Health)\b)")
_LOWER_STREET_TYPE_AFTER = re.compile(r" (?:st|ave|rd|blvd|dr|ln|pkwy|hwy|street|avenue|road|drive|lane|boulevard|parkway|highway)\b\.?")


def extend_to_rules(text: str, span: Span) -> Span:
    """``span`` grown over what the rules say belongs to it and the model left out at its edge (see above)."""
    start, end = span.start, span.end
    if span.label == "PERSON":
        before = _INITIALS_BEFORE.search(text, max(0, start - 6), start)
        if before:
            start = before.start()
        title = _TITLE_BEFORE.search(text, max(0, start - 6), start)
        if title:
            start = title.start()  # "dr feldmann": the title belongs to PERSON
        if text[start:end].isupper() and len(text[start:end].strip()) > 1:
            more = _CAPITALS_AFTER.match(text, end)
            if more:
                end = more.end()
        if re.fullmatch(r"[A-Z][a-zà-ÿ'’-]+", text[start:end]) and text[start:end].lower() in _given_names():
            surname = _SURNAME_AFTER.match(text, end)
            if surname and surname.group().strip().lower() not in _DEPARTMENT_WORDS:
                end = surname.end()
        after = _INITIAL_AFTER.match(text, end) or (text[start:end].islower() and _LOWER_INITIAL_AFTER.match(text, end))
        if after:
            end = after.end()
        rest = _PARTICLE_AT_END.search(text, start, end) and _NAME_AFTER_PARTICLE.match(text, end)
        if rest:
            end = rest.end()  # "Ignacio De" + "la Rosa": a surname's particle does not end a name
        if _SPACED_LETTERS.fullmatch(text, start, end):
            more = _SPACED_LETTERS_AFTER.match(text, end)
            if more:
                end = more.end()  # "W E L L S" + ",  M A R V I N": a name typed letter by letter
    elif span.label == "DATE_TIME":
        year = _YEAR_IN_WORDS_AFTER.match(text, end) or _ZONE_AFTER.match(text, end)
        if year:
            end = year.end()
        the = _THE_BEFORE.search(text, max(0, start - 4), start)
        if the and re.match(r"\d{1,2}(?:st|nd|rd|th)\b", text[start:end]):
            start = the.start()
    elif span.label == "LOCATION":
        after = _FACILITY_HEAD_AFTER.match(text, end) or (_UNIT_WORD_AT_END.search(text, start, end) and _UNIT_NUMBER.match(text, end))
        if after:
            end = after.end()
        city = _CITY_WORD_AFTER.match(text, end)
        if city:
            end = city.end()  # "Tagbilaran" + " City", "Quezon" + " City"
        street = _LOWER_STREET_TYPE_AFTER.match(text, end) if text[start:end].islower() else None
        if street:
            end = street.end()  # "lake shore dr": the street's type, in lower case as chat writes it
        before = _PLACE_WORDS_BEFORE.search(text, max(0, start - 12), start)
        if before:
            start = before.start()
        if re.fullmatch(r"[A-Z]{2,6}", text[start:end]):
            campus = _CAMPUS_AFTER.match(text, end)
            if campus:
                end = campus.end()
    if span.label in ("LOCATION", "PERSON") and re.match(r"(?i:St|Mt|Saint)\b", text[start:end]) and re.match(r"['’]s\b", text[end : end + 3]):
        end += 2  # "St. Vincent's", "st vincent's" (the model may call it a person): a name that is a possessive is tagged whole
    return span if (start, end) == (span.start, span.end) else replace(span, start=start, end=end)


# A span that runs on past its value over a sentence or more ("12/03/2023 1415: Pt's son Rafael called from San
# Antonio asking for an update; ..."): the model opened a tag and closed it late. Its plain lower-case words are
# uncovered; every word with a capital or a digit, and every lower-case word that is a given name or a word of a
# city's name ("son rafael", "from san antonio"), stays covered, in spans of the model's label.
_RUNAWAY_WORDS = 8
_SENTENCE_WORDS = 5  # more than five words over a sentence's or a clause's end
_SENTENCE_END = re.compile(r"[.;:!?]\s")
_WORD = re.compile(r"\S+")
_PLAIN_WORD = re.compile(r"[\"'‘“(\[«]*([^\W\d_]+(?:['’/-][^\W\d_]+)*)[\"'’”)\].,;:!?»]*")  # letters of any cased script


@lru_cache(maxsize=1)
def _name_and_city_words() -> frozenset[str]:
    """Lower-case given names and words of US and world city names: a runaway span keeps them covered."""
    from deid.places import city_names

    return _given_names() | frozenset(w for name in city_names() for w in re.findall(r"[a-zà-ÿ'’-]+", name.lower()))


# Function words and relation words are plain even where a city or a given name has them ("of", "the", "son").
_FUNCTION_WORDS = frozenset(
    "a an the of in on at to by for from with and or but not no as is was are were be been has had have will would"
    " can could should may might he she him her his hers they them their we us our you your it its this that these"
    " those there here who whom what when where which while if then than so up down out over after before about".split()
)


def _plain(word: str) -> bool:
    match = _PLAIN_WORD.fullmatch(word)
    if match is None:
        return False
    core = match.group(1)
    if not core.islower():
        return False  # a capital, or a script without case (CJK): it may be a name
    return core in _FUNCTION_WORDS or _RELATION_ONLY.fullmatch(core) is not None or core not in _name_and_city_words()


def split_runaway(text: str, span: Span) -> list[Span] | None:
    """``None`` when ``span`` is no runaway; else, when it runs over more than eight words (more than five over a
    sentence's end), the runs of its words that are not plain lower-case words (see above), each a span of its label
    (the span itself when none is plain). A runaway's pieces are kept as they are, never dropped by a span rule."""
    words = list(_WORD.finditer(text, span.start, span.end))
    runs_over_a_sentence = len(words) > _SENTENCE_WORDS and _SENTENCE_END.search(text, span.start, span.end) is not None
    if len(words) <= _RUNAWAY_WORDS and not runs_over_a_sentence:
        return None
    pieces: list[Span] = []
    run: list[re.Match[str]] = []
    for word in [*words, None]:
        if word is not None and not _plain(word.group()):
            run.append(word)
            continue
        if run:
            pieces.append(replace(span, start=run[0].start(), end=run[-1].end()))
            run = []
    return pieces


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
    if label == "PERSON":
        bounds = _without_small_numbers(text, start, end)
        if bounds is None:
            return None  # "15", "26/30": a score or a count, no name
        start, end = bounds
    if label != "DATE_TIME" and _CPT_CODE.fullmatch(text, start, end) and _CPT_BEFORE.search(text, max(0, start - 120), start):
        return None  # "CPT: 99215-25, 93000": a procedure code
    if label == "LOCATION" and (_EPONYM_AFTER.search(text, start, end) or _EPONYM_AFTER.match(text, end)):
        return None  # "Boston Bowel Prep Scale", "Bethesda category II": a scale or a class named after a place
    if label == "DATE_TIME" and _COUNT_BEFORE.search(text, max(0, start - 12), start) and re.fullmatch(r"\d{1,2}", text[start:end]):
        return None  # "NICU day 21", "POD 3": a count, no date
    if label == "PERSON" and " " not in text[start:end].strip() and _SCORE_AFTER.match(text, end):
        return None  # "Wells 1.5", "Berg 41/56", "Tinetti 19/28": a scale and its score
    if (
        label in ("PERSON", "LOCATION")
        and text[start:end].lower() in _SCORE_EPONYMS
        and _WHOLE_SCORE_AFTER.match(text, end)
        and not _TITLE_BEFORE.search(text, max(0, start - 6), start)
    ):
        return None  # "Alvarado 4", "Aldrete 8": a clinical score named after a person, with its score
    if label in ("PERSON", "LOCATION") and _HCPCS.fullmatch(text, start, end):
        return None  # "J3301": a billing code
    if label in ("PERSON", "LOCATION") and names_a_product(text[start:end]):
        return None  # "Eliquis 5 mg BID", "Lincare": a product or a company
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
    if value.strip().lower() in _STOPWORDS or (label != "AGE" and _NOTATION.fullmatch(value.strip(" .,;:()"))):
        return True  # a stop word; clinical notation (above)
    if label == "PERSON":
        return (
            _TITLE_ONLY.fullmatch(value) is not None
            or _RELATION_ONLY.fullmatch(value.strip()) is not None
            or sum(not (len(word) == 1 and word.isalpha()) for word in value.split()) > _MOST_WORDS_IN_A_NAME  # "A B I G A I L"
            or _DRUG_STEM.search(value) is not None
            or _INSURER.search(value) is not None
            or "+" in value  # "GBS+": a result, no name
            or _WARD.fullmatch(value.strip()) is not None  # "Bed"
            or _ICD10.fullmatch(value) is not None
        )
    if sum(ch.isalnum() for ch in value) < 2 or _WARD.fullmatch(value):
        return True  # a stray letter or mark; a ward, bay, bed or room
    if _ICD10.fullmatch(value.strip(" ,;:.()")) or _ACUITY_OR_GRADE.fullmatch(value) or (_INSURER.search(value) and not any(ch.isdigit() for ch in value)):
        return True  # a diagnosis code; an insurer (only facilities are places)
    if label == "DATE_TIME":  # a capitalised word may be a place or a name with the wrong label ("Warwick"): kept
        return not _has_digits(value) and _DATE_WORD.search(value) is None and not re.search(r"[A-Z]", value)
    if label == "LOCATION" and value.strip() in ("North", "South", "East", "West", "north", "south", "east", "west"):
        return True  # "6 West": a direction alone is a wing of the hospital, no place
    if label == "LOCATION":
        words = re.findall(r"[\w'’]+", value.lower())
        return value.strip() in _states_and_countries() or (bool(words) and all(w in _DEPARTMENT_WORDS for w in words))
    if label == "AGE":
        numbers = [int(n) for n in re.findall(r"\d+", value)]
        return bool(numbers) and max(numbers) < 90
    if label in _DIGITS_REQUIRED:
        return not _has_digits(value)
    return False


# Digits said in words count as digits ("four twelve thirty one", "five two oh five five five ...").
_NUMBER_WORDS = re.compile(
    r"(?i:\b(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)\b)"
)


def _has_digits(value: str) -> bool:
    return any(ch.isdigit() for ch in value) or len(_NUMBER_WORDS.findall(value)) >= 3


@lru_cache(maxsize=1)
def _states_and_countries() -> frozenset[str]:
    """US state names and codes and country names (not PHI alone); "New York" and "Washington" are also cities."""
    from deid.places import country_names, us_states

    names = set(us_states()) | set(us_states().values()) | set(country_names()) | {"USA", "US", "UK", "U.S."}
    return frozenset(names - {"New York", "Washington", "Georgia", "DC", "District of Columbia"})
