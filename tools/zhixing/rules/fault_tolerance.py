"""Fault-tolerance rules: Art. 43 (conditions, exclusions, the three distinctions, procedure,
authorised body, anonymity)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from zhixing.loading import DataPath
from zhixing.policies import RulePolicy
from zhixing.privacy import PersonalData
from zhixing.records import Corpus, Finding, Record
from zhixing.rulebook import rule


@rule("fault-tolerance.conditions")
def conditions(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """容错免责 or 从轻减轻 only where every condition required for that kind holds.

    PASS: 容错免责 with all six conditions true. FAIL: 容错免责 with 程序正当 false.
    """
    required = policy.value("required_conditions", rec.date).get(rec.get("kind"), [])
    held = rec.get("conditions") or {}
    for condition in required:
        if not held.get(condition):
            where = ("conditions", condition) if condition in held else "kind"
            yield rec.finding(where, kind=rec.get("kind"), condition=condition)


@rule("fault-tolerance.exclusions")
def exclusions(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """No exemption or mitigation where an exclusion applies.

    PASS: 容错免责 with no exclusion. FAIL: 容错免责 with 谋取私利 listed.
    """
    if rec.get("kind") in policy.value("kinds", rec.date):
        for index, exclusion in enumerate(rec.get("exclusions") or []):
            yield rec.finding(("exclusions", index), exclusion=exclusion, kind=rec.get("kind"))


@rule("fault-tolerance.distinctions")
def distinctions(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """The three distinctions are assessed one by one for exemption and mitigation.

    PASS: three findings. FAIL: one.
    """
    if rec.get("kind") not in policy.value("kinds", rec.date):
        return
    limit = policy.value("min_distinctions", rec.date)
    found = len(rec.get("distinctions") or [])
    if found < limit:
        yield rec.finding("distinctions" if found else "kind", count=found, limit=limit)


@rule("fault-tolerance.procedure")
def procedure(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """Steps 申请 → 核实 → 认定 → 反馈/报备 → 结果运用 in order, with non-decreasing dates.

    PASS: 07-01 申请, 07-15 核实, 07-29 认定. FAIL: 认定 dated before 核实, or 核实 missing.
    """
    order = {step: rank for rank, step in enumerate(policy.value("order", rec.date))}
    steps = rec.get("procedure") or []
    for index in range(1, len(steps)):
        before, step = steps[index - 1], steps[index]
        if order[step["step"]] < order[before["step"]] or step["date"] < before["date"]:
            yield rec.finding(("procedure", index), step=step["step"], date=step["date"],
                              previous=before["step"], previous_date=before["date"])
    present = {s["step"] for s in steps}
    for step in policy.value("required_steps", rec.date):
        if step not in present:
            yield rec.finding("procedure" if steps else "kind", "missing", step=step)
    decided = [s for s in steps if s["step"] == policy.term("decision_step")]
    if decided and decided[0]["date"] != rec.get("decided_on"):
        yield rec.finding("decided_on", "decided", decided_on=rec.get("decided_on"), date=decided[0]["date"])


@rule("fault-tolerance.decision-body")
def decision_body(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """The body that decides is authorised, in the record and in its 认定 step.

    PASS: 县容错纠错工作领导小组. FAIL: 某局办公室.
    """
    authorised = policy.value("authorised_bodies", rec.date)
    body = rec.get("decision_body")
    if body and body not in authorised:
        yield rec.finding("decision_body", body=body)
    for index, step in enumerate(rec.get("procedure") or []):
        if step["step"] == policy.term("decision_step") and step["body"] not in authorised:
            yield rec.finding(("procedure", index, "body"), body=step["body"])


@rule("fault-tolerance.no-personal-data")
def no_personal_data(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """No ID-card or mobile number in any text of the case (they are published anonymised).

    PASS: "某镇分管农业副镇长". FAIL: a mobile number in the facts.
    """
    yield from personal_numbers(rec, policy)


def personal_numbers(rec: Record, policy: RulePolicy) -> Iterator[Finding]:
    """Every text of the record holding a personal number (the policy's ``patterns``)."""
    # The newest patterns, on normalised text: the same matcher the site masks with (privacy.py).
    personal = PersonalData.from_patterns(policy.parameters["patterns"].values[-1][1])
    texts: list[tuple[DataPath, str]] = []
    _strings(rec.data, (), texts)
    for path, text in texts:
        what = personal.find(text)
        if what is not None:
            yield rec.finding(path, field=".".join(map(str, path)), what=what)


def _strings(node: Any, path: DataPath, out: list[tuple[DataPath, str]]) -> None:
    """Every text in ``node`` with its path, in document order, into ``out``."""
    if isinstance(node, dict):
        for key, value in node.items():
            _strings(value, path + (key,), out)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _strings(value, path + (index,), out)
    elif isinstance(node, str):
        out.append((path, node))
