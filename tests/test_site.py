"""The site builds strictly from the same records and policies, with nothing fetched from outside."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_mkdocs_build_strict(tmp_path: Path) -> None:
    out = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    rules = (out / "rules/index.html").read_text(encoding="utf-8")
    for number in range(1, 46):
        assert f"第{number}条" in rules
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "演示数据" in home
    assert not list(ROOT.joinpath("docs").glob("rules/*.md")), "generated pages must not be written into docs/"
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        fetched = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(https?:)?//', html)
        assert fetched == [], f"{page} loads from the network"
