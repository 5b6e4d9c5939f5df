"""Echo-constrained decoding: the model may only write its input back, with entity tags around ranges.

At every step a token is allowed only when its whole text continues the echo: the next bytes of
the (neutralised) input, an opening ``<LABEL>`` from the entity set where no tag is open, or the
closing tag of the open one after at least one character; the end of turn only once the input is
consumed and no tag is open. The automaton works on UTF-8 bytes, because a byte-level BPE token
may hold part of a character (CJK, emoji) or straddle text and tag characters (``" <"``, ``">."``).
Tags open and close only on character boundaries, so every echo decodes to valid text; never at a
value's edge inside whitespace (a value starts and ends with a non-space); and never inside a word
of a cased script or a run of digits (uncased scripts such as CJK write names without spaces).

Where a tag may open, the model's probability of opening one (its softmax mass on the allowed
tokens that open a tag, over the mass on all allowed tokens) is the span's confidence. With a
threshold ``tau`` the decoder opens a tag whenever that probability reaches ``tau`` and copies the
text otherwise; the label is then the model's most likely one. Without ``tau`` it decodes greedily
under the constraint. ``tau_capital``, when set, is the threshold instead where the text goes on with a capital
letter, a digit or a letter of another script (after spaces and opening punctuation): most PHI starts there,
so a lower threshold buys recall where it is likely and leaves lower-case words at ``tau``.

Both engines use :class:`EchoDecoder` (one per sequence) over one :class:`TokenIndex` (one per tokenizer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Sequence

from deid.tags import TAG_LIKE, neutralise

LT = 0x3C  # "<"
# An opening tag in the echo (bytes); closing tags start with "</".
_OPEN_TAG = re.compile(rb"<([A-Za-z_][A-Za-z0-9_]*)>")

# A position in the echo: (input bytes consumed, open label index or -1, where the open span started,
# the tag bytes typed so far or b"", whether a tag was opened within the current token).
Config = tuple[int, int, int, bytes, bool]


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2's byte-level BPE alphabet: each byte is written as one printable character."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    chars = printable[:]
    extra = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + extra)
            extra += 1
    return dict(zip(printable, map(chr, chars)))


def _is_byte_level(tokenizer: Any) -> bool:
    backend = getattr(tokenizer, "backend_tokenizer", None)
    decoder = getattr(backend, "decoder", None)
    return decoder is not None and type(decoder).__name__ == "ByteLevel"


@dataclass
class _Node:
    children: dict[int, _Node] = field(default_factory=dict)
    ids: list[int] = field(default_factory=list)


@lru_cache(maxsize=4)
def token_index(tokenizer_path: str) -> TokenIndex:
    """The index of the tokenizer saved at ``tokenizer_path``, built once per process (about 1 s)."""
    from transformers import AutoTokenizer

    return TokenIndex(AutoTokenizer.from_pretrained(tokenizer_path))


class TokenIndex:
    """The tokenizer's vocabulary as a byte trie; special tokens other than the end of turn are never allowed."""

    def __init__(self, tokenizer: Any) -> None:
        if not _is_byte_level(tokenizer):
            raise ValueError(
                "echo-constrained decoding needs a byte-level BPE tokenizer (GPT-2 style, as SmolLM2's); "
                "set detect.decoding: free for this model"
            )
        decode = {c: b for b, c in _bytes_to_unicode().items()}
        special = set(getattr(tokenizer, "added_tokens_decoder", {}) or {}) | set(tokenizer.all_special_ids)
        self.eos_id: int = int(tokenizer.eos_token_id)
        self.vocab_size = len(tokenizer)
        self.root = _Node()
        self.token_bytes: dict[int, bytes] = {}
        for piece, token_id in tokenizer.get_vocab().items():
            if token_id in special or not piece:
                continue
            raw = bytes(decode[c] for c in piece)
            self.token_bytes[token_id] = raw
            node = self.root
            for b in raw:
                node = node.children.setdefault(b, _Node())
            node.ids.append(token_id)


@lru_cache(maxsize=8)
def _tag_table(labels: tuple[str, ...]) -> tuple[dict[bytes, int], dict[bytes, frozenset[int]], tuple[bytes, ...]]:
    """Opening tags -> label index; partial opening tag -> next possible bytes; closing tag per label."""
    opens = {f"<{label}>".encode(): i for i, label in enumerate(labels)}
    following: dict[bytes, set[int]] = {}
    for tag in opens:
        for k in range(1, len(tag)):
            following.setdefault(tag[:k], set()).add(tag[k])
    closes = tuple(f"</{label}>".encode() for label in labels)
    return opens, {k: frozenset(v) for k, v in following.items()}, closes


