"""Regex pieces for real places (deid.places): states, hospitals, cities, counties, and where a name alone is enough."""

from __future__ import annotations

import re

from deid.patterns.base import VALUE, _literals
from deid.places import country_names, hospital_names, hospitals, us_cities, us_counties, world_cities


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
# Cities abroad of a million people or more count as big cities too ("moved from Lagos"), but for names
# that are also words or clinical abbreviations ("Aba", "Pest", "Bursa").
_WORLD_CITY_POPULATION = 1_000_000
_WORLD_CITY_NOT_ALONE = frozenset({"Aba", "Jos", "Kota", "Pest", "Teni", "Cali", "Bursa", "Ufa", "Kano", "Salvador", "Surat"})
_US_BIG = {c.name for c, population in us_cities() if population >= _CITY_CONTEXT_POPULATION}
_BIG_CITY_NAMES = sorted(
    {name for name in _US_BIG if name not in _CITY_NOT_ALONE}
    | {name.removeprefix("The ") for name in _US_BIG if name.startswith("The ")}  # "from the Bronx"
    | {"New York", "NYC"}
    | {
        name
        for name, _, population in world_cities()
        if population >= _WORLD_CITY_POPULATION and name not in _WORLD_CITY_NOT_ALONE and name not in country_names()
    }
)
# In a postal address ("Ikoyi, Lagos, Nigeria", "Shinjuku-ku, Tokyo 163-8001", "Mylapore, Chennai 600004") a
# city of 100,000 or more is tagged after a comma when a postal code, a country or a "- ST" state code follows.
_ADDRESS_CITY_NAMES = sorted(
    {name for name, _, population in world_cities() if population >= _CITY_CONTEXT_POPULATION}
    | {name for name in _US_BIG if name not in _CITY_NOT_ALONE}
)
_COUNTRY_NAMES = sorted(set(country_names()) | {"USA", "UK", "Mexico", "México", "Brasil", "Deutschland", "España"})

# Hospitals by a short name alone (deid/data/us_hospitals.csv): a multi-word alias ("Mass General", "Beth
# Israel", "Texas Children's") is precise in title case; a one-word alias ("UCLA", "MSK", "Brigham", "Mayo")
# is tagged after a locative word or before a facility noun, like a city. Aliases that are also clinical
# abbreviations (CMC carpometacarpal, HCA, CCF, IMC intermediate care, SSM, ...) are left to the model.
_ALIAS_NOT_ALONE = frozenset(
    {"CMC", "BMC", "MMC", "HCA", "HMC", "IMC", "TMC", "SMH", "CCF", "HCI", "UCH", "DRH", "SSM", "OSF", "The Med", "Strong"}
)
_HOSPITAL_ALIASES = {a for h in hospitals() for a in hospital_names(h) if not _FACILITY_WORD.search(a)} - _ALIAS_NOT_ALONE
_FACILITY_ALIASES_MULTI = sorted(a for a in _HOSPITAL_ALIASES if " " in a)
_FACILITY_ALIASES_SINGLE = sorted(a for a in _HOSPITAL_ALIASES if " " not in a)
# One-word aliases that name nothing else, in their own case: long acronyms that are no clinical abbreviation
# ("OHSU", "UCSF", "BIDMC") and distinctive system names ("Geisinger", "Ochsner"). CHOP (a regimen), MSK
# (musculoskeletal), LVH (hypertrophy), UVA (ultraviolet), Atrium and Parkland (a burns formula) are not here.
_ALIAS_ALONE = frozenset(
    {
        "ANMC", "BIDMC", "BUMC", "BWH", "CCHMC", "CHLA", "CHOA", "CPMC", "CUIMC", "DFCI", "DHMC", "HCMC", "HUP", "JHH",
        "LLUMC", "LPCH", "MDACC", "MEEI", "MGH", "MGUH", "MSKCC", "MUSC", "NSUH", "NYP", "NYP-Columbia", "NYU", "OHSU",
        "RWJUH", "SCVMC", "SIUH", "TJUH", "UAMS", "UCDMC", "UCLA", "UCSD", "UCSF", "UHCMC", "UIHC", "UMMC", "UNMC",
        "UNMH", "UPMC", "URMC", "UTSW", "UVMMC", "UWMC", "VUMC", "WRNMMC", "YNHH", "ZSFG", "Cedars-Sinai", "Dana-Farber",
        "Dartmouth-Hitchcock", "Harbor-UCLA", "LAC+USC", "NewYork-Presbyterian", "AdventHealth", "CommonSpirit",
        "MetroHealth", "Froedtert", "Geisinger", "Gundersen", "Eskenazi", "Erlanger", "Hackensack", "Harborview",
        "Huntsman", "Intermountain", "Karmanos", "Kapiolani", "Maimonides", "Montefiore", "Northwell", "Ochsner",
        "Siteman", "Vanderbilt", "Wexner", "Shands", "Moffitt",
    }
) & set(_FACILITY_ALIASES_SINGLE)  # fmt: skip
# Pharmacies by their chain's name: a facility where a note says the patient fills or was called ("called CVS",
# "Walgreens on Main St"); "CVS" alone is also the cardiovascular system, so it needs a locative word or "pharmacy".
_PHARMACY_CHAIN = (
    r"(?:Walgreens|Rite\s+Aid|Duane\s+Reade|Kroger\s+Pharmacy|Publix\s+Pharmacy|Walmart\s+Pharmacy|Costco\s+Pharmacy"
    r"|(?<=called\s)CVS|(?<=at\s)CVS|(?<=to\s)CVS|(?<=from\s)CVS|CVS(?=\s+(?i:pharmacy|on|in|at)\b))"
    r"(?:\s+(?i:pharmacy))?(?:\s+(?:(?i:store)\s+)?#\s?\d{3,5})?"  # "CVS Pharmacy #4412": the store number is part of it
)
_LOCATIVE = r"(?:in|from|at|near|to|outside|around|towards?|visiting|via|of)"
_FACILITY_NOUN = (
    r"(?:clinic|hospital|ED|ER|office|practice|urgent\s+care|physician|doctor|PCP|oncologist|cardiologist|surgeon"
    r"|specialist|area|facility|nursing\s+home|rehab|center|shelter|pharmacy|VA|team|group|campus|location|branch"
    r"|health|occupational\s+health|employee\s+health|lab|radiology|imaging|pathology|transplant|cancer\s+center"
    r"|cardiology|oncology|neurology|neurosurgery|orthopedics|ortho|pediatrics|peds|surgery|dermatology|urology"
    r"|nephrology|psychiatry|rheumatology|endocrinology|ophthalmology|ICU|NICU|PICU|MICU|L&D)"
)

