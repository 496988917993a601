"""The generated pages: one per public record, one per article, one dashboard per unit, and the
lists, reports and downloads around them. Pure functions from the check result to Markdown."""

from __future__ import annotations

import functools
import html
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhixing import quarterly
from zhixing.diagnostics import Severity, Violation
from zhixing.engine import CheckResult, Engine
from zhixing.privacy import HIDDEN_RECORD, is_public, public_view
from zhixing.records import KINDS, REGISTRY_KIND, RESERVED_IDS, SECTIONS, Corpus, Record
from zhixing.rulebook import examples
from zhixing.rules.common import rectification_state
from zhixing.site import duties as duty_pages
from zhixing.site import search
from zhixing.site.ledger import public_entries, status_badge
from zhixing.site.markup import chart_with_table, esc, filter_select, href, html_table, link, table
from zhixing.wordcount import count


@dataclass
class PublicRecord:
    record: Record
    view: dict[str, Any]
    violations: list[Violation] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.record.kind

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def uri(self) -> str:
        return f"{SECTIONS[self.kind][0]}/{self.id}.md"

    @property
    def title(self) -> str:
        return KINDS[self.kind].title_of(self.view, self.id)

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity is Severity.ERROR]


@dataclass
class Site:
    engine: Engine
    result: CheckResult
    changed: dict[str, str]
    records: list[PublicRecord]
    by_kind: dict[str, list[PublicRecord]]
    _public_corpus: Corpus | None = None
    _quarter_rows: dict[int, list[Any]] = field(default_factory=dict)  # Art. 17 rows by year, for every unit page
    tables: dict[str, Any] = field(default_factory=dict)  # a kind's download tables, flattened once (opendata.py)

    @classmethod
    def build(cls, engine: Engine, result: CheckResult, changed: dict[str, str]) -> Site:
        by_path: dict[str, list[Violation]] = defaultdict(list)
        for v in result.violations:
            by_path[v.path].append(v)
        records = []
        for rec in result.corpus.records:
            if rec.kind not in SECTIONS:
                continue
            view = public_view(rec.data, engine.personal)
            # An id that looks like a personal number would be published unmasked in a URL; one of
            # the site's own page names would replace that page (both refused by the check too).
            if view is not None and rec.id not in RESERVED_IDS and not engine.personal.find(rec.id):
                # A finding's public text names other records by reference only (privacy.py).
                records.append(PublicRecord(rec, _hide_private_references(view, rec, result, engine), by_path.get(rec.path, [])))
        records.sort(key=lambda r: (r.record.date, r.id), reverse=True)
        by_kind: dict[str, list[PublicRecord]] = defaultdict(list)
        for r in records:
            by_kind[r.kind].append(r)
        return cls(engine, result, changed, records, by_kind)

    @property
    def violations(self) -> list[Violation]:
        """The findings the public may see: those on public records (a finding on a confidential
        record would name it). Counts on the site are of these too."""
        return [v for r in self.records for v in r.violations]

    @property
    def public_corpus(self) -> Corpus:
        """The corpus of public records only (and the registry): every public figure is counted
        from it, so an aggregate never singles out a non-public record (README 安全与隐私)."""
        if self._public_corpus is None:
            full = self.result.corpus
            self._public_corpus = Corpus(calendar=full.calendar, today=full.today)
            for rec in full.records:
                if rec.kind == REGISTRY_KIND or is_public(rec.data):
                    self._public_corpus.add(rec)
        return self._public_corpus

    @functools.cached_property
    def by_unit(self) -> dict[str, list[PublicRecord]]:
        """Each unit's public records, in the site's order (one pass, not one per unit page)."""
        out: dict[str, list[PublicRecord]] = defaultdict(list)
        for r in self.records:
            out[r.record.unit].append(r)
        return out

    @functools.cached_property
    def by_id(self) -> dict[tuple[str, str], PublicRecord]:
        """A public record by its kind and id."""
        return {(r.kind, r.id): r for r in reversed(self.records)}

    @functools.cached_property
    def open_rectifications(self) -> list[tuple[PublicRecord, dict[str, Any]]]:
        """Rectifications not yet closed, in the same terms as the Art. 35 rule (rectification_state)."""
        out = []
        for r in self.by_kind.get("inspection", []):
            for finding in r.view.get("findings") or []:
                fix = finding.get("rectification")
                if fix and not r.view.get("withdrawn") and rectification_state(fix, self.result.corpus.today) in _OPEN:
                    out.append((r, finding))
        return sorted(out, key=lambda pair: str(pair[1]["rectification"].get("due") or "9999"))

    def quarter_rows(self, year: int) -> list[Any]:
        """The Art. 17 report's rows of a year, computed once for every unit page."""
        if year not in self._quarter_rows:
            self._quarter_rows[year] = (quarterly.rows(self.public_corpus, year, self.engine.policies, ledger_returns(self))
                                        if year else [])
        return list(self._quarter_rows[year])

    @property
    def regulation(self) -> str:
        """The regulation's number, from policies/settings.yaml (a fork changes it there)."""
        return str(self.engine.policies.settings.regulation.get("number", ""))

    def said(self, v: Violation) -> str:
        """A finding's public text, personal numbers masked once more as the last net."""
        return self.engine.personal.mask(v.public_text("zh"))

    def unit_name(self, unit_id: str) -> str:
        return self.result.corpus.unit_name(unit_id)

    def unit_link(self, unit_id: str, depth: int) -> str:
        if unit_id in self.result.corpus.units:
            return link(self.unit_name(unit_id), "../" * depth + f"units/{unit_id}.md")
        return esc(unit_id)


