"""The few git questions zhixing asks, through the git command line."""

from __future__ import annotations

import subprocess
from pathlib import Path


class GitError(Exception):
    pass


def git(root: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise GitError(proc.stderr.strip() or f"git {' '.join(args)} failed")
    return proc.stdout


def changed_paths(root: Path, base: str) -> list[tuple[str, str, str | None]]:
    """(status letter, path, new path for renames) of every change from ``base`` to the work tree,
    untracked files included as additions. ``-z`` everywhere: git quotes a path with Chinese, a space
    or quote in it, or a newline, unless asked for NUL-separated names (README 安全与隐私)."""
    out: list[tuple[str, str, str | None]] = []
    tokens = git(root, "diff", "--name-status", "-z", "-M", base, "--").split("\0")
    at = 0
    while at < len(tokens) and tokens[at]:
        status = tokens[at][0]
        if status in "RC":
            out.append((status, tokens[at + 1], tokens[at + 2]))
            at += 3
        else:
            out.append((status, tokens[at + 1], None))
            at += 2
    for path in git(root, "ls-files", "-z", "--others", "--exclude-standard").split("\0"):
        if path:
            out.append(("A", path, None))
    return out


def show(root: Path, rev: str, path: str) -> bytes | None:
    proc = subprocess.run(["git", "-C", str(root), "show", f"{rev}:{path}"], capture_output=True, check=False)
    return proc.stdout if proc.returncode == 0 else None


def export_tree(root: Path, rev: str, target: Path, folders: list[str]) -> None:
    """Write the files of ``folders`` as they were at ``rev`` into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", rev, "--", *folders],
                             capture_output=True, check=False)
    if archive.returncode != 0:
        raise GitError(archive.stderr.decode("utf-8", "replace").strip())
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
