"""`pytest records/` runs the rules: one item per record, one per corpus rule, diagnostics as text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES
from zhixing.engine import Engine


def _pytest(repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rf", "records"],
        cwd=repo, capture_output=True, text=True, check=False,
    )


def test_records_are_test_items_and_a_violation_fails_its_item(repo_copy: Path) -> None:
    ok = _pytest(repo_copy)
    assert ok.returncode == 0, ok.stdout
    records = len(list((repo_copy / "records").rglob("*.yaml")))
    corpus_rules = sum(r.scope == "corpus" for r in Engine(repo_copy).rules.values())
    assert f"{records + corpus_rules} passed" in ok.stdout

    bad = repo_copy / "records/yingjiju/meetings/department-participants.yaml"
    bad.write_bytes((FIXTURES / "meeting/invalid/department-participants.yaml").read_bytes())
    second = repo_copy / "records/jiaoyuju/meetings/2019-09-02-extra.yaml"
    second.write_text(
        (repo_copy / "records/jiaoyuju/meetings/2019-04-18-xitong.yaml").read_text(encoding="utf-8")
        .replace("id: 2019-04-18-xitong", "id: 2019-09-02-extra").replace("2019-04-18", "2019-09-02"),
        encoding="utf-8",
    )
    failed = _pytest(repo_copy)
    assert failed.returncode == 1
    assert "2 failed" in failed.stdout
    assert "meeting.department-participants [第12条]" in failed.stdout
    assert "corpus::meeting.system-meeting-limit" in failed.stdout
    assert "records/jiaoyuju/meetings/2019-09-02-extra.yaml:" in failed.stdout
