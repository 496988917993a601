"""The one diagnostic type every stage produces and every front end renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # a compliance finding the supervising office has registered (the 问题清单 ledger)


@dataclass(frozen=True, order=True)
class Violation:
    """One finding, located in a file.

    ``message`` and ``hint`` hold one text per language (``zh``, ``en``); reporters choose.
    ``article`` is the regulation's article number, or None for checks of form (YAML, schema).
    """

    path: str
    line: int
    column: int
    rule: str
    article: int | None = None
    severity: Severity = Severity.ERROR
    message: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    hint: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # The message as the public may read it (privacy.public_params): None when it is the message.
    public_message: dict[str, str] | None = field(default=None, compare=False, hash=False, repr=False)
    # A compliance finding's stable identity (rule@kind/record/where), the same across re-checks and
    # unrelated edits; None for integrity problems (file, YAML, schema, references, layout …).
    finding: str | None = field(default=None, compare=False, hash=False)
    # The ledger's word on it: status (待登记, 整改中 …), registration id, and for --base whether the
    # change introduced it ("new") or it was there before ("existing").
    ledger: dict[str, str] | None = field(default=None, compare=False, hash=False, repr=False)
    # A compliance finding's fact: a digest of the values its message states (privacy.fact_digest). A
    # registration names it beside the finding's id, so it covers that fact and no later one.
    fact: str | None = field(default=None, compare=False, hash=False, repr=False)
    # Two findings of one rule at one place differ by what they say: the message is part of a
    # Violation's identity (a set never merges "missing 主要领导" with "missing 分管领导").
    identity: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "identity", tuple(sorted(self.message.items())))

    def text(self, lang: str) -> str:
        return self.message.get(lang) or self.message.get("zh", "")

    def public_text(self, lang: str) -> str:
        texts = self.public_message if self.public_message is not None else self.message
        return texts.get(lang) or texts.get("zh", "")

    def hint_text(self, lang: str) -> str:
        return self.hint.get(lang) or self.hint.get("zh", "")

    def to_json(self, lang: str) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "article": self.article,
            "severity": self.severity.value,
            "message": self.text(lang),
            "hint": self.hint_text(lang),
            **({"finding": self.finding} if self.finding else {}),
            **({"fact": self.fact} if self.fact else {}),
            **(self.ledger or {}),
        }

    def to_data(self) -> dict[str, Any]:
        """Every field, as JSON data (the parse cache, a forked judge's answer); ``from_data`` reverses it."""
        return {"path": self.path, "line": self.line, "column": self.column, "rule": self.rule, "article": self.article,
                "severity": self.severity.value, "message": self.message, "hint": self.hint,
                "public_message": self.public_message, "finding": self.finding, "ledger": self.ledger, "fact": self.fact}

    @classmethod
    def from_data(cls, d: dict[str, Any]) -> Violation:
        return cls(path=str(d["path"]), line=int(d["line"]), column=int(d["column"]), rule=str(d["rule"]),
                   article=d["article"], severity=Severity(d["severity"]), message=dict(d["message"]), hint=dict(d["hint"]),
                   public_message=d.get("public_message"), finding=d.get("finding"), ledger=d.get("ledger"), fact=d.get("fact"))


def has_errors(violations: list[Violation]) -> bool:
    return any(v.severity is Severity.ERROR for v in violations)
