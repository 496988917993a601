"""The incremental full check (verdicts.py, issue 15): after any change, the CLI's full check with
the cache answers exactly what a full check from scratch answers, though it judges only what
changed. Random edits of every sort are made to a corpus full of planted problems; after each, the
two are compared, violation by violation (messages, ledger annotations and all)."""

from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path

import pytest
from gitrepo import copy_repository
from test_parity import planted_corpus
from zhixing import verdicts, walking
from zhixing.engine import Engine

TODAY = "2019-12-31"
MEETING = "records/jiaotongju/meetings/2019-04-03-juwu.yaml"  # named by no approval or registration


def _full(root: Path) -> tuple[list[dict], int]:
    result = Engine(root).check(today=TODAY)
    return [v.to_data() for v in sorted(result.violations)], len(result.checked)


def _incremental(root: Path) -> tuple[tuple[list[dict], int], list[str] | None]:
    result = Engine(root).check(today=TODAY, use_cache=True, incremental=True)
    return ([v.to_data() for v in sorted(result.violations)], len(result.checked)), result.rejudged


def _records(root: Path) -> list[Path]:
    return sorted(p for p in (root / "records").rglob("*.yaml") if p.name != "units.yaml")


def _edit_value(path: Path, rng: random.Random) -> None:
    """A number, date or word in the record changed, as a clerk's edit would."""
    text = path.read_text(encoding="utf-8", errors="replace")
    spots = [m for m in re.finditer(r"(?m)^(\s*[\w-]+: )(\d{4}-\d\d-\d\d|\d+|[\w\u4e00-\u9fff-]+)$", text)]
    if not spots:
        path.write_text(text + "\n", encoding="utf-8")
        return
    m = rng.choice(spots)
    value = m.group(2)
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        new = f"{value[:8]}{rng.randint(1, 28):02d}"
    elif value.isdigit():
        new = str(max(0, int(value) + rng.choice([-3, -1, 1, 2, 40])))
    else:
        new = value + rng.choice(["", "-x", "改"])
    path.write_text(text[:m.start(2)] + new + text[m.end(2):], encoding="utf-8")


def _mutate(root: Path, rng: random.Random, originals: dict[Path, bytes | None]) -> str:
    """One random change to records/; ``originals`` keeps what it replaced, to put back later."""
    records = _records(root)
    path = rng.choice(records)
    what = rng.choice(["edit", "edit", "edit", "touch", "copy-other-unit", "copy-same-folder", "delete", "id",
                       "syntax", "restore", "restore", "unit-field", "move"])
    if what == "restore" and originals:
        back = rng.choice(sorted(originals, key=str))
        content = originals.pop(back)
        if content is None:
            back.unlink(missing_ok=True)
        else:
            back.parent.mkdir(parents=True, exist_ok=True)
            back.write_bytes(content)
        return f"restore {back.relative_to(root)}"
    originals.setdefault(path, path.read_bytes())
    if what == "edit":
        _edit_value(path, rng)
    elif what == "touch":
        path.write_bytes(path.read_bytes())
    elif what in ("copy-other-unit", "copy-same-folder", "move"):
        units = sorted(p for p in (root / "records").iterdir() if p.is_dir())
        folder = path.parent if what == "copy-same-folder" else rng.choice(units) / path.parent.name
        target = folder / (path.name if what != "copy-same-folder" else f"{path.stem}-copy.yaml")
        if target.exists():
            return "nothing"
        originals.setdefault(target, None)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
        if what == "move":
            path.unlink()
        return f"{what} {path.relative_to(root)} -> {target.relative_to(root)}"
    elif what == "delete":
        path.unlink()
    elif what == "id":
        text = path.read_text(encoding="utf-8", errors="replace")
        others = [p.stem for p in records if p.parent.name == path.parent.name]
        path.write_text(re.sub(r"(?m)^id: .*$", f"id: {rng.choice(others)}", text, count=1), encoding="utf-8")
    elif what == "syntax":
        path.write_text(path.read_text(encoding="utf-8", errors="replace") + "\n  : : [\n", encoding="utf-8")
    elif what == "unit-field":
        text = path.read_text(encoding="utf-8", errors="replace")
        path.write_text(re.sub(r"(?m)^unit: .*$", "unit: caizhengju", text, count=1), encoding="utf-8")
    return f"{what} {path.relative_to(root)}"


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZHIXING_CACHE_DIR", str(tmp_path / "cache"))
    # files written a moment ago count as unchanged once stat'ed after the write (the test's edits
    # come a check's duration later, never in the same clock tick)
    monkeypatch.setattr(walking, "RACY_NS", 0)


