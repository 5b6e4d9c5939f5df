"""Spans + policy -> redacted text. Each redaction strategy is an operator found by name in a registry.

A policy (``conf/policy/*.yaml``) names one operator per label and a strategy for overlapping spans.
Operators that need a secret (``hash``, ``surrogate``, ``date_shift``) read it from an environment
variable when the policy is loaded, never from a file. Nothing here logs or raises with the text
being redacted: logs and errors carry labels, offsets and counts only.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import logging
import math
import os
import re
import string
from abc import ABC, abstractmethod
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable, ClassVar, Iterable, Mapping

import yaml
from faker import Faker

from deid.conf import resolve_conf
from deid.spans import Span, claim_in_order, earliest_first, longest_first, unite_overlapping

logger = logging.getLogger(__name__)

DEFAULT_POLICY = "safe_harbor"
DEFAULT_KEY_ENV = "DEID_SECRET_KEY"
MIN_KEY_LENGTH = 16  # characters; a short key lets anyone who guesses it recompute surrogates and hashes
MIN_KEY_BITS = 64  # estimated entropy (characters x their Shannon entropy); `openssl rand -hex 32` has ~256
KEY_FINGERPRINT_LABEL = b"deid key fingerprint v1"  # the fixed message whose HMAC tells keys apart
SUPPRESSED_MARKER = "[REDACTED]"


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Replacement:
    """Where a span was in the original text and where its replacement landed in the redacted text."""

    label: str
    start: int
    end: int
    new_start: int
    new_end: int
    operator: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end or not 0 <= self.new_start <= self.new_end:
            raise ValueError(
                f"replacement [{self.start}, {self.end}) -> [{self.new_start}, {self.new_end}) "
                "has negative or reversed offsets"
            )


@dataclass(frozen=True)
class RedactionResult:
    """The redacted text and one replacement per redacted span, in text order."""

    text: str
    replacements: list[Replacement]


# --- keys and digests ------------------------------------------------------------------------


class MissingKeyError(RuntimeError):
    """A policy needs a secret key that the environment does not provide."""


def normalise(value: str) -> str:
    """Casefold and collapse whitespace, so trivially different spellings map to one surrogate."""
    return " ".join(value.casefold().split())


def _digest(key: bytes, purpose: str, *parts: str) -> bytes:
    """HMAC-SHA256 of NUL-joined parts; ``purpose`` keeps hash outputs from revealing surrogate seeds."""
    return hmac.new(key, "\x00".join((purpose, *parts)).encode("utf-8"), hashlib.sha256).digest()


def _read_key(env: Mapping[str, str], key_env: str, policy: str, needing: list[str]) -> bytes:
    """The secret key from ``env[key_env]``, or an error that says how to set it."""
    how = (
        f"Set it to a long random secret before running, e.g. `export {key_env}=$(openssl rand -hex 32)`, "
        "and keep it out of config files, logs and version control; the same key gives the same "
        "surrogates, hashes and date shifts in every run."
    )
    secret = env.get(key_env, "")
    if not secret:
        raise MissingKeyError(
            f"policy {policy!r} uses operators {needing} that need a secret key, but {key_env} is not set. {how}"
        )
    if len(secret) < MIN_KEY_LENGTH:
        raise MissingKeyError(f"the secret key in {key_env} is shorter than {MIN_KEY_LENGTH} characters. {how}")
    weakness = key_weakness(secret)
    if weakness:
        raise MissingKeyError(f"the secret key in {key_env} is too weak: it {weakness}. {how}")
    return secret.encode("utf-8")


def key_weakness(secret: str) -> str | None:
    """Why ``secret`` is an obviously weak key (a repeated character or pattern, too little entropy), or None."""
    if len(set(secret)) == 1:
        return "is one character repeated"
    for period in range(2, len(secret) // 2 + 1):
        if all(secret[i] == secret[i % period] for i in range(len(secret))):
            return f"repeats a {period}-character pattern"
    counts = Counter(secret).values()
    bits = -sum(n * math.log2(n / len(secret)) for n in counts)
    if bits < MIN_KEY_BITS:
        return f"has too little entropy (about {bits:.0f} bits, at least {MIN_KEY_BITS} needed)"
    return None


def key_fingerprint(key: bytes) -> str:
    """A short HMAC of a fixed label under ``key``: equal for equal keys, and reveals nothing of the key."""
    return hmac.new(key, KEY_FINGERPRINT_LABEL, hashlib.sha256).hexdigest()[:16]


# --- dates -----------------------------------------------------------------------------------

_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_TIME = r"(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s?(?:[ap]m|[ap]\.m\.))?|(?:1[0-2]|0?[1-9])\s?[ap]m"
_DATE_REST = re.compile(rf"(?:(?:[ T]|,\s*|\s+(?:at|@)\s*)(?:{_TIME}))?\s*", re.IGNORECASE)
_YEAR = r"(?P<y>\d{4}|\d{2})"
_DATE_FORMATS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\s*(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})",
        rf"\s*(?P<m>\d{{1,2}})(?P<sep>[-/.])(?P<d>\d{{1,2}})(?P=sep){_YEAR}",
        rf"\s*(?P<d>\d{{1,2}})(?P<sep>[-/.])(?P<m>\d{{1,2}})(?P=sep){_YEAR}",
        rf"\s*(?P<d>\d{{1,2}})(?P<ord>st|nd|rd|th)?(?:[ -]|\s+of\s+)(?P<mon>[a-z]{{3,9}})\.?(?:(?:-|,?\s+){_YEAR})?",
        r"\s*(?P<mon>[a-z]{3,9})\.?\s+(?P<d>\d{1,2})(?P<ord>st|nd|rd|th)?(?:,?\s+(?P<y>\d{4}))?",
        r"\s*(?P<mon>[a-z]{3,9})\.?,?\s+(?P<y>\d{4})",
    )
)
_NO_YEAR = 2000  # a leap year, so Feb 29 without a year still parses
_NO_DAY = 15  # mid-month, so a month-and-year moves by whole months only under large shifts


@dataclass(frozen=True)
class ParsedDate:
    """A date read from text, able to write another date the same way the original was written."""

    match: re.Match[str]
    day: date

    @property
    def has_year(self) -> bool:
        """Whether the original names a year (``March 4th`` does not)."""
        return self.match.group("y") is not None

    def render(self, new: date) -> str:
        """``new`` in the original's format: same separators, padding, month style and trailing time."""
        text, out, cursor = self.match.string, [], 0
        fields = sorted((self.match.span(name), name) for name, v in self.match.groupdict().items() if v and name != "sep")
        for (start, end), name in fields:
            out += [text[cursor:start], _render_field(name, text[start:end], new)]
            cursor = end
        return "".join(out) + text[cursor:]


