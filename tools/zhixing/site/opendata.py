"""Open data: every public record kind as JSON and CSV, a Frictionless data package describing
the CSVs, the JSON Schemas, and an RSS feed of the newest records. Public views only."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape

from zhixing.records import KINDS, SECTIONS
from zhixing.site.markup import csv_cell
from zhixing.site.pages import Site, field_label

_TYPES = {"integer": "integer", "number": "number", "boolean": "boolean"}
BOM = "\ufeff"  # Excel on Chinese Windows reads a CSV as GBK unless it starts with one
YES, NO = "是", "否"


@dataclass
class Table:
    """One flat table of a download: a kind's records, or one nested list of them (会议的议题,
    督查的问题…), each row keyed by the record's id and its place in the list."""

    name: str  # meeting, meeting-agenda, inspection-findings-rectification-progress
    title: str
    columns: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # header -> (field path, type, description)
    rows: list[dict[str, str]] = field(default_factory=list)


def _leaf_type(prop: dict[str, Any]) -> str:
    ref = str(prop.get("$ref", ""))
    if ref.endswith("/date"):
        return "date"
    if ref.endswith("/year"):
        return "integer"
    return _TYPES.get(str(prop.get("type")), "string")


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, list):
        return "；".join(_cell(v) for v in value)
    return csv_cell(value)


def _flatten(data: dict[str, Any], schema: dict[str, Any], table: Table, row: dict[str, str], tables: dict[str, Table],
             keys: dict[str, str], names: tuple[str, ...] = (), titles: tuple[str, ...] = ()) -> None:
    """Scalars and lists of scalars become columns (lists joined with “；”), objects become
    columns named parent·child, lists of objects become tables of their own."""
    props = schema.get("properties", {})
    for key, value in data.items():
        prop = props.get(key, {})
        path, header = (*names, key), (*titles, field_label(prop, key))
        if isinstance(value, dict):
            _flatten(value, prop, table, row, tables, keys, path, header)
        elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
            name = f"{table.name}-{'-'.join(path).replace('_', '-')}"
            child = tables.setdefault(name, Table(name, f"{table.title}·{'·'.join(header)}"))
            for index, item in enumerate(value, start=1):
                child_keys = {**keys, f"{'·'.join(header)}序号": str(index)}
                child_row = dict(child_keys)
                for column in child_keys:
                    child.columns.setdefault(column, (column, "integer" if column.endswith("序号") else "string", ""))
                if isinstance(item, dict):
                    _flatten(item, prop.get("items", {}), child, child_row, tables, child_keys)
                child.rows.append(child_row)
        else:
            column = "·".join(header)
            item_prop = prop.get("items", {}) if isinstance(value, list) else prop
            kind = "string" if isinstance(value, list) else _leaf_type(item_prop)
            table.columns.setdefault(column, (".".join(path) + ("[]" if isinstance(value, list) else ""), kind,
                                              str(prop.get("description", ""))))
            row[column] = _cell(value)


def tables_of(site: Site, kind: str) -> list[Table]:
    """A kind's public records as flat tables: the records, then each nested list (flattened once
    per build: the downloads and the data page both use them)."""
    if kind not in site.tables:
        site.tables[kind] = _tables(site, kind)
    return list(site.tables[kind])


def _tables(site: Site, kind: str) -> list[Table]:
    schema = site.engine.schemas.documents[kind]
    main = Table(kind, SECTIONS[kind][1])
    tables: dict[str, Table] = {kind: main}
    id_header = field_label(schema["properties"]["id"], "id")
    for record in reversed(site.by_kind.get(kind, [])):
        row: dict[str, str] = {}
        _flatten(record.view, schema, main, row, tables, {id_header: record.id})
        main.rows.append(row)
    return [t for t in tables.values() if t.rows or t is main]


def _csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(list(table.columns))
    for row in table.rows:
        writer.writerow([row.get(column, "") for column in table.columns])
    return BOM + buffer.getvalue()


