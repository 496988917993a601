"""Every schema passes its metaschema, forbids unknown fields, and checks formats for real."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from jsonschema import Draft202012Validator
from zhixing.engine import Engine
from zhixing.loading import LoadLimits, load_yaml_text

SCHEMAS = sorted((ROOT / "schemas").glob("*.schema.json"))


def _walk(node: object):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schema_passes_metaschema_and_has_id_and_descriptions(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(path.name)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in schema["description"])


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_object_with_properties_forbids_others(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    for node in _walk(schema):
        if "properties" in node and node.get("type") == "object":
            assert node.get("additionalProperties") is False, f"{path.name}: {sorted(node['properties'])}"


RECORD_SCHEMAS = [p for p in SCHEMAS if p.name.split(".")[0] not in
                  ("policy", "settings", "calendar", "supervision", "vocabulary", "common")]


@pytest.mark.parametrize("path", RECORD_SCHEMAS, ids=lambda p: p.name)
def test_every_record_field_has_a_short_chinese_title(path: Path) -> None:
    """The site labels every field by its schema title: never an English key (year, date, unit)."""

    def fields(node: object) -> Iterator[tuple[str, dict]]:
        """Every field definition: properties, never the constraints inside if/then/else."""
        if isinstance(node, dict):
            for key, prop in (node.get("properties") or {}).items():
                yield key, prop
                yield from fields(prop)
            for key, value in node.items():
                if key not in ("properties", "if", "then", "else"):
                    yield from fields(value)
        elif isinstance(node, list):
            for value in node:
                yield from fields(value)

    schema = json.loads(path.read_text(encoding="utf-8"))
    for key, prop in fields(schema):
        title = prop.get("title", "")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in title) and len(title) <= 16, f"{path.name}: {key} {title!r}"


def test_format_checker_rejects_bad_dates_and_date_times() -> None:
    checker = Draft202012Validator.FORMAT_CHECKER
    assert checker.conforms("2019-04-10", "date")
    assert not checker.conforms("2019-02-30", "date")
    assert not checker.conforms("2019-4-1", "date")
    # Without rfc3339-validator, jsonschema silently accepts any date-time: prove it is installed.
    assert checker.conforms("2019-04-10T09:30:00+08:00", "date-time")
    assert not checker.conforms("2019-04-10T25:00:00+08:00", "date-time")


def _meeting(date: str, end_time: str) -> str:
    return (
        "id: m\nunit: xianzhengfu\nvisibility: public\ntitle: t\nkind: 其他\nconvened_in_name_of: 部门\n"
        f"format: 现场\ndate: {date}\nstart_time: '09:00'\nend_time: '{end_time}'\nparticipants: 3\n"
    )


@pytest.mark.parametrize(
    ("date", "end_time", "rules"),
    [
        ("2019-04-10", "10:00", []),
        ("2019-02-30", "10:00", [("schema.format", 8)]),
        ("2019-04-10", "24:00", [("schema.pattern", 10)]),
        ("2019-04-10", "9:5", [("schema.pattern", 10)]),
    ],
)
def test_bad_date_and_bad_time_are_rejected_at_their_line(engine: Engine, date: str, end_time: str, rules: list) -> None:
    loaded, problems = load_yaml_text(_meeting(date, end_time), "m.yaml", LoadLimits(1 << 16, 16))
    assert loaded is not None and problems == []
    found = engine.schemas.validate("meeting", loaded, "m.yaml")
    assert [(v.rule, v.line) for v in found] == rules


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("乐府〔2019〕13号", True),
        ("乐府办〔2019〕7号", True),
        ("乐府[2019]13号", False),
        ("乐府（2019）13号", False),
        ("乐府〔19〕13号", False),
        ("乐府〔2019〕第13号", False),
        ("乐府〔2019〕013号", False),
        ("乐府〔2019〕13", False),
        ("〔2019〕13号", False),
    ],
)
def test_document_number_follows_gb_t_9704(engine: Engine, number: str, ok: bool) -> None:
    sub = engine.schemas.documents["document"]["properties"]["number"]
    assert Draft202012Validator(sub).is_valid(number) is ok


def test_document_types_are_the_fifteen_of_the_2012_regulation() -> None:
    schema = json.loads((ROOT / "schemas/document.schema.json").read_text(encoding="utf-8"))
    kinds = schema["properties"]["doc_type"]["enum"]
    assert len(kinds) == 15 == len(set(kinds))
    assert {"决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案", "函", "纪要"} == set(kinds)
