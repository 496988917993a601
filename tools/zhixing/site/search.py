"""The site's search: Pagefind, chosen by measurement (bench/search.py, README 公开网站).

Pagefind indexes the built pages after the build (``index``) into a chunked index: a query loads
the small parts it needs, so what a visitor downloads does not grow with the corpus the way
Material's one search_index.json did. Its extended build segments Chinese.

What the pages tell the index (``annotations``): ``data-pagefind-meta`` 类别, 单位, 日期 as
hidden elements, shown with each result.

Exact lookups (``lookups``), listed before Pagefind's ranking by docs/assets/zhixing-search.js: a
query naming a 文号 in any common form (乐府[2019]13号, 乐府〔2019〕第13号) finds the document
through a small shard (search/numbers/NN.json, NN from the canonical 文号's characters), an article
(第12条, 第十二条) through search/articles.json, a unit (教育局) through search/units.json. Shards,
not Pagefind filters: a filter's index holds every value and grows with the corpus, a shard is
one 1/SHARDS of it.
"""

from __future__ import annotations

import base64
import html
import json
import os
import queue
import re
import subprocess
import threading
from pathlib import Path
from typing import Any

# A 文号 as clerks and citizens type it: organ, year in any bracket, an optional 第, number, 号.
BACKGROUND_NICENESS = 10  # a preview's search index is rebuilt at low priority (`mkdocs serve`)
DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,12}?)\s*[〔\[【［(（]\s*(\d{4})\s*[〕\]】］)）]\s*(?:第\s*)?(\d+)\s*号")


def canonical_number(text: str) -> str | None:
    """A 文号 in GB/T 9704's form (乐府〔2019〕13号), or None when the text holds none."""
    found = DOC_NUMBER.search(text)
    return f"{found.group(1)}〔{found.group(2)}〕{found.group(3).lstrip('0') or '0'}号" if found else None


def _hidden(kind: str, name: str, value: str) -> str:
    return f'<span data-pagefind-{kind}="{html.escape(name)}" hidden>{html.escape(value)}</span>'


SHARDS = 256


def shard_of(canonical: str) -> str:
    """The shard a canonical 文号 lives in: the sum of its UTF-16 code units modulo SHARDS (the
    search script computes the same)."""
    units = canonical.encode("utf-16-le")
    return f"{sum(units[i] | units[i + 1] << 8 for i in range(0, len(units), 2)) % SHARDS:02x}"


def record_annotations(kind_label: str, unit_name: str, date: str) -> str:
    return _hidden("meta", "类别", kind_label) + _hidden("meta", "单位", unit_name) + _hidden("meta", "日期", date)


def article_annotations() -> str:
    return _hidden("meta", "类别", "制度条文")


def unit_annotations(unit_type: str) -> str:
    return _hidden("meta", "类别", f"单位（{unit_type}）")


def lookups(entries: list[dict[str, str]], articles: dict[int, str], units: dict[str, Any]) -> dict[str, str]:
    """The exact-lookup files: ``entries`` are public records with a 文号 (number, url, title, meta)."""
    shards: dict[str, dict[str, list[dict[str, str]]]] = {}
    for entry in entries:
        canonical = canonical_number(entry["number"])
        if canonical:
            shards.setdefault(shard_of(canonical), {}).setdefault(canonical, []).append(
                {k: entry[k] for k in ("url", "title", "meta")})
    out = {f"search/numbers/{shard}.json": json.dumps(found, ensure_ascii=False) for shard, found in shards.items()}
    out["search/articles.json"] = json.dumps({str(n): {"url": f"rules/article-{n:02d}/", "title": t, "meta": "制度条文"}
                                              for n, t in articles.items()}, ensure_ascii=False)
    out["search/units.json"] = json.dumps([{"id": u.id, "name": u.name, "short": str(u.data.get("short_name") or ""),
                                            "url": f"units/{u.id}/", "meta": f"单位（{u.type}）"} for u in units.values()],
                                          ensure_ascii=False)
    return out


_BACKGROUND: list[subprocess.Popen[str]] = []


def _executable() -> str:
    from mkdocs.exceptions import PluginError

    try:
        from pagefind_bin_extended import get_executable

        return str(get_executable())
    except (ImportError, FileNotFoundError) as exc:
        raise PluginError(f"网站搜索需要 pagefind-bin-extended（运行 make venv 安装）/ the site's search needs "
                          f"pagefind-bin-extended (make venv installs it): {exc}") from None


