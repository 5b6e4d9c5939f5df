"""The pattern detectors' parts: the detector type, shared regex building blocks and validators."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable, Iterator

from deid.spans import Span


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
_AM_PM = r"(?:[AaPp]\.[Mm]\.|[AaPp][Mm]\b)"
_MONTH_LOWER = "january|february|march|april|june|july|august|september|october|november|december"
# Words after which a bare clock time is a time of day ("at 9:30", "until 0700", "ETA 2145").
# Events logged at a clock time ("Arrived PACU 1322", "extubated 0915") may name a unit in capitals in between.
_TIME_AFTER_WORD = (
    r"(?i:\b(?:at|@|by|until|till|after|before|around|approx\.?|about|ETA|from|to|between|and|today|tomorrow|tonight"
    r"|yesterday|time|times|draw|drawn|dose|given|arrived|arrival|departed|extubated|intubated|pronounced|sober|paged"
    r"|notified|called|returned|awoke|woke|transferred|ambulated|reassessed|rechecked|til|d/c['’]?d|dc['’]?d|removed"
    r"|inserted|placed|voided|hung|completed|infused|began|ended|finished|checked|incision|closure|tourniquet\s+(?:up|down)|ETA\s+by\s+\w+|since))(?:\s+(?-i:[A-Z]{2,5}))?\s+"
)
# A 24-hour time of four digits; 1900-2059 are also years ("after 2019") and need "h" or "hrs" after them.
_MILITARY_TIME = (
    r"(?:(?:[01][0-8]|2[1-3])[0-5]\d(?:\s?(?i:h|hrs?|hours)\b)?|(?:19|20)[0-5]\d\s?(?i:h|hrs?|hours)\b)"
    r"(?![\w:/-])(?!\.\d)(?!\s*(?i:mg|mcg|ml|g|units?|cc|kcal|mL|calories|steps|feet|ft|meters|m)\b)"
)
_NOT_DOSE = r"(?!\s*(?i:mg|mcg|ml|g|units?)\b)"  # "5-10-15 mg" is a titration, "May 5 mg" a dose
# A day of the week that points at one day ("seen Tues", "Thursday 3pm"); "sat" and "sun" are words, plurals and
# "Mon/Wed/Fri" recur.
_WEEKDAY = (
    r"(?:(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri)(?![\w'’/])"
    r"|(?:Sat|Sun|SAT|SUN)(?=,?\s+(?:\d|at\b|@)))"
)
# The part of the day after a weekday belongs to the date ("Sunday night", "Tues am").
_PART_OF_DAY = r"(?:\s+(?i:morning|afternoon|evening|night|overnight|am|pm|a\.m\.|p\.m\.)(?!\w)(?!\.\w))"
# Words after which a month/day without a year is a date ("adm 11/26", "seen on 3/4", "next level 12/3").
_MONTH_DAY_AFTER = (
    r"(?i:\b(?:on|since|until|till|thru|through|before|after|adm(?:it(?:ted)?|ission)?|admitted|discharged?|d/c'?d?"
    r"|seen|visit|appt|appointment|surgery|s/p|issued|re-?issued|dated|DOS|due|started|stopped|held|drawn|level"
    r"|last|next|scheduled|returned|effective|expires?|exp\.?|week\s+of|wk\s+of|collected|obtained|resulted))\s*"
)
# A month/day without a year: the month first, as US notes write it; not a fraction of a dose nor a score.
_MONTH_SLASH_DAY = (
    r"(?:1[0-2]|0?[1-9])/(?:3[01]|[12]\d|0?[1-9])(?![\d/]|\.\d)"
    r"(?!\s*(?:tabs?|tablets?|pills?|caps?|doses?|strength|of|mg|mcg|ml|mL|units?|inch|in|cm|NS)\b)"
    r"(?!\s*(?i:systolic|diastolic|holosystolic|pansystolic|murmur|SEM|strength|motor|reflex(?:es)?|pain|power)\b)"
)
# A four-digit clock time with a leading zero ("0615", "0312"): no year, dose or ZIP has that shape.
# A title before a name; the title belongs to the PERSON span (conf/entities/hipaa.yaml). Titles that are also
# words before a capital ("Lt. Arm", "Sig. Take", "Pan American", "Nurse Manager") are left out, as are roles
# ("Officer Ruiz": the role stays outside, as the generator tags it). Dictation spells titles out ("doctor
# Alvarez", "mister O'Neill").
_PERSON_TITLE = (
    r"(?:Dr|Mr|Mrs|Ms|Mx|Prof|Mme|Mlle|Sra|Srta|Dott|Ptl|Sgt|Det|Capt|Insp|Rev)\.?"
    r"|(?<!(?i:mild) )(?<!(?i:trace) )(?<!(?i:mod) )(?<!(?i:moderate) )(?<!(?i:severe) )"  # "Mod MR. RVSP": a valve, no title
    r"(?:DR|MR|MRS|MS)\.?(?=  ?(?:[A-Z]\.  ?)?[A-Z]{2})"  # in capitals, before a name in capitals ("MS. Flu" is no name)
    r"|(?:Miss|Frau|Herr|Señora|Señor|Signora|Signor|Pani|Sister|Father|Rabbi|Pastor|Doctor|Madame|Monsieur|Imam"
    r"|Reverend|Deacon|Chaplain|Elder|doctor|mister|missus|Mister|Missus)"
)
_EARLY_MILITARY_TIME = r"(?<![\w.:/#+-])(?<!ext )(?<!\bx )0\d[0-5]\d(?![\w/-]|\.\d|:\d|\s?\d)(?!\s*(?i:mg|mcg|ml|g|units?)\b)"
# A clock time after a date: "at 9:30", "around 0600", "4:15 PM CT", "9:40a", and a four-digit 24-hour time
# after a full date ("11/29/25 1610"), which no dose or year follows.
_CLOCK = (
    r"(?:(?:(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s?(?:[AaPp][Mm]\b|[AaPp]\.[Mm]\.|[ap]\b))?"
    r"|(?:1[0-2]|0?[1-9])\s?[AaPp][Mm]\b|(?:[01]\d|2[0-3])[0-5]\d(?![\w:]|\.\d)(?!\s*(?i:mg|mcg|ml|g|units?|hrs?)\b))"
    r"(?: (?:[ECMP][SD]T|UTC)\b|(?<=[Mm]) [ECMP]T\b)?)"  # "PT"/"CT" after a bare time are as often therapy and a scan
)
_AT_TIME = rf"(?:(?:[ T]|,\s*|\s+(?:(?:at|@|around|approx\.?|about|~)\s*)?){_CLOCK})?"

_EXTENSION = r"(?:\s*,?\s*(?i:ext\.?|x\.?|extension)\s*\d{1,5})?(?!\w)(?!-\d)"
# A bare number must follow the North American numbering plan (area code and exchange start with
# 2-9); a parenthesised area code is a phone number whatever its digits.
_PHONE_US = (
    r"(?<![\w+])(?:\+?1[ .-]?)?(?:\(\d{3}\)\s?\d{3}|[2-9]\d{2}[ .-][2-9]\d{2})[ .-]\d{4}" + _EXTENSION
)
# After a keyword ("Phone:", "fax", "call her at") any digits of the right shape are a number:
# 555-0100, 123-456-7890 and 000-000-0000 are all over real notes and test corpora.
_PHONE_US_ANY = (
    r"(?<![\w+])(?:\+?1[ .-]?)?(?:\(\d{3}\)\s?\d{3}[ .-]?\d{4}|\d{3}(?P<sep>[ .\-–])\d{3}(?P=sep)\d{4}|\d{10}|\d{3}[ .-]\d{4}(?![ .-]\d))"
    + _EXTENSION
)
# A country code and 1-5 groups (German subscriber numbers run to 8 digits: +49 30 12345678).
_PHONE_INTL = r"(?<![A-Za-z0-9_+])\+[2-9]\d{0,2}(?:[ .-]\(?\d{1,8}\)?){1,5}(?!\w)(?!-\d)"
# After a phone keyword, a number grouped as national numbers abroad are (55 5555 1234, 020 7946 0958).
_PHONE_GROUPED = r"(?<![\w+])\(?\d{2,5}\)?(?:[ .-]\d{2,6}){1,4}(?!\w)(?![-/.]\d)"

# An identifier after a keyword: letters, digits and inner hyphens, at least 4 long, with a digit.
# Digits in groups count as one value ("DL 28 441 907", "member 2953 41872 1").
_ID_VALUE = (
    rf"(?P<{VALUE}>\d{{2,5}}(?:\s\d{{1,5}}){{1,3}}(?![\w-])"
    rf"|(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]{{4}})[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?![\w-])"
)
_NO = r"(?:no\b\.?|number|#)"  # "no.", "number" or "#" after a keyword
_PHONE_KEYWORDS = (
    r"phone|ph|tel(?:ephone)?|cell(?:ular)?|mobile|mob|pager|beeper|contact|call(?:ed)?|callback|text(?:ed)?"
    r"|reach(?:ed)?|home|work|office|daytime|evening|landline|dial(?:ed)?|number"
    r"|sđt|sdt|đt|handy|tél(?:éphone)?|telefon[oe]?|celular|m[oó]vil|portable"
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


# National identifiers abroad, by the name a note gives them before the number.
_NATIONAL_ID_KEYWORDS = (
    r"(?:(?i:\b(?:aadhaa?r|nhs\s+(?:number|no\b\.?)|s[ée]curit[ée]\s+sociale|s[ée]cu\b|NIR\b|social\s+insurance(?:\s+number)?"
    r"|versichertennummer|krankenversichertennummer|steuer-?id|codice\s+fiscale|my\s+number|health\s+card"
    r"|medicare\s+(?:card|number)|resident\s+registration(?:\s+number)?|personnummer|henkilötunnus))"
    r"|\b(?:SIN|CPF|CURP|DNI|NIE|NIF|PESEL|BSN|NRIC|HKID|IHI|RRN|CNP|AHV|NINO|PPSN|NIN|BVN)\b"
    r"|身份证号码?|身份證號碼?|주민등록번호|マイナンバー)"
)


def _valid_national_id(value: str) -> bool:
    """A national identifier has 6 to 20 digits (Aadhaar 12, NIR 15, CPF 11, SIN 9)."""
    return 6 <= len(re.sub(r"\D", "", value)) <= 20


def _four_digits_at_least(value: str) -> bool:
    return sum(ch.isdigit() for ch in value) >= 4


def _ocr_date(value: str) -> bool:
    """A date read by OCR keeps at least four real digits and has a letter read for a digit (else a date detector has it)."""
    return _four_digits_at_least(value) and any(ch in "OoIl" for ch in value)


def _ocr_age_over_89(value: str) -> bool:
    """An age read by OCR ("1O2", "9l"): a letter for a digit, 90 or over once the letters are read as digits."""
    if not any(ch in "OoIl" for ch in value):
        return False
    digits = value.translate(str.maketrans("OoIl", "0011"))
    return digits.isdigit() and 90 <= int(digits) < 130


def _age_over_89(value: str) -> bool:
    """Ages 90 and over are PHI; ages up to 89 are not (and nobody is 130). An age in words is one of ``_AGE_WORDS``."""
    digits = re.findall(r"\d+", value)
    return not digits or 90 <= int(digits[0]) < 130


def _valid_vin(value: str) -> bool:
    """A vehicle identification number mixes letters and digits (17 characters, no I, O or Q)."""
    return sum(ch.isdigit() for ch in value) >= 3 and sum(ch.isalpha() for ch in value) >= 3


# Numbers and ordinals in words, as dictation and voicemail say dates ("four twelve thirty one", "the twentieth").
_NUMBER_WORD = (
    r"(?i:zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand)"
)
_ORDINAL_WORD = (
    r"(?i:(?:twenty|thirty)[- ]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirty|first|second|third"
    r"|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth"
    r"|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)(?![\w-])"
)
# An age over 89 in words ("ninety-one", "ninety four year old", "one hundred and two").
_AGE_WORDS = (
    r"(?i:(?:ninety(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|(?:one\s+|a\s+)?hundred(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve))?))"
)
# A month/day without a year and without a dating word: the day is no common denominator of a score or a
# fraction (/2 /3 /4 /5 /6 /8 /10: "2/6 murmur", "4/5 strength", "7/10 pain", "1/2 tab") unless the month is
# later than it ("11/5"), no score or count is named before or after it ("GCS 3/15", "2/14 nodes").
def _month_later_than_day(days: tuple[int, ...]) -> str:
    """month/day pairs whose month is later than the day: no score has more points than its scale ("11/5", "9/2")."""
    def number(n: int) -> str:
        return f"0?{n}" if n < 10 else str(n)

    return "|".join(f"(?:{'|'.join(number(m) for m in range(12, d, -1))})/{number(d)}" for d in days)


_BARE_MONTH_DAY = (
    r"(?<![\w/.:+-])(?:(?:1[0-2]|0?[1-9])/(?:3[01]|2\d|1[1-9]|0?[179])|" + _month_later_than_day((2, 3, 4, 5, 6, 8, 10)) + r")(?![\d/]|\.\d|-\d)"
    r"(?!\s*(?i:nodes?|lymph|cores?|bottles?|sets?|views?|criteria|points?|doses?|sessions?|days?|weeks?|months?|attempts?"
    r"|trials?|items?|questions?|beats?|hours?|hrs?|minutes?|mins?|times|x|tabs?|tablets?|pills?|caps?|strength|systolic|diastolic|murmur|SEM|pain|of|mg|mcg|wks?"
    r"|ml|units?|positive|negative|ratio|scale|score|vision|OU|OD|OS)\b)"
)
_SCORE_BEFORE = r"(?<!GCS )(?<!MoCA )(?<!MMSE )(?<!SLUMS )(?<!score )(?<!scored )(?<!Apgar )(?<!Apgars )(?<!ratio )(?<!vision )(?<!VA )(?<!pain )(?<!Pain )"


# Numbers as scans and dictation write them: digit groups with spaced dashes ("412 - 555 - 0103"), letters read
# for digits by OCR ("(6l7) 555-O146": O, o, l, I), and digits spoken one by one ("3 1 2 5 5 5 0 1 9 9", "7 1 5, 5 5 5,
# 0 1 6 2"); a parenthesised area code may be followed by a space alone ("(504) 555 - 0138").
_PHONE_SPACED = r"(?<![\w+])(?:\(\d{3}\)\s(?:[-.]\s)?|[2-9]\d{2}\s[-.]\s)[2-9]\d{2}\s[-.]\s\d{4}(?![\w-])"
_OCR_DIGIT = r"[\dOoIl]"
_PHONE_OCR = rf"\(?{_OCR_DIGIT}{{3}}\)?[ .-]?{_OCR_DIGIT}{{3}}[ .-]{_OCR_DIGIT}{{4}}(?![\w-])"
_DIGITS_SPOKEN = r"(?<![\w.-])(?<!\d )(?<!\d, )\d(?:,? \d){9,10}(?!,? \d)(?![\w.-])"
# Ten or eleven digits said in words, commas between groups allowed ("five two oh five five five zero one nine three").
_DIGIT_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
_DIGITS_IN_WORDS = rf"(?i:\b{_DIGIT_WORD}(?:,?\s+{_DIGIT_WORD}){{9,10}}\b)"
# Four digits said as such, in digits or words ("4106", "eight eight one zero").
_LAST_FOUR = rf"(?:\d{{4}}|(?i:{_DIGIT_WORD}(?:\s+{_DIGIT_WORD}){{3}}))"
# Digits and digit words mixed, as a caller reads a number out ("304 five five five 0 one 7 7", "four four one, two
# eight, six six zero nine"): at least one word among digit groups; the detector's validator counts the digits.
_DIGIT_TOKEN = rf"(?:\d{{1,4}}|{_DIGIT_WORD})"
_DIGITS_MIXED = (
    rf"(?i:(?<![\w.-]){_DIGIT_TOKEN}(?:(?:,\s*|\s+-\s+|\s+|-){_DIGIT_TOKEN}){{2,12}}(?![\w-]))"
)


def _digit_count(value: str) -> int:
    """Digits in ``value``, a digit word counting as one ("oh" as zero)."""
    words = re.findall(rf"(?i)\b{_DIGIT_WORD}\b", value)
    return sum(ch.isdigit() for ch in value) + len(words)


def _has_digit_word(value: str) -> bool:
    return re.search(rf"(?i)\b{_DIGIT_WORD}\b", value) is not None


def _spoken_phone(value: str) -> bool:
    """A number read out after a phone keyword: digit words among its groups, 7 to 11 digits."""
    return _has_digit_word(value) and 7 <= _digit_count(value) <= 11


def _spoken_ssn(value: str) -> bool:
    """An SSN read out after its keyword: digit words among its groups, nine digits."""
    return _has_digit_word(value) and _digit_count(value) == 9


def _mostly_digits(value: str) -> bool:
    """An OCR'd number keeps at least seven real digits."""
    return sum(ch.isdigit() for ch in value) >= 7
