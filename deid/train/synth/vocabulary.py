"""Clinical vocabulary for the synthetic notes: word lists and filler phrases, never PHI."""

from __future__ import annotations

import random


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



# ---------------------------------------------------------------------------------------------
# Hard negatives that look like names or dates in others' writing (see ``kinds``): never PHI.
BRANDS = (
    "Ozempic", "Kayexalate", "Eliquis", "Jardiance", "Entresto", "Humira", "Keytruda", "Farxiga", "Trulicity",
    "Mounjaro", "Wegovy", "Brilinta", "Januvia", "Tresiba", "Dupixent", "Stelara", "Enbrel", "Opdivo", "Revlimid",
    "Biktarvy", "Spiriva", "Symbicort", "Advair", "Narcan", "Zofran", "Toradol", "Dilaudid", "Ativan", "Seroquel",
    "Lovenox", "Coumadin", "Flomax", "Xarelto", "Lantus",
)  # fmt: skip
BRAND_DEVICES = (
    "Medtronic Azure pacer", "ResMed CPAP", "Dexcom G7", "Omnipod", "Impella", "HeartMate 3 LVAD", "Watchman device",
    "Philips Trilogy vent", "MitraClip", "Libre sensor", "Tandem pump", "Hoyer lift", "Bair Hugger",
)  # fmt: skip
EMPLOYERS = (
    "Sysco", "Travelers", "Amazon", "Walmart", "Target", "FedEx", "UPS", "Home Depot", "Tyson Foods",
    "Boeing", "Ford", "General Motors", "Starbucks", "Kroger", "Lowe's", "Delta", "Verizon", "Wells Fargo",
    "Dollar General", "Raytheon", "Comcast",
)  # fmt: skip
MORE_INSURERS = ("Cigna", "Aetna", "Humana", "UnitedHealthcare", "Anthem", "Travelers", "Geico", "Liberty Mutual")
UNIT_WINGS = ("West", "East", "North", "South")
ROMAN = ("I", "II", "III", "IV")
CHAT_TASKS = (
    "put in a bmp", "call the family back", "look at the K before 2", "sign the restraint order", "check on bed 4",
    "cover my pts till 3", "page ortho again", "reorder the heparin drip", "do the dc med rec", "swing by 12",
)  # fmt: skip
CHAT_WHERE = ("MRI", "CT", "dialysis", "IR", "the cath lab", "PT", "endo")
CARE_HOME_WORDS = ("Forum", "Residence", "Willows", "Commons", "Landing", "Terraces", "Heights", "Gardens", "Pines")
HOSPICE_WORDS = ("Hope", "Seasons", "Compassus", "Journey", "Haven", "Serenity", "Harbor", "Crossroads")
PHARMACY_CHAINS = (
    "CVS", "Walgreens", "Rite Aid", "Duane Reade", "Costco Pharmacy", "Publix Pharmacy", "H-E-B Pharmacy",
)  # fmt: skip
CJK_LOCALES = (("zh_CN", "China", "Mandarin"), ("ja_JP", "Japan", "Japanese"), ("ko_KR", "South Korea", "Korean"))
