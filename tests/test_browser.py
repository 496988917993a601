"""What the public sees, in a real browser: Debian's chromium, headless, driven by Playwright.

Skipped only where no chromium is installed, and then with the reason; .ci/run installs it and
sets ZHIXING_REQUIRE_BROWSER=1, which turns such a skip into a failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import launch, require_browser, serve_folder
from sitebuild import XSS_TITLE

sync_api = require_browser()


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with serve_folder(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        context = launch(playwright, str(tmp_path_factory.mktemp("chromium-profile")))
        yield context
        context.close()


@pytest.fixture
def page(browser: object, server: str) -> Iterator[object]:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.requests = []
    page.dialogs = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    page.close()


def _search(page: object, server: str, query: str) -> list[dict]:
    """Search as a visitor does, from the box in the header of the home page; the results as shown."""
    page.goto(server + "/")
    page.wait_for_load_state("networkidle")
    page.fill("input.zx-header-search__input", query)
    page.press("input.zx-header-search__input", "Enter")
    # null-safe: evaluated while the browser is still leaving the home page, the status is not there yet
    page.wait_for_function("/^(找到|没有)/.test(document.getElementById('zx-search-status')?.textContent || '')",
                           timeout=15_000)
    return page.evaluate("""Array.from(document.querySelectorAll('.zx-result')).map(li => ({
        href: li.querySelector('a').getAttribute('href'), title: li.querySelector('a').textContent,
        meta: li.querySelector('.zx-result__meta').textContent}))""")


def _local_only(page: object, origin: str) -> None:
    outside = [u for u in page.requests if not (u.startswith(origin + "/") or u.startswith(("data:", "blob:")))]
    assert outside == [], f"requests outside the local server: {outside}"


@pytest.mark.parametrize(
    ("path", "heading"),
    [("/", "乐东县政府执行力公开平台"), ("/meetings/2019-04-16-tuopin/", "全县脱贫攻坚工作推进大会"),
     ("/units/jiaoyuju/", "乐东黎族自治县教育局"), ("/rules/article-34/", "第34条")],
)
def test_pages_render_and_load_only_local_resources(page: object, server: str, tmp_path: Path, path: str, heading: str) -> None:
    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    assert heading in page.locator("h1").first.inner_text()
    assert "演示数据" in page.locator("body").inner_text()
    shot = tmp_path / f"{path.strip('/').replace('/', '_') or 'home'}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    _local_only(page, server)


def test_chinese_search_finds_the_record(page: object, server: str) -> None:
    results = _search(page, server, "种苗")
    assert any("fault-tolerance/2019-rc-001" in r["href"] for r in results), results
    _local_only(page, server)


@pytest.mark.parametrize(("query", "first"), [
    ("乐府〔2019〕13号", "/documents/lefu-2019-13/"), ("乐府[2019]13号", "/documents/lefu-2019-13/"),
    ("乐府〔2019〕第13号", "/documents/lefu-2019-13/"), ("乐府办〔2019〕95号", "/documents/lefuban-2019-95/"),
    ("95号", "/documents/lefuban-2019-95/"), ("第12条", "/rules/article-12/"), ("第十二条", "/rules/article-12/"),
    ("教育局", "/units/jiaoyuju/"), ("应急管理局", "/units/yingjiju/"), ("150人", "/rules/article-12/"),
])
def test_search_finds_what_people_type(page: object, server: str, query: str, first: str) -> None:
    """文号 in any common form, articles by Arabic or Chinese numerals, units by short name, and
    Chinese words: the best match first, each result with its kind, unit and date, titles clean."""
    results = _search(page, server, query)
    assert results and results[0]["href"].endswith(first), (query, results[:3])
    assert not any(ch in r["title"] for r in results for ch in "\u200b\u200c\u200d\u2060\ufeff")
    documents = [r for r in results if re.search(r"/documents/(?!plans/|years/|report/)[a-z0-9-]+/$", r["href"])]
    assert all(r["meta"].startswith("公文 · ") and re.search(r"\d{4}-\d{2}-\d{2}$", r["meta"]) for r in documents)
    _local_only(page, server)


def test_a_search_downloads_a_small_part_of_the_index(page: object, server: str) -> None:
    """The first query loads Pagefind's code and the index chunks it needs: well under 500 KB
    (bench/search.py measures how that grows from 1,000 to 10,000 records)."""
    responses: list[object] = []
    page.on("response", lambda response: responses.append(response) if "/pagefind/" in response.url else None)
    _search(page, server, "教育局")
    total = sum(len(r.body()) for r in responses if r.status == 200)  # type: ignore[attr-defined]
    assert 0 < total < 500_000, total


def test_xss_payload_is_shown_as_text_and_never_runs(page: object, server: str) -> None:
    page.goto(server + "/meetings/xss-test/")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text().strip() == XSS_TITLE
    assert '<img src=x onerror="alert(2)">议题' in page.locator("article").inner_text()
    # the payload's own words find it: the result shows the title as text, and nothing runs
    found = _search(page, server, "alert")
    assert any("xss-test" in r["href"] and "<script>" in r["title"] for r in found), found[:5]
    assert page.dialogs == []
    page.wait_for_timeout(500)
    page.goto(server + "/meetings/")
    page.wait_for_load_state("networkidle")
    assert page.dialogs == []
    assert page.evaluate("document.querySelectorAll('script:not([src])').length") == page.evaluate(
        "Array.from(document.querySelectorAll('script:not([src])')).filter(s => !s.textContent.includes('alert')).length")
    _local_only(page, server)


def test_hostile_titles_never_run_or_enter_the_title_element(page: object, server: str) -> None:
    """Titles hiding markup behind entities, and records hiding it behind each line separator
    (\\v \\f \\x1c-\\x1e \\x85 U+2028 U+2029): in Chromium, no dialog and no element inside <title>."""
    from sitebuild import ENTITY_MEETING, SEPARATORS

    for path in (f"/meetings/{ENTITY_MEETING}/", "/meetings/", "/units/baoyouzhen/", "/meetings/xss-test/"):
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.querySelector('title').children.length") == 0
        assert "<" not in page.evaluate("document.title")
    for index, _ in enumerate(SEPARATORS):
        response = page.goto(server + f"/meetings/separator-{index}/")
        assert response is not None and response.status == 404, "a record with a separator is refused at intake"
    page.goto(server + "/meetings/")
    page.wait_for_load_state("networkidle")
    assert page.dialogs == []
    assert page.evaluate("document.querySelectorAll('script:not([src])').length") == page.evaluate(
        "Array.from(document.querySelectorAll('script:not([src])')).filter(s => !s.textContent.includes('alert')).length")


def test_the_ledger_filters_work(page: object, server: str) -> None:
    """问题清单 in Chromium: each filter keeps exactly the rows of the downloaded ledger it should."""
    import json as _json
    import urllib.request

    with urllib.request.urlopen(server + "/data/findings.json") as response:  # noqa: S310 (the local test server)
        ledger = _json.loads(response.read().decode("utf-8"))
    page.goto(server + "/findings/")
    page.wait_for_load_state("networkidle")
    rows = page.locator("#zx-ledger tbody tr")
    assert rows.count() == len(ledger)

    def visible() -> list[str]:
        return page.evaluate("Array.from(document.querySelectorAll('#zx-ledger tbody tr')).filter(r => !r.hidden)"
                             ".map(r => r.getAttribute('data-finding'))")

    for name, key, value in (("status", "status", "逾期"), ("article", "article", "16"), ("unit", "unit", "zhujianju"),
                             ("year", "date", "2019")):
        page.select_option(f'select[data-zx-filter="{name}"]', value)
        expected = sorted(r["id"] for r in ledger if str(r[key]).startswith(value))
        assert sorted(visible()) == expected, name
        assert expected, name
        page.select_option(f'select[data-zx-filter="{name}"]', "")
    page.select_option('select[data-zx-filter="unit"]', "zhujianju")
    page.select_option('select[data-zx-filter="status"]', "逾期")
    assert sorted(visible()) == sorted(r["id"] for r in ledger if r["unit"] == "zhujianju" and r["status"] == "逾期")
    assert "显示" in page.locator(".zx-count").inner_text()
    _local_only(page, server)


def test_the_obligations_filter_by_unit_works(page: object, server: str) -> None:
    """年度义务 in Chromium: choosing a unit keeps exactly that unit's duties; with a state too."""
    page.goto(server + "/obligations/year-2019/")
    page.wait_for_load_state("networkidle")
    rows = page.locator("#zx-duties-2019 tbody tr")
    total = rows.count()
    assert total > 40

    def visible() -> list[tuple[str, str]]:
        return [tuple(x) for x in page.evaluate(
            "Array.from(document.querySelectorAll('#zx-duties-2019 tbody tr')).filter(r => !r.hidden)"
            ".map(r => [r.getAttribute('data-unit'), r.getAttribute('data-state')])")]

    page.select_option('select[data-zx-filter="unit"]', "jiusuozhen")
    assert visible() == [("jiusuozhen", "逾期")]
    page.select_option('select[data-zx-filter="unit"]', "")
    page.select_option('select[data-zx-filter="state"]', "已完成")
    assert visible() and all(state == "已完成" for _, state in visible()) and len(visible()) < total
    assert "显示" in page.locator(".zx-count").inner_text()
    _local_only(page, server)


AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_SHA256 = "880970c081707360e64f34cea25ff91892f5bc95675b0776925b9709dd8a68bb"


def _axe(page: object) -> list[dict]:
    """axe-core's serious and critical WCAG 2 A/AA violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + n.failureSummary)}));
    }""")
    return found


def test_the_vendored_axe_is_the_one_recorded() -> None:
    import hashlib

    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == AXE_SHA256


@pytest.mark.parametrize("path", ["/", "/rules/article-34/", "/meetings/2019-04-16-tuopin/", "/units/jiaoyuju/",
                                  "/findings/", "/obligations/year-2019/", "/data/"])
def test_no_serious_accessibility_violation(page: object, server: str, path: str) -> None:
    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    assert _axe(page) == []
    _local_only(page, server)


def test_no_serious_accessibility_violation_in_search(page: object, server: str) -> None:
    assert _search(page, server, "教育局")
    assert page.get_attribute('form[role="search"].zx-header-search', "aria-label") == "搜索"
    assert _axe(page) == []
    _local_only(page, server)


@pytest.mark.parametrize("size", [(390, 844), (1366, 900)], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", ["/", "/documents/report/", "/findings/", "/obligations/year-2019/", "/units/jiaoyuju/"])
def test_readable_on_a_phone_and_a_desktop(page: object, server: str, tmp_path: Path, size: tuple[int, int], path: str) -> None:
    """Nothing runs off the side of the screen; every table cell is inside the viewport or its own
    scroll box (on a phone, tables read as cards); chart labels are at least 12 px; a screenshot is kept."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0] + 1
    if size[0] < 600:
        offside = page.evaluate("""() => Array.from(document.querySelectorAll('.md-content table td')).filter(td => {
            const r = td.getBoundingClientRect(); return r.width > 0 && (r.right > window.innerWidth + 1 || r.left < -1);
        }).length""")
        assert offside == 0
        assert page.evaluate("document.querySelectorAll('table[data-zx-cards]').length") >= 1
    # a label's size on screen: its font size in the SVG times the SVG's scale
    smallest = page.evaluate("""() => Math.min(99, ...Array.from(document.querySelectorAll('svg.zx-chart text'))
        .filter(t => t.getBoundingClientRect().width > 0)
        .map(t => parseFloat(t.getAttribute('font-size')) * t.getScreenCTM().a))""")
    assert smallest >= 12, f"chart label {smallest:.1f} px"
    shot = tmp_path / f"{size[0]}-{path.strip('/').replace('/', '_') or 'home'}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_lists_sort_and_filter_by_year(page: object, server: str) -> None:
    """A year's list sorts by a column at a press of its header, and the unit page's year selector
    keeps one year's rows in each of its tables."""
    page.goto(server + "/meetings/years/2019/")
    page.wait_for_load_state("networkidle")
    page.click("#zx-list-meeting-2019 thead th:nth-child(1) button")
    dates = page.evaluate("Array.from(document.querySelectorAll('#zx-list-meeting-2019 tbody tr')).map(r => r.cells[0].textContent)")
    assert dates == sorted(dates) and len(dates) > 20
    page.click("#zx-list-meeting-2019 thead th:nth-child(1) button")
    again = page.evaluate("Array.from(document.querySelectorAll('#zx-list-meeting-2019 tbody tr')).map(r => r.cells[0].textContent)")
    assert again == sorted(dates, reverse=True)
    assert page.get_attribute("#zx-list-meeting-2019 thead th:nth-child(1)", "aria-sort") == "descending"
    page.goto(server + "/units/lvwenju/")
    page.wait_for_load_state("networkidle")
    page.select_option('select[data-zx-filter="year"]', "2020")
    years = page.evaluate("""Array.from(document.querySelectorAll('#zx-unit-records tbody tr, #zx-duties-unit tbody tr'))
        .filter(r => !r.hidden).map(r => r.getAttribute('data-year'))""")
    assert years == ["2020"]  # the disclosure system issued in 2020; the 2019 duties hidden
    _local_only(page, server)
