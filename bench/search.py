"""What a visitor downloads: per search query and per page type, in a real Chromium (issue 12).

Used by bench/run.py on the 1k and 10k sites it builds; also on its own:

    .venv/bin/python bench/search.py site/          # a built site (make build)

For each query, a fresh browser profile opens the search page and counts the bytes of what the
search loads from the page's opening to its results (Pagefind's code, index chunks, fragments,
the exact-lookup files; not the theme's own assets, counted in page weight), and the time from
pressing Enter to the results. Page weight is the HTML of a page plus everything it loads.
"""

from __future__ import annotations

import sys
import time
import urllib.parse
from pathlib import Path

QUERIES = ("教育局", "乐府〔2019〕13号", "第12条", "会议")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from browsing import CHROMIUM, FLAGS, serve_folder  # noqa: E402  (the tests' browser and static server)


def _pages(site: Path) -> dict[str, str]:
    """One page of each type, as paths under the site."""
    record = next(p for p in sorted((site / "meetings").glob("*/index.html")) if p.parent.name != "years")
    year = next(iter(sorted((site / "meetings/years").glob("*/index.html"))), None)
    out = {"home": "/", "record": f"/meetings/{record.parent.name}/", "meetings list": "/meetings/",
           "article": "/rules/article-12/", "unit": "/units/jiaoyuju/", "问题清单": "/findings/"}
    if year is not None:
        out["meetings of a year"] = f"/meetings/years/{year.parent.name}/"
    return out


def measure(site: Path) -> dict[str, dict[str, float]]:
    """{"search": {query: KB}, "first result": {query: ms}, "pages": {type: KB}}."""
    from playwright.sync_api import sync_playwright

    results: dict[str, dict[str, float]] = {"search": {}, "first result": {}, "pages": {}}
    with serve_folder(site) as origin, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for query in QUERIES:
            context = browser.new_context()  # a visitor with nothing cached
            page = context.new_page()
            responses: list[object] = []
            # everything the search loads counts, from opening the page (Pagefind's code is fetched as
            # the page opens) to the results: its code, index chunks, fragments and the lookups
            page.on("response", lambda r, seen=responses: seen.append(r))
            page.goto(origin + "/search/")
            page.wait_for_load_state("networkidle")
            started = time.perf_counter()
            page.fill("#zx-q", query)
            page.press("#zx-q", "Enter")
            page.wait_for_function("/^(找到|没有)/.test(document.getElementById('zx-search-status')?.textContent || '')",
                                   timeout=60_000)
            results["first result"][query] = (time.perf_counter() - started) * 1000
            results["search"][query] = sum(len(r.body()) for r in responses  # type: ignore[attr-defined]
                                           if r.status == 200 and ("/pagefind/" in r.url or "/search/" in r.url)) / 1024
            context.close()
        for name, path in _pages(site).items():
            context = browser.new_context()
            page = context.new_page()
            loaded: list[object] = []
            page.on("response", lambda r, seen=loaded: seen.append(r))
            page.goto(origin + urllib.parse.quote(path))
            page.wait_for_load_state("networkidle")
            results["pages"][name] = sum(len(r.body()) for r in loaded if r.status == 200) / 1024  # type: ignore[attr-defined]
            context.close()
        browser.close()
    return results


def main() -> int:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    for group, values in measure(site).items():
        for name, value in values.items():
            print(f"{group:13} {name:20} {value:10.1f} {'ms' if group == 'first result' else 'KB'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
