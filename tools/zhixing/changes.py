"""`zhixing check --base REV`: judging a change, not just a state.

A merged record is history: editing it needs a ``revisions`` entry (date, reason), and deleting
it is not allowed (it is withdrawn instead, with ``withdrawn: {date, reason}``). A change to
policies/ or schemas/ lists the records whose verdict flips between REV and now.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhixing.diagnostics import Violation
from zhixing.gitops import changed_paths, export_tree, show
from zhixing.loading import load_yaml_text
from zhixing.messages import engine_violation

RECORD_SUFFIXES = (".yaml", ".yml")
_NOT_CONTENT = ("revisions", "withdrawn")


@dataclass
class Flip:
    path: str
    before: str  # "pass" | "fail" | "absent"
    after: str


@dataclass
class ChangeReport:
    violations: list[Violation] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # existing record files the change touches
    touched: list[str] = field(default_factory=list)  # every path under records/ the change adds, edits or removes
    flips: list[Flip] | None = field(default_factory=list)  # None: could not be computed
    policy_changed: bool = False


def judge_change(engine: Any, base: str) -> ChangeReport:
    root: Path = engine.root
    report = ChangeReport()
    for status, path, renamed_to in changed_paths(root, base):
        if path.startswith(("policies/", "schemas/")) or (renamed_to or "").startswith(("policies/", "schemas/")):
            report.policy_changed = True
        if not path.startswith("records/"):
            continue
        report.touched.append(renamed_to or path)
        is_record = path.endswith(RECORD_SUFFIXES) and path != "records/units.yaml"
        if status in ("D", "R") and is_record and show(root, base, path) is not None:
            report.violations.append(engine_violation(path, 1, 1, "change.deleted", path=path))
        current = renamed_to or path
        if status != "D" and (root / current).is_file():
            report.changed.append(current)
        if status == "M" and is_record:
            report.violations.extend(_silent_edit(root, base, path, engine.policies.settings.limits))
    if report.policy_changed:
        report.flips = _flips(engine, base)
    return report


def _silent_edit(root: Path, base: str, path: str, limits: Any) -> list[Violation]:
    before_bytes, after_path = show(root, base, path), root / path
    if before_bytes is None:
        return []
    try:
        before_text, after_text = before_bytes.decode("utf-8-sig"), after_path.read_text(encoding="utf-8-sig")
    except (UnicodeDecodeError, OSError):
        return []  # the loader reports the file itself
    before, _ = load_yaml_text(before_text, path, limits)
    after, _ = load_yaml_text(after_text, path, limits)
    if before is None or after is None:
        return []
    old, new = before.data, after.data
    content_changed = {k: v for k, v in old.items() if k not in _NOT_CONTENT} != {
        k: v for k, v in new.items() if k not in _NOT_CONTENT}
    history_rewritten = (old.get("revisions") or []) != (new.get("revisions") or [])[: len(old.get("revisions") or [])]
    new_entry = len(new.get("revisions") or []) > len(old.get("revisions") or [])
    if history_rewritten:
        line, col = after.locate(("revisions",))
        return [engine_violation(path, line, col, "change.history-rewritten")]
    if content_changed and not new_entry:
        keys = [k for k in {*old, *new} if k not in _NOT_CONTENT and old.get(k) != new.get(k)]
        first = min((after.locate((k,)) for k in keys if k in new), default=(1, 1))
        fields = "、".join(sorted(keys))
        return [engine_violation(path, first[0], first[1], "change.silent-edit", fields=fields)]
    return []


def _verdicts(engine: Any, today: str | None = None) -> dict[str, str]:
    result = engine.check(today=today)
    failing = {v.path for v in result.violations if v.severity.value == "error"}
    return {path: ("fail" if path in failing else "pass") for path in result.checked}


def _flips(engine: Any, base: str) -> list[Flip] | None:
    """The records as they are now, judged by REV's policies and schemas, against now.

    None when REV's policies do not fit the current code (a rule added or removed since).
    """
    from zhixing.engine import ConfigError, Engine

    now = _verdicts(engine)
    with tempfile.TemporaryDirectory() as tmp:
        old_root = Path(tmp)
        export_tree(engine.root, base, old_root, ["policies", "schemas"])
        shutil.copytree(engine.root / "records", old_root / "records")
        try:
            before = _verdicts(Engine(old_root))
        except ConfigError:
            return None
    return [Flip(path, before.get(path, "absent"), after) for path, after in sorted(now.items())
            if before.get(path, "absent") != after]