HIDDEN = HIDDEN_RECORD
# The plan a record's plan_item cites, by the record's kind (Art. 14 document plans, Art. 34 inspection plans).
PLAN_KINDS = {"document": "document-plan", "inspection": "inspection-plan"}


def _hide_private_references(view: dict[str, Any], rec: Record, result: CheckResult, engine: Engine) -> dict[str, Any]:
    """A public record may cite records the public may not see: keep the citation, hide the id."""
    corpus = result.corpus

    def visible(kind: str, ref: str) -> bool:
        target = corpus.find(kind, ref)
        return target is not None and is_public(target.data)

    if view.get("approvals"):
        view["approvals"] = [a if visible("approval", a) else HIDDEN for a in view["approvals"]]
    if rec.kind == "approval":
        rule = engine.policies.rules.get(view.get("rule", ""))
        kind = rule.kind if rule else ""
        view["records"] = [r if visible(kind, r) else HIDDEN for r in view.get("records", [])]
    plan_kind = PLAN_KINDS.get(rec.kind)
    if plan_kind and view.get("plan_item") and not visible(plan_kind, view["plan_item"]["plan"]):
        view["plan_item"] = {"plan": HIDDEN, "item": HIDDEN}
    return view


def _depth(uri: str) -> int:
    return uri.count("/")


def _status(r: PublicRecord) -> str:
    """The record's verdict as text and colour (ledger.STATUS_CLASS): 已撤回, 符合, N 个问题 (not yet
    registered), 逾期 or 已登记 (registered findings), N 个提示."""
    if r.view.get("withdrawn"):
        return '<span class="zx-status zx-muted">已撤回</span>'
    if r.errors:
        return f'<span class="zx-status zx-bad">{len(r.errors)} 个问题</span>'
    statuses = {(v.ledger or {}).get("status") for v in r.violations if v.severity is Severity.INFO}
    if "逾期" in statuses:
        return status_badge("逾期")
    if statuses:
        return '<span class="zx-status zx-info">已登记</span>'
    if r.violations:
        return f'<span class="zx-status zx-warn">{len(r.violations)} 个提示</span>'
    return '<span class="zx-status zx-ok">符合</span>'


# ---------------------------------------------------------------------------- record pages


def record_page(site: Site, r: PublicRecord) -> str:
    depth = _depth(r.uri)
    schema = site.engine.schemas.documents[r.kind]
    lines = [f"# {esc(r.title)}", "", search.record_annotations(KINDS[r.kind].label, site.unit_name(r.record.unit), r.record.date), ""]
    if r.view.get("withdrawn"):
        w = r.view["withdrawn"]
        lines += [f'!!! note "已撤回"\n    {esc(w["date"])} 撤回：{esc(w["reason"])}', ""]
    lines += [f"**类别**：{esc(KINDS[r.kind].label)}　**单位**：{site.unit_link(r.record.unit, depth)}　"
              f"**日期**：{esc(r.record.date)}　**最后更新**：{esc(site.changed.get(r.record.path, '未提交'))}", ""]
    lines += ["## 检查结果", "", f"状态：{_status(r)}", ""]
    if r.view.get("withdrawn"):
        lines += ["本记录已撤回，不再按规则检查；撤回前登记的问题仍列在[问题清单](" + "../" * depth + "findings/index.md)上。", ""]
    elif not r.violations:
        lines += [f"符合{esc(site.regulation)}全部适用的检查规则。", ""]
    if r.violations:
        rows = [(esc(rule_title(site, v.rule)), link(f"第{v.article}条", "../" * depth + f"rules/article-{v.article:02d}.md") if v.article else "格式",
                 status_badge((v.ledger or {}).get("status", "")) if v.finding else ("错误" if v.severity is Severity.ERROR else "提示"),
                 esc(site.said(v))) for v in r.violations]
        lines += [table(["规则", "条文", "状态", "说明"], rows), ""]
    lines += _disclosure(site, r, schema, depth)
    lines += ["## 记录内容", "", _fields(site, schema, r.view, depth, r.kind), ""]
    lines += _body(site, r)
    lines += [f"数据来源：<code>{esc(r.record.path)}</code>", ""]
    return "\n".join(lines)


