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
    untracked files included as additions."""
    out = []
    for line in git(root, "diff", "--name-status", "-M", base, "--").splitlines():
        parts = line.split("\t")
        status = parts[0][0]
        out.append((status, parts[1], parts[2] if status in "RC" and len(parts) > 2 else None))
    for path in git(root, "ls-files", "--others", "--exclude-standard").splitlines():
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
