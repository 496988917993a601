"""The public 问题清单 (the ledger of findings) and the yearly 执行力考核 table (Art. 37, 42).

Only findings on public records reach these pages and downloads; a registration that is not
public shows its status and handling but none of its text. Counts are counts: no scoring formula
is invented (a weighting, if one is wanted, belongs in policies/).
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections import Counter, defaultdict
from typing import Any

from zhixing.ledger import STATUSES, Entry, registered_on_time
from zhixing.obligations import period_of
from zhixing.privacy import is_public, public_view
from zhixing.records import REGISTRY_KIND
from zhixing.site.markup import csv_cell, esc, filter_select, link, table

# What each status looks like: a CSS class for its colour (docs/assets/zhixing.css), never colour alone.
STATUS_CLASS = {"待登记": "zx-bad", "逾期": "zx-bad", "整改中": "zx-warn", "已整改（销号）": "zx-ok", "已退文": "zx-info",
                "已说明": "zx-info", "已问责": "zx-info", "不予追究": "zx-info", "准予更正": "zx-info"}


def status_badge(status: str) -> str:
    return f'<span class="zx-status {STATUS_CLASS.get(status, "zx-info")}">{html.escape(status)}</span>'


def public_entries(site: Any) -> list[Entry]:
    """The ledger as the public may see it: findings on public records only."""
    ledger = site.result.ledger
    if ledger is None:
        return []
    # A unit's duty (obligations.py) is about the unit itself, as public as the registry.
    return [e for e in ledger.entries if e.record is not None and (e.record.kind == REGISTRY_KIND or is_public(e.record.data))
            and not site.engine.personal.find(e.record.id)]


def entry_json(site: Any, e: Entry) -> dict[str, Any]:
    """One finding as published: the same fields as ``zhixing findings --format json``, with the
    message as the public may read it and the registration's public text."""
    row = e.to_json()
    row["message"] = site.said(e.violation) if e.violation else None
    reg = public_view(e.registration.data, site.engine.personal) if e.registration else None
    row["description"] = reg.get("description") if reg else None
    row["registration_public"] = reg is not None if e.registration else None
    return row


def _record_link(site: Any, e: Entry, depth: int) -> str:
    if e.record is not None and e.record.kind == REGISTRY_KIND:  # a unit's duty: no record, the unit's page
        return site.unit_link(e.unit, depth) + f"（{esc(period_of(e.id.rsplit('/', 1)[-1]).zh)}的义务）"
    page = next((r for r in site.by_kind.get(e.record.kind, []) if r.id == e.record.id), None) if e.record else None
    if page is None:
        return esc(e.record.id if e.record else "—")
    return link(page.title, "../" * depth + page.uri)


