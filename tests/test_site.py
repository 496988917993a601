"""The built site: every public record and article has its page, nothing private leaks, open
data is consistent and valid, nothing is fetched from outside."""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT
from sitebuild import (
    CSV_FORMULA_TITLE,
    INTERNAL_ID,
    INTERNAL_TITLE,
    PRIVATE_FIELD_VALUE,
    PRIVATE_NOTE,
    SECRET_APPROVAL_ID,
    SECRET_ID,
    SECRET_TITLE,
    XSS_TITLE,
)
from zhixing.engine import Engine
from zhixing.privacy import is_public
from zhixing.records import RESERVED_IDS, SECTIONS


@pytest.fixture(scope="module")
def site_engine(site: Path) -> Engine:
    return Engine(site.parent)


SEARCH_INDEX = (".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter")


def _all_files(site: Path) -> list[Path]:
    return [p for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".csv", ".xml", ".txt", ".js", *SEARCH_INDEX)]


def _text(path: Path) -> str:
    """A published file's text; Pagefind's index chunks are gzip-compressed."""
    import gzip

    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def test_every_public_record_has_its_page_and_no_other(site: Path, site_engine: Engine) -> None:
    corpus = site_engine.check().corpus
    # records under one of the site's own page names are refused and get no page (test_hostile_pr.py)
    public = [r for r in corpus.records if r.kind in SECTIONS and is_public(r.data) and r.id not in RESERVED_IDS]
    assert len(public) > 70
    for rec in public:
        page = site / SECTIONS[rec.kind][0] / rec.id / "index.html"
        assert page.is_file(), page
    private = [r for r in corpus.records if r.kind in SECTIONS and not is_public(r.data)]
    assert {r.id for r in private} >= {SECRET_ID, INTERNAL_ID, "lefu-2019-88"}
    for rec in private:
        assert rec.id in RESERVED_IDS or not (site / SECTIONS[rec.kind][0] / rec.id).exists()  # years/: the site's own


def test_every_article_and_unit_has_its_page(site: Path, site_engine: Engine) -> None:
    for number in range(1, 46):
        html = (site / f"rules/article-{number:02d}/index.html").read_text(encoding="utf-8")
        assert f"第{number}条" in html
    for unit in site_engine.check().corpus.units:
        assert (site / f"units/{unit}/index.html").is_file()


def test_nothing_private_reaches_any_file(site: Path) -> None:
    secrets = [SECRET_ID, SECRET_TITLE, INTERNAL_ID, INTERNAL_TITLE, PRIVATE_NOTE, PRIVATE_FIELD_VALUE, SECRET_APPROVAL_ID,
               "lefu-2019-88", "关于某涉密项目选址的通知", "《保守国家秘密法》"]
    files = _all_files(site)
    # the search index (Pagefind's chunks) is read too: it holds what the public pages say, and no more
    assert any(p.suffix == ".pf_fragment" for p in files) and not any(p.name == "search_index.json" for p in files)
    for path in files:
        text = _text(path)
        for secret in secrets:
            assert secret not in text, f"{secret} leaks into {path.relative_to(site)}"


def test_a_finding_naming_a_private_record_is_shown_without_the_name(site: Path) -> None:
    html = (site / "meetings/private-field/index.html").read_text(encoding="utf-8")
    # the check is named in Chinese (例外批准, 第11条); its id is data, not page text
    assert "例外批准" in html and "第11条" in html and "approval-mismatch" not in html and "approval&#45;mismatch" not in html
    assert "（不公开记录）" in html