# Streets abroad: a German street word with its number ("Leopoldstraße 44") and a street type first, as in
# Portuguese, Spanish, French and Italian ("Rua Augusta, 1500", "Av. Insurgentes Sur 1602", "Calle de Alcalá 45"),
# a Mexican neighbourhood ("Col. Roma Norte") and a Polish street with its flat ("ul. Długa 29 m. 4").
_STREET_DE = r"[A-ZÄÖÜ][a-zäöüß-]+(?:straße|strasse|str\.|weg|gasse|platz|allee|damm)\s+\d{1,4}[a-z]?(?!\w)"
_STREET_WORD = r"[A-ZÀ-Ý](?:[\wÀ-ÿ'’.-]*[\wÀ-ÿ'’])?"  # no trailing period: a sentence may end after a street
_STREET_ROMANCE = (
    rf"(?:Rua|Avenida|Av\.|Avda\.|Calle|Carrera|Rue|Praça|Travessa|Paseo|Viale|Piazza|Estrada|Rodovia|Alameda|Colonia|Col\.|ul\.|al\.)"
    rf"(?:\s+(?:de|da|do|dos|das|del|de la|des|du|di|della|la|le|los|las))?\s+(?:{_STREET_WORD}|\d{{1,3}}[A-Z]?(?!\w))"
    rf"(?:\s+(?:(?:de|da|do|del|la)\s+)?{_STREET_WORD}){{0,3}}(?:,?\s+\d{{1,5}}[A-Za-z]?(?!\w)(?:\s+m\.\s*\d{{1,4}}(?!\w))?)?"
)
# US street addresses, which notes and letters abroad share: a house number, a directional, one to four name words
# and a street type, then a directional and a unit ("676 N. St. Clair St, Suite 600", "1968 Peachtree Rd NW",
# "525 E 68th St", "Unit 4/22 Beach Rd"). The street type is what makes the shape precise.
_STREET_TYPE = (
    r"(?:(?:St|Street|Ave|Avenue|Av|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Ct|Court|Pl|Place|Pkwy|Parkway|Ter|Terrace"
    r"|Cir|Circle|Hwy|Highway|Sq|Square|Trl|Trail|Plz|Plaza|Crescent|Cres|Close|Grove|Loop|Pike|Turnpike|Alley"
    r"|STREET|ST|AVENUE|AVE|ROAD|RD|BLVD|DRIVE|DR|LANE|LN|WAY|COURT|PLACE|PKWY|HWY)\.?"
    r"(?<!Dr)(?<!Dr\.)(?<!DR)(?<!DR\.)|(?:Dr|DR)\.?(?![ \t]+[A-Z][a-z]))"  # "Dr." before a name is a title
)
_DIRECTIONAL = r"(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?"
_STREET_NAME_WORD = r"(?:(?:St|Mt|Ft)\.|[A-Z][A-Za-z'’-]*|\d{1,3}(?:st|nd|rd|th))"
_UNIT = r"(?:,?[ \t]+(?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Rm|Room|Bldg|Building|Flat|APT|SUITE|STE|UNIT|#)\.?\s*#?\s*[A-Za-z0-9-]{1,6}(?![\w-]))"
_STREET_US = (
    rf"(?<![\w/.,-])(?:(?:Unit|Flat|Apt)[ \t]+[A-Za-z0-9]{{1,5}}[/,]\s*)?\d{{1,6}}[A-Za-z]?(?:[-/]\d{{1,5}})?[ \t]+"
    rf"(?:{_DIRECTIONAL}[ \t]+)?(?:{_STREET_NAME_WORD}[ \t]+(?:(?:de|del|la|los|van|von|of|the)[ \t]+)?){{0,3}}{_STREET_NAME_WORD}[ \t]+{_STREET_TYPE}"
    rf"(?:[ \t]+{_DIRECTIONAL})?(?![\w'’-]){_UNIT}?"
)
# Postcodes whose shape is distinctive on its own: the UK's ("E2 8DA", "SW1A 1AA") and Canada's ("K1A 0B1").
_POSTCODE_UK = r"(?<![\w-])[A-Z]{1,2}\d[A-Z\d]?\s\d[ABD-HJLNP-UW-Z]{2}(?![\w-])"
_POSTCODE_CA = r"(?<![\w-])[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\s?\d[ABCEGHJ-NPRSTV-Z]\d(?![\w-])"

