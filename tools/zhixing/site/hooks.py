"""MkDocs hooks (listed in mkdocs.yml): run the checks once, then generate every page from the
result at build time. Nothing generated is written into docs/; record pages stay out of the nav,
so a page's size does not grow with the number of records."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

from zhixing.engine import Engine
from zhixing.site import opendata, pages
from zhixing.site.history import last_changed

_STATE: dict[str, Any] = {}
SUMMARY_MARK = "{{ zhixing_summary }}"


def on_config(config: Any) -> Any:
    root = Path(config["config_file_path"]).resolve().parent
    engine = Engine(root)
    result = engine.check()
    _STATE["site"] = pages.Site.build(engine, result, last_changed(root))
    config["extra"]["demo"] = engine.policies.settings.example_data
    return config


def _generated(files: Files, config: Any, uri: str, content: str, source: str | None = None) -> None:
    file = File.generated(config, uri, content=content)
    _STATE.setdefault("sources", {})[file.src_uri] = source
    files.append(file)


def on_files(files: Files, config: Any) -> Files:
    site: pages.Site = _STATE["site"]
    _STATE["sources"] = {}
    _generated(files, config, "rules/index.md", pages.rules_index(site))
    for number in site.engine.policies.articles:
        _generated(files, config, f"rules/article-{number:02d}.md", pages.article_page(site, number),
                   site.engine.policies.articles[number].source)
    for kind, (folder, _) in pages.SECTIONS.items():
        _generated(files, config, f"{folder}/index.md", pages.list_page(site, kind))
        for record in site.by_kind.get(kind, []):
            _generated(files, config, record.uri, pages.record_page(site, record), record.record.path)
    _generated(files, config, "units/index.md", pages.units_index(site))
    for unit_id in site.result.corpus.units:
        _generated(files, config, f"units/{unit_id}.md", pages.unit_page(site, unit_id))
    _generated(files, config, "documents/report.md", pages.report_page(site))
    _generated(files, config, "inspections/rectifications.md", pages.rectifications_page(site))
    _generated(files, config, "data/index.md", opendata.data_page(site))
    for uri, content in opendata.open_data_files(site, config.get("site_url") or "").items():
        files.append(File.generated(config, uri, content=content))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    # MkDocs takes the title from the H1 and themes print it through Jinja's striptags, which
    # un-escapes entities: a record titled "<script>" would come back raw in <title> and the nav.
    # Angle brackets in titles are therefore shown as their full-width forms.
    if page.file.src_uri in _STATE.get("sources", {}) and markdown.startswith("# "):
        title = html.unescape(markdown.splitlines()[0][2:])
        if "<" in title or ">" in title:
            page.title = title.replace("<", "＜").replace(">", "＞")
    if SUMMARY_MARK in markdown:
        markdown = markdown.replace(SUMMARY_MARK, pages.home_summary(_STATE["site"]))
    return markdown


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    sources = _STATE.get("sources", {})
    if page.file.src_uri in sources:
        source = sources[page.file.src_uri]
        repo, edit = config.get("repo_url"), config.get("edit_uri")
        page.edit_url = f"{repo.rstrip('/')}/{edit.strip('/')}/{source}" if source and repo and edit else None
    return context
