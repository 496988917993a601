"""The 年度义务 pages (obligations.py): per year, each obligation × unit with its state — 已完成
(with its record), 逾期完成, 未到期 or 逾期 — filterable by unit, article and state; and the
same duties on each article's page and each unit's dashboard.

States are computed over every record (a duty met by an internal record is met); a record that
is not public is never linked or named, only counted as （不公开记录）.
"""

from __future__ import annotations

import html
from typing import Any

from zhixing.obligations import MET, MET_LATE, MISSED, NOT_DUE, Duty, duties
from zhixing.site.markup import esc, filter_select, html_table

STATES = (MET, MET_LATE, NOT_DUE, MISSED)
STATE_CLASS = {MET: "zx-ok", MET_LATE: "zx-warn", NOT_DUE: "zx-info", MISSED: "zx-bad"}


def state_badge(state: str) -> str:
    return f'<span class="zx-status {STATE_CLASS[state]}">{html.escape(state)}</span>'


def all_duties(site: Any) -> list[Duty]:
    """Every duty of every obligation, computed once per build."""
    cached = getattr(site, "_duties", None)
    if cached is None:
        corpus = site.result.corpus
        cached = [d for policy in site.engine.policies.rules.values() if policy.obligation
                  for d in duties(corpus, policy)]
        cached.sort(key=lambda d: (d.period.end, d.article, d.rule, site.unit_name(d.owner)))
        site._duties = cached
    return cached


def years(site: Any) -> list[int]:
    return sorted({d.period.year for d in all_duties(site)})


def _record_cell(site: Any, duty: Duty, depth: int) -> str:
    if duty.evidence is None:
        return "—"
    page = site.by_id.get((duty.evidence.kind, duty.evidence.id))
    if page is None:
        return "（不公开记录）"
    return f'<a href="{"../" * depth}{html.escape(page.uri.removesuffix(".md"))}/">{html.escape(page.title)}</a>'


def _title(site: Any, duty: Duty) -> str:
    return site.engine.policies.rules[duty.rule].title["zh"]


def duty_table(site: Any, chosen: list[Duty], depth: int, table_id: str, show_unit: bool = True,
               show_rule: bool = True) -> list[str]:
    """An HTML table of duties (inside a scroll box), with a filter bar by unit, article and state."""
    if not chosen:
        return ["暂无年度义务。", ""]
    units = sorted({d.owner for d in chosen}, key=site.unit_name)
    articles = sorted({d.article for d in chosen})
    bar = ['<div class="zx-filters" data-zx-table="' + table_id + '">']
    if show_unit and len(units) > 1:
        bar.append(filter_select("unit", "单位", [(u, site.unit_name(u)) for u in units]))
    if show_rule and len(articles) > 1:
        bar.append(filter_select("article", "条文", [(str(a), f"第{a}条") for a in articles]))
    bar += [filter_select("state", "状态", [(s, s) for s in STATES]), '<span class="zx-count" aria-live="polite"></span></div>']
    head = (["义务", "条文"] if show_rule else []) + (["单位"] if show_unit else []) + ["期间", "期限", "状态", "记录"]
    rows = []
    for d in chosen:
        cells = []
        if show_rule:
            cells += [html.escape(_title(site, d)),
                      f'<a href="{"../" * depth}rules/article-{d.article:02d}/">第{d.article}条</a>']
        if show_unit:
            unit = site.result.corpus.units.get(d.owner)
            name = str(unit.data.get("short_name") or unit.name) if unit else d.owner
            cells.append(f'<a href="{"../" * depth}units/{html.escape(d.owner)}/" title="{html.escape(site.unit_name(d.owner))}">'
                         f"{html.escape(name)}</a>")
        cells += [html.escape(d.period.zh), html.escape(d.deadline), state_badge(d.state), _record_cell(site, d, depth)]
        rows.append(({"unit": d.owner, "article": str(d.article), "year": str(d.period.year), "state": d.state}, cells))
    return ["\n".join(bar), "", html_table(table_id, head, rows, css="zx-duties", sortable=False), ""]


def _counts(chosen: list[Duty]) -> str:
    return "　".join(f"{state_badge(s)} {sum(1 for d in chosen if d.state == s)}" for s in STATES)


def index_page(site: Any) -> str:
    today = site.result.corpus.today
    lines = ["# 年度义务", "",
             "有些条文规定的是每年（每季度、每半年）必须做的事，或者一次性必须做的事：县政府办公室每季度通报发文计划执行情况"
             "（第17条），各主管部门制定公共企事业单位信息公开制度（第24条），县政府法制部门每年抽查法律顾问工作并公布结果"
             "（第29条），每年年初部署、年中督查、年末总结表彰作风建设（第40条），定期组织代表委员评议作风（第41条），"
             "各领导班子每年专题研究执行力建设（第44条）。", "",
             f"期限届满前为“未到期”；期限届满时有记录为“已完成”，期限后才有记录为“逾期完成”，到 {esc(today)} 仍没有记录为“逾期”。"
             "逾期的义务列入[问题清单](../findings/index.md)，由监督部门登记处理。每项义务的理解（周期、期限）写在条文页的参数说明中。", ""]
    chosen = all_duties(site)
    if not chosen:
        return "\n".join(lines + ["暂无年度义务。", ""])
    rows = []
    for year in years(site):
        mine = [d for d in chosen if d.period.year == year]
        rows.append(f"| [{year} 年](year-{year}.md) | {len(mine)} | {_counts(mine)} |")
    lines += ["| 年度 | 义务数 | 状态 |", "|---|---|---|", *rows, ""]
    return "\n".join(lines)


def year_page(site: Any, year: int) -> str:
    chosen = [d for d in all_duties(site) if d.period.year == year]
    lines = [f"# {year} 年年度义务", "", f"状态按 {esc(site.result.corpus.today)} 计算。可按单位、条文和状态筛选。", "",
             _counts(chosen), ""]
    return "\n".join(lines + duty_table(site, chosen, 2, f"zx-duties-{year}"))


def for_article(site: Any, number: int) -> list[str]:
    chosen = [d for d in all_duties(site) if d.article == number]
    if not chosen:
        return []
    return ["## 年度义务", "", "本条规定的义务逐年、逐单位的履行情况（另见[年度义务](../obligations/index.md)）：", "",
            *duty_table(site, chosen, 2, f"zx-duties-article-{number}", show_rule=len({d.rule for d in chosen}) > 1)]


def for_unit(site: Any, unit_id: str) -> list[str]:
    chosen = [d for d in all_duties(site) if d.owner == unit_id]
    lines = ["", "## 年度义务", ""]
    if not chosen:
        return lines + ["本单位没有年度义务。", ""]
    return lines + duty_table(site, chosen, 2, "zx-duties-unit", show_unit=False)
