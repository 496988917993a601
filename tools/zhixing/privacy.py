"""What the public may see, decided in one place for the checks, the findings and the site.

- A record is public when ``visibility`` is ``public`` and it carries no 密级.
- A public record's fields named in ``private_fields``, and the fields that exist to explain
  non-disclosure or for internal notes, are never published.
- Personal numbers (mobile, ID card) are found with ONE pattern set, Art. 43's policy parameter
  ``fault-tolerance.no-personal-data.patterns``, after normalising the text: full-width digits
  become ASCII (NFKC), and spaces, hyphens, dots and invisible characters between digits are
  dropped. The rule that rejects such numbers and the site that masks them use the same matcher.
- A finding's public text names another record only by reference (its id when that record is
  public, （不公开记录） otherwise) and never quotes a private field (README 安全与隐私).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

ALWAYS_PRIVATE = ("private_fields", "nonpublic_basis", "notes")
HIDDEN_RECORD = "（不公开记录）"
HIDDEN_TEXT = "（不公开内容）"
MASK = "＊＊＊"

# Characters that may sit between the digits of one number as written by people or to dodge a
# filter: spaces (ASCII, full-width, no-break), hyphens and dashes, dots, and invisible characters.
_SEPARATORS = frozenset(" \t\u00a0\u3000-‐‑‒–—―－.．·・\u200b\u200c\u200d\u2060\ufeff\u00ad/／()（）")
# The same for ASCII text, in one pass (``find`` on ids and file names): the ASCII separators and
# whitespace between a digit (or a leading +) and a digit are dropped, as _normalise drops them.
_ASCII_SEPARATORS = "".join(sorted(c for c in map(chr, range(128)) if c in _SEPARATORS or not c.strip()))
_ASCII_BETWEEN_DIGITS = re.compile(f"(?<=[0-9+])[{re.escape(_ASCII_SEPARATORS)}]+(?=[0-9])")


def is_public(data: Mapping[str, Any]) -> bool:
    return data.get("visibility") == "public" and not data.get("classification")


def hidden_fields(data: Mapping[str, Any]) -> set[str]:
    return set(ALWAYS_PRIVATE) | set(data.get("private_fields") or [])


def _normalise(text: str) -> tuple[str, list[int]]:
    """The text with full-width forms folded (NFKC) and separators between digits dropped, and for
    each kept character its index in the original text."""
    out: list[str] = []
    where: list[int] = []
    pending: list[int] = []  # separators seen since the last digit
    for index, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char) if not char.isascii() else char
        if char in _SEPARATORS or folded in _SEPARATORS or not folded.strip():
            if out and (out[-1].isdigit() or out[-1] == "+"):
                pending.append(index)
                continue
        elif pending and not folded[:1].isdigit():
            # the separators did not sit between digits: keep them as they were
            for p in pending:
                out.append(text[p])
                where.append(p)
        pending = []
        for piece in folded:
            out.append(piece)
            where.append(index)
    for p in pending:
        out.append(text[p])
        where.append(p)
    return "".join(out), where


@dataclass(frozen=True)
class PersonalData:
    """Art. 43's personal-number patterns, applied to normalised text."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...]

    @classmethod
    def from_patterns(cls, patterns: Mapping[str, str]) -> PersonalData:
        """One matcher per pattern set: the rule, the engine and the integrity check share it."""
        return _matcher(tuple(patterns.items()))

    def spans(self, text: str) -> Iterator[tuple[str, int, int]]:
        """(what, start, end) in the ORIGINAL text of every personal number."""
        if not any(map(str.isdigit, text)):  # map: no Python frame per character
            return
        normal, where = _normalise(text)
        for what, pattern in self.patterns:
            for found in pattern.finditer(normal):
                yield what, where[found.start()], where[found.end() - 1] + 1

    def find(self, text: str) -> str | None:
        """What kind of personal number the text holds, or None."""
        if text.isascii():  # ids, file names: no folding, so no index map to build
            if not any(map(str.isdigit, text)):  # map: no Python frame per character
                return None
            normal = _ASCII_BETWEEN_DIGITS.sub("", text)
            for what, pattern in self.patterns:
                if pattern.search(normal):
                    return what
            return None
        return next((what for what, _, _ in self.spans(text)), None)

    def mask(self, text: str) -> str:
        # Records repeat their texts (dates, units, kinds, names): each distinct one is scanned once.
        return _masked(self, text)

    def _mask(self, text: str) -> str:
        spans = sorted((s, e) for _, s, e in self.spans(text))
        if not spans:
            return text
        out, last = [], 0
        for start, end in spans:
            if start < last:
                last = max(last, end)
                continue
            out.append(text[last:start])
            out.append(MASK)
            last = end
        out.append(text[last:])
        return "".join(out)

    def mask_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.mask(value)
        if isinstance(value, list):
            return [self.mask_value(v) for v in value]
        if isinstance(value, dict):
            return {k: self.mask_value(v) for k, v in value.items()}
        return value


