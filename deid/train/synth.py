"""Synthetic clinical notes with gold PHI spans, for fine-tuning the tagger and judging it.

Each document is assembled from interchangeable pieces by a builder that records a span as it
appends each PHI value, so offsets are correct by construction and never searched for afterwards.
Variety comes from eleven genres, shuffled clause pools, many surface forms per identifier, names
from several Faker locales, letter case and typo noise, and hard negatives that look like PHI but
are not (ages up to 89, years alone, doses, vitals, codes, eponyms, states and countries).
"""

from __future__ import annotations

import hashlib
import json
import random
import string
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Union

from faker import Faker
from faker.providers.address.en_US import Provider as _UsAddress

from deid.spans import Span

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
    ("ig_NG", 2), ("ha_NG", 2), ("sw", 2),
)  # fmt: skip
CLINICIAN_LOCALES = (("en_US", 60), ("en_IN", 12), ("es_MX", 6), ("en_GB", 6), ("de_DE", 4), ("yo_NG", 4), ("vi_VN", 4))

# ---------------------------------------------------------------------------------------------
# Clinical word lists (never PHI).
PROBLEMS = (
    "hypertension", "HTN", "type 2 diabetes mellitus", "T2DM", "type 1 diabetes", "hyperlipidemia", "HLD",
    "heart failure with reduced EF", "HFpEF", "COPD", "asthma", "atrial fibrillation", "afib on anticoagulation",
    "CKD stage 3b", "ESRD on HD", "hypothyroidism", "GERD", "osteoarthritis of the right knee",
    "major depressive disorder", "generalized anxiety disorder", "obstructive sleep apnea on CPAP", "morbid obesity",
    "iron deficiency anemia", "community-acquired pneumonia", "UTI", "cellulitis of the left lower extremity",
    "DVT", "pulmonary embolism", "acute kidney injury", "sepsis", "migraine without aura", "seizure disorder",
    "CAD s/p PCI", "peripheral neuropathy", "BPH", "gout", "lumbar radiculopathy", "chronic low back pain",
    "cirrhosis", "acute pancreatitis", "diverticulitis", "C. diff colitis", "hyponatremia", "hypokalemia",
    "syncope", "ischemic stroke", "TIA", "hepatitis C", "HIV on ART", "rheumatoid arthritis", "SLE", "psoriasis",
    "breast cancer s/p lumpectomy", "prostate cancer", "metastatic colon cancer", "melanoma", "osteoporosis",
    "macular degeneration", "glaucoma", "BPPV", "mechanical fall", "hip fracture", "delirium", "dementia",
    "alcohol use disorder", "opioid use disorder", "tobacco use", "stage 2 pressure injury", "PAD", "AAA",
    "aortic stenosis", "SVT", "NSTEMI", "hypoglycemia", "DKA", "nephrolithiasis", "cholecystitis", "anxiety",
    "bipolar disorder", "schizophrenia", "ADHD", "PTSD", "insomnia", "allergic rhinitis", "eczema",
)  # fmt: skip
# Diseases, signs, devices and procedures named after people: hard negatives for PERSON.
EPONYM_DISEASES = (
    "Parkinson's disease", "Bell's palsy", "Crohn's disease", "Hodgkin lymphoma", "non-Hodgkin lymphoma",
    "Alzheimer's dementia", "Hashimoto's thyroiditis", "Cushing's syndrome", "Graves' disease",
    "Guillain-Barre syndrome", "Raynaud's phenomenon", "Sjogren's syndrome", "Barrett's esophagus",
    "Addison's disease", "Meniere's disease", "Huntington's disease", "Kaposi sarcoma", "Down syndrome",
    "Marfan syndrome", "a Baker's cyst", "Dupuytren's contracture", "Paget's disease of bone",
    "Wolff-Parkinson-White syndrome", "Takotsubo cardiomyopathy", "Brugada syndrome", "Charcot foot",
    "Wernicke encephalopathy", "Tourette syndrome", "Lou Gehrig's disease", "Osgood-Schlatter disease",
)  # fmt: skip
EPONYM_FINDINGS = (
    "Foley catheter in place", "Foley catheter removed", "Apgar scores 8 and 9", "Swan-Ganz catheter",
    "Jackson-Pratt drain with serosanguinous output", "s/p Whipple procedure", "s/p Nissen fundoplication",
    "Holter monitor placed", "Glasgow Coma Scale 15", "positive Murphy's sign", "negative Homans' sign",
    "Babinski sign absent", "Romberg negative", "Tinel's sign positive at the wrist", "Epley maneuver performed",
    "Valsalva maneuver without effect", "Trendelenburg position", "Kussmaul respirations", "Cheyne-Stokes breathing",
    "Hickman line site clean", "Gram stain with GPCs in clusters", "Pap smear normal", "Mallampati class II",
    "Child-Pugh class B", "Wells score 1", "McMurray test negative", "Lachman test negative",
    "Phalen's test positive", "Allen test normal", "s/p Roux-en-Y gastric bypass", "Bence Jones protein negative",
)  # fmt: skip
MEDS = (
    ("metoprolol tartrate", ("12.5", "25", "50"), "mg"), ("metoprolol succinate", ("25", "50", "100"), "mg"),
    ("lisinopril", ("5", "10", "20", "40"), "mg"), ("amlodipine", ("2.5", "5", "10"), "mg"),
    ("losartan", ("25", "50", "100"), "mg"), ("hydrochlorothiazide", ("12.5", "25"), "mg"),
    ("furosemide", ("20", "40", "80"), "mg"), ("spironolactone", ("25", "50"), "mg"),
    ("atorvastatin", ("10", "20", "40", "80"), "mg"), ("rosuvastatin", ("5", "10", "20"), "mg"),
    ("aspirin", ("81", "325"), "mg"), ("clopidogrel", ("75",), "mg"), ("apixaban", ("2.5", "5"), "mg"),
    ("rivaroxaban", ("15", "20"), "mg"), ("warfarin", ("2", "5", "7.5"), "mg"), ("metformin", ("500", "1000"), "mg"),
    ("insulin glargine", ("10", "18", "22", "30"), "units"), ("insulin lispro", ("4", "6", "8"), "units"),
    ("empagliflozin", ("10", "25"), "mg"), ("levothyroxine", ("25", "50", "88", "112"), "mcg"),
    ("omeprazole", ("20", "40"), "mg"), ("pantoprazole", ("40",), "mg"), ("sertraline", ("50", "100"), "mg"),
    ("escitalopram", ("10", "20"), "mg"), ("trazodone", ("50", "100"), "mg"), ("gabapentin", ("300", "600"), "mg"),
    ("acetaminophen", ("500", "650", "1000"), "mg"), ("oxycodone", ("5", "10"), "mg"), ("tramadol", ("50",), "mg"),
    ("prednisone", ("5", "10", "40"), "mg"), ("albuterol", ("2 puffs", "90 mcg"), ""), ("tiotropium", ("18",), "mcg"),
    ("montelukast", ("10",), "mg"), ("levetiracetam", ("500", "750"), "mg"), ("carbidopa-levodopa", ("25-100",), "mg"),
    ("donepezil", ("5", "10"), "mg"), ("tamsulosin", ("0.4",), "mg"), ("allopurinol", ("100", "300"), "mg"),
    ("ceftriaxone", ("1", "2"), "g"), ("vancomycin", ("1", "1.25"), "g"), ("piperacillin-tazobactam", ("3.375",), "g"),
    ("azithromycin", ("250", "500"), "mg"), ("nitrofurantoin", ("100",), "mg"), ("heparin", ("5000",), "units"),
    ("enoxaparin", ("40", "60", "80"), "mg"), ("ondansetron", ("4",), "mg"), ("quetiapine", ("25", "50"), "mg"),
    ("Eliquis", ("5",), "mg"), ("Lasix", ("40",), "mg"), ("Keppra", ("500",), "mg"), ("Synthroid", ("75",), "mcg"),
    ("Xarelto", ("20",), "mg"), ("Lantus", ("20",), "units"), ("Zoloft", ("50",), "mg"), ("Plavix", ("75",), "mg"),
)  # fmt: skip
ROUTES = ("PO", "po", "IV", "SQ", "by mouth", "")
FREQUENCIES = ("daily", "BID", "TID", "q6h PRN pain", "qHS", "twice daily", "q8h", "once a day", "qAM", "weekly", "PRN")
# name, low, high, decimals, suffix
LABS = (
    ("Na", 126, 147, 0, ""), ("K", 2.9, 6.1, 1, ""), ("Cl", 95, 110, 0, ""), ("HCO3", 16, 31, 0, ""),
    ("BUN", 7, 68, 0, ""), ("Cr", 0.5, 3.4, 2, ""), ("glucose", 62, 388, 0, ""), ("WBC", 3.1, 19.5, 1, ""),
    ("Hgb", 6.9, 16.2, 1, ""), ("Plt", 88, 460, 0, "K"), ("INR", 0.9, 3.6, 1, ""), ("A1c", 5.1, 12.4, 1, "%"),
    ("TSH", 0.2, 9.5, 2, ""), ("troponin", 0.01, 0.9, 2, ""), ("BNP", 40, 2400, 0, ""), ("lactate", 0.7, 5.1, 1, ""),
    ("LDL", 48, 196, 0, ""), ("AST", 11, 160, 0, ""), ("ALT", 9, 190, 0, ""), ("Mg", 1.3, 2.7, 1, ""),
    ("PSA", 0.4, 14.0, 1, ""), ("eGFR", 18, 112, 0, ""), ("CRP", 0.3, 24.0, 1, ""), ("ferritin", 8, 900, 0, ""),
    ("procalcitonin", 0.05, 6.0, 2, ""), ("TnI", 0.01, 2.4, 2, ""), ("vit D", 9, 58, 0, ""), ("lipase", 12, 900, 0, ""),
)  # fmt: skip
EXAM = (
    "lungs clear to auscultation bilaterally", "RRR, 2/6 systolic murmur at RUSB", "abdomen soft, nontender",
    "1+ pitting edema bilateral LE", "A&O x3", "no focal neuro deficits", "strength 5/5 throughout",
    "incision c/d/i", "skin warm and dry", "bibasilar crackles", "mild expiratory wheezes", "JVP not elevated",
    "no CVA tenderness", "tender to palpation RLQ", "pupils equal and reactive", "gait steady with walker",
    "oriented to person only", "oral mucosa dry", "capillary refill < 3 sec", "4/5 strength left upper extremity",
)  # fmt: skip
SYMPTOMS = (
    "chest pain", "shortness of breath", "a productive cough", "fevers and chills", "dizziness", "nausea and vomiting",
    "abdominal pain", "headache", "fatigue", "palpitations", "dysuria", "leg swelling", "worsening back pain",
    "a new rash", "sore throat", "diarrhea", "confusion", "insomnia", "poor appetite", "two falls", "blurry vision",
    "hematuria", "melena", "wheezing", "joint pain", "numbness in both feet", "low mood", "weight loss",
)  # fmt: skip
DURATIONS = (
    "x3 days", "for two weeks", "since yesterday", "for the past month", "since last night", "x1 week",
    "on and off for 6 months", "for several days", "since this morning", "for about 10 days", "x2d", "since last week",
)  # fmt: skip
SPECIALTIES = (
    "cardiology", "neurology", "GI", "nephrology", "endocrinology", "pulmonology", "rheumatology", "oncology",
    "dermatology", "orthopedics", "urology", "psychiatry", "physical therapy", "podiatry", "ENT", "ophthalmology",
    "hematology", "palliative care", "sleep medicine", "wound care", "infectious disease", "social work",
)  # fmt: skip
PROCEDURES = (
    "CABG", "appendectomy", "cholecystectomy", "TKA", "right THA", "C-section", "hysterectomy", "TURP",
    "colonoscopy", "EGD", "cardiac cath", "lumbar fusion", "cataract surgery", "tonsillectomy", "ORIF of the wrist",
)  # fmt: skip
IMAGING = (
    ("CT chest without contrast", "No pulmonary embolism. Small bilateral pleural effusions."),
    ("CXR PA and lateral", "Mild cardiomegaly. No focal consolidation."),
    ("MRI brain with and without contrast", "No acute infarct. Chronic small vessel ischemic changes."),
    ("CT abdomen/pelvis with contrast", "Uncomplicated sigmoid diverticulitis. No abscess."),
    ("US right upper quadrant", "Cholelithiasis without sonographic signs of cholecystitis."),
    ("Bilateral LE venous duplex", "Occlusive thrombus in the left popliteal vein."),
    ("Transthoracic echocardiogram", "LVEF 35-40%. Moderate mitral regurgitation."),
    ("XR left hip 2 views", "Displaced femoral neck fracture."),
    ("CT head without contrast", "No intracranial hemorrhage or mass effect."),
    ("DEXA scan", "T-score -2.7 at the femoral neck, consistent with osteoporosis."),
    ("Mammogram, screening", "BI-RADS 1. Negative."),
)  # fmt: skip
INSURERS = (
    "Blue Cross Blue Shield", "Aetna", "Cigna", "UnitedHealthcare", "Humana", "Medicare", "Medicaid", "Tricare",
    "Kaiser Permanente", "MassHealth", "Medi-Cal", "Anthem", "Molina", "Oscar",
)  # fmt: skip
DENIALS = (
    "missing modifier 25", "no prior authorization on file", "coordination of benefits needed", "timely filing limit",
    "invalid diagnosis pointer", "eligibility terminated", "duplicate claim", "non-covered service",
)  # fmt: skip
CPT = ("99213", "99214", "99215", "99203", "93000", "71046", "80053", "85025", "36415", "G0439", "99285", "20610")
ICD10 = ("I10", "E11.9", "E78.5", "J44.1", "N18.32", "I48.91", "K21.9", "M17.11", "F32.9", "G20", "K50.90", "Z79.4")
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
ANONYMOUS_CLINICIANS = (
    "the attending", "the covering physician", "Dr. on call", "the resident", "the charge nurse", "the hospitalist",
    "the PCP", "the on-call Dr.", "the surgeon", "the nurse practitioner", "the provider",
)  # fmt: skip
RELATIONS = ("daughter", "son", "wife", "husband", "sister", "brother", "mother", "niece", "grandson", "partner")
DEVICES = (
    "Medtronic Azure XT DR pacemaker", "Boston Scientific ICD", "Abbott CardioMEMS sensor",
    "Medtronic MiniMed 780G pump",
    "Tandem t:slim X2 insulin pump", "Omnipod 5 pod", "Dexcom G7 sensor", "ResMed AirSense 10 CPAP",
    "Cochlear Nucleus implant", "Medtronic Micra leadless pacemaker", "Abbott FreeStyle Libre 3 reader",
    "Inspire hypoglossal nerve stimulator", "Boston Scientific spinal cord stimulator", "Zoll LifeVest",
)  # fmt: skip
DIETS = ("cardiac", "renal", "ADA", "NPO after midnight", "regular", "mechanical soft", "low sodium")
OCCUPATIONS = ("welder", "teacher", "nurse", "farmer", "truck driver", "machinist", "cook", "electrician")
PATIENT_REMARKS = (
    "verbalized understanding of the plan", "agrees with plan", "tolerated the procedure well",
    "was educated on warning signs", "ambulating independently", "declined the flu vaccine",
    "prefers to be called by first name", "asked that family be updated", "is hard of hearing, uses aids",
)  # fmt: skip
NURSING_STATES = (
    "resting comfortably", "ambulating in hall with assist", "up to chair x2", "anxious but redirectable",
    "sleeping between checks", "voiding without difficulty", "requesting pain medication",
)  # fmt: skip
QUERY_TOPICS = (
    "labs", "a1c trend", "last echo", "cxr report", "discharge summary", "med list", "allergies", "imaging",
    "inr results", "vaccine history", "op note", "path report", "consult notes", "bp readings", "mri brain",
    "ekg", "colonoscopy report", "cbc", "bmp", "notes", "problem list", "cultures", "a1c", "lipids",
)  # fmt: skip
CALL_REASONS = ("lab results", "imaging results", "refill request", "prior auth", "appointment", "referral status")
SCREENINGS = ("TB screen", "Respirator fit test", "Hep B titer", "Flu vaccine", "Post needlestick labs", "Audiogram")
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