def _render_field(name: str, original: str, new: date) -> str:
    """One date field of ``new`` written in the style of ``original``."""
    if name == "y":
        return f"{new.year:04d}" if len(original) == 4 else f"{new.year % 100:02d}"
    if name in ("m", "d"):
        number = new.month if name == "m" else new.day
        return f"{number:0{len(original)}d}"
    if name == "ord":
        suffix = "th" if 10 <= new.day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(new.day % 10, "th")
        return suffix.upper() if original.isupper() else suffix
    month = _MONTHS[new.month - 1]
    month = month if original.casefold() in _MONTHS else month[:3]
    return month.upper() if original.isupper() else month.title()


def _month_number(token: str) -> int | None:
    """1-12 for a month name or an abbreviation of at least three letters."""
    token = token.casefold()
    return next((i for i, name in enumerate(_MONTHS, 1) if name.startswith(token)), None)


def _date_from_match(match: re.Match[str]) -> date | None:
    """The calendar date a format match names, or None if it names none."""
    groups = match.groupdict()
    month = int(groups["m"]) if groups.get("m") else _month_number(groups["mon"])
    year = int(groups["y"]) if groups["y"] else _NO_YEAR
    if groups["y"] and len(groups["y"]) == 2:
        year += 2000 if year < 69 else 1900  # the same pivot as strptime's %y
    try:
        return date(year, month or 0, int(groups["d"]) if groups.get("d") else _NO_DAY)
    except ValueError:
        return None


def parse_date(value: str) -> ParsedDate | None:
    """Read a date in one of the common formats, with an optional time after it; None if unrecognised."""
    for pattern in _DATE_FORMATS:
        match = pattern.match(value)
        if match and _DATE_REST.fullmatch(value, match.end()):
            day = _date_from_match(match)
            if day is not None:
                return ParsedDate(match, day)
    return None


