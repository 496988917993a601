"""The CLI's exit codes and its three output formats, in both languages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from gitrepo import copy_repository
from zhixing.cli import main

BAD = FIXTURES / "meeting/invalid/department-participants.yaml"
GOOD = FIXTURES / "meeting/valid/department-participants-150.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--root", str(ROOT), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_clean_records_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check")
    assert code == 0
    assert "0 个错误" in out


def test_violation_exits_1_with_text_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(BAD))
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith("tests/fixtures/meeting/invalid/department-participants.yaml:13:1: error ")
    assert "meeting.department-participants [第12条]" in first


def test_english_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--lang", "en", str(BAD))
    assert code == 1
    assert "[Art. 12]" in out and "over the limit of 150" in out


def test_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--format", "json", str(BAD), str(GOOD))
    report = json.loads(out)
    assert code == 1
    assert report["ok"] is False and report["files"] == 2
    assert report["summary"] == {"errors": 1, "warnings": 0}
    (v,) = report["violations"]
    # A compliance finding also carries its ledger identity, its status and the office that registers it.
    # ... and its fact (the digest a registration names: README 问题清单)
    assert set(v) == {"path", "line", "column", "rule", "article", "severity", "message", "hint", "finding", "fact", "status",
                      "office"}
    assert (v["rule"], v["article"], v["line"], v["severity"]) == ("meeting.department-participants", 12, 13, "error")
    assert v["finding"] == "meeting.department-participants@meeting/department-participants/participants"
    assert (v["status"], v["office"]) == ("待登记", "zhengfuban")


def test_github_annotations(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--format", "github", str(BAD))
    assert code == 1
    assert out.startswith("::error file=tests/fixtures/meeting/invalid/department-participants.yaml,line=13,col=1,")
    assert "title=meeting.department-participants [第12条]::" in out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "check", "--format", "xml")[0] == 2
    assert run(capsys, "nonsense")[0] == 2
    assert run(capsys, "rules", "--date", "2019-13-01")[0] == 2
    code, _, err = run(capsys, "check", "no/such/file.yaml")
    assert code == 2 and "no/such/file.yaml" in err


def test_configuration_error_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy_repository(tmp_path)
    article = tmp_path / "policies/articles/article-12.yaml"
    article.write_text(article.read_text(encoding="utf-8").replace("max_participants:", "max_people:"), encoding="utf-8")
    code = main(["--root", str(tmp_path), "check"])
    assert code == 2
    assert "max_participants" in capsys.readouterr().err


def test_rules_json_lists_all_articles_with_values_in_force(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "--format", "json", "--date", "2019-06-01")
    payload = json.loads(out)
    assert code == 0
    assert [a["article"] for a in payload["articles"]] == list(range(1, 46))
    by_number = {a["article"]: a for a in payload["articles"]}
    rules = {r["id"]: r for r in by_number[12]["rules"]}
    assert rules["meeting.department-participants"]["parameters"]["max_participants"]["value"] == 150
    assert by_number[1]["checkable"] is False and by_number[1]["reason"]
    before = json.loads(run(capsys, "rules", "--format", "json", "--date", "2019-01-01")[1])
    rule = next(r for r in before["articles"][11]["rules"] if r["id"] == "meeting.department-participants")
    assert rule["in_force"] is False and rule["parameters"]["max_participants"]["value"] is None


def test_rules_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "--date", "2019-06-01")
    assert code == 0
    assert "第12条 严控会议规模" in out and "max_participants = 150 人" in out


def test_console_script_runs_from_a_subfolder() -> None:
    exe = Path(sys.executable).with_name("zhixing")
    proc = subprocess.run([str(exe), "check"], cwd=ROOT / "records" / "jiaoyuju", capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_workdays_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "workdays", "latest-filing", "2024-10-08")[:2] == (0, "2024-09-24\n")
    assert run(capsys, "workdays", "latest-filing", "2024-10-08", "--days", "1")[:2] == (0, "2024-09-30\n")
    assert run(capsys, "workdays", "add", "2024-09-30", "1")[:2] == (0, "2024-10-08\n")
    code, _, err = run(capsys, "workdays", "add", "2027-01-04", "3")
    assert code == 2 and "2027" in err


def test_count_prints_the_word_count(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = tmp_path / "body.txt"
    body.write_text("2019年3月20日", encoding="utf-8")
    assert run(capsys, "count", str(body))[:2] == (0, f"{body}\t6\n")


def test_report_per_unit_and_quarter(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report", "--year", "2019", "--format", "json")
    payload = json.loads(out)
    assert code == 0 and payload["year"] == 2019
    edu = {r["quarter"]: r for r in payload["rows"] if r["unit"] == "jiaoyuju"}
    assert edu[3]["planned"] == 1 and edu[3]["in_plan"] == 1 and edu[3]["returned"] == 1
    assert sum(t["planned"] for t in payload["totals"].values()) == 20
    code, out, _ = run(capsys, "report", "--year", "2019")
    assert code == 0 and "| 乐东黎族自治县教育局 | 第3季度 | 1 | 1 | 0 | 1 |" in out


def test_today_moves_deadlines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    overdue = FIXTURES / "inspection/invalid/overdue.yaml"
    assert run(capsys, "check", "--today", "2019-09-30", str(overdue))[0] == 0
    assert run(capsys, "check", "--today", "2019-10-01", str(overdue))[0] == 1
