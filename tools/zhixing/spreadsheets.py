"""Spreadsheets, as county offices keep their lists (Excel or WPS): ``zhixing template KIND`` writes
an ``.xlsx`` generated from the kind's schema, ``zhixing import FILE.xlsx --unit U`` turns its rows
into records, one file each, refusing the rows with errors (by sheet, row and column, in Chinese)
and writing the good ones.

The sheet holds the kind's flat fields: texts, numbers, yes/no, dates and times, and lists of
texts (written “甲、乙”). Nested parts (an agenda's items, an inspection's findings) are filled in
afterwards in the record's YAML, or through the web form.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhixing.bodies import archive_problem
from zhixing.diagnostics import Violation
from zhixing.loading import ArchiveLimits, LoadLimits, load_yaml_text, read_bytes_capped
from zhixing.records import KINDS
from zhixing.schemas import SchemaSet
from zhixing.workdays import clerk_date

SHEET, NOTES, OPTIONS = "记录", "说明", "选项"
ROWS = 500  # rows prepared with validation lists
_SKIP = {"id", "unit", "private_fields", "revisions", "withdrawn", "notes", "approvals", "nonpublic_basis"}
_HEADER_FIELD = re.compile(r"（([a-z_]+)）\s*\*?$")
_CLOCK = re.compile(r"\s*(\d{1,2})\s*[:：]\s*(\d{2})\s*")
_LIST_SPLIT = re.compile(r"[、,，;；\n]")  # items are stripped: a pattern with \s* on both sides is quadratic
YES, NO = "是", "否"


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    kind: str  # text | integer | number | boolean | date | time | list | unit
    required: bool
    options: tuple[str, ...] = ()
    description: str = ""

    @property
    def header(self) -> str:
        return f"{self.label}（{self.field}）" + (" *" if self.required else "")


def columns(schemas: SchemaSet, kind: str) -> list[Column]:
    """The kind's flat fields as sheet columns, in schema order."""
    schema = schemas.documents[kind]
    required = set(schema.get("required", []))
    out: list[Column] = []
    for name, node in schema.get("properties", {}).items():
        if name in _SKIP:
            continue
        ref, resolved = schemas.common(node)
        description = str(resolved.get("description", name))
        label = re.split(r"[（，：:]", description)[0] or name
        kind_of = _column_kind(ref, resolved)
        if kind_of is None:
            continue
        options = tuple(map(str, resolved.get("enum", ())))
        out.append(Column(name, label, kind_of, name in required, options, description))
    return out


_REF_KINDS = {"date": "date", "time": "time", "unit_id": "unit", "unit_list": "list"}


def _column_kind(ref: str, node: dict[str, Any]) -> str | None:
    if ref in _REF_KINDS:
        return _REF_KINDS[ref]
    kind = node.get("type")
    if kind in ("string", "integer", "number", "boolean"):
        return {"string": "text"}.get(str(kind), str(kind))
    if kind == "array":
        items = node.get("items", {})
        item_ref = str(items.get("$ref", "")).rsplit("/", 1)[-1]
        if items.get("type") == "string" or item_ref in ("unit_id", "record_id", "date"):
            return "list"
    return None