# --- operators -------------------------------------------------------------------------------


class Operator(ABC):
    """One redaction strategy: the replacement text for one span's value."""

    name: ClassVar[str]
    needs_key: ClassVar[bool] = False

    @abstractmethod
    def apply(self, value: str, label: str, patient_id: str | None = None) -> str:
        """The replacement for ``value``, a span labelled ``label`` in a document of ``patient_id``."""


OPERATORS: dict[str, type[Operator]] = {}


def register(cls: type[Operator]) -> type[Operator]:
    """Class decorator: make an operator available to policies under its ``name``."""
    if cls.name in OPERATORS:
        raise ValueError(f"operator name {cls.name!r} is registered twice")
    OPERATORS[cls.name] = cls
    return cls


def operator_class(name: str) -> type[Operator]:
    """The registered operator called ``name``; the error lists the known ones."""
    try:
        return OPERATORS[name]
    except KeyError:
        raise ValueError(f"unknown operator {name!r}; known operators are {sorted(OPERATORS)}") from None


def _check_key(key: bytes) -> None:
    """Reject an empty or non-bytes key, which would make every digest guessable."""
    if not isinstance(key, bytes) or not key:
        raise ValueError("a keyed operator needs a non-empty bytes key")


def _tag(label: str) -> str:
    """``[LABEL]``, also the fallback of operators that cannot handle a value."""
    return f"[{label}]"


@register
@dataclass(frozen=True)
class Tag(Operator):
    """``[LABEL]``."""

    name: ClassVar[str] = "tag"

    def apply(self, value: str, label: str, patient_id: str | None = None) -> str:
        return _tag(label)


@register
@dataclass(frozen=True)
class Mask(Operator):
    """The value overwritten by ``char``, keeping its length unless ``length`` fixes one."""

    name: ClassVar[str] = "mask"
    char: str = field(default="*", metadata={"help": "the single masking character"})
    length: int | None = field(default=None, metadata={"help": "fixed mask length; None keeps the value's length"})

    def __post_init__(self) -> None:
        if not isinstance(self.char, str) or len(self.char) != 1:
            raise ValueError("mask: 'char' must be a single character")
        if self.length is not None and (not isinstance(self.length, int) or self.length < 1):
            raise ValueError("mask: 'length' must be a positive integer or null (keep the value's length)")

    def apply(self, value: str, label: str, patient_id: str | None = None) -> str:
        return self.char * (len(value) if self.length is None else self.length)


@register
@dataclass(frozen=True)
class Hash(Operator):
    """``[LABEL:hex]``, a keyed HMAC-SHA256 of label and normalised value, truncated."""

    name: ClassVar[str] = "hash"
    needs_key: ClassVar[bool] = True
    key: bytes = field(repr=False, metadata={"help": "secret from the environment, never from a file"})
    length: int = field(default=16, metadata={"help": "hex characters kept, 1-64"})

    def __post_init__(self) -> None:
        _check_key(self.key)
        if not isinstance(self.length, int) or not 1 <= self.length <= 64:
            raise ValueError("hash: 'length' must be an integer from 1 to 64")

    def apply(self, value: str, label: str, patient_id: str | None = None) -> str:
        return f"[{label}:{_digest(self.key, self.name, label, normalise(value)).hex()[: self.length]}]"


@register
@dataclass(frozen=True)
class Surrogate(Operator):
    """A realistic fake value, the same for the same key, label and normalised value everywhere."""

    name: ClassVar[str] = "surrogate"
    needs_key: ClassVar[bool] = True
    key: bytes = field(repr=False, metadata={"help": "secret from the environment, never from a file"})
    locale: str = field(default="en_US", metadata={"help": "Faker locale of the fake values"})

    def __post_init__(self) -> None:
        _check_key(self.key)
        try:
            Faker(self.locale)
        except (AttributeError, TypeError):
            raise ValueError(f"surrogate: Faker has no locale {self.locale!r}") from None

    def apply(self, value: str, label: str, patient_id: str | None = None) -> str:
        # A fresh, seeded Faker per value: no state is shared between values, documents or processes.
        fake = Faker(self.locale)
        fake.seed_instance(int.from_bytes(_digest(self.key, self.name, label, normalise(value))[:8], "big"))
        return _SURROGATES.get(label, _fake_same_shape)(fake, value)