# A facility named by one to four capitalised words before what it is ("Seasons Hospice", "Lincoln High School",
# "Sunrise Senior Living"); names made only of generic words ("Cardiology Clinic", "Community Hospital") are not PHI.
_FACILITY_HEAD = (  # words apart by spaces, never a line break
    r"(?:Hospital|Hospice|Medical[ \t]+Cent(?:er|re)|Health[ \t]+Cent(?:er|re)|Clinic|Nursing[ \t]+(?:Home|Center)"
    r"|Rehabilitation[ \t]+(?:Center|Hospital)|Rehab[ \t]+Center|Care[ \t]+Center|Senior[ \t]+Living|Assisted[ \t]+Living"
    r"|Retirement[ \t]+(?:Community|Home)|Surgery[ \t]+Center|Surgical[ \t]+Center|Urgent[ \t]+Care|Pharmacy"
    r"|(?:High|Middle|Elementary|Primary)[ \t]+School|Academy|Center|Centre|Institute|Laboratories|Pavilion|Church"
    r"|Mosque|Synagogue|Shelter|Inn|Manor)"
)
_FACILITY_GENERIC_WORDS = frozenset(
    {
        "The", "A", "An", "Our", "Your", "His", "Her", "Their", "This", "That", "Called", "Discharged", "Transferred",
        "Admitted", "Seen", "Sent", "Per", "From", "To", "At", "In", "Via", "Home", "Local", "Outside", "Community",
        "General", "Regional", "County", "City", "State", "University", "Memorial", "Children's", "Women's", "Veterans",
        "Primary", "Care", "Family", "Internal", "Medicine", "Emergency", "Urgent", "Walk-in", "Free", "Mental", "Health",
        "Behavioral", "Psychiatric", "Specialty", "Surgical", "Surgery", "Outpatient", "Inpatient", "Day", "Night",
        "Pain", "Sleep", "Eye", "Dental", "Wound", "Vein", "Fertility", "Travel", "Diabetes", "Anticoagulation",
        "Coumadin", "Infusion", "Dialysis", "Cancer", "Heart", "Vascular", "Spine", "Sports", "Teaching", "Private",
        "Public", "Rehab", "Rehabilitation", "Nursing", "Long-term", "Acute", "Skilled", "Senior", "Hospice", "Home",
        "Medical", "Clinic", "Hospital", "Pharmacy", "Retail", "Mail-order", "Specialty", "Compounding", "Pediatric",
        "Adult", "Geriatric", "Student", "Employee", "Occupational", "Same-day", "Ambulatory", "Trauma", "Level", "I",
        "II", "III", "IV",
        # specialties that name a service, not one place ("Fracture Clinic", "Breast Center")
        "Fracture", "Breast", "Memory", "Orthopedic", "Orthopaedic", "Cardiology", "Oncology", "Neurology", "Urology",
        "Dermatology", "Rheumatology", "Endocrine", "Endocrinology", "Allergy", "Asthma", "Headache", "Epilepsy",
        "Stroke", "Lung", "Liver", "Kidney", "Transplant", "Bariatric", "Weight", "Lipid", "Hypertension", "Women's",
        "Men's", "Maternal", "Fetal", "Prenatal", "Lactation", "Hand", "Foot", "Ankle", "Joint", "Bone", "Balance",
        "Falls", "Wellness", "Concussion", "Burn", "Ostomy", "Continence", "Voice", "Swallow", "Hearing", "Vision",
    }
    | {w.capitalize() for w in re.findall(r"[a-z]+", _FACILITY_NOUN)}
)  # fmt: skip