def _phone(rng: random.Random) -> str:
    area, mid, last = f"{rng.randint(201, 989)}", f"{rng.randint(200, 999)}", _digits(rng, 4)
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
         f"{_letters(rng, 2)}{_digits(rng, 6)}-{_digits(rng, 2)}", _digits(rng, 9))
    )  # fmt: skip


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
         _digits(rng, 5))
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# People and places.


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


NAME_STYLES = (
    "full", "full", "full_mid", "last_first", "caps_last_first", "title_last", "title_last", "title_full",
    "title_first_initial", "first", "last", "initial_last", "lower_full", "caps_full", "last_first_mid",
)  # fmt: skip


def _name(rng: random.Random, p: _Person, style: str | None = None, possessive: bool = False) -> list[Piece]:
    """Pieces for one mention of ``p``; a title and a possessive 's stay outside the span."""
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
        "first": p.first,
        "last": p.last,
        "initial_last": f"{p.first[0]}. {p.last}",
        "lower_full": f"{p.first} {p.last}".lower(),
    }[style]
    if style.startswith("title_"):
        title = rng.choice((p.title, p.title, p.title.rstrip("."), "Mrs." if p.female else "Mr."))
    pieces: list[Piece] = [title + " "] if title else []
    pieces.append(Phi(value, "PERSON"))
    if possessive:
        pieces.append("'s")
    return pieces