@pytest.fixture
def county(tmp_path: Path, private_cache: None) -> Path:
    """The county's records as they are."""
    return copy_repository(tmp_path / "repo")


@pytest.fixture
def corpus(tmp_path: Path, private_cache: None) -> Path:
    """The county's records with every planted problem: records in other units' folders, duplicate
    ids, broken files, registrations of findings."""
    return planted_corpus(tmp_path / "repo")


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("planted", [True, False], ids=["planted-problems", "county-records"])
def test_random_changes_give_the_full_checks_verdicts(tmp_path: Path, private_cache: None, seed: int, planted: bool) -> None:
    corpus = planted_corpus(tmp_path / "repo") if planted else copy_repository(tmp_path / "repo")
    rng = random.Random(seed)
    originals: dict[Path, bytes | None] = {}
    assert _incremental(corpus)[0] == _full(corpus)  # the first run: a full check, kept
    used = 0
    for _ in range(12):
        change = _mutate(corpus, rng, originals)
        incremental, rejudged = _incremental(corpus)
        assert incremental == _full(corpus), change
        used += rejudged is not None
    assert used >= 4, "most changes are judged incrementally"


def test_nothing_changed_judges_nothing_again(corpus: Path) -> None:
    first = _incremental(corpus)
    again, rejudged = _incremental(corpus)
    assert again == first[0] and rejudged == []


def test_one_changed_record_is_judged_with_its_partition_only(county: Path) -> None:
    _incremental(county)
    meeting = county / MEETING
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("'2019-04-03'", "'2019-04-04'"), encoding="utf-8")
    incremental, rejudged = _incremental(county)
    assert rejudged == [MEETING]
    assert incremental == _full(county)


def test_a_duplicate_in_the_partition_stays_out_of_its_counts(county: Path) -> None:
    """A record kept out as a duplicate id (an id another unit's record holds) is judged with its
    unit's partition, so the partition's counts leave it out as the full check does (Art. 11: one
    本系统全县性会议 a year)."""
    meeting = county / "records/yingjiju/meetings/2019-04-24-xitong.yaml"
    text = meeting.read_text(encoding="utf-8")
    copy = re.sub(r"(?m)^id: .*$", "id: 2019-04-18-xitong", text).replace("'2019-04-24'", "'2019-10-10'")
    (county / "records/yingjiju/meetings/zz-copy.yaml").write_text(copy, encoding="utf-8")  # jiaoyuju holds that id
    first = _incremental(county)[0]
    assert first == _full(county)
    assert any(v["rule"] == "record.duplicate-id" and v["path"].endswith("zz-copy.yaml") for v in first[0])
    meeting.write_text(text.replace("title:", "title: 改", 1), encoding="utf-8")
    incremental, rejudged = _incremental(county)
    assert rejudged is not None and "records/yingjiju/meetings/zz-copy.yaml" in rejudged
    assert incremental == _full(county)


