"""The document builder: pieces of text and PHI values, and one document's cast, dates and identifiers.

A builder records a span as it appends each PHI value, so offsets are correct by construction and never
searched for afterwards.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Callable, Union

from faker import Faker

from deid.spans import Span
from deid.places import Hospital, hospital_names, hospitals, us_counties, us_states
from deid.train.synth.places import FOREIGN_LOCALES, GENERIC_PLACES, REAL_FACILITY_RATE, _city, _facility, us_city
from deid.train.synth.values import (
    DATE_FORMATS, DOB_FORMATS, IDENTIFIERS, _digits, _faker, _fmt_datetime, _letters, _new_person, _Person, _phone,
    _weighted,
)  # fmt: skip
from deid.train.synth.vocabulary import ANONYMOUS_CLINICIANS, RELATIONS


# ---------------------------------------------------------------------------------------------
# Defaults, in one place.
PHI_FREE_RATE = 0.10  # share of documents rendered with no PHI at all
OLD_AGE_RATE = 0.12  # share of patients over 89 (their age is PHI)
CHILD_RATE = 0.06  # share of patients under 18
TYPO_DOC_RATE = 0.25  # share of documents whose filler words get typos
TYPO_WORD_RATE = 0.04  # chance per eligible filler word in such a document
UPPER_DOC_RATE = 0.04  # share of documents written all in capitals
FIRST_YEAR, LAST_YEAR = 2012, 2025  # visit dates fall in these years
# Locales whose Faker names are in Latin script, with their weight among patients' and relatives' names.
NAME_LOCALES = (
    ("en_US", 50), ("es_MX", 8), ("en_IN", 6), ("vi_VN", 3), ("en_GB", 4), ("fr_FR", 3), ("de_DE", 3),
    ("it_IT", 3), ("pl_PL", 3), ("pt_BR", 3), ("nl_NL", 2), ("tr_TR", 2), ("ga_IE", 2), ("yo_NG", 2),
    ("ig_NG", 2), ("ha_NG", 2), ("sw", 2), ("es_ES", 2), ("es_CO", 2), ("es_AR", 1), ("pt_PT", 1), ("ro_RO", 1),
    ("sv_SE", 1), ("hu_HU", 1), ("cs_CZ", 1), ("fi_FI", 1), ("hr_HR", 1), ("da_DK", 1), ("id_ID", 1), ("tw_GH", 1),
    ("zu_ZA", 1),
)  # fmt: skip
# Facility kinds a real hospital can stand for (pharmacies, nursing homes and practices stay Faker-made).
REAL_FACILITY_KINDS = (None, "Hospital", "Medical", "Clinic", "Heart", "Imaging")
FOREIGN_ADDRESS_RATE = 0.25  # share of addresses abroad (street, city and postal code of a Faker locale)
CLINICIAN_LOCALES = (("en_US", 60), ("en_IN", 12), ("es_MX", 6), ("en_GB", 6), ("de_DE", 4), ("yo_NG", 4), ("vi_VN", 4))

TYPO_SKIP = frozenset({"with", "from", "that", "this", "will"})  # too short to look like a typo when swapped


# ---------------------------------------------------------------------------------------------
# Pieces and the builder.


@dataclass(frozen=True)
class Phi:
    """A PHI value to be appended with its label."""

    value: str
    label: str

    def __post_init__(self) -> None:
        if not self.value or self.value != self.value.strip():
            raise ValueError(f"a {self.label} value is empty or has edge whitespace")


Piece = Union[str, Phi, list]


class _Builder:
    """Appends literal text and PHI values, recording each value's span as it goes."""

    def __init__(self, rng: random.Random, case: str = "as_is", typo_rate: float = 0.0) -> None:
        self.rng, self.case, self.typo_rate = rng, case, typo_rate
        self.parts: list[str] = []
        self.spans: list[Span] = []
        self.pos = 0

    def add(self, *pieces: Piece) -> None:
        for piece in pieces:
            if isinstance(piece, list):
                self.add(*piece)
            elif isinstance(piece, Phi):
                value = self._case(piece.value)
                self.spans.append(Span(self.pos, self.pos + len(value), piece.label))
                self._append(value)
            else:
                self._append(self._case(self._typos(piece)))

    def build(self) -> tuple[str, tuple[Span, ...]]:
        return "".join(self.parts), tuple(self.spans)

    def _append(self, s: str) -> None:
        self.parts.append(s)
        self.pos += len(s)

    def _case(self, s: str) -> str:
        return s.upper() if self.case == "upper" else s.lower() if self.case == "lower" else s

    def _typos(self, s: str) -> str:
        if not self.typo_rate:
            return s
        return " ".join(self._typo(w) for w in s.split(" "))

    def _typo(self, word: str) -> str:
        # Only plain lowercase words: codes, names and numbers in the literal text keep their shape.
        if len(word) < 4 or not word.isalpha() or not word.islower() or word in TYPO_SKIP:
            return word
        if self.rng.random() >= self.typo_rate:
            return word
        i = self.rng.randrange(1, len(word) - 1)
        kind = self.rng.randrange(3)
        if kind == 0:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if kind == 1:
            return word[:i] + word[i + 1 :]
        return word[:i] + word[i] + word[i:]



