"""What the public may see, decided in one place for the checks, the findings and the site.

- A record is public when ``visibility`` is ``public`` and it carries no 密级.
- A public record's fields named in ``private_fields``, and the fields that exist to explain
  non-disclosure or for internal notes, are never published.
- Personal numbers (mobile, ID card) are found with ONE pattern set, Art. 43's policy parameter
  ``fault-tolerance.no-personal-data.patterns``, after normalising the text: digits of any script
  and Chinese numerals become ASCII digits, and groups of digits with only non-letters between them
  (spaces, punctuation, symbols, invisible characters) are tried as one number. The rule that
  rejects such numbers and the site that masks them use the same matcher.
- A finding's public text names another record only by reference (its id when that record is
  public, （不公开记录） otherwise) and never quotes a private field (README 安全与隐私). A unit is
  named by reference too (``UnitRef``): by its name only where every field naming it is public.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from zhixing.regexes import width

ALWAYS_PRIVATE = ("private_fields", "nonpublic_basis", "notes")
HIDDEN_RECORD = "（不公开记录）"
HIDDEN_TEXT = "（不公开内容）"
MASK = "＊＊＊"

# A number as people write it, or write it to dodge a filter: its digits in any script (full-width
# ０, Arabic-Indic ٣, circled ①), in Chinese numerals (一三八、〇/零/○, 幺, 壹…玖) and with anything
# between them that is not a letter: spaces, punctuation (、，_ * - . / ( )), symbols and invisible
# characters. Each character is folded once (_Fold, cached): a digit becomes its ASCII digit, a
# separator a space, anything else stays; then each run of digit groups with only separators
# between them is tried against the patterns, whole and in parts (_candidates).
_SEPARATOR_CATEGORIES = frozenset(("Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf"))
_ZERO_LOOKALIKES = frozenset("○〇◯")  # a white circle for 〇, as typed on a phone


class _Fold(dict[int, str]):
    """str.translate's table: each code point decided on first sight, then looked up in C."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char) if not char.isascii() else char
        value = unicodedata.numeric(char, None) if char.isnumeric() else None
        if char.isdigit() and len(folded) == 1 and folded.isdigit():
            out = str(unicodedata.digit(folded))
        elif value is not None and value == int(value) and 0 <= value <= 9 and not char.isdigit():
            out = str(int(value))  # 一 三 八, 零, 幺, 壹 … 玖, Ⅷ
        elif char in _ZERO_LOOKALIKES:
            out = "0"
        elif char == "+":
            out = "+"
        elif unicodedata.category(char) in _SEPARATOR_CATEGORIES or not char.strip():
            out = " "
        else:
            out = char
        self[code] = out
        return out


_FOLD = _Fold()
# A group of digits as the fold leaves it: a + may lead it (+86), an X may end it (an ID card's check
# digit). A number is one group or several with only separators between them.
_GROUP = re.compile(r"[+]?[0-9]+[Xx]?")
_LONGEST = 24  # characters: no personal number is longer (an ID card is 18, +86 and a mobile 14)


def _maybe_number(text: str) -> bool:
    """The text may hold a number in some script (most texts of a record with any Chinese do)."""
    return any(map(str.isnumeric, text)) or any(char in text for char in _ZERO_LOOKALIKES)


def is_public(data: Mapping[str, Any]) -> bool:
    return data.get("visibility") == "public" and not data.get("classification")


def hidden_fields(data: Mapping[str, Any]) -> set[str]:
    return set(ALWAYS_PRIVATE) | set(data.get("private_fields") or [])


def _runs(folded: str) -> list[list[tuple[int, int]]]:
    """The digit groups of a folded text, in runs with only separators between groups."""
    runs: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for found in _GROUP.finditer(folded):
        if current and folded[current[-1][1]:found.start()].strip(" "):  # a letter or a word between
            runs.append(current)
            current = []
        current.append(found.span())
    if current:
        runs.append(current)
    return runs


