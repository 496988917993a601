"""MkDocs hooks (listed in mkdocs.yml): run the checks once, then generate every page from the
result at build time. Nothing generated is written into docs/; record pages stay out of the nav,
so a page's size does not grow with the number of records."""

from __future__ import annotations

import gc
import logging
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from zhixing import cms
from zhixing.engine import Engine
from zhixing.loading import forbidden_re
from zhixing.records import RESERVED_IDS, SECTIONS
from zhixing.site import admin, opendata, pages, search
from zhixing.site import duties as duty_pages
from zhixing.site import ledger as ledger_pages
from zhixing.site.history import last_changed
from zhixing.site.markup import esc

_STATE: dict[str, Any] = {}
_LOG = logging.getLogger("mkdocs.plugins.zhixing")
SUMMARY_MARK = "{{ zhixing_summary }}"
_RECORD_FOLDERS = sorted({folder for folder, _ in SECTIONS.values()} | {"units"}, key=len, reverse=True)


def on_startup(command: str, dirty: bool) -> None:
    """`mkdocs serve --dirty` (make serve): a rebuild renders only the generated pages whose text
    changed. They are written to files of their own (only when changed), so MkDocs can tell, and
    the search index is rebuilt in the background (the pages are served at once). MkDocs
    warns that a dirty build may leave other pages' navigation stale, which is what a preview
    server may do; that warning alone is not counted against strict mode."""
    _STATE["dirty"] = dirty
    _STATE["background_search"] = command == "serve" and dirty  # a published build always waits for its index
    _STATE["build"] = command == "build"  # a whole site is rendered: it can be indexed page by page (LiveIndex)
    if dirty:
        logging.getLogger("mkdocs.commands.build").addFilter(_dirty_notice)


def _dirty_notice(record: logging.LogRecord) -> bool:
    if record.levelno == logging.WARNING and record.getMessage().startswith("A 'dirty' build is being performed"):
        record.levelno, record.levelname = logging.INFO, "INFO"
    return True


def on_config(config: Any) -> Any:
    gc.unfreeze()  # a `mkdocs serve` rebuild: the last build's objects may be collected again (on_files)
    root = Path(config["config_file_path"]).resolve().parent
    engine = Engine(root)
    result = engine.check(use_cache=True)  # the parse cache: a `mkdocs serve` rebuild re-reads only what changed
    _STATE["site"] = pages.Site.build(engine, result, last_changed(root))
    settings = engine.policies.settings
    config["extra"]["demo"] = settings.example_data
    site = settings.site
    config["site_name"] = site.get("name", config["site_name"])
    config["site_description"] = site.get("description") or f"{settings.regulation.get('number', '')} 执行情况公开"
    config["extra"]["county"] = site.get("county", "")
    # Repository and edit links only when the county names its repository (never a placeholder).
    config["repo_url"] = site.get("repo_url") or None
    config["repo_name"] = "/".join(str(site["repo_url"]).rstrip("/").rsplit("/", 2)[-2:]) if site.get("repo_url") else None
    config["edit_uri"] = site.get("edit_uri") if site.get("repo_url") else None
    _STATE["placeholders"] = placeholders(engine)
    return config


def placeholders(engine: Engine) -> dict[str, str]:
    """What the hand-written pages (docs/*.md) may say through ``{{ zhixing.NAME }}``: facts of the
    regulation and the county from policies/, so a fork edits data, not prose."""
    policies = engine.policies
    regulation = policies.settings.regulation
    return {
        "regulation_number": str(regulation.get("number", "")),
        "regulation_title": str(regulation.get("title", "")),
        "issuer": str(regulation.get("issuer", "")),
        "article_count": str(len(policies.articles)),
        "exception_articles": policies.exception_articles,
        "site_name": str(policies.settings.site.get("name", "")),
        "county": str(policies.settings.site.get("county", "")),
    }


