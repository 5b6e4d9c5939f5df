"""Places for the synthetic notes: cities, states, countries and facilities."""

from __future__ import annotations

import random

from faker import Faker
from faker.providers.address.en_US import Provider as _UsAddress

STATES = (
    "Ohio", "Texas", "Florida", "Georgia", "Michigan", "Arizona", "Oregon", "Vermont", "Iowa", "Nevada", "Alabama",
    "Minnesota", "Kentucky", "Maine", "Utah", "Puerto Rico", "New Jersey", "North Carolina", "Wisconsin", "Colorado",
)  # fmt: skip
COUNTRIES = (
    "Mexico", "India", "Canada", "Guatemala", "the Philippines", "Vietnam", "Brazil", "Nigeria", "China", "Italy",
    "Haiti", "El Salvador", "Poland", "Ireland", "Kenya", "Peru", "Ukraine", "Jamaica", "Honduras", "Germany",
)  # fmt: skip
REAL_CITIES = (
    "Boston", "Springfield", "Columbus", "Austin", "Tucson", "Dayton", "Worcester", "Fresno", "Tacoma", "Spokane",
    "Lowell", "Akron", "Toledo", "Madison", "Raleigh", "Durham", "Savannah", "Omaha", "Tulsa", "Reno", "Boise",
    "Chattanooga", "Knoxville", "Lansing", "Flint", "Quincy", "Yonkers", "Stamford", "Camden", "Erie", "Scranton",
    "Pueblo", "Eugene", "Salem", "Burlington", "Portland", "Fall River", "New Bedford", "Bakersfield", "Modesto",
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
    if rng.random() < 0.6 or any(state in city for state in US_STATE_NAMES):
        return rng.choice(REAL_CITIES)
    return city


def _facility(rng: random.Random, fake: Faker, kind: str | None = None) -> str:
    forms = [f for f in FACILITY_FORMS if kind is None or kind in f]
    city = _city(rng, fake)
    return rng.choice(forms).format(last=fake.last_name(), city=city, saint=rng.choice(SAINTS))

