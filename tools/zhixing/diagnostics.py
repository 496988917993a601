"""The one diagnostic type every stage produces and every front end renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


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

    def text(self, lang: str) -> str:
        return self.message.get(lang) or self.message.get("zh", "")

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
        }


def has_errors(violations: list[Violation]) -> bool:
    return any(v.severity is Severity.ERROR for v in violations)
