"""Open data: every public record kind as JSON and CSV, a Frictionless data package describing
the CSVs, the JSON Schemas, and an RSS feed of the newest records. Public views only."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape

from zhixing.records import SECTIONS
from zhixing.site.markup import csv_cell
from zhixing.site.pages import Site

_TYPES = {"integer": "integer", "number": "number", "boolean": "boolean"}


def _columns(schema: dict[str, Any], rows: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(name, frictionless type, description) in schema order, for the keys the rows use."""
    used = {k for row in rows for k in row}
    out = []
    for name, prop in schema.get("properties", {}).items():
        if name not in used:
            continue
        ref = str(prop.get("$ref", ""))
        kind = "date" if ref.endswith("/date") else _TYPES.get(str(prop.get("type")), "string")
        if ref.endswith("/year"):
            kind = "integer"
        out.append((name, kind, str(prop.get("description", ""))))
    return out


# Characters XML 1.0 does not allow, even escaped: a feed holding one is not XML at all.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def open_data_files(site: Site, site_url: str) -> dict[str, str | bytes]:
    """Every download, by its path in the site: generated at build time like the pages."""
    files: dict[str, str | bytes] = {}
    resources: list[dict[str, Any]] = []
    for kind in SECTIONS:
        rows = [r.view for r in reversed(site.by_kind.get(kind, []))]
        schema = site.engine.schemas.documents[kind]
        columns = _columns(schema, rows)
        files[f"data/{kind}.json"] = json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([name for name, _, _ in columns])
        for row in rows:
            writer.writerow([csv_cell(row.get(name)) for name, _, _ in columns])
        files[f"data/{kind}.csv"] = buffer.getvalue()
        resources.append({
            "name": kind, "path": f"{kind}.csv", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "title": SECTIONS[kind][1],
            "schema": {"fields": [{"name": n, "type": t, "description": d} for n, t, d in columns],
                       "primaryKey": ["id"] if any(n == "id" for n, _, _ in columns) else []},
        })
    package = {
        "name": "zhixing-open-data",
        "title": f"{site.engine.policies.settings.site.get('name', '')}公开数据（{site.regulation}）",
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
        "resources": [r for r in resources if r["schema"]["fields"]],
    }
    files["data/datapackage.json"] = json.dumps(package, ensure_ascii=False, indent=1) + "\n"
    for path in sorted((site.engine.root / "schemas").glob("*.schema.json")):
        files[f"data/schemas/{path.name}"] = path.read_bytes()
    files["feed.xml"] = _feed(site, site_url)
    return files


def _feed(site: Site, site_url: str) -> str:
    items = []
    for r in site.records[:50]:
        url = site_url + r.uri.removesuffix(".md") + "/"
        when = datetime.fromisoformat(r.record.date).replace(tzinfo=UTC)
        items.append(f"<item><title>{_xml(r.title)}</title><link>{_xml(url)}</link><guid>{_xml(url)}</guid>"
                     f"<pubDate>{format_datetime(when)}</pubDate><category>{_xml(r.record.kind)}</category></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>{_xml(str(site.engine.policies.settings.site.get('name', '')))}</title><link>{_xml(site_url or './')}</link>"
            "<description>新公开的会议、发文、任务、督查整改和容错纠错记录</description><language>zh-cn</language>"
            + "".join(items) + "</channel></rss>\n")


def data_page(site: Site) -> str:
    lines = ["# 数据下载", "", "全部公开记录的开放数据，只含公开记录的公开字段。", "",
             "| 类别 | JSON | CSV |", "|---|---|---|"]
    for kind, (_, title) in SECTIONS.items():
        lines.append(f"| {title} | [{kind}.json]({kind}.json) | [{kind}.csv]({kind}.csv) |")
    lines += ["", "- 数据包说明（Frictionless Data Package）：[datapackage.json](datapackage.json)",
              "- 字段定义（JSON Schema）：`schemas/` 目录，例如 [meeting.schema.json](schemas/meeting.schema.json)",
              "- 问题清单（第16、17、35、37、42条）：[findings.json](findings.json)、[findings.csv](findings.csv)",
              "- 订阅新记录（RSS）：[feed.xml](../feed.xml)", ""]
    return "\n".join(lines)
