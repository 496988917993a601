"""Helpers shared by rule modules: approvals (exceptions as data) and date arithmetic."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime

from zhixing.policies import RulePolicy
from zhixing.privacy import Quote, RecordRef, is_public, ref
from zhixing.records import Corpus, Finding, Record


def approval_mismatch(record: Record, approval: Record, rule: RulePolicy | None, corpus: Corpus) -> dict[str, str] | None:
    """Why ``approval`` does not exempt ``record`` from ``rule`` (the rule the approval names), or
    None when it does. The one place that decides it: the rules and the reference check ask here."""
    if rule is None or rule.kind != record.kind or not rule.exception_allowed:
        return {"zh": f"它豁免的是规则 {approval.get('rule')}，不适用于{record.kind}记录",
                "en": f"it exempts rule {approval.get('rule')}, which does not apply to {record.kind} records"}
    if record.id not in approval.get("records", []):
        return {"zh": "它没有列出本记录", "en": "it does not name this record"}
    authority = corpus.units.get(approval.unit)
    if corpus.units and not rule.may_approve(authority.data if authority else None):
        # filed by a unit that may not approve it (a self-approval): it exempts nothing
        return {"zh": f"批准机关 {approval.unit} 无权批准这项例外", "en": f"{approval.unit} may not approve this exception"}
    if approval.date > record.date:
        return {"zh": f"批准日期 {approval.date} 晚于本记录日期 {record.date}",
                "en": f"it is dated {approval.date}, after this record's {record.date}"}
    until = approval.get("valid_until")
    if until and until < record.date:
        return {"zh": f"已于 {until} 到期", "en": f"it expired on {until}"}
    return None


def approved(record: Record, policy: RulePolicy, corpus: Corpus) -> bool:
    """True when the record cites an approval that exempts it from this rule on its date.

    Only rules whose article allows an exception accept one (Art. 11 "确有必要…报请批准",
    Art. 14 "原则上", Art. 34 "一般不得"), and only from the authority the article names. A cited
    approval that does not fit is reported by the engine's approval check; here it does not exempt.
    """
    if not policy.exception_allowed:
        return False
    for approval_id in record.get("approvals", []):
        approval = corpus.find("approval", approval_id)
        if approval is not None and approval.get("rule") == policy.id and approval_mismatch(record, approval, policy, corpus) is None:
            return True
    return False


def cited_plan(rec: Record, corpus: Corpus, plan_kind: str, **extra: object) -> tuple[Record | None, Finding | None]:
    """The plan a record's ``plan_item`` cites, or the finding that it names no plan or no item of
    it. Plan membership for documents (Art. 14) and inspections (Art. 34), written once; the plan
    is named by reference only, so a non-public plan stays unnamed in public."""
    cited = rec.get("plan_item") or {}
    plan = corpus.find(plan_kind, cited.get("plan", ""))
    if plan is None:
        return None, rec.finding(("plan_item", "plan"), "unknown-plan",
                                 plan=RecordRef(plan_kind, str(cited.get("plan")), public=False), **extra)
    if cited.get("item") not in {item["id"] for item in plan.get("items", [])}:
        return plan, rec.finding(("plan_item", "item"), "unknown-item", plan=ref(plan),
                                 item=Quote(cited.get("item"), is_public(plan.data)), **extra)
    return plan, None


def numbered_per_unit_year(records: Iterable[Record], counted: Callable[[Record], bool]) -> Iterator[tuple[Record, int]]:
    """Each counted record with its number within its unit's year, in date order (Art. 11's
    counts per unit and year, written once): the first meeting of 2019 is 1, the second 2, …"""
    by_unit_year: dict[tuple[str, int], list[Record]] = defaultdict(list)
    for rec in records:
        if counted(rec):
            by_unit_year[(rec.unit, rec.year)].append(rec)
    for group in by_unit_year.values():
        group.sort(key=lambda r: (r.date, str(r.get("start_time") or ""), r.id))
        yield from ((rec, number) for number, rec in enumerate(group, start=1))


def days_spanned(first: str, last: str) -> int:
    """Calendar days from ``first`` to ``last`` inclusive (a one-day meeting spans 1)."""
    return (date.fromisoformat(last) - date.fromisoformat(first)).days + 1


def hours_between(day: str, start: str, end_day: str, end: str) -> float:
    begin = datetime.fromisoformat(f"{day}T{start}")
    finish = datetime.fromisoformat(f"{end_day}T{end}")
    return (finish - begin).total_seconds() / 3600


def iso(day: str) -> date:
    return date.fromisoformat(day)


def quarter_of(day: str) -> int:
    return (int(day[5:7]) - 1) // 3 + 1


def rectification_state(fix: dict[str, object], today: str) -> str:
    """One rectification item as of ``today`` (Art. 35), for the rule and the site alike:
    "closed", "closed-late", "overdue" (open past its deadline), "open", or "no-deadline"."""
    due, closed = fix.get("due"), fix.get("closed_on")
    if not due:
        return "closed" if closed else "no-deadline"
    if closed:
        return "closed-late" if str(closed) > str(due) else "closed"
    return "overdue" if today > str(due) else "open"
