"""Rules over a document's spans together: pieces of one value joined, a city after a place, identifiers grown to
whole tokens (``deid.detect.complete_spans`` applies them after the union of the model's spans and the patterns')."""

from __future__ import annotations

import re
from dataclasses import replace

from deid.rules.span import _DIGITS_REQUIRED
from deid.spans import Span, unite_overlapping


# One value the model and the patterns found in two pieces is one span (conf/entities/hipaa.yaml: a date with its
# time is one DATE_TIME, a facility with the place it is at is one LOCATION, "LAST, First" is one PERSON): two spans
# of the same label with only this between them are joined, so the word between them is not left visible.
_CONNECTORS = {
    "DATE_TIME": re.compile(r"\s+(?:at|on|@)\s+|\s*@\s*"),  # "Thursday the 18th at 7:30", "04:27 on 12/03/25"
    "LOCATION": re.compile(r"\s+(?:at|of|on)\s+"),  # "Publix Pharmacy at Camp Creek Marketplace", "Hebrew Home at Riverdale"
    "PERSON": re.compile(r"\s*,\s*"),  # "HOLLOWAY ,  JUDITH"
}


def join_pieces(text: str, spans: list[Span]) -> list[Span]:
    """Sorted, disjoint ``spans`` with each run of same-label spans that only a connector separates joined (above)."""
    joined: list[Span] = []
    for span in spans:
        last = joined[-1] if joined else None
        connector = _CONNECTORS.get(span.label)
        if last is not None and connector is not None and last.label == span.label and connector.fullmatch(text, last.end, span.start):
            joined[-1] = replace(last, end=span.end)
        else:
            joined.append(span)
    return joined


# A city named right after a place, by a comma ("Clínica La Familia, Brownsville", "Mayo Clinic, Rochester"): a US or
# world city of GeoNames (deid.places) is one more LOCATION.
_AFTER_A_PLACE = re.compile(r",\s+([A-Z][a-zà-ÿ'’.-]+(?:[ -][A-Z][a-zà-ÿ'’.-]+){0,2})(?=[,.;:)]|\s|$)")