def _clinician_name(rng: random.Random, p: _Person, possessive: bool = False) -> list[Piece]:
    """A physician mention: 'Dr. Patel', 'Anita Patel, MD', 'A. Patel MD', ... (the title is never in the span)."""
    form = rng.randrange(8)
    tail = "'s" if possessive else ""
    if form <= 2:
        return [rng.choice(("Dr. ", "Dr ", "Dr. ", "dr ")), Phi(p.last, "PERSON"), tail]
    if form == 3:
        return ["Dr. ", Phi(f"{p.first} {p.last}", "PERSON"), tail]
    if form == 4 and not possessive:
        return [Phi(f"{p.first} {p.last}", "PERSON"), rng.choice((", MD", " MD", ", DO", ", NP", ", PA-C"))]
    if form == 5 and not possessive:
        return [Phi(f"{p.first[0]}. {p.last}", "PERSON"), rng.choice((" MD", ", MD", " (attending)"))]
    if form == 6:
        return ["Dr. ", Phi(f"{p.first} {p.middle}. {p.last}", "PERSON"), tail]
    return ["Dr. ", Phi(p.last.upper() if rng.random() < 0.3 else p.last, "PERSON"), tail]


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

    def facility(self, key: str = "facility", kind: str | None = None) -> list[Piece]:
        if self.phi_free:
            return [self.pick(GENERIC_PLACES)]
        return [Phi(self.value(key, lambda rng: _facility(rng, self.fake, kind)), "LOCATION")]

    def address(self) -> list[Piece]:
        """Street, city and ZIP as LOCATION; the state between them is not PHI."""
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


IDENTIFIERS: dict[str, tuple[Callable[[random.Random], str], tuple[tuple[str, str], ...]]] = {
    "MEDICAL_RECORD_NUMBER": (
        _mrn,
        (("MRN: ", ""), ("MRN ", ""), ("(MRN ", ")"), ("MR# ", ""), ("Med Rec #", ""), ("medical record number ", ""),
         ("Unit No. ", ""), ("Pt ID: ", ""), ("#", ""), ("MRN:", ""), ("mrn ", ""), ("Hospital #: ", "")),
    ),
    "US_SSN": (_ssn, (("SSN: ", ""), ("SSN ", ""), ("SS# ", ""), ("Social Security No. ", ""), ("soc sec # ", ""))),
    "HEALTH_PLAN_NUMBER": (
        _health_plan,
        (("Member ID: ", ""), ("member ID ", ""), ("policy # ", ""), ("Medicare ID ", ""), ("Medicaid # ", ""),
         ("subscriber ID ", ""), ("ID# ", ""), ("insurance ID ", ""), ("plan ID: ", "")),
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
         ("badge #", ""), ("passport no. ", ""), ("subject ", ""), ("Employee #: ", "")),
    ),
}


EMPLOYEE_KEYS = ("employee ID ", "Employee #: ", "badge #", "staff ID ")
STUDY_KEYS = ("study subject ID ", "participant #", "subject ", "Subject ID: ", "enrollment ID ")


def _cap(pieces: list[Piece]) -> list[Piece]:
    """The pieces with their first letter capitalised, for a clause that opens a sentence."""
    if pieces and isinstance(pieces[0], str) and pieces[0]:
        return [pieces[0][0].upper() + pieces[0][1:], *pieces[1:]]
    return pieces


# ---------------------------------------------------------------------------------------------
# Clinical filler: plain text, never PHI.


def _num(rng: random.Random, lo: float, hi: float, decimals: int) -> str:
    return f"{rng.uniform(lo, hi):.{decimals}f}"


def _med(rng: random.Random) -> str:
    name, doses, unit = rng.choice(MEDS)
    dose = rng.choice(doses)
    amount = f"{dose} {unit}".strip() if rng.random() < 0.7 or not unit else f"{dose}{unit}"
    route = rng.choice(ROUTES)
    return " ".join(x for x in (name, amount, route, rng.choice(FREQUENCIES)) if x)


def _lab(rng: random.Random) -> str:
    name, lo, hi, decimals, suffix = rng.choice(LABS)
    sep = rng.choice((" ", ": ", " ", "=", " of "))
    return f"{name}{sep}{_num(rng, lo, hi, decimals)}{suffix}"


def _labs(rng: random.Random) -> str:
    return rng.choice((", ", "; ", ", ")).join(_lab(rng) for _ in range(rng.randint(2, 5)))


def _vitals(rng: random.Random) -> str:
    temp = _num(rng, 97.0, 102.4, 1) + "F" if rng.random() < 0.7 else _num(rng, 36.1, 39.2, 1) + " C"
    items = [
        f"BP {rng.randint(88, 182)}/{rng.randint(48, 104)}", f"HR {rng.randint(48, 128)}", f"RR {rng.randint(12, 28)}",
        f"T {temp}", f"SpO2 {rng.randint(86, 100)}% {rng.choice(('RA', 'on 2L NC', 'on RA', 'on 4L'))}",
        f"pain {rng.randint(0, 10)}/10", f"Wt {rng.randint(41, 140)} kg", f"BMI {_num(rng, 17, 44, 1)}",
    ]  # fmt: skip
    chosen = rng.sample(items, rng.randint(2, 5))
    return rng.choice((", ", " ", "; ")).join(chosen)


def _exam(rng: random.Random) -> str:
    return ", ".join(rng.sample(EXAM, rng.randint(1, 3)))


def _problem(rng: random.Random, eponym_rate: float = 0.3) -> str:
    return rng.choice(EPONYM_DISEASES) if rng.random() < eponym_rate else rng.choice(PROBLEMS)


def _problems(rng: random.Random, lo: int = 1, hi: int = 4) -> str:
    chosen = list(dict.fromkeys(_problem(rng) for _ in range(rng.randint(lo, hi))))  # no set: its order varies by process
    return chosen[0] if len(chosen) == 1 else ", ".join(chosen[:-1]) + " and " + chosen[-1]


