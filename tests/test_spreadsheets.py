"""Spreadsheets as county offices keep them: a template generated from the schema, filled in with
openpyxl as Excel or WPS would, imported into records that pass `zhixing check`; bad rows refused
by sheet, row and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from zhixing.cli import main
from zhixing.engine import Engine

openpyxl = pytest.importorskip("openpyxl")


def _fill(path: Path, rows: list[dict[str, object]]) -> None:
    book = openpyxl.load_workbook(str(path))
    sheet = book["记录"]
    header = [c.value for c in sheet[1]]
    for number, row in enumerate(rows, start=2):
        for field, value in row.items():
            column = next(i for i, h in enumerate(header, start=1) if h and f"（{field}）" in h)
            sheet.cell(row=number, column=column, value=value)
    book.save(str(path))


GOOD = {"visibility": "public", "title": "全县教育工作推进会", "kind": "全县性会议", "convened_in_name_of": "部门", "format": "现场",
        "date": dt.date(2019, 10, 14), "start_time": dt.time(9, 0), "end_time": dt.time(11, 0), "participants": 80,
        "chair": "局长", "attending_units": "baoyouzhen、huangliuzhen"}
BAD = {**GOOD, "title": "坏行", "kind": "不存在", "date": "2019-13-01", "participants": "很多"}


def test_template_has_chinese_headers_lists_and_notes(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = repo_copy / "会议模板.xlsx"
    assert main(["--root", str(repo_copy), "template", "会议", "--out", str(out)]) == 0
    book = openpyxl.load_workbook(str(out))
    header = [c.value for c in book["记录"][1]]
    assert "会议类型（kind） *" in header and "参会人数（participants） *" in header
    lists = [v.formula1 for v in book["记录"].data_validations.dataValidation]
    assert len(lists) >= 4, "enums and unit ids as drop-down lists"
    notes = [row[1] for row in book["说明"].iter_rows(values_only=True)]
    assert "participants" in notes
    assert book.properties.keywords == "zhixing:meeting"


def test_round_trip_template_fill_import_check(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = repo_copy / "m.xlsx"
    assert main(["--root", str(repo_copy), "template", "meeting", "--out", str(out)]) == 0
    _fill(out, [GOOD, BAD, {**GOOD, "title": "第二个会", "start_time": "14:30", "end_time": "16:00"}])
    capsys.readouterr()
    assert main(["--root", str(repo_copy), "import", str(out), "--unit", "教育局"]) == 1
    printed = capsys.readouterr().out
    assert "工作表“记录”第 3 行第" in printed and "（会议类型）" in printed and "（参会人数）：应为数字" in printed
    assert "导入 2 行，拒绝 1 行" in printed
    written = sorted((repo_copy / "records/jiaoyuju/meetings").glob("2019-10-14-*.yaml"))
    assert len(written) == 2 and all(p.stem.startswith("2019-10-14-jiaoyuju-") for p in written)  # ids made, not typed
    result = Engine(repo_copy).check(written, today="2019-12-31")
    assert [v for v in result.violations if v.path in {f"records/jiaoyuju/meetings/{p.name}" for p in written}
            and v.severity.value == "error"] == []
    record = next(result.corpus.find("meeting", p.stem) for p in written
                  if result.corpus.find("meeting", p.stem).get("title") != "第二个会")  # type: ignore[union-attr]
    assert record is not None and record.get("attending_units") == ["baoyouzhen", "huangliuzhen"]
    assert record.get("start_time") == "09:00" and record.get("participants") == 80