def _fake_same_shape(fake: Faker, value: str) -> str:
    """Digits replaced by digits and letters by letters of the same case; punctuation kept."""
    def swap(ch: str) -> str:
        if ch in string.digits:
            return str(fake.random_digit())
        if ch.isalpha():
            return fake.random_uppercase_letter() if ch.isupper() else fake.random_lowercase_letter()
        return ch

    return "".join(swap(ch) for ch in value)


def _fake_person(fake: Faker, value: str) -> str:
    """A surname for a single word, else a first and last name; a possessive stays possessive."""
    name = fake.last_name() if len(value.split()) == 1 else f"{fake.first_name()} {fake.last_name()}"
    return name + ("'s" if re.search(r"['’]s$", value) else "")


_FACILITY = re.compile(
    r"\b(hospital|clinic|medical center|center|centre|pharmacy|nursing home|infirmary|institute)\b", re.IGNORECASE
)


def _fake_location(fake: Faker, value: str) -> str:
    """A ZIP for a ZIP, a street address for an address, a facility for a facility, else a city."""
    if re.fullmatch(r"\s*\d{5}(-\d{4})?\s*", value):
        return _fake_same_shape(fake, value)
    if re.match(r"\s*\d", value):
        return fake.street_address()
    facility = _FACILITY.search(value)
    return f"{fake.last_name()} {facility.group(1).title()}" if facility else fake.city()


def _fake_date(fake: Faker, value: str) -> str:
    """A date between fixed bounds (never "today", so runs agree), written like the original."""
    new = fake.date_between_dates(date(1940, 1, 1), date(2020, 12, 31))
    parsed = parse_date(value)
    return parsed.render(new) if parsed else new.isoformat()


def _fake_age(fake: Faker, value: str) -> str:
    """An age over 89 in place of the original number."""
    age = str(fake.random_int(90, 104))
    return re.sub(r"\d+", age, value, count=1) if re.search(r"\d", value) else age


_SURROGATES: dict[str, Callable[[Faker, str], str]] = {
    "PERSON": _fake_person,
    "LOCATION": _fake_location,
    "DATE_TIME": _fake_date,
    "AGE": _fake_age,
    "PHONE_NUMBER": lambda fake, value: fake.phone_number(),
    "FAX_NUMBER": lambda fake, value: fake.phone_number(),
    "EMAIL_ADDRESS": lambda fake, value: fake.email(),
    "US_SSN": lambda fake, value: fake.ssn(),
    "URL": lambda fake, value: fake.url(),
    "IP_ADDRESS": lambda fake, value: fake.ipv6() if ":" in value else fake.ipv4(),
}  # every other label (record, account, plan, license, device, vehicle numbers, ...) keeps its shape


@register
@dataclass(frozen=True)
class DateShift(Operator):
    """The date moved by a per-patient offset, so intervals between one patient's dates survive."""

    name: ClassVar[str] = "date_shift"
    needs_key: ClassVar[bool] = True
    key: bytes = field(repr=False, metadata={"help": "secret from the environment, never from a file"})
    max_days: int = field(default=365, metadata={"help": "largest shift in days, either way"})

    def __post_init__(self) -> None:
        _check_key(self.key)
        if not isinstance(self.max_days, int) or self.max_days < 1:
            raise ValueError("date_shift: 'max_days' must be a positive integer")

    def offset(self, patient_id: str) -> int:
        """Days to shift this patient's dates: never 0, at most ``max_days`` either way."""
        n = int.from_bytes(_digest(self.key, self.name, patient_id)[:8], "big") % (2 * self.max_days)
        return n - self.max_days if n < self.max_days else n - self.max_days + 1

    def apply(self, value: str, label: str, patient_id: str | None = None) -> str:
        parsed = parse_date(value)
        if parsed is None or patient_id is None:
            return _tag(label)
        try:
            return parsed.render(parsed.day + timedelta(days=self.offset(patient_id)))
        except OverflowError:
            return _tag(label)