@pytest.mark.parametrize("kind_folder", ["registrations", "approvals"])
def test_a_changed_registration_or_approval_means_a_full_check(corpus: Path, kind_folder: str) -> None:
    _incremental(corpus)
    changed = sorted((corpus / "records").glob(f"*/{kind_folder}/*.yaml"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    incremental, rejudged = _incremental(corpus)
    assert rejudged is None and incremental == _full(corpus)


def test_a_changed_policy_or_another_day_means_a_full_check(corpus: Path) -> None:
    _incremental(corpus)
    calendar = corpus / "policies/calendar.yaml"
    calendar.write_text(calendar.read_text(encoding="utf-8") + "\n# 核对中\n", encoding="utf-8")
    assert _incremental(corpus)[1] is None
    assert _incremental(corpus)[1] == []
    result = Engine(corpus).check(today="2020-01-02", use_cache=True, incremental=True)
    assert result.rejudged is None


def test_a_damaged_snapshot_is_a_full_check(corpus: Path, tmp_path: Path) -> None:
    reference = _incremental(corpus)[0]
    for snapshot in (tmp_path / "cache").rglob(verdicts.NAME):
        snapshot.write_text('{"key": 1, "files": [', encoding="utf-8")
    again, rejudged = _incremental(corpus)
    assert rejudged is None and again == reference


def test_an_edit_that_keeps_size_and_time_is_seen(county: Path) -> None:
    """The status-change time moves with any write (a user cannot set it back)."""
    _incremental(county)
    meeting = county / MEETING
    before = meeting.stat()
    text = meeting.read_text(encoding="utf-8")
    flipped = text.replace("'2019-04-03'", "'2019-04-02'", 1)
    assert len(flipped) == len(text) and flipped != text
    meeting.write_text(flipped, encoding="utf-8")
    os.utime(meeting, ns=(before.st_atime_ns, before.st_mtime_ns))
    incremental, rejudged = _incremental(county)
    assert rejudged == [MEETING]
    assert incremental == _full(county)


def test_the_cli_runs_incrementally_and_says_the_same(corpus: Path) -> None:
    import json
    import subprocess
    import sys

    zhixing = str(Path(sys.executable).with_name("zhixing"))

    def run(*args: str) -> list[dict]:
        proc = subprocess.run([zhixing, "--root", str(corpus), "check", "--format", "json", "--today", TODAY, *args],
                              capture_output=True, text=True, check=False)
        assert proc.returncode == 1, proc.stderr
        return json.loads(proc.stdout)["violations"]

    first = run()
    assert first == run("--no-cache")
    shutil.rmtree(corpus / "records/jiaoyuju/documents")
    assert run() == run("--no-cache")


@pytest.mark.parametrize(("argv", "root"), [
    (["check"], ""), (["--root", "x", "check", "--format", "json", "--today", "2019-12-31"], "x"),
    (["--root=y", "check", "--lang=en", "--allow-findings"], "y"), (["check", "--format", "sarif", "--lang", "en"], ""),
    (["check", "records/x.yaml"], None), (["check", "--no-cache"], None), (["check", "--base", "main"], None),
    (["check", "--form", "json"], None), (["check", "--format"], None), (["rules"], None), ([], None),
    (["--root", "x"], None), (["check", "--help"], None), (["-h"], None),
])
def test_only_a_full_check_with_the_cache_is_listed_ahead(argv: list[str], root: str | None) -> None:
    from zhixing.launch import full_check_root

    assert full_check_root(argv) == root


def test_the_listing_made_ahead_is_the_listing_made_here(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """launch.py's child lists records/ (record files, strays, a linked folder, every signature) as
    the engine would; a child that cannot find a repository leaves the engine to list."""
    from zhixing import forking, launch

    (corpus / "records/jiaoyuju/meetings/notes.txt").write_text("x", encoding="utf-8")
    (corpus / "records/jiaoyuju/linked").symlink_to(corpus / "records/xianzhengfu")
    for path in (corpus / "records").rglob("*"):
        os.utime(path, ns=(1_500_000_000_000_000_000, 1_500_000_000_000_000_000), follow_symlinks=False)
    here = walking.listing(corpus)
    assert here[1] and any(sig is not None for sig in here[2].values())
    walking.made_ahead(forking.Background(lambda: launch._made(str(corpus))))
    assert walking.listing_made_ahead(corpus / "records") == here
    assert walking.listing_made_ahead(corpus / "records") is None, "taken once"
    walking.made_ahead(forking.Background(lambda: launch._made(str(corpus))))
    assert walking.listing_made_ahead(corpus / "other") is None, "another repository's listing is not this one's"
    monkeypatch.chdir(corpus.parent)  # no repository at or above: the child fails
    walking.made_ahead(forking.Background(lambda: launch._made("")))
    assert walking.listing_made_ahead(corpus / "records") is None
    walking.made_ahead(forking.Background(lambda: launch._made(str(corpus))))
    walking.discard_ahead()  # not wanted: stopped, and nothing left to take
    assert walking.listing_made_ahead(corpus / "records") is None