def _plan_item(rng: random.Random) -> str:
    drug = rng.choice(MEDS)[0]
    lab = rng.choice(LABS)[0]
    return rng.choice(
        (f"continue {_med(rng)}", f"start {_med(rng)}", f"hold {drug} for SBP < 100", f"stop {drug}",
         f"repeat {lab} in the AM", f"follow up in {rng.randint(1, 12)} weeks", f"RTC in {rng.randint(2, 6)} months",
         "PT/OT eval", f"diet: {rng.choice(DIETS)}", "DVT ppx with heparin 5000 units SQ q8h",
         f"referral to {rng.choice(SPECIALTIES)}", "CXR if fever persists", "fall precautions",
         "discussed risks and benefits, pt agrees with plan", rng.choice(("full code", "DNR/DNI")),
         "return precautions reviewed", f"titrate {drug} as tolerated", f"check {lab} in {rng.randint(2, 14)} days",
         f"consult {rng.choice(SPECIALTIES)}", "wean O2 to keep sats > 92%", "IS 10x/hr while awake")
    )  # fmt: skip


def _plan(rng: random.Random, lo: int = 1, hi: int = 4) -> str:
    items = [_plan_item(rng) for _ in range(rng.randint(lo, hi))]
    if rng.random() < 0.4:
        return " ".join(f"{i + 1}. {item}." for i, item in enumerate(items))
    return rng.choice(("; ", ". ", ", ")).join(items) + "."


def _history_negatives(d: _Doc) -> list[Piece]:
    """A sentence with a year alone, an age up to 89, a state, a country or an eponym: none of it is PHI."""
    rng = d.rng
    year, state, country = rng.randint(1975, FIRST_YEAR), rng.choice(STATES), rng.choice(COUNTRIES)
    return [
        rng.choice(
            (f"Diagnosed with {_problem(rng, 0.5)} in {year}.", f"s/p {rng.choice(PROCEDURES)} in {year}.",
             f"Quit smoking in {year}.", f"Last colonoscopy in {year}, normal.", f"Moved here from {state}.",
             f"Recently traveled to {country}.", f"Born in {country}, moved to {state} in {year}.",
             f"Mother had {rng.choice(EPONYM_DISEASES)} diagnosed at age {rng.randint(40, 85)}.",
             f"Father died at {rng.randint(50, 89)} of an MI.", f"Hx of {rng.choice(EPONYM_DISEASES)} since {year}.",
             f"Lives with spouse, relocated from {state} in {year}.",
             f"Brother ({rng.randint(30, 89)} yo) with {rng.choice(PROBLEMS)}.",
             f"Returned from {country} {rng.randint(2, 5)} weeks ago.",
             f"Worked in {state} as a {rng.choice(OCCUPATIONS)} until {year}.")
        )  # fmt: skip
    ]


def _patient_again(d: _Doc) -> list[Piece]:
    """Another mention of the patient, so a document names the same person more than once."""
    style = d.pick(("title_last", "first", "last", "title_full", "full"))
    return [*_cap(d.pt(style, generic=("Pt", "Patient"))), f" {d.pick(PATIENT_REMARKS)}."]


def _unnamed_clinician(d: _Doc) -> list[Piece]:
    """A clinician referred to by role or bare title only: not PHI."""
    who = d.pick(ANONYMOUS_CLINICIANS)
    verb = d.pick(("Discussed with", "D/w", "Paged", "Notified", "Case reviewed with"))
    end = d.pick(("" if who.endswith(".") else ".", ", agrees with plan.", ", no new orders."))
    return [
        d.pick(
            (f"{verb} {who}{end}",
             "Pt asking to see a different Dr.", f"Seen and examined with {who}.",
             "Per Dr., continue current regimen.", f"Will update {who} in the AM.")
        )  # fmt: skip
    ]


# ---------------------------------------------------------------------------------------------
# Genres. Each appends one document to ``d.b``.

Field = tuple[tuple[str, ...], list[Piece]]  # (keys to choose from, value pieces; empty = field left out)


def _header(d: _Doc, fields: list[Field], per_line: int | None = None) -> list[Piece]:
    """'Key: value' fields, in random order, one or two per line."""
    fields = [f for f in fields if f[1]]
    d.rng.shuffle(fields)
    sep = d.pick((": ", ": ", " - ", ":  ", ":"))
    per_line = per_line or d.pick((1, 1, 2))
    out: list[Piece] = []
    for i, (keys, value) in enumerate(fields):
        if i:
            out.append("\n" if i % per_line == 0 else d.pick(("   ", "  ", " | ", "\t")))
        out.extend([d.pick(keys) + sep, value])
    return out


def _hpi(d: _Doc) -> list[Piece]:
    a = d.article
    opening = d.pick(
        ([*d.pt(generic=("The patient", "Pt")), f" is {a} "], [*d.pt("title_last", generic=("Patient",)), f", {a} "],
         [f"Pt is {a} "], [f"This is {a} "], [f"{a.capitalize()} "], [f"HPI: {a.capitalize()} "])
    )  # fmt: skip
    return [
        *opening, *d.age_phrase(), f" {d.sex_word()} with {d.pick(('PMH of ', 'a history of ', 'hx ', ''))}",
        _problems(d.rng), f" who presents with {d.pick(SYMPTOMS)} {d.pick(DURATIONS)}.",
    ]


def _nursing_note(d: _Doc) -> None:
    form = d.rng.randrange(3)
    if form == 0:
        d.add(d.pick(("Nursing note ", "RN note ", "Nursing Progress Note - ", "Shift note ")))
        d.add(d.date(time=True) if d.phi(0.85) else [d.pick(("(day shift)", "(nights)", "- 7p-7a"))], "\n")
    elif form == 1:
        d.add("Shift assessment for ", d.pt(), *([" ", d.ident("MEDICAL_RECORD_NUMBER")] if d.phi(0.5) else []), ".\n")
    else:
        d.add("SBAR\nS: ", d.pt(), " ", d.pick(("c/o ", "reporting ", "with ")), d.pick(SYMPTOMS), ".\nB: ")
        d.add(d.pick(("Admitted for ", "Here with ", "Hx ")), _problems(d.rng, 1, 2), ".\nA: ")
    reach = [", can be reached at ", *d.phone("rel_phone")] if d.phi(0.4) else []
    clauses: list[list[Piece]] = [
        [f"VS: {_vitals(d.rng)}."],
        [f"{d.pick(('Pt', 'Patient', 'Pt is', d.they.capitalize() + ' is'))} {d.pick(NURSING_STATES)}."],
        [f"{d.pick(EPONYM_FINDINGS)}." if d.chance(0.6) else f"{_exam(d.rng).capitalize()}."],
        [f"Gave {_med(d.rng)} per MAR."],
        [f"Tolerating {d.pick(('regular diet', 'clears', 'sips', 'tube feeds at goal'))}."],
        [f"IV site {d.pick(('R forearm', 'L AC', 'R hand'))} without redness."],
        ["Notified ", *d.dr(), f" of {_lab(d.rng)}; {d.pick(('no new orders', 'new orders', 'will recheck'))}."],
        [*_cap(d.relative()), " at bedside", *reach, "."],
        ["Fall precautions in place, bed alarm on."],
        _patient_again(d),
        _history_negatives(d),
        _unnamed_clinician(d),
    ]
    d.add(d.sentences(d.sample(clauses, 4, 8), d.pick((" ", "\n", " "))))
    if form == 2:
        d.add("\nR: ", _plan(d.rng, 1, 2))
    if d.chance(0.8):
        d.add(d.pick(("\n-- ", "\n", " - ", "\nSigned: ")), d.staff())