def findings_page(site: Any) -> str:
    entries = public_entries(site)
    today = site.result.corpus.today
    articles = site.engine.policies.articles
    counts = Counter(e.status for e in entries)
    lines = ["# 问题清单", "",
             "自动检查发现的问题是事实：由负责该条文的监督部门登记，写明情况、处理方式（退文、限期整改、说明情况、"
             "通报批评、问责或不予追究）、时限和销号日期。单位不能登记、豁免或销号本单位的问题。"
             f"状态按 {esc(today)} 计算；只列公开记录上的问题。", "",
             "　".join(f"{status_badge(s)} {counts.get(s, 0)}" for s in STATUSES), "",
             "下载：[问题清单 JSON](../data/findings.json)　[问题清单 CSV](../data/findings.csv)　"
             "另见 [执行力考核](assessment.md)。", ""]
    # counts by unit × article
    by_cell: Counter[tuple[str, int]] = Counter((e.unit, e.article or 0) for e in entries)
    used_articles = sorted({a for _, a in by_cell})
    if entries:
        lines += ["## 各单位各条文问题数", ""]
        rows = []
        for unit in sorted({u for u, _ in by_cell}, key=site.unit_name):
            rows.append([site.unit_link(unit, 1)] + [str(by_cell.get((unit, a), "")) for a in used_articles]
                        + [str(sum(by_cell.get((unit, a), 0) for a in used_articles))])
        lines += [table(["单位", *(f"第{a}条" for a in used_articles), "合计"], rows), ""]
    lines += _nonpublic_stub(site)
    lines += ["## 全部问题", ""]
    if not entries:
        lines += ["暂无问题。", ""]
        return "\n".join(lines)
    units = sorted({e.unit for e in entries}, key=site.unit_name)
    years = sorted({e.date[:4] for e in entries})


    lines += ['<div class="zx-filters" data-zx-table="zx-ledger">',
              filter_select("unit", "单位", [(u, site.unit_name(u)) for u in units]),
              filter_select("article", "条文", [(str(a), f"第{a}条") for a in used_articles]),
              filter_select("year", "年度", [(y, f"{y} 年") for y in years]),
              filter_select("status", "状态", [(s, s) for s in STATUSES]),
              '<span class="zx-count" aria-live="polite"></span></div>', ""]
    head = ["日期", "单位", "条文", "记录", "问题", "状态", "处理", "时限", "销号", "登记", "情况说明"]
    out = ['<div class="zx-scroll"><table id="zx-ledger" class="zx-ledger"><thead><tr>'
           + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>"]
    for e in entries:
        row = entry_json(site, e)
        article = articles.get(e.article or 0)
        article_cell = (f'<a href="../rules/article-{e.article:02d}/" title="{html.escape(article.title)}">第{e.article}条</a>'
                        if article and e.article else "—")
        record_cell = _markdown_link_to_html(_record_link(site, e, 1))
        closed = html.escape(e.closed_on) + ("（逾期销号）" if e.closed_late else "") if e.closed_on else "—"
        message = row["message"] or "（记录已更正或撤回，问题不再出现）"
        out.append(
            f'<tr data-unit="{html.escape(e.unit)}" data-article="{e.article or ""}" data-year="{html.escape(e.date[:4])}" '
            f'data-status="{html.escape(e.status)}" data-finding="{html.escape(e.id)}">'
            f"<td>{html.escape(e.date)}</td><td>{html.escape(site.unit_name(e.unit))}</td><td>{article_cell}</td>"
            f"<td>{record_cell}</td><td>{html.escape(message)}</td><td>{status_badge(e.status)}</td>"
            f"<td>{html.escape(e.handling or '—')}</td><td>{html.escape(e.due or '—')}</td><td>{closed}</td>"
            f"<td>{html.escape(e.registered_on or '—')}</td><td>{html.escape(row['description'] or '—')}</td></tr>")
    out.append("</tbody></table></div>")
    lines += ["\n".join(out), ""]
    return "\n".join(lines)


def nonpublic_counts(site: Any) -> Counter[str]:
    """Findings on records that are not public, counted by unit: the public stub of what changing a
    record to internal or confidential took off the list (README 安全与隐私). Only the number."""
    ledger = site.result.ledger
    if ledger is None:
        return Counter()
    return Counter(e.unit for e in ledger.entries
                   if e.record is not None and e.record.kind != REGISTRY_KIND and not is_public(e.record.data))


def _nonpublic_stub(site: Any) -> list[str]:
    counts = nonpublic_counts(site)
    if not counts:
        return []
    rows = [[site.unit_link(unit, 1), str(counts[unit])] for unit in sorted(counts, key=site.unit_name)]
    return ["## 不公开记录上的问题", "",
            f"另有 {sum(counts.values())} 个问题在不公开（内部或涉密）的记录上：记录和问题内容依法不公开，这里只公开各单位的数量，"
            "由监督部门按同样的程序登记和处理。", "", table(["单位", "问题数"], rows), ""]


def _markdown_link_to_html(markdown_link: str) -> str:
    """``[text](target.md)`` from render.link as an HTML anchor to the built page (directory URLs)."""
    if not markdown_link.startswith("["):
        return markdown_link
    text, _, target = markdown_link[1:].rpartition("](")
    target = target.rstrip(")")
    href = target.removesuffix(".md") + "/"
    return f'<a href="{html.escape(href)}">{text}</a>'


def assessment_page(site: Any) -> str:
    """执行力考核 (Art. 37, 42): per year and unit, findings by article and how they were handled."""
    entries = public_entries(site)
    days = site.engine.policies.supervision.registration_days if site.engine.policies.supervision else 30
    lines = ["# 执行力考核（第37、42条）", "",
             "各单位每年的问题数（按条文）、按时登记数、按期整改数和逾期数，供年度考核使用。只计数，不打分："
             "如需加权计分，应写入 policies/ 并公开。"
             f"按时登记：问题所在记录的日期后 {days} 天内登记（policies/supervision.yaml）；"
             "按期整改：限期整改的问题在时限内销号；只统计公开记录上的问题。", ""]
    by_year: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        by_year[e.date[:4]].append(e)
    if not by_year:
        return "\n".join(lines + ["暂无问题。", ""])
    for year in sorted(by_year, reverse=True):
        rows = []
        by_unit: dict[str, list[Entry]] = defaultdict(list)
        for e in by_year[year]:
            by_unit[e.unit].append(e)
        for unit in sorted(by_unit, key=site.unit_name):
            mine = by_unit[unit]
            arts = Counter(e.article for e in mine)
            rectify = [e for e in mine if e.handling == "限期整改"]
            rows.append((site.unit_link(unit, 1), "；".join(f"第{a}条 {n}" for a, n in sorted(arts.items(), key=lambda kv: kv[0] or 0)),
                         str(len(mine)), str(sum(registered_on_time(e, days) for e in mine)),
                         str(sum(bool(e.closed_on) and not e.closed_late for e in rectify)),
                         str(sum(e.status == "逾期" or e.closed_late for e in rectify))))
        lines += [f"## {year} 年", "", table(["单位", "按条文", "问题数", "按时登记", "按期整改", "逾期"], rows), ""]
    return "\n".join(lines)


# findings.csv's Chinese headers, by the JSON's field names (the data dictionary lists them too).
FINDING_COLUMNS = {"id": "问题编号", "rule": "规则编号", "article": "条文", "unit": "单位编号", "record": "记录文件", "date": "日期",
                   "status": "状态", "handling": "处理方式", "due": "整改时限", "closed_on": "销号日期", "closed_late": "逾期销号",
                   "registration": "登记编号", "registered_on": "登记日期", "office": "登记部门", "current": "当前仍存在",
                   "message": "问题说明", "description": "情况说明", "registration_public": "登记是否公开"}


def ledger_downloads(site: Any) -> dict[str, str | bytes]:
    """findings.json (field names as ``zhixing findings --format json``) and findings.csv for Excel
    (a BOM, Chinese headers, 是/否)."""
    rows = [entry_json(site, e) for e in public_entries(site)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(list(FINDING_COLUMNS.values()))
    for row in rows:
        writer.writerow([("是" if row.get(k) else "否") if isinstance(row.get(k), bool) else csv_cell(row.get(k))
                         for k in FINDING_COLUMNS])
    return {"data/findings.json": json.dumps(rows, ensure_ascii=False, indent=1) + "\n",
            "data/findings.csv": ("\ufeff" + buffer.getvalue()).encode("utf-8")}