# ---------------------------------------------------------------------------------------------
# Mentions of people.


NAME_STYLES = (
    "full", "full", "full_mid", "last_first", "caps_last_first", "title_last", "title_last", "title_full",
    "title_first_initial", "title_first_initial", "first_initial", "first", "last", "initial_last", "lower_full",
    "caps_full", "last_first_mid",
)  # fmt: skip


def _name(rng: random.Random, p: _Person, style: str | None = None, possessive: bool = False) -> list[Piece]:
    """Pieces for one mention of ``p``; a leading title is inside the span, a possessive 's outside."""
    style = style or rng.choice(NAME_STYLES)
    title = ""
    value = {
        "full": f"{p.first} {p.last}",
        "full_mid": f"{p.first} {p.middle}. {p.last}",
        "last_first": f"{p.last}, {p.first}",
        "last_first_mid": f"{p.last}, {p.first} {p.middle}",
        "caps_last_first": f"{p.last}, {p.first}".upper(),
        "caps_full": f"{p.first} {p.last}".upper(),
        "title_last": p.last,
        "title_full": f"{p.first} {p.last}",
        "title_first_initial": f"{p.first} {p.last[0]}.",
        "first_initial": f"{p.first} {p.last[0]}.",
        "first": p.first,
        "last": p.last,
        "initial_last": f"{p.first[0]}. {p.last}",
        "lower_full": f"{p.first} {p.last}".lower(),
    }[style]
    if style.startswith("title_"):
        title = rng.choice((p.title, p.title, p.title.rstrip("."), "Mrs." if p.female else "Mr."))
    pieces: list[Piece] = [Phi(f"{title} {value}" if title else value, "PERSON")]
    if possessive:
        pieces.append("'s")
    return pieces


def _clinician_name(rng: random.Random, p: _Person, possessive: bool = False) -> list[Piece]:
    """A physician mention: 'Dr. Patel', 'Anita Patel, MD', 'A. Patel MD', ... (the title is in the span, a
    credential after the name is not)."""
    form = rng.randrange(8)
    tail = "'s" if possessive else ""
    if form <= 2:
        return [Phi(rng.choice(("Dr. ", "Dr ", "Dr. ", "dr ")) + p.last, "PERSON"), tail]
    if form == 3:
        return [Phi(f"Dr. {p.first} {p.last}", "PERSON"), tail]
    if form == 4 and not possessive:
        return [Phi(f"{p.first} {p.last}", "PERSON"), rng.choice((", MD", " MD", ", DO", ", NP", ", PA-C"))]
    if form == 5 and not possessive:
        return [Phi(f"{p.first[0]}. {p.last}", "PERSON"), rng.choice((" MD", ", MD", " (attending)"))]
    if form == 6:
        return [Phi(f"Dr. {p.first} {p.middle}. {p.last}", "PERSON"), tail]
    return [Phi(f"Dr. {p.last.upper() if rng.random() < 0.3 else p.last}", "PERSON"), tail]


def _staff_name(rng: random.Random, p: _Person) -> list[Piece]:
    """A nurse or staff signature: 'Jane Doe, RN', 'RN J. Doe', 'jdoe LPN', ..."""
    cred = rng.choice(("RN", "LPN", "MA", "RN, BSN", "CMA", "LCSW", "PharmD", "RRT"))
    form = rng.randrange(5)
    if form == 0:
        return [Phi(f"{p.first} {p.last}", "PERSON"), f", {cred}"]
    if form == 1:
        return [f"{cred} ", Phi(f"{p.first[0]}. {p.last}", "PERSON")]
    if form == 2:
        return [Phi(f"{p.first} {p.last[0]}.", "PERSON"), f" {cred}"]
    if form == 3:
        return [Phi(p.first, "PERSON"), f" ({cred})"]
    return [Phi(f"{p.last}, {p.first}", "PERSON"), f" {cred}"]