class LiveIndex:
    """Pagefind's service (``pagefind --service``), fed each page's searchable part while MkDocs
    renders the others, so the indexing runs on the second core instead of after the build.

    What Pagefind reads of a page is the ``data-pagefind-body`` element (overrides/main.html), which
    holds Material's content block: the page's title as an h1 when its content has none, then the
    content (partials/content.html; with no plugin adding tags or feedback; an edit link is an icon,
    no text). ``page_html`` writes that as a page of its own as soon as the content is rendered;
    tests/test_site.py checks that the finished pages give a byte-identical index. Anything
    unexpected (the service missing, an error answer, a crash, silence past ``timeout``) makes
    ``finish`` answer False, and the caller indexes the built site with the command line instead."""

    def __init__(self, command: list[str] | None = None) -> None:
        self.proc = subprocess.Popen(command or [_executable(), "--service"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.outbox: queue.SimpleQueue[tuple[int, dict[str, Any]] | None] = queue.SimpleQueue()
        self.failed = False
        self.written = threading.Event()
        self.sent = 0
        self._finish_id = -1
        threading.Thread(target=self._write, daemon=True).start()
        threading.Thread(target=self._read, daemon=True).start()
        self._send({"type": "NewIndex", "config": None})

    @staticmethod
    def page_html(content: str, title: str, lang: str) -> str:
        heading = "" if "<h1" in content else f"<h1>{title}</h1>"  # as Material's template, unescaped
        return (f'<!DOCTYPE html><html lang="{html.escape(lang)}"><head><meta charset="utf-8"></head><body>'
                f"<div data-pagefind-body>{heading}{content}</div></body></html>")

    def add(self, dest_uri: str, page_html: str) -> None:
        self._send({"type": "AddFile", "index_id": 0, "file_path": dest_uri, "url": None, "file_contents": page_html})

    def write(self, bundle: Path) -> None:
        """Every page is in: the service writes the index to ``bundle`` while MkDocs goes on (it
        still lays out and writes the pages)."""
        if self._finish_id < 0:
            self._finish_id = self.sent + 1  # known to the reader before the answer can come
            self._send({"type": "WriteFiles", "index_id": 0, "output_path": str(bundle)})

    def finish(self, bundle: Path, timeout: float = 1800) -> bool:
        """Wait for the index in ``bundle``; False when the service failed at any point."""
        self.write(bundle)
        done = self.written.wait(timeout)
        self.close()
        return done and not self.failed

    def close(self) -> None:
        self.outbox.put(None)
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()

    def _send(self, payload: dict[str, Any]) -> None:
        self.sent += 1
        self.outbox.put((self.sent, payload))

    def _write(self) -> None:
        assert self.proc.stdin is not None
        while (item := self.outbox.get()) is not None:
            message = json.dumps({"message_id": item[0], "payload": item[1]}, ensure_ascii=False)
            try:
                self.proc.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
                self.proc.stdin.flush()
            except (OSError, ValueError):
                self._fail()
                return

    def _read(self) -> None:
        assert self.proc.stdout is not None
        pending = b""
        while chunk := os.read(self.proc.stdout.fileno(), 1 << 16):
            *messages, pending = (pending + chunk).split(b",")
            for message in messages:
                try:
                    answer = json.loads(base64.b64decode(message))
                    kind = answer["payload"]["type"]
                except (ValueError, KeyError, TypeError):
                    kind = "Error"
                if kind == "Error":
                    self._fail()
                elif kind == "WriteFiles" and answer.get("message_id") == self._finish_id:
                    self.written.set()
        self._fail()  # the service ended: whatever was not written by now never will be

    def _fail(self) -> None:
        if not self.written.is_set():
            self.failed = True
            self.written.set()


def index(site_dir: Path, background: bool = False) -> None:
    """Index the built site with Pagefind's extended binary (from the pagefind-bin-extended wheel).
    ``background``: for `mkdocs serve --dirty` rebuilds, the pages are served at once and the search
    catches up a moment later (an earlier indexing still running is stopped first)."""
    from mkdocs.exceptions import PluginError

    command = [_executable(), "--site", str(site_dir), "--quiet"]
    if background:
        while _BACKGROUND:
            running = _BACKGROUND.pop()
            running.kill()
            running.wait()
        running = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
        if hasattr(os, "setpriority"):  # the next rebuild, which a clerk waits for, comes first
            try:
                os.setpriority(os.PRIO_PROCESS, running.pid, BACKGROUND_NICENESS)
            except OSError:
                pass
        _BACKGROUND.append(running)
        return
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise PluginError(f"Pagefind 建立搜索索引失败 / Pagefind could not index the site: {proc.stderr or proc.stdout}")
