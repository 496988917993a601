"""When each record last changed, from git: one `git log` over records/, not one per file."""

from __future__ import annotations

import subprocess
from pathlib import Path


def last_changed(root: Path) -> dict[str, str]:
    """Path → the day of the newest commit touching it. ``-z``: names as they are (git quotes a name
    with Chinese, a quote or a newline in it otherwise), each commit's day after a \x01."""
    proc = subprocess.run(
        ["git", "-C", str(root), "log", "-z", "--format=%x01%cs", "--name-only", "--", "records"],
        capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        return {}
    out: dict[str, str] = {}
    day = ""
    for token in proc.stdout.split("\0"):
        if token.startswith("\x01"):
            day = token[1:]
            continue
        name = token.removeprefix("\n")  # the line break after a commit's format; names start with records/
        if name and name not in out:
            out[name] = day
    return out
