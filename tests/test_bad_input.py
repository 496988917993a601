"""Bad input gets a diagnostic with file and line, exit 1, no traceback, and loses nothing:
the other files in the same run are still checked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from zhixing.cli import main

GOOD = (ROOT / "tests/fixtures/meeting/valid/topic-hours-4h.yaml").read_text(encoding="utf-8")

# name -> (file content as bytes, expected rule, expected line)
CASES: dict[str, tuple[bytes, str, int]] = {
    "syntax": (b"id: syntax\nunit: xianzhengfu\ntitle: [unclosed\nkind: x\n", "yaml.syntax", 4),
    "duplicate-key": (b"id: duplicate-key\nunit: xianzhengfu\nunit: jiaoyuju\n", "yaml.duplicate-key", 3),
    "anchor": (b"id: anchor\nunit: &u xianzhengfu\n", "yaml.alias", 2),
    "alias-bomb": (
        b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
        "yaml.alias",
        1,
    ),
    "tab": (b"id: tab\nagenda:\n\t- title: x\n", "yaml.tab", 3),
    "gbk": ("id: gbk\nunit: xianzhengfu\ntitle: 全县教育工作会议\n".encode("gbk"), "file.gbk", 3),
    "latin1": (b"id: latin1\nunit: xianzhengfu\ntitle: caf\xe9\n", "file.not-utf8", 3),
    "list-top-level": (b"- id: list\n- unit: xianzhengfu\n", "yaml.not-mapping", 1),
    "scalar-top-level": (b"just a sentence\n", "yaml.not-mapping", 1),
    "empty": (b"", "yaml.not-mapping", 1),
    "tag": (b"id: tag\nunit: !!python/object:os.system xianzhengfu\n", "yaml.tag", 2),
    "two-documents": (b"id: a\n---\nid: b\n", "yaml.syntax", 2),
    "deep": (b"a: " + b"[" * 200 + b"]" * 200 + b"\n", "yaml.too-deep", 1),
    "nul-byte": (b"id: nul\x00\n", "yaml.syntax", 1),
}


def _write(folder: Path, name: str, content: bytes) -> Path:
    path = folder / "meetings" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_bad_input_is_one_located_violation(tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    content, rule, line = CASES[name]
    path = _write(tmp_path, name, content)
    code = main(["--root", str(ROOT), "check", "--format", "json", str(path)])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(v["rule"], v["line"]) for v in report["violations"]] == [(rule, line)]
    assert report["violations"][0]["path"].endswith(f"meetings/{name}.yaml")


def test_oversize_file_is_rejected_without_parsing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "huge", b"id: huge\nnotes: '" + b"x" * 400_000 + b"'\n")
    code = main(["--root", str(ROOT), "check", "--format", "json", str(path)])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(v["rule"], v["line"]) for v in report["violations"]] == [("file.too-large", 1)]


def test_gbk_message_names_the_encoding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "gbk", CASES["gbk"][0])
    main(["--root", str(ROOT), "check", str(path)])
    out = capsys.readouterr().out
    assert "GBK" in out and "UTF-8" in out


def test_whole_bad_corpus_in_one_process_reports_every_file_and_the_good_one_passes(tmp_path: Path) -> None:
    for name, (content, _, _) in CASES.items():
        _write(tmp_path, name, content)
    good = _write(tmp_path, "topic-hours-4h", GOOD.encode("utf-8"))
    bad_meeting = _write(tmp_path, "department-participants",
                         (ROOT / "tests/fixtures/meeting/invalid/department-participants.yaml").read_bytes())
    proc = subprocess.run(
        [sys.executable, "-m", "zhixing", "--root", str(ROOT), "check", "--format", "json", str(tmp_path)],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    report = json.loads(proc.stdout)
    by_file = {Path(v["path"]).stem: v["rule"] for v in report["violations"]}
    for name, (_, rule, _) in CASES.items():
        assert by_file[name] == rule
    assert by_file[bad_meeting.stem] == "meeting.department-participants"
    assert good.stem not in by_file
    assert report["files"] == len(CASES) + 2


def test_hostile_strings_are_escaped_in_text_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = GOOD.replace("participants: 18", 'participants: "\\e[31m18\\nfake.yaml:1:1: ok"')
    path = _write(tmp_path, "topic-hours-4h", text.encode("utf-8"))
    assert main(["--root", str(ROOT), "check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert not any(line.startswith("fake.yaml") for line in out.splitlines())


def test_syntax_errors_are_explained_in_chinese_and_kept_in_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "colon", "id: colon\ntitle: 会议: 第一次\n".encode())
    main(["--root", str(ROOT), "check", "--format", "json", str(path)])
    (zh,) = json.loads(capsys.readouterr().out)["violations"]
    main(["--root", str(ROOT), "check", "--format", "json", "--lang", "en", str(path)])
    (en,) = json.loads(capsys.readouterr().out)["violations"]
    assert (zh["rule"], zh["line"]) == ("yaml.syntax", 2)
    assert "缩进" in zh["message"] and "mapping" not in zh["message"]
    assert "mapping values are not allowed" in en["message"]