class EchoAutomaton:
    """The echoes of one text: its neutralised bytes in order, with non-nested tags around whole words or digit runs."""

    def __init__(self, text: str, labels: Sequence[str]) -> None:
        neutral = neutralise(text)
        self.target = neutral.encode("utf-8")
        self.labels = tuple(labels)
        self._opens, self._following, self._closes = _tag_table(self.labels)
        self.start: frozenset[Config] = frozenset({(0, -1, -1, b"", False)})
        # Tags stand on character boundaries and hug their value: a span never starts or ends with
        # whitespace, as in training (gold spans are trimmed). Without this rule a model pushed off
        # its path was seen wrapping runs of spaces and line breaks in tags, one after another.
        # Nor do they split a word of a cased script or a run of digits ("Pa|squal" was seen when a
        # word's tokens strayed from the tokenizer's own split); uncased scripts (CJK) write names
        # without spaces, so there any boundary stays open.
        self._may_open = bytearray(len(self.target) + 1)
        self._may_close = bytearray(len(self.target) + 1)
        at = 0
        for i, ch in enumerate(neutral):
            inside = i > 0 and _same_run(neutral[i - 1], ch)
            self._may_open[at] = not ch.isspace() and not inside
            self._may_close[at] = self._may_close[at] and not inside
            at += len(ch.encode("utf-8"))
            self._may_close[at] = not ch.isspace()
        # Where an open tag can still be closed last: no text past it may be copied inside a tag,
        # or the echo would reach a dead end (a tag that can neither close nor go on).
        self._last_close = max((q for q, ok in enumerate(self._may_close) if ok), default=0)

    def candidates(self, config: Config) -> Iterable[int]:
        """The bytes that may follow in this configuration."""
        pos, label, _, buf, _ = config
        if not buf:
            return (self.target[pos], LT) if pos < len(self.target) else (LT,)
        if label < 0:
            return self._following.get(buf, ())
        close = self._closes[label]
        return (close[len(buf)],)

    def step(self, configs: Iterable[Config], b: int) -> frozenset[Config]:
        """The configurations after writing byte ``b``; empty when ``b`` cannot follow."""
        out: set[Config] = set()
        n = len(self.target)
        for pos, label, start, buf, opened in configs:
            if not buf:
                if pos < n and self.target[pos] == b and (label < 0 or pos < self._last_close):
                    out.add((pos + 1, label, start, b"", opened))
                if b == LT:
                    if label < 0 and self._may_open[pos]:
                        out.add((pos, -1, pos, b"<", True))
                    elif label >= 0 and pos > start and self._may_close[pos]:
                        out.add((pos, label, start, b"<", opened))
                continue
            tag = buf + bytes((b,))
            if label < 0:
                if tag in self._opens:
                    out.add((pos, self._opens[tag], pos, b"", opened))
                elif tag in self._following:
                    out.add((pos, -1, start, tag, opened))
            elif tag == self._closes[label]:
                out.add((pos, -1, -1, b"", opened))
            elif self._closes[label].startswith(tag):
                out.add((pos, label, start, tag, opened))
        return frozenset(out)

    def at_end(self, configs: Iterable[Config]) -> bool:
        """Whether the echo may end here: the whole input written and no tag open."""
        return any(pos == len(self.target) and label < 0 and not buf for pos, label, _, buf, _ in configs)