@register
@dataclass(frozen=True)
class YearOnly(Operator):
    """The year of a date (Safe Harbor keeps years), else ``[LABEL]``."""

    name: ClassVar[str] = "year_only"

    def apply(self, value: str, label: str, patient_id: str | None = None) -> str:
        parsed = parse_date(value)
        return str(parsed.day.year) if parsed and parsed.has_year else _tag(label)


@register
@dataclass(frozen=True)
class Age90(Operator):
    """An age over 89 becomes ``90+`` (the rest of the phrase kept); ages up to 89 stay."""

    name: ClassVar[str] = "age_90"

    def apply(self, value: str, label: str, patient_id: str | None = None) -> str:
        number = re.search(r"\d+", value)
        if number is None:
            return "90+"
        if int(number.group()) <= 89:
            return value
        return value[: number.start()] + "90+" + value[number.end() :]


# Three-digit ZIP prefixes covering 20,000 people or fewer (HHS, 2000 census): written as 000.
RESTRICTED_ZIP3 = frozenset(
    "036 059 063 102 203 556 692 790 821 823 830 831 878 879 884 890 893".split()
)


@register
@dataclass(frozen=True)
class Zip3(Operator):
    """A ZIP code cut to its first three digits (``021**``), ``000**`` where HHS restricts; else ``[LABEL]``."""

    name: ClassVar[str] = "zip3"

    def apply(self, value: str, label: str, patient_id: str | None = None) -> str:
        zip_code = re.fullmatch(r"\s*(\d{3})\d{2}(?:-\d{4})?\s*", value)
        if zip_code is None:
            return _tag(label)
        prefix = zip_code.group(1)
        return ("000" if prefix in RESTRICTED_ZIP3 else prefix) + "**"


# --- overlaps --------------------------------------------------------------------------------


# Every strategy keeps every character of every span covered: a losing span is trimmed, not dropped.
OVERLAP_STRATEGIES: dict[str, Callable[[list[Span]], list[Span]]] = {
    "longest": lambda spans: claim_in_order(spans, longest_first),
    "first": lambda spans: claim_in_order(spans, earliest_first),
    "merge": unite_overlapping,
}


def resolve_overlaps(spans: Iterable[Span], strategy: str = "longest") -> list[Span]:
    """Sorted, non-overlapping spans covering exactly the characters ``spans`` cover."""
    if strategy not in OVERLAP_STRATEGIES:
        raise ValueError(f"unknown overlap strategy {strategy!r}; known strategies are {sorted(OVERLAP_STRATEGIES)}")
    return OVERLAP_STRATEGIES[strategy](list(spans))


# --- policy ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """Which operator redacts each label, and how overlapping spans are resolved."""

    name: str
    default: Operator = field(default_factory=Tag, metadata={"help": "operator for labels not listed"})
    labels: Mapping[str, Operator] = field(default_factory=dict, metadata={"help": "label -> operator"})
    overlap: str = field(default="longest", metadata={"help": f"one of {sorted(OVERLAP_STRATEGIES)}"})
    key_fingerprint: str | None = None  # of the secret key its operators use (``key_fingerprint``); None without one

    def __post_init__(self) -> None:
        if self.overlap not in OVERLAP_STRATEGIES:
            raise ValueError(
                f"policy {self.name!r}: unknown overlap strategy {self.overlap!r}; "
                f"known strategies are {sorted(OVERLAP_STRATEGIES)}"
            )

    def operator_for(self, label: str) -> Operator:
        """The operator for ``label``: its own, else the default."""
        return self.labels.get(label, self.default)


_POLICY_KEYS = {"name", "key_env", "overlap", "default", "labels"}
_NO_KEY_IN_FILES = "The secret key is read only from the environment variable named by 'key_env', never from a file."


def resolve_policy_path(name_or_path: str | Path) -> Path:
    """A bundled policy name (``safe_harbor``) or a path to a YAML file."""
    return resolve_conf("policy", name_or_path, "policy")


def load_policy(name_or_path: str | Path = DEFAULT_POLICY, env: Mapping[str, str] | None = None) -> Policy:
    """Load a policy by bundled name or YAML path, reading its secret key (if any) from ``env``."""
    raw = yaml.safe_load(resolve_policy_path(name_or_path).read_text(encoding="utf-8"))
    return policy_from_dict(raw, os.environ if env is None else env)