@functools.lru_cache(maxsize=1 << 16)
def _masked(personal: PersonalData, text: str) -> str:
    return personal._mask(text)


@functools.lru_cache(maxsize=8)
def _matcher(patterns: tuple[tuple[str, str], ...]) -> PersonalData:
    return PersonalData(tuple((what, re.compile(p)) for what, p in patterns))


def public_view(data: Mapping[str, Any], personal: PersonalData) -> dict[str, Any] | None:
    """The public fields of a public record, personal numbers masked; None for a non-public one."""
    if not is_public(data):
        return None
    hidden = hidden_fields(data)
    return {key: personal.mask_value(value) for key, value in data.items() if key not in hidden}


def private_strings(data: Mapping[str, Any]) -> set[str]:
    """Every string a record keeps from the public: all of a non-public record's, and a public
    record's private fields'."""
    if not is_public(data):
        return set(_strings(dict(data)))
    return {s for key in hidden_fields(data) if key in data for s in _strings(data[key])}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield str(value)  # a private number (participants) is as private as a private text
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)


@dataclass(frozen=True)
class RecordRef:
    """Another record, named in a finding by reference only: its id, or （不公开记录） in public."""

    kind: str
    id: str
    public: bool

    def __str__(self) -> str:
        return self.id

    def __format__(self, spec: str) -> str:
        return format(self.id, spec)


@dataclass(frozen=True)
class Quote:
    """A field of another record quoted in a finding: shown in public only when that field is."""

    value: Any
    public: bool

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


def ref(record: Any) -> RecordRef:
    return RecordRef(record.kind, record.id, is_public(record.data))


def quote(record: Any, field: str) -> Quote:
    """``record``'s top-level ``field``, marked public or not by that record's own settings."""
    return Quote(record.data.get(field), is_public(record.data) and field not in hidden_fields(record.data))


def public_params(params: Mapping[str, Any], owner: Mapping[str, Any] | None, personal: PersonalData | None) -> dict[str, Any]:
    """A finding's parameters as the public may read them: references to non-public records and
    quotes of private fields hidden, the owner's private values withheld, personal numbers masked.
    Whole parameters are replaced, never substrings of the message."""
    private = private_strings(owner) if owner is not None else set()
    secret = {s for s in private if len(s) >= 2}

    def clean(value: Any) -> Any:
        if isinstance(value, RecordRef):
            return value.id if value.public else HIDDEN_RECORD
        if isinstance(value, Quote):
            return clean(value.value) if value.public else HIDDEN_TEXT
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return HIDDEN_TEXT if str(value) in private else value
        if isinstance(value, str):
            if value in private or any(s in value or (len(value) >= 2 and value in s) for s in secret):
                return HIDDEN_TEXT
            return personal.mask(value) if personal else value
        return value

    return {key: clean(value) for key, value in params.items()}
