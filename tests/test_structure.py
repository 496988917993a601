"""The package's shape: no import cycles, and every module named in the package's map."""

from __future__ import annotations

import ast
from pathlib import Path

import zhixing

PACKAGE = Path(zhixing.__file__).parent


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("zhixing") and node.level == 0:
                deps.add(node.module)
                deps.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                deps.update(a.name for a in node.names if a.name.startswith("zhixing"))
        graph[_module(path)] = deps
    return {m: {d for d in deps if d in graph and d != m} for m, deps in graph.items()}


def test_no_import_cycles() -> None:
    graph = _imports()
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if dep == "zhixing" or (node.startswith(dep + ".") and dep == "zhixing.rules"):
                continue  # a package importing its own modules, or the top-level package
            if state.get(dep) == 1:
                raise AssertionError(" → ".join([*path, dep]))
            if dep not in state:
                visit(dep, [*path, dep])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])


def test_the_package_map_names_every_module() -> None:
    doc = zhixing.__doc__ or ""
    for path in PACKAGE.rglob("*.py"):
        if path.name == "__init__.py" or path.name == "__main__.py" or path.parent.name == "rules":
            continue
        assert f"``{path.stem}``" in doc, f"{path.stem} is missing from the map in zhixing/__init__.py"
