"""The code stays clean: ruff (style, bugbear, imports) and mypy (types) as configured in pyproject."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "command",
    [["ruff", "check", "tools", "tests", "bench"], ["mypy", "tools/zhixing"]],
    ids=["ruff", "mypy"],
)
def test_linter_passes(command: list[str]) -> None:
    tool = BIN / command[0]
    if not tool.exists():
        pytest.fail(f"{command[0]} is not installed in the venv (it is in the [test] extra)")
    proc = subprocess.run([str(tool), *command[1:]], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