def _discharge_summary(d: _Doc) -> None:
    d.add(d.pick(("DISCHARGE SUMMARY\n", "Discharge Summary\n", "D/C SUMMARY\n", "Hospital Discharge Summary\n")))
    fields: list[Field] = [
        (("Patient", "Name", "PATIENT"), d.name_field(("caps_last_first", "last_first", "full", "last_first_mid"))),
        (("MRN", "MR#", "Med Rec No"), d.ident("MEDICAL_RECORD_NUMBER", bare=True) if d.phi(0.8) else []),
        (("DOB", "Date of Birth", "D.O.B."), d.dob() if d.phi(0.6) else []),
        (("Admitted", "Admission Date", "Adm"), d.date(-d.rng.randint(2, 9)) if d.phi(0.8) else []),
        (("Discharged", "Discharge Date", "D/C date"), d.date(0) if d.phi(0.8) else []),
        (("Attending", "Attending physician", "Discharging MD"), d.dr()),
        (("Account", "Acct #", "FIN"), d.ident("ACCOUNT_NUMBER", bare=True) if d.phi(0.25) else []),
        (("Facility", "Hospital", "Location"), d.facility(kind="Hospital") if d.phi(0.4) else []),
    ]
    d.add(_header(d, d.sample(fields, 3, 6)), "\n\n")
    course: list[list[Piece]] = [
        [f"{d.pick(('Principal diagnosis', 'Dx', 'Discharge diagnosis'))}: {_problem(d.rng)}."],
        [f"Labs on admission notable for {_labs(d.rng)}."],
        [f"Treated with {_med(d.rng)} and {_med(d.rng)} with improvement."],
        [f"Course complicated by {d.pick(PROBLEMS)}, resolved."],
        _history_negatives(d),
        [f"{d.pick(EPONYM_FINDINGS)} during stay."],
        _patient_again(d),
        _unnamed_clinician(d),
    ]
    d.add(d.pick(("Hospital course: ", "HOSPITAL COURSE: ", "Brief HPI/course: ")), _hpi(d), " ")
    d.add(d.sentences(d.sample(course, 2, 4)), "\n")
    d.add(d.pick(("Discharge meds: ", "Medications at discharge: ", "D/C MEDS: ")))
    d.add("; ".join(_med(d.rng) for _ in range(d.rng.randint(2, 4))), ".\n")
    _follow_up(d)
    if d.phi(0.25):
        d.add(d.pick(("Pacemaker interrogated prior to discharge, ", "Home CPAP unit ", "Insulin pump ")))
        d.add(d.ident("DEVICE_ID"), ".\n")
    if d.chance(0.6):
        dispo = d.pick(("home", "home with VNA", "SNF", "rehab", "home with hospice"))
        d.add(f"Disposition: {dispo}")
        d.add([" (", *d.facility("snf", kind="Nursing"), ")"] if dispo in ("SNF", "rehab") and d.phi(0.7) else [], ".")
    if d.phi(0.2):
        kind, number = _license(d.rng)
        signer = _clinician_name(d.rng, d.person("dr1"))
        d.add("\nElectronically signed by ", signer, f" {kind} ", Phi(number, "LICENSE_NUMBER"))


def _follow_up(d: _Doc) -> None:
    form = d.rng.randrange(3)
    if form == 0:
        d.add("Follow up with ", d.dr("dr2"), " at ", d.facility("clinic", kind="Clinic"))
        d.add([" on ", *d.date(d.rng.randint(5, 30))] if d.phi(0.7) else [f" in {d.rng.randint(1, 4)} weeks"], ".")
    elif form == 1:
        d.add(f"F/u {d.pick(SPECIALTIES)} in {d.rng.randint(1, 6)} weeks")
        d.add([", call ", *d.phone("clinic_phone")] if d.phi(0.6) else [], ".")
    else:
        d.add(f"Plan: {_plan(d.rng, 1, 3)}")
    d.add("\n")


def _report_header(d: _Doc) -> None:
    if d.chance(0.55):
        _radiology(d)
    else:
        _lab_report(d)


def _radiology(d: _Doc) -> None:
    exam, impression = d.pick(IMAGING)
    site = d.facility(kind=d.pick(("Imaging", "Hospital", "Medical")))
    fields: list[Field] = [
        (("EXAM", "Exam", "STUDY", "Procedure"), [exam]),
        (("PATIENT", "Name", "Patient"), d.name_field(("caps_last_first", "last_first", "full"))),
        (("MRN", "Patient ID", "MR #"), d.ident("MEDICAL_RECORD_NUMBER", bare=True) if d.phi(0.8) else []),
        (("DOB", "Birth date"), d.dob() if d.phi(0.5) else []),
        (("AGE", "Age"), [*d.age_phrase()] if d.chance(0.3) else []),
        (("DATE OF SERVICE", "Exam date", "Date"), d.date(time=d.chance(0.5)) if d.phi(0.8) else []),
        (("ORDERING", "Referring physician", "Ordered by"), d.dr("dr2")),
        (("LOCATION", "Site", "Performed at"), site if d.phi(0.5) else []),
        (("FAX RESULTS TO", "Fax", "Results fax"), d.phone("fax", "FAX_NUMBER") if d.phi(0.3) else []),
        (("ACCT", "Account #"), d.ident("ACCOUNT_NUMBER", bare=True) if d.phi(0.2) else []),
    ]
    d.add(_header(d, d.sample(fields, 3, 7), 1), "\n")
    d.add(f"{d.pick(('INDICATION', 'History', 'CLINICAL HISTORY'))}: {d.pick(SYMPTOMS)}, {_problem(d.rng)}.\n")
    if d.phi(0.2):
        d.add(f"Note: patient has {d.pick(DEVICES)} (", d.ident("DEVICE_ID"), "), MRI conditional.\n")
    d.add(f"{d.pick(('IMPRESSION', 'Impression', 'FINDINGS'))}: {impression}")
    if d.chance(0.4):
        prior = d.date(-d.rng.randint(30, 900)) if d.phi(0.8) else [str(d.visit.year - 1)]
        d.add(" Compared with prior from ", prior, ".")
    if d.chance(0.5):
        d.add("\nDictated by: ", d.dr("dr3"), *([" ", d.date(time=True)] if d.phi(0.5) else []))


def _lab_report(d: _Doc) -> None:
    lab = d.facility(kind=d.pick(("Clinic", "Medical", "Hospital")))
    fields: list[Field] = [
        (("Patient", "PT NAME", "Name"), d.name_field(("caps_last_first", "last_first", "last_first_mid"))),
        (("MRN", "ID", "Med Rec"), d.ident("MEDICAL_RECORD_NUMBER", bare=True) if d.phi(0.8) else []),
        (("Sex/Age", "Age"), ["F/" if d.patient.female else "M/", *d.age_phrase()] if d.chance(0.4) else []),
        (("Collected", "Collection time", "Drawn"), d.date(-1, time=True) if d.phi(0.8) else []),
        (("Received", "Reported", "Resulted"), d.date(0, time=True) if d.phi(0.6) else []),
        (("Ordering provider", "Physician", "Ordered by"), d.dr()),
        (("Client", "Location", "Performing lab"), lab if d.phi(0.5) else []),
        (("Insurance", "Member ID"), d.ident("HEALTH_PLAN_NUMBER", bare=True) if d.phi(0.2) else []),
    ]
    d.add(d.pick(("LABORATORY REPORT\n", "Lab Results\n", "CHEMISTRY PANEL\n", "")))
    d.add(_header(d, d.sample(fields, 3, 6)), "\n")
    d.add(d.pick(("Results: ", "RESULT: ", "")), _labs(d.rng), ".")
    if d.chance(0.4):
        d.add(f" Critical value: {_lab(d.rng)} called to ", d.staff())
        d.add([" at ", *d.phone("unit_phone")] if d.phi(0.4) else [])
        d.add([" on ", *d.date(0, time=True)] if d.phi(0.6) else [])
        d.add(d.pick((", read back verified.", ", RBV.", ".")))
    if d.chance(0.3):
        d.add(f" Specimen {d.pick(('hemolyzed, recollect advised', 'clotted', 'acceptable'))}.")