def _cap(pieces: list[Piece]) -> list[Piece]:
    """The pieces with their first letter capitalised, for a clause that opens a sentence."""
    if pieces and isinstance(pieces[0], str) and pieces[0]:
        return [pieces[0][0].upper() + pieces[0][1:], *pieces[1:]]
    return pieces



# ---------------------------------------------------------------------------------------------
# One document's context: its random streams, its cast and its identifiers.


@dataclass
class _Doc:
    rng: random.Random
    seed: int
    phi_free: bool
    b: _Builder
    fake: Faker = field(init=False)
    patient: _Person = field(init=False)
    age: int = field(init=False)
    visit: datetime = field(init=False)
    _cast: dict[str, _Person] = field(default_factory=dict, init=False)
    _values: dict[str, str] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.fake = _faker("en_US")
        self.fake.seed_instance(self.seed)
        self.patient = self.person("patient")
        self.age = self._draw_age()
        day = date(FIRST_YEAR, 1, 1) + timedelta(days=self.rng.randrange((LAST_YEAR - FIRST_YEAR + 1) * 365))
        self.visit = datetime(day.year, day.month, day.day, self.rng.randrange(24), self.rng.randrange(0, 60, 5))

    def _draw_age(self) -> int:
        roll = self.rng.random()
        if roll < OLD_AGE_RATE:
            return self.rng.randint(18, 89) if self.phi_free else self.rng.randint(90, 104)
        if roll < OLD_AGE_RATE + CHILD_RATE:
            return self.rng.randint(1, 17)
        return self.rng.randint(18, 89)

    # -- randomness
    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def phi(self, p: float = 1.0) -> bool:
        """Whether to include an optional PHI-bearing piece (never in a PHI-free document)."""
        return not self.phi_free and self.rng.random() < p

    def pick(self, seq: Any) -> Any:
        return self.rng.choice(seq)

    def sample(self, seq: Any, lo: int, hi: int) -> list[Any]:
        return self.rng.sample(list(seq), self.rng.randint(lo, min(hi, len(seq))))

    def add(self, *pieces: Piece) -> None:
        self.b.add(*pieces)

    def sentences(self, clauses: list[list[Piece]], sep: str = " ", shuffle: bool = True) -> list[Piece]:
        """Clauses in random order, joined by ``sep``."""
        clauses = [c for c in clauses if c]
        if shuffle:
            self.rng.shuffle(clauses)
        out: list[Piece] = []
        for i, clause in enumerate(clauses):
            out.extend(([sep] if i else []) + clause)
        return out

    # -- people
    def person(self, role: str, female: bool | None = None) -> _Person:
        """The same person every time a role is asked for in this document."""
        if role not in self._cast:
            table = CLINICIAN_LOCALES if role.startswith(("dr", "staff")) else NAME_LOCALES
            locale = _weighted(self.rng, table)
            self._cast[role] = _new_person(self.rng, locale, self.seed + len(self._cast) * 7919, female)
        return self._cast[role]

    def pt(self, style: str | None = None, possessive: bool = False, generic: tuple[str, ...] = ()) -> list[Piece]:
        """A mention of the patient, or a generic referent in a PHI-free document."""
        if self.phi_free:
            word = self.pick(generic or ("the patient", "the patient", "pt", "patient"))
            return [word + ("'s" if possessive and not word.endswith("'s") else "")]
        return _name(self.rng, self.patient, style, possessive)

    def name_field(self, styles: tuple[str, ...]) -> list[Piece]:
        """The patient's name for a header field; nothing in a PHI-free document."""
        return [] if self.phi_free else _name(self.rng, self.patient, self.pick(styles))

    def dr(self, role: str = "dr1", possessive: bool = False) -> list[Piece]:
        if self.phi_free:
            word = self.pick(ANONYMOUS_CLINICIANS)
            return [word + ("'s" if possessive else "")]
        return _clinician_name(self.rng, self.person(role), possessive)

    def staff(self, role: str = "staff1") -> list[Piece]:
        if self.phi_free:
            return [self.pick(("RN", "the nurse", "clinic staff", "triage RN", "MA"))]
        return _staff_name(self.rng, self.person(role))

    def relative(self, role: str = "rel1") -> list[Piece]:
        """A relative: 'daughter Ana Ruiz', 'son (Mark)', or just 'wife' (always so in a PHI-free document)."""
        relation = self.pick(RELATIONS)
        if self.phi_free or self.chance(0.15):
            return [f"{relation}"]
        p = self.person(role, female=relation in ("daughter", "wife", "sister", "mother", "niece"))
        if self.chance(0.5):
            p = self._cast[role] = _Person(p.first, p.middle, self.patient.last, p.female)
        if self.chance(0.2):
            return [f"{relation} (", Phi(p.first, "PERSON"), ")"]
        return [f"{relation} ", *_name(self.rng, p, self.pick(("full", "first", "full", "caps_full")))]

    # -- dates and ages
    def date(self, days: int = 0, fmt: str | None = None, time: bool = False) -> list[Piece]:
        """A visit-relative date as PHI, or a relative phrase in a PHI-free document."""
        when = self.visit + timedelta(days=days, minutes=self.rng.randrange(-180, 180) if time else 0)
        if self.phi_free:
            return [self.pick(("today", "this morning", "yesterday", "earlier today", "on arrival", "this visit"))]
        if time:
            return [Phi(_fmt_datetime(self.rng, when), "DATE_TIME")]
        fmt = fmt or self.pick(list(DATE_FORMATS))
        return [Phi(DATE_FORMATS[fmt](when.date()), "DATE_TIME")]

    def dob(self) -> list[Piece]:
        born = self.visit.date() - timedelta(days=self.age * 365 + self.rng.randrange(365))
        return [Phi(DATE_FORMATS[self.pick(DOB_FORMATS)](born), "DATE_TIME")]

    def age_phrase(self) -> list[Piece]:
        """'93-year-old' (AGE when over 89), otherwise the same shapes left untagged."""
        n = self.age
        form = self.rng.randrange(7)
        text = [f"{n}-year-old", f"{n} yo", f"{n} y/o", f"{n}yo", f"{n} year old", f"{n}-yr-old", f"{n} y.o."][form]
        return [Phi(text, "AGE")] if n > 89 else [text]

    def sex_word(self) -> str:
        words = ("woman", "female", "F", "lady") if self.patient.female else ("man", "male", "M", "gentleman")
        if self.age < 18:
            words = ("girl", "female") if self.patient.female else ("boy", "male")
        return self.pick(words)

    @property
    def article(self) -> str:
        """'an' before an age read aloud with a vowel sound (8, 11, 18, 80-89)."""
        return "an" if str(self.age).startswith("8") or self.age in (11, 18) else "a"

    @property
    def they(self) -> str:
        return "she" if self.patient.female else "he"

    # -- identifiers
    def value(self, key: str, make: Callable[[random.Random], str]) -> str:
        """The same value every time ``key`` is asked for in this document."""
        if key not in self._values:
            self._values[key] = make(self.rng)
        return self._values[key]

    def ident(self, label: str, bare: bool = False, keys: tuple[str, ...] = ()) -> list[Piece]:
        """A patient identifier with one of its keywords ('MRN: 4471983', 'Member ID W123...')."""
        make, default_keys = IDENTIFIERS[label]
        value = Phi(self.value(label, make), label)
        if bare:
            return [value]
        before, after = (self.pick(keys), "") if keys else self.pick(default_keys)
        return [before, value, after]

    def phone(self, key: str = "phone", label: str = "PHONE_NUMBER") -> list[Piece]:
        return [Phi(self.value(key, _phone), label)]

    def email(self, p: _Person) -> list[Piece]:
        user = self.pick(
            (f"{p.first}.{p.last}", f"{p.first[0]}{p.last}", f"{p.first}{p.last[0]}{self.rng.randint(1, 99)}",
             f"{p.last}{self.rng.randint(50, 2005)}", f"{p.first}_{p.last}")
        )  # fmt: skip
        user = "".join(c for c in user.lower() if c.isascii() and (c.isalnum() or c in "._"))
        domain = self.pick(("gmail.com", "yahoo.com", "outlook.com", "aol.com", "icloud.com", self.fake.domain_name()))
        return [Phi(f"{user or 'user'}@{domain}", "EMAIL_ADDRESS")]

    # -- places
    def facility(self, key: str = "facility", kind: str | None = None, possessive: bool = False) -> list[Piece]:
        """A facility as LOCATION: a real US hospital where ``kind`` allows one, else a Faker-made name.

        The same facility every time ``key`` is asked for; a possessive 's stays outside the span.
        """
        if self.phi_free:
            return [self.pick(GENERIC_PLACES)]
        real = self._real_hospital(key) if kind in REAL_FACILITY_KINDS else None
        if real is not None:
            return self._hospital(real, possessive)
        return [Phi(self.value(key, lambda rng: _facility(rng, self.fake, kind)), "LOCATION"), "'s" if possessive else ""]

    def _real_hospital(self, key: str) -> Hospital | None:
        def draw(rng: random.Random) -> str:
            return str(rng.randrange(len(hospitals()))) if rng.random() < REAL_FACILITY_RATE else ""

        index = self.value(f"{key}/real", draw)
        return hospitals()[int(index)] if index else None

    def _hospital(self, h: Hospital, possessive: bool) -> list[Piece]:
        """'Massachusetts General Hospital', 'MGH', "Mass General's", 'Mt. Sinai', 'Mayo Clinic in Rochester, MN'."""
        name = h.name if self.chance(0.4) else self.pick(hospital_names(h))
        if possessive:
            return [Phi(name, "LOCATION"), "" if name.endswith("'s") else "'s"]
        if self.chance(0.12):
            return [Phi(name, "LOCATION"), " in ", Phi(h.city, "LOCATION"), self.pick(("", f", {h.state}"))]
        return [Phi(name, "LOCATION")]

    def city(self, bare: bool = False) -> list[Piece]:
        """A real US city as LOCATION: 'Atlanta, GA', 'Fresno, California', 'Atlanta'; the state is not PHI."""
        if self.phi_free:
            return [self.pick(("local", "nearby")) if bare else self.pick(("town", "the area", "another state"))]
        c = us_city(self.rng)
        state = "" if bare else self.pick((f", {c.state}", f", {c.state}", f", {us_states()[c.state]}", f" {c.state}", "", ""))
        return [Phi(c.name, "LOCATION"), state]

    def county(self) -> list[Piece]:
        """A US county as LOCATION ('Cook County'), sometimes with its state (not PHI)."""
        if self.phi_free:
            return [self.pick(("the county", "a neighboring county"))]
        c = self.pick(us_counties())
        return [Phi(c.name, "LOCATION"), self.pick(("", "", f", {c.state}", f", {us_states()[c.state]}"))]

    def address(self) -> list[Piece]:
        """Street, city and ZIP as LOCATION; the state between them is not PHI."""
        if self.chance(FOREIGN_ADDRESS_RATE):
            return self.foreign_address()
        street = Phi(self.fake.street_address(), "LOCATION")
        city = Phi(_city(self.rng, self.fake), "LOCATION")
        zipcode = Phi(self.fake.zipcode_plus4() if self.chance(0.15) else self.fake.zipcode(), "LOCATION")
        state = self.fake.state_abbr()
        form = self.rng.randrange(4)
        if form == 0:
            return [street, ", ", city, f", {state} ", zipcode]
        if form == 1:
            return [street, "\n", city, f", {state} ", zipcode]
        if form == 2:
            return [street, " ", city, f" {state} ", zipcode]
        return [street, ", ", city]

    def foreign_address(self) -> list[Piece]:
        """An address abroad from a Faker locale: street, city and postal code as LOCATION, the country not PHI."""
        locale, country, code_first = self.pick(FOREIGN_LOCALES)
        fake = _faker(locale)
        fake.seed_instance(self.seed + 104729)
        street = Phi(" ".join(fake.street_address().split()), "LOCATION")
        city, code = Phi(" ".join(fake.city().split()), "LOCATION"), Phi(fake.postcode().strip(), "LOCATION")
        sep = self.pick((", ", ", ", "\n"))
        tail = [sep, country] if self.chance(0.7) else []
        return [street, sep, *((code, " ", city) if code_first else (city, " ", code)), *tail]

    def url(self) -> list[Piece]:
        slug = "".join(c for c in self.fake.last_name().lower() if c.isascii() and c.isalpha())
        first = "".join(c for c in self.patient.first.lower() if c.isascii() and c.isalpha())
        value = self.pick(
            (f"https://mychart.{slug}health.org", f"https://portal.{slug}clinic.com/patient/{_digits(self.rng, 6)}",
             f"www.{slug}{first}.com", f"https://zoom.us/j/{_digits(self.rng, 11)}",
             f"https://doxy.me/dr{slug}", f"http://bit.ly/{_letters(self.rng, 6, string.ascii_letters)}",
             f"https://www.gofundme.com/f/help-{slug}-family", f"{slug}familycare.org/forms")
        )  # fmt: skip
        return [Phi(value, "URL")]

    def ip(self) -> list[Piece]:
        return [Phi(self.fake.ipv6() if self.chance(0.2) else self.fake.ipv4(), "IP_ADDRESS")]
