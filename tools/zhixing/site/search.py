"""The site's search: Pagefind, chosen by measurement (bench/search.py, README 公开网站).

Pagefind indexes the built pages after the build (``index``) into a chunked index: a query loads
the small parts it needs, so what a visitor downloads does not grow with the corpus the way
Material's one search_index.json did. Its extended build segments Chinese.

What the pages tell the index (``annotations``), as hidden elements Pagefind reads:
- ``data-pagefind-meta`` 类别, 单位, 日期: shown with each result;
- ``data-pagefind-filter`` 文号 on documents (in one canonical form), 条文 on article pages,
  单位 on unit pages: docs/assets/zhixing-search.js turns a query that names a 文号 in any common
  form (乐府[2019]13号, 乐府〔2019〕第13号), an article (第12条, 第十二条) or a unit (教育局) into
  an exact filter and lists those pages first.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path
from typing import Any

# A 文号 as clerks and citizens type it: organ, year in any bracket, an optional 第, number, 号.
DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,12}?)\s*[〔\[【［(（]\s*(\d{4})\s*[〕\]】］)）]\s*第?\s*0*(\d+)\s*号")


def canonical_number(text: str) -> str | None:
    """A 文号 in GB/T 9704's form (乐府〔2019〕13号), or None when the text holds none."""
    found = DOC_NUMBER.search(text)
    return f"{found.group(1)}〔{found.group(2)}〕{found.group(3)}号" if found else None


def _hidden(kind: str, name: str, value: str) -> str:
    return f'<span data-pagefind-{kind}="{html.escape(name)}" hidden>{html.escape(value)}</span>'


def record_annotations(kind_label: str, unit_name: str, date: str, number: str | None = None) -> str:
    out = _hidden("meta", "类别", kind_label) + _hidden("meta", "单位", unit_name) + _hidden("meta", "日期", date)
    canonical = canonical_number(number or "")
    if canonical:
        out += _hidden("filter", "文号", canonical)
    return out


def article_annotations(number: int) -> str:
    return _hidden("meta", "类别", "制度条文") + _hidden("filter", "条文", str(number))


def unit_annotations(unit_id: str, unit_type: str) -> str:
    return _hidden("meta", "类别", f"单位（{unit_type}）") + _hidden("filter", "单位", unit_id)


def units_json(units: dict[str, Any]) -> str:
    """The registry's names for the search script: a query naming a unit (全称, 简称, or without the
    county's prefix) lists the unit's page first."""
    return json.dumps([{"id": u.id, "name": u.name, "short": str(u.data.get("short_name") or "")} for u in units.values()],
                      ensure_ascii=False)


def index(site_dir: Path) -> None:
    """Index the built site with Pagefind's extended binary (from the pagefind-bin-extended wheel)."""
    from pagefind_bin_extended import get_executable

    proc = subprocess.run([str(get_executable()), "--site", str(site_dir), "--quiet"], capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"pagefind failed: {proc.stderr or proc.stdout}")