def policy_from_dict(raw: Mapping[str, Any], env: Mapping[str, str]) -> Policy:
    """Build a policy from its YAML mapping; fails now, not mid-document, if a needed key is missing."""
    name = str(raw.get("name", "unnamed"))
    unknown = set(raw) - _POLICY_KEYS
    if unknown:
        raise ValueError(
            f"policy {name!r} has unknown entries {sorted(unknown)}; allowed are {sorted(_POLICY_KEYS)}. {_NO_KEY_IN_FILES}"
        )
    specs = {label: _spec(spec, f"policy {name!r}, label {label}") for label, spec in (raw.get("labels") or {}).items()}
    default = _spec(raw.get("default") or {"operator": "tag"}, f"policy {name!r}, default")
    needing = sorted({s["operator"] for s in (default, *specs.values()) if operator_class(s["operator"]).needs_key})
    key = _read_key(env, str(raw.get("key_env", DEFAULT_KEY_ENV)), name, needing) if needing else None
    return Policy(
        name=name,
        default=_build_operator(default, key, f"policy {name!r}, default"),
        labels={label: _build_operator(spec, key, f"policy {name!r}, label {label}") for label, spec in specs.items()},
        overlap=str(raw.get("overlap", "longest")),
        key_fingerprint=key_fingerprint(key) if key is not None else None,
    )


def _spec(spec: Any, where: str) -> dict[str, Any]:
    """An operator entry checked for shape: a mapping with a known 'operator' and no key in it."""
    if not isinstance(spec, Mapping) or "operator" not in spec:
        raise ValueError(f"{where}: expected a mapping like {{operator: tag}}")
    if "key" in spec:
        raise ValueError(f"{where}: operators take no 'key' parameter. {_NO_KEY_IN_FILES}")
    try:
        operator_class(str(spec["operator"]))
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None
    return dict(spec)


def _build_operator(spec: dict[str, Any], key: bytes | None, where: str) -> Operator:
    """An operator instance from its checked YAML entry, given the key if it needs one."""
    params = {k: v for k, v in spec.items() if k != "operator"}
    cls = operator_class(str(spec["operator"]))
    accepted = sorted(f.name for f in dataclasses.fields(cls) if f.name != "key")  # type: ignore[arg-type]
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        raise ValueError(f"{where}: operator {cls.name!r} takes parameters {accepted}, not {unknown}")
    return cls(**params, **({"key": key} if cls.needs_key else {}))


# --- redaction -------------------------------------------------------------------------------


def redact(text: str, spans: Iterable[Span], policy: Policy, patient_id: str | None = None) -> RedactionResult:
    """Replace each span by its label's operator output, overlaps resolved by the policy's strategy."""
    resolved = resolve_overlaps((span.check(text) for span in spans), policy.overlap)
    edits = [(span, policy.operator_for(span.label)) for span in resolved]
    news = [operator.apply(text[span.start : span.end], span.label, patient_id) for span, operator in edits]
    replacements, shift = [], 0
    for (span, operator), new in zip(edits, news):
        new_start = span.start + shift
        replacements.append(Replacement(span.label, span.start, span.end, new_start, new_start + len(new), operator.name))
        shift += len(new) - (span.end - span.start)
    logger.debug("redacted %d spans by label %s", len(replacements), dict(Counter(r.label for r in replacements)))
    return RedactionResult(_apply_from_end(text, resolved, news), replacements)


def _apply_from_end(text: str, spans: list[Span], news: list[str]) -> str:
    """Splice the replacements in from the last to the first, so earlier offsets stay valid."""
    pieces, cursor = [], len(text)
    for span, new in zip(reversed(spans), reversed(news)):
        pieces += [text[span.end : cursor], new]
        cursor = span.start
    pieces.append(text[:cursor])
    return "".join(reversed(pieces))


def suppress(text: str) -> RedactionResult:
    """The whole document replaced by one marker, for text that cannot be trusted to redact span by span."""
    return RedactionResult(
        SUPPRESSED_MARKER, [Replacement("DOCUMENT", 0, len(text), 0, len(SUPPRESSED_MARKER), "suppress")]
    )
