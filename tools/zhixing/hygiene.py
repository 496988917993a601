"""`zhixing hygiene FILE...`: YAML hygiene for any YAML file of the repository (pre-commit).

Valid UTF-8, parses as one document, no duplicate keys, no tab indentation, no trailing
white space, a final newline. Configuration files (mkdocs.yml, CI files) may use anchors and
tags; records may not, and ``zhixing check`` holds them to that.
"""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from zhixing.diagnostics import Violation
from zhixing.loading import LoadLimits, read_text
from zhixing.messages import engine_violation


def check_file(path: Path, shown: str, limits: LoadLimits) -> list[Violation]:
    text, problem = read_text(path, shown, limits.max_bytes)
    if problem is not None or text is None:
        return [problem] if problem else []
    out: list[Violation] = []
    for number, text_line in enumerate(text.splitlines(), start=1):
        if text_line.rstrip() != text_line:
            out.append(engine_violation(shown, number, len(text_line.rstrip()) + 1, "yaml.trailing-space"))
        if text_line[: len(text_line) - len(text_line.lstrip())].count("\t"):
            out.append(engine_violation(shown, number, 1, "yaml.tab"))
    if text and not text.endswith("\n"):
        out.append(engine_violation(shown, text.count("\n") + 1, 1, "yaml.final-newline"))
    try:
        for node in YAML(typ="safe").compose_all(text):
            out.extend(_duplicates(node, shown))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        out.append(engine_violation(shown, line, col, "yaml.syntax", problem=str(exc.problem or exc.context or "?")))
    except YAMLError as exc:
        out.append(engine_violation(shown, 1, 1, "yaml.syntax", problem=str(exc).splitlines()[0]))
    return out


def _duplicates(root: Node | None, shown: str) -> list[Violation]:
    out, stack, seen = [], [root], set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))  # aliases point at nodes already walked: no blow-up
        if isinstance(node, MappingNode):
            first: dict[str, int] = {}
            for key, value in node.value:
                name = str(key.value)
                if name in first:
                    out.append(engine_violation(shown, key.start_mark.line + 1, key.start_mark.column + 1,
                                                "yaml.duplicate-key", key=name, first=first[name]))
                first.setdefault(name, key.start_mark.line + 1)
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return out
