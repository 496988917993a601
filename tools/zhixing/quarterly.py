"""The Art. 17 quarterly report: per drafting unit and quarter, the plan's execution.

planned: items of the year's plans (县政府, 县政府办公室) drafted by the unit for that quarter;
in_plan: documents citing a plan item, signed that quarter; outside_plan: downward documents in
those names signed that quarter without a plan item; returned: 退文 events dated that quarter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from zhixing.policies import PolicySet
from zhixing.records import Corpus
from zhixing.rules.common import quarter_of

PLAN_RULE = "document.plan-item"  # Art. 14: its parameters say which issuers and directions are planned


@dataclass
class Row:
    unit: str
    unit_name: str
    quarter: int
    planned: int = 0
    in_plan: int = 0
    outside_plan: int = 0
    returned: int = 0


def ledger_returns(entries: Iterable[Any]) -> list[tuple[str, str]]:
    """退文 registered in the ledger (Art. 16 handling 退文) as (drafting unit, registration date)."""
    from zhixing.ledger import STATUS_BY_HANDLING

    return [(str(e.record.get("drafting_unit") or e.unit), e.registered_on) for e in entries
            if e.status == STATUS_BY_HANDLING["退文"] and e.record is not None and e.record.kind == "document"]


def rows(corpus: Corpus, year: int, policies: PolicySet, returns: Iterable[tuple[str, str]] = ()) -> list[Row]:
    """``returns``: further 退文 as (drafting unit, date), from the ledger's registrations handled 退文.
    The planned issuers and directions are Art. 14's parameters in force at the year's end."""
    rule = policies.rules[PLAN_RULE]
    on = f"{year}-12-31" if rule.in_force(f"{year}-12-31") else rule.effective_from
    issuers, directions = rule.value("issuers", on), rule.value("directions", on)
    rows: dict[tuple[str, int], Row] = {}

    def row(unit: str, quarter: int) -> Row:
        if (unit, quarter) not in rows:
            rows[(unit, quarter)] = Row(unit, corpus.unit_name(unit), quarter)
        return rows[(unit, quarter)]

    for plan in corpus.of_kind("document-plan"):
        if plan.get("year") == year and plan.get("issuer") in issuers and not plan.get("withdrawn"):
            for item in plan.get("items", []):
                row(item["drafting_unit"], item["quarter"]).planned += 1
    for doc in corpus.of_kind("document"):
        if doc.get("withdrawn"):
            continue
        unit = doc.get("drafting_unit")
        if doc.year == year:
            if doc.get("plan_item"):
                row(unit, quarter_of(doc.date)).in_plan += 1
            elif doc.get("issuer") in issuers and doc.get("direction") in directions:
                row(unit, quarter_of(doc.date)).outside_plan += 1
        for event in doc.get("returned") or []:
            if event["date"].startswith(f"{year}-"):
                row(unit, quarter_of(event["date"])).returned += 1
    for unit, day in returns:
        if day.startswith(f"{year}-"):
            row(unit, quarter_of(day)).returned += 1
    return sorted(rows.values(), key=lambda r: (r.unit_name, r.quarter))


def totals_by_quarter(rows: list[Row]) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = defaultdict(lambda: {"planned": 0, "in_plan": 0, "outside_plan": 0, "returned": 0})
    for r in rows:
        for key in ("planned", "in_plan", "outside_plan", "returned"):
            out[r.quarter][key] += getattr(r, key)
    return dict(sorted(out.items()))


def as_json(rows: list[Row], year: int) -> dict[str, Any]:
    return {"year": year, "rows": [asdict(r) for r in rows],
            "totals": {str(q): t for q, t in totals_by_quarter(rows).items()}}


def as_markdown(rows: list[Row], year: int) -> str:
    lines = [f"# {year} 年县政府部门发文计划执行情况（第17条）", "",
             "| 单位 | 季度 | 计划发文 | 按计划发文 | 计划外发文 | 退文 |", "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r.unit_name} | 第{r.quarter}季度 | {r.planned} | {r.in_plan} | {r.outside_plan} | {r.returned} |")
    for quarter, t in totals_by_quarter(rows).items():
        lines.append(f"| **合计** | 第{quarter}季度 | {t['planned']} | {t['in_plan']} | {t['outside_plan']} | {t['returned']} |")
    return "\n".join(lines) + "\n"