_SKIP = {"id", "unit", "visibility", "revisions", "withdrawn", "approvals"}


# The engine's own checks, by family (messages.py): what the public reads instead of their ids.
ENGINE_CHECKS = {"yaml": "记录格式（YAML）", "file": "记录文件", "schema": "记录字段", "text": "记录文字", "record": "记录完整性",
                 "registration": "问题登记", "change": "修改控制", "calendar": "工作日历", "repo": "仓库安全", "engine": "检查程序"}
APPROVAL_CHECKS = "例外批准"


def search_lookups(site: Site) -> dict[str, str]:
    """The search's exact lookups (site/search.py): public records with a 文号, the articles, the units."""
    entries = []
    for r in site.records:
        number = r.view.get("number") or (r.view.get("upper_document") or {}).get("number") or r.view.get("reference")
        if number:
            meta = " · ".join((KINDS[r.kind].label, site.unit_name(r.record.unit), r.record.date))
            entries.append({"number": str(number), "url": r.uri.removesuffix(".md") + "/", "title": r.title, "meta": meta})
    articles = {n: f"第{n}条 {a.title}" for n, a in site.engine.policies.articles.items()}
    return search.lookups(entries, articles, site.result.corpus.units)


def rule_title(site: Site, rule_id: str) -> str:
    """What the public reads for a rule: its Chinese title (the id stays in the data downloads)."""
    policy = site.engine.policies.rules.get(rule_id)
    if policy is not None:
        return policy.title["zh"]
    if "approval" in rule_id:
        return APPROVAL_CHECKS
    return ENGINE_CHECKS.get(rule_id.split(".")[0], "记录完整性")


# 政务公开 metadata shown above a document (《政府信息公开条例》): field, and what is shown when unset.
DISCLOSURE_FIELDS = ("index_number", "subject_category", "publisher", "signed_on", "published_on", "validity", "disclosure_mode")


def _issuing_organ(site: Site, view: dict[str, Any]) -> str:
    """The organ in whose name a document was issued: the registry's 县政府 / 县政府办公室, else the drafting unit."""
    issuer = view.get("issuer")
    for unit in site.result.corpus.units.values():
        if issuer in ("县政府", "县政府办公室") and unit.type == issuer:
            return unit.id
    return str(view.get("drafting_unit") or "")


def _disclosure(site: Site, r: PublicRecord, schema: dict[str, Any], depth: int) -> list[str]:
    """The 政务公开 block of a public document: 索引号, 主题分类, 发布机构, 成文日期, 发布日期, 时效性, 公开方式."""
    if KINDS[r.kind].body_field is None:
        return []
    view, props = r.view, schema.get("properties", {})
    rows = []
    for key in DISCLOSURE_FIELDS:
        value = view.get(key)
        if key == "publisher":
            shown = site.unit_link(str(value or _issuing_organ(site, view)), depth)
        elif key == "validity":
            shown = (esc(value["status"]) + (f"（{esc(value['since'])} 起" + (f"，依据 {esc(value['basis'])}" if value.get("basis") else "") + "）"
                                             if value.get("since") else "")) if value else "未标注"
        elif key == "disclosure_mode":
            shown = esc(value or "主动公开")
        else:
            shown = esc(value) if value else "未标注"
        rows.append((esc(field_label(props.get(key, {}), key)), shown))
    return ["## 政务公开信息", "", table(["项目", "内容"], rows), ""]


def _body(site: Site, r: PublicRecord) -> list[str]:
    """A public document's body text, published with its 字数 (Art. 16's count), personal numbers masked."""
    field = KINDS[r.kind].body_field
    if field is None or not r.view.get(field) or r.record.body is None:
        return []
    text = site.engine.personal.mask(r.record.body)
    paragraphs = [esc(line.strip()) for line in text.splitlines() if line.strip()]
    return ["## 正文", "", f"字数：{count(r.record.body)}（按 Word“字数”口径，第16条）", "",
            '<div class="zx-body" markdown>', "", *[p + "\n" for p in paragraphs], "</div>", ""]


def _plan_item(site: Site, kind: str, value: dict[str, Any], depth: int) -> str | None:
    """A cited plan item as the public reads it: the plan's title (linked) and the item's own
    title, never the internal ids (2019-xianzhengfu / p01). None when the plan is not published."""
    plan = next((p for p in site.by_kind.get(PLAN_KINDS.get(kind, ""), []) if p.id == value.get("plan")), None)
    if plan is None:
        return None
    items: list[dict[str, Any]] = plan.view.get("items") or []
    found: tuple[int, dict[str, Any]] = (0, {})
    index, item = next(((i, it) for i, it in enumerate(items, 1) if it.get("id") == value.get("item")), found)
    what = item.get("title") or item.get("matter") or ""
    return link(plan.title, "../" * depth + plan.uri) + (f" 第{index}项：{esc(what)}" if index else "")


