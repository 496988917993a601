"""Listing a folder tree and the state of its files, with the standard library alone: the walk (one
directory read per folder), a file's stat key, and an incremental check's listing of records/.
Light on purpose: the process's entry (launch.py) runs the listing in a forked child before the
rest of the tool is imported; the workspace, the parse cache and the verdicts use the same code.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zhixing.forking import Background

YAML_SUFFIXES = (".yaml", ".yml")
RECORD_SUFFIX = ".yaml"  # under records/ a record is *.yaml; anything else there must be a body file
RACY_NS = 2_000_000_000
RACY = "?"  # a signature taken within RACY_NS of a change: never matches

Found = list[tuple[str, Path, str]]  # (full path, its folder, its name)
Listing = tuple[Found, list[str], dict[str, "str | None"]]
_ahead: Background | None = None  # the child making this process's listing (launch.py)


def repository_at(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding policies/ and schemas/, or None."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / "policies").is_dir() and (folder / "schemas").is_dir():
            return folder
    return None


def walk(folder: str, in_records: bool) -> tuple[Found, list[str]]:
    """A folder's YAML files in order, each as (full path, its folder, its name), and under
    records/ the files and linked folders that are not records. As ``os.walk`` finds them, a linked
    folder never entered, in one directory read per folder."""
    found: Found = []
    strays: list[str] = []
    suffixes = RECORD_SUFFIX if in_records else YAML_SUFFIXES
    pending = [folder]
    while pending:
        here = pending.pop()
        try:
            entries = os.scandir(here)
        except OSError:
            continue
        parent = Path(here)  # each file's Path made from its folder's: a third of the cost
        with entries:
            for entry in entries:
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    if not entry.is_symlink():
                        pending.append(entry.path)
                    elif in_records:
                        strays.append(entry.path)
                elif entry.name.endswith(suffixes):
                    found.append((entry.path, parent, entry.name))
                elif in_records:
                    strays.append(entry.path)
    found.sort(key=lambda entry: entry[0])  # by the whole path, as before
    return found, strays


def stat_key(info: os.stat_result) -> str:
    """What identifies a file's state without reading it: inode, size, modification and status-change times."""
    return f"{info.st_ino}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"


def settled(info: os.stat_result, now: int, window: int = RACY_NS) -> bool:
    """Not changed within ``window`` of ``now``: a later change cannot share its clock tick."""
    return max(info.st_ctime_ns, info.st_mtime_ns) < now - window


def signature(path: str, started: int) -> str | None:
    """A file's ``stat_key``, not following a link; None when it cannot be stat'ed."""
    try:
        info = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return stat_key(info) if settled(info, started, RACY_NS) else stat_key(info) + RACY


def listing(root: Path) -> Listing:
    """What an incremental check starts from (verdicts.py): records/ walked (its record files and
    its strays) and every file's ``signature``, by its path from the root."""
    found, strays = walk(str(root / "records"), True)
    started = time.time_ns()  # before any file is read: one changed from here on is seen next time
    cut = len(str(root) + os.sep)
    return found, strays, {full[cut:]: signature(full, started) for full in [*(f for f, _, _ in found), *strays]}


def listing_to_data(made: Listing, root: Path) -> list[Any]:
    """A listing as JSON data, each path once and from the root: [record files, strays, signatures in that order]."""
    found, strays, listed = made
    cut = len(str(root) + os.sep)
    return [[full[cut:] for full, _, _ in found], [full[cut:] for full in strays], list(listed.values())]


def listing_from_data(data: list[Any], root: Path) -> Listing:
    shown, strays, sigs = data
    prefix = str(root) + os.sep
    parents: dict[str, Path] = {}  # one Path per folder, as the walk makes them
    found: Found = []
    for path in shown:
        full = prefix + path
        folder, name = os.path.split(full)
        parent = parents.get(folder)
        if parent is None:
            parent = parents[folder] = Path(folder)
        found.append((full, parent, name))
    if len(sigs) != len(shown) + len(strays):
        raise ValueError("a signature for every file")
    return found, [prefix + path for path in strays], dict(zip([*shown, *strays], sigs, strict=True))


def made_ahead(job: Background) -> None:
    """The child (launch.py) making the listing of the repository this process will check."""
    global _ahead
    _ahead = job


def listing_made_ahead(records: Path) -> Listing | None:
    """The listing made ahead for this records/ folder, taken once; None when there is none, the
    child failed, or it listed another folder."""
    global _ahead
    job, _ahead = _ahead, None
    answer = job.result() if job is not None else None
    if not isinstance(answer, list) or len(answer) != 2 or answer[0] != str(records):
        return None
    try:
        return listing_from_data(answer[1], records.parent)
    except (TypeError, ValueError):  # not the shape sent: list here
        return None


def discard_ahead() -> None:
    """A listing nobody took (the run went another way): its child stopped."""
    global _ahead
    job, _ahead = _ahead, None
    if job is not None:
        job.stop()
