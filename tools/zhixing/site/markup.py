"""Markdown and HTML building blocks for generated pages. Every string from a record or a
policy passes through ``esc``: HTML-escaped, and Markdown's own markup characters neutralised,
so a title of ``<script>`` or ``*bold*`` is shown as the text it is."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from typing import Any

_MARKDOWN = {ord(c): f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|~^$:"}


def esc(value: object) -> str:
    text = html.escape("" if value is None else str(value), quote=True)
    return text.translate(_MARKDOWN).replace("\n", "<br>")


def link(text: object, target: str) -> str:
    """A Markdown link to another generated page (MkDocs validates it in strict mode)."""
    return f"[{esc(text)}]({target})"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table; cells are already-escaped Markdown."""
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(out) + "\n"


def bar_chart(title: str, data: Sequence[tuple[str, int]], width: int = 360) -> str:
    """A self-contained SVG bar chart (no script, no CDN); the caller puts a table beside it.

    Drawn for a phone: 360 units wide, each label on its own line above its bar, so that at a
    360 px screen the 13-unit labels are still at least 12 px (the CSS caps it at 480 px wide)."""
    if not data:
        return ""
    label_h, bar_h, gap = 16, 14, 10
    row = label_h + bar_h + gap
    top = max(v for _, v in data) or 1
    height = len(data) * row + gap
    parts = [f'<svg class="zx-chart" role="img" aria-label="{html.escape(title)}" viewBox="0 0 {width} {height}" '
             f'width="100%" xmlns="http://www.w3.org/2000/svg"><title>{html.escape(title)}</title>']
    for i, (label, value) in enumerate(data):
        y = gap + i * row
        w = max(1, int((width - 50) * value / top)) if value else 0
        parts.append(f'<text x="0" y="{y + 13}" font-size="13">{html.escape(label)}</text>'
                     f'<rect x="0" y="{y + label_h}" width="{w}" height="{bar_h}" fill="#3f6ec6"></rect>'
                     f'<text x="{w + 6}" y="{y + label_h + 12}" font-size="13">{value}</text>')
    parts.append("</svg>")
    return "".join(parts) + "\n"


def chart_with_table(title: str, label_header: str, value_header: str, data: Sequence[tuple[str, int]]) -> str:
    """The chart and the same numbers as a table, side by side on wide screens."""
    if not data:
        return f"*{esc(title)}：暂无数据*\n"
    rows = [(esc(label), str(value)) for label, value in data]
    return (f'<div class="zx-figure" markdown>\n<div class="zx-figure-chart" markdown>\n\n{bar_chart(title, data)}\n</div>\n'
            f'<div class="zx-figure-table" markdown>\n\n{table([label_header, value_header], rows)}\n</div>\n</div>\n')


# A cell a spreadsheet would read as a formula (OWASP "CSV injection"): prefixed with ' so it is text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def filter_select(name: str, label: str, options: list[tuple[str, str]]) -> str:
    """A drop-down of a .zx-filters bar (docs/assets/zhixing-filter.js): rows whose data-NAME is the value."""
    opts = "".join(f'<option value="{html.escape(v)}">{html.escape(t)}</option>' for v, t in options)
    return (f'<label>{label} <select data-zx-filter="{name}" aria-label="按{label}筛选">'
            f'<option value="">全部</option>{opts}</select></label>')


def html_table(table_id: str, headers: Sequence[str], rows: Iterable[tuple[dict[str, str], Sequence[str]]],
               css: str = "zx-list", sortable: bool = True) -> str:
    """An HTML table in its scroll box: each row's data-* attributes (for the filters) and its cells
    (already-escaped HTML); sortable by any column with the site's script (data-zx-sort)."""
    out = [f'<div class="zx-scroll"><table id="{html.escape(table_id)}" class="{css}"' + (" data-zx-sort" if sortable else "")
           + "><thead><tr>" + "".join(f"<th>{h}</th>" for h in headers) + "</tr></thead><tbody>"]
    for attrs, cells in rows:
        data = "".join(f' data-{k}="{html.escape(v)}"' for k, v in attrs.items())
        out.append(f"<tr{data}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out) + "\n"


def href(from_uri: str, to_uri: str) -> str:
    """A link between two generated pages as the browser resolves it (directory URLs): from
    ``meetings/year-2019.md`` (served at meetings/year-2019/) to ``meetings/x.md`` → ``../x/``."""
    def directory(uri: str) -> str:
        return uri.removesuffix("index.md") if uri.endswith("index.md") else uri.removesuffix(".md") + "/"

    here = directory(from_uri)
    return "../" * here.count("/") + directory(to_uri)
