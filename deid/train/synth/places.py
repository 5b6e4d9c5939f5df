"""Places for the synthetic notes: real US cities, counties and hospitals (from ``deid.places``), foreign
addresses, made-up facilities."""

from __future__ import annotations

import random
from functools import lru_cache
from itertools import accumulate

from faker import Faker
from faker.providers.address.en_US import Provider as _UsAddress

from deid.places import City, us_cities

# A city's weight is its population ** CITY_WEIGHT_POWER: 1.0 would give New York one mention in 20;
# 0.5 keeps the big cities ahead and still shows the long tail of small ones.
CITY_WEIGHT_POWER = 0.5
REAL_CITY_RATE = 0.8  # share of cities taken from the gazetteer (the rest are Faker-made)
REAL_FACILITY_RATE = 0.8  # share of hospital-like facilities that are real US hospitals (the rest Faker-made)
# Locales of foreign addresses, with their country as written in a US note (not PHI), and whether the
# postal code comes before the city ("10115 Berlin") or after it ("London SW1A 1AA").
# Not it_IT: Faker builds its city list from a set, so its order (and the city a seed gives) varies by process.
FOREIGN_LOCALES = (
    ("de_DE", "Germany", True), ("fr_FR", "France", True), ("en_GB", "UK", False), ("en_IN", "India", False),
    ("es_MX", "Mexico", True), ("zh_CN", "China", False), ("ja_JP", "Japan", True), ("pt_BR", "Brazil", False),
    ("nl_NL", "the Netherlands", True), ("es_ES", "Spain", True), ("pl_PL", "Poland", True),
    ("en_CA", "Canada", False), ("en_AU", "Australia", False), ("fr_CA", "Canada", False),
)  # fmt: skip


@lru_cache(maxsize=None)
def _gazetteer() -> tuple[tuple[City, ...], tuple[float, ...]]:
    """The US cities of ``deid.places`` with cumulative sampling weights."""
    rows = us_cities()
    return tuple(c for c, _ in rows), tuple(accumulate(pop**CITY_WEIGHT_POWER for _, pop in rows))


def us_city(rng: random.Random) -> City:
    """A real US city, drawn by population weight."""
    cities, weights = _gazetteer()
    return rng.choices(cities, cum_weights=weights)[0]


STATES = (
    "Ohio", "Texas", "Florida", "Georgia", "Michigan", "Arizona", "Oregon", "Vermont", "Iowa", "Nevada", "Alabama",
    "Minnesota", "Kentucky", "Maine", "Utah", "Puerto Rico", "New Jersey", "North Carolina", "Wisconsin", "Colorado",
)  # fmt: skip
COUNTRIES = (
    "Mexico", "India", "Canada", "Guatemala", "the Philippines", "Vietnam", "Brazil", "Nigeria", "China", "Italy",
    "Haiti", "El Salvador", "Poland", "Ireland", "Kenya", "Peru", "Ukraine", "Jamaica", "Honduras", "Germany",
)  # fmt: skip
US_STATE_NAMES = tuple(_UsAddress.states)
SAINTS = ("Jude", "Mary", "Luke", "Joseph", "Francis", "Vincent", "Elizabeth", "Anne", "Catherine", "Michael", "Agnes")
FACILITY_FORMS = (
    "{last} Memorial Hospital", "{city} General Hospital", "St. {saint} Medical Center",
    "{city} Regional Medical Center",
    "{last} Family Clinic", "{city} Community Health Center", "{last} Pharmacy", "{city} Urgent Care",
    "{last} Rehabilitation Center", "{last} Nursing Home", "{city} Dialysis Center", "{last} Cancer Institute",
    "{city} VA Medical Center", "{last} Pediatrics", "{city} Imaging Center", "St. {saint}'s Hospital",
    "{last} Heart Institute", "{city} Family Practice", "{last} Senior Living", "{city} Behavioral Health",
    "{last} Orthopedic Clinic", "{city} Children's Hospital", "{last} Health Center", "{city} Drug",
)  # fmt: skip
GENERIC_PLACES = ("the ED", "our clinic", "the ICU", "an outside hospital", "rehab", "the floor", "the pharmacy", "SNF")


def _city(rng: random.Random, fake: Faker) -> str:
    """A real or Faker-made city; Faker's made-up ones that contain a state name ('West Virginia') are skipped."""
    city = fake.city()
    if rng.random() < REAL_CITY_RATE or any(state in city for state in US_STATE_NAMES):
        return us_city(rng).name
    return city


def _facility(rng: random.Random, fake: Faker, kind: str | None = None) -> str:
    forms = [f for f in FACILITY_FORMS if kind is None or kind in f]
    city = _city(rng, fake)
    return rng.choice(forms).format(last=fake.last_name(), city=city, saint=rng.choice(SAINTS))