def _resource(table: Table) -> dict[str, Any]:
    fields = []
    for header, (path, kind, description) in table.columns.items():
        entry: dict[str, Any] = {"name": header, "type": kind, "description": description or path, "zhixing:field": path}
        if kind == "boolean":
            entry |= {"trueValues": [YES], "falseValues": [NO]}
        fields.append(entry)
    return {"name": table.name, "path": f"{table.name}.csv", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8-sig", "title": table.title, "schema": {"fields": fields}}


def _xlsx(tables: list[Table], built_on: str) -> bytes:
    """One workbook a kind: a sheet a table (header row frozen), and a 字段说明 sheet. Written as
    SpreadsheetML directly (openpyxl took most of a 10,000-record build's download time): every cell
    is the CSV's text as an inline string, so no cell is ever a formula; fixed timestamps."""
    sheets = [(table.title.split("·", 1)[-1][:31] if table is not tables[0] else table.title[:31],
               [list(table.columns), *([row.get(column, "") for column in table.columns] for row in table.rows)])
              for table in tables]
    notes = [["表", "列名", "字段", "类型", "说明"]]
    notes += [[table.title, header, path, kind, description]
              for table in tables for header, (path, kind, description) in table.columns.items()]
    sheets.append(("字段说明", notes))
    stamp = datetime.fromisoformat(built_on)
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{package}/content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
        'PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                  for i in range(1, len(sheets) + 1)) + "</Types>",
        "_rels/.rels": f'<Relationships xmlns="{package}/relationships"><Relationship Id="rId1" '
        f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" '
        f'Type="{package}/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>',
        "docProps/core.xml": f'<cp:coreProperties xmlns:cp="{package}/metadata/core-properties" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp:%Y-%m-%dT%H:%M:%SZ}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp:%Y-%m-%dT%H:%M:%SZ}</dcterms:modified></cp:coreProperties>',
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        + "".join(f'<sheet name="{_xml(name)}" sheetId="{i}" r:id="rId{i}"/>' for i, (name, _) in enumerate(sheets, start=1))
        + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{package}/relationships">'
        + "".join(f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                  for i in range(1, len(sheets) + 1))
        + f'<Relationship Id="rId{len(sheets) + 1}" Type="{rel}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": f'<styleSheet xmlns="{main}"><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
    }
    for i, (name, rows) in enumerate(sheets, start=1):
        frozen = ('<sheetViews><sheetView workbookViewId="0"><pane xSplit="1" ySplit="1" topLeftCell="B2" '
                  'activePane="bottomRight" state="frozen"/></sheetView></sheetViews>') if name != "字段说明" else ""
        body = "".join(f'<row r="{r}">' + "".join(_xlsx_cell(f"{_column(c)}{r}", v) for c, v in enumerate(values)) + "</row>"
                       for r, values in enumerate(rows, start=1))
        parts[f"xl/worksheets/sheet{i}.xml"] = f'<worksheet xmlns="{main}">{frozen}<sheetData>{body}</sheetData></worksheet>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            book.writestr(info, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text)
    return out.getvalue()


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xlsx_cell(ref: str, value: str) -> str:
    """A cell of text (the download tables hold the CSV's text); an empty one is left out."""
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_xml(value)}</t></is></c>' if value else ""


# Characters XML 1.0 does not allow, even escaped: a feed holding one is not XML at all.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def open_data_files(site: Site, site_url: str) -> dict[str, str | bytes]:
    """Every download, by its path in the site: generated at build time like the pages."""
    files: dict[str, str | bytes] = {}
    resources: list[dict[str, Any]] = []
    dictionary = io.StringIO()
    dictionary_writer = csv.writer(dictionary, lineterminator="\r\n")
    dictionary_writer.writerow(["文件", "表", "列名", "字段", "类型", "说明"])
    for kind in SECTIONS:
        rows = [r.view for r in reversed(site.by_kind.get(kind, []))]
        files[f"data/{kind}.json"] = json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
        tables = tables_of(site, kind)
        for table in tables:
            files[f"data/{table.name}.csv"] = _csv(table).encode("utf-8")
            resources.append(_resource(table))
            for header, (field_path, column_kind, description) in table.columns.items():
                dictionary_writer.writerow([f"{table.name}.csv", table.title, header, field_path, column_kind, description])
        files[f"data/{kind}.xlsx"] = _xlsx(tables, f"{site.result.corpus.today}T00:00:00")
    from zhixing.site.ledger import FINDING_COLUMNS

    for name, header in FINDING_COLUMNS.items():
        dictionary_writer.writerow(["findings.csv", "问题清单", header, name, "string", ""])
    files["data/dictionary.csv"] = (BOM + dictionary.getvalue()).encode("utf-8")
    package = {
        "name": "zhixing-open-data",
        "title": f"{site.engine.policies.settings.site.get('name', '')}公开数据（{site.regulation}）",
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
        "resources": resources,
    }
    files["data/datapackage.json"] = json.dumps(package, ensure_ascii=False, indent=1) + "\n"
    for schema_file in sorted((site.engine.root / "schemas").glob("*.schema.json")):
        files[f"data/schemas/{schema_file.name}"] = schema_file.read_bytes()
    files.update(feeds(site, site_url))
    return files


