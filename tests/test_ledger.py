"""The 问题清单 ledger: statuses over time, the `zhixing findings` command, and the public site's
ledger pages (the real `mkdocs build --strict` of tests/sitebuild.py)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from conftest import ROOT
from gitrepo import SITE, copy_repository
from sitebuild import SECRET_ID, WITHDRAWN_MEETING
from zhixing.cli import main
from zhixing.engine import Engine
from zhixing.ledger import STATUSES, split_id
from zhixing.records import Record

BIN = Path(sys.executable).parent


def _findings(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict]:
    assert main(["--root", str(ROOT), "findings", "--format", "json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_example_ledger_shows_every_handling_and_both_late_cases(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _findings(capsys, "--today", "2026-11-29")
    by_article = {r["article"]: r for r in rows}
    assert {11, 12, 14, 16, 34, 35} <= set(by_article)
    assert {r["handling"] for r in rows} >= {"退文", "限期整改", "说明情况", "通报批评", "问责", "不予追究"}
    assert by_article[16]["status"] == "已退文"
    art35 = [r for r in rows if r["article"] == 35]
    assert {r["status"] for r in art35} == {"逾期", "已整改（销号）"}
    assert any(r["closed_late"] for r in art35), "a late closure stays visible as late"
    for row in rows:
        assert set(row) >= {"id", "rule", "article", "unit", "record", "date", "status", "handling", "due", "closed_on", "registration"}


def test_overdue_follows_the_date_of_the_check(capsys: pytest.CaptureFixture[str]) -> None:
    before = {r["id"]: r["status"] for r in _findings(capsys, "--today", "2020-02-01")}
    after = {r["id"]: r["status"] for r in _findings(capsys, "--today", "2020-04-01")}
    finding = "inspection.overdue@inspection/2019-jianzhu-anquan/findings[1].rectification.due"
    assert (before[finding], after[finding]) == ("整改中", "逾期")


def test_findings_filters(capsys: pytest.CaptureFixture[str]) -> None:
    assert {r["unit"] for r in _findings(capsys, "--unit", "zhujianju")} == {"zhujianju"}
    assert {r["article"] for r in _findings(capsys, "--article", "16")} == {16}
    assert _findings(capsys, "--year", "2018") == []
    assert {r["status"] for r in _findings(capsys, "--status", "逾期")} == {"逾期"}
    assert main(["--root", str(ROOT), "findings", "--status", "没有"]) == 2
    capsys.readouterr()
    assert main(["--root", str(ROOT), "findings", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("id,rule,article,unit,record,date,status,")


def test_statuses_are_the_documented_eight() -> None:
    # 准予更正: the office lets the unit correct the record, in a change of its own (issue 27)
    assert STATUSES == ("待登记", "整改中", "逾期", "已整改（销号）", "已退文", "已说明", "已问责", "不予追究", "准予更正")
    assert split_id("inspection.overdue@inspection/x-1/findings[0].due:late") == ("inspection.overdue", "inspection", "x-1")


def test_two_findings_at_one_place_stay_two(engine: Engine) -> None:
    result = engine.check([ROOT / "tests/fixtures/task/invalid/leaders--both.yaml"], today="2019-06-01")
    leaders = [v for v in result.violations if v.rule == "task.leaders"]
    assert len(leaders) == 2 and len({v.finding for v in leaders}) == 2


# -- the site ------------------------------------------------------------------------------------


def test_the_site_ledger_is_exactly_the_public_ledger(site: Path) -> None:
    published = json.loads((site / "data/findings.json").read_text(encoding="utf-8"))
    proc = subprocess.run([str(BIN / "zhixing"), "--root", str(site.parent), "findings", "--format", "json"],
                          capture_output=True, text=True, check=True)
    engine = Engine(site.parent)
    corpus = engine.check().corpus
    from zhixing.ledger import subject
    from zhixing.privacy import is_public
    from zhixing.records import REGISTRY_KIND

    def about(finding: str) -> Record:
        record = subject(corpus, *split_id(finding)[1:], finding)[0]
        assert record is not None, finding
        return record

    # a unit's duty (rule@units/<unit>/<period>) is as public as the unit registry
    public = [r for r in json.loads(proc.stdout)
              if about(r["id"]).kind == REGISTRY_KIND or is_public(about(r["id"]).data)]
    assert [r["id"] for r in published] == [r["id"] for r in public]
    for mine, theirs in zip(published, public, strict=True):
        for key in ("rule", "article", "unit", "date", "status", "handling", "due", "closed_on", "registration"):
            assert mine[key] == theirs[key], key
    page = (site / "findings/index.html").read_text(encoding="utf-8")
    assert sorted(unescape(f) for f in re.findall(r'data-finding="([^"]+)"', page)) == sorted(r["id"] for r in published)


def test_a_finding_on_a_non_public_record_never_appears(site: Path) -> None:
    for path in (site / "data/findings.json", site / "data/findings.csv", site / "findings/index.html",
                 site / "findings/assessment/index.html"):
        text = path.read_text(encoding="utf-8")
        # the secret meeting's own Art. 12 finding (a public meeting's one is published: test_hostile_pr.py)
        assert SECRET_ID not in text and f"consultation-invitees@meeting/{SECRET_ID}" not in text, path.name


def test_home_links_the_problem_count_to_the_ledger(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="findings/">发现问题 <strong>\d+</strong> 个</a>', home), "the figure links to 问题清单"


def test_a_withdrawn_record_says_withdrawn_never_compliant(site: Path) -> None:
    page = (site / f"meetings/{WITHDRAWN_MEETING}/index.html").read_text(encoding="utf-8")
    assert "已撤回" in page and "符合乐府" not in page
    # the full list of a year is on its own page (issue 12: the front page lists the newest only)
    listing = (site / "meetings/years/2019/index.html").read_text(encoding="utf-8")
    row = next(line for line in listing.splitlines() if WITHDRAWN_MEETING in line)
    assert "已撤回" in row and ">符合<" not in row


def test_the_art_17_report_counts_the_ledger_returns(site: Path) -> None:
    text = unescape(re.sub(r"<[^>]+>", " ", (site / "documents/report/index.html").read_text(encoding="utf-8")))
    text = " ".join(text.split())
    # 农业农村局's document returned in Q2 2019 (registration 2019-dj-03, handling 退文)
    assert re.search(r"乐东黎族自治县农业农村局 第2季度 \d+ \d+ \d+ 1", text), text[:2000]


def test_the_pages_commands_build_the_site_while_findings_are_open(tmp_path: Path) -> None:
    """The pages workflows' commands, run as written, publish while a finding is unregistered."""
    from test_workflow import _workflow_commands

    repo = copy_repository(tmp_path / "repo", SITE)
    (repo / "records/zhengfuban/registrations/2019-dj-02.yaml").unlink()  # a finding now waits for registration
    (repo / ".venv").symlink_to(BIN.parent)
    summary = tmp_path / "summary.md"
    pages = [c for c in _workflow_commands() if "mkdocs build" in c or ("zhixing check" in c and "--base" not in c)]
    assert any("mkdocs build" in c for c in pages) and any("zhixing check" in c for c in pages)
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary), "NO_MKDOCS_2_WARNING": "1"}
    for command in pages:
        proc = subprocess.run(["bash", "-c", command], cwd=repo, capture_output=True, text=True, env=env, check=False)
        assert proc.returncode == 0, f"{command}: {proc.stdout}{proc.stderr}"
    page = (repo / "site/findings/index.html").read_text(encoding="utf-8")
    assert "待登记" in page and "2019-09-05-anquan" in page


def test_an_integrity_problem_on_main_is_shown_not_hidden(tmp_path: Path) -> None:
    """Publishing goes on when main holds an integrity error, and the home page says so (counts only)."""
    repo = copy_repository(tmp_path / "repo", SITE)
    (repo / "records/jiaoyuju/meetings/broken-secret.yaml").write_text("id: broken-secret\nunit: [\n", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(repo / "site")],
                           cwd=repo, capture_output=True, text=True, env=env, check=False)
    assert build.returncode == 0, build.stderr
    home = (repo / "site/index.html").read_text(encoding="utf-8")
    assert "数据完整性问题" in home and "broken-secret" not in home


def test_the_ledger_csv_opens_in_excel(site: Path) -> None:
    """findings.csv: a BOM, Chinese headers, the same findings in the same order as findings.json."""
    import csv

    raw = (site / "data/findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with (site / "data/findings.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    published = json.loads((site / "data/findings.json").read_text(encoding="utf-8"))
    assert [r["问题编号"] for r in rows] == [r["id"] for r in published]
    assert {r["当前仍存在"] for r in rows} <= {"是", "否"} and rows[0]["状态"]