def _fields(site: Site, schema: dict[str, Any], data: dict[str, Any], depth: int, kind: str = "") -> str:
    rows = []
    props = schema.get("properties", {})
    for key, value in data.items():
        if key in _SKIP:
            continue
        prop = props.get(key, {})
        shown = _plan_item(site, kind, value, depth) if key == "plan_item" and isinstance(value, dict) else None
        rows.append((esc(field_label(prop, key)), shown if shown is not None else _value(site, prop, value, depth)))
    if data.get("revisions"):
        rows.append(("修改记录", "<br>".join(f"{esc(x['date'])} {esc(x['reason'])}" for x in data["revisions"])))
    return table(["项目", "内容"], rows) if rows else ""


def field_label(prop: dict[str, Any], key: str) -> str:
    """A field's Chinese label: its schema title (every record schema's property has one; test_schemas)."""
    return str(prop.get("title") or str(prop.get("description") or key).split("（")[0])


def _is_unit(prop: dict[str, Any]) -> bool:
    ref = str(prop.get("$ref", ""))
    return ref.endswith("/unit_id") or ref.endswith("/unit_list")


def _value(site: Site, prop: dict[str, Any], value: Any, depth: int) -> str:
    if _is_unit(prop) or _is_unit(prop.get("items", {})):
        values = value if isinstance(value, list) else [value]
        return "、".join(site.unit_link(str(v), depth) for v in values)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        inner = prop.get("properties", {})
        return "<br>".join(f"{esc(field_label(inner.get(k, {}), k))}：{_value(site, inner.get(k, {}), v, depth)}"
                           for k, v in value.items())
    if isinstance(value, list):
        item = prop.get("items", {})
        if item.get("type") == "object" or any(isinstance(v, dict) for v in value):
            return "<br><br>".join(f"{i}. {_value(site, item, v, depth)}" for i, v in enumerate(value, start=1))
        return "、".join(esc(v) for v in value)
    return esc(value)


# ---------------------------------------------------------------------------- list pages


LIST_INTROS = {
    "meeting": "县政府及各部门、各镇召开的会议（第7、11、12、13、23条）。",
    "document": "县政府、县政府办公室及各部门的公文（第14–17条）。另见 [年度发文计划](plans/index.md) 和 [第17条季度通报](report.md)。",
    "inspection": "督查及其整改清单（第3、34–36条）。另见 [督查工作计划](plans/index.md) 和 [未销号及逾期整改](rectifications.md)。",
    "fault-tolerance": "容错纠错案例，已匿名：只写岗位和职级（第43条）。",
    "lawsuit": "行政诉讼败诉案件：查清的原因和追责决定（第30条）。责任人只写单位和岗位。",
}
# The files a build process wrote (path → text), kept here because MkDocs runs the hooks module
# afresh at each `mkdocs serve` rebuild: an unchanged file is then neither read back nor written.
WRITTEN: dict[str, str] = {}


