"""Regex pieces for people's names: name words, particles, given names (deid.patterns.names), and the
capitalised words after a title or before a comma that are no name."""

from __future__ import annotations

import re

from deid.patterns.base import _literals
from deid.patterns.names import given_names
from deid.patterns.places import _COUNTRY_NAMES, _FACILITY_GENERIC_WORDS, _STATE_NAME

_NAME_WORD = r"(?:[OD]['’])?(?:[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?|[A-Z]{3,}(?:-[A-Z]{2,})?)"
# Given names that are also states or countries ("Crossroads, Virginia") are left out.
_GIVEN_NOT_PLACES = sorted(set(given_names()) - set(_STATE_NAME.split("|")) - set(_COUNTRY_NAMES) - {"Carolina", "Dakota"})
_GIVEN = _literals([*_GIVEN_NOT_PLACES, *(n.upper() for n in _GIVEN_NOT_PLACES)])
_GIVEN_LOWER = _literals([n.lower() for n in _GIVEN_NOT_PLACES])
_PARTICLE = r"(?:van|von|de|da|del|der|la|le|di|du|dos|bin|al)"
# Capitalised words after a title that are no name ("Dr. Visit", "Dr. Smith Cardiology").
_NOT_A_NAME = (
    _FACILITY_GENERIC_WORDS
    | {"Visit", "Note", "Notes", "Office", "Appointment", "Appt", "Orders", "Consult", "Said", "Called"}
    | {
        "MRI", "ICU", "CBC", "BMP", "CMP", "EKG", "ECG", "EEG", "EMG", "ABG", "CXR", "PET", "MRA", "CTA", "ENT", "PCP", "EMS",
        "NICU", "PICU", "PACU", "NOTE", "ATTN", "PLAN", "HPI", "ROS", "PMH", "PSH", "NKDA", "OTC", "PRN", "AMA", "FAX",
        "DOB", "DOS", "MRN", "SSN", "AGE", "SEX", "PHONE", "TEL", "RE", "CC",
    }
)  # fmt: skip
# Capitalised words before a comma that are no surname: sign-offs, greetings, relations and roles.
_NOT_A_SURNAME = (
    r"Today|Yesterday|Also|However|Then|Dear|Hello|Hi|Hey|Thanks|Thank|Yes|No|Ok|Okay|Note|Sincerely|Regards|Best|Cheers"
    r"|Respectfully|Cordially|Signed|Attn|Cc|From|To|Re|Father|Mother|Brother|Sister|Son|Daughter|Wife|Husband|Aunt|Uncle"
    r"|Cousin|Grandmother|Grandfather|Patient|Pt|Resident|Nurse|Doctor|Caller|Contact|Guardian|Spouse|Partner|Friend|Neighbor"
)
_GENERIC_WORD = f"(?:{'|'.join(sorted(map(re.escape, _NOT_A_NAME), key=len, reverse=True))})"
# Given names that are also everyday words in lower case ("will", "may", "hope"): no chat name is read from them.
_CHAT_NOT_A_NAME = (
    "(?:will|may|june|april|august|bill|art|grace|hope|faith|joy|rose|mark|pat|sue|don|ray|rob|bob|dean|drew|gene|guy"
    "|jack|max|sky|summer|autumn|amber|ruby|pearl|iris|lily|ivy|dawn|eve|faye|page|paige|chase|hunter|mason|cash|king"
    "|major|reed|reid|wade|west|lane|wood|woods|miles|sage|storm|star|love|penny|holly|heather|violet|daisy|jade|rich"
    "|frank|earnest|ernest|sunny|honey|angel|dale|glen|glenn|cliff|rusty|sandy|brook|brooke|river|rain|forest|bay"
    "|grant|hall|price|carter|cooper|tucker|parker|taylor|chance|noble|royal|duke|prince|justice|trinity|destiny|harmony"
    "|melody|mercy|patience|charity|constance|prudence|ruth|tom|tim|nick|sam|ben|dan|al|ed|mo|jo|an|ma|pa|bo|ali|amy"
    "|kim|lee|van|sal|rod|norm|lou|val|jan|mel|kit|tad|ted)"
)