def test_strings_from_records_are_escaped(site: Path) -> None:
    html = (site / "meetings/xss-test/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html and 'onerror="alert(2)"' not in html
    assert "&lt;script&gt;" in html


def _dictionary(site: Path) -> dict[tuple[str, str], str]:
    """(CSV file, field path) -> the Chinese column header, from the published data dictionary."""
    with (site / "data/dictionary.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {(row["文件"], row["字段"]): row["列名"] for row in csv.DictReader(handle)}


def test_json_and_csv_downloads_hold_the_same_records(site: Path) -> None:
    """CSV for Excel on Chinese Windows: a BOM, Chinese headers (mapped to field names by the data
    dictionary), flat cells; the same records, in the same order, as the JSON."""
    columns = _dictionary(site)
    for kind in SECTIONS:
        rows = json.loads((site / f"data/{kind}.json").read_text(encoding="utf-8"))
        raw = (site / f"data/{kind}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), kind
        with (site / f"data/{kind}.csv").open(encoding="utf-8-sig", newline="") as handle:
            table = list(csv.DictReader(handle))
        if not rows:
            continue
        id_header = columns[(f"{kind}.csv", "id")]
        assert id_header == "记录编号"
        assert [r["id"] for r in rows] == [r[id_header] for r in table], kind
        assert not any(re.fullmatch(r"[a-z_.\[\]]+", header) for header in table[0]), "headers are Chinese"
        for cells in table:
            assert not any(cell.startswith(("{", "[{")) for cell in cells.values()), "no nested JSON in a cell"
        title_header = columns.get((f"{kind}.csv", "title"))
        for row, line in zip(rows, table, strict=True):
            if title_header:
                title = str(row["title"])
                # a cell a spreadsheet would run as a formula is written with a leading ' (CSV injection)
                assert line[title_header] == ("'" + title if title.startswith(("=", "+", "-", "@")) else title)
    meetings = json.loads((site / "data/meeting.json").read_text(encoding="utf-8"))
    assert any(m["title"] == XSS_TITLE for m in meetings)
    assert all("notes" not in m and "private_fields" not in m for m in meetings)
    # nested lists are tables of their own, keyed by the record's id and the item's place
    with (site / "data/meeting-agenda.csv").open(encoding="utf-8-sig", newline="") as handle:
        agenda = list(csv.DictReader(handle))
    changwu = [a for a in agenda if a["记录编号"] == "2019-03-28-changwu"]
    assert [a["议题序号"] for a in changwu] == ["1", "2", "3"] and changwu[2]["议题名称"].startswith("部署2019年全县作风建设")
    assert changwu[0]["是否已与分管领导充分沟通"] == "是"


def test_an_excel_workbook_per_kind(site: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(site / "data/meeting.xlsx", read_only=True)
    assert book.sheetnames[0] == "会议" and "字段说明" in book.sheetnames and "议题" in book.sheetnames
    header = next(book["会议"].iter_rows(max_row=1, values_only=True))
    assert header[0] == "记录编号" and "会议名称" in header
    full = load_workbook(site / "data/meeting.xlsx")
    sheet = full["会议"]
    assert sheet.freeze_panes == "B2"
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    # a title written to look like a formula stays text: no cell of the workbook is a formula
    assert any(cell.value == "'" + CSV_FORMULA_TITLE for cell in cells) and all(cell.data_type != "f" for cell in cells)


def test_feeds_link_absolutely_from_the_sites_address(tmp_path: Path) -> None:
    """feed.xml and each unit's feed: absolute links from policies/settings.yaml site.url."""
    import os
    import subprocess
    import sys

    from gitrepo import SITE, copy_repository

    repo_copy = copy_repository(tmp_path / "repo", SITE)
    settings = repo_copy / "policies/settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "  county: 乐东县\n", "  county: 乐东县\n  url: https://zhixing.ledong.gov.cn/\n"), encoding="utf-8")
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(repo_copy / "site")],
                           cwd=repo_copy, capture_output=True, text=True, check=False,
                           env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "ZHIXING_SITE_URL": ""})
    assert build.returncode == 0, build.stderr
    feed = (repo_copy / "site/feed.xml").read_text(encoding="utf-8")
    links = re.findall(r"<link>([^<]+)</link>", feed)
    assert links and all(link.startswith("https://zhixing.ledong.gov.cn/") for link in links)
    unit = (repo_copy / "site/units/jiaoyuju/feed.xml").read_text(encoding="utf-8")
    mine = {m["id"] for m in json.loads((repo_copy / "site/data/meeting.json").read_text(encoding="utf-8")) if m["unit"] == "jiaoyuju"}
    linked = set(re.findall(r"<link>https://zhixing\.ledong\.gov\.cn/meetings/([^/<]+)/</link>", unit))
    assert linked and linked == mine  # the unit's own meetings, and only those


def test_feed_and_schemas_are_published(site: Path) -> None:
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert feed.startswith('<?xml') and "<item>" in feed and SECRET_TITLE not in feed
    # no raw tag from a record's text, ever (the XSS record may or may not be among the newest items)
    assert "<script" not in feed.lower()
    for schema in (ROOT / "schemas").glob("*.schema.json"):
        assert (site / "data/schemas" / schema.name).read_bytes() == schema.read_bytes()


def test_demo_banner_and_chinese_search_everywhere(site: Path) -> None:
    for page in [site / "index.html", site / "meetings/xss-test/index.html", site / "units/jiaoyuju/index.html"]:
        html = page.read_text(encoding="utf-8")
        assert "演示数据" in html
        assert 'lang="zh"' in html
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["zh"]  # Pagefind's extended build segments the Chinese pages


def test_the_index_built_while_rendering_is_the_index_of_the_built_pages(site: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The build feeds Pagefind's service each page's content as it is rendered (search.LiveIndex),
    not the finished page. Fed the finished pages instead, in the same order, Pagefind must write the
    very same index, byte for byte (pages, words, positions, titles, meta, excerpts). And against the
    command line run over the finished site: the same page fragments and word counts (its page
    numbers follow the order the file system lists the folders, so its word index is not compared
    byte for byte)."""
    import gzip

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from pagefind_bin_extended import get_executable
    from zhixing.site import search

    assert "搜索索引已在渲染页面的同时建立" in (site.parent / "build.log").read_text(encoding="utf-8")
    fed: list[str] = []
    add = search.LiveIndex.add
    monkeypatch.setattr(search.LiveIndex, "add", lambda self, uri, page: (fed.append(uri), add(self, uri, page))[1])
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    again = tmp_path / "again"
    config = load_config(str(site.parent / "mkdocs.yml"), site_dir=str(again))
    config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` does
    build(config)
    config.plugins.on_shutdown()
    assert len(fed) > 150 and len(set(fed)) == len(fed)

    monkeypatch.undo()
    finished = search.LiveIndex()
    for uri in fed:
        finished.add(uri, (again / uri).read_text(encoding="utf-8"))
    assert finished.finish(tmp_path / "from-pages")

    def files(bundle: Path) -> dict[str, bytes]:
        return {str(p.relative_to(bundle)): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}

    live = files(again / "pagefind")
    assert live == files(tmp_path / "from-pages")

    cli = tmp_path / "cli"
    shutil.copytree(again, cli, ignore=shutil.ignore_patterns("pagefind"))
    subprocess.run([str(get_executable()), "--site", str(cli), "--quiet"], check=True, capture_output=True)
    reference = files(cli / "pagefind")
    fragments = sorted(name for name in live if name.startswith("fragment/"))
    assert fragments == sorted(name for name in reference if name.startswith("fragment/")) and len(fragments) > 150
    assert all(gzip.decompress(live[name]) == gzip.decompress(reference[name]) for name in fragments)


@pytest.mark.parametrize("service", [["sh", "-c", "exit 3"], ["sh", "-c", "cat > /dev/null"],
                                     ["sh", "-c", "head -c 10 > /dev/null; printf 'bm90IGpzb24=,'; cat > /dev/null"]],
                         ids=["dies", "silent", "answers-nonsense"])
def test_a_failing_search_service_is_reported_not_trusted(service: list[str], tmp_path: Path) -> None:
    """LiveIndex.finish answers False, promptly, when the service dies, never answers or answers
    what is not its protocol: the build then indexes the built site with the command line."""
    import time

    from zhixing.site.search import LiveIndex

    live = LiveIndex(service)
    for number in range(200):
        live.add(f"meetings/m{number}/index.html", LiveIndex.page_html(f"<p>会议 {number}</p>", "会议", "zh"))
    started = time.monotonic()
    assert live.finish(tmp_path / "pagefind", timeout=3) is False
    assert time.monotonic() - started < 10
    assert live.proc.poll() is not None, "the service is not left running"


def test_a_build_whose_search_service_fails_still_has_its_index(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from zhixing.site import search

    start = search.LiveIndex.__init__
    monkeypatch.setattr(search.LiveIndex, "__init__", lambda self, command=None: start(self, ["sh", "-c", "exit 3"]))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    out = tmp_path / "site"
    config = load_config(str(site.parent / "mkdocs.yml"), site_dir=str(out))
    config.plugins.on_startup(command="build", dirty=False)
    with caplog.at_level("INFO"):
        build(config)
    config.plugins.on_shutdown()
    assert "Pagefind 服务未能完成" in caplog.text
    assert (out / "pagefind/pagefind.js").exists() and len(list((out / "pagefind/fragment").iterdir())) > 150


def test_nothing_is_loaded_from_the_network(site: Path) -> None:
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        fetched = re.findall(r'<(?:script|link|img|iframe|source)\b[^>]*?(?:src|href)="((?:https?:)?//[^"]+)"', html)
        fetched = [u for u in fetched if 'rel="canonical"' not in u]
        assert fetched == [], f"{page} loads {fetched}"
    assert not (ROOT / "docs/meetings").exists(), "generated pages must not be written into docs/"


def test_edit_links_point_at_the_yaml_source(site: Path) -> None:
    html = (site / "meetings/2019-04-16-tuopin/index.html").read_text(encoding="utf-8")
    # the repository comes from policies/settings.yaml (site.repo_url), set by tests/sitebuild.py
    assert "https://git.example.invalid/ledong/zhixing/-/edit/main/records/xianzhengfu/meetings/2019-04-16-tuopin.yaml" in html
    assert "最后更新" in html


def test_the_yearly_obligations_pages(site: Path, site_engine: Engine) -> None:
    """年度义务: an index, one page per year with every duty's state (met ones linking their
    record), each obligation article and each unit dashboard showing its own duties."""
    from zhixing import obligations

    index = (site / "obligations/index.html").read_text(encoding="utf-8")
    assert 'href="year-2019/"' in index
    year = (site / "obligations/year-2019/index.html").read_text(encoding="utf-8")
    result = site_engine.check()
    duties = [d for p in site_engine.policies.rules.values() if p.obligation for d in obligations.duties(result.corpus, p)]
    in_2019 = [d for d in duties if d.period.year == 2019]
    assert year.count("<tr data-unit=") == len(in_2019) > 40
    for state in (obligations.MET, obligations.MET_LATE, obligations.MISSED):
        assert f'data-state="{state}"' in year, state
    assert 'data-unit="jiusuozhen" data-article="44" data-year="2019" data-state="逾期"' in year
    # a met duty links the record that shows it: the 2019 作风建设 inspection's own page
    assert '../../inspections/2019-xize-luoshi/' in year and (site / "inspections/2019-xize-luoshi/index.html").exists()
    article = (site / "rules/article-44/index.html").read_text(encoding="utf-8")
    assert "年度义务" in article and article.count("<tr data-unit=") == sum(1 for d in duties if d.article == 44)
    unit = (site / "units/jiusuozhen/index.html").read_text(encoding="utf-8")
    assert "年度义务" in unit and 'data-state="逾期"' in unit
    assert "本单位没有年度义务" in (site / "units/xianwei/index.html").read_text(encoding="utf-8")


def test_lost_lawsuits_have_pages_without_personal_names(site: Path) -> None:
    page = (site / "lawsuits/2019-tudi-chufa/index.html").read_text(encoding="utf-8")
    assert "执法监察大队大队长" in page and "诫勉谈话" in page
    assert (site / "lawsuits/index.html").exists()


def test_pages_speak_chinese(site: Path) -> None:
    """Field labels from the schemas' titles, rules by their titles, a Chinese 404, no placeholder dates."""
    meeting = (site / "meetings/2019-03-28-changwu/index.html").read_text(encoding="utf-8")
    for label in ("会议名称", "开始日期", "参会人数", "议题"):
        assert f"<td>{label}</td>" in meeting, label
    plan = (site / "documents/plans/2019-xianzhengfu/index.html")
    if plan.exists():
        assert "<td>年度</td>" in plan.read_text(encoding="utf-8")
    assert not re.search(r"<td>(year|date|unit|plan|item)</td>", meeting)
    cited = (site / "inspections/2019-xize-luoshi/index.html").read_text(encoding="utf-8")
    assert "第2项：实施细则贯彻落实情况" in cited and ">i02<" not in cited
    assert "找不到这个页面" in (site / "404.html").read_text(encoding="utf-8")
    assert "2000&#45;01&#45;01" not in (site / "units/jiaoyuju/index.html").read_text(encoding="utf-8")
    for page in (site / "meetings").rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<td>[a-z-]+\.[a-z-]+</td>", text), page  # no rule id as a table cell


def test_a_public_document_page_has_its_disclosure_metadata_and_body(site: Path) -> None:
    """政务公开: 索引号, 主题分类, 发布机构, 成文日期, 发布日期, 时效性, 公开方式; the body text with its 字数."""
    from zhixing.wordcount import count

    page = (site / "documents/lefu-2019-13/index.html").read_text(encoding="utf-8")
    for label, value in (("索引号", "00824883&#45;6/2019&#45;56422"), ("主题分类", "综合政务"), ("时效性", "有效"),
                         ("公开方式", "主动公开"), ("成文日期", "2019&#45;03&#45;20"), ("发布日期", "2019&#45;03&#45;22")):
        assert re.search(rf"<td>{label}</td>\s*<td>{re.escape(value)}", page), label
    assert re.search(r"<td>发布机构</td>\s*<td><a [^>]*>乐东黎族自治县人民政府</a>", page)
    body = (ROOT / "records/xianzhengfu/documents/lefu-2019-13.txt").read_text(encoding="utf-8")
    assert f"字数：{count(body)}" in page
    first = next(line.strip() for line in body.splitlines() if line.strip())
    assert first[:10] in html.unescape(page) and first[:10] in page


def test_lists_by_year_with_pages(tmp_path: Path) -> None:
    """A section's front page lists its years and the newest records; each year has its own pages,
    at most rows_per_page rows each (policies/settings.yaml), linked by a pager; together they
    hold every public record exactly once."""
    import os
    import subprocess
    import sys

    from gitrepo import SITE, copy_repository

    repo = copy_repository(tmp_path / "repo", SITE)
    settings = repo / "policies/settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  county: 乐东县\n", "  county: 乐东县\n  rows_per_page: 25\n"),
                        encoding="utf-8")
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(repo / "site")],
                           cwd=repo, capture_output=True, text=True, check=False, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert build.returncode == 0, build.stderr
    meetings = json.loads((repo / "site/data/meeting.json").read_text(encoding="utf-8"))
    in_2019 = sorted(m["id"] for m in meetings if m["date"].startswith("2019"))
    assert len(in_2019) > 50
    pages = sorted((repo / "site/meetings/years").glob("2019*/index.html"))
    assert [p.parent.name for p in pages] == ["2019", "2019-2", "2019-3"]
    listed = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        rows = re.findall(r'<tr data-unit="[^"]*" data-year="2019"[^>]*><td>[^<]*</td><td><a href="\.\./\.\./\.\./meetings/([^/"]+)/"', text)
        assert 0 < len(rows) <= 25
        assert "第 " in text and " / 3 页" in text
        listed += rows
    assert sorted(listed) == in_2019
    front = (repo / "site/meetings/index.html").read_text(encoding="utf-8")
    assert 'href="years/2019/"' in front and front.count("<tr data-unit=") == 20


