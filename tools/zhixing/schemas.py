"""JSON Schemas (draft 2020-12) from schemas/, compiled once, errors mapped to key lines."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhixing.diagnostics import Violation
from zhixing.loading import DataPath, LoadedYaml, dotted
from zhixing.messages import engine_violation

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

_FORMAT_NAMES = {"date": ("日期（YYYY-MM-DD）", "date (YYYY-MM-DD)"), "date-time": ("日期时间", "date-time")}
_TYPE_NAMES = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false", "array": "列表", "object": "映射"}


class SchemaError(Exception):
    """A schema file is missing or invalid: a configuration error (exit 2)."""


@dataclass
class SchemaSet:
    """The schemas, with two validators each: a compiled one (jsonschema-rs, in Rust) that only
    answers "valid?", and the reference ``jsonschema`` validator, built on first need, whose
    errors become the diagnostics. A record the fast one passes has nothing to report; one it
    fails is described by the reference, so the diagnostics are the reference's either way."""

    folder: Path
    documents: dict[str, dict[str, Any]]
    fast: dict[str, Any] = field(default_factory=dict)
    _detailed: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> SchemaSet:
        documents: dict[str, dict[str, Any]] = {}
        for file in sorted(folder.glob("*.schema.json")):
            try:
                documents[file.name.removesuffix(".schema.json")] = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise SchemaError(f"{file}: {exc}") from exc
        _check_patterns(documents)
        out = cls(folder, documents)
        if os.environ.get("ZHIXING_FAST_SCHEMA", "1") != "0":
            out.fast = _compile_fast(folder, documents)
        return out

    def common(self, node: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """The name of the common definition a node refers to (``…#/$defs/date`` → "date"; "" for
        none) and the node with that definition's keywords under its own."""
        name = str(node.get("$ref", "")).rsplit("/", 1)[-1] if node.get("$ref") else ""
        return name, {**self.documents["common"]["$defs"].get(name, {}), **{k: v for k, v in node.items() if k != "$ref"}}

    def detailed(self, kind: str) -> Any:
        if kind not in self._detailed:
            from jsonschema import Draft202012Validator
            from referencing import Registry, Resource

            registry: Registry = Registry().with_resources(
                (doc["$id"], Resource.from_contents(doc)) for doc in self.documents.values() if "$id" in doc
            )
            validator = _ecma_patterns(Draft202012Validator)
            self._detailed[kind] = validator(
                self.documents[kind], registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
            )
        return self._detailed[kind]

    def _about(self, error: ValidationError, field_path: DataPath, kind: str) -> str:
        """The field's own Chinese description, shown where the clerk is (not the schema file's path)."""
        node: dict[str, Any] = {}
        if field_path and isinstance(field_path[-1], str):
            node = _property(error.schema, field_path[-1]) if error.validator in ("required", "additionalProperties") else error.schema
        else:
            node = error.schema
        text = str(node.get("description") or "")
        ref = str(node.get("$ref", ""))
        if not text and ref.startswith("common.schema.json#/$defs/"):
            text = str(self.documents["common"]["$defs"].get(ref.rsplit("/", 1)[1], {}).get("description", ""))
        if error.validator == "additionalProperties":
            import difflib

            names = list(error.schema.get("properties", {}))
            close = difflib.get_close_matches(str(field_path[-1]) if field_path else "", names, n=1, cutoff=0.6)
            if close:
                return f"是不是 {close[0]}（{_property(error.schema, close[0]).get('description', '')}）？"
            return f"这一层可以写的字段：{'、'.join(names)}" if names else "删除这个字段"
        return f"{dotted(field_path)}：{text}" if text else f"字段说明见 schemas/{kind}.schema.json"

    def validate(self, kind: str, loaded: LoadedYaml, shown: str) -> list[Violation]:
        if kind not in self.documents:
            raise SchemaError(f"no schema for record kind {kind!r} in {self.folder}")
        fast = self.fast.get(kind)
        if fast is not None:
            try:
                if fast.is_valid(loaded.data):
                    return []
            except (ValueError, OverflowError):  # a value the compiled validator cannot hold: let jsonschema say
                pass
        schema_file = f"schemas/{kind}.schema.json"
        out: list[Violation] = []
        errors = self.detailed(kind).iter_errors(loaded.data)
        for error in sorted(errors, key=lambda e: list(map(str, e.absolute_path))):
            leaf = _leaf(error)
            for path, field_path, zh, en, code in _describe(leaf):
                line, col = loaded.locate(path)
                out.append(engine_violation(shown, line, col, f"schema.{code}", entry_key="schema",
                                            field=dotted(field_path), detail={"zh": zh, "en": en},
                                            about=self._about(leaf, field_path, kind)))
        if not out and fast is not None:
            # Invalid under either validator is invalid: a record the compiled validator rejects
            # and jsonschema accepts must never pass silently (nor switch a rule off downstream).
            out.append(engine_violation(shown, 1, 1, "schema.disagree", schema=schema_file))
        return out


def _property(schema: dict[str, Any], name: str) -> dict[str, Any]:
    node = schema.get("properties", {}).get(name, {})
    return node if isinstance(node, dict) else {}


def ecma_regex(pattern: str) -> str:
    """A JSON Schema (ECMA-262) pattern for Python's ``re``: ``$`` means the end of the text. Python's
    ``$`` also matches before a final newline, so "08:00\\n" would pass ``^…$`` there and fail in
    jsonschema-rs: the two validators must agree."""
    out, in_class, escaped = [], False, False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif char == "[":
            in_class = True
            out.append(char)
        elif char == "]":
            in_class = False
            out.append(char)
        elif char == "$" and not in_class:
            out.append(r"\Z")
        else:
            out.append(char)
    return "".join(out)


def _check_patterns(documents: dict[str, dict[str, Any]]) -> None:
    """Every ``pattern`` keyword is linear (regexes.ambiguity): the reference validator runs it with
    Python's backtracking ``re`` over record text (README 安全与隐私)."""
    from zhixing.regexes import ambiguity

    todo: list[tuple[str, Any]] = list(documents.items())
    while todo:
        where, node = todo.pop()
        if isinstance(node, dict):
            pattern = node.get("pattern")
            if isinstance(pattern, str):
                problem = ambiguity(ecma_regex(pattern))
                if problem:
                    raise SchemaError(f"{where}.schema.json: pattern {pattern!r} 可能在某些输入上耗时成倍增长，请改写"
                                      f" / may take exponential or quadratic time: {problem}")
            todo.extend((where, value) for value in node.values())
        elif isinstance(node, list):
            todo.extend((where, value) for value in node)


def _ecma_patterns(base: Any) -> Any:
    import re

    from jsonschema import validators
    from jsonschema.exceptions import ValidationError

    compiled: dict[str, re.Pattern[str]] = {}

    def pattern(validator: Any, patrn: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
        if not validator.is_type(instance, "string"):
            return
        if patrn not in compiled:
            compiled[patrn] = re.compile(ecma_regex(patrn))
        if not compiled[patrn].search(instance):
            yield ValidationError(f"{instance!r} does not match {patrn!r}")

    return validators.extend(base, {"pattern": pattern})


def _compile_fast(folder: Path, documents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    try:
        import jsonschema_rs
    except ImportError:
        return {}
    registry = jsonschema_rs.Registry([(doc["$id"], doc) for doc in documents.values() if "$id" in doc])
    fast = {}
    for name, doc in documents.items():
        try:
            fast[name] = jsonschema_rs.validator_for(doc, registry=registry, validate_formats=True)
        except Exception as exc:  # jsonschema-rs rejects a schema that does not fit its metaschema
            raise SchemaError(f"{folder / (name + '.schema.json')}: {exc}") from exc
    return fast


def _leaf(error: ValidationError) -> ValidationError:
    """For anyOf/oneOf, the most relevant sub-error; otherwise the error itself."""
    if error.context:
        from jsonschema.exceptions import best_match

        return best_match(error.context) or error
    return error


def _short(value: object, limit: int = 60) -> str:
    """A value as shown in a message: long input is cut, so a hostile string cannot flood output."""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _numeric(text: str) -> bool:
    try:
        float(text.strip())
    except ValueError:
        return False
    return True


def _describe(error: ValidationError) -> Iterator[tuple[DataPath, DataPath, str, str, str]]:
    """(where to point, the field, Chinese detail, English detail, validator) for one error."""
    path: DataPath = tuple(error.absolute_path)
    kind = str(error.validator)
    value = error.validator_value
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        for key in error.instance:
            if key not in allowed:
                yield path + (key,), path + (key,), f"不允许的字段 “{key}”", f"unknown field '{key}'", kind
        return
    if kind == "required" and isinstance(error.instance, dict):
        for key in value:
            if key not in error.instance:
                yield path, path + (key,), "必填，但没有填写", "is required but missing", kind
        return
    if kind == "type":
        names = value if isinstance(value, list) else [value]
        zh = "或".join(_TYPE_NAMES.get(str(n), str(n)) for n in names)
        if error.instance is None:
            yield path, path, "还没有填写", "is not filled in yet", kind
        elif isinstance(error.instance, str) and set(names) & {"integer", "number"} and _numeric(error.instance):
            yield (path, path, f"应为{zh}，不要加引号：{_short(error.instance)}",
                   f"should be a {' or '.join(names)} without quotes: {_short(error.instance)}", kind)
        else:
            yield path, path, f"应为{zh}，实际是 {_short(error.instance)}", f"should be {' or '.join(names)}, got {_short(error.instance)}", kind
    elif kind == "enum":
        options = "、".join(map(str, value))
        yield path, path, f"“{_short(error.instance)}” 不是允许的值，应为：{options}", f"'{_short(error.instance)}' is not one of: {options}", kind
    elif kind == "format":
        zh, en = _FORMAT_NAMES.get(str(value), (str(value), str(value)))
        yield path, path, f"“{_short(error.instance)}” 不是有效的{zh}", f"'{_short(error.instance)}' is not a valid {en}", kind
    elif kind == "pattern":
        desc = error.schema.get("description", "")
        yield path, path, f"“{_short(error.instance)}” 格式不对：{desc}", f"'{_short(error.instance)}' does not match {value}", kind
    elif kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        word = {"minimum": "不小于", "maximum": "不大于", "exclusiveMinimum": "大于", "exclusiveMaximum": "小于"}[kind]
        yield path, path, f"{_short(error.instance)} 应{word} {value}", _short(error.message, 200), kind
    elif kind in ("minItems", "minLength", "minProperties"):
        yield path, path, "不能为空", "must not be empty", kind
    elif kind == "uniqueItems":
        yield path, path, "列表中有重复项", "list has duplicate items", kind
    else:
        yield path, path, _short(error.message, 200), _short(error.message, 200), kind