def _referral_letter(d: _Doc) -> None:
    if d.phi(0.9):
        d.add(d.date(fmt=d.pick(("Month d, yyyy", "mm/dd/yyyy", "d Month yyyy", "Mon. d, yyyy"))), "\n\n")
    d.add(d.pick(("Dear ", "Dear ", "To: ")), d.dr("dr2") if d.chance(0.8) else ["Colleague"])
    d.add(d.pick((",\n\n", ":\n\n", ",\n")))
    if d.phi(0.4):
        d.add("RE: ", d.pt(d.pick(("full", "full_mid", "caps_full"))), [", DOB ", *d.dob()] if d.chance(0.7) else [])
        d.add("\n\n")
    d.add(d.pick(("Thank you for seeing ", "I am referring ", "I would appreciate your evaluation of ")))
    d.add(d.pt(d.pick(("title_last", "title_full", "full", "title_first_initial"))), ", ")
    d.add(d.pick(("", "our mutual patient, ")), d.article, " ", *d.age_phrase())
    d.add(f" {d.sex_word()} with {_problems(d.rng, 1, 3)}, for {d.pick(SYMPTOMS)} {d.pick(DURATIONS)}. ")
    family = [*d.pt(d.pick(("title_last", "first", "last")), possessive=True), " ", d.relative()]
    prior = d.facility("prior", kind=d.pick(("Hospital", "Clinic", "Medical")))
    clauses: list[list[Piece]] = [
        [f"Current medications include {_med(d.rng)} and {_med(d.rng)}."],
        [f"Recent labs: {_labs(d.rng)}."],
        _patient_again(d),
        [f"On exam {_exam(d.rng)}."],
        _history_negatives(d),
        [*family, f" {d.pick(('helps with care', 'drives to appointments', 'manages medications'))}."],
        [f"{d.they.capitalize()} was previously seen at ", *prior, "."],
    ]
    d.add(d.sentences(d.sample(clauses, 2, 4)), "\n\n")
    contact: list[list[Piece]] = []
    if d.phi(0.8):
        contact.append(["call our office at ", *d.phone("office")])
    if d.phi(0.5):
        contact.append(["fax records to ", *d.phone("office_fax", "FAX_NUMBER")])
    if d.phi(0.3):
        contact.append(["email ", *d.email(d.person("staff1"))])
    if d.phi(0.15):
        contact.append(["use the referral form at ", *d.url()])
    if contact:
        d.add("Please ", d.sentences(contact, d.pick((" or ", ", or ", "; "))), ".\n")
    d.add(d.pick(("Sincerely,\n", "Best regards,\n", "Thank you,\n")), d.dr("dr1"))
    if d.phi(0.6):
        d.add("\n", d.facility(kind=d.pick(("Clinic", "Practice", "Health Center"))), "\n", d.address())


def _portal_message(d: _Doc) -> None:
    if d.chance(0.3):
        d.b.case = "lower"
    if d.chance(0.7):
        d.add(d.pick(("Hi ", "Hello ", "Dear ", "hi ")), d.dr() if d.chance(0.8) else ["Nurse"])
        d.add(d.pick((",\n", ", ", " - ")))
    if d.phi(0.6):
        d.add(d.pick(("this is ", "This is ", "It's ")), d.pt(d.pick(("full", "first", "lower_full", "full"))))
        d.add([" (dob ", *d.dob(), ")"] if d.phi(0.4) else [], d.pick((". ", ", ")))
    pharmacy = [*d.facility("pharmacy", kind=d.pick(("Pharmacy", "Drug")))]
    if d.phi(0.4):
        pharmacy += [" on ", Phi(d.fake.street_name(), "LOCATION")]
    bp = f"{d.rng.randint(130, 170)}/{d.rng.randint(80, 100)}"
    body: list[list[Piece]] = [
        [f"I've been having {d.pick(SYMPTOMS)} {d.pick(DURATIONS)}."],
        [f"Can you send a refill of my {d.pick(MEDS)[0]} to ", *pharmacy, "?"],
        [f"My sugars have been running {d.rng.randint(140, 320)}s and my BP was {bp} this morning."],
        [f"The {d.pick(('rash', 'swelling', 'cough', 'pain'))} is {d.pick(('better', 'worse', 'about the same'))}"
         f" since I started the {d.pick(MEDS)[0]}."],
        [f"My {d.pick(RELATIONS)} thinks it could be {d.pick(EPONYM_DISEASES)} because it runs in the family."],
        ["Is it ok to travel to ", d.pick(COUNTRIES + STATES), " next month?"],
        ["I have an appointment on ", *d.date(d.rng.randint(3, 40)), ", can I come in sooner?"] if d.phi(0.6) else [],
        ["I was in the ER at ", *d.facility("er", kind="Hospital"), " last week."] if d.phi(0.4) else [],
        ["I need a form for school, my student ID is ", Phi(_digits(d.rng, 8), "ID"), "."] if d.phi(0.08) else [],
    ]
    d.add(d.sentences(d.sample(body, 2, 4)))
    contact: list[list[Piece]] = []
    if d.phi(0.5):
        contact.append([d.pick(("you can reach me at ", "my cell is ", "call me at ")), *d.phone()])
    if d.phi(0.35):
        contact.append([d.pick(("email me at ", "my email is ")), *d.email(d.patient)])
    if contact:
        d.add(" ", d.sentences(contact, " or ", shuffle=False), ".")
    d.add(d.pick(("\nThanks,\n", "\nthank you\n", " Thanks! ", "\n- ", "\n")), d.name_field(("first", "full", "first")))
    if d.phi(0.35):
        opener, closer = d.pick((("\n[Message sent from IP ", "]"), ("\n(login from ", ")"), ("\nAudit: IP ", "")))
        d.add(opener, d.ip(), [" via ", *d.url()] if d.phi(0.2) else [], closer)
    if d.phi(0.08):
        d.add("\nIdentity verified with ", d.ident("BIOMETRIC_ID"), ".")


def _search_query(d: _Doc) -> None:
    """A short clinician search box query, usually lower case."""
    d.b.case = "lower" if d.chance(0.75) else "as_is"
    what = d.pick(QUERY_TOPICS)
    if d.phi_free:
        _anonymous_query(d, what)
        return
    mrn = d.ident("MEDICAL_RECORD_NUMBER", bare=True)
    by_name = [*d.pt(d.pick(("lower_full", "full", "last_first", "last")))]
    if d.chance(0.4):
        by_name += [" dob ", *d.dob()]
    subject = d.pick(
        (by_name, by_name, ["mrn ", *mrn], mrn, ["pt ", *d.pt("last")], ["ssn ", *d.ident("US_SSN", bare=True)],
         ["phone ", *d.phone()], [*d.pt("full"), " ", *mrn], ["dob ", *d.dob(), " ", *d.pt("last")])
    )  # fmt: skip
    when = d.pick(
        ([], [], [" since ", *d.date(-30)], [" on ", *d.date()], [" from ", *d.date(-60), " to ", *d.date()],
         [" last 3 months"], [f" {d.visit.year - 1}"], [" this week"], [" at ", *d.facility()])
    )  # fmt: skip
    form = d.rng.randrange(6)
    if form == 0:
        d.add(what, " for ", subject, when)
    elif form == 1:
        d.add(subject, " ", what, when)
    elif form == 2:
        d.add(subject, " - ", what, when, "?")
    elif form == 3:
        d.add(d.pick(("find ", "show ", "pull up ", "open chart ")), subject)
    elif form == 4:
        d.add("notes from ", d.dr(), " on ", by_name, when)
    else:
        verb = d.pick((("did ", " get "), ("has ", " had "), ("when did ", " last have ")))
        d.add(verb[0], *d.pt(d.pick(("lower_full", "last", "first"))), verb[1], what, when, "?")


