"""Every speed-up keeps the diagnostics exactly as they are: the same violations, lines, columns
and messages with and without each one (parser, compiled schemas, both cores, parse cache)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES
from gitrepo import copy_repository
from test_bad_input import CASES
from zhixing.records import KINDS

ZHIXING = str(Path(sys.executable).with_name("zhixing"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository with every invalid fixture and every bad input dropped into records/."""
    root = copy_repository(tmp_path_factory.mktemp("parity") / "repo")
    target = root / "records" / "jiaoyuju"
    for fixture in FIXTURES.glob("*/invalid/**/*.yaml"):
        kind_folder = {kind: spec.folder for kind, spec in KINDS.items()}
        kind = fixture.relative_to(FIXTURES).parts[0]
        if kind not in kind_folder or fixture.name == "units.yaml":
            continue
        dest = target / kind_folder[kind] / f"{fixture.stem}-{abs(hash(str(fixture))) % 10_000}.yaml"
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(fixture.read_bytes())
    for body in FIXTURES.glob("document/invalid/**/*.txt"):
        shutil.copy(body, target / "documents" / body.name)
    for name, (content, _, _) in CASES.items():
        (target / "meetings" / f"bad-{name}.yaml").write_bytes(content)
    return root


def _run(root: Path, **env: str) -> list[dict]:
    proc = subprocess.run([ZHIXING, "--root", str(root), "check", "--format", "json", "--today", "2019-12-31", *env.pop("ARGS", "").split()],
                          capture_output=True, text=True, env={**os.environ, **env}, check=False)
    assert proc.returncode == 1, proc.stderr
    return json.loads(proc.stdout)["violations"]


def test_reference_run_finds_the_planted_problems(corpus: Path) -> None:
    found = _run(corpus, ARGS="--no-cache")
    rules = {v["rule"] for v in found}
    assert {"yaml.syntax", "yaml.duplicate-key", "file.gbk", "schema.pattern", "meeting.department-participants",
            "document.length"} <= rules
    assert len(found) > 80


@pytest.mark.parametrize(
    "variant",
    [{"ZHIXING_YAML": "ruamel"}, {"ZHIXING_FAST_SCHEMA": "0"}, {"ZHIXING_PARALLEL_FROM": "1"}],
    ids=["ruamel-parser", "no-compiled-schemas", "both-cores"],
)
def test_each_optimisation_changes_nothing(corpus: Path, variant: dict[str, str]) -> None:
    reference = _run(corpus, ARGS="--no-cache", ZHIXING_YAML="ruamel", ZHIXING_FAST_SCHEMA="0", ZHIXING_PARALLEL_FROM="999999")
    assert _run(corpus, ARGS="--no-cache", **variant) == reference


def test_cache_cold_and_warm_change_nothing(corpus: Path, tmp_path: Path) -> None:
    # The cache lives outside the work tree (the per-user cache folder; here a private one), never
    # in .zhixing-cache/ where a pull request could plant a file (README 安全与隐私).
    cache = {"ZHIXING_CACHE_DIR": str(tmp_path / "cache")}
    reference = _run(corpus, ARGS="--no-cache")
    assert _run(corpus, **cache) == reference  # writes the cache
    assert not (corpus / ".zhixing-cache").exists()
    assert list((tmp_path / "cache").rglob("*.json")), "the cache is JSON in the cache folder"
    assert _run(corpus, **cache) == reference  # reads it
    edited = corpus / "records/jiaoyuju/meetings" / next(p.name for p in (corpus / "records/jiaoyuju/meetings").glob("department-participants-*.yaml"))
    edited.write_text(edited.read_text(encoding="utf-8").replace("participants: 151", "participants: 150"), encoding="utf-8")
    after = _run(corpus, **cache)
    assert after == _run(corpus, ARGS="--no-cache")
    assert len(after) == len(reference) - 1


def test_checking_one_record_gives_its_full_check_verdict(corpus: Path) -> None:
    from zhixing.engine import Engine

    engine = Engine(corpus)
    full = engine.check(today="2019-12-31")
    by_path: dict[str, set] = {}
    for v in full.violations:
        by_path.setdefault(v.path, set()).add(v)
    records = sorted(p for p in (corpus / "records").rglob("*.yaml") if p.name != "units.yaml")
    assert len(records) > 150
    for path in records:
        shown = engine.shown(path)
        alone = {v for v in engine.check([path], today="2019-12-31").violations if v.path == shown}
        assert alone == by_path.get(shown, set()), shown
