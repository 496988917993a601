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
from zhixing.privacy import PersonalData, RecordRef, public_params, ref
from zhixing.records import REGISTRY_KIND, RESERVED_IDS, Corpus, Record
from zhixing.rules.common import approval_mismatch

Bilingual = dict[str, str]


def _at(rec: Record, where: tuple, rule: str, **params: Any) -> Violation:
    line, col = rec.loaded.locate(where)
    violation = engine_violation(rec.path, line, col, rule, **params)
    if any(isinstance(v, (RecordRef, str)) for v in params.values()):
        public = engine_violation(rec.path, line, col, rule, **public_params(params, rec.data, None))
        violation = replace(violation, public_message=public.message)
    return violation


def check_references(corpus: Corpus, policies: PolicySet, focus: set[str] | None = None) -> Iterator[Violation]:
    """All reference checks, or (``focus``) those of the focused records only."""
    if focus is None or (corpus.registry is not None and corpus.registry.path in focus):
        yield from _registry(corpus, PersonalData.from_patterns(policies.personal_patterns()))
        yield from _shared_reviewers(corpus, policies)
    units = corpus.units
    for rec in corpus.records:
        if rec.kind == REGISTRY_KIND or (focus is not None and rec.path not in focus):
            continue
        # the common case (a unit valid on the record's date, no approvals cited) costs no generator
        unit = units.get(rec.unit)
        if unit is None or (rec.date and not unit.valid_on(rec.date)):
            yield from _unit(rec, corpus)
        if rec.data.get("approvals"):
            yield from _cited_approvals(rec, corpus, policies)
        if rec.kind == "approval":
            yield from _approval_itself(rec, corpus, policies)


def _registry(corpus: Corpus, personal: PersonalData | None = None) -> Iterator[Violation]:
    reg = corpus.registry
    if reg is None:
        return
    seen: dict[str, int] = {}
    for index, unit in enumerate(reg.data.get("units", [])):
        if personal is not None and personal.find(str(unit["id"])):  # unit ids are published in URLs
            yield _at(reg, ("units", index, "id"), "record.id-personal", what={"zh": "单位编号", "en": "unit id"}, value=unit["id"])
        if unit["id"] in RESERVED_IDS:  # unit pages live beside the units index
            yield _at(reg, ("units", index, "id"), "record.id-reserved", id=unit["id"], names="、".join(sorted(RESERVED_IDS)))
        if unit["id"] in seen:
            other = f"units[{seen[unit['id']]}]"
            yield _at(reg, ("units", index, "id"), "record.duplicate-id", id=unit["id"], other=other)
        seen.setdefault(unit["id"], index)
        for field in ("parent", "successor"):
            if unit.get(field) and unit[field] not in corpus.units:
                yield _at(reg, ("units", index, field), "record.unknown-unit", unit=unit[field], guess="")


def _shared_reviewers(corpus: Corpus, policies: PolicySet) -> Iterator[Violation]:
    """Separation of duties from data: no reviewer of a unit reviews an office that registers that
    unit's findings (policies/supervision.yaml), or one person could file a fact and excuse it."""
    reg, supervision = corpus.registry, policies.supervision
    if reg is None or supervision is None:
        return
    articles: list[int | None] = [None, *sorted(supervision.articles)]
    reviewers = {uid: set(u.data.get("reviewers") or []) for uid, u in corpus.units.items()}
    for index, unit in enumerate(reg.data.get("units", [])):
        offices = {office for article in articles for office in supervision.registrars(article, unit["id"], corpus.units)}
        for office in sorted(offices - {unit["id"]}):
            for handle in sorted(reviewers.get(unit["id"], set()) & reviewers.get(office, set())):
                yield _at(reg, ("units", index, "reviewers"), "registry.reviewer-shared", reviewer=handle,
                          unit=corpus.unit_name(unit["id"]), office=corpus.unit_name(office))


def _unit(rec: Record, corpus: Corpus) -> Iterator[Violation]:
    if not corpus.units:
        return
    unit = corpus.units.get(rec.unit)
    if unit is None:
        guess = corpus.resolve_unit(rec.unit) or corpus.suggest_unit(rec.unit)
        yield _at(rec, ("unit",), "record.unknown-unit", unit=rec.unit,
                  guess={"zh": f"，是不是 {guess.id}（{guess.data.get('short_name') or guess.name}）？", "en": f"; did you mean {guess.id}?"}
                  if guess else "")
    elif rec.date and not unit.valid_on(rec.date):
        yield _at(rec, ("unit",), "record.unit-not-valid", unit=rec.unit, date=rec.date,
                  valid_from=unit.valid_from, valid_to=unit.valid_to or "—")


def _cited_approvals(rec: Record, corpus: Corpus, policies: PolicySet) -> Iterator[Violation]:
    for index, cited in enumerate(rec.get("approvals") or []):
        where = ("approvals", index)
        approval = corpus.find("approval", cited)
        if approval is None:
            # an id that names no admitted record is never shown to the public
            yield _at(rec, where, "record.approval-unknown", ref=RecordRef("approval", str(cited), public=False))
            continue
        why = approval_mismatch(rec, approval, policies.rules.get(approval.get("rule", "")), corpus)
        if why:
            violation = _at(rec, where, "record.approval-mismatch", ref=ref(approval), why=why)
            rule = policies.rules.get(approval.get("rule", ""))
            yield _with_article(violation, rule.article if rule else None)


def _approval_itself(rec: Record, corpus: Corpus, policies: PolicySet) -> Iterator[Violation]:
    rule = policies.rules.get(rec.get("rule", ""))
    articles = policies.exception_articles
    if rule is None:
        yield _at(rec, ("rule",), "record.approval-rule", approved_rule=rec.get("rule"), articles=articles,
                  why={"zh": "不存在", "en": "does not exist"})
        return
    if not rule.exception_allowed:
        violation = _at(rec, ("rule",), "record.approval-rule", approved_rule=rule.id, articles=articles,
                        why={"zh": f"所依据的第{rule.article}条不允许例外", "en": f"(Art. {rule.article}) admits no exception"})
        yield _with_article(violation, rule.article)
        return
    authority = corpus.units.get(rec.unit)
    if corpus.units and not rule.may_approve(authority.data if authority else None):
        flagged = [u.data.get("short_name") or u.name for u in corpus.units.values()
                   if any(u.data.get(f) for f in rule.approvers.get("unit_flags", []))]
        allowed = "、".join([*rule.approvers.get("unit_types", []), *flagged]) or "—"
        violation = _at(rec, ("unit",), "record.approval-authority", allowed=allowed, unit=rec.unit,
                        basis=rule.approvers.get("reference", ""))
        yield _with_article(violation, rule.article)
    for index, listed in enumerate(rec.get("records", [])):
        target = corpus.find(rule.kind, listed)
        if target is None:
            yield _at(rec, ("records", index), "record.reference", ref=listed,
                      target_kind={"zh": "记录", "en": f"{rule.kind} record"})
        elif target.date and rec.date > target.date:
            violation = _at(rec, ("date",), "record.approval-late", date=rec.date, ref=ref(target), record_date=target.date)
            yield _with_article(violation, rule.article)



def _with_article(v: Violation, article: int | None) -> Violation:
    return replace(v, article=article)