def _anonymous_query(d: _Doc, what: str) -> None:
    rng = d.rng
    drug, other = d.pick(MEDS)[0], d.pick(MEDS)[0]
    d.add(
        d.pick(
            (f"{what} for pts with {_problem(rng, 0.4)}", f"{_problem(rng, 0.5)} pts on {drug}",
             f"a1c > {rng.randint(7, 11)} diabetics {d.pick(('on insulin', 'not on metformin', 'seen this year'))}",
             f"{drug} {other} interaction", f"icd code for {_problem(rng, 0.4)}",
             f"{what} {d.pick(('last week', 'today', 'yesterday', 'this month'))} {d.pick(SPECIALTIES)}",
             f"cpt {d.pick(CPT)} vs {d.pick(CPT)}", f"{drug} dose in {d.pick(('ckd', 'esrd', 'elderly', 'peds'))}",
             f"pts over {rng.randint(60, 85)} with {_problem(rng)} and {what}", f"{d.pick(EPONYM_FINDINGS)} orders",
             f"k > {_num(rng, 5.2, 6.5, 1)} on {drug}", f"admissions in {rng.randint(2015, 2024)} for {_problem(rng)}")
        )  # fmt: skip
    )


def _telephone_encounter(d: _Doc) -> None:
    form = d.rng.randrange(3)
    by_relative = d.chance(0.5)
    caller = d.relative("caller") if by_relative else d.pt(d.pick(("full", "first", "title_last")))
    if form == 0:
        fields: list[Field] = [
            (("Telephone Encounter", "Phone note", "TE"), d.date(time=True) if d.phi(0.8) else ["today"]),
            (("Caller", "Call from", "Spoke with"), caller),
            (("Callback", "Call back #", "CB#", "Phone"), d.phone() if d.phi(0.8) else ["number on file"]),
            (("Reason", "RE", "Reason for call"), [f"{d.pick(SYMPTOMS)} {d.pick(DURATIONS)}"]),
        ]
        d.add(_header(d, fields, 1), "\n")
    elif form == 1:
        openers = ("Pt's ", "Call from pt's ") if by_relative else ("Call from ", "TC from ", "Phone call with ")
        d.add(d.pick(openers), caller)
        d.add([" (", *d.phone(), ")"] if d.phi(0.6) else [], f" re: {d.pick(SYMPTOMS)} {d.pick(DURATIONS)}. ")
    else:
        d.add(d.pick(("LVM for ", "Left voicemail for ", "Returned call to ", "Called ")))
        d.add(d.pt(d.pick(("full", "title_last", "first"))), [" at ", *d.phone()] if d.phi(0.7) else [])
        d.add(f" re: {d.pick(CALL_REASONS)}. ")
    advice = d.pick(("to go to the ED if worse", "rest and fluids", f"to hold {d.pick(MEDS)[0]}", "to keep appt"))
    clauses: list[list[Piece]] = [
        [f"Reports {_vitals(d.rng)} at home."],
        _patient_again(d),
        [f"Taking {_med(d.rng)}."],
        [f"Advised {advice}."],
        ["Will route to ", *d.dr(), " for review."],
        ["Appt made for ", *d.date(d.rng.randint(1, 14), time=d.chance(0.4)), "."] if d.phi(0.5) else [],
        ["Rx sent to ", *d.facility("pharmacy", kind=d.pick(("Pharmacy", "Drug"))), "."] if d.phi(0.4) else [],
        ["Sent telehealth link ", *d.url(), " to pt's email ", *d.email(d.patient), "."] if d.phi(0.12) else [],
        ["Per ", *d.dr("dr2", possessive=True), " note, ", _plan(d.rng, 1, 1)],
        ["Records faxed to ", *d.phone("fax", "FAX_NUMBER"), "."] if d.phi(0.25) else [],
        _history_negatives(d),
        _unnamed_clinician(d),
    ]
    d.add(d.sentences(d.sample(clauses, 3, 5)))
    if d.chance(0.7):
        d.add(d.pick(("\n", " -", "\n-- ")), d.staff())


def _billing_note(d: _Doc) -> None:
    dos = d.date(fmt=d.pick(("mm/dd/yyyy", "m/d/yy", "yyyy-mm-dd", "mm-dd-yyyy")))
    lines: list[list[Piece]] = [
        ["DOS ", *dos] if d.phi(0.85) else ["DOS per encounter"],
        [f"CPT {', '.join(d.sample(CPT, 1, 3))}; ICD-10 {', '.join(d.sample(ICD10, 1, 3))}"],
        [f"Payer: {d.pick(INSURERS)}", *([", ", *d.ident("HEALTH_PLAN_NUMBER")] if d.phi(0.8) else [])],
        ["Group # ", Phi(_group_number(d.rng), "HEALTH_PLAN_NUMBER")] if d.phi(0.3) else [],
        ["Guarantor: ", *d.pt(d.pick(("last_first", "full", "caps_last_first")), generic=("self", "patient"))],
        d.ident("US_SSN") if d.phi(0.35) else [],
        d.ident("ACCOUNT_NUMBER") if d.phi(0.8) else [],
        ["Billing address: ", *d.address()] if d.phi(0.3) else [],
    ]
    d.add(d.pick(("Billing note: ", "BILLING - ", "Claim follow-up\n", "Insurance verification: ")))
    d.add(d.sentences(lines, d.pick(("\n", ". ", " | "))), "\n")
    balance = f"${d.rng.randint(20, 4000)}.{_digits(d.rng, 2)}"
    outcome = d.pick(("eligibility confirmed", "auth pending", "resubmit in 30 days"))
    action: list[list[Piece]] = [
        [f"Claim denied ({d.pick(DENIALS)})."],
        ["Spoke with ", *d.pt(d.pick(("title_last", "first", "full"))), f" regarding balance of {balance}."],
        ["Corrected claim faxed to payer at ", *d.phone("payer_fax", "FAX_NUMBER"), "."] if d.phi(0.4) else [],
        [f"Called {d.pick(INSURERS)} rep, ref # given, {outcome}."],
        [f"Copay ${d.rng.choice((20, 25, 30, 40, 50))} collected."],
        ["Statement sent to ", *d.email(d.patient), "."] if d.phi(0.2) else [],
        [f"Pt moved from {d.pick(STATES)}, new coverage starts ", *d.date(d.rng.randint(10, 60)), "."]
        if d.phi(0.3) else [],
    ]  # fmt: skip
    d.add(d.sentences(d.sample(action, 2, 3)))
    if d.chance(0.6):
        d.add(" -", d.staff("staff2"))


def _procedure_note(d: _Doc) -> None:
    d.add(d.pick(("PROCEDURE NOTE\n", "Procedure: ", "Device clinic note\n", "DME order: ")))
    fields: list[Field] = [
        (("Patient", "Pt"), d.name_field(("full", "last_first", "caps_last_first"))),
        (("Date", "Procedure date", "DOS"), d.date(time=d.chance(0.3)) if d.phi(0.8) else []),
        (("Operator", "Physician", "Implanting MD", "Ordering"), d.dr()),
        (("Location", "Site"), d.facility(kind=d.pick(("Hospital", "Heart", "Medical"))) if d.phi(0.5) else []),
        (("MRN", "Pt ID"), d.ident("MEDICAL_RECORD_NUMBER", bare=True) if d.phi(0.5) else []),
    ]
    d.add(_header(d, d.sample(fields, 2, 4)), "\n")
    serial: list[Piece] = [" (", *d.ident("DEVICE_ID"), ")"] if d.phi(0.85) else []
    if d.chance(0.5):
        readout = f"Lead impedance {d.rng.randint(350, 900)} ohms, threshold {_num(d.rng, 0.5, 1.5, 1)} V at 0.4 ms."
    else:
        readout = f"Settings: {d.pick(('CPAP 10 cm H2O', 'basal 0.8 u/hr', 'DDD 60-130', 'VVI 50'))}."
    clauses: list[list[Piece]] = [
        [f"Indication: {_problem(d.rng)}."],
        [f"{d.pick(('Implanted', 'Interrogated', 'Dispensed', 'Replaced'))} {d.pick(DEVICES)}", *serial, "."],
        [readout],
        [f"Battery {d.rng.randint(60, 100)}%, {d.pick(('no events', '2 episodes of AF', 'no therapies delivered'))}."],
        ["Remote monitoring via ", *d.url(), ", transmitter IP ", *d.ip(), "."] if d.phi(0.15) else [],
        [f"EBL {d.rng.randint(5, 50)} mL. No complications."],
        _patient_again(d),
        _history_negatives(d),
    ]
    d.add(d.sentences(d.sample(clauses, 3, 6)))
    if d.chance(0.5):
        d.add(" Next check ", d.date(d.rng.randint(60, 180)) if d.phi(0.7) else [f"in {d.rng.randint(3, 12)} months"])
        d.add(".")


