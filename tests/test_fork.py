"""A county that forks changes policies/ and records/ only (issue: forkable by data).

The fork renames the regulation (number and title, in policies/settings.yaml) and the county
government (in the unit registry). The checks run, the site builds with `mkdocs build --strict`,
and no page names the old regulation or the old government outside the records' own data.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from gitrepo import SITE, copy_repository

OLD_NUMBER = "乐府〔2019〕13号"
OLD_TITLE = "乐东黎族自治县关于贯彻落实《海南省人民政府提高政府执行力十五条措施》实施细则"
OLD_GOVERNMENT = "乐东黎族自治县人民政府"
OLD_SITE = "乐东县政府执行力公开平台"


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    return []


def test_a_fork_renames_the_regulation_and_the_government_in_data_only(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "fork", SITE)
    settings = repo / "policies/settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8")
                        .replace(f"number: {OLD_NUMBER}", "number: 东府〔2021〕7号")
                        .replace(f"title: {OLD_TITLE}", "title: 东方县提高政府执行力实施办法")
                        .replace(OLD_SITE, "东方县政府执行力公开平台").replace("county: 乐东县", "county: 东方县"),
                        encoding="utf-8")
    registry = repo / "records/units.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace(f"name: {OLD_GOVERNMENT}\n", "name: 东方县人民政府\n"),
                        encoding="utf-8")
    check = subprocess.run([sys.executable, "-m", "zhixing", "--root", str(repo), "check", "--format", "json"],
                           capture_output=True, text=True, check=False)
    assert check.returncode in (0, 1), check.stderr
    assert json.loads(check.stdout)["summary"]["errors"] == 0
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(repo / "site")],
                           cwd=repo, capture_output=True, text=True, env=env, check=False)
    assert build.returncode == 0, build.stderr
    # What the records themselves say (a document numbered 乐府〔2019〕13号, a title naming the
    # government) is their data and stays; everything else must come from the fork's policies.
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")
    own = sorted({s for path in (repo / "records").rglob("*.yaml")
                  for s in _strings(yaml.load(path.read_text(encoding="utf-8")))
                  if any(old in s for old in (OLD_NUMBER, OLD_GOVERNMENT, OLD_SITE))}
                 # a published document's body text is its record's own data too
                 | {line.strip() for body in (repo / "records").rglob("*.txt")
                    for line in body.read_text(encoding="utf-8").splitlines()
                    if any(old in line for old in (OLD_NUMBER, OLD_GOVERNMENT, OLD_SITE))}, key=len, reverse=True)
    pages = [p for p in (repo / "site").rglob("*.html")]
    assert len(pages) > 100
    for page in [*pages, repo / "site/feed.xml", repo / "site/data/datapackage.json"]:
        text = html.unescape(re.sub(r"<[^>]+>", "\n", page.read_text(encoding="utf-8")))
        for value in own:
            text = text.replace(value, "")
        for old in (OLD_NUMBER, OLD_GOVERNMENT, OLD_SITE):
            assert old not in text, f"{old} in {page.relative_to(repo)}: …{text[max(0, text.find(old) - 60):text.find(old) + 60]}…"
    assert not any("example.invalid" in p.read_text(encoding="utf-8") for p in pages), "no repository set: no edit links"
    home = (repo / "site/index.html").read_text(encoding="utf-8")
    assert "东府〔2021〕7号" in home and "东方县政府执行力公开平台" in home


def test_a_fork_changes_an_obligations_period_in_policies_alone(tmp_path: Path) -> None:
    """Art. 41's 评议 from yearly to half-yearly in policies/articles/ alone: the example 2019
    appraisal (2019-11-20) then meets the second half-year only, and the first is reported for the
    county office at its registry entry, with its own finding id; 2019 as a whole is no longer asked."""
    repo = copy_repository(tmp_path / "fork", SITE)

    def check() -> dict[str, object]:
        proc = subprocess.run([sys.executable, "-m", "zhixing", "--root", str(repo), "check", "--format", "json"],
                              capture_output=True, text=True, check=False)
        assert proc.returncode in (0, 1), proc.stderr
        return json.loads(proc.stdout)

    def findings(result: dict[str, object]) -> set[str]:
        return {v["finding"] for v in result["violations"] if v["rule"] == "meeting.conduct-appraisal"}  # type: ignore[index,union-attr]

    assert findings(check()) == set()
    article = repo / "policies/articles/article-41.yaml"
    text = article.read_text(encoding="utf-8")
    assert 'values: {"2019-03-20": 每年}' in text
    article.write_text(text.replace('values: {"2019-03-20": 每年}', 'values: {"2019-03-20": 每半年}'), encoding="utf-8")
    result = check()
    assert findings(result) == {"meeting.conduct-appraisal@units/zhengfuban/2019-H1"}
    found = next(v for v in result["violations"] if v["rule"] == "meeting.conduct-appraisal")  # type: ignore[union-attr]
    assert found["path"] == "records/units.yaml" and "2019 年上半年" in found["message"] and found["severity"] == "error"
