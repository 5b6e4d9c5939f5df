"""Kinds of text that models trained on the first generators got wrong in others' writing, mixed at low rates
into the genres' clause pools (each kind in a few percent of documents; ``extra_clauses``).

Hard negatives (never tagged): drug and device brand names, scores and classes named after people or places,
insurers and employers, hospital units, beds and rooms, scores and fractions that look like dates, and a US state
or a country alone. PHI forms: clinicians' chat with a bare lower-case first name or surname (PERSON), names in
Chinese, Japanese or Korean script (PERSON), ordinal day references with their article ('the 14th', 'the 3rd of
December'; DATE_TIME), senior-living homes and hospices named without a head noun (LOCATION) and pharmacy chains
with their street (LOCATION).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Callable

from deid.train.synth.document import Phi, Piece, _Doc
from deid.train.synth.places import COUNTRIES, US_STATE_NAMES
from deid.train.synth.values import _faker, _ordinal
from deid.train.synth.vocabulary import (
    BRAND_DEVICES, BRANDS, CARE_HOME_WORDS, CHAT_TASKS, CHAT_WHERE, CJK_LOCALES, EMPLOYERS, HOSPICE_WORDS,
    MORE_INSURERS, OCCUPATIONS, PHARMACY_CHAINS, RELATIONS, ROMAN, UNIT_WINGS,
)  # fmt: skip

KIND_RATE = 0.07  # chance per kind that a genre's clause pool gets one clause of that kind
# State names that are also a city's name stay out: alone they could be the city (a LOCATION).
LONE_STATES = tuple(s for s in US_STATE_NAMES if s not in ("New York", "Washington", "District of Columbia"))
MORE_COUNTRIES = COUNTRIES + ("Japan", "South Korea", "Somalia", "Cuba", "the Dominican Republic", "Pakistan")


# ---------------------------------------------------------------------------------------------
# Hard negatives.


def brand_clause(d: _Doc) -> list[Piece]:
    """'Started Ozempic 0.25 mg weekly.', 'Kayexalate 15 g given.', 'Uses ResMed CPAP nightly.'"""
    b, b2, dev = d.pick(BRANDS), d.pick(BRANDS), d.pick(BRAND_DEVICES)
    return [
        d.pick(
            (f"Started {b}.", f"Started {b} last month.", "Kayexalate 15 g given.", f"On {b}, tolerating well.",
             f"Switched from {b} to {b2}.", f"{b} held for the procedure.", f"Asks whether {b} is covered.",
             f"Pt on {b} and {b2}.", f"Uses {dev} nightly.", f"{dev} interrogated, functioning normally.",
             f"Has a {dev}.", f"Resume {b} at discharge.")
        )  # fmt: skip
    ]


def _score(d: _Doc) -> str:
    r = d.rng.randint
    return d.pick(
        (f"Braden {r(6, 23)}", f"Morse {r(0, 25) * 5}", f"Glasgow {r(3, 15)}", f"Apgar {r(5, 8)}/{r(8, 9)}",
         f"Wells score {r(0, 8)}", f"Kellgren-Lawrence grade {r(1, 4)}", f"Gleason {r(3, 4)}+{r(3, 5)}",
         f"Bethesda {d.pick(ROMAN + ('V', 'VI'))}", f"Mallampati {d.pick(ROMAN)}", f"Child-Pugh {d.pick('ABC')}",
         f"Hunt and Hess {r(1, 5)}", f"NYHA class {d.pick(ROMAN)}", f"Killip class {d.pick(ROMAN)}",
         f"Hoehn and Yahr stage {r(1, 5)}", f"Fitzpatrick type {d.pick(ROMAN)}", f"Tanner stage {r(1, 5)}",
         f"Salter-Harris {d.pick(ROMAN)}", f"Norton {r(5, 20)}", f"Caprini {r(1, 9)}")
    )  # fmt: skip


def score_clause(d: _Doc) -> list[Piece]:
    """'Braden 15, Morse 45.', 'NYHA class III.'"""
    one, two = _score(d), _score(d)
    return [d.pick((f"{one}.", f"Scores: {one}, {two}.", f"{one} on admission.", f"{one}; {two}."))]


def payer_clause(d: _Doc) -> list[Piece]:
    """'Works at Sysco, insured through Cigna.', 'Aetna denied the MRI.'"""
    e, i = d.pick(EMPLOYERS), d.pick(MORE_INSURERS)
    return [
        d.pick(
            (f"Works at {e}, insured through {i}.", f"Employed by {e} as a {d.pick(OCCUPATIONS)}.",
             f"Coverage through {i} via {e}.", f"{i} denied the MRI; appeal filed.", f"Retired from {e}.",
             f"Works at {e} warehouse, needs a work note.", f"{i} requires prior auth.", f"Insurance: {i}.")
        )  # fmt: skip
    ]


def unit_clause(d: _Doc) -> list[Piece]:
    """'Transferred to 4 West.', 'MICU bed 3.', 'Now in rm 22, bed 2.', '7B-04'."""
    r = d.rng.randint
    return [
        d.pick(
            (f"Transferred to {r(2, 9)} {d.pick(UNIT_WINGS)}.", f"Moved to bay {r(1, 12)}.",
             f"Now in rm {r(1, 40)}, bed {r(1, 2)}.", f"Pt in {r(2, 9)}{d.pick('ABCD')}-{r(1, 30):02d}.",
             f"MICU bed {r(1, 16)}.", f"ED pod {d.pick('ABCDE')}, bed {r(1, 20)}.",
             f"Bed {r(1, 30)} on {r(2, 9)} {d.pick(UNIT_WINGS)}.",
             f"Room {r(100, 999)}{d.pick(('', 'A', 'B'))}.")
        )  # fmt: skip
    ]


def fraction_clause(d: _Doc) -> list[Piece]:
    """'MoCA 24/30.', '2/6 systolic murmur.', 'pain 7/10', 'Mon/Wed/Fri dosing', 'every Monday'."""
    r = d.rng.randint
    day = d.pick(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"))
    return [
        d.pick(
            (f"MoCA {r(14, 30)}/30.", f"MMSE {r(14, 30)}/30.", f"Has a {r(1, 4)}/6 systolic murmur.",
             f"Strength {r(3, 5)}/5 throughout.", f"Reports pain {r(0, 10)}/10.", "Mon/Wed/Fri dosing.",
             "HD Tue/Thu/Sat.", f"INR checks every {day}.", f"Dressing change every {day}.",
             f"PHQ-9 {r(0, 27)}/27.", f"{r(0, 3)}/{r(8, 20)} lymph nodes positive.")
        )  # fmt: skip
    ]


def region_clause(d: _Doc) -> list[Piece]:
    """'Moved from Ohio.', 'Visiting family in Mexico.' (a state or a country alone is not PHI)."""
    s, c = d.pick(LONE_STATES), d.pick(MORE_COUNTRIES)
    return [
        d.pick(
            (f"Moved from {s}.", f"Visiting family in {c}.", f"Spends winters in {s}.",
             f"Flew back from {c} last week.",
             f"Originally from {c}, moved to {s} as a child.", f"Plans a trip to {c}.", f"Grew up in {s}.")
        )  # fmt: skip
    ]


# ---------------------------------------------------------------------------------------------
# PHI forms.


def chat_clause(d: _Doc) -> list[Piece]:
    """'priya can you put in a bmp?', 'Priya - can you ...', 'lmk when ortiz in 12 is back from MRI' (PERSON)."""
    if d.phi_free:
        return []
    staff, other = d.person("staff_chat"), d.person("chat_pt")
    task, bed = d.pick(CHAT_TASKS), d.rng.randint(1, 40)
    prefix = d.pick(("", "Secure chat: ", "[chat] ", "msg: "))
    form = d.rng.randrange(4)
    if form == 0:
        return [prefix, Phi(staff.first.lower(), "PERSON"), f" can you {task}?"]
    if form == 1:
        return [prefix, Phi(staff.first, "PERSON"), f" - can you {task}?"]
    if form == 2:
        where = d.pick(CHAT_WHERE)
        return [prefix, "lmk when ", Phi(other.last.lower(), "PERSON"), f" in {bed} is back from {where}."]
    first, last = Phi(staff.first.lower(), "PERSON"), Phi(other.last.lower(), "PERSON")
    return [prefix, first, " fyi ", last, f" in {bed} is npo."]


def _cjk_name(d: _Doc, locale: str, key: int) -> str:
    fake = _faker(locale)
    fake.seed_instance(d.seed + key)
    first = fake.first_name_female() if d.chance(0.5) else fake.first_name_male()
    sep = d.pick((" ", "")) if locale == "ja_JP" else ""
    return f"{fake.last_name()}{sep}{first}"


def cjk_clause(d: _Doc) -> list[Piece]:
    """'Korean interpreter used; son 김민준 at bedside.' (PERSON); the country and language are not PHI."""
    if d.phi_free:
        return []
    locale, country, language = d.pick(CJK_LOCALES)
    name, kin = Phi(_cjk_name(d, locale, 3301), "PERSON"), Phi(_cjk_name(d, locale, 3307), "PERSON")
    return d.pick(
        ([f"Travels from {country} with {d.pick(RELATIONS)} ", kin, "."],
         [f"{language} interpreter used; {d.pick(RELATIONS)} ", kin, " at bedside."],
         [f"Records from {country} list the emergency contact as ", kin, "."],
         [f"Emergency contact in {country}: {d.pick(RELATIONS)} ", kin, "."],
         ["Name in native script: ", name, "."])
    )  # fmt: skip


def ordinal_clause(d: _Doc) -> list[Piece]:
    """'Follow up on the 14th.', 'Surgery on the 3rd of December.' (DATE_TIME covers 'the ...')."""
    if d.phi_free:
        return []
    when = d.visit + timedelta(days=d.rng.randint(-20, 40))
    value = f"the {_ordinal(when.day)}" + (f" of {when:%B}" if d.chance(0.35) else "")
    return d.pick(
        (["Follow up on ", Phi(value, "DATE_TIME"), "."], ["Labs due by ", Phi(value, "DATE_TIME"), "."],
         ["Surgery scheduled for ", Phi(value, "DATE_TIME"), "."], ["Last dose was on ", Phi(value, "DATE_TIME"), "."],
         ["Out of town until ", Phi(value, "DATE_TIME"), "."], ["Seen in clinic on ", Phi(value, "DATE_TIME"), "."])
    )  # fmt: skip


def _care_home(d: _Doc) -> str:
    fake = d.fake
    return d.pick(
        (f"The {fake.last_name()} at {fake.street_name()}", f"The {d.pick(CARE_HOME_WORDS)} at {fake.street_name()}",
         f"{fake.last_name()} SeniorLife", f"{d.pick(HOSPICE_WORDS)} Hospice", f"{fake.last_name()} Hospice")
    )  # fmt: skip


def care_home_clause(d: _Doc) -> list[Piece]:
    """'Lives at The Forum at Park Lane.', 'Discharged to Hope Hospice.' (LOCATION, the whole name)."""
    if d.phi_free:
        return []
    home = Phi(_care_home(d), "LOCATION")
    return d.pick(
        (["Lives at ", home, ", assisted living."], ["Discharged to ", home, "."], ["Resident of ", home, "."],
         ["Referral faxed to ", home, "."], ["Returns to ", home, " with home care."])
    )  # fmt: skip


def pharmacy_clause(d: _Doc) -> list[Piece]:
    """'Called CVS on Route 9.', 'Rx sent to Rite Aid, 2130 Fairmount Ave.' (the chain and street as LOCATION)."""
    if d.phi_free:
        return []
    chain = Phi(d.pick(PHARMACY_CHAINS), "LOCATION")
    street = d.pick((f"Route {d.rng.randint(1, 128)}", d.fake.street_name(), "Main St"))
    form = d.rng.randrange(4)
    if form == 0:
        return [d.pick(("Called ", "Spoke with ", "Refill called in to ")), chain, " on ", Phi(street, "LOCATION"), "."]
    if form == 1:
        return ["Rx sent to ", chain, ", ", Phi(d.fake.street_address(), "LOCATION"), "."]
    if form == 2:
        return ["Pt fills at ", chain, " on ", Phi(street, "LOCATION"), "."]
    return [d.pick(("Pharmacy: ", "Preferred pharmacy ", "Fills at ")), chain, "."]


KINDS: dict[str, Callable[[_Doc], list[Piece]]] = {
    "brand": brand_clause,
    "score": score_clause,
    "payer": payer_clause,
    "unit": unit_clause,
    "fraction": fraction_clause,
    "region": region_clause,
    "chat": chat_clause,
    "cjk_name": cjk_clause,
    "ordinal_date": ordinal_clause,
    "care_home": care_home_clause,
    "pharmacy": pharmacy_clause,
}


def extra_clauses(d: _Doc, rate: float = KIND_RATE, without: tuple[str, ...] = ()) -> list[list[Piece]]:
    """Clauses of the kinds above to add to a genre's pool, each kind with chance ``rate``; none of ``without``."""
    out = [make(d) for kind, make in KINDS.items() if d.chance(rate) and kind not in without]
    return [c for c in out if c]