def _ed_trauma_note(d: _Doc) -> None:
    d.add(d.pick(("ED note: ", "Trauma H&P: ", "EMS handoff: ", "Social work note: ")), _hpi(d), " ")
    clauses: list[list[Piece]] = [
        [f"Vitals on arrival {_vitals(d.rng)}."],
        [f"GCS {d.rng.randint(9, 15)}, {_exam(d.rng)}."],
        _patient_again(d),
        _history_negatives(d),
        [f"Given {_med(d.rng)}."],
        _unnamed_clinician(d),
        [*_cap(d.relative()), " notified", *([" at ", *d.phone("rel_phone")] if d.phi(0.5) else []), "."],
        *_ed_identifiers(d),
    ]
    d.add(d.sentences(d.sample(clauses, 4, 7)))
    if d.chance(0.5):
        d.add(" Dispo: ", d.pick(("admit to trauma surgery", "discharge home", "admit to ICU", "transfer")))
        d.add([" to ", *d.facility("transfer", kind="Hospital")] if d.phi(0.5) else [], ".")


def _ed_identifiers(d: _Doc) -> list[list[Piece]]:
    """Clauses of an ED or social work note that carry vehicles, licenses, badges and passports."""
    clauses: list[list[Piece]] = []
    if d.chance(0.6):
        road = [" on ", Phi(d.fake.street_name(), "LOCATION")] if d.phi(0.4) else []
        clauses.append(["Restrained driver in MVC", *road, "; airbags deployed."])
        if d.phi(0.85):
            key, vehicle = _vehicle(d.rng)
            opener = d.pick(("Police report lists ", "Vehicle towed, ", "Per officer, "))
            clauses.append([opener, key, Phi(vehicle, "VEHICLE_ID"), "."])
    elif d.phi(0.35):
        key, vehicle = _vehicle(d.rng)
        clauses.append(["Pt's car (", key, Phi(vehicle, "VEHICLE_ID"), ") left in the ED lot, keys with security."])
    if d.phi(0.45):
        kind, number = _license(d.rng)
        clauses.append([f"ID confirmed by {kind} ", Phi(number, "LICENSE_NUMBER"), "."])
    if d.phi(0.3):
        officer = _name(d.rng, d.person("officer"), d.pick(("last", "full")))
        badge = Phi(_digits(d.rng, d.rng.randint(3, 5)), "ID")
        clauses.append(["Officer ", *officer, ", badge #", badge, ", at bedside."])
    if d.phi(0.1):
        passport = Phi(_letters(d.rng, 1) + _digits(d.rng, 8), "ID")
        visitor = d.pick(("Visiting from ", "Tourist from "))
        clauses.append([visitor, d.pick(COUNTRIES), ", passport no. ", passport, "."])
    if d.phi(0.3):
        clauses.append(["Pt lives at ", *d.address(), "."])
    return clauses


def _research_note(d: _Doc) -> None:
    if d.chance(0.4):
        d.add(d.pick(("Occupational health visit", "Employee health", "Pre-employment screening")), ": ")
        if d.phi():
            employee = [", ", *d.ident("ID", keys=EMPLOYEE_KEYS)] if d.chance(0.8) else []
            d.add(d.pt(d.pick(("full", "last_first"))), employee, ". ")
        clauses = [
            [f"{d.pick(SCREENINGS)} {d.pick(('done', 'negative', 'completed', 'pending'))}."],
            [f"Cleared for {d.pick(('full duty', 'respirator use', 'light duty x2 weeks'))}."],
            ["Badge access uses ", *d.ident("BIOMETRIC_ID"), "."] if d.phi(0.3) else [],
        ]
    else:
        d.add(d.pick(("Research visit", "Study visit", "Clinical trial note", "Protocol visit")))
        d.add(f" {d.pick(('2', '3', 'week 12', 'baseline', 'screening'))}")
        d.add([" for ", *d.ident("ID", keys=STUDY_KEYS)] if d.phi(0.85) else [], ". ")
        clauses = [
            ["Consent signed ", *d.date(-d.rng.randint(0, 60)), "."] if d.phi(0.7) else ["Consent on file."],
            [f"Enrollment criteria met: {_problem(d.rng, 0.5)}, age {d.rng.randint(18, 80)}."],
            ["Biometric enrollment: ", *d.ident("BIOMETRIC_ID"), "."] if d.phi(0.6) else [],
            [f"Study drug {_med(d.rng)}; adherence {d.rng.randint(70, 100)}%."],
            [f"AE: {d.pick(('none', 'grade 1 nausea', 'mild headache', 'injection site reaction'))}."],
        ]
    email = [" (", *d.email(d.person("staff1")), ")"] if d.phi(0.5) else []
    clauses += [
        [f"Labs: {_labs(d.rng)}."],
        ["Coordinator ", *d.staff(), *email, " will call."],
        ["Remote device sync from IP ", *d.ip(), "."] if d.phi(0.2) else [],
        _history_negatives(d),
    ]
    d.add(d.sentences(d.sample(clauses, 3, 6)))
    if d.chance(0.5):
        d.add(" PI: ", d.dr(), ".")


GENRES: dict[str, Callable[[_Doc], None]] = {
    "nursing_note": _nursing_note,
    "discharge_summary": _discharge_summary,
    "report_header": _report_header,
    "referral_letter": _referral_letter,
    "portal_message": _portal_message,
    "search_query": _search_query,
    "telephone_encounter": _telephone_encounter,
    "billing_note": _billing_note,
    "procedure_note": _procedure_note,
    "ed_trauma_note": _ed_trauma_note,
    "research_note": _research_note,
}


# ---------------------------------------------------------------------------------------------
# Public API.


@dataclass(frozen=True)
class SynthDoc:
    """One synthetic document with its gold PHI spans."""

    id: str
    text: str
    spans: tuple[Span, ...]
    genre: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "spans": [s.to_dict() for s in self.spans], "genre": self.genre}


def _doc_seed(seed: int, split: str, i: int) -> int:
    # A stable hash (Python's hash() of a str changes between runs), so each split is its own stream.
    digest = hashlib.blake2b(f"{seed}/{split}/{i}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _one(seed: int, split: str, i: int) -> SynthDoc:
    doc_seed = _doc_seed(seed, split, i)
    rng = random.Random(doc_seed)
    genre = rng.choice(sorted(GENRES))
    case = "upper" if rng.random() < UPPER_DOC_RATE else "as_is"
    typo_rate = TYPO_WORD_RATE if rng.random() < TYPO_DOC_RATE else 0.0
    d = _Doc(rng=rng, seed=doc_seed % 2**32, phi_free=rng.random() < PHI_FREE_RATE, b=_Builder(rng, case, typo_rate))
    GENRES[genre](d)
    text, spans = d.b.build()
    for span in spans:
        span.check(text)
    return SynthDoc(id=f"{split}-{i:05d}", text=text, spans=spans, genre=genre)


def generate(n: int, seed: int, split: str = "train") -> list[SynthDoc]:
    """``n`` synthetic documents; the same (n, seed, split) always gives the same documents."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    return [_one(seed, split, i) for i in range(n)]


def write_splits(
    out_dir: Path, n_train: int = 800, n_val: int = 400, n_test: int = 400, seed: int = 13
) -> dict[str, Path]:
    """Write train.jsonl, val.jsonl and test.jsonl under ``out_dir``; each split has its own random stream."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for split, n in (("train", n_train), ("val", n_val), ("test", n_test)):
        path = out_dir / f"{split}.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for doc in generate(n, seed, split):
                f.write(json.dumps(doc.to_json(), ensure_ascii=False) + "\n")
        paths[split] = path
    return paths