def _base_url(site: Site, site_url: str = "") -> str:
    """The site's address for absolute links: settings' site.url, else mkdocs' site_url (env)."""
    url = str(site.engine.policies.settings.site.get("url") or site_url or "")
    return url if not url or url.endswith("/") else url + "/"


def _feed(site: Site, base: str, records: list[Any], title: str, self_path: str) -> str:
    items = []
    for r in records[:50]:
        url = base + r.uri.removesuffix(".md") + "/"
        when = datetime.fromisoformat(r.record.date).replace(tzinfo=UTC)
        items.append(f"<item><title>{_xml(r.title)}</title><link>{_xml(url)}</link><guid>{_xml(url)}</guid>"
                     f"<pubDate>{format_datetime(when)}</pubDate><category>{_xml(KINDS[r.kind].label)}</category></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>{_xml(title)}</title><link>{_xml(base or './')}</link>"
            "<description>新公开的会议、发文、任务、督查整改和容错纠错记录</description><language>zh-cn</language>"
            + "".join(items) + "</channel></rss>\n")


def feeds(site: Site, site_url: str) -> dict[str, str]:
    """feed.xml for the whole site and units/<id>/feed.xml per unit, linking absolutely when the
    site's address is known."""
    base = _base_url(site, site_url)
    name = str(site.engine.policies.settings.site.get("name", ""))
    out = {"feed.xml": _feed(site, base, site.records, name, "feed.xml")}
    for unit_id in site.result.corpus.units:
        mine = site.by_unit.get(unit_id, [])
        out[f"units/{unit_id}/feed.xml"] = _feed(site, base, mine, f"{name}：{site.unit_name(unit_id)}", f"units/{unit_id}/feed.xml")
    return out


def data_page(site: Site) -> str:
    lines = ["# 数据下载", "",
             "全部公开记录的开放数据，只含公开记录的公开字段。CSV 文件带 BOM、列名为中文，可以直接用 Excel 打开；"
             "列表字段用“；”连接，议题、议定事项、发现的问题等嵌套内容另成一张表（用“记录编号”和“序号”对应）。"
             "列名与字段名的对照见[数据字典](dictionary.csv)。", "",
             "| 类别 | Excel | CSV | JSON |", "|---|---|---|---|"]
    for kind, (_, title) in SECTIONS.items():
        nested = [t for t in tables_of(site, kind)[1:]]
        extra = "".join(f"<br>[{t.title.split('·', 1)[-1]}]({t.name}.csv)" for t in nested)
        lines.append(f"| {title} | [{kind}.xlsx]({kind}.xlsx) | [{kind}.csv]({kind}.csv){extra} | [{kind}.json]({kind}.json) |")
    lines += ["", "- 数据字典（列名 → 字段名、类型、说明）：[dictionary.csv](dictionary.csv)",
              "- 数据包说明（Frictionless Data Package）：[datapackage.json](datapackage.json)",
              "- 字段定义（JSON Schema）：`schemas/` 目录，例如 [meeting.schema.json](schemas/meeting.schema.json)",
              "- 问题清单（第16、17、35、37、42条）：[findings.json](findings.json)、[findings.csv](findings.csv)",
              "- 订阅新记录（RSS）：[全部](../feed.xml)；各单位：单位页上的“订阅本单位”", ""]
    if not _base_url(site):
        lines += ["网站地址未设置（`policies/settings.yaml` 的 `site.url`），订阅中的链接为相对地址。", ""]
    return "\n".join(lines)
