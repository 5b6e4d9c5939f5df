"""Genres of synthetic notes: one function per note type, each appending one document to ``d.b``."""

from __future__ import annotations

from typing import Callable

from deid.train.synth.document import FIRST_YEAR, Phi, Piece, _cap, _clinician_name, _Doc, _name
from deid.train.synth.kinds import extra_clauses
from deid.train.synth.places import COUNTRIES, STATES
from deid.train.synth.values import _digits, _group_number, _letters, _license, _vehicle
from deid.train.synth.vocabulary import (
    ANONYMOUS_CLINICIANS, CALL_REASONS, CPT, DENIALS, DEVICES, DURATIONS, EPONYM_DISEASES, EPONYM_FINDINGS, ICD10,
    IMAGING, INSURERS, LABS, MEDS, NURSING_STATES, OCCUPATIONS, PATIENT_REMARKS, PROBLEMS, PROCEDURES, QUERY_TOPICS,
    RELATIONS, SCREENINGS, SPECIALTIES, SYMPTOMS, _exam, _lab, _labs, _med, _num, _plan, _problem, _problems,
    _vitals,
)  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Clauses shared by the genres.


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


def _place_clause(d: _Doc) -> list[Piece]:
    """A sentence that names a real city, county or hospital in passing (each a LOCATION); none when PHI-free."""
    if d.phi_free:
        return []
    year = d.rng.randint(1990, FIRST_YEAR)
    return d.pick(
        (["Lives in ", *d.city(), f" with {d.pick(RELATIONS)}."],
         ["Recently moved from ", *d.city(), "."],
         ["Transferred from ", *d.facility("transfer_from", kind="Hospital"), " for a higher level of care."],
         ["Previously followed at ", *d.facility("prior", kind="Clinic"), "."],
         ["Was seen at a ", *d.city(bare=True), f" {d.pick(('clinic', 'urgent care', 'ED', 'hospital'))} last year."],
         ["Records requested from ", *d.facility("records", kind="Hospital", possessive=True), " HIM department."],
         ["Resident of ", *d.county(), "."],
         ["Works in ", *d.city(), f" as a {d.pick(OCCUPATIONS)}."],
         [f"Had {d.pick(PROCEDURES)} at ", *d.facility("surgery", kind="Hospital"), f" in {year}."],
         ["Drove in from ", *d.city(), " for the visit."],
         ["Seen in ", *d.facility("ed", kind="Hospital", possessive=True), " ED on ", *d.date(-d.rng.randint(2, 30)), "."],
         ["Family in ", *d.city(), " will help after discharge."],
         ["Followed by ", *d.dr("dr4"), " at ", *d.facility("outside", kind="Medical"), "."],
         ["Home health agency covers ", *d.county(), "."])
    )  # fmt: skip


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


EMPLOYEE_KEYS = ("employee ID ", "Employee #: ", "badge #", "staff ID ")
STUDY_KEYS = ("study subject ID ", "participant #", "subject ", "Subject ID: ", "enrollment ID ", "Site ID: ", "#")


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
        _place_clause(d),
        _unnamed_clinician(d),
    ]
    d.add(d.sentences(d.sample(clauses, 4, 8) + extra_clauses(d), d.pick((" ", "\n", " "))))
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
        _place_clause(d),
        [f"{d.pick(EPONYM_FINDINGS)} during stay."],
        _patient_again(d),
        _unnamed_clinician(d),
    ]
    d.add(d.pick(("Hospital course: ", "HOSPITAL COURSE: ", "Brief HPI/course: ")), _hpi(d), " ")
    d.add(d.sentences(d.sample(course, 2, 4) + extra_clauses(d)), "\n")
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
        _place_clause(d),
        [*family, f" {d.pick(('helps with care', 'drives to appointments', 'manages medications'))}."],
        [f"{d.they.capitalize()} was previously seen at ", *prior, "."],
    ]
    d.add(d.sentences(d.sample(clauses, 2, 4) + extra_clauses(d, without=("chat",))), "\n\n")
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
        ["I moved to ", *d.city(), " so I need a new pharmacy there."] if d.phi(0.3) else [],
        ["My new address is ", *d.address(), ", please update my chart."] if d.phi(0.15) else [],
        ["Can my records from ", *d.facility("records", kind="Hospital"), " be sent over?"] if d.phi(0.3) else [],
        ["I have an appointment on ", *d.date(d.rng.randint(3, 40)), ", can I come in sooner?"] if d.phi(0.6) else [],
        ["I was in the ER at ", *d.facility("er", kind="Hospital"), " last week."] if d.phi(0.4) else [],
        ["I need a form for school, my student ID is ", Phi(_digits(d.rng, 8), "ID"), "."] if d.phi(0.08) else [],
    ]
    d.add(d.sentences(d.sample(body, 2, 4) + extra_clauses(d, without=("chat",))))
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


WEEKDAYS = ("Mon", "Tues", "Tue", "Wed", "Thurs", "Fri", "Sat", "Sun", "Monday", "Tuesday", "Wednesday", "Thursday",
            "Friday", "Saturday", "Sunday")  # fmt: skip
