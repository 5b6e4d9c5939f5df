"""Given names for the pattern detectors, from Faker's name tables (shipped offline, maintained upstream).

Importing Faker costs more than a second, so the list is built once into ``deid/data/given_names.txt``
(``python -m deid.patterns.names``) and read from there; a unit test checks the file is the build.
"""

from __future__ import annotations

import importlib
import re
import sys
from functools import lru_cache
from pathlib import Path

GIVEN_NAMES_FILE = Path(__file__).resolve().parent.parent / "data" / "given_names.txt"

# Faker's person providers of the locales the notes are written in or about; their given names are a maintained
# list of real first names. Names that are also English words are left out ("Will, May" is a list of words).
_LOCALES = ("en_US", "en_GB", "es_MX", "es_ES", "fr_FR", "de_DE", "it_IT", "pt_BR", "pl_PL", "nl_NL", "en_IN")
_WORD_LIKE = frozenset(
    {
        "Will", "May", "June", "April", "August", "Grace", "Hope", "Faith", "Joy", "Mark", "Bill", "Art", "Rose", "Dawn",
        "Summer", "Autumn", "Holly", "Ivy", "Destiny", "Sunny", "Chance", "Rich", "Penny", "Sky", "Angel", "Guy", "Drew",
        "Pat", "Sue", "Don", "Ray", "Jack", "Frank", "Page", "Paige", "Price", "Royal", "King", "Major", "Young", "Gay",
        "Lane", "Dale", "Glen", "Glenn", "Clay", "Forest", "Rusty", "Misty", "Crystal", "Amber", "Ruby", "Pearl", "Jade",
        "Iris", "Lily", "Daisy", "Violet", "Heather", "Olive", "Jasmine", "Harmony", "Melody", "Precious", "Patience",
        "Trinity", "Genesis", "Eve", "Christian", "Hunter", "Carter", "Mason", "Cooper", "Parker", "Taylor", "Miles",
        "Max", "Noble", "Lance", "Chase", "Reed", "Wade", "Cash", "Sterling", "Stone", "Colt", "Ace", "Tory", "Ken",
    }
)  # fmt: skip


def build_given_names() -> list[str]:
    """The given names of Faker's person providers for ``_LOCALES``, less word-like ones, sorted."""
    names: set[str] = set()
    for locale in _LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female"):
            names.update(getattr(provider, attr, ()))
    return sorted(n for n in names if re.fullmatch(r"[A-ZÀ-Ý][a-zà-ÿ'’-]+", n) and n not in _WORD_LIKE)


@lru_cache(maxsize=1)
def given_names() -> tuple[str, ...]:
    """The committed list (see the module docstring)."""
    return tuple(GIVEN_NAMES_FILE.read_text(encoding="utf-8").split())


if __name__ == "__main__":
    GIVEN_NAMES_FILE.write_text("\n".join(build_given_names()) + "\n", encoding="utf-8")
    sys.stdout.write(f"{GIVEN_NAMES_FILE}: {len(build_given_names())} names\n")