def test_a_dirty_rebuild_renders_only_the_pages_a_change_touches(tmp_path: Path) -> None:
    """`make serve` runs `mkdocs serve --dirty` (issue 15: a rebuild after one record changes in
    seconds): a generated page is rendered again only when its text changed, under strict mode."""
    import os
    import subprocess
    import sys

    from gitrepo import SITE, copy_repository

    repo = copy_repository(tmp_path / "repo", SITE)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "ZHIXING_CACHE_DIR": str(tmp_path / "cache")}

    def build() -> None:
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--dirty", "--site-dir", str(repo / "site")],
                              cwd=repo, capture_output=True, text=True, check=False, env=env)
        assert done.returncode == 0, done.stderr

    build()
    changed, untouched = repo / "site/meetings/2019-04-16-tuopin/index.html", repo / "site/meetings/2019-04-18-xitong/index.html"
    before = {p: p.stat().st_mtime_ns for p in (changed, untouched)}
    record = repo / "records/xianzhengfu/meetings/2019-04-16-tuopin.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("全县脱贫攻坚工作推进大会", "全县脱贫攻坚工作推进会"), encoding="utf-8")
    build()
    assert changed.stat().st_mtime_ns > before[changed] and "全县脱贫攻坚工作推进会" in changed.read_text(encoding="utf-8")
    assert untouched.stat().st_mtime_ns == before[untouched]
    assert (repo / "site/pagefind/pagefind.js").exists()  # a build (not serve) still waits for its search index


