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
    return planted_corpus(tmp_path_factory.mktemp("parity") / "repo")


def planted_corpus(where: Path) -> Path:
    """The repository with every invalid fixture and every bad input dropped into records/."""
    root = copy_repository(where)
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
    [{"ZHIXING_YAML": "ruamel"}, {"ZHIXING_FAST_SCHEMA": "0"}, {"ZHIXING_PARALLEL_FROM": "1"}, {"ZHIXING_FAST_YAML": "1"},
     {"ZHIXING_FAST_YAML": "0"}],
    ids=["ruamel-parser", "no-compiled-schemas", "both-cores", "yaml-rs-first", "libyaml-only"],
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


def test_a_run_parsed_in_stages_is_each_file_parsed_alone(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Intake.parse_run (read, screen, yaml-rs, schema: each stage over the whole run) answers for
    every file exactly as parse_one does alone: the repository's records, every invalid fixture and
    every bad input, in one run and in runs of seven; and when a stage fails in the middle of a run."""
    from zhixing import intake as intake_module
    from zhixing.engine import Engine

    engine = Engine(corpus)
    files = engine.scope(None).files
    alone = [engine.intake.parse_one(path) for path in files]
    assert sum(record is None for record, _ in alone) > 20, "the corpus has files the fast stages do not take"
    assert engine.intake.parse_run(files) == alone
    assert [one for start in range(0, len(files), 7) for one in engine.intake.parse_run(files[start:start + 7])] == alone
    real, raised = intake_module.fast_tree, []

    def failing(data: object, limits: object) -> bool:
        if isinstance(data, dict) and data.get("id") == "2019-04-18-xitong":
            raised.append(data["id"])
            raise RuntimeError("a stage's surprise")
        return real(data, limits)  # type: ignore[arg-type]

    monkeypatch.setattr(intake_module, "fast_tree", failing)
    assert engine.intake.parse_run(files) == alone
    assert raised, "the stage failed once, and the run was parsed file by file"


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


def test_a_partial_check_reports_nothing_the_full_check_does_not(corpus: Path) -> None:
    """A partial check loads only its records' partitions (issue 15): whatever it reports, about
    the records asked about or about the corpus rules they take part in, the full check reports too."""
    from zhixing.engine import Engine

    engine = Engine(corpus)
    full = set(engine.check(today="2019-12-31").violations)
    records = sorted(p for p in (corpus / "records").rglob("*.yaml") if p.name != "units.yaml")
    for path in records:
        extra = set(engine.check([path], today="2019-12-31").violations) - full
        assert not extra, (engine.shown(path), extra)


def test_partitions_from_the_cache_give_the_full_verdicts(corpus: Path, tmp_path: Path) -> None:
    """Through the CLI with its parse cache and id index (what pre-commit runs): each record's
    verdict equals the full check's, duplicate ids across units included."""
    cache = {"ZHIXING_CACHE_DIR": str(tmp_path / "cache")}
    full = _run(corpus, **cache)  # fills the cache and the id index
    by_path: dict[str, list] = {}
    for v in full:
        by_path.setdefault(v["path"], []).append(v)
    duplicated = [corpus / v["path"] for v in full if v["rule"] == "record.duplicate-id"]
    assert duplicated, "the corpus holds duplicate ids"
    others = [corpus / v["path"] for v in full if v["rule"] in ("meeting.department-participants", "document.length")]
    for path in sorted(set(duplicated + others[:6])):
        shown = str(path.relative_to(corpus))
        proc = subprocess.run([ZHIXING, "--root", str(corpus), "check", "--format", "json", "--today", "2019-12-31", str(path)],
                              capture_output=True, text=True, env={**os.environ, **cache}, check=False)
        alone = [v for v in json.loads(proc.stdout)["violations"] if v["path"] == shown]
        assert alone == by_path.get(shown, []), shown


def test_a_duplicate_id_in_another_units_folder_is_found_by_a_one_file_check(repo_copy: Path, tmp_path: Path) -> None:
    """Ids are unique per kind across units: a one-file check, which loads its own unit's records,
    still finds the other unit's record with its id, indexed or written since the last check."""
    cache = {"ZHIXING_CACHE_DIR": str(tmp_path / "cache")}
    source = repo_copy / "records/jiaoyuju/meetings/2019-04-18-xitong.yaml"
    text = source.read_text(encoding="utf-8")

    def one(path: Path) -> set[str]:
        proc = subprocess.run([ZHIXING, "--root", str(repo_copy), "check", "--format", "json", str(path)],
                              capture_output=True, text=True, env={**os.environ, **cache}, check=False)
        return {v["rule"] for v in json.loads(proc.stdout)["violations"] if v["path"] == str(path.relative_to(repo_copy))}

    (repo_copy / "records/baoyouzhen/meetings/2019-04-18-xitong.yaml").write_text(
        text.replace("unit: jiaoyuju", "unit: baoyouzhen"), encoding="utf-8")
    assert "record.duplicate-id" in one(source)  # before any full check: no index, the whole kind is read
    subprocess.run([ZHIXING, "--root", str(repo_copy), "check"], capture_output=True, env={**os.environ, **cache}, check=False)
    assert "record.duplicate-id" in one(source)  # from the index
    (repo_copy / "records/baoyouzhen/meetings/2019-04-18-xitong.yaml").unlink()
    assert "record.duplicate-id" not in one(source)
    (repo_copy / "records/foluozhen/meetings").mkdir(parents=True, exist_ok=True)
    (repo_copy / "records/foluozhen/meetings/2019-04-18-xitong.yaml").write_text(
        text.replace("unit: jiaoyuju", "unit: foluozhen"), encoding="utf-8")
    assert "record.duplicate-id" in one(source)  # written after the index: unknown, so read



def test_a_partition_record_whose_id_another_unit_holds_is_left_out_of_its_units_counts(repo_copy: Path, tmp_path: Path) -> None:
    """A record of the partition (the changed record's unit) whose id another unit's record holds,
    first in path order, is a duplicate in the full check and counts for nothing there; a one-file
    check of its neighbour must not count it either (here: a second 本系统全县性会议 in a year)."""
    cache = {"ZHIXING_CACHE_DIR": str(tmp_path / "cache")}
    holder = repo_copy / "records/jiaoyuju/meetings/2019-04-18-xitong.yaml"
    copy = repo_copy / "records/yingjiju/meetings/2019-04-01-copy.yaml"
    copy.write_text(holder.read_text(encoding="utf-8").replace("unit: jiaoyuju", "unit: yingjiju")
                    .replace("date: '2019-04-18'", "date: '2019-04-01'"), encoding="utf-8")
    changed = repo_copy / "records/yingjiju/meetings/2019-04-24-xitong.yaml"

    def verdicts(*paths: Path) -> list[dict]:
        proc = subprocess.run([ZHIXING, "--root", str(repo_copy), "check", "--format", "json", "--today", "2019-12-31",
                               *map(str, paths)], capture_output=True, text=True, env={**os.environ, **cache}, check=False)
        return [v for v in json.loads(proc.stdout)["violations"] if v["path"] == str(changed.relative_to(repo_copy))]

    full = verdicts()
    assert "meeting.system-meeting-limit" not in {v["rule"] for v in full}
    assert verdicts(changed) == full  # the copy's id from the index
    copy.write_text(copy.read_text(encoding="utf-8") + "# 改过\n", encoding="utf-8")
    assert verdicts(changed) == full  # the copy changed since indexed: read for its id

    from zhixing.engine import Engine

    engine = Engine(repo_copy)
    assert {v for v in engine.check([changed], today="2019-12-31").violations if v.path == engine.shown(changed)} == \
        {v for v in engine.check(today="2019-12-31").violations if v.path == engine.shown(changed)}

# -- every core: forking.share ------------------------------------------------------------------


def _slow(task: int) -> dict:
    import time

    time.sleep(0.01)  # long enough that every process takes some tasks
    return {"pid": os.getpid(), "task": task, "text": "乐府〔2019〕13号\u2028", "many": list(range(task * 100))}


def _plain(task: int, result: dict) -> dict:
    return result


def test_shared_work_comes_back_whole_in_task_order_from_both_processes() -> None:
    from zhixing.forking import share

    results, states = share(60, _slow, _plain, _plain, state=lambda: os.getpid())
    assert [r["task"] for r in results] == list(range(60))
    assert all(r["text"] == "乐府〔2019〕13号\u2028" and r["many"] == list(range(r["task"] * 100)) for r in results)
    pids = {r["pid"] for r in results}
    assert os.getpid() in pids and len(pids) >= 2, "both processes took tasks"
    assert states and all(state != os.getpid() for state in states), "each child's last state comes back"


def test_shared_work_that_raises_raises_here_as_without_the_fork() -> None:
    from zhixing.forking import share
    from zhixing.workspace import ConfigError

    def work(task: int) -> dict:
        if task == 17:
            raise ConfigError("policies/rules 第12条：阈值不是整数")
        return _slow(task)

    with pytest.raises(ConfigError, match="阈值不是整数"):
        share(40, work, _plain, _plain)


def test_a_child_that_dies_costs_only_time() -> None:
    from zhixing.forking import share

    parent = os.getpid()

    def work(task: int) -> dict:
        if os.getpid() != parent and task > 3:
            os._exit(3)  # killed, out of memory, …: its tasks are done here
        return _slow(task)

    results, states = share(30, work, _plain, _plain, state=lambda: "child")
    assert [r["task"] for r in results] == list(range(30)) and states == []


def test_a_damaged_answer_costs_only_time() -> None:
    from zhixing.forking import share

    def decode(task: int, data: dict) -> dict:
        if task % 2:
            raise ValueError("not what was sent")
        return data

    results, _ = share(30, _slow, _plain, decode)
    assert [r["task"] for r in results] == list(range(30))


def test_a_child_that_hangs_is_killed_and_its_work_done_here(tmp_path: Path) -> None:
    import time

    from zhixing.forking import share

    parent = os.getpid()
    pids = tmp_path / "pids"

    def work(task: int) -> dict:
        if os.getpid() != parent:
            pids.write_text(str(os.getpid()))
            time.sleep(3600)  # a deadlock, a livelock: no answer ever comes
        time.sleep(0.05)  # the child has time to take a task
        return _slow(task)

    started = time.monotonic()
    results, _ = share(10, work, _plain, _plain, timeout=1)
    assert [r["task"] for r in results] == list(range(10)) and {r["pid"] for r in results} == {parent}
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(int(pids.read_text()), os.WNOHANG)  # killed and reaped, not left behind


@pytest.mark.parametrize("garbage", [5, "x", [1], [None, 3, {}], [0, "", []], [1, 2, [3]], {"a": [1, 2]}, None])
def test_a_damaged_cache_changes_no_verdict(repo_copy: Path, tmp_path: Path, garbage: object) -> None:
    """Every entry of every cache file (parse parts, id summaries and listings, verdicts) replaced by
    a value of the wrong shape, under the right key: the checks, whole and of one file, still say
    what they say without the cache."""
    cache = {"ZHIXING_CACHE_DIR": str(tmp_path / "cache")}
    source = repo_copy / "records/jiaoyuju/meetings/2019-04-18-xitong.yaml"
    (repo_copy / "records/baoyouzhen/meetings/2019-04-18-xitong.yaml").write_text(
        source.read_text(encoding="utf-8").replace("unit: jiaoyuju", "unit: baoyouzhen"), encoding="utf-8")

    def run(*args: str) -> list[dict]:
        proc = subprocess.run([ZHIXING, "--root", str(repo_copy), "check", "--format", "json", "--today", "2019-12-31", *args],
                              capture_output=True, text=True, env={**os.environ, **cache}, check=False)
        assert "Traceback" not in proc.stderr, proc.stderr
        return json.loads(proc.stdout)["violations"]

    whole, alone = run("--no-cache"), run("--no-cache", str(source))
    assert run() == whole  # fills the cache
    stored = list((tmp_path / "cache").rglob("*.json"))
    assert any(p.name.startswith("ids-") for p in stored) and any(p.name.startswith("idl-") for p in stored)
    for path in stored:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data.get("entries")
        if isinstance(entries, dict):
            data["entries"] = {k: garbage for k in entries}
        else:
            data = {k: garbage if k != "key" else v for k, v in data.items()}
        path.write_text(json.dumps(data), encoding="utf-8")
    assert run(str(source)) == alone
    assert run() == whole
    assert run(str(source)) == alone
