"""Identifier values, dates and people for the synthetic notes (pure functions of an rng)."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Callable

from faker import Faker

from deid.train.synth.places import STATES


# ---------------------------------------------------------------------------------------------
# Surface forms of values (pure functions of an rng).


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


DATE_FORMATS: dict[str, Callable[[date], str]] = {
    "m/d/yy": lambda d: f"{d.month}/{d.day}/{d:%y}",
    "mm/dd/yyyy": lambda d: f"{d:%m/%d/%Y}",
    "m/d/yyyy": lambda d: f"{d.month}/{d.day}/{d.year}",
    "Month dth": lambda d: f"{d:%B} {_ordinal(d.day)}",
    "dd-Mon-yyyy": lambda d: f"{d:%d-%b-%Y}",
    "yyyy-mm-dd": lambda d: d.isoformat(),
    "Mon d": lambda d: f"{d:%b} {d.day}",
    "d Month yyyy": lambda d: f"{d.day} {d:%B %Y}",
    "m.d.yyyy": lambda d: f"{d.month}.{d.day}.{d.year}",
    "dth of Month": lambda d: f"{_ordinal(d.day)} of {d:%B}",
    "mm/dd": lambda d: f"{d:%m/%d}",
    "m/d": lambda d: f"{d.month}/{d.day}",
    "Month d, yyyy": lambda d: f"{d:%B} {d.day}, {d.year}",
    "Mon. d, yyyy": lambda d: f"{d:%b}{'' if d.month == 5 else '.'} {d.day}, {d.year}",
    "Month yyyy": lambda d: f"{d:%B %Y}",
    "Weekday, Month d": lambda d: f"{d:%A, %B} {d.day}",
    "Dy m/d": lambda d: f"{d:%a} {d.month}/{d.day}",
    "ddMONyyyy": lambda d: f"{d:%d%b%Y}".upper(),
    "mm-dd-yyyy": lambda d: f"{d:%m-%d-%Y}",
    "m/yyyy": lambda d: f"{d.month}/{d.year}",
}
# Formats that can stand for a date of birth (they carry the year).
DOB_FORMATS = ("m/d/yy", "mm/dd/yyyy", "m/d/yyyy", "dd-Mon-yyyy", "yyyy-mm-dd", "d Month yyyy", "m.d.yyyy",
               "Month d, yyyy", "Mon. d, yyyy", "ddMONyyyy", "mm-dd-yyyy")  # fmt: skip


def _fmt_time(rng: random.Random, t: datetime) -> str:
    hour12 = t.hour % 12 or 12
    ampm = "AM" if t.hour < 12 else "PM"
    return rng.choice(
        (f"{t:%H:%M}", f"{t:%H%M}", f"{hour12}:{t:%M} {ampm}", f"{hour12}:{t:%M}{ampm.lower()}",
         f"{hour12}:{t:%M} {ampm[0].lower()}.m.", f"{t:%H%M}h")
    )  # fmt: skip


def _fmt_datetime(rng: random.Random, t: datetime) -> str:
    form = rng.randrange(5)
    if form == 0:
        return f"{t:%Y-%m-%d %H:%M}"
    if form == 1:
        return f"{t:%Y-%m-%dT%H:%M}"
    day = DATE_FORMATS[rng.choice(("m/d/yy", "mm/dd/yyyy", "m/d", "Mon d", "dd-Mon-yyyy"))](t.date())
    return day + rng.choice((" ", " at ", ", ", " @ ")) + _fmt_time(rng, t)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _letters(rng: random.Random, n: int, alphabet: str = string.ascii_uppercase) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


FAKE_LOOKING_RATE = 0.15  # share of phone numbers and SSNs with the digits of a made-up example (555, 123-456-7890)


def _phone(rng: random.Random) -> str:
    area, mid, last = f"{rng.randint(201, 989)}", f"{rng.randint(200, 999)}", _digits(rng, 4)
    if rng.random() < FAKE_LOOKING_RATE:
        # Numbers that break the numbering plan but fill real notes and test corpora.
        area, mid, last = rng.choice(
            ((area, "555", "01" + _digits(rng, 2)), (area, "555", last), ("123", "456", "7890"), ("555", mid, last),
             (f"{rng.randint(0, 1)}{_digits(rng, 2)}", mid, last), (area, f"{rng.randint(0, 1)}{_digits(rng, 2)}", last))
        )  # fmt: skip
    body = rng.choice(
        (f"({area}) {mid}-{last}", f"{area}-{mid}-{last}", f"{area}.{mid}.{last}", f"{area}{mid}{last}",
         f"+1 {area} {mid} {last}", f"+1-{area}-{mid}-{last}", f"1-{area}-{mid}-{last}", f"{area} {mid} {last}",
         f"({area}){mid}-{last}", f"{mid}-{last}")
    )  # fmt: skip
    roll = rng.random()
    if roll < 0.12:
        return body + rng.choice((" ext. ", " x", " ext ", " x ", ", ext. ")) + _digits(rng, rng.randint(2, 5))
    if roll < 0.17:
        return rng.choice(
            (f"+44 20 {_digits(rng, 4)} {_digits(rng, 4)}", f"+52 55 {_digits(rng, 4)} {_digits(rng, 4)}",
             f"+91 {_digits(rng, 5)} {_digits(rng, 5)}", f"+63 917 {_digits(rng, 3)} {_digits(rng, 4)}",
             f"011 52 33 {_digits(rng, 4)} {_digits(rng, 4)}")
        )  # fmt: skip
    return body


def _mrn(rng: random.Random) -> str:
    return rng.choice(
        (_digits(rng, 7), "00" + _digits(rng, 6), _digits(rng, 8), _letters(rng, 1) + _digits(rng, 7),
         f"{_digits(rng, 2)}-{_digits(rng, 2)}-{_digits(rng, 2)}-{_digits(rng, 2)}", _digits(rng, 10),
         f"MR{_digits(rng, 6)}", f"{_digits(rng, 3)}-{_digits(rng, 4)}")
    )  # fmt: skip


def _ssn(rng: random.Random) -> str:
    area, group, serial = rng.randint(1, 665), rng.randint(1, 99), rng.randint(1, 9999)
    if rng.random() < FAKE_LOOKING_RATE:
        area, group, serial = rng.choice(((987, 65, 4321), (123, 45, 6789), (rng.randint(900, 999), group, serial)))
    sep = rng.choice(("-", "-", " ", ""))
    return f"{area:03d}{sep}{group:02d}{sep}{serial:04d}"


def _mbi(rng: random.Random) -> str:
    """A Medicare Beneficiary Identifier shape: 1EG4-TE5-MK73."""
    def letter() -> str:
        return rng.choice("ACDEFGHJKMNPQRTUVWXY")

    return (
        f"{rng.randint(1, 9)}{letter()}{_digits(rng, 1)}{letter()}-{letter()}{_digits(rng, 1)}{letter()}-"
        f"{letter()}{letter()}{_digits(rng, 2)}"
    )


def _health_plan(rng: random.Random) -> str:
    return rng.choice(
        (_letters(rng, 3) + _digits(rng, 9), _mbi(rng), "W" + _digits(rng, 9), _digits(rng, 11) + _letters(rng, 1),
         f"{_letters(rng, 2)}{_digits(rng, 6)}-{_digits(rng, 2)}", _digits(rng, 9), _prefixed(rng, PLAN_PREFIXES),
         _prefixed(rng, PLAN_PREFIXES), f"{_letters(rng, 2)}-{_digits(rng, 6)}", f"{_letters(rng, 3)}{_digits(rng, 8)}")
    )  # fmt: skip


PLAN_PREFIXES = ("HMO", "PPO", "EPO", "POS", "BCBS", "UHC", "MCD", "MCR", "HDHP")


def _prefixed(rng: random.Random, prefixes: tuple[str, ...]) -> str:
    """A letter-prefixed number: 'HMO-234567', 'PPO-A1234567'."""
    return f"{rng.choice(prefixes)}-{_letters(rng, 1) if rng.random() < 0.2 else ''}{_digits(rng, rng.randint(6, 9))}"


def _group_number(rng: random.Random) -> str:
    return rng.choice((_digits(rng, 5), _digits(rng, 6) + "-" + _digits(rng, 3), "GRP" + _digits(rng, 5)))


def _account(rng: random.Random) -> str:
    return rng.choice(
        (_digits(rng, 10), _digits(rng, 9), f"{_digits(rng, 2)}-{_digits(rng, 4)}-{_digits(rng, 2)}",
         "A" + _digits(rng, 8), _digits(rng, 12), f"{_digits(rng, 4)}-{_digits(rng, 6)}")
    )  # fmt: skip


def _license(rng: random.Random) -> tuple[str, str]:
    """A (kind, number) pair: the kind is literal text, the number is the PHI."""
    return rng.choice(
        (("DEA #", _letters(rng, 2) + _digits(rng, 7)), ("DEA", _letters(rng, 2) + _digits(rng, 7)),
         ("driver's license #", _letters(rng, 1) + _digits(rng, 7)),
         ("DL", f"{_letters(rng, 1)}{_digits(rng, 3)}-{_digits(rng, 4)}-{_digits(rng, 4)}"),
         ("RN license", "RN" + _digits(rng, 6)), ("medical license", rng.choice(("MD", "G", "A")) + _digits(rng, 5)),
         ("Lic#", _digits(rng, 6)), ("state license no.", _digits(rng, 2) + "-" + _digits(rng, 6)))
    )  # fmt: skip


def _vehicle(rng: random.Random) -> tuple[str, str]:
    """A (keyword, identifier) pair: a VIN after 'VIN', a plate after a plate keyword."""
    if rng.random() < 0.3:
        return rng.choice(("VIN ", "VIN: ", "vehicle VIN ")), _letters(rng, 17, "ABCDEFGHJKLMNPRSTUVWXYZ0123456789")
    plate = rng.choice(
        (f"{rng.randint(1, 9)}{_letters(rng, 3)}{_digits(rng, 3)}", f"{_letters(rng, 3)}-{_digits(rng, 4)}",
         f"{_letters(rng, 3)} {_digits(rng, 4)}", f"{_digits(rng, 3)} {_letters(rng, 3)}",
         f"{_letters(rng, 2)}{_digits(rng, 2)}{_letters(rng, 3)}",
         f"{_digits(rng, 1)}{_letters(rng, 2)}{_digits(rng, 4)}")
    )  # fmt: skip
    return rng.choice(("license plate ", "plate # ", "tag ", f"{rng.choice(STATES)} plate ", "plates ")), plate


def _serial(rng: random.Random) -> str:
    return rng.choice(
        (_letters(rng, 3) + _digits(rng, 6) + _letters(rng, 1), _digits(rng, 9), f"{_letters(rng, 2)}{_digits(rng, 7)}",
         f"{_digits(rng, 1)}{_letters(rng, 2)}-{_digits(rng, 5)}", _letters(rng, 4) + _digits(rng, 8),
         f"SN{_digits(rng, 8)}")
    )  # fmt: skip


def _biometric(rng: random.Random) -> str:
    return rng.choice(
        (f"FP-{_digits(rng, 5)}-{_letters(rng, 2)}", f"RS{_digits(rng, 8)}", f"VP-{_letters(rng, 3)}{_digits(rng, 5)}",
         f"BIO{_digits(rng, 7)}", f"{_letters(rng, 2)}{_digits(rng, 4)}-{_letters(rng, 4, '0123456789ABCDEF')}")
    )  # fmt: skip


def _other_id(rng: random.Random) -> str:
    return rng.choice(
        (f"E{_digits(rng, 6)}", _digits(rng, 8), f"S-{_digits(rng, 3)}-{_digits(rng, 4)}",
         f"{_letters(rng, 3)}-{_digits(rng, 3)}-{_digits(rng, 4)}", f"{_letters(rng, 1)}{_digits(rng, 8)}",
         _digits(rng, 5), f"{_letters(rng, 2)}-{_digits(rng, 6)}", f"{_letters(rng, 2)}-{_digits(rng, 6)}",
         f"{_letters(rng, 3)}{_digits(rng, 4)}")
    )  # fmt: skip



# ---------------------------------------------------------------------------------------------
# People.


@dataclass(frozen=True)
class _Person:
    first: str
    middle: str
    last: str
    female: bool

    @property
    def title(self) -> str:
        return "Ms." if self.female else "Mr."


@lru_cache(maxsize=None)
def _faker(locale: str) -> Faker:
    # One instance per locale, re-seeded before each use in a document (see _new_person and _Doc), so what it
    # gives depends only on the document's seed, never on the documents generated before it.
    return Faker(locale)


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _new_person(rng: random.Random, locale: str, seed: int, female: bool | None = None) -> _Person:
    fake = _faker(locale)
    fake.seed_instance(seed)
    female = rng.random() < 0.5 if female is None else female
    first = (fake.first_name_female() if female else fake.first_name_male()).split()[0]
    last = fake.last_name()
    if rng.random() < 0.05:
        last = f"{last}-{fake.last_name()}"
    return _Person(first=first, middle=rng.choice(string.ascii_uppercase), last=last, female=female)


IDENTIFIERS: dict[str, tuple[Callable[[random.Random], str], tuple[tuple[str, str], ...]]] = {
    "MEDICAL_RECORD_NUMBER": (
        _mrn,
        (("MRN: ", ""), ("MRN ", ""), ("(MRN ", ")"), ("MR# ", ""), ("Med Rec #", ""), ("medical record number ", ""),
         ("Unit No. ", ""), ("Pt ID: ", ""), ("#", ""), ("MRN:", ""), ("mrn ", ""), ("Hospital #: ", ""), ("Patient ID: ", ""),
         ("patient ID ", ""), ("Chart #: ", "")),
    ),
    "US_SSN": (_ssn, (("SSN: ", ""), ("SSN ", ""), ("SS# ", ""), ("Social Security No. ", ""), ("soc sec # ", ""))),
    "HEALTH_PLAN_NUMBER": (
        _health_plan,
        (("Member ID: ", ""), ("member ID ", ""), ("policy # ", ""), ("Medicare ID ", ""), ("Medicaid # ", ""),
         ("subscriber ID ", ""), ("ID# ", ""), ("insurance ID ", ""), ("plan ID: ", ""), ("Health plan #: ", ""),
         ("Policy number: ", ""), ("Member #", ""), ("Plan no. ", ""), ("Insurance: ", "")),
    ),
    "ACCOUNT_NUMBER": (
        _account,
        (("Acct #: ", ""), ("acct ", ""), ("account number ", ""), ("FIN ", ""), ("HAR: ", ""),
         ("billing account ", ""), ("Account: ", ""), ("Visit acct# ", "")),
    ),
    "DEVICE_ID": (_serial, (("SN ", ""), ("serial # ", ""), ("serial number ", ""), ("S/N: ", ""), ("device ID ", ""))),
    "BIOMETRIC_ID": (
        _biometric,
        (("fingerprint ID ", ""), ("retinal scan ID ", ""), ("voiceprint ID ", ""), ("palm-vein template ", ""),
         ("biometric ID: ", ""), ("facial recognition template #", "")),
    ),
    "ID": (
        _other_id,
        (("employee ID ", ""), ("student ID ", ""), ("study subject ID ", ""), ("participant #", ""),
         ("badge #", ""), ("passport no. ", ""), ("subject ", ""), ("Employee #: ", ""), ("Site ID: ", ""), ("#", ""),
         ("ID: ", ""), ("ref # ", ""), ("case # ", "")),
    ),
}


