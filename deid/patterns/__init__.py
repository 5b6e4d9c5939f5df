"""Deterministic regex detectors for structured identifiers, emitting HIPAA labels.

Each detector is a named regex with the label it emits, the group that holds the identifier
(so a keyword such as ``MRN`` or ``fax`` can anchor a match without being part of the span)
and an optional validator. Add a detector by appending to ``DETECTORS``; order is priority
when two detectors claim the same characters with spans of equal length.
"""


from __future__ import annotations

import re
from typing import Iterable, Sequence

from deid.patterns.base import (
    _AM_PM,
    _EARLY_MILITARY_TIME,
    _MONTH_DAY_AFTER,
    _MONTH_SLASH_DAY,
    _PERSON_TITLE,
    _WEEKDAY,
    _PART_OF_DAY,
    _MILITARY_TIME,
    _MONTH_LOWER,
    _TIME_AFTER_WORD,
    _NATIONAL_ID_KEYWORDS,
    _valid_national_id,
    Detector,
    VALUE,
    _AGE_WORDS,
    _NUMBER_WORD,
    _ORDINAL_WORD,
    _AT_TIME,
    _DIGITS_SPOKEN,
    _DIGITS_IN_WORDS,
    _DIGITS_MIXED,
    _LAST_FOUR,
    _spoken_phone,
    _spoken_ssn,
    _PHONE_OCR,
    _PHONE_SPACED,
    _mostly_digits,
    _BARE_MONTH_DAY,
    _SCORE_BEFORE,
    _CLOCK,
    _CODE_PREFIXES,
    _DAY,
    _ID_JOINER,
    _ID_VALUE,
    _MONTH_WORD,
    _NO,
    _NOT_DOSE,
    _PHONE_GROUPED,
    _PHONE_INTL,
    _PHONE_KEYWORDS,
    _PHONE_US,
    _PHONE_US_ANY,
    _PLAN_PREFIXES,
    _TIME,
    _TLDS,
    _YEAR4,
    _age_over_89,
    _keyword_id,
    _literals,
    _valid_ipv4,
    _valid_ipv6,
    _valid_numeric_date,
    _valid_phone_intl,
    _valid_phone_length,
    _valid_ssn,
    _valid_vin,
    _ocr_date,
    _ocr_age_over_89,
    _four_digits_at_least,
)
from deid.patterns.places import (
    _ADDRESS_CJK,
    _ADDRESS_KOREAN,
    _BIG_CITIES,
    _names_a_cjk_facility,
    _ONE_WORD_ALIASES,
    _after_locative,
    _before_facility_noun,
    _names_a_facility,
    _ADDRESS_CITY_NAMES,
    _ALIAS_ALONE,
    _FACILITY_HEAD,
    _PHARMACY_CHAIN,
    _STREET_US,
    _COUNTRY_NAMES,
    _FACILITY_ALIASES_MULTI,
    _POSTCODE_CA,
    _POSTCODE_UK,
    _STREET_DE,
    _STREET_ROMANCE,
    _CITY_NAMES,
    _COUNTY_NAMES,
    _FACILITY_NAMES,
    _STATE_ABBR,
    _STATE_ABBR_NOT_CREDENTIAL,
    _STATE_NAME,
)
from deid.patterns.people import _CHAT_NOT_A_NAME, _GENERIC_WORD, _GIVEN, _GIVEN_LOWER, _NAME_WORD, _NOT_A_SURNAME, _PARTICLE
from deid.rules import RELATIONS
from deid.spans import Span, keep_whole_in_order


# --- the registry ----------------------------------------------------------------------------

# "eleven hundred dollars": a number said in words, no age.
_NOT_AFTER_A_NUMBER_WORD = "".join(
    f"(?<!{w} )" for w in "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
)