def write_if_changed(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` unless the file holds it already (as this process wrote it last,
    or as read back): an unchanged file keeps its modification time, which tells a dirty rebuild
    not to render it again."""
    if WRITTEN.get(str(path)) == text and path.is_file():
        return
    data = text.encode("utf-8")
    try:
        unchanged = path.read_bytes() == data
    except OSError:
        unchanged = False
    if not unchanged:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    WRITTEN[str(path)] = text
NEWEST = 20  # records listed on a section's front page; the rest by year


def rows_per_page(site: Site) -> int:
    return int(site.engine.policies.settings.site.get("rows_per_page", 100))


def _status_key(r: PublicRecord) -> str:
    return "已撤回" if r.view.get("withdrawn") else ("有问题" if r.errors else ("已登记" if r.violations else "符合"))


def _record_rows(site: Site, items: list[PublicRecord], here: str) -> list[tuple[dict[str, str], list[str]]]:
    out = []
    for r in items:
        unit = r.record.unit
        out.append(({"unit": unit, "year": str(r.record.year), "status": _status_key(r)},
                    [html.escape(r.record.date), f'<a href="{html.escape(href(here, r.uri))}">{html.escape(r.title)}</a>',
                     f'<a href="{html.escape(href(here, f"units/{unit}.md"))}">{html.escape(site.unit_name(unit))}</a>'
                     if unit in site.result.corpus.units else html.escape(unit), _status(r)]))
    return out


def _record_filters(site: Site, items: list[PublicRecord], table_id: str, years: bool = False) -> str:
    units = sorted({r.record.unit for r in items}, key=site.unit_name)
    bar = [f'<div class="zx-filters" data-zx-table="{table_id}">',
           filter_select("unit", "单位", [(u, site.unit_name(u)) for u in units])]
    if years:
        bar.append(filter_select("year", "年度", [(str(y), f"{y} 年") for y in sorted({r.record.year for r in items}, reverse=True)]))
    bar += [filter_select("status", "检查结果", [(s, s) for s in ("符合", "有问题", "已登记", "已撤回")]),
            '<span class="zx-count" aria-live="polite"></span></div>']
    return "".join(bar)


def list_years(site: Site, kind: str) -> dict[int, list[PublicRecord]]:
    by_year: dict[int, list[PublicRecord]] = defaultdict(list)
    for r in site.by_kind.get(kind, []):
        by_year[r.record.year].append(r)
    return dict(sorted(by_year.items(), reverse=True))


def year_page_uri(kind: str, year: int, page: int = 1) -> str:
    """In a folder of its own: a record id (lower-case letters, digits, hyphens) never names a page there."""
    return f"{SECTIONS[kind][0]}/years/{year}" + (f"-{page}" if page > 1 else "") + ".md"


def list_page(site: Site, kind: str) -> str:
    """A section's front page: its years (each a page of its own) and the newest records."""
    folder, title = SECTIONS[kind]
    here = f"{folder}/index.md"
    items = site.by_kind.get(kind, [])
    lines = [f"# {title}", "", LIST_INTROS.get(kind, ""), "", f"共 {len(items)} 条公开记录。", ""]
    if not items:
        return "\n".join(lines + ["暂无公开记录。", ""])
    years = list_years(site, kind)
    lines += ["## 按年度", "", table(["年度", "记录数", "有问题的记录"],
                                   [(link(f"{year} 年", year_page_uri(kind, year).removeprefix(folder + "/")), str(len(rs)),
                                     str(sum(1 for r in rs if r.errors))) for year, rs in years.items()]), ""]
    newest = items[:NEWEST]
    lines += [f"## 最新 {len(newest)} 条", "", _record_filters(site, newest, f"zx-list-{kind}"), "",
              html_table(f"zx-list-{kind}", ["日期", "名称", "单位", "检查结果"], _record_rows(site, newest, here))]
    return "\n".join(lines)


def list_year_pages(site: Site, kind: str) -> dict[str, tuple[str, str]]:
    """``{uri: (title, markdown)}``: each year of a section, split into pages of rows_per_page rows."""
    folder, title = SECTIONS[kind]
    limit = rows_per_page(site)
    out = {}
    for year, records in list_years(site, kind).items():
        pages = [records[i:i + limit] for i in range(0, len(records), limit)]
        for number, chunk in enumerate(pages, start=1):
            uri = year_page_uri(kind, year, number)
            pager = ""
            if len(pages) > 1:
                links = [f"**{n}**" if n == number else link(str(n), year_page_uri(kind, year, n).removeprefix(folder + "/years/"))
                         for n in range(1, len(pages) + 1)]
                pager = f"第 {number} / {len(pages)} 页（每页 {limit} 条）：" + " ".join(links)
            page_title = f"{year} 年{title}" + (f"（第 {number} 页）" if number > 1 else "")
            lines = [f"# {page_title}", "", f"{year} 年共 {len(records)} 条公开记录。[返回{title}](../index.md)", "", pager, "",
                     _record_filters(site, chunk, f"zx-list-{kind}-{year}"), "",
                     html_table(f"zx-list-{kind}-{year}", ["日期", "名称", "单位", "检查结果"], _record_rows(site, chunk, uri)),
                     pager, ""]
            out[uri] = (page_title, "\n".join(lines))
    return out


# ---------------------------------------------------------------------------- rules


def rules_index(site: Site) -> str:
    counts = Counter(v.article for v in site.violations if v.article)
    lines = [f"# 制度：{esc(site.regulation)} 逐条对照", "",
             f"实施细则的 {len(site.engine.policies.articles)} 条，每条列出执行它的自动检查规则、当前生效的参数和检查结果；"
             "不能自动检查的条文说明理由和跟踪方式。", ""]
    rows = []
    for number, article in sorted(site.engine.policies.articles.items()):
        state = f"{len(article.rules)} 条规则，{counts.get(number, 0)} 个问题" if article.checkable else "不自动检查"
        rows.append((f"第{number}条", link(article.title, f"article-{number:02d}.md"), esc(article.section[1]), esc(state)))
    lines.append(table(["条文", "要旨", "部分", "检查"], rows))
    data = [(f"第{n}条", c) for n, c in sorted(counts.items())]
    lines += ["", "## 各条文当前问题数", "", chart_with_table("各条文当前问题数", "条文", "问题数", data)]
    approvals = site.by_kind.get("approval", [])
    if approvals:
        allowed = site.engine.policies.exception_articles
        lines += ["", "## 例外批准", "", f"第{allowed}条允许经批准的例外：", "",
                  table(["日期", "批准", "规则"], [(esc(r.record.date), link(r.title, "../" + r.uri), esc(r.view["rule"]))
                                                 for r in approvals])]
    return "\n".join(lines) + "\n"


def article_page(site: Site, number: int) -> str:
    article = site.engine.policies.articles[number]
    today = site.result.corpus.today
    lines = [f"# 第{number}条 {esc(article.title)}", "", search.article_annotations(), "",
             f"**{esc(article.section[1])}**（第{article.section[0]}部分）", "",
             '!!! quote "条文原文"', ""]
    lines += [f"    {esc(line)}" for line in article.text.strip().splitlines()] + [""]
    if not article.checkable:
        lines += ["## 不自动检查", "", f"理由：{esc(article.reason)}", "", f"跟踪方式：{esc(article.tracked_by)}", ""]
        return "\n".join(lines)
    if article.unchecked_parts:
        lines += ["!!! info \"不自动检查的部分\"", f"    {esc(article.unchecked_parts)}", ""]
    here = f"rules/article-{number:02d}.md"
    by_path: dict[str, PublicRecord] = {}
    for rule in article.rules:
        found = [v for v in site.violations if v.rule == rule.id]
        lines += [f"## {esc(rule.title['zh'])}", "", f"规则编号 <code>{esc(rule.id)}</code>，适用于{esc(KINDS[rule.kind].label if rule.kind in KINDS else '单位名录')}，"
                  f"自 {esc(rule.effective_from)} 起执行" + ("，允许经批准的例外。" if rule.exception_allowed else "。"), ""]
        passed, failed = examples(site.engine.rules[rule.id].doc) if rule.id in site.engine.rules else ("", "")
        if passed or failed:
            lines += [f"符合的例子：{esc(passed)}", "", f"不符合的例子：{esc(failed)}", ""]
        if rule.parameters:
            rows = []
            for p in rule.parameters.values():
                history = "<br>".join(f"{esc(d)} 起：{esc(_show(v))}" for d, v in p.values)
                current = _show(p.at(today)) if rule.in_force(today) else "—"
                rows.append((esc(p.description) + (f"<br><small>{esc(p.note)}</small>" if p.note else ""),
                             esc(f"{current} {p.unit}".strip()), history, esc(p.reference)))
            lines += [table(["参数", "现行值", "历史", "出处"], rows), ""]
        lines += [f"当前检查结果：{'没有发现问题' if not found else f'{len(found)} 个问题'}。", ""]
        if found:
            by_path = by_path or {r.record.path: r for r in site.records}
            found_rows: list[tuple[dict[str, str], list[str]]] = []
            for v in found:
                r = by_path[v.path]
                found_rows.append(({"year": str(r.record.year)},
                                   [f'<a href="{html.escape(href(here, r.uri))}">{html.escape(r.title)}</a>', html.escape(site.said(v))]))
            lines += [html_table(f"zx-article-{rule.id.replace('.', '-')}", ["记录", "说明"], found_rows), ""]
    lines += duty_pages.for_article(site, number)
    years = sorted({str(r.record.year) for r in site.records if any(v.article == number for v in r.violations)}
                   | {str(d.period.year) for d in duty_pages.all_duties(site) if d.article == number}, reverse=True)
    if years:  # one year selector for the article's tables (its findings and its duties)
        ids = " ".join([f"zx-article-{r.id.replace('.', '-')}" for r in article.rules] + [f"zx-duties-article-{number}"])
        bar = (f'<div class="zx-filters" data-zx-table="{ids}">' + filter_select("year", "年度", [(y, f"{y} 年") for y in years])
               + '<span class="zx-count" aria-live="polite"></span></div>')
        first_rule = next(i for i, line in enumerate(lines) if line.startswith("## "))
        lines[first_rule:first_rule] = ["按年度查看本条的检查结果和年度义务：" + bar, ""]
    return "\n".join(lines)


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(map(str, value))
    if isinstance(value, dict):
        return "；".join(f"{k} {v}" for k, v in value.items())
    return str(value)


# ---------------------------------------------------------------------------- units


def units_index(site: Site) -> str:
    corpus = site.result.corpus
    counts = Counter(r.record.unit for r in site.records)
    problems = Counter(r.record.unit for r in site.records if r.errors)
    rows = []
    for unit in sorted(corpus.units.values(), key=lambda u: (u.type, u.id)):
        state = "（已撤并）" if unit.valid_to and not unit.valid_on(corpus.today) else ""
        rows.append((link(unit.name + state, f"{unit.id}.md"), esc(unit.type), str(counts.get(unit.id, 0)), str(problems.get(unit.id, 0))))
    return "# 部门\n\n各单位的会议、发文、任务和整改情况。\n\n" + table(["单位", "类型", "公开记录", "有问题的记录"], rows)


def unit_page(site: Site, unit_id: str) -> str:
    corpus = site.result.corpus
    unit = corpus.units[unit_id]
    mine = site.by_unit.get(unit_id, [])
    # a unit set up before the records begin carries a placeholder date (2000-01-01): not a fact to publish
    since = site.engine.policies.settings.records_period[0]
    founded = f"　设立：{esc(unit.valid_from)}" if unit.valid_from >= since else ""
    lines = [f"# {esc(unit.name)}", "", search.unit_annotations(unit.type), "",
             f'类型：{esc(unit.type)}{founded}　<a href="feed.xml">订阅本单位（RSS）</a>'
             + (f"　撤并：{esc(unit.valid_to)}" if unit.valid_to else ""), ""]
    # meetings against targets
    meetings = Counter(r.record.year for r in mine if r.kind == "meeting")
    targets = {t["year"]: t["max_meetings"] for t in unit.data.get("meeting_targets", [])}
    lines += ["## 会议与年度目标（第11条）", ""]
    years = sorted(set(meetings) | set(targets))
    lines.append(table(["年度", "公开会议数", "年度目标"], [(str(y), str(meetings.get(y, 0)), str(targets.get(y, "—"))) for y in years])
                 if years else "暂无会议记录。\n")
    # plan execution
    rows = [row for row in site.quarter_rows(max(years) if years else 0) if row.unit == unit_id]
    lines += ["", "## 发文计划执行（第17条）", ""]
    lines.append(table(["季度", "计划", "按计划", "计划外", "退文"],
                       [(f"第{r.quarter}季度", str(r.planned), str(r.in_plan), str(r.outside_plan), str(r.returned)) for r in rows])
                 if rows else "暂无发文计划条目。\n")
    # tasks
    tasks = [r for r in site.by_kind.get("task", []) if unit_id in r.view.get("lead_units", [])]  # few: tasks lead across units
    lines += ["", "## 牵头任务（第18、19条）", ""]
    lines.append(table(["任务", "检查结果"], [(link(r.title, "../" + r.uri), _status(r)) for r in tasks]) if tasks else "暂无牵头任务。\n")
    # rectifications
    open_items = [(r, f) for r, f in site.open_rectifications if f["rectification"].get("lead_unit") == unit_id]
    lines += ["", "## 未销号整改（第35条）", ""]
    lines.append(table(["督查", "问题", "完成时限", "状态"],
                       [(link(r.title, "../" + r.uri), esc(f["problem"]), esc(f["rectification"].get("due", "—")), _overdue(site, f)) for r, f in open_items])
                 if open_items else "没有未销号的整改事项。\n")
    lines += duty_pages.for_unit(site, unit_id)
    # violations
    here = f"units/{unit_id}.md"
    bad = [(r, v) for r in mine for v in r.violations]
    lines += ["", "## 检查发现的问题", ""]
    lines.append(html_table("zx-unit-problems", ["记录", "条文", "说明"],
                            [({"year": str(r.record.year)}, [f'<a href="{html.escape(href(here, r.uri))}">{html.escape(r.title)}</a>',
                                                              f"第{v.article}条" if v.article else "格式", html.escape(site.said(v))])
                             for r, v in bad]) if bad else "没有发现问题。\n")
    lines += ["", "## 全部公开记录", ""]
    lines.append(html_table("zx-unit-records", ["日期", "类别", "名称", "检查结果"],
                            [({"year": str(r.record.year), "kind": r.kind},
                              [html.escape(r.record.date), html.escape(KINDS[r.kind].label),
                               f'<a href="{html.escape(href(here, r.uri))}">{html.escape(r.title)}</a>', _status(r)]) for r in mine])
                 if mine else "暂无公开记录。\n")
    selectable = sorted({str(r.record.year) for r in mine}
                        | {str(d.period.year) for d in duty_pages.all_duties(site) if d.owner == unit_id}, reverse=True)
    if selectable:  # one year selector for the page's tables (年度义务, 问题, 记录)
        bar = ('<div class="zx-filters" data-zx-table="zx-duties-unit zx-unit-problems zx-unit-records">'
               + filter_select("year", "年度", [(y, f"{y} 年") for y in selectable])
               + filter_select("kind", "类别", [(k, KINDS[k].label) for k in sorted({r.kind for r in mine})])
               + '<span class="zx-count" aria-live="polite"></span></div>')
        lines[2:2] = [bar, ""]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- rectifications, report, home


_OPEN = ("open", "overdue", "no-deadline")


def _overdue(site: Site, finding: dict[str, Any]) -> str:
    state = rectification_state(finding["rectification"], site.result.corpus.today)
    if state == "overdue":
        return status_badge("逾期")
    return status_badge("整改中") if state == "open" else '<span class="zx-status zx-bad">未定时限</span>'


def rectifications_page(site: Site) -> str:
    items = site.open_rectifications
    overdue = [pair for pair in items if rectification_state(pair[1]["rectification"], site.result.corpus.today) == "overdue"]
    lines = ["# 未销号及逾期整改（第35条）", "", f"截至 {esc(site.result.corpus.today)}：未销号 {len(items)} 项，其中逾期 {len(overdue)} 项。", ""]
    rows = [(link(r.title, "../" + r.uri), esc(f["problem"]), site.unit_link(str(f["rectification"].get("lead_unit", "")), 1),
             esc(f["rectification"].get("due", "—")), _overdue(site, f)) for r, f in items]
    lines.append(table(["督查", "问题", "牵头单位", "完成时限", "状态"], rows) if rows else "没有未销号的整改事项。\n")
    return "\n".join(lines) + "\n"


def ledger_returns(site: Site) -> list[tuple[str, str]]:
    """退文 registered in the public ledger (Art. 16), for the Art. 17 report."""
    return quarterly.ledger_returns(public_entries(site))


def report_page(site: Site) -> str:
    years = sorted({r.view["year"] for r in site.by_kind.get("document-plan", [])})
    lines = ["# 发文计划执行情况季度通报（第17条）", "",
             "各单位每季度的计划发文、按计划发文、计划外发文和退文数（退文包括公文记录中的退文和[问题清单](../findings/index.md)中登记为退文的问题）。只统计公开的发文计划和公文：涉密和内部公文不计入公开的数字，也不会在这里被单独显出。", ""]
    for year in reversed(years):
        rows = quarterly.rows(site.public_corpus, year, site.engine.policies, ledger_returns(site))
        totals = quarterly.totals_by_quarter(rows)
        lines += [f"## {year} 年", ""]
        lines.append(chart_with_table(f"{year} 年各季度按计划发文数", "季度", "按计划发文",
                                      [(f"第{q}季度", t["in_plan"]) for q, t in totals.items()]))
        lines.append(table(["单位", "季度", "计划发文", "按计划发文", "计划外发文", "退文"],
                           [(esc(r.unit_name), f"第{r.quarter}季度", str(r.planned), str(r.in_plan), str(r.outside_plan), str(r.returned))
                            for r in rows]))
    if not years:
        lines.append("暂无年度发文计划。")
    return "\n".join(lines) + "\n"


def integrity_notice(site: Site) -> list[str]:
    """If main holds an integrity problem (a file that does not parse, a broken reference …), the
    site says so rather than hiding it: counts by unit and kind of problem, never a file's name or
    content (the file may be a non-public record)."""
    problems = [v for v in site.result.violations if v.finding is None and v.severity is Severity.ERROR]
    if not problems:
        return []
    by_unit = Counter((v.path.split("/")[1] if v.path.startswith("records/") and v.path.count("/") >= 2 else "") for v in problems)
    rows = [(site.unit_link(unit, 0) if unit else "（仓库）", str(n)) for unit, n in sorted(by_unit.items())]
    return ['!!! warning "数据完整性问题"', "",
            f"    仓库中有 {len(problems)} 个数据完整性问题（文件格式、字段、引用或修改记录不符合要求），"
            "涉及的记录可能没有显示在本站。提交单位和审核人已在检查结果中看到具体位置。", "",
            table(["单位", "问题数"], rows), ""]


def home_summary(site: Site) -> str:
    policies = site.engine.policies
    checkable = sum(a.checkable for a in policies.articles.values())
    entries = public_entries(site)
    waiting = sum(e.status == "待登记" for e in entries)
    overdue = sum(e.status == "逾期" for e in entries)
    counts = [(SECTIONS[k][1], len(site.by_kind.get(k, []))) for k in SECTIONS if k not in ("approval",)]
    lines = ["## 执行情况一览", "",
             f"自动检查的条文 **{checkable}** / {len(policies.articles)} 条；公开记录 **{len(site.records)}** 条；"
             f"[发现问题 **{len(entries)}** 个](findings/index.md)（待登记 {waiting} 个，整改逾期 {overdue} 个）；"
             f"未销号整改 **{len(site.open_rectifications)}** 项。", "",
             chart_with_table("各类公开记录数", "类别", "记录数", counts), ""]
    lines += integrity_notice(site)
    lines += ["## 最新记录", ""]
    rows = [(esc(r.record.date), esc(KINDS[r.kind].label), link(r.title, r.uri), site.unit_link(r.record.unit, 0), _status(r))
            for r in site.records[:12]]
    lines.append(table(["日期", "类别", "名称", "单位", "检查结果"], rows))
    return "\n".join(lines) + "\n"