def _same_run(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` belong to one word of a cased script, or one run of digits."""
    if a.isdigit() and b.isdigit():
        return True
    return a.isalpha() and b.isalpha() and a.lower() != a.upper() and b.lower() != b.upper()


def _settle(configs: frozenset[Config]) -> frozenset[Config]:
    """The configurations at a token boundary: the opened-in-this-token flag cleared."""
    return frozenset((p, lab, s, buf, False) for p, lab, s, buf, _ in configs)


@dataclass(frozen=True)
class Allowed:
    """The next tokens of one sequence: those that open a tag, those that do not (end of turn included)."""

    opening: list[int]
    other: list[int]

    @property
    def decision(self) -> bool:
        """Whether the model chooses here between opening a tag and not."""
        return bool(self.opening) and bool(self.other)


class EchoDecoder:
    """The constraint for one sequence: feed it the generated tokens, ask what may come next."""

    def __init__(
        self, index: TokenIndex, text: str, labels: Sequence[str], tau: float | None = None, tau_capital: float | None = None
    ) -> None:
        for name, value in (("tau", tau), ("tau_capital", tau_capital)):
            if value is not None and not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be in [0, 1] or None, got {value}")
        if tau_capital is not None and tau is None:
            raise ValueError("tau_capital needs tau: it is a second threshold, not a decoding of its own")
        self.index = index
        self.automaton = EchoAutomaton(text, labels)
        self.tau = tau
        self.tau_capital = tau_capital
        self.configs = self.automaton.start
        self.consumed = 0  # generated tokens fed so far
        self.open_probs: list[float | None] = []  # per generated token: P(open) where the model chose, else None

    def advance(self, token_ids: Sequence[int]) -> None:
        """Feed the generated tokens not seen yet (``token_ids`` is the whole generated sequence)."""
        for token_id in token_ids[self.consumed :]:
            if token_id == self.index.eos_id:
                self.configs = frozenset()
            else:
                configs = self.configs
                for b in self.index.token_bytes.get(token_id, b"\x00\x00"):
                    configs = self.automaton.step(configs, b)
                self.configs = _settle(configs)
            self.consumed += 1

    def allowed(self) -> Allowed:
        """The tokens whose whole text continues the echo from here."""
        opening: list[int] = []
        other: list[int] = []
        if self.automaton.at_end(self.configs):
            other.append(self.index.eos_id)
        stack = [(self.index.root, self.configs)]
        while stack:
            node, configs = stack.pop()
            for b in {b for c in configs for b in self.automaton.candidates(c)}:
                child = node.children.get(b)
                if child is None:
                    continue
                after = self.automaton.step(configs, b)
                if not after:
                    continue
                if child.ids:
                    if any(c[4] for c in after):
                        opening.extend(child.ids)
                    if not all(c[4] for c in after):
                        other.extend(child.ids)
                if child.children:
                    stack.append((child, after))
        return Allowed(opening, other)

    def _capital_next(self) -> bool:
        """Whether the text goes on (after spaces and opening punctuation) with a capital, a digit or a non-ASCII letter."""
        target = self.automaton.target
        positions = [c[0] for c in self.configs if c[1] < 0]
        pos = min(positions) if positions else len(target)
        while pos < len(target) and target[pos] in b" \t\n\r([\"'#":
            pos += 1
        if pos >= len(target):
            return False
        b = target[pos]
        return 0x41 <= b <= 0x5A or 0x30 <= b <= 0x39 or b >= 0xC0

    def constrain(self, logits: Any) -> None:
        """Mask one sequence's next-token logits (a 1-D torch tensor) in place to the allowed tokens.

        Where the model chooses between opening a tag and not, its probability of opening is
        recorded for this step; with ``tau`` set, only opening (P >= tau) or only not-opening
        tokens stay allowed.
        """
        import torch

        allowed = self.allowed()
        keep = allowed.opening + allowed.other
        prob: float | None = None
        if allowed.decision:
            ids = torch.tensor(keep, dtype=torch.long, device=logits.device)
            probs = torch.softmax(logits.index_select(0, ids).float(), dim=0)
            prob = float(probs[: len(allowed.opening)].sum())
            if self.tau is not None:
                threshold = self.tau_capital if self.tau_capital is not None and self._capital_next() else self.tau
                keep = allowed.opening if prob >= threshold else allowed.other
        # Indexed by step: an engine may ask again for the same step (vLLM during a chunked prefill).
        del self.open_probs[self.consumed :]
        self.open_probs.append(prob)
        ids = torch.tensor(keep or [self.index.eos_id], dtype=torch.long, device=logits.device)
        kept = logits.index_select(0, ids)
        logits.fill_(float("-inf"))
        logits.index_copy_(0, ids, kept)


def tag_confidences(index: TokenIndex, token_ids: Sequence[int], open_probs: Sequence[float | None]) -> tuple[float, ...]:
    """The model's probability of opening each opening tag of an echo, in order of appearance.

    Each opening tag takes the probability recorded at the step whose token holds its ``<``.
    """
    ends: list[int] = []
    chunks: list[bytes] = []
    size = 0
    for token_id in token_ids:
        raw = index.token_bytes.get(token_id, b"")
        chunks.append(raw)
        size += len(raw)
        ends.append(size)
    text = b"".join(chunks)
    out: list[float] = []
    step = 0
    for m in _OPEN_TAG.finditer(text):
        while ends[step] <= m.start():
            step += 1
        prob = open_probs[step] if step < len(open_probs) else None
        out.append(1.0 if prob is None else round(prob, 4))
    return tuple(out)


def tagged_ranges(output: str) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` of each tagged value of an echo, in characters of the untagged echo, in order of opening."""
    ranges: list[tuple[int, int, str]] = []
    removed = 0
    open_at: tuple[int, str] | None = None
    for m in TAG_LIKE.finditer(output):
        at = m.start() - removed
        removed += m.end() - m.start()
        name = m.group(1)
        if not name.startswith("/"):
            open_at = (at, name)
        elif open_at is not None:
            ranges.append((open_at[0], at, open_at[1]))
            open_at = None
    return ranges
