"""Bodies as clerks write them (Art. 16): Word .docx counted as Word counts the body — paragraphs and
tables, not headers, footers, comments or tracked deletions — and text files, whose other encodings
are refused by name, never skipped. The .docx files are generated here with python-docx."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES
from docxfiles import make_docx
from gitrepo import BIN, sh
from zhixing.bodies import read_body
from zhixing.engine import Engine
from zhixing.wordcount import count

DOCX = pytest.importorskip("docx")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
RECORD = (FIXTURES / "document/valid/length-6000/length-6000.yaml").read_text(encoding="utf-8")


def _count(path: Path) -> int:
    text, problem = read_body(path, path.name, 1 << 24)
    assert problem is None, problem
    return count(text or "")


def test_docx_counts_paragraphs_and_tables_only(tmp_path: Path) -> None:
    path = tmp_path / "正文.docx"
    make_docx(path, 1000, table_chars=100)
    assert _count(path) == 1000


def test_tracked_deletions_do_not_count_and_insertions_do(tmp_path: Path) -> None:
    path = tmp_path / "修订.docx"
    make_docx(path, 100, table_chars=10)
    document = DOCX.Document(str(path))
    paragraph = document.paragraphs[0]._p
    run = paragraph.findall(f"{W}r")[0]
    deleted, inserted = copy.deepcopy(run), copy.deepcopy(run)
    for node, tag, text_tag in ((deleted, "del", "delText"), (inserted, "ins", "t")):
        for t in node.iter(f"{W}t"):
            t.tag = f"{W}{text_tag}"
            t.text = "删" * 7 if tag == "del" else "增" * 3
        wrapper = paragraph.makeelement(f"{W}{tag}", {f"{W}id": "1", f"{W}author": "办事员"})
        wrapper.append(node)
        paragraph.append(wrapper)
    document.save(str(path))
    assert _count(path) == 103


@pytest.mark.parametrize(("chars", "fails"), [(6000, False), (6001, True)])
def test_a_docx_body_is_judged_under_art_16(tmp_path: Path, chars: int, fails: bool) -> None:
    folder = tmp_path / "document" / "docx-body"  # the kind comes from the folder, as for the fixtures
    shutil.copytree(FIXTURES / "document/valid/length-6000", folder)
    (folder / "length-6000.txt").unlink()
    make_docx(folder / "关于加强安全生产工作的意见.docx", chars)
    (folder / "length-6000.yaml").write_text(RECORD.replace("body_file: length-6000.txt", "body_file: 关于加强安全生产工作的意见.docx"),
                                             encoding="utf-8")
    engine = Engine(Path(__file__).resolve().parent.parent)
    found = {(Path(v.path).name, v.rule) for v in engine.check([folder], today="2019-06-01").violations
             if v.rule != "calendar.unconfirmed"}
    assert found == ({("length-6000.yaml", "document.length")} if fails else set())


@pytest.mark.parametrize("suffix", [".doc", ".wps", ".pdf", ".ofd"])
def test_other_formats_are_refused_with_how_to_save_as_docx(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"正文{suffix}"
    path.write_bytes(b"%PDF-1.4 not a docx")
    text, problem = read_body(path, path.name, 1 << 20)
    assert text is None and problem is not None and problem.rule == "body.format"
    assert ".docx" in problem.text("zh") and "另存为" in problem.hint_text("zh")


@pytest.mark.parametrize(("encoding", "named"), [("gbk", "GBK"), ("utf-16", "UTF-16")])
def test_gbk_and_utf16_bodies_are_refused_by_the_real_hook(repo: Path, encoding: str, named: str) -> None:
    folder = repo / "records/xianzhengfu/documents"
    record = folder / "lefu-2019-13.yaml"
    body = folder / "lefu-2019-13.txt"
    text = body.read_text(encoding="utf-8")
    body.write_bytes(text.encode(encoding, errors="ignore"))
    record.write_text(record.read_text(encoding="utf-8") + "revisions:\n  - date: '2019-04-01'\n    reason: 换成记事本保存的正文\n",
                      encoding="utf-8")
    sh(repo, "git", "add", "-A")
    refused = sh(repo, "git", "commit", "-m", "body saved by Notepad", check=False)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert named in output and "body.encoding" in output and "record.body-problem" in output
    # checking the record alone (what the hook passes for a YAML change) fails too
    alone = sh(repo, str(BIN / "zhixing"), "check", "records/xianzhengfu/documents/lefu-2019-13.yaml", check=False)
    assert alone.returncode == 1 and "record.body-problem" in alone.stdout