QUERY_NAME_STYLES = ("first", "first", "full", "lower_full", "title_last", "title_first_initial", "first_initial", "last")


def _query_date(d: _Doc) -> list[Piece]:
    """A date as a busy clinician types it: '3/2', 'Mar 4', 'last Tues' (the weekday is the DATE_TIME)."""
    if d.chance(0.3):
        return [d.pick(("last ", "on ", "", "this past ")), Phi(d.pick(WEEKDAYS), "DATE_TIME")]
    return d.date(-d.rng.randint(0, 40), fmt=d.pick(("m/d", "m/d", "mm/dd", "Mon d", "m/d/yy", "Month dth")))


def _chart_question(d: _Doc) -> None:
    """A short question to a chart system that names a patient, a place and a date in passing."""
    d.b.case = "lower" if d.chance(0.55) else "as_is"
    if d.phi_free:
        _anonymous_query(d, d.pick(QUERY_TOPICS))
        return
    pt = _name(d.rng, d.patient, d.pick(QUERY_NAME_STYLES))
    first = _name(d.rng, d.patient, "first")
    poss = _name(d.rng, d.patient, d.pick(("first", "title_last", "full")), possessive=True)
    her = "her" if d.patient.female else "his"
    lab, what = d.pick(LABS)[0], d.pick(QUERY_TOPICS)
    when, place, city = _query_date(d), d.facility("q", kind=d.pick(("Hospital", "Clinic", None))), d.city()
    d.add(
        d.pick(
            (["did the pt from ", *city, f" get {her} {lab} checked ", *when, "?"],
             ["pull up labs for ", *pt, " at ", *place, " ", *when],
             ["when was ", *poss, f" last {what} at ", *place, "?"],
             ["is ", *pt, " still admitted at ", *place, "?"],
             ["has ", *pt, " been seen in ", *d.city(bare=True), " clinic since ", *when, "?"],
             [f"{what} for ", *pt, " from ", *place, " ", *when],
             ["show me ", *poss, f" {what} from ", *when],
             [f"any {what} for the ", *d.city(bare=True), " transfer, ", *pt, "?"],
             ["what did ", *d.dr(), " say about ", *poss, f" {_problem(d.rng)} ", *when, "?"],
             ["did ", *pt, " from ", *city, f" ever get a {d.pick(PROCEDURES)}?"],
             [*pt, " dob ", *d.dob(), f" - {what}?"],
             ["check if ", *first, f" picked up {her} {d.pick(MEDS)[0]} at ", *d.facility("rx", kind="Pharmacy"), " ", *when],
             ["who is ", *poss, " pcp at ", *place, "?"],
             [f"meds for bed {d.rng.randint(1, 40)}, ", *pt, ", transferred from ", *place, " ", *when],
             ["pt ", *pt, " (", *d.ident("HEALTH_PLAN_NUMBER", bare=True), ") - is the prior auth done?"],
             [*pt, " ", *d.ident("MEDICAL_RECORD_NUMBER"), f" {what} ", *when, "?"],
             ["was ", *pt, " at ", *place, " ", *when, " or at ", *d.facility("q2", kind="Hospital"), "?"],
             [f"{lab} trend for ", *pt, " since ", *when],
             ["any notes from ", *place, " on ", *pt, "?"],
             ["is ", *first, " from ", *city, " on the ", *d.county(), " dialysis list?"])
        )  # fmt: skip
    )


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
        ["Pt updated address to ", *d.address(), "."] if d.phi(0.15) else [],
        _history_negatives(d),
        _place_clause(d),
        _unnamed_clinician(d),
    ]
    d.add(d.sentences(d.sample(clauses, 3, 5) + extra_clauses(d)))
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
    d.add(d.sentences(d.sample(action, 2, 3) + extra_clauses(d)))
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
        _place_clause(d),
    ]
    d.add(d.sentences(d.sample(clauses, 3, 6) + extra_clauses(d)))
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
        _place_clause(d),
        [f"Given {_med(d.rng)}."],
        _unnamed_clinician(d),
        [*_cap(d.relative()), " notified", *([" at ", *d.phone("rel_phone")] if d.phi(0.5) else []), "."],
        *_ed_identifiers(d),
    ]
    d.add(d.sentences(d.sample(clauses, 4, 7) + extra_clauses(d)))
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
        _place_clause(d),
    ]
    d.add(d.sentences(d.sample(clauses, 3, 6) + extra_clauses(d)))
    if d.chance(0.5):
        d.add(" PI: ", d.dr(), ".")


GENRES: dict[str, Callable[[_Doc], None]] = {
    "nursing_note": _nursing_note,
    "discharge_summary": _discharge_summary,
    "report_header": _report_header,
    "referral_letter": _referral_letter,
    "portal_message": _portal_message,
    "search_query": _search_query,
    "chart_question": _chart_question,
    "telephone_encounter": _telephone_encounter,
    "billing_note": _billing_note,
    "procedure_note": _procedure_note,
    "ed_trauma_note": _ed_trauma_note,
    "research_note": _research_note,
}

