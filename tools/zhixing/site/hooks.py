"""MkDocs hooks (listed in mkdocs.yml): run the checks, then generate pages from their result.

The records and policies are read once per build; generated pages are ``File.generated`` and
never written into docs/. Every string taken from a record or policy is HTML-escaped.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

from zhixing.engine import CheckResult, Engine

_STATE: dict[str, Any] = {}


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True).replace("|", "&#124;")


def on_config(config: Any) -> Any:
    root = Path(config["config_file_path"]).resolve().parent
    engine = Engine(root)
    _STATE["engine"] = engine
    _STATE["result"] = engine.check()
    return config


def _rules_page(engine: Engine, result: CheckResult) -> str:
    counts: dict[int, int] = {}
    for v in result.violations:
        if v.article is not None:
            counts[v.article] = counts.get(v.article, 0) + 1
    lines = ["# 制度：乐府〔2019〕13号 逐条对照", "",
             "每一条实施细则及执行它的自动检查规则。没有规则的条文说明理由和跟踪方式。", "",
             "| 条 | 要旨 | 检查规则 | 当前问题数 |", "|---|---|---|---|"]
    for number in sorted(engine.policies.articles):
        article = engine.policies.articles[number]
        if article.checkable:
            rules = "<br>".join(f"`{_esc(r.id)}` {_esc(r.title['zh'])}" for r in article.rules)
            found = str(counts.get(number, 0))
        else:
            rules = f"不自动检查：{_esc(article.reason)}"
            found = "—"
        lines.append(f"| 第{number}条 | {_esc(article.title)} | {rules} | {found} |")
    return "\n".join(lines) + "\n"


def _summary(engine: Engine, result: CheckResult) -> str:
    corpus = result.corpus
    checkable = sum(a.checkable for a in engine.policies.articles.values())
    errors = sum(v.severity.value == "error" for v in result.violations)
    parts = [
        "| 项目 | 数量 |", "|---|---|",
        f"| 记录文件 | {len(result.checked)} |",
        f"| 会议 | {len(corpus.by_kind.get('meeting', {}))} |",
        f"| 公文 | {len(corpus.by_kind.get('document', {}))} |",
        f"| 已自动检查的条文 | {checkable} / {len(engine.policies.articles)} |",
        f"| 当前发现的问题 | {errors} |",
    ]
    banner = ""
    if engine.policies.settings.example_data:
        banner = '!!! warning "演示数据"\n    本站当前展示的是示例数据，不代表乐东县的真实情况。\n\n'
    return banner + "\n".join(parts) + "\n"


def on_files(files: Files, config: Any) -> Files:
    engine, result = _STATE["engine"], _STATE["result"]
    files.append(File.generated(config, "rules/index.md", content=_rules_page(engine, result)))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    if "{{ zhixing_summary }}" in markdown:
        markdown = markdown.replace("{{ zhixing_summary }}", _summary(_STATE["engine"], _STATE["result"]))
    return markdown