def cities_after_places(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` with a LOCATION for each city named by a comma right after a place or a name (above), where not covered."""
    from deid.places import city_names

    found = []
    for span in spans:
        if span.label not in ("LOCATION", "PERSON"):  # "Clínica La Familia, Brownsville", "Ana Ruiz, Laredo"
            continue
        match = _AFTER_A_PLACE.match(text, span.end)
        if match and match.group(1) in city_names():
            found.append(Span(match.start(1), match.end(1), "LOCATION"))
    return _with_uncovered(spans, found)


def _with_uncovered(spans: list[Span], found: list[Span]) -> list[Span]:
    """Sorted, disjoint ``spans`` and those of ``found`` that overlap none of them."""
    if not found:
        return spans
    extra = [f for f in found if not any(s.start < f.end and f.start < s.end for s in spans)]
    return sorted([*spans, *extra]) if extra else spans


# An identifier is a whole token: a span that starts or ends inside one ("GRP884120" with "884120" tagged, "RN.339127"
# with "339127") grows to the token's edges, so no letter or digit of it stays visible.
_TOKEN_LABELS = _DIGITS_REQUIRED | {"ID", "BIOMETRIC_ID", "VEHICLE_ID", "DEVICE_ID"}


def _token_char(text: str, k: int) -> bool:
    ch = text[k]
    if ch.isascii() and ch.isalnum():
        return True
    return ch in ".-" and 0 < k < len(text) - 1 and text[k - 1].isascii() and text[k - 1].isalnum() and text[k + 1].isascii() and text[k + 1].isalnum()


def _latin_word_char(text: str, k: int) -> bool:
    """A letter or digit of a Latin-script word (scripts written without spaces are never grown over)."""
    return text[k].isalnum() and ord(text[k]) < 0x250


def grow_to_tokens(text: str, spans: list[Span]) -> list[Span]:
    """Sorted, disjoint ``spans`` with identifier spans grown to whole tokens (above), and any other span that cuts
    a Latin-script word ("Dr. A. Pellegrin|0", OCR's digit for a letter) grown to the whole word, merged where they
    then meet."""
    grown = []
    for span in spans:
        start, end = span.start, span.end
        inside = _token_char if span.label in _TOKEN_LABELS else _latin_word_char
        while start > 0 and inside(text, start - 1) and inside(text, start):
            start -= 1
        while end < len(text) and inside(text, end) and inside(text, end - 1):
            end += 1
        grown.append(span if (start, end) == (span.start, span.end) else replace(span, start=start, end=end))
    return grown if grown == spans else unite_overlapping(grown)


# A name written twice, in two scripts, one in parentheses or after a slash ("佐藤 花子 様（Hanako Sato）", "רחל כהן (Rachel
# Cohen)", "கார்த்திக் / Karthik"):
# where one is a PERSON, so is the other.
_LATIN_NAME_IN_PARENTHESES = re.compile(
    r"\s?(?:様|さん|씨|님|先生|氏)?(?:\s?[（(]([A-Z][\w'’-]+(?:[ -][A-Za-z][\w'’-]+){0,3})[)）]|\s/\s([A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+){0,3})(?![\w'’-]))"
)
# Words of a script other than Latin, with their combining marks (Tamil and Bengali vowel signs are no word characters).
_OTHER_SCRIPT_NAME_BEFORE = re.compile(r"((?:[^\s\x00-\x7F（）、，。：][^\s\x00-\x7F（）、，。：\d]*[ ]?){1,4}?)\s?(?:様|さん|씨|님)?(?:\s?[（(]|\s/\s)$")


def names_in_two_scripts(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` with the other script's form of each PERSON written in parentheses next to it (above)."""
    found = []
    for span in spans:
        if span.label != "PERSON":
            continue
        after = _LATIN_NAME_IN_PARENTHESES.match(text, span.end)
        if after and not re.search(r"[A-Za-z]", text[span.start : span.end]):  # not "Dr. Lee (Cardiology)"
            group = 1 if after.group(1) else 2
            found.append(Span(after.start(group), after.end(group), "PERSON"))
        if span.start > 0 and (text[span.start - 1] in "(（" or text[max(0, span.start - 3) : span.start] == " / "):
            before = _OTHER_SCRIPT_NAME_BEFORE.search(text, max(0, span.start - 40), span.start)
            if before and before.group(1).strip():
                start = before.start(1)
                found.append(Span(start, start + len(before.group(1).rstrip()), "PERSON"))
    partial = [f for f in found if any(s.label == "PERSON" and s.start < f.end and f.start < s.end and (s.start > f.start or s.end < f.end) for s in spans)]
    if partial:  # "राजेश कुमार" tagged of "राजेश कुमार शर्मा": the whole name
        spans = unite_overlapping([*spans, *partial])
    return _with_uncovered(spans, found)


# A street intersection is one LOCATION ("at Peachtree and 10th", "near Vermont and Slauson"): where one of its
# streets is tagged, the whole of it is.
_INTERSECTION = re.compile(
    r"\b(?:at|near|corner\s+of|intersection\s+of|off)\s+"
    r"((?:[A-Z][a-z]+|\d{1,3}(?:st|nd|rd|th))(?:\s(?:St|Ave|Blvd|Rd|Dr)\.?)?\s(?:and|&)\s(?:[A-Z][a-z]+|\d{1,3}(?:st|nd|rd|th))(?:\s(?:St|Ave|Blvd|Rd|Dr)\b\.?)?)(?![\w'’-])"
)


def intersections(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` with each street intersection that has a tagged street grown to the whole intersection (above)."""
    whole = []
    for match in _INTERSECTION.finditer(text):
        start, end = match.span(1)
        if any(s.label == "LOCATION" and s.start >= start and s.end <= end for s in spans):
            whole.append(Span(start, end, "LOCATION"))
    return unite_overlapping([*spans, *whole]) if whole else spans

