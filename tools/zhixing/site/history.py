"""When each record last changed, from git: one `git log` over records/, not one per file."""

from __future__ import annotations

import subprocess
from pathlib import Path


def last_changed(root: Path) -> dict[str, str]:
    proc = subprocess.run(
        ["git", "-C", str(root), "log", "--format=%x00%cs", "--name-only", "--", "records"],
        capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        return {}
    out: dict[str, str] = {}
    day = ""
    for line in proc.stdout.splitlines():
        if line.startswith("\x00"):
            day = line[1:]
        elif line and line not in out:
            out[line] = day
    return out
