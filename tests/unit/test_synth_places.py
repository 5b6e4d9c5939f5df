"""Tests for deid.places, deid.train.synth.places and the place mentions of the document builder: real US
cities, counties and hospitals, foreign addresses; each span covers exactly the place and nothing around it."""

from __future__ import annotations

import random
import re

import pytest

from deid import places as tables
from deid.spans import Span
from deid.train.synth import places
from deid.train.synth.document import Piece, _Builder, _Doc

SEEDS = range(300)


def _doc(seed: int, phi_free: bool = False) -> _Doc:
    rng = random.Random(seed)
    return _Doc(rng=rng, seed=seed, phi_free=phi_free, b=_Builder(rng))


def _render(pieces: list[Piece], seed: int = 0) -> tuple[str, tuple[Span, ...]]:
    d = _doc(seed)
    d.add(pieces)
    return d.b.build()


def test_hospital_table_has_real_rows_with_a_name_a_city_and_a_state() -> None:
    rows = tables.hospitals()
    assert len(rows) >= 300
    states = tables.us_states()
    for h in rows:
        assert h.name and h.city and h.state in states, h.name
        assert all(a and a == a.strip() for a in h.abbreviations), h.name
    assert any(h.name == "Massachusetts General Hospital" and "MGH" in h.abbreviations for h in rows)


@pytest.mark.parametrize(
    "name, variant",
    [
        ("Mount Auburn Hospital", "Mt. Auburn Hospital"),
        ("The Mount Sinai Hospital", "Mt. Sinai"),
        ("St. Elizabeth's Medical Center", "Saint Elizabeth's Medical Center"),
        ("Massachusetts General Hospital", "Mass General"),
    ],
)
def test_hospital_names_include_abbreviations_and_mount_and_saint_forms(name: str, variant: str) -> None:
    (h,) = [h for h in tables.hospitals() if h.name == name]
    assert variant in tables.hospital_names(h)


def test_when_a_city_is_mentioned_then_the_span_is_exactly_a_real_city_and_the_state_stays_outside() -> None:
    cities = {c.name for c, _ in tables.us_cities()}
    states = tables.us_states()
    with_state = 0
    for seed in SEEDS:
        d = _doc(seed)
        d.add(["Lives in ", d.city(), "."])
        text, spans = d.b.build()
        (span,) = spans
        assert (span.label, text[: span.start]) == ("LOCATION", "Lives in ")
        assert text[span.start : span.end] in cities
        rest = text[span.end : -1]
        state = re.fullmatch(r",? (.+)", rest)
        assert rest == "" or (state and (state[1] in states or state[1] in states.values())), rest
        with_state += bool(rest)
    assert with_state >= len(SEEDS) // 3  # 'Atlanta, GA' and 'Fresno, California' as well as bare 'Atlanta'


def test_cities_are_drawn_by_population_so_big_ones_are_common_and_small_ones_appear() -> None:
    rng = random.Random(5)
    drawn = [places.us_city(rng) for _ in range(5000)]
    assert sum(c.name in ("New York City", "Los Angeles", "Chicago", "Houston") for c in drawn) >= 25
    assert len({c for c in drawn}) >= 1500


def test_a_county_is_tagged_with_the_word_county() -> None:
    for seed in SEEDS:
        text, spans = _render(_doc(seed).county(), seed)
        assert text[spans[0].start : spans[0].end].endswith(" County")
        assert text[spans[0].end :] in ("",) or text[spans[0].end :].startswith(", ")


def test_real_hospitals_tag_abbreviations_and_possessives_without_the_s() -> None:
    names = {n for h in tables.hospitals() for n in tables.hospital_names(h)}
    abbreviations = {a for h in tables.hospitals() for a in h.abbreviations}
    seen_abbreviation = 0
    for seed, h in enumerate(tables.hospitals()):
        d = _doc(seed)
        d.add(["Seen in ", d._hospital(h, possessive=True), " ED."])
        text, (span,) = d.b.build()
        value = text[span.start : span.end]
        assert value in names and not value.endswith("'s") or value in names and value.endswith("'s"), value
        assert text[span.end :] == ("'s ED." if not value.endswith("'s") else " ED.")
        seen_abbreviation += value in abbreviations
    assert seen_abbreviation >= 50


def test_facilities_are_mostly_real_and_the_same_key_gives_the_same_facility() -> None:
    names = {n for h in tables.hospitals() for n in tables.hospital_names(h)}
    real = 0
    for seed in SEEDS:
        d = _doc(seed)
        d.add([d.facility("er", kind="Hospital"), " / ", d.facility("er", kind="Hospital")])
        text, spans = d.b.build()
        first = text[spans[0].start : spans[0].end]
        real += first in names
        if first not in names:  # a Faker-made name repeats exactly
            assert text[spans[-1].start : spans[-1].end] == first
    assert len(SEEDS) // 2 <= real <= len(SEEDS) * 9 // 10


def test_foreign_addresses_tag_street_city_and_postal_code_but_not_the_country() -> None:
    countries = {country for _, country, _ in places.FOREIGN_LOCALES}
    seen = set()
    for seed in SEEDS:
        d = _doc(seed)
        text, spans = _render(d.foreign_address(), seed)
        assert [s.label for s in spans] == ["LOCATION"] * 3
        tail = text[spans[-1].end :]
        assert tail == "" or tail.lstrip(",\n ") in countries, tail
        seen.add(tail.lstrip(",\n "))
    assert len(seen) >= 8


def test_phi_free_documents_get_no_place_spans() -> None:
    d = _doc(1, phi_free=True)
    d.add([d.city(), " ", d.county(), " ", d.facility(kind="Hospital"), " ", d.city(bare=True)])
    assert d.b.build()[1] == ()


def test_foreign_addresses_and_names_do_not_depend_on_the_hash_seed() -> None:
    """Some Faker locales build their lists from sets (it_IT's cities): their order varies by process."""
    import os
    import subprocess
    import sys

    code = (
        "from faker import Faker; from deid.train.synth.places import FOREIGN_LOCALES;"
        "from deid.train.synth.document import NAME_LOCALES, CLINICIAN_LOCALES\n"
        "for loc in [x[0] for x in FOREIGN_LOCALES]:\n"
        "    f = Faker(loc)\n"
        "    for s in range(40): f.seed_instance(s); print(f.street_address(), f.city(), f.postcode())\n"
        "for loc in [x[0] for x in NAME_LOCALES + CLINICIAN_LOCALES]:\n"
        "    f = Faker(loc)\n"
        "    for s in range(40): f.seed_instance(s); print(f.first_name_female(), f.first_name_male(), f.last_name())\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": h}, capture_output=True, check=True
        ).stdout
        for h in ("1", "2", "3")
    }
    assert len(outputs) == 1