def _candidates(text: str, shortest: int, longest: int) -> Iterator[tuple[str, int, int]]:
    """(digits, start, end) for every stretch of consecutive digit groups of one run whose digits
    number from ``shortest`` to ``longest``: "138、0013、8000；139 0013 9000" gives each number and its
    parts, never the two joined. The fold maps one character to one, so a place in the folded text
    is the same place in the original. Linear: each group starts a bounded number of stretches."""
    folded = text.translate(_FOLD)
    for run in _runs(folded):
        pieces = [folded[start:end] for start, end in run]
        totals = list(itertools.accumulate(map(len, pieces)))
        for first in range(len(run)):
            before = totals[first - 1] if first else 0
            last = bisect.bisect_left(totals, before + shortest - 1, first)  # -1: an X that may not count
            while last < len(run) and totals[last] - before <= longest + 1:
                digits = "".join(pieces[first:last + 1])
                yield digits, run[first][0], run[last][1]
                if digits[-1] in "Xx":  # the X may be a letter after a number rather than its check digit
                    yield digits[:-1], run[first][0], run[last][1] - 1
                last += 1


@dataclass(frozen=True)
class PersonalData:
    """Art. 43's personal-number patterns, applied to normalised text."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...]

    @functools.cached_property
    def shortest(self) -> int:
        return min((width(p.pattern)[0] for _, p in self.patterns), default=0)

    @functools.cached_property
    def longest(self) -> int:
        return min(max((width(p.pattern)[1] for _, p in self.patterns), default=0), _LONGEST)

    @classmethod
    def from_patterns(cls, patterns: Mapping[str, str]) -> PersonalData:
        """One matcher per pattern set: the rule, the engine and the integrity check share it."""
        return _matcher(tuple(patterns.items()))

    def spans(self, text: str) -> Iterator[tuple[str, int, int]]:
        """(what, start, end) in the original text of every personal number."""
        if not _maybe_number(text) or not self.patterns:
            return
        for digits, start, end in _candidates(text, self.shortest, self.longest):
            for what, pattern in self.patterns:
                if pattern.fullmatch(digits):
                    yield what, start, end

    def find(self, text: str) -> str | None:
        """What kind of personal number the text holds, or None."""
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


@dataclass(frozen=True)
class UnitRef:
    """A unit named in a finding, by reference: printed by its name, shown in public only when every
    field that names it here is public (a unit in ``private_fields: [attending_units]`` is as private
    by its name as by its id)."""

    id: str
    name: str
    public: bool

    def __str__(self) -> str:
        return self.name

    def __format__(self, spec: str) -> str:
        return format(self.name, spec)


_NOT_FACTS = ("today",)


def fact_digest(params: Mapping[str, Any], rule_values: list[Any] | tuple[Any, ...] = ()) -> str:
    """Twelve hex digits of the values a finding quotes from the records (participants 180 …):
    references by id, quotes by value; the rule's own parameter values in force (the limit 150) and
    the check's day are left out, as they are the rule, not the fact. A registration binds itself to
    these; when they change, so does this."""

    def plain(value: Any) -> Any:
        if isinstance(value, (RecordRef, UnitRef)):
            return value.id
        if isinstance(value, Quote):
            return plain(value.value)
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)

    # the day a check runs as of is not a fact: an overdue finding's fact stays the same from day to day
    rule = [plain(v) for v in rule_values]
    facts = {str(k): plain(v) for k, v in params.items() if k not in _NOT_FACTS}
    text = json.dumps({k: v for k, v in facts.items() if v not in rule}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def unit_ref(corpus: Any, unit_id: str, *named_by: tuple[Any, str]) -> UnitRef:
    """``unit_id`` as the finding names it, with the (record, field) pairs that name it: public only
    if each such field is public."""
    public = all(is_public(record.data) and field not in hidden_fields(record.data) for record, field in named_by)
    return UnitRef(unit_id, corpus.unit_name(unit_id), public)


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
        if isinstance(value, UnitRef):
            return value.name if value.public else HIDDEN_TEXT
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