DETECTORS: tuple[Detector, ...] = (
    Detector("ssn", "US_SSN", re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])"), validator=_valid_ssn),
    # After its keyword an SSN is PHI whatever its digits (987-65-4321 is the classic fake): no validator.
    Detector(
        "ssn_after_keyword",
        "US_SSN",
        re.compile(
            rf"(?i:\b(?:SSN|SS\s*#|SS\s+no\b\.?|soc(?:ial)?\.?\s+sec(?:urity)?\.?(?:\s+{_NO})?))(?![A-Za-z])"
            rf"(?:\s*(?:{_NO}|:|is|=|(?:verified|confirmed|on\s+file|provided|given)\b))*\s*(?P<{VALUE}>\d{{3}}([ -]?)\d{{2}}\2\d{{4}})(?!\d)"
        ),
        VALUE,
    ),
    # The last four digits of an SSN, said as such ("SSN ending 4471", "last 4 of SSN: 0932").
    Detector(
        "ssn_last_four",
        "US_SSN",
        re.compile(
            rf"(?i:\b(?:SSN|social(?:\s+security)?(?:\s+{_NO})?)\s+(?:ending(?:\s+in)?|last\s+(?:4|four)(?:\s+digits)?)"
            rf"|\blast\s+(?:4|four)(?:\s+digits)?\s+(?:(?:of|on)\s+(?:the\s+|his\s+|her\s+|my\s+|your\s+)?)?(?:SSN|social(?:\s+security)?(?:\s+{_NO})?))"
            rf"(?:\s*(?:is|:|-|=))?\s*(?P<{VALUE}>{_LAST_FOUR})(?![\w-])"
        ),
        VALUE,
    ),
    # National identifiers abroad after their name, however grouped ("Aadhaar 4821 7730 1164").
    Detector(
        "national_id",
        "ID",
        re.compile(rf"{_NATIONAL_ID_KEYWORDS}[^\w\n]{{0,3}}(?:(?i:no\.?|number|n°|nº|#)[^\w\n]{{0,2}})?(?P<{VALUE}>[A-Z]{{0,3}}\d[\dA-Z]*(?:[ .-][\dA-Z]+){{0,7}})(?![\w-])"),
        VALUE,
        _valid_national_id,
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
    Detector("phone_spaced", "PHONE_NUMBER", re.compile(_PHONE_SPACED)),
    Detector("digits_spoken", "PHONE_NUMBER", re.compile(_DIGITS_SPOKEN)),
    Detector("digits_spoken_in_words", "PHONE_NUMBER", re.compile(_DIGITS_IN_WORDS)),
    # A number read out in digits and words mixed, after a word that introduces a phone number or an SSN.
    Detector(
        "phone_read_out",
        "PHONE_NUMBER",
        re.compile(rf"(?i:\b(?:{_PHONE_KEYWORDS})(?:\s+(?:me|back|at))*)[^\w\n]{{0,3}}(?:is\s+)?(?P<{VALUE}>{_DIGITS_MIXED})"),
        VALUE,
        _spoken_phone,
    ),
    Detector(
        "ssn_read_out",
        "US_SSN",
        re.compile(rf"(?i:\b(?:SSN|social(?:\s+security)?(?:'s|\s+{_NO})?))[^\w\n]{{0,3}}(?:is\s+)?(?P<{VALUE}>{_DIGITS_MIXED})"),
        VALUE,
        _spoken_ssn,
    ),
    # A mobile number in Japan or Korea ("090-1234-5678", "010-1234-5678").
    Detector("phone_jp_kr_mobile", "PHONE_NUMBER", re.compile(r"(?<![\w+-])0[1-9]0-\d{3,4}-\d{4}(?![\w-])")),
    # A hospital-internal extension after a word that dials it or an "x" ("page 4-6621", "page me 2-6631", "x4-7721": the x is inside).
    Detector(
        "phone_extension_internal",
        "PHONE_NUMBER",
        re.compile(
            rf"(?:(?i:\b(?:call(?:ed)?|page[ds]?|paging|pager|beeper|ext\.?|extension|dial(?:ed)?|at)(?:\s+me)?(?:\s+at)?)\s*|(?<![\w-])(?=x))"
            rf"(?P<{VALUE}>x?\d-\d{{4}})(?![\w-])"
        ),
        VALUE,
    ),
    Detector(
        "fax_ocr",
        "FAX_NUMBER",
        re.compile(rf"(?i:\bfax)(?!\w)[^\w\n(+]*(?P<{VALUE}>{_PHONE_OCR})"),
        VALUE,
        _mostly_digits,
    ),
    Detector(
        "phone_ocr",
        "PHONE_NUMBER",
        re.compile(rf"(?i:\b(?:phone|ph|tel|cell|call|mobile))(?!\w)[^\w\n(+]*(?P<{VALUE}>{_PHONE_OCR})"),
        VALUE,
        _mostly_digits,
    ),
    Detector("phone_intl", "PHONE_NUMBER", re.compile(_PHONE_INTL), validator=_valid_phone_intl),
    Detector(
        "email", "EMAIL_ADDRESS", re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
    ),
    # An address written out against harvesters ("kit.wren at proton dot me", "j.doe[at]mail[dot]com").
    Detector(
        "email_spelled",
        "EMAIL_ADDRESS",
        re.compile(
            r"(?<![\w.%+-])[A-Za-z0-9._%+-]+(?:\s*[\[(]at[\])]\s*|\s+at\s+)[A-Za-z0-9-]+"
            r"(?:(?:\s*[\[(]dot[\])]\s*|\s+dot\s+)[A-Za-z0-9-]+)*(?:\s*[\[(]dot[\])]\s*|\s+dot\s+)"
            r"(?:com|org|net|edu|gov|io|me|us|co|uk|de|fr|ca|in|mx|info)\b"
        ),
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
        re.compile(rf"(?<![\w/.:-]){_YEAR4}([-/])\d{{1,2}}\1\d{{1,2}}(?!\d)(?:(?:T|\s+|\s+at\s+){_TIME}(?:Z|[+-]\d\d:?\d\d)?)?(?![\w/])"),
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
        _keyword_id(rf"acct\.?|account|billing\s+{_NO}|encounter\s+(?:{_NO}|ID)|claim(?:\s+(?:ID|{_NO}))?|(?-i:HAR|FIN|CSN)"),
        VALUE,
    ),
    Detector(
        "health_plan",
        "HEALTH_PLAN_NUMBER",
        _keyword_id(
            rf"member(?:ship)?(?:\s+(?:ID|{_NO}))?|policy|subscriber(?:\s+(?:ID|{_NO}))?|gr(?:ou)?p(?:\s+{_NO})?"
            rf"|(?:insurance|ins\.?|medicaid|medicare|beneficiary|(?:health\s+)?plan|HMO|PPO|payer|payor|coverage"
            rf"|masshealth|(?-i:Medi-?Cal|MEDI-CAL)|philhealth|imss|issste|tenncare|soonercare|husky|badgercare|healthy\s+michigan|apple\s+health|ahcccs|chip|tricare)(?:\s+(?:ID|{_NO}))?|MBI"
        ),
        VALUE,
    ),
    # Fields of an access or audit log ("user=rkapoor2", "chart=30981122", "mrn=..."): the value after its key.
    Detector("log_user_field", "ID", re.compile(rf"(?i:\b(?:user(?:name)?|uid|login|userid|user_id|account))=(?P<{VALUE}>[A-Za-z][\w.-]{{2,31}})(?![\w.-])"), VALUE),
    Detector(
        "log_chart_field",
        "MEDICAL_RECORD_NUMBER",
        re.compile(rf"(?i:\b(?:chart|mrn|patient|pt|patient_id|pat_id|record))=(?P<{VALUE}>[A-Z]{{0,3}}\d{{4,12}})(?![\w.-])"),
        VALUE,
    ),
    # A prescription number ("Rx 6231184", "Rx# 0918273"): six or more digits, which no dose is.
    Detector("rx_number", "ID", re.compile(rf"(?<![\w-])Rx[ \t]*(?:#|no\.?|number)?[ \t:]*(?P<{VALUE}>\d{{6,10}})(?![\w.,-]?\d)(?![\w-])(?![ \t]*(?i:units?|mg|mcg|ml|iu)\b)"), VALUE),
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
        _after_locative(_BIG_CITIES),
        VALUE,
    ),
    Detector(
        "city_before_facility_noun",
        "LOCATION",
        _before_facility_noun(_BIG_CITIES),
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
        re.compile(
            r"(?<![\w.])\d{2,3}(?:[- ]?(?i:years?|yrs?|y)[- ]?(?i:old)|\s?(?i:yo|y/o|y\.o\.)(?!\w)"
            r"|\s(?i:yrs?|years?)(?=[,;)]|\.(?!\d)|\s+(?:of\s+age|and|with|w/)\b))"  # "Pt 90 yrs, first admission"
        ),
        validator=_age_over_89,
    ),
    Detector(
        "age_keyword",
        "AGE",
        re.compile(rf"(?i:\bage[ds]?)(?:\s*:\s*|\s+(?:of\s+)?)(?P<{VALUE}>\d{{2,3}})(?!\w)(?!\.\d)"),
        VALUE,
        _age_over_89,
    ),
    # "92M with CHF", "90F presenting with": an age with the patient's sex, as an HPI opens (not "101F", a fever).
    Detector(
        "age_sex",
        "AGE",
        re.compile(
            r"(?:(?<![^\n.:;])\s*|(?<=[.:;(] )|\b(?:a|an|is|pt|Pt|patient|Patient|HPI:?|History:?)\s+)"
            r"(?P<value>\d{2,3})(?:[FM]|\s?(?:yo|y/o)\s?[FM])"
            r"(?=\s+(?:with|w/|presents?|presenting|here|who|s/p|h/o|hx|PMH|admitted|c/o|complaining|brought|seen|sent|transferred|found"
            r"|from|arrives|arriving|BIBA|BIBEMS|bib)\b)"
        ),
        VALUE,
        _age_over_89,
    ),
    # An age with sex in a table's cell ("|93F|", ", 91M,").
    Detector("age_sex_in_row", "AGE", re.compile(rf"(?<=[|,\t])\s*(?P<{VALUE}>\d{{2,3}}) ?[FM](?=\s*[|,\t])"), VALUE, _age_over_89),
    # A time of day on its own: "10:40", "4:55 PM", "7 am"; "at 1400", "ETA 2145" (a 24-hour time after its word).
    # A one-digit hour needs its am/pm or a word before it: "ANA 1:40" is a titre.
    Detector(
        "time_of_day",
        "DATE_TIME",
        re.compile(
            rf"(?<![\w:./-])(?:(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s?{_AM_PM})?"
            rf"|\d{{1,2}}:[0-5]\d\s?{_AM_PM}|(?:1[0-2]|0?[1-9])\s?{_AM_PM})(?!\w)(?!:\d)"
        ),
    ),
    Detector(
        "time_after_word",
        "DATE_TIME",
        re.compile(rf"{_TIME_AFTER_WORD}(?P<{VALUE}>\d{{1,2}}:[0-5]\d(?:[ap](?![\w'’])|\s?{_AM_PM})?|(?:1[0-2]|[1-9])(?:[ap]|ish)(?![\w'’])(?!\.\w))(?![\w:])"),
        VALUE,
    ),
    # A 24-hour time after "~" ("transport ~1530", "ETA by air ~2130"); not a year ("~2019"), a dose or a volume.
    Detector(
        "time_after_tilde",
        "DATE_TIME",
        re.compile(r"(?<![\w~])~\s?(?P<value>(?:[01][0-8]|2[1-3])[0-5]\d)(?![\w:/-]|\.\d)(?!\s*(?i:mg|mcg|ml|g|units?|cc|kcal|calories|steps|feet|ft|m)\b)"),
        VALUE,
    ),
    Detector("time_24h_after_word", "DATE_TIME", re.compile(rf"{_TIME_AFTER_WORD}(?P<{VALUE}>{_MILITARY_TIME})"), VALUE),
    # A lower-case weekday abbreviation right before a clock time is the day of that time ("sat 6:10am", "sun @ 9:00").
    Detector(
        "weekday_lower_before_time",
        "DATE_TIME",
        re.compile(rf"(?<![\w'’])(?:sat|sun)\.?\s+(?:at\s+|@\s*)?(?:(?:[01]?\d|2[0-3]):[0-5]\d(?:\s?{_AM_PM}|[ap]\b)?|(?:1[0-2]|0?[1-9])\s?{_AM_PM})"),
    ),
    # A month abbreviated in lower case after a word that dates something ("back in oct", "since sept", "til nov 3").
    Detector(
        "month_abbrev_lower",
        "DATE_TIME",
        re.compile(
            rf"(?i:\b(?:in|since|from|until|till|til|by|early|late|mid|last|next|this|of|before|after|around))[ \t]+"
            rf"(?P<{VALUE}>(?:jan|feb|apr|jun|jul|aug|sept?|oct|nov|dec)\.?(?:[ \t]+{_DAY}{_NOT_DOSE})?(?:,?[ \t]+{_YEAR4})?)(?![\w'’/-])"
        ),
        VALUE,
    ),
    # Vietnamese days and times: a weekday with its date ("thứ Sáu 20/2", "Chủ nhật"), a time ("9 giờ", "14 giờ 30").
    Detector(
        "date_vietnamese",
        "DATE_TIME",
        re.compile(r"(?i:\bthứ[ \t]+(?:hai|ba|tư|năm|sáu|bảy)|\bchủ[ \t]+nhật)(?:[ \t,]+(?:ngày[ \t]+)?\d{1,2}/\d{1,2}(?:/\d{2,4})?)?(?![\w/])"),
    ),
    Detector("time_vietnamese", "DATE_TIME", re.compile(r"(?<![\w:.])(?:[01]?\d|2[0-3])[ \t]?giờ(?:[ \t]+[0-5]?\d(?:[ \t]+phút)?)?(?!\w)")),
    # A record number typed digit by digit after its keyword, as fax cover sheets are ("MRN: 7 7 2 1 0 9 4").
    Detector("mrn_spaced", "MEDICAL_RECORD_NUMBER", re.compile(rf"(?i:\b(?:MRN|MR\s*#|patient\s+ID))[ \t]*[:#]?[ \t]*(?P<{VALUE}>\d(?: \d){{5,11}})(?!\s?\d)"), VALUE),
    # A time about which an event happened ("swallowed a battery ~1900", "T-boned ~0140").
    Detector("time_about", "DATE_TIME", re.compile(rf"(?<![\w~])~[ \t]?(?P<{VALUE}>{_MILITARY_TIME}|{_EARLY_MILITARY_TIME})"), VALUE),
    # A Thai date with the month abbreviated ("5 ก.พ. 2569", Buddhist-era year).
    Detector(
        "date_thai",
        "DATE_TIME",
        re.compile(r"(?<!\d)\d{1,2}[ \t]?(?:ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|ต\.ค\.|พ\.ย\.|ธ\.ค\.)(?:[ \t]?\d{2,4})?(?!\d)"),
    ),
    # An age read by OCR after its keyword ("Age: 1O2").
    Detector("age_ocr", "AGE", re.compile(rf"(?i:\bage)[ \t]*:[ \t]*(?P<{VALUE}>[19][\dOoIl]{{1,2}})(?![\w])"), VALUE, _ocr_age_over_89),
    # A state file (death or birth certificate) number, whatever letters OCR put in it ("State File No. 2025-0O4I88").
    Detector(
        "state_file_number",
        "ID",
        re.compile(rf"(?i:\b(?:state\s+)?file\s+(?:no\b\.?|number|#))[ \t]*[:#]?[ \t]*(?P<{VALUE}>[\dA-Z][\dA-Z-]{{4,19}})(?![\w-])"),
        VALUE,
        _four_digits_at_least,
    ),
    # An age over 89 in the cell after a "SURNAME, I" cell of a census or whiteboard table ("| KAPLAN, S | 91 |").
    Detector("age_in_table", "AGE", re.compile(rf"\|[ \t]*[A-Z][A-Z'’-]+,[ \t]*[A-Z][A-Za-z.]*[ \t]*\|[ \t]*(?P<{VALUE}>9\d|1[01]\d)[ \t]*(?=\|)"), VALUE),
    # An Australian postcode after its state ("Glebe NSW 2037"): the state stays untagged.
    Detector("postcode_au", "LOCATION", re.compile(rf"(?<![\w-])(?:NSW|VIC|QLD|SA|WA|TAS|ACT|NT)[ \t]+(?P<{VALUE}>[0-9]{{4}})(?![\w-])"), VALUE),
    # A date read by OCR without its keyword ("Collected: 0l/09/26"): a letter for a digit, four real digits at least.
    Detector("date_ocr", "DATE_TIME", re.compile(r"(?<![\w/.-])[0-3OoIl][\dOoIl]/[0-3OoIl][\dOoIl]/(?:[\dOoIl]{2}){1,2}(?![\w/])"), validator=_ocr_date),
    # A date of birth read by OCR, letters for digits ("D0B O4/l2/l96l"): after its keyword, with at least four real digits.
    Detector(
        "dob_ocr",
        "DATE_TIME",
        re.compile(rf"(?i:\b(?:D[O0]B|birth\s*date|date\s+of\s+birth))[^\w\n]{{0,3}}(?P<{VALUE}>[\dOoIl]{{1,2}}[/.-][\dOoIl]{{1,2}}[/.-][\dOoIl]{{2,4}})(?![\w/])"),
        VALUE,
        _ocr_date,
    ),
    # Month names in lower case ("march 2 thru march 5"), with a day: "may" is left out, a word first.
    Detector("date_month_day_lower", "DATE_TIME", re.compile(rf"\b(?:{_MONTH_LOWER})\s+{_DAY}{_NOT_DOSE}(?:,?\s+{_YEAR4})?")),
    Detector(
        "facility_alias",
        "LOCATION",
        re.compile(rf"(?<![\w.'-])(?i:{_literals(_FACILITY_ALIASES_MULTI)})(?![\w-])"),  # "mass general", "TAMPA GENERAL"
    ),
    Detector(
        "facility_alias_after_locative",
        "LOCATION",
        _after_locative(_ONE_WORD_ALIASES),
        VALUE,
    ),
    Detector(
        "facility_alias_before_noun",
        "LOCATION",
        _before_facility_noun(_ONE_WORD_ALIASES),
        VALUE,
    ),
    Detector(
        "city_in_address",
        "LOCATION",
        re.compile(
            rf"(?<=,\s)(?P<{VALUE}>{_literals(_ADDRESS_CITY_NAMES)})"
            rf"(?=\s+\d{{3}}|\s+[A-Z]\d|,\s*(?:{_literals(_COUNTRY_NAMES)})\b|\s+-\s+[A-Z]{{2}}\b)"
        ),
        VALUE,
    ),
    Detector("street_us", "LOCATION", re.compile(_STREET_US)),
    Detector(
        "facility_alias_alone",
        "LOCATION",
        re.compile(
            rf"(?<![\w.'-]){_literals(sorted(_ALIAS_ALONE | {a.lower() for a in _ALIAS_ALONE if a.isupper() and len(a) > 2}))}"
            rf"(?![\w-]|'(?!s\b))"
        ),
    ),
    Detector("pharmacy_chain", "LOCATION", re.compile(rf"(?<![\w.'-]){_PHARMACY_CHAIN}(?![\w-])")),
    Detector(
        "facility_capitalised",
        "LOCATION",
        re.compile(
            rf"(?<![\w.'’&-])(?!(?:The|A|An|Called|Per|From|To|At|In|Via|Seen|Sent|Discharged|Transferred|Admitted|Contacted"
            rf"|Spoke|Visited|Notified|Faxed|Referred|Attended|Attends|Left|Arrived|Went|Going|Returned)\s)"
            rf"(?:(?:St|Mt|[A-Z])\.[ \t]+|(?!(?:Dr|Mr|Mrs|Ms|Dear)\b)[A-Z](?:[\w'’&-]*[\w'’]|[\w'’&.-]{{2,}})[ \t]+(?:(?:of|and|&|the)[ \t]+)?){{1,5}}"
            rf"{_FACILITY_HEAD}(?: of(?: the)? [A-Z][\w'’]+(?: [A-Z][\w'’]+){{0,2}}| for (?:Women|Children|Kids|Special Surgery|the Aged))?(?![\w-])(?!\s*(?:#|(?i:no\b|number|ID\b)))"  # "Hospital #:" is a keyword
        ),
        validator=_names_a_facility,
    ),
    # A facility named head first ("Hospice of the Valley", "Hospital of the University of Pennsylvania").
    Detector(
        "facility_head_first",
        "LOCATION",
        re.compile(
            r"(?<![\w'’-])(?:(?:Hospice|Hospital|Infirmary|Sanatorium|Hôpital|Clinique|Clinica|Clínica)\s+(?:of|de|du|del|de\s+la)\s+"
            r"|(?:Clinique|Clinica|Clínica|Centro\s+M[ée]dico|Centro\s+de\s+Salud|Policl[ií]nica)\s+)"
            r"(?:the\s+|(?:La|El|Los|Las|Le|Les)\s+)?[A-Z][a-zà-ÿ'’]+(?:\s+(?:of\s+|de\s+)?[A-Z][a-zà-ÿ'’]+){0,3}"
        ),
    ),
    # A day of the week that points at one day, with the time or date that follows it ("Thurs 3pm", "Tue 11/3");
    # "every Monday" recurs and is not one day.
    Detector(
        "weekday",
        "DATE_TIME",
        re.compile(
            rf"(?<![\w/-])(?<!(?i:every) )(?<!(?i:each) ){_WEEKDAY}{_PART_OF_DAY}?"
            rf"(?:,?\s+(?:{_MONTH_SLASH_DAY}(?:/\d{{2,4}})?|{_MONTH_WORD}\s+{_DAY}))?"
            rf"(?:,?\s+(?:(?:at|@|around|approx\.?|about|~)\s*)?{_CLOCK})?"
        ),
    ),
    # A month/day without a year after a word that dates something, with a time after it ("adm 11/26", "next level 12/3 0530").
    Detector(
        "month_day_after_word",
        "DATE_TIME",
        re.compile(rf"{_MONTH_DAY_AFTER}(?P<{VALUE}>{_MONTH_SLASH_DAY}(?:\s+(?:(?:at|@|around|approx\.?|about|~)\s*)?{_CLOCK})?)"),
        VALUE,
    ),
    Detector("month_day_time", "DATE_TIME", re.compile(rf"(?<![\w/.-]){_MONTH_SLASH_DAY}\s+(?:(?:at|@|around|approx\.?|about|~)\s*)?{_CLOCK}")),
    Detector("time_after_eta", "DATE_TIME", re.compile(rf"(?i:\b(?:ETA|@))\s*(?P<{VALUE}>(?:19|2[0-3])[0-5]\d)(?![\w:/.-])"), VALUE),
    # A big US city in parentheses after a neighbourhood or a facility ("Pilsen (Chicago)").
    Detector("big_city_in_parentheses", "LOCATION", re.compile(rf"(?<=\()(?:{_BIG_CITIES})(?=\))")),
    # A ZIP code after a big US city without its state ("Philadelphia 19130").
    Detector("zip_after_city", "LOCATION", re.compile(rf"(?<![\w.'-])(?:{_BIG_CITIES}),?\s+(?P<{VALUE}>\d{{5}}(?:-\d{{4}})?)(?![\w-])"), VALUE),
    # A licence plate after its word ("plate per EMS HXR4471", "license plate 7ABC123"); a VIN by its shape.
    Detector(
        "vehicle_plate",
        "VEHICLE_ID",
        re.compile(
            rf"(?i:\b(?:license\s+plate|plate|VIN))(?:\s*(?:{_NO}|:|is|per\s+\w+))*\s*"
            rf"(?P<{VALUE}>(?=[A-Z0-9 -]*\d)[A-Z0-9]{{1,4}}[ -]?[A-Z0-9]{{2,13}})(?![\w-])"
        ),
        VALUE,
    ),
    Detector("vin", "VEHICLE_ID", re.compile(r"(?<![\w-])[A-HJ-NPR-Z0-9]{17}(?![\w-])"), validator=_valid_vin),
    # A Chinese mobile number, grouped 3-4-4 ("138 1234 5678"): eleven digits from 13x to 19x.
    Detector("phone_cn_mobile", "PHONE_NUMBER", re.compile(r"(?<![\w+-])1[3-9]\d([ -])\d{4}\1\d{4}(?![\w-])")),
    # An age over 89 said of a person ("my mom is 92", "she turned 95") or in another language ("93岁", "91 ans").
    Detector(
        "age_of_person",
        "AGE",
        re.compile(
            r"(?i:\b(?:she|he|mom|mother|dad|father|grand(?:ma|pa|mother|father)|wife|husband|aunt|uncle|patient|pt|who))"
            r"(?:\s+(?:is|was|turned|turns|will\s+be)|['’]?s)\s+(?P<value>\d{2,3}(?:\s+(?i:years?|yrs?)(?:\s+old)?(?![\w-]))?)(?![\w%/]|\.\d)"
            r"(?!\s*(?i:%|percent|kg|lbs?|bpm|mmhg|mg|on|over|RA)\b)"
        ),
        VALUE,
        _age_over_89,
    ),
    Detector(
        "age_other_language",
        "AGE",
        re.compile(r"(?<![\w.])\d{2,3}(?:\s?(?:岁|歲|歳|세|ปี)|\s(?:ans|Jahre|años|anos|anni|jaar|год|года|лет|ετών|χρονών|שנים|साल|वर्ष)(?!\w))"),
        validator=_age_over_89,
    ),
    # A title and a capitalised name ("Dr. Okafor", "Pani Zofia Kowalczyk", "Officer Ruiz"), the title included.
    Detector(
        "person_after_title",
        "PERSON",
        re.compile(
            rf"(?<![\w.])(?:{_PERSON_TITLE})  ?(?:(?:{_PERSON_TITLE})  ?)?(?:[A-Z]\.  ?)?(?:{_PARTICLE} ){{0,2}}(?!{_GENERIC_WORD}\b){_NAME_WORD}"
            rf"(?:  ?(?:[A-Z]\.|(?:{_PARTICLE} ){{0,2}}(?!{_GENERIC_WORD}\b){_NAME_WORD})){{0,3}}"
        ),
    ),
    # "on the 14th", "by the 3rd of December": an ordinal day after a dating word, with "the"; not "the 3rd floor".
    Detector(
        "ordinal_day",
        "DATE_TIME",
        re.compile(
            rf"(?i:\b(?:on|by|before|after|until|till|til|since|from|visiting))\s+(?P<{VALUE}>the\s+(?:(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)|{_ORDINAL_WORD})"
            rf"(?:\s+of\s+{_MONTH_WORD}(?:,?\s+{_YEAR4})?|(?![\w-])(?!\s+(?:of\s+)?(?!(?:so|and|but|or|then|when|because|at|for|if|unless)\b)[a-z])))"
        ),
        VALUE,
    ),
    # A time and the day it is on: "16:05 on 11/21", "9 am on 3/2".
    Detector("time_on_date", "DATE_TIME", re.compile(rf"(?<![\w:./-]){_TIME}\s+on\s+{_MONTH_SLASH_DAY}(?:/\d{{2,4}})?")),
    # A city right after a street address ("434 Harrison Ave, Boston."): a capitalised name, not a unit or a title.
    Detector(
        "city_after_street",
        "LOCATION",
        re.compile(
            rf"{_STREET_US},[ \t]+(?!(?:Suite|Ste|Apt|Unit|Floor|Fl|Room|Rm|Bldg|Dr|Mr|Mrs|Ms|Attn|Tel|Phone|Fax)\b)"
            rf"(?P<{VALUE}>[A-Z][a-zà-ÿ'’]+(?:[ -][A-Z][a-zà-ÿ'’]+){{0,2}})(?=[,.;]|\s|$)"
        ),
        VALUE,
    ),
    # "HOLLOWAY, Margaret", "Graves, Teresa", "ELLISON, M": a surname, a comma and a given name (Faker's lists) or,
    # after a surname in capitals, an initial.
    Detector(
        "person_last_first",
        "PERSON",
        re.compile(
            rf"(?<![\w'’-])(?!(?:{_GENERIC_WORD}|{_NOT_A_SURNAME})\b)"
            rf"(?:[A-Z][a-zà-ÿ'’]+(?:-[A-Z][a-zà-ÿ'’]+)?|[A-Z]{{3,}}(?:[-'’][A-Z]{{2,}})?),  ?"
            rf"(?:{_GIVEN}(?: [A-Z]\.?(?![\w'’]))?|(?:(?<=[A-Z]{{3}},  )|(?<=[A-Z]{{3}}, )|(?<=[A-Z]{{2}}, ))[A-Z]\.?(?=\s*[|)\n]|$|\s+\d{{2,3}} ?[MF]\b))(?![\w'’-])"
        ),
    ),
    # A given name with an initial ("Anna S.", "ANNA S."), a relation or a credential before a given name ("Mother
    # Ashley Brandt-Nguyen", "daughter bev", "NP Sharonda Williams": the relation and the credential stay outside).
    Detector("person_given_initial", "PERSON", re.compile(rf"(?<![\w'’-]){_GIVEN} [A-Z]\.(?!\w)")),
    # A given name alone in parentheses names who did something ("lactation (Bernadette) saw her"); months are no
    # name, nor is a method named after someone ("GCB type (Hans)"), nor an abbreviation in capitals ("(ALF)").
    Detector(
        "person_given_in_parentheses",
        "PERSON",
        re.compile(rf"(?<=\()(?<!type \()(?<!criteria \()(?<!algorithm \()(?<!method \()(?<!classification \()(?!(?i:{_CHAT_NOT_A_NAME})\))(?=[A-Z][a-z])(?:{_GIVEN})(?=\))"),
    ),
    # A nickname or a name someone goes by ("calls himself \"Rooster\"", "goes by Bud", "prefers to be called Kiki").
    Detector(
        "person_nickname",
        "PERSON",
        re.compile(
            r"(?i:\b(?:calls?\s+(?:himself|herself|themselves)|goes\s+by(?:\s+the\s+name)?|nick-?named|nickname(?:\s+is)?"
            rf"|prefers\s+to\s+be\s+called))[ \t]*[\"“'‘]?(?P<{VALUE}>[A-Z][a-z'’-]+(?: [A-Z][a-z'’-]+)?)[\"”'’]?"
        ),
        VALUE,
    ),
    Detector(
        "person_after_relation",
        "PERSON",
        re.compile(
            rf"(?<![\w'’-])(?:{RELATIONS}|(?i:sister))  ?"
            rf"(?P<{VALUE}>(?:{_GIVEN}|(?-i:{_GIVEN_LOWER}))(?: (?:[A-Z]\.|{_NAME_WORD}))?)(?![\w'’-])"
        ),
        VALUE,
    ),
    # A given name and a surname signed with a credential ("Sarah Kowalczyk, MD"); the credential stays outside.
    Detector(
        "person_before_credential",
        "PERSON",
        re.compile(
            rf"(?<![\w'’-]){_GIVEN}(?: [A-Z]\.)? (?!{_GENERIC_WORD}\b){_NAME_WORD}(?=,?\s+(?:MD|DO|RN|NP|PA-C|PharmD|DDS|DMD|PhD|LCSW|APRN|CRNA|FNP|DNP|MSW|BSN)\b)"
        ),
    ),
    # A first name in lower case in chat: opening a message before what they do ("priya can u look"), or after a
    # word that addresses someone ("nvm kwame got it", "tell maria"). Names that are also common words are left out.
    Detector(
        "person_in_chat",
        "PERSON",
        re.compile(
            rf"(?:(?<![^\n])|\b(?:nvm|tell|ask|ping|cc|thx|thanks|ty|hi|hey|per|page|paging|text|call)\s+)"
            rf"(?P<{VALUE}>(?!{_CHAT_NOT_A_NAME}\b)(?-i:{_GIVEN_LOWER}))"
            rf"(?=\s+(?:can|could|pls|plz|will|is|got|said|says|asked|wants|needs|did|has|called|says|u|you|thx|ok)\b|,|:|\s*$)"
        ),
        VALUE,
    ),
    # "surname, given" in lower case before an age and sex, as a census or handoff line writes it ("ortega, benny, 66M").
    Detector(
        "person_lower_surname_given_before_age",
        "PERSON",
        re.compile(rf"(?<![\w'’-])[a-z][a-z'’-]{{1,20}}, (?-i:{_GIVEN_LOWER})(?=,?\s+\d{{1,3}}\s?(?:[MF]|yo|y/o|y\.o\.|yr?s?)\b)"),
    ),
    Detector(
        "person_after_credential",
        "PERSON",
        re.compile(rf"(?<![\w'’-])(?:NP|RN|LPN|CNA|CMA|PA-C|APRN|CRNA|RT|RRT|SLP|OT|PT|MSW|LCSW)  ?(?P<{VALUE}>{_GIVEN}(?:  ?{_NAME_WORD})?)(?![\w'’-])"),
        VALUE,
    ),
    # A retirement community named "The … at …" where someone lives ("lives at The Willows at Elm Creek").
    Detector(
        "community_the_at",
        "LOCATION",
        re.compile(
            rf"(?i:\b(?:lives|living|resides|resident|moved|discharged|returned))\s+(?:at|in|to|back\s+to)\s+"
            rf"(?P<{VALUE}>The [A-Z][\w'’]+(?: [A-Z][\w'’]+)? at (?:the )?[A-Z][\w'’]+(?: [A-Z][\w'’]+){{0,2}})"
        ),
        VALUE,
    ),
    # HL7 v2 fields: a name (family^given^middle), a timestamp (YYYYMMDD[HHMM[SS]]) and an identifier before its
    # components ("4471983^^^HOSP^MR"), between the message's delimiters.
    Detector(
        "hl7_name",
        "PERSON",
        re.compile(r"(?<=[|^])(?<!\^\^\^)[A-Z][A-Za-z'’-]+\^[A-Z][A-Za-z'’-]{2,}(?: [A-Z][A-Za-z'’-]+)?(?:\^[A-Z][A-Za-z.]*)?(?=[|^])"),
    ),
    Detector(
        "hl7_timestamp",
        "DATE_TIME",
        re.compile(r"(?<=[|^])(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:(?:[01]\d|2[0-3])[0-5]\d(?:[0-5]\d)?)?(?=[|^\s]|$)"),
    ),
    Detector("hl7_identifier", "ID", re.compile(r"(?<=\|)[A-Z]?\d{4,}(?=\^)")),
    # HL7 fields by position: the sending and receiving facilities (MSH-4, MSH-6) and the patient's account (PID-18).
    Detector("hl7_facility", "LOCATION", re.compile(r"(?m)^MSH\|[^|\n]*\|[^|\n]*\|(?P<value>[^|^\n]+)"), VALUE),
    Detector("hl7_receiving_facility", "LOCATION", re.compile(r"(?m)^MSH(?:\|[^|\n]*){4}\|(?P<value>[^|^\n]+)"), VALUE),
    Detector("hl7_account", "ACCOUNT_NUMBER", re.compile(r"(?m)^PID(?:\|[^|\n]*){17}\|(?P<value>[A-Z]?\d{4,}[A-Z0-9]*)(?=[|^\n]|$)"), VALUE),
    Detector(
        "hl7_address",
        "LOCATION",
        re.compile(r"(?<=[|^])\d{1,6} [A-Z][A-Za-z .'’-]+\^[^|^]*\^[A-Z][A-Za-z .'’-]+\^[A-Z]{2}\^[A-Z0-9][A-Z0-9 -]{2,9}(?=[|^])"),
    ),
    # An age over 89 in words, with the words that state it or after a word that says it is one.
    Detector("age_in_words", "AGE", re.compile(rf"(?<![\w-]){_AGE_WORDS}[- ](?i:years?|yrs?)[- ](?i:old)\b")),
    Detector(
        "age_in_words_after_verb",
        "AGE",
        re.compile(rf"(?i:(?:\b(?:is|was|aged?|turned|turns|lived\s+to|died\s+at)|(?<=\w)['’]s)\s+)(?P<{VALUE}>{_AGE_WORDS})(?![\w-])(?!\s+(?i:minutes?|mins?|seconds?|percent|mg|ml|beats|bpm)\b)"),
        VALUE,
    ),
    # An age over 89 after a word that says it is one ("lived to 96", "turned 100", "died at 93").
    Detector(
        "age_after_verb",
        "AGE",
        re.compile(rf"(?i:\b(?:lived\s+to|turned|turns|turning|died\s+at|aged)\s+)(?P<{VALUE}>\d{{2,3}})(?![\w.%/])"),
        VALUE,
        _age_over_89,
    ),
    # A holiday that names one day ("around Labor Day", "over Thanksgiving", "Christmas Eve").
    Detector(
        "holiday",
        "DATE_TIME",
        re.compile(
            r"(?<![\w'’-])(?:(?:Labou?r|Memorial|Veterans|Independence|Presidents['’]?|Columbus|Mother['’]?s|Father['’]?s"
            r"|Valentine['’]?s|St\.? Patrick['’]?s|New Year['’]?s|Boxing|Canada|Victoria|Australia|Anzac|Bastille|Remembrance"
            r"|Martin Luther King(?:,? Jr\.?)?|MLK)\s+Day|New Year['’]?s\s+Eve|Christmas(?:\s+(?:Eve|Day|morning|night))?"
            r"|Thanksgiving(?:\s+Day)?|Easter(?:\s+(?:Sunday|Monday))?|Good\s+Friday|Halloween|Juneteenth|Fourth\s+of\s+July"
            r"|Yom\s+Kippur|Rosh\s+Hashanah"
            r"|(?i:x-?mas(?:\s+(?:eve|day))?|christmas\s+eve|new\s+year['’]?s\s+eve|thanksgiving|valentines?\s+day|halloween))(?![\w'’-])"
        ),
    ),
    # A month alone that dates an event, after its preposition ("in January", "since March", "early August"):
    # under Safe Harbor every element of a date but the year is PHI. "May" only with its capital and preposition.
    Detector(
        "month_alone",
        "DATE_TIME",
        re.compile(
            r"(?i:\b(?:in|since|until|till|by|during|through|from|early|late|mid-?|last|next|this|of|back\s+in))\s+"
            r"(?P<value>(?-i:January|February|March|April|May|June|July|August|September|October|November|December))"
            r"(?![\w'’-])(?!,?\s+(?:\d|of\s+Dimes))"
        ),
        VALUE,
    ),
    # An age over 89 as a decade ("in his early 90s", "mid-nineties").
    Detector(
        "age_decade",
        "AGE",
        re.compile(r"(?i:(?:\b(?:early|mid|late)[- ]?|(?<=\bhis )|(?<=\bher )|(?<=\btheir ))(?:90s|90's|nineties|100s)(?![\w']))"),
    ),
    # A 24-hour time before what was given or done at it ("which RN gave the 2100 heparin").
    Detector(
        "time_before_dose",
        "DATE_TIME",
        re.compile(
            r"(?i:\bthe\s+)(?P<value>(?:[01]\d|2[0-3])[0-5]\d)(?=\s+(?i:dose|doses|heparin|insulin|meds?|medications?|labs?|vitals|vs|dressing"
            r"|feeding|bolus|antibiotics?|abx|rounds|huddle|appointment|appt|visit|call|check|draw|transfusion|pass)\b)"
        ),
        VALUE,
    ),
    # A phone extension by itself ("page thoracic resident x43118").
    Detector("phone_extension_x", "PHONE_NUMBER", re.compile(r"(?<![\w-])x\s?\d{4,5}(?![\w-])")),
    # A device's serial number as a JSON or log field ("device_sn":"G7-3XK92LQ", serial=...).
    Detector(
        "device_serial_field",
        "DEVICE_ID",
        re.compile(r"(?i:[\"']?(?:device_?)?(?:sn|serial(?:_?(?:no|number))?)[\"']?\s*[:=]\s*[\"']?)(?P<value>[A-Z0-9][A-Z0-9-]{4,})(?=[\"',;\s}]|$)"),
        VALUE,
    ),
    # Dates in Spanish, Portuguese and French with their weekday and time ("jueves 12 de febrero a las 10:15"),
    # and in Japanese, Chinese and Korean ("令和8年2月3日", "2026年1月28日", "2026년 1월 28일").
    Detector(
        "date_romance_weekday",
        "DATE_TIME",
        re.compile(
            r"(?i:\b(?:lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo|segunda|ter[çc]a|quarta|quinta|sexta|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
            r"(?:-feira)?,?\s+\d{1,2}\s+(?:de\s+)?[a-zà-ÿ]+(?:\s+(?:de\s+)?\d{4})?(?:,?\s+(?:a\s+las|às|à|a\s+la)\s+\d{1,2}(?:[:h]\d{2})?)?)"
        ),
    ),
    Detector("date_cjk", "DATE_TIME", re.compile(r"(?:令和|平成|昭和)?\d{1,4}年\d{1,2}月\d{1,2}日|\d{4}년\s?\d{1,2}월\s?\d{1,2}일")),
    # A postal code after its keyword abroad ("C.P. 44160", "CEP 30160-011", "PIN 560011", "PLZ 10115").
    Detector(
        "postcode_after_keyword",
        "LOCATION",
        re.compile(r"(?:\bC\.\s?P\.|\b(?:CP|CEP|PIN|PLZ|Pincode|Postleitzahl|(?i:postal\s+code|post\s?code|zip(?:\s+code)?)))\s*[:#]?\s*(?P<value>\d{4,6}(?:-\d{3,4})?)(?![\w-])"),
        VALUE,
    ),
    # Thai and Hebrew addresses by their words (road, subdistrict, district, province; street) and a Thai name by its
    # title ("นายสมชาย ใจดี"): the model reads these scripts poorly.
    Detector("address_thai", "LOCATION", re.compile(r"(?:\d{1,4}(?:/\d{1,4})?\s+)?(?:ถนน|ซอย|แขวง|เขต|ตำบล|อำเภอ|จังหวัด)[\u0e00-\u0e7f]+|กรุงเทพ(?:มหานคร|ฯ)")),
    Detector("person_thai", "PERSON", re.compile(r"(?:นางสาว|นาย|นาง)[\u0e00-\u0e7f]+(?:\s[\u0e00-\u0e7f]+)?")),
    Detector("address_hebrew", "LOCATION", re.compile(r"(?:רחוב|רח'|שדרות)\s+[\u0590-\u05ff]+(?:\s[\u0590-\u05ff]+)?(?:\s\d{1,4})?")),
    # A date said in words ("October third, nineteen fifty-five") and an age over 89 in words on its own ("ninety-four by
    # the DOB", "(ninety-three)"), not a count ("ninety minutes", "ninety-day supply").
    Detector(
        "date_in_words",
        "DATE_TIME",
        re.compile(
            rf"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+{_ORDINAL_WORD}"
            rf"(?:,?\s+(?i:nineteen|twenty)[\s-]+(?:{_NUMBER_WORD})(?:[\s-]{_NUMBER_WORD})?)?"
        ),
    ),
    Detector(
        "age_in_words_alone",
        "AGE",
        re.compile(
            rf"(?<![\w-]){_NOT_AFTER_A_NUMBER_WORD}{_AGE_WORDS}(?![\w-])(?!\s*[- ](?i:days?|minutes?|mins?|seconds?|percent|%|mg|ml|units?|lbs?|pounds|kg|degrees?|bpm|beats|dollars|bucks|thousand"
            rf"|mmhg|cc|hours?|weeks?|months?|times|feet|ft|meters?|pills?|tabs?|tablets?)\b)"
        ),
    ),
    # A month alone in parentheses dates what it follows ("baseline 1.0 (Sept)").
    Detector(
        "month_in_parentheses",
        "DATE_TIME",
        re.compile(r"(?<=\()(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|January|February|March|April|June|July|August|September|October|November|December)\.?(?=\))"),
    ),
    # A month/day range ("admission 10/11-10/15"); "4/5-5/5 strength" stays a grade.
    Detector(
        "month_day_range",
        "DATE_TIME",
        re.compile(rf"(?<![\w/.-]){_MONTH_SLASH_DAY}\s?[-–]\s?(?:(?:1[0-2]|0?[1-9])/(?:3[01]|[12]\d|0?[1-9])/(?:\d{{4}}|\d{{2}})(?![\d/])|{_MONTH_SLASH_DAY})"),
    ),
    # A name after the words that introduce it ("first name \"Rusty\"", "goes by Bev", "preferred name: Sam").
    Detector(
        "person_after_name_word",
        "PERSON",
        re.compile(
            rf"(?i:\b(?:(?:first|last|given|family|middle|preferred|maiden|nick|legal|birth|real)\s*name|goes\s+by|prefers\s+to\s+be\s+called|a\.?k\.?a\.?))"
            rf"(?:\s*(?:is|was|:|=|-)?)\s*[\"“'‘]?(?P<{VALUE}>(?!{_GENERIC_WORD}\b){_NAME_WORD}(?: (?!{_GENERIC_WORD}\b){_NAME_WORD})?)(?![\w’-])(?!'\w)"
        ),
        VALUE,
    ),
    # An age over 89 right after a name and a comma ("Mrs. Ingrid Solberg, 101, had a fall"), and the age with sex in a
    # bed board after "LAST, I" ("WASHINGTON, D 91M s/p fall").
    Detector(
        "age_after_name",
        "AGE",
        re.compile(
            r"(?<![\w'’-])(?!(?:Pulse|Sat|Sats|Weight|Temp|Glucose|Rate|Heart|Room|Bed|Score|Age|Level|Total|Count|Was|Is)\b)"
            rf"[A-Z][a-zà-ÿ'’-]{{2,}}(?:,\s|\s\()(?P<value>\d{{2,3}}\s+years?(?:\s+old)?(?![\w-])|(?:\d{{2,3}}|{_AGE_WORDS})(?=[,;)]|\s?(?:yo|y/o|M|F)\b|\s+(?:expired|died|passed)\b))"
        ),
        VALUE,
        _age_over_89,
    ),
    # An age with "Y" ("(95Y)", "93 Y/F") and a date of birth said in words ("date of birth four twelve thirty one").
    Detector("age_y", "AGE", re.compile(r"(?<![\w-])(?P<value>\d{2,3} ?Y)(?:/?[MF])?(?![\w-])"), VALUE, _age_over_89),
    Detector(
        "dob_in_words",
        "DATE_TIME",
        re.compile(rf"(?i:\b(?:date\s+of\s+birth|d\.?o\.?b\.?|born\s+on|birthday\s+is)\s+(?:is\s+)?)(?P<{VALUE}>{_NUMBER_WORD}(?:,?[- ]{_NUMBER_WORD}){{1,6}})(?![\w-])"),
        VALUE,
    ),
    Detector("age_sex_after_initial", "AGE", re.compile(r"(?:(?<=[A-Z]{2}, [A-Z] )|(?<=[A-Z]{2}, [A-Z]\. ))(?P<value>\d{2,3}) ?[MF](?![\w])"), VALUE, _age_over_89),
    # A month/day with no year and no dating word ("s/p R THA 11/24", "visits 10/6 and 10/20"), where no score's
    # denominator or count makes it a fraction.
    Detector("month_day_bare", "DATE_TIME", re.compile(rf"{_SCORE_BEFORE}{_BARE_MONTH_DAY}")),
    Detector("street_de", "LOCATION", re.compile(rf"(?<![\w-]){_STREET_DE}")),
    # A numbered street without its house number ("on 5th St", "W 72nd Street").
    Detector("street_numbered", "LOCATION", re.compile(r"(?<![\w/-])(?:[NSEW]\.?\s)?\d{1,3}(?:st|nd|rd|th)\s(?:St|Ave|Street|Avenue|Blvd|Rd|Road)\b\.?")),
    # A street in Cyrillic with its house and flat ("ул. Профсоюзная, д. 98, кв. 212").
    Detector(
        "street_cyrillic",
        "LOCATION",
        re.compile(r"(?:ул\.|улица|пр-т|просп\.|проспект|пер\.|переулок|ш\.|шоссе)\s*[А-ЯЁ][а-яё-]+(?:\s[А-ЯЁ]?[а-яё-]+)?(?:,?\s*д\.\s*\d+[а-я]?)?(?:,?\s*(?:корп|стр)\.\s*\d+)?(?:,?\s*кв\.\s*\d+)?"),
    ),
    # A hospital or clinic named in Chinese, Japanese or Korean ("大阪大学医学部附属病院", "서울아산병원").
    # An address in Chinese or Japanese (two administrative units, or one with a street or a number: "上海市徐汇区漕溪北路88号",
    # "大阪市北区梅田3-1-1"; not "病区" or "社区" alone) or in Korean ("서울특별시 강남구 테헤란로 152").
    Detector("address_cjk", "LOCATION", re.compile(_ADDRESS_CJK)),
    Detector("address_korean", "LOCATION", re.compile(_ADDRESS_KOREAN)),
    Detector(
        "facility_cjk",
        "LOCATION",
        re.compile(r"[\u4e00-\u9fff\u30a0-\u30ff\uac00-\ud7a3]{1,20}(?:病院|医院|醫院|クリニック|診療所|医疗中心|병원|의원|클리닉)"),
        validator=_names_a_cjk_facility,
    ),
    Detector("street_romance", "LOCATION", re.compile(rf"(?<![\w-]){_STREET_ROMANCE}")),
    Detector("route", "LOCATION", re.compile(r"(?i:\b(?:route|rte\.?|highway|hwy\.?|interstate)\s+\d{1,3}[A-Z]?\b)")),
    Detector("postcode_uk", "LOCATION", re.compile(_POSTCODE_UK)),
    Detector("postcode_ca", "LOCATION", re.compile(rf"(?!E[1-4]V[1-5]M[1-6]\b){_POSTCODE_CA}")),  # not a GCS "E4V4M6"
    # Generic identifiers last: a more specific detector claiming the same characters wins.
    Detector(
        "id_prefixed",
        "ID",
        re.compile(rf"(?<![\w-])(?!(?:{_CODE_PREFIXES})-)[A-Z]{{1,5}}-(?:\d{{5,}}|\d{{2}}-\d{{4,}})(?:-\d+)?(?![\w-])"),
    ),
    Detector(
        "id_after_keyword",
        "ID",
        _keyword_id(
            rf"(?:site|subject|study|participant|enrollment|employee|staff|student|badge|case|specimen|accession|sample"
            rf"|reference|ref|claim|visit|client|resident|passport|national|personal|unique|tracking|requisition|order"
            rf"|rx|prescription|voucher|authori[sz]ation|auth|referral|confirmation|ticket)\s*(?:ID|{_NO})|(?-i:I[Dd])"
            rf"|participant|subject|subj|specimen|accession|badge|passport|(?-i:EMP)|(?-i:ACC|Acc)\.?(?=\s*(?:#|{_NO}|:))"
        ),
        VALUE,
    ),
    Detector(
        "id_after_hash",
        "ID",
        re.compile(rf"(?<![\w#&])#\s?(?P<{VALUE}>[A-Z]{{1,4}}-?\d{{4,}}|[A-Z]{{1,4}}\d{{2,}}(?:-\d{{3,}})+|\d{{5,}})(?![\w-])"),
        VALUE,
    ),
    # Last: a four-digit value after an ID keyword ("Site ID: 0042") is the identifier, not a time.
    Detector("time_early_24h", "DATE_TIME", re.compile(_EARLY_MILITARY_TIME)),
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