def _claim(uri: str, record_page: bool = False) -> None:
    """One generated file per path, and the site's own pages beside record and unit pages only under
    the names records.RESERVED_IDS lists (which no record or unit id may take): a build that breaks
    either fails, rather than let one page silently replace another (README 安全与隐私)."""
    claimed: set[str] = _STATE.setdefault("claimed", set())
    if uri in claimed:
        raise PluginError(f"zhixing: two generated files claim {uri}")
    claimed.add(uri)
    folder, _, name = uri.rpartition("/")
    if record_page:
        return
    for section in _RECORD_FOLDERS:
        if folder == section or folder.startswith(section + "/"):
            own = (folder[len(section) + 1:].split("/")[0] if folder != section else "") or name.rsplit(".", 1)[0]
            if own not in RESERVED_IDS and not (section == "units" and own in _STATE.get("unit_ids", ())):  # units/<unit>/feed.xml
                raise PluginError(f"zhixing: {uri}: a page beside record pages named {own!r}, not in records.RESERVED_IDS")


def _generated(files: Files, config: Any, uri: str, content: str, source: str | None = None,
               title: str | None = None, record_page: bool = False) -> None:
    _claim(uri, record_page)
    file = _page_file(config, uri, content) if _STATE.get("dirty") else File.generated(config, uri, content=content)
    _STATE.setdefault("sources", {})[file.src_uri] = source
    if title is not None:
        _STATE.setdefault("titles", {})[file.src_uri] = safe_title(title)
    files.append(file)


def _page_file(config: Any, uri: str, content: str) -> File:
    """A generated page as a file in the cache folder, rewritten only when its text changed: its
    modification time tells a dirty rebuild whether to render it again."""
    from zhixing.cache import cache_folder

    folder = cache_folder(Path(config["config_file_path"]).resolve().parent) / "serve-pages"
    pages.write_if_changed(folder / uri, content)
    return File(uri, str(folder), config["site_dir"], config["use_directory_urls"])


def safe_title(text: str) -> str:
    """A page title from a record's text, safe for MkDocs: themes print ``page.title`` through
    Jinja's ``striptags``, which un-escapes entities, so a title of ``&lt;script&gt;`` or one that
    hides ``</title>`` behind a line separator would come back as markup in ``<title>`` and the nav.
    Markup characters become their full-width forms, and every invisible or line-breaking
    character (the intake rule's set, plus newlines) becomes a space."""
    text = forbidden_re().sub(" ", text)
    text = " ".join(text.split())
    return text.replace("&", "＆").replace("<", "＜").replace(">", "＞")


def on_files(files: Files, config: Any) -> Files:
    site: pages.Site = _STATE["site"]
    _STATE["claimed"] = {file.src_uri for file in files}  # docs/ files: a generated page never replaces one
    _STATE["unit_ids"] = set(site.result.corpus.units)
    _STATE["sources"] = {}
    _STATE["titles"] = {}
    _generated(files, config, "rules/index.md", pages.rules_index(site))
    for number in site.engine.policies.articles:
        article = site.engine.policies.articles[number]
        _generated(files, config, f"rules/article-{number:02d}.md", pages.article_page(site, number),
                   article.source, f"第{number}条 {article.title}")
    for kind, (folder, _) in SECTIONS.items():
        _generated(files, config, f"{folder}/index.md", pages.list_page(site, kind))
        for uri, (title, text) in pages.list_year_pages(site, kind).items():
            _generated(files, config, uri, text, title=title)
        for record in site.by_kind.get(kind, []):
            _generated(files, config, record.uri, pages.record_page(site, record), record.record.path, record.title, True)
    _generated(files, config, "units/index.md", pages.units_index(site))
    for unit_id in site.result.corpus.units:
        _generated(files, config, f"units/{unit_id}.md", pages.unit_page(site, unit_id),
                   title=site.result.corpus.units[unit_id].name, record_page=True)
    _generated(files, config, "documents/report.md", pages.report_page(site))
    _generated(files, config, "inspections/rectifications.md", pages.rectifications_page(site))
    _generated(files, config, "obligations/index.md", duty_pages.index_page(site))
    for year in duty_pages.years(site):
        _generated(files, config, f"obligations/year-{year}.md", duty_pages.year_page(site, year), title=f"{year} 年年度义务")
    _generated(files, config, "findings/index.md", ledger_pages.findings_page(site))
    _generated(files, config, "findings/assessment.md", ledger_pages.assessment_page(site))
    for uri, download in ledger_pages.ledger_downloads(site).items():
        _claim(uri)
        files.append(File.generated(config, uri, content=download))
    for uri, text in pages.search_lookups(site).items():
        _claim(uri)
        files.append(File.generated(config, uri, content=text))
    _generated(files, config, "data/index.md", opendata.data_page(site))
    for uri, content in opendata.open_data_files(site, config.get("site_url") or "").items():
        _claim(uri)
        files.append(File.generated(config, uri, content=content))
    _STATE["live_search"] = _live_search(config)
    # The records, the pages' text and the downloads live until the site is written and hold no
    # reference cycles: the cycle collector, which runs again and again while MkDocs renders, need
    # not walk them each time (a tenth of the build's own collection time at 10,000 records).
    gc.freeze()
    return files


