"""Deterministic regex detectors for structured identifiers, emitting HIPAA labels.

Each detector is a named regex with the label it emits, the group that holds the identifier
(so a keyword such as ``MRN`` or ``fax`` can anchor a match without being part of the span)
and an optional validator. Add a detector by appending to ``DETECTORS``; order is priority
when two detectors claim the same characters with spans of equal length.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable, Iterator, Sequence

from deid.places import hospital_names, hospitals, us_cities, us_counties
from deid.spans import Span, keep_whole_in_order

VALUE = "value"  # name of the regex group holding the identifier when a keyword precedes it


@dataclass(frozen=True)
class Detector:
    """A named regex that emits ``label`` for the text of group ``group`` when ``validator`` accepts it."""

    name: str
    label: str
    regex: re.Pattern[str]
    group: int | str = 0
    validator: Callable[[str], bool] | None = None

    def __post_init__(self) -> None:
        if isinstance(self.group, str) and self.group not in self.regex.groupindex:
            raise ValueError(f"detector {self.name!r} names group {self.group!r}, which its regex lacks")

    def find(self, text: str) -> Iterator[Span]:
        """Every accepted match in ``text`` as a span."""
        for match in self.regex.finditer(text):
            start, end = match.span(self.group)
            if start < end and (self.validator is None or self.validator(text[start:end])):
                yield Span(start, end, self.label)


# --- building blocks -------------------------------------------------------------------------

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
    r"|JANUARY|FEBRUARY|MARCH|APRIL|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)"
)  # title case or spelled out in capitals: lower-case "mar"/"may" and "MAR" (administration record) are words
_MONTH_WORD = rf"{_MONTH}\b\.?"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_YEAR4 = r"(?:19|20)\d{2}(?!\d)"
_TIME = (
    r"(?:(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s?(?:[AaPp][Mm]\b|[AaPp]\.[Mm]\.))?"
    r"|(?:1[0-2]|0?[1-9])\s?[AaPp][Mm]\b)"
)
_NOT_DOSE = r"(?!\s*(?i:mg|mcg|ml|g|units?)\b)"  # "5-10-15 mg" is a titration, "May 5 mg" a dose
_AT_TIME = rf"(?:(?:[ T]|,\s*|\s+(?:at|@)\s*){_TIME})?"

_EXTENSION = r"(?:\s*,?\s*(?i:ext\.?|x\.?|extension)\s*\d{1,5})?(?!\w)(?!-\d)"
# A bare number must follow the North American numbering plan (area code and exchange start with
# 2-9); a parenthesised area code is a phone number whatever its digits.
_PHONE_US = (
    r"(?<![\w+])(?:\+?1[ .-]?)?(?:\(\d{3}\)\s?\d{3}|[2-9]\d{2}[ .-][2-9]\d{2})[ .-]\d{4}" + _EXTENSION
)
# After a keyword ("Phone:", "fax", "call her at") any digits of the right shape are a number:
# 555-0100, 123-456-7890 and 000-000-0000 are all over real notes and test corpora.
_PHONE_US_ANY = (
    r"(?<![\w+])(?:\+?1[ .-]?)?(?:\(\d{3}\)\s?\d{3}[ .-]?\d{4}|\d{3}(?P<sep>[ .-])\d{3}(?P=sep)\d{4}|\d{10}|\d{3}[ .-]\d{4}(?![ .-]\d))"
    + _EXTENSION
)
# A country code and 1-5 groups (German subscriber numbers run to 8 digits: +49 30 12345678).
_PHONE_INTL = r"(?<![\w+])\+[2-9]\d{0,2}(?:[ .-]\(?\d{1,8}\)?){1,5}(?!\w)(?!-\d)"
# After a phone keyword, a number grouped as national numbers abroad are (55 5555 1234, 020 7946 0958).
_PHONE_GROUPED = r"(?<![\w+])\(?\d{2,5}\)?(?:[ .-]\d{2,5}){1,4}(?!\w)(?![-/.]\d)"

# ID (Idaho) is left out: "ID 12345" is far more often an identifier than an Idaho ZIP.
_STATE_ABBR = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM"
    "|NY|NC|ND|OH|OK|OR|PA|PR|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY"
)
_STATE_NAME = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii"
    "|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan"
    "|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico"
    "|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island"
    "|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia"
    "|Wisconsin|Wyoming|Puerto Rico"
)

# An identifier after a keyword: letters, digits and inner hyphens, at least 4 long, with a digit.
_ID_VALUE = rf"(?P<{VALUE}>(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]{{4}})[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?![\w-])"
_NO = r"(?:no\b\.?|number|#)"  # "no.", "number" or "#" after a keyword
_PHONE_KEYWORDS = (
    r"phone|ph|tel(?:ephone)?|cell(?:ular)?|mobile|mob|pager|beeper|contact|call(?:ed)?|callback|text(?:ed)?"
    r"|reach(?:ed)?|home|work|office|daytime|evening|landline|dial(?:ed)?|number"
)
_TLDS = "com|org|net|edu|gov|mil|io|us|info|health|app|co\\.uk|nhs\\.uk|ca|de|fr|in|mx"
_PLAN_PREFIXES = "HMO|PPO|EPO|POS|HDHP|MCD|MCR|MCO|BCBS|BC|BS|UHC|INS|MBR|MEM|POL|GRP|PLN"
_CODE_PREFIXES = "CPT|ICD|NDC|HCPCS|LOINC|SNOMED|RXCUI|NCT|PMID|PMC|DOI|ISBN|ISO|COVID|SARS|CYP|HLA|CD|IL|BRCA|MIL|STD|EN|IEC|DIN"
_ID_JOINER = r"(?:\s*(?:no\b\.?|nbr\b\.?|num\b\.?|number\b|#|:|=|-(?=\s)))*\s*"


def _literals(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, built as a trie: thousands of names cost about as much as one."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if "" in node:
            return f"(?:{'|'.join(alts)})?" if alts else ""
        return alts[0] if len(alts) == 1 else f"(?:{'|'.join(alts)})"

    return build(trie)


# Real places (deid.places), where a name alone is precise enough: a hospital's multi-word name that says
# what it is ("Massachusetts General Hospital", "Mt. Sinai Medical Center"), a county, and a city right
# before its state ("Fresno, CA", "Atlanta, Georgia": the city is tagged, the state is not PHI).
_FACILITY_WORD = re.compile(r"\b(?:Hospitals?|Medical|Clinic|Health|Healthcare|Institute|Center|Centre|Infirmary)\b")
_FACILITY_NAMES = sorted(
    {n for h in hospitals() for n in hospital_names(h) if " " in n and _FACILITY_WORD.search(n)}
)
# MD, MA, MS and PA are also credentials ("J. Walker, MD"): after them a city needs its ZIP.
_STATE_ABBR_NOT_CREDENTIAL = "|".join(a for a in _STATE_ABBR.split("|") if a not in ("MD", "MA", "MS", "PA"))
_CITY_NAMES = sorted({c.name for c, _ in us_cities()} | {"New York"})  # GeoNames says "New York City"
_COUNTY_NAMES = sorted({c.name for c in us_counties()})
# A big city named without its state ("seen in Atlanta", "a Fresno clinic") is tagged after a locative word
# or before a facility noun. Cities whose names are also common words, clinical terms or countries and
# provinces are left to the model; a city that is also a person's name is PHI either way.
_CITY_CONTEXT_POPULATION = 100_000
_CITY_NOT_ALONE = frozenset(
    {
        "Mobile", "Independence", "East Independence", "Enterprise", "Orange", "Paradise", "Surprise", "Vista",
        "Centennial", "Jamaica", "Ontario", "Washington", "Columbia", "Cypress", "Valencia", "Universal City",
        "Tri-Cities", "Meads", "Mesa", "Concord", "Sunrise Manor", "Spring Valley", "Deer Valley", "Tempe Junction",
    }
)  # fmt: skip
_BIG_CITY_NAMES = sorted(
    {c.name for c, population in us_cities() if population >= _CITY_CONTEXT_POPULATION and c.name not in _CITY_NOT_ALONE}
    | {"New York"}
)
_LOCATIVE = r"(?:in|from|at|near|to|outside|around|towards?|visiting|via|of)"
_FACILITY_NOUN = (
    r"(?:clinic|hospital|ED|ER|office|practice|urgent\s+care|physician|doctor|PCP|oncologist|cardiologist|surgeon"
    r"|specialist|area|facility|nursing\s+home|rehab|center|shelter|pharmacy|VA|team|group|campus|location|branch)"
)


def _keyword_id(keywords: str) -> re.Pattern[str]:
    """An identifier introduced by one of ``keywords`` (case-insensitive) and optional 'no.', '#', ':'."""
    return re.compile(rf"(?i:\b(?:{keywords}))(?![A-Za-z]){_ID_JOINER}{_ID_VALUE}")


# --- validators ------------------------------------------------------------------------------


def _valid_ssn(value: str) -> bool:
    """SSA never issues area 000, 666 or 9xx, group 00 or serial 0000."""
    digits = re.sub(r"\D", "", value)
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return len(digits) == 9 and area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def _valid_ipv4(value: str) -> bool:
    """Four octets of at most 255."""
    return all(int(octet) <= 255 for octet in value.split("."))


def _valid_ipv6(value: str) -> bool:
    """A real IPv6 address with at least three groups (so clock times like 14:30:00 never pass)."""
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return len([group for group in value.split(":") if group]) >= 3


def _valid_phone_length(value: str) -> bool:
    """A number after a phone keyword has 7 to 15 digits (local number to E.164), whatever its grouping."""
    return 7 <= len(re.sub(r"\D", "", value.split("x")[0].split("ext")[0])) <= 15


def _valid_phone_intl(value: str) -> bool:
    """E.164 allows 8 to 15 digits including the country code."""
    return 8 <= len(re.sub(r"\D", "", value)) <= 15


def _valid_numeric_date(value: str) -> bool:
    """The leading three numbers form a calendar date as Y-M-D, M/D/Y or D/M/Y."""
    first, second, third = (int(n) for n in re.findall(r"\d+", value)[:3])
    if re.match(r"\d{4}", value):
        candidates = [(first, second, third)]
    else:
        year = third if third >= 100 else 2000  # a leap year, so 2/29/xx is not rejected
        candidates = [(year, first, second), (year, second, first)]
    return any(_is_date(*ymd) for ymd in candidates)


def _is_date(year: int, month: int, day: int) -> bool:
    """Whether the three numbers name a real calendar day."""
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _age_over_89(value: str) -> bool:
    """Ages 90 and over are PHI; ages up to 89 are not (and nobody is 130)."""
    return 90 <= int(re.findall(r"\d+", value)[0]) < 130


# --- the registry ----------------------------------------------------------------------------

DETECTORS: tuple[Detector, ...] = (
    Detector("ssn", "US_SSN", re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])"), validator=_valid_ssn),
    # After its keyword an SSN is PHI whatever its digits (987-65-4321 is the classic fake): no validator.
    Detector(
        "ssn_after_keyword",
        "US_SSN",
        re.compile(
            rf"(?i:\b(?:SSN|SS\s*#|SS\s+no\b\.?|soc(?:ial)?\.?\s+sec(?:urity)?\.?(?:\s+{_NO})?))(?![A-Za-z])"
            rf"(?:\s*(?:{_NO}|:|is|=))*\s*(?P<{VALUE}>\d{{3}}([ -]?)\d{{2}}\2\d{{4}})(?!\d)"
        ),
        VALUE,
    ),
    Detector(
        "fax",
        "FAX_NUMBER",
        re.compile(rf"(?i:\bfax)(?!\w)(?:[^\w\n]+[A-Za-z]+){{0,3}}[^\w\n(+]*(?P<{VALUE}>{_PHONE_US_ANY}|{_PHONE_INTL})"),
        VALUE,
    ),
    Detector(
        "phone_after_keyword",
        "PHONE_NUMBER",
        re.compile(
            rf"(?i:\b(?:{_PHONE_KEYWORDS}))(?!\w)(?:[^\w\n]+[A-Za-z]+){{0,3}}[^\w\n(+]*(?P<{VALUE}>{_PHONE_US_ANY}|{_PHONE_INTL}|{_PHONE_GROUPED})"
        ),
        VALUE,
        _valid_phone_length,
    ),
    Detector("phone_us", "PHONE_NUMBER", re.compile(_PHONE_US)),
    Detector("phone_intl", "PHONE_NUMBER", re.compile(_PHONE_INTL), validator=_valid_phone_intl),
    Detector(
        "email", "EMAIL_ADDRESS", re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
    ),
    Detector("url", "URL", re.compile(r"(?i:\b(?:https?://|www\.))[^\s<>\"']*[^\s<>\"'.,;:!?)\]]")),
    # A host name without a scheme (imgur.com/a/x, mychart.example.org): lower-case labels, a common top-level domain.
    Detector("url_bare", "URL", re.compile(rf"(?<![\w@./-])(?:[a-z0-9-]+\.)+(?:{_TLDS})(?![\w-])(?:/[^\s<>\"']*[^\s<>\"'.,;:!?)\]])?")),
    # 555-0100 to 555-0199 are reserved for fiction, and 555 numbers fill test corpora and real notes alike.
    Detector("phone_555", "PHONE_NUMBER", re.compile(r"(?<![\w+-])555-\d{4}(?![\w-])")),
    Detector("ipv4", "IP_ADDRESS", re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\.?\d)(?!\w)"), validator=_valid_ipv4),
    Detector(
        "ipv6", "IP_ADDRESS", re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])"), validator=_valid_ipv6
    ),
    Detector(
        "date_iso",
        "DATE_TIME",
        re.compile(rf"(?<![\w/.:-]){_YEAR4}([-/])\d{{1,2}}\1\d{{1,2}}(?!\d)(?:(?:T|\s+|\s+at\s+){_TIME})?(?![\w/])"),
        validator=_valid_numeric_date,
    ),
    Detector(
        "date_numeric",
        "DATE_TIME",
        re.compile(
            rf"(?<![\w/.:-])\d{{1,2}}(?:([/-])\d{{1,2}}\1(?:\d{{4}}|\d{{2}})|\.\d{{1,2}}\.\d{{4}})(?![\w/]|[.-]\d)"
            rf"{_NOT_DOSE}{_AT_TIME}"
        ),
        validator=_valid_numeric_date,
    ),
    Detector(
        "date_day_month",
        "DATE_TIME",
        re.compile(rf"(?<![\w/.-]){_DAY}(?:[ -]|\s+of\s+){_MONTH_WORD}(?:(?:-|,?\s+){_YEAR4}|-\d{{2}}(?!\d))?{_AT_TIME}"),
    ),
    Detector(
        "date_month_day",
        "DATE_TIME",
        re.compile(rf"\b{_MONTH_WORD}\s+{_DAY}{_NOT_DOSE}(?:,?\s+{_YEAR4})?{_AT_TIME}"),
    ),
    Detector("date_month_year", "DATE_TIME", re.compile(rf"\b{_MONTH_WORD},?\s+{_YEAR4}")),
    Detector(
        "mrn",
        "MEDICAL_RECORD_NUMBER",
        _keyword_id(rf"MRN|MR\s*#|MR\s+no\b\.?|med(?:ical|\.)?\s+rec(?:ord|\.)?(?:\s+{_NO})?|patient\s+ID|pt\.?\s+ID|unit\s+no\b\.?"),
        VALUE,
    ),
    Detector(
        "account",
        "ACCOUNT_NUMBER",
        _keyword_id(rf"acct\.?|account|billing\s+{_NO}|encounter\s+(?:{_NO}|ID)"),
        VALUE,
    ),
    Detector(
        "health_plan",
        "HEALTH_PLAN_NUMBER",
        _keyword_id(
            rf"member(?:ship)?(?:\s+(?:ID|{_NO}))?|policy|subscriber(?:\s+(?:ID|{_NO}))?|gr(?:ou)?p(?:\s+{_NO})?"
            rf"|(?:insurance|ins\.?|medicaid|medicare|beneficiary|(?:health\s+)?plan|HMO|PPO|payer|payor|coverage)(?:\s+(?:ID|{_NO}))?"
        ),
        VALUE,
    ),
    # Letter-prefixed numbers (HMO-234567, AB-987654): the prefix of a plan, or any other identifier.
    # Code systems that look the same (CPT-99213, NCT-...) are not PHI.
    Detector(
        "plan_prefixed",
        "HEALTH_PLAN_NUMBER",
        re.compile(rf"(?<![\w-])(?:{_PLAN_PREFIXES})-[A-Z]?\d{{5,}}(?:-\d+)?(?![\w-])"),
    ),
    Detector(
        "license",
        "LICENSE_NUMBER",
        _keyword_id(r"DEA|licen[cs]e|lic\.|(?-i:DL)"),
        VALUE,
    ),
    Detector(
        "device",
        "DEVICE_ID",
        re.compile(rf"(?:(?i:\bserial(?:\s+{_NO})?|\bdevice\s+ID)|\bS/?N)(?![A-Za-z]){_ID_JOINER}{_ID_VALUE}"),
        VALUE,
    ),
    Detector(
        "zip_after_state",
        "LOCATION",
        re.compile(rf"(?:\b(?:{_STATE_ABBR})|(?i:\b(?:{_STATE_NAME})))\b,?\s+(?P<{VALUE}>\d{{5}}(?:-\d{{4}})?)(?![\w-])"),
        VALUE,
    ),
    Detector(
        "facility_name",
        "LOCATION",
        re.compile(rf"(?<![\w.'-])(?i:{_literals(_FACILITY_NAMES)})(?![\w-])"),
    ),
    Detector(
        "county",
        "LOCATION",
        re.compile(rf"(?<![\w.'-]){_literals(_COUNTY_NAMES + [n.upper() for n in _COUNTY_NAMES])}(?![\w-])"),
    ),
    Detector(
        "city_before_state",
        "LOCATION",
        re.compile(
            rf"(?<![\w.'-]){_literals(_CITY_NAMES + [n.upper() for n in _CITY_NAMES])}"
            rf"(?=,\s?(?:(?:{_STATE_ABBR_NOT_CREDENTIAL})(?!\w|\.\w)|(?:MD|MA|MS|PA)\s+\d{{5}}|(?i:{_STATE_NAME})\b))"
        ),
    ),
    Detector(
        "city_after_locative",
        "LOCATION",
        re.compile(rf"\b{_LOCATIVE}\s+(?:the\s+)?(?P<{VALUE}>{_literals(_BIG_CITY_NAMES)})(?![\w-])"),
        VALUE,
    ),
    Detector(
        "city_before_facility_noun",
        "LOCATION",
        re.compile(rf"(?<![\w.'-])(?P<{VALUE}>{_literals(_BIG_CITY_NAMES)})(?=(?:'s)?\s+{_FACILITY_NOUN}\b)"),
        VALUE,
    ),
    Detector(
        "zip_after_keyword",
        "LOCATION",
        re.compile(rf"(?i:\bzip(?:\s*code)?)\s*[#:]?\s*(?P<{VALUE}>\d{{5}}(?:-\d{{4}})?)(?![\w-])"),
        VALUE,
    ),
    Detector(
        "age_phrase",
        "AGE",
        re.compile(r"(?<![\w.])\d{2,3}(?:[- ]?(?i:years?|yrs?|y)[- ]?(?i:old)|\s?(?i:yo|y/o|y\.o\.)(?!\w))"),
        validator=_age_over_89,
    ),
    Detector(
        "age_keyword",
        "AGE",
        re.compile(rf"(?i:\bage[ds]?)(?:\s*:\s*|\s+(?:of\s+)?)(?P<{VALUE}>\d{{2,3}})(?![\w.])"),
        VALUE,
        _age_over_89,
    ),
    # Generic identifiers last: a more specific detector claiming the same characters wins.
    Detector(
        "id_prefixed",
        "ID",
        re.compile(rf"(?<![\w-])(?!(?:{_CODE_PREFIXES})-)[A-Z]{{1,5}}-\d{{5,}}(?:-\d+)?(?![\w-])"),
    ),
    Detector(
        "id_after_keyword",
        "ID",
        _keyword_id(
            rf"(?:site|subject|study|participant|enrollment|employee|staff|student|badge|case|specimen|accession|sample"
            rf"|reference|ref|claim|visit|client|resident|passport|national|personal|unique|tracking|requisition|order"
            rf"|rx|prescription|voucher|authori[sz]ation|auth|referral|confirmation|ticket)\s*(?:ID|{_NO})|(?-i:I[Dd])"
        ),
        VALUE,
    ),
    Detector(
        "id_after_hash",
        "ID",
        re.compile(rf"(?<![\w#&])#\s?(?P<{VALUE}>[A-Z]{{1,4}}-?\d{{4,}}|\d{{5,}})(?![\w-])"),
        VALUE,
    ),
)


def detect_patterns(
    text: str, labels: Iterable[str] | None = None, detectors: Sequence[Detector] = DETECTORS
) -> list[Span]:
    """Sorted, non-overlapping spans found by ``detectors``, limited to ``labels`` when given."""
    wanted = None if labels is None else frozenset(labels)
    candidates = [
        (priority, span)
        for priority, detector in enumerate(detectors)
        if wanted is None or detector.label in wanted
        for span in detector.find(text)
    ]
    return _longest_wins(candidates)


def _longest_wins(candidates: list[tuple[int, Span]]) -> list[Span]:
    """Keep the longest of overlapping spans whole; ties go to the earlier start, then detector priority."""
    ranked = sorted(candidates, key=lambda c: (c[1].start - c[1].end, c[1].start, c[0]))
    return keep_whole_in_order(span for _, span in ranked)
