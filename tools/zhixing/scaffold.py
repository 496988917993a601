"""`zhixing new`: a record skeleton generated from its JSON Schema, with Chinese comments.

Every required field is written, blank where the clerk must fill it (a blank fails the schema,
so an unfilled record cannot slip through); the unit, the id and the record's own date are
filled in; optional fields are listed in a closing comment.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Any

from zhixing.records import KINDS
from zhixing.schemas import SchemaSet


class ScaffoldError(Exception):
    pass


# What a new record says before anyone types (the web form's defaults too, cms.py).
DEFAULTS = {"visibility": "public"}


def new_record(root: Path, schemas: SchemaSet, kind: str, unit: str, on: str) -> Path:
    if kind not in KINDS:
        raise ScaffoldError(f"unknown kind {kind!r}; kinds: {', '.join(KINDS)}")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", unit):
        raise ScaffoldError(f"not a unit id: {unit!r}")
    spec = KINDS[kind]
    folder = root / "records" / unit / spec.folder
    folder.mkdir(parents=True, exist_ok=True)
    record_id = new_id(root, on, unit)
    schema = schemas.documents[kind]
    filled = {"id": record_id, "unit": unit, **DEFAULTS, spec.date_field: on}
    lines = [
        f"# yaml-language-server: $schema=../../../schemas/{kind}.schema.json",
        f"# {spec.label}记录（{schema.get('description', '')}）",
        "# 填写所有空白处；不需要的可选字段不要写。写完后运行：.venv/bin/zhixing check " + f"records/{unit}/{spec.folder}/{record_id}.yaml",
    ]
    wanted = [*schema.get("required", []), *spec.scaffold]
    lines += _object(schema, schemas, filled, indent="", keys=wanted)
    optional = [k for k in schema["properties"] if k not in wanted and k not in filled]
    if optional:
        lines.append("# 可选字段：" + "、".join(f"{k}（{_describe(schema['properties'][k], schemas)}）" for k in optional))
    path = folder / f"{record_id}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# The letters of an id's random part: lower case and digits, without those read alike (0 o 1 l i).
ID_LETTERS = "abcdefghjkmnpqrstuvwxyz23456789"
ID_RANDOM = 4  # 31^4 ≈ 920,000 ids per unit and day


def new_id(root: Path, on: str, unit: str) -> str:
    """An id no parallel change can also take: the date, the unit and a random part
    (``2019-09-10-jiaoyuju-k3fm``). Two units never collide, whatever they file on one day (the unit
    is in the id); two clerks of one unit on one day collide with odds of one in 920,000 per pair; an
    id already in this checkout is never given. Ids stay unique across the repository (a duplicate
    would be dropped from the corpus), and the clerk never types one."""
    taken = {p.stem for p in (root / "records").glob(f"*/*/{on}-{unit}-*.yaml")}
    while True:
        candidate = f"{on}-{unit}-" + "".join(secrets.choice(ID_LETTERS) for _ in range(ID_RANDOM))
        if candidate not in taken:
            return candidate


def _resolve(node: dict[str, Any], schemas: SchemaSet) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref and ref.startswith("common.schema.json#/$defs/"):
        target = dict(schemas.documents["common"]["$defs"][ref.rsplit("/", 1)[1]])
        target.update({k: v for k, v in node.items() if k != "$ref"})
        return target
    return node


_FORMATS = {"/date": "，格式 YYYY-MM-DD", "/time": "，格式 HH:MM"}


def _describe(node: dict[str, Any], schemas: SchemaSet) -> str:
    resolved = _resolve(node, schemas)
    text = resolved.get("description", "")
    for suffix, hint in _FORMATS.items():
        if str(node.get("$ref", "")).endswith(suffix) and "格式" not in text:
            text += hint
    if "enum" in resolved:
        text += "：" + " / ".join(map(str, resolved["enum"]))
    return text


def _blank(node: dict[str, Any]) -> str:
    kind = node.get("type")
    if kind == "string":
        return '""'
    return ""


def _object(schema: dict[str, Any], schemas: SchemaSet, filled: dict[str, Any], indent: str,
            keys: list[str] | None = None) -> list[str]:
    lines = []
    properties = schema.get("properties", {})
    for key in keys if keys is not None else schema.get("required", []):
        node = _resolve(properties[key], schemas)
        comment = _describe(properties[key], schemas)
        if key in filled:
            value = filled[key]
            lines.append(f'{indent}{key}: "{value}"' if isinstance(value, str) else f"{indent}{key}: {value}")
            continue
        if node.get("type") == "object":
            lines.append(f"{indent}{key}:  # {comment}")
            lines += _object(node, schemas, {}, indent + "  ")
        elif node.get("type") == "array":
            item = _resolve(node.get("items", {}), schemas)
            lines.append(f"{indent}{key}:  # {comment}")
            if item.get("type") == "object":
                sub = _object(item, schemas, {}, indent + "    ")
                lines.append(f"{indent}  - " + sub[0].lstrip() if sub else f"{indent}  - {{}}")
                lines += sub[1:]
            else:
                lines.append(f"{indent}  - {_blank(item) or ''}".rstrip() + f"  # {_describe(item, schemas)}")
        else:
            lines.append(f"{indent}{key}: {_blank(node)}".rstrip() + f"  # {comment}")
    return lines
