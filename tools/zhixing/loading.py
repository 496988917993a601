"""YAML files into plain data plus a line map, or into Violations; never a traceback.

Parsing goes through ruamel.yaml's safe loader, which uses the C parser when
``ruamel.yaml.clib`` is installed. We compose the node tree and build the data ourselves so that
dates and times stay strings (YAML 1.2, no implicit ``datetime``), duplicate keys and aliases are
caught, and every key's line is kept for diagnostics, all in one pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from zhixing.diagnostics import Violation
from zhixing.messages import engine_violation

Location = tuple[int, int]
DataPath = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_CORE_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}
_MAYBE_ANCHOR = re.compile(r"[&*][^\s]")
_LEADING_TAB = re.compile(r"^[ ]*\t", re.MULTILINE)
_FOUND = {ScalarNode: {"zh": "单个值", "en": "a scalar"}, SequenceNode: {"zh": "列表", "en": "a list"}}
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class LoadedYaml:
    data: dict[str, Any]
    lines: dict[DataPath, Location] = field(default_factory=dict)

    def locate(self, path: DataPath) -> Location:
        """Line and column of the key at ``path``, or of its nearest located parent."""
        probe = tuple(path)
        while probe not in self.lines and probe:
            probe = probe[:-1]
        return self.lines.get(probe, (1, 1))


class _Reject(Exception):
    def __init__(self, violation: Violation) -> None:
        self.violation = violation


@dataclass
class LoadLimits:
    max_bytes: int
    max_depth: int


def read_text(path: Path, shown: str, max_bytes: int) -> tuple[str | None, Violation | None]:
    """The file's text as UTF-8, or a Violation saying why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return None, engine_violation(shown, 1, 1, "file.too-large", size=size, limit=max_bytes)
        raw = path.read_bytes()
    except OSError as exc:
        return None, engine_violation(shown, 1, 1, "file.unreadable", error=exc.strerror or str(exc))
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        try:
            guess = raw.decode("gb18030")
        except UnicodeDecodeError:
            guess = ""
        rule = "file.gbk" if _CJK.search(guess) else "file.not-utf8"
        return None, engine_violation(shown, line, 1, rule, line=line)


def load_yaml_text(text: str, shown: str, limits: LoadLimits) -> tuple[LoadedYaml | None, list[Violation]]:
    """Parse one YAML document. Returns the data, or None and the reasons it was rejected."""
    tab = _LEADING_TAB.search(text)
    if tab:
        line = text.count("\n", 0, tab.start()) + 1
        return None, [engine_violation(shown, line, 1, "yaml.tab")]
    yaml = YAML(typ="safe")
    try:
        if _MAYBE_ANCHOR.search(text):
            for event in yaml.parse(text):
                if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
                    mark = event.start_mark
                    return None, [engine_violation(shown, mark.line + 1, mark.column + 1, "yaml.alias")]
        root = yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        return None, [engine_violation(shown, line, col, "yaml.syntax", problem=problem or "?")]
    except YAMLError as exc:
        return None, [engine_violation(shown, 1, 1, "yaml.syntax", problem=str(exc).splitlines()[0])]
    except RecursionError:
        return None, [engine_violation(shown, 1, 1, "yaml.too-deep", limit=limits.max_depth)]
    if not isinstance(root, MappingNode):
        found = _FOUND.get(type(root), {"zh": "空文件", "en": "nothing"})
        line = root.start_mark.line + 1 if root is not None else 1
        return None, [engine_violation(shown, line, 1, "yaml.not-mapping", found=found)]
    builder = _Builder(shown, limits.max_depth)
    try:
        data = builder.build(root, (), 0)
    except _Reject as rej:
        return None, [rej.violation]
    if builder.problems:
        return None, builder.problems
    # The mapping's own mark may sit on a leading comment; its first key is where it starts.
    builder.lines[()] = builder.lines[(next(iter(data)),)] if data else (1, 1)
    return LoadedYaml(data=data, lines=builder.lines), []


def load_yaml_file(path: Path, shown: str, limits: LoadLimits) -> tuple[LoadedYaml | None, list[Violation]]:
    text, problem = read_text(path, shown, limits.max_bytes)
    if problem is not None or text is None:
        return None, [problem] if problem else []
    return load_yaml_text(text, shown, limits)


class _Builder:
    """Turns a composed node tree into dicts, lists and scalars, recording lines."""

    def __init__(self, shown: str, max_depth: int) -> None:
        self.shown = shown
        self.max_depth = max_depth
        self.lines: dict[DataPath, Location] = {}
        self.problems: list[Violation] = []

    def _where(self, node: Node) -> Location:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def build(self, node: Node, path: DataPath, depth: int) -> Any:
        if depth > self.max_depth:
            line, col = self._where(node)
            raise _Reject(engine_violation(self.shown, line, col, "yaml.too-deep", limit=self.max_depth))
        tag = str(node.tag)
        if tag not in _CORE_TAGS:
            line, col = self._where(node)
            raise _Reject(engine_violation(self.shown, line, col, "yaml.tag", tag=tag))
        if isinstance(node, MappingNode):
            out: dict[str, Any] = {}
            first_line: dict[str, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    line, col = self._where(key_node)
                    self.problems.append(engine_violation(self.shown, line, col, "yaml.key"))
                    continue
                key = str(key_node.value)
                line, col = self._where(key_node)
                if key in first_line:
                    self.problems.append(
                        engine_violation(self.shown, line, col, "yaml.duplicate-key", key=key, first=first_line[key])
                    )
                    continue
                first_line[key] = line
                self.lines[path + (key,)] = (line, col)
                out[key] = self.build(value_node, path + (key,), depth + 1)
            return out
        if isinstance(node, SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines[path + (index,)] = self._where(item)
                items.append(self.build(item, path + (index,), depth + 1))
            return items
        return _scalar(tag, node.value)


def _scalar(tag: str, value: str) -> Any:
    kind = tag[len(_TAG):]
    if kind == "null":
        return None
    if kind == "bool":
        return value.lower() == "true"
    if kind == "int":
        digits = value.replace("_", "")
        try:
            return int(digits, 0)
        except ValueError:
            return int(digits, 10)
    if kind == "float":
        low = value.lower().lstrip("+")
        if low in (".inf", "-.inf"):
            return float("-inf") if low.startswith("-") else float("inf")
        if low == ".nan":
            return float("nan")
        return float(value.replace("_", ""))
    # str, and timestamp kept as its text: dates stay ISO strings, checked by the schema.
    return value