# A place name that needs its context: after a locative word ("seen in Atlanta", "transferred to UCLA") or
# before a facility or department noun ("a Fresno clinic", "Mayo cardiology"). Each name list is one trie.
_BIG_CITIES = _literals(_BIG_CITY_NAMES)
_ONE_WORD_ALIASES = _literals(_FACILITY_ALIASES_SINGLE)


def _after_locative(names: str) -> re.Pattern[str]:
    return re.compile(rf"\b{_LOCATIVE}\s+(?:the\s+)?(?P<{VALUE}>{names})(?![\w-])")


def _before_facility_noun(names: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.'-])(?P<{VALUE}>{names})(?=(?:'s)?\s+{_FACILITY_NOUN}\b)")


def _names_a_facility(value: str) -> bool:
    """A capitalised facility name says which one: some word before its head noun is not a generic one."""
    words = re.findall(r"[\w'’&.+-]+", value)
    head_start = re.search(_FACILITY_HEAD, value)
    before = value[: head_start.start()] if head_start else value
    return any(w not in _FACILITY_GENERIC_WORDS for w in re.findall(r"[\w'’&.+-]+", before)) and len(words) > 1

# Addresses in Chinese, Japanese and Korean: administrative units from the largest down, then the street and numbers.
_CJK_UNIT = r"[\u4e00-\u9fff]{1,5}?(?:省|自治区|市|都|道|府|県|縣|县|区|區|町|村|镇|鎮|郡)"
_CJK_STREET = r"[\u4e00-\u9fff]{1,8}?(?:路|街|巷|弄|大道|通り)"
_CJK_NUMBER = r"[0-9０-９]+(?:[-－−][0-9０-９]+)*(?:号|號|番地|丁目|番|室|楼|樓|栋|棟|F)*"
_ADDRESS_CJK = (
    rf"(?:{_CJK_UNIT}){{2,4}}(?:{_CJK_STREET}|[\u4e00-\u9fff]{{1,4}}(?=[0-9０-９]))?(?:{_CJK_NUMBER})*"
    rf"|{_CJK_UNIT}(?:{_CJK_STREET}(?:{_CJK_NUMBER})*|(?:[\u4e00-\u9fff]{{1,4}})?(?:{_CJK_NUMBER})+)"
)
_ADDRESS_KOREAN = (
    r"[\uac00-\ud7a3]{1,6}(?:특별시|광역시|특별자치시|도|시)\s?[\uac00-\ud7a3]{1,5}(?:구|군|시)"
    r"(?:\s?[\uac00-\ud7a3\d]{1,10}(?:로|길|동))?(?:\s?\d+(?:-\d+)?)?"
)
# Generic words before a hospital noun in Chinese ("社区医院": a community hospital, "专科医院": a specialist one).
_CJK_GENERIC_FACILITY = frozenset(
    "社区 基层 当地 附近 上级 专科 综合 该 本 我 贵 中心 市级 县级 省级 乡镇 卫生 私立 公立 大学 总 分 儿童 妇幼 中医 口腔 眼科 精神 肿瘤".split()
)


def _names_a_cjk_facility(value: str) -> bool:
    """A CJK hospital name has more than a generic word before its head noun."""
    name = re.sub(r"(?:病院|医院|醫院|クリニック|診療所|医疗中心|병원|의원|클리닉)$", "", value)
    return name not in _CJK_GENERIC_FACILITY
