"""pytest plugin: ``pytest records/`` reports one item per record plus one per corpus rule.

Registered through the ``pytest11`` entry point. The engine runs once per session over the whole
repository; each item passes or fails on its share of the violations, with the diagnostics as the
failure text. This is how "pytest checks enforce the rules on each commit".

Repository content never runs (README 安全与隐私): pytest imports ``conftest.py`` files and test modules
from the folders it collects, so a department could plant code under records/ that CI would run
before the gate. Before any conftest is loaded, a Python file anywhere under records/ stops the
run with a usage error naming it, and no Python file under records/ is ever collected.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from zhixing.diagnostics import Severity, Violation
from zhixing.engine import YAML_SUFFIXES, CheckResult, ConfigError, Engine, find_root
from zhixing.records import REGISTRY_FILE
from zhixing.reporters import text

_RESULT = pytest.StashKey[dict[Path, tuple[Engine, CheckResult]]]()


class RecordViolations(Exception):
    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations


def _result(config: pytest.Config, root: Path) -> tuple[Engine, CheckResult]:
    cache = config.stash.setdefault(_RESULT, {})
    if root not in cache:
        engine = Engine(root)
        cache[root] = (engine, engine.check())
    return cache[root]


def _records_folders(config: pytest.Config, args: list[str]) -> set[Path]:
    out = set()
    for start in [Path.cwd(), *(Path(a.split("::")[0]) for a in args if not a.startswith("-"))]:
        try:
            out.add(find_root(start.resolve() if start.is_dir() else start.resolve().parent) / "records")
        except (ConfigError, OSError):
            continue
    return out


def _python_files(folder: Path) -> list[Path]:
    found = []
    for parent, folders, files in os.walk(folder):
        folders[:] = [f for f in folders if f != "__pycache__"]
        found += [Path(parent) / name for name in files if name.endswith((".py", ".pyc", ".pyw"))]
    return sorted(found)


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser: pytest.Parser, args: list[str]) -> None:
    """Refuse to start when records/ holds Python: no conftest.py of a department is ever imported."""
    planted = [path for folder in sorted(_records_folders(early_config, args)) for path in _python_files(folder)]
    if planted:
        names = "、".join(str(p) for p in planted[:5]) + ("…" if len(planted) > 5 else "")
        raise pytest.UsageError(f"records/ 下不能有 Python 文件，未运行任何检查：{names} / Python files under records/ are never run")


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """No Python file under a records/ folder is collected (nor imported) as a test module."""
    if collection_path.suffix in (".py", ".pyc", ".pyw") and "records" in collection_path.parts:
        return True
    return None


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix not in YAML_SUFFIXES or "records" not in file_path.parts:
        return None
    try:
        root = find_root(file_path.parent)
    except ConfigError:
        return None
    if not file_path.resolve().is_relative_to(root / "records"):
        return None
    return RecordFile.from_parent(parent, path=file_path, root=root)


class RecordFile(pytest.File):
    def __init__(self, *, root: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.root = root

    def collect(self) -> list[pytest.Item]:
        items: list[pytest.Item] = [ZhixingItem.from_parent(self, name="record", scope="record")]
        if self.path.name == REGISTRY_FILE and self.path.parent == self.root / "records":
            engine, _ = _result(self.config, self.root)
            for rule_id, registered in sorted(engine.rules.items()):
                if registered.scope == "corpus":
                    items.append(ZhixingItem.from_parent(self, name=f"corpus::{rule_id}", scope=rule_id))
        return items


class ZhixingItem(pytest.Item):
    def __init__(self, *, scope: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scope = scope

    def runtest(self) -> None:
        parent = self.parent
        assert isinstance(parent, RecordFile)
        root = parent.root
        engine, result = _result(self.config, root)
        corpus_rules = {r for r, reg in engine.rules.items() if reg.scope == "corpus"}
        if self.scope == "record":
            shown = engine.shown(self.path)
            mine = [v for v in result.violations if v.path == shown and v.rule not in corpus_rules]
        else:
            mine = [v for v in result.violations if v.rule == self.scope]
        errors = [v for v in mine if v.severity is Severity.ERROR]
        if errors:
            raise RecordViolations(mine)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, RecordViolations):
            return text(excinfo.value.violations, 1, "zh")
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"zhixing {self.scope}: {self.path.name}"
