"""Regex pieces for real places (deid.places): states, hospitals, cities, counties, and where a name alone is enough."""

from __future__ import annotations

import re

from deid.places import hospital_names, hospitals, us_cities, us_counties


# ID (Idaho) is left out: "ID 12345" is far more often an identifier than an Idaho ZIP.
_STATE_ABBR = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM"
    "|NY|NC|ND|OH|OK|OR|PA|PR|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY"
)
_STATE_NAME = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii"
    "|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan"
    "|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico"
    "|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island"
    "|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia"
    "|Wisconsin|Wyoming|Puerto Rico"
)


# Real places (deid.places), where a name alone is precise enough: a hospital's multi-word name that says
# what it is ("Massachusetts General Hospital", "Mt. Sinai Medical Center"), a county, and a city right
# before its state ("Fresno, CA", "Atlanta, Georgia": the city is tagged, the state is not PHI).
_FACILITY_WORD = re.compile(r"\b(?:Hospitals?|Medical|Clinic|Health|Healthcare|Institute|Center|Centre|Infirmary)\b")
_FACILITY_NAMES = sorted(
    {n for h in hospitals() for n in hospital_names(h) if " " in n and _FACILITY_WORD.search(n)}
)
# MD, MA, MS and PA are also credentials ("J. Walker, MD"): after them a city needs its ZIP.
_STATE_ABBR_NOT_CREDENTIAL = "|".join(a for a in _STATE_ABBR.split("|") if a not in ("MD", "MA", "MS", "PA"))
_CITY_NAMES = sorted({c.name for c, _ in us_cities()} | {"New York"})  # GeoNames says "New York City"
_COUNTY_NAMES = sorted({c.name for c in us_counties()})
# A big city named without its state ("seen in Atlanta", "a Fresno clinic") is tagged after a locative word
# or before a facility noun. Cities whose names are also common words, clinical terms or countries and
# provinces are left to the model; a city that is also a person's name is PHI either way.
_CITY_CONTEXT_POPULATION = 100_000
_CITY_NOT_ALONE = frozenset(
    {
        "Mobile", "Independence", "East Independence", "Enterprise", "Orange", "Paradise", "Surprise", "Vista",
        "Centennial", "Jamaica", "Ontario", "Washington", "Columbia", "Cypress", "Valencia", "Universal City",
        "Tri-Cities", "Meads", "Mesa", "Concord", "Sunrise Manor", "Spring Valley", "Deer Valley", "Tempe Junction",
    }
)  # fmt: skip
_BIG_CITY_NAMES = sorted(
    {c.name for c, population in us_cities() if population >= _CITY_CONTEXT_POPULATION and c.name not in _CITY_NOT_ALONE}
    | {"New York"}
)
_LOCATIVE = r"(?:in|from|at|near|to|outside|around|towards?|visiting|via|of)"
_FACILITY_NOUN = (
    r"(?:clinic|hospital|ED|ER|office|practice|urgent\s+care|physician|doctor|PCP|oncologist|cardiologist|surgeon"
    r"|specialist|area|facility|nursing\s+home|rehab|center|shelter|pharmacy|VA|team|group|campus|location|branch)"
)