def test_mkdocs_serve_rebuilds_a_changed_record_in_the_same_process(tmp_path: Path) -> None:
    """`make serve` itself: one `mkdocs serve --dirty` process builds, a record changes, and the
    rebuild in the same process (pages and the web form's configuration remembered from the last
    build, not read back) serves the new text, twice over and back again, with /admin/ intact."""
    import os
    import sys
    import time
    import urllib.request

    from gitrepo import SITE, copy_repository
    from serving import MkdocsServe

    repo = copy_repository(tmp_path / "repo", SITE)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "ZHIXING_CACHE_DIR": str(tmp_path / "cache")}
    record = repo / "records/xianzhengfu/meetings/2019-04-16-tuopin.yaml"
    original = record.read_text(encoding="utf-8")
    with MkdocsServe([sys.executable, "-m", "mkdocs"], repo, env) as server:

        def get(path: str) -> str:
            with urllib.request.urlopen(f"http://127.0.0.1:{server.port}{path}", timeout=30) as response:
                return response.read().decode("utf-8")

        server.wait_for("Serving on", timeout=300)
        assert "全县脱贫攻坚工作推进大会" in get("/meetings/2019-04-16-tuopin/")
        admin_before = re.sub(r"livereload\(\d+, \d+\)", "", get("/admin/"))  # the server's epochs
        for title in ("全县脱贫攻坚工作推进会", "全县脱贫攻坚工作推进大会"):
            time.sleep(1.1)  # a new modification time for the watcher
            record.write_text(original.replace("全县脱贫攻坚工作推进大会", title), encoding="utf-8")
            server.wait_for("Documentation built in", timeout=300)
            page = get("/meetings/2019-04-16-tuopin/")
            assert title in page and (title == "全县脱贫攻坚工作推进大会" or "全县脱贫攻坚工作推进大会" not in page)
            assert re.sub(r"livereload\(\d+, \d+\)", "", get("/admin/")) == admin_before
        if "data-units" in admin_before:  # the web form is installed (make cms; required in CI)
            assert json.loads(get("/admin/config/xianzhengfu.json"))["collections"]
