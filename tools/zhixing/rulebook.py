"""The rulebook: each rule's code, registered by its id. What the rule is about — its article, its
record kind, its title, parameters and messages — lives in policies/ under the same id; the code
holds only the check. A record rule takes ``(record, policy, corpus)`` and yields Findings about
that record; a corpus rule takes ``(corpus, policy)`` and yields Findings anywhere. Neither does
I/O or prints. Each rule's docstring holds its PASS and FAIL examples, shown on the article pages
and by ``zhixing rules``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from zhixing.policies import PolicySet, RulePolicy
from zhixing.records import Corpus, Finding, Record

RecordCheck = Callable[[Record, RulePolicy, Corpus], Iterable[Finding]]
CorpusCheck = Callable[[Corpus, RulePolicy], Iterable[Finding]]


@dataclass(frozen=True)
class RecordRule:
    id: str
    check: RecordCheck
    doc: str
    # Record kinds the rule looks at besides its own (plans a document cites, the registry's
    # targets): a change to one of them can change this rule's verdict.
    reads: tuple[str, ...] = ()
    scope: Literal["record"] = "record"


@dataclass(frozen=True)
class CorpusRule:
    id: str
    check: CorpusCheck
    doc: str
    reads: tuple[str, ...] = ()
    scope: Literal["corpus"] = "corpus"
    # "unit": what the rule finds about a unit depends only on that unit's own records (its folder)
    # of the kinds it reads, plus approvals and the registry; a partial check then loads only the
    # changed records' units (engine.py). None: the rule compares records across units.
    partition: str | None = None
    # Which records can change the rule's verdicts at all (an obligation's trigger and evidence);
    # None: every record of its kinds. A partial check runs the rule only for such records.
    involves: Callable[[Record], bool] | None = None


Rule = RecordRule | CorpusRule
RULES: dict[str, Rule] = {}


def _add(entry: Rule) -> None:
    if entry.id in RULES:
        raise RuntimeError(f"rule {entry.id} registered twice")
    RULES[entry.id] = entry


def rule(rule_id: str, *, reads: tuple[str, ...] = ()) -> Callable[[RecordCheck], RecordCheck]:
    """Register a check of one record (``reads``: other kinds it looks up in the corpus)."""
    def wrap(func: RecordCheck) -> RecordCheck:
        _add(RecordRule(rule_id, func, (func.__doc__ or "").strip(), reads))
        return func

    return wrap


def corpus_rule(rule_id: str, *, reads: tuple[str, ...] = (),
                partition: str | None = None) -> Callable[[CorpusCheck], CorpusCheck]:
    """Register a check across the whole corpus (counts per unit and year, overlaps); ``partition``
    "unit" when its findings about a unit depend on that unit's records alone."""
    def wrap(func: CorpusCheck) -> CorpusCheck:
        _add(CorpusRule(rule_id, func, (func.__doc__ or "").strip(), reads, partition=partition))
        return func

    return wrap


def for_policies(policies: PolicySet) -> dict[str, Rule]:
    """The rulebook of a repository: the registered rules, plus one corpus rule per obligation in
    its policies (obligations.py judges them all; their examples are the obligation's own)."""
    from zhixing import obligations

    out: dict[str, Rule] = dict(RULES)
    for policy in policies.rules.values():
        if policy.obligation:
            sample = policy.obligation["examples"]
            doc = f"{policy.title['en']}.\n\nPASS: {sample['pass']} FAIL: {sample['fail']}"
            # A unit-partitioned duty is judged whenever a record of its kinds changes (its unit's
            # records are few); one that reads across units only when the record can be evidence.
            partition = obligations.partition(policy)
            out[policy.id] = CorpusRule(policy.id, obligations.check, doc, obligations.reads(policy), partition=partition,
                                        involves=None if partition else obligations.involves(policy))
    return out


def examples(doc: str) -> tuple[str, str]:
    """The PASS and FAIL examples of a rule's docstring, each as one line of text."""
    flat = " ".join(doc.split())
    return _section(flat, "PASS:", ("FAIL:",)), _section(flat, "FAIL:", ("PASS:", "Linear"))


def _section(flat: str, head: str, ends: tuple[str, ...]) -> str:
    """The text after the first ``head`` up to the first of ``ends`` (or the end), stripped."""
    at = flat.find(head)
    if at < 0:
        return ""
    start = at + len(head)
    stops = [i for i in (flat.find(end, start) for end in ends) if i >= 0]
    return flat[start:min(stops, default=len(flat))].strip()


def listing(policies: PolicySet, on: str, lang: str) -> list[dict[str, Any]]:
    """Every article with its rules and the parameter values in force on ``on``."""
    rules = for_policies(policies)
    out = []
    for number in sorted(policies.articles):
        article = policies.articles[number]
        entry: dict[str, Any] = {
            "article": number,
            "section": {"number": article.section[0], "title": article.section[1]},
            "title": article.title,
            "checkable": article.checkable,
        }
        if article.checkable:
            if article.unchecked_parts:
                entry["unchecked_parts"] = article.unchecked_parts
            entry["rules"] = [
                {
                    "id": r.id,
                    "kind": r.kind,
                    "title": r.title[lang],
                    "severity": r.severity,
                    "in_force": r.in_force(on),
                    "effective_from": r.effective_from,
                    "exception_allowed": r.exception_allowed,
                    "examples": dict(zip(("pass", "fail"), examples(rules[r.id].doc) if r.id in rules else ("", ""), strict=True)),
                    "parameters": {
                        name: {
                            "value": p.at(on) if r.in_force(on) else None,
                            "unit": p.unit,
                            "description": p.description,
                            "reference": p.reference,
                        }
                        for name, p in r.parameters.items()
                    },
                    **({"obligation": {k: v for k, v in r.obligation.items() if k != "examples"}} if r.obligation else {}),
                }
                for r in article.rules
            ]
        else:
            entry["reason"] = article.reason
            entry["tracked_by"] = article.tracked_by
        out.append(entry)
    return out
