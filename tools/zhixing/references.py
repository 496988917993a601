"""Engine checks across records that are not rules of one article: units, ids, approvals.

They need the whole corpus, like corpus rules, but they check the repository's integrity
(every reference resolves, every unit exists on the record's date) rather than an article.
An approval check reports the article of the rule the approval is about.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from zhixing.diagnostics import Violation
from zhixing.messages import engine_violation
from zhixing.policies import PolicySet
from zhixing.records import REGISTRY_KIND, Corpus, Record

Bilingual = dict[str, str]


def _at(rec: Record, where: tuple, rule: str, **params: Any) -> Violation:
    line, col = rec.loaded.locate(where)
    return engine_violation(rec.path, line, col, rule, **params)


def check_references(corpus: Corpus, policies: PolicySet, focus: set[str] | None = None) -> Iterator[Violation]:
    """All reference checks, or (``focus``) those of the focused records only."""
    if focus is None or (corpus.registry is not None and corpus.registry.path in focus):
        yield from _registry(corpus)
    for rec in corpus.records:
        if rec.kind == REGISTRY_KIND or (focus is not None and rec.path not in focus):
            continue
        yield from _unit(rec, corpus)
        yield from _cited_approvals(rec, corpus, policies)
        if rec.kind == "approval":
            yield from _approval_itself(rec, corpus, policies)


def _registry(corpus: Corpus) -> Iterator[Violation]:
    reg = corpus.registry
    if reg is None:
        return
    seen: dict[str, int] = {}
    for index, unit in enumerate(reg.data.get("units", [])):
        if unit["id"] in seen:
            other = f"units[{seen[unit['id']]}]"
            yield _at(reg, ("units", index, "id"), "record.duplicate-id", id=unit["id"], other=other)
        seen.setdefault(unit["id"], index)
        for field in ("parent", "successor"):
            if unit.get(field) and unit[field] not in corpus.units:
                yield _at(reg, ("units", index, field), "record.unknown-unit", unit=unit[field])


def _unit(rec: Record, corpus: Corpus) -> Iterator[Violation]:
    if not corpus.units:
        return
    unit = corpus.units.get(rec.unit)
    if unit is None:
        yield _at(rec, ("unit",), "record.unknown-unit", unit=rec.unit)
    elif rec.date and not unit.valid_on(rec.date):
        yield _at(rec, ("unit",), "record.unit-not-valid", unit=rec.unit, date=rec.date,
                  valid_from=unit.valid_from, valid_to=unit.valid_to or "—")


def _cited_approvals(rec: Record, corpus: Corpus, policies: PolicySet) -> Iterator[Violation]:
    for index, ref in enumerate(rec.get("approvals") or []):
        where = ("approvals", index)
        approval = corpus.find("approval", ref)
        if approval is None:
            yield _at(rec, where, "record.approval-unknown", ref=ref)
            continue
        why = _mismatch(rec, approval, policies)
        if why:
            violation = _at(rec, where, "record.approval-mismatch", ref=ref, why=why)
            rule = policies.rules.get(approval.get("rule", ""))
            yield _with_article(violation, rule.article if rule else None)


def _mismatch(rec: Record, approval: Record, policies: PolicySet) -> Bilingual | None:
    rule = policies.rules.get(approval.get("rule", ""))
    if rule is None or rule.kind != rec.kind:
        return {"zh": f"它豁免的是规则 {approval.get('rule')}，不适用于{rec.kind}记录",
                "en": f"it exempts rule {approval.get('rule')}, which does not apply to {rec.kind} records"}
    if rec.id not in approval.get("records", []):
        return {"zh": "它没有列出本记录", "en": "it does not name this record"}
    if approval.date > rec.date:
        return {"zh": f"批准日期 {approval.date} 晚于本记录日期 {rec.date}",
                "en": f"it is dated {approval.date}, after this record's {rec.date}"}
    until = approval.get("valid_until")
    if until and until < rec.date:
        return {"zh": f"已于 {until} 到期", "en": f"it expired on {until}"}
    return None


def _approval_itself(rec: Record, corpus: Corpus, policies: PolicySet) -> Iterator[Violation]:
    rule = policies.rules.get(rec.get("rule", ""))
    articles = "、".join(sorted({str(r.article) for r in policies.rules.values() if r.exception_allowed}, key=int))
    if rule is None:
        yield _at(rec, ("rule",), "record.approval-rule", approved_rule=rec.get("rule"), articles=articles,
                  why={"zh": "不存在", "en": "does not exist"})
        return
    if not rule.exception_allowed:
        violation = _at(rec, ("rule",), "record.approval-rule", approved_rule=rule.id, articles=articles,
                        why={"zh": f"所依据的第{rule.article}条不允许例外", "en": f"(Art. {rule.article}) admits no exception"})
        yield _with_article(violation, rule.article)
        return
    for index, ref in enumerate(rec.get("records", [])):
        if corpus.find(rule.kind, ref) is None:
            yield _at(rec, ("records", index), "record.reference", ref=ref,
                      target_kind={"zh": "记录", "en": f"{rule.kind} record"})


def _with_article(v: Violation, article: int | None) -> Violation:
    return replace(v, article=article)
