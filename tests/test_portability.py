"""Windows clerks: no documented hook hard-codes a POSIX-only path, the README has PowerShell steps
without make, and the hook launcher finds a Windows virtual environment. CI stays Linux."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from ruamel.yaml import YAML

POSIX_ONLY = re.compile(r"\.venv/bin|/usr/|/bin/|\bmake\b|\bsource\b")


def test_no_hook_hard_codes_a_posix_path() -> None:
    for name in (".pre-commit-config.yaml", ".pre-commit-hooks.yaml"):
        config = YAML(typ="safe").load((ROOT / name).read_text(encoding="utf-8"))
        hooks = config if isinstance(config, list) else [h for r in config["repos"] for h in r["hooks"]]
        for hook in hooks:
            assert not POSIX_ONLY.search(hook["entry"]), (name, hook["id"], hook["entry"])
            assert hook["language"] == "python", (name, hook["id"], "a Python pre-commit provides on every system")


def test_the_readme_has_powershell_steps_without_make() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```powershell\n(.*?)```", readme, re.S)
    assert block is not None, "a PowerShell block in the README"
    steps = block.group(1)
    assert "py -m venv .venv" in steps and ".venv\\Scripts\\" in steps
    for line in steps.splitlines():
        command = line.split("#", 1)[0]
        assert not POSIX_ONLY.search(command), line


def _launcher() -> object:
    spec = importlib.util.spec_from_file_location("zhixing_hook", ROOT / "tools" / "zhixing-hook.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_launcher_looks_for_both_venv_layouts() -> None:
    launcher = _launcher()
    names = {p.relative_to(ROOT).as_posix() for p in launcher.CANDIDATES}  # type: ignore[attr-defined]
    assert names == {".venv/bin/python", ".venv/Scripts/python.exe"}


def test_the_launcher_runs_zhixing(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "tools/zhixing-hook.py"), "rules", "--format", "json"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and '"articles"' in proc.stdout


def test_a_walks_paths_are_the_paths_the_slash_operator_makes(tmp_path: Path) -> None:
    """workspace.child_paths (pathlib's directory-walk shortcut) makes the same Paths as ``/``."""
    from zhixing.workspace import Workspace, child_paths

    names = ["2019-04-01-a.yaml", "会议 纪要.yaml", "x..yaml", ".hidden.yaml", "a b (1).yaml"]
    (tmp_path / "records" / "u" / "meetings").mkdir(parents=True)
    for name in names:
        (tmp_path / "records" / "u" / "meetings" / name).write_text("id: x\n", encoding="utf-8")
    found, _ = Workspace(tmp_path).walk(str(tmp_path / "records"))
    made = child_paths(found)
    assert made == [parent / name for _, parent, name in found]
    assert [str(p) for p in made] == [full for full, _, _ in found]
    assert sorted(p.name for p in made) == sorted(names) and {p.suffix for p in made} == {".yaml"}