def _live_search(config: Any) -> search.LiveIndex | None:
    """Index while rendering (search.LiveIndex) in a whole-site build whose content block is the
    page's content alone: no plugin adds to it (an edit link is an icon: no text to index). Otherwise,
    and whenever the service cannot start, the built site is indexed afterwards."""
    from mkdocs.exceptions import PluginError

    plugins = [name for name in config["plugins"] if not name.endswith(".py")]  # hooks files are listed too
    if not _STATE.get("build") or plugins:
        return None
    try:
        return search.LiveIndex()
    except (PluginError, OSError):
        return None


def on_page_content(html: str, page: Any, config: Any, files: Files) -> str:
    live: search.LiveIndex | None = _STATE.get("live_search")
    if live is not None:
        live.add(page.file.dest_uri, search.LiveIndex.page_html(html, page.title or config["site_name"],
                                                                config["theme"]["language"]))
    return html


def on_env(env: Any, config: Any, files: Files) -> Any:
    """Every page's content is rendered (MkDocs lays the pages out next): the index can be written."""
    live: search.LiveIndex | None = _STATE.get("live_search")
    if live is not None:
        live.write(Path(config["site_dir"]) / "pagefind")
    return env


def on_build_error(error: Exception) -> None:
    live: search.LiveIndex | None = _STATE.pop("live_search", None)
    if live is not None:
        live.close()


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    # A generated page's title never comes from parsing its Markdown: it is set from the record's
    # own text, made safe (safe_title), whatever separators that text holds.
    title = _STATE.get("titles", {}).get(page.file.src_uri)
    if title is not None:
        page.title = title
    if SUMMARY_MARK in markdown:
        markdown = markdown.replace(SUMMARY_MARK, pages.home_summary(_STATE["site"]))
    if "{{ zhixing." in markdown and page.file.src_uri not in _STATE.get("sources", {}):
        for name, value in _STATE.get("placeholders", {}).items():
            markdown = markdown.replace("{{ zhixing." + name + " }}", esc(value))
    return markdown


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    sources = _STATE.get("sources", {})
    if page.file.src_uri in sources:
        source = sources[page.file.src_uri]
        repo, edit = config.get("repo_url"), config.get("edit_uri")
        page.edit_url = f"{repo.rstrip('/')}/{edit.strip('/')}/{source}" if source and repo and edit else None
    return context


def on_post_build(config: Any) -> None:
    """Index the built pages for search (Pagefind; site/search.py), then add the web form (/admin/)."""
    from mkdocs.exceptions import PluginError

    live: search.LiveIndex | None = _STATE.pop("live_search", None)
    site_dir = Path(config["site_dir"])
    if live is not None and live.finish(site_dir / "pagefind"):
        _LOG.info("搜索索引已在渲染页面的同时建立（Pagefind 服务） / search index built while rendering (Pagefind service)")
    else:
        if live is not None:
            _LOG.info("Pagefind 服务未能完成，改为索引构建好的网站 / the Pagefind service failed: indexing the built site")
        search.index(site_dir, background=bool(_STATE.get("background_search")))
    site: pages.Site = _STATE["site"]
    corpus = site.result.corpus
    names = {uid: unit.name for uid, unit in corpus.units.items()}
    engine = site.engine

    def generated() -> str | None:
        try:
            return cms.for_repository(engine.schemas, engine.policies, corpus.registry.data if corpus.registry else None)
        except cms.CmsConfigError:
            return None  # no forge configured (settings.yaml cms:): the page says so

    try:
        admin.write(engine.root, Path(config["site_dir"]), config["site_name"], names, generated)
    except admin.AdminError as exc:
        raise PluginError(str(exc)) from exc
