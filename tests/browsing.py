"""The real browser of the browser tests: Debian's chromium, headless, driven by Playwright.

A test module calls ``require_browser()`` at import: without chromium it is skipped with the reason,
except where .ci/run sets ZHIXING_REQUIRE_BROWSER=1, which turns such a skip into a failure.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require_browser() -> Any:
    """Playwright's sync API, or a module-level skip (a failure under ZHIXING_REQUIRE_BROWSER=1)."""
    if CHROMIUM is None:
        if os.environ.get("ZHIXING_REQUIRE_BROWSER") == "1":
            raise RuntimeError("ZHIXING_REQUIRE_BROWSER=1 but no chromium is installed (apt-get install chromium)")
        pytest.skip("no chromium installed (Debian package 'chromium'); browser tests need it", allow_module_level=True)
    return pytest.importorskip("playwright.sync_api")


def launch(playwright: Any, profile: str, **options: Any) -> Any:
    """A persistent context on a fresh profile folder, with the project's flags and Chinese locale."""
    return playwright.chromium.launch_persistent_context(
        profile, executable_path=CHROMIUM, headless=True, args=FLAGS, locale="zh-CN",
        **{"viewport": {"width": 1280, "height": 900}, **options})


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """A built site served on 127.0.0.1 (a free port) while the block runs; its URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