def write_template(path: Path, schemas: SchemaSet, kind: str, units: dict[str, str]) -> None:
    """An .xlsx for ``kind``: Chinese headers, drop-down lists for enums, yes/no and unit ids, date and
    time cells, and a notes sheet naming each column's field and meaning."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    cols = columns(schemas, kind)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    options = book.create_sheet(OPTIONS)
    options.sheet_state = "hidden"
    notes = book.create_sheet(NOTES)
    notes.append(["列名", "字段", "必填", "说明", "可选值"])
    option_column = 0
    for index, col in enumerate(cols, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=col.header)
        cell.font = Font(bold=True)
        if col.required:
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
        sheet.column_dimensions[letter].width = max(12, len(col.header) * 2)
        values: tuple[str, ...] = ()
        if col.options:
            values = col.options
        elif col.kind == "boolean":
            values = (YES, NO)
        elif col.kind == "unit":
            values = tuple(units)
        if values:
            option_column += 1
            option_letter = get_column_letter(option_column)
            for row, value in enumerate(values, start=1):
                options.cell(row=row, column=option_column, value=value)
            check = DataValidation(type="list", formula1=f"={OPTIONS}!${option_letter}$1:${option_letter}${len(values)}",
                                   allow_blank=not col.required, showErrorMessage=True,
                                   errorTitle="不在可选值中", error=f"请从下拉列表中选择{col.label}")
            check.add(f"{letter}2:{letter}{ROWS + 1}")
            sheet.add_data_validation(check)
        elif col.kind in ("date", "time"):
            for row in range(2, ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "yyyy-mm-dd" if col.kind == "date" else "hh:mm"
        shown = "、".join(values) if col.kind != "unit" else "、".join(f"{k}（{v}）" for k, v in units.items())
        notes.append([col.header, col.field, "是" if col.required else "", col.description, shown])
    notes.append([])
    notes.append(["填写方法：每行一条记录；带 * 的列必填；日期写成 2019-09-10；列表用顿号分隔，如“甲、乙”。"
                  "嵌套的内容（议题、督查发现的问题等）导入后在记录文件中补充。"])
    sheet.freeze_panes = "A2"
    book.properties.keywords = f"zhixing:{kind}"  # which kind the sheet is, for `zhixing import`
    book.properties.title = f"{KINDS[kind].label}导入模板"
    book.save(str(path))


def open_workbook(path: Path, limits: ArchiveLimits | None = None, **options: Any) -> Any:
    """openpyxl's workbook of an .xlsx bounded as a .docx body is (bodies.archive_problem) before
    openpyxl parses any part: a small file can unpack to gigabytes. ValueError says which bound."""
    from openpyxl import load_workbook

    limits = limits or ArchiveLimits()
    raw, problem = read_bytes_capped(path, str(path), limits.max_unpacked_bytes)
    if raw is None:
        raise ValueError(problem.text("zh") if problem else "无法读取")
    try:
        over = archive_problem(raw, limits)
    except Exception as exc:  # not a zip, encrypted, an unknown compression
        raise ValueError(f"不是能打开的 .xlsx 文件（{type(exc).__name__}）") from exc
    if over is not None:
        what, found, limit = over
        raise ValueError(f"表格超出上限：{what['zh']} {found}，上限 {limit}；未读取")
    return load_workbook(io.BytesIO(raw), **options)


def sheet_kind(path: Path, limits: ArchiveLimits | None = None) -> str | None:
    """The record kind a template was made for (its keywords say ``zhixing:KIND``)."""
    book = open_workbook(path, limits, read_only=True)
    keywords = str(book.properties.keywords or "")
    book.close()
    return keywords.removeprefix("zhixing:") if keywords.startswith("zhixing:") else None


@dataclass
class RowProblem:
    row: int
    column: str
    label: str
    message: str

    def text(self, sheet: str) -> str:
        where = f"工作表“{sheet}”第 {self.row} 行" + (f"第 {self.column} 列（{self.label}）" if self.column else "")
        return f"{where}：{self.message}"


def read_rows(path: Path, schemas: SchemaSet, kind: str, limits: ArchiveLimits | None = None,
              ) -> tuple[str, dict[str, tuple[str, str]], list[tuple[int, dict[str, Any], list[RowProblem]]]]:
    """(sheet name, field -> (column letter, label), [(row number, fields, problems converting them)])
    for every non-empty row."""
    from openpyxl.utils import get_column_letter

    book = open_workbook(path, limits, data_only=True, read_only=True)
    sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    by_field = {c.field: c for c in columns(schemas, kind)}
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, ())
    fields: list[Column | None] = []
    letters: dict[str, tuple[str, str]] = {}
    for index, title in enumerate(header, start=1):
        found = _HEADER_FIELD.search(str(title or ""))
        col = by_field.get(found.group(1)) if found else None
        fields.append(col)
        if col is not None:
            letters[col.field] = (get_column_letter(index), col.label)
    out = []
    for number, values in enumerate(rows, start=2):
        if not any(v not in (None, "") for v in values):
            continue
        data: dict[str, Any] = {}
        problems: list[RowProblem] = []
        for index, (col, value) in enumerate(zip(fields, values, strict=False), start=1):
            if col is None or value in (None, ""):
                continue
            try:
                data[col.field] = _convert(col, value)
            except ValueError as exc:
                problems.append(RowProblem(number, get_column_letter(index), col.label, str(exc)))
        out.append((number, data, problems))
    book.close()
    return sheet.title, letters, out


def _convert(col: Column, value: Any) -> Any:
    if col.kind in ("integer", "number"):
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValueError(f"应为数字，实际是 {value}")
        try:
            number = float(str(value).strip())
        except ValueError:
            raise ValueError(f"应为数字，实际是 {value}") from None
        if col.kind == "integer":
            if number != int(number):
                raise ValueError(f"应为整数，实际是 {value}")
            return int(number)
        return number
    if col.kind == "boolean":
        text = str(value).strip().lower()
        if text in (YES, "true", "1", "对"):
            return True
        if text in (NO, "false", "0"):
            return False
        raise ValueError(f"应为“{YES}”或“{NO}”，实际是 {value}")
    if col.kind == "date":
        if isinstance(value, (dt.datetime, dt.date)):
            return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
        try:
            return clerk_date(str(value))
        except ValueError:
            raise ValueError(f"不是有效的日期：{value}（写成 2019-09-10）") from None
    if col.kind == "time":
        if isinstance(value, (dt.datetime, dt.time)):
            return value.strftime("%H:%M")
        found = _CLOCK.fullmatch(str(value))
        if not found:
            raise ValueError(f"不是时间：{value}（写成 09:30）")
        return f"{int(found.group(1)):02d}:{found.group(2)}"
    if col.kind == "list":
        return [item for item in map(str.strip, _LIST_SPLIT.split(str(value))) if item]
    return str(value).strip()


def record_yaml(kind: str, data: dict[str, Any]) -> str:
    """A record's YAML, each value written as JSON (a valid YAML flow scalar or list)."""
    lines = [f"# yaml-language-server: $schema=../../../schemas/{kind}.schema.json",
             f"# 由电子表格导入（{KINDS[kind].label}）"]
    lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in data.items()]
    return "\n".join(lines) + "\n"


def schema_problems(kind: str, text: str, schemas: SchemaSet, limits: LoadLimits) -> list[Violation]:
    loaded, problems = load_yaml_text(text, "row.yaml", limits)
    if loaded is None:
        return problems
    return schemas.validate(kind, loaded, "row.yaml")
