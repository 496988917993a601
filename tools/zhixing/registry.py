"""The rule registry: one small pure function per rule, registered with its id and article.

A record rule takes ``(record, policy, corpus)`` and yields Findings about that record; a corpus
rule takes ``(corpus, policy)`` and yields Findings anywhere. Neither does I/O or prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from zhixing.policies import RulePolicy
from zhixing.records import Corpus, Finding, Record

RecordCheck = Callable[[Record, RulePolicy, Corpus], Iterable[Finding]]
CorpusCheck = Callable[[Corpus, RulePolicy], Iterable[Finding]]


@dataclass(frozen=True)
class RegisteredRule:
    id: str
    article: int
    scope: Literal["record", "corpus"]
    check: RecordCheck | CorpusCheck
    doc: str
    # Record kinds the rule looks at besides its own (plans a document cites, the registry's
    # targets): a change to one of them can change this rule's verdict.
    reads: tuple[str, ...] = ()


RULES: dict[str, RegisteredRule] = {}


def _register(rule_id: str, article: int, scope: Literal["record", "corpus"], reads: tuple[str, ...]) -> Callable:
    def wrap(func: Callable) -> Callable:
        if rule_id in RULES:
            raise RuntimeError(f"rule {rule_id} registered twice")
        RULES[rule_id] = RegisteredRule(rule_id, article, scope, func, (func.__doc__ or "").strip(), reads)
        return func

    return wrap


def rule(rule_id: str, *, article: int, reads: tuple[str, ...] = ()) -> Callable[[RecordCheck], RecordCheck]:
    """Register a check of one record (``reads``: other kinds it looks up in the corpus)."""
    return _register(rule_id, article, "record", reads)


def corpus_rule(rule_id: str, *, article: int, reads: tuple[str, ...] = ()) -> Callable[[CorpusCheck], CorpusCheck]:
    """Register a check across the whole corpus (counts per unit and year, overlaps, references)."""
    return _register(rule_id, article, "corpus", reads)


def load_all() -> dict[str, RegisteredRule]:
    """Import every rule module, so that their decorators run, and return the registry."""
    from zhixing.rules import ALL_MODULES  # noqa: F401  (imported for its side effect)

    return RULES
