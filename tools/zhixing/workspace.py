"""Stage 1, the workspace: the repository's root, its paths as diagnostics show them, and which
files a check covers. Nothing is parsed here; configuration errors (no repository) stop here."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from zhixing.diagnostics import Violation
from zhixing.messages import engine_violation
from zhixing.records import KINDS
from zhixing.walking import RECORD_SUFFIX, YAML_SUFFIXES, repository_at
from zhixing.walking import walk as walk_tree


class ConfigError(Exception):
    """The repository's configuration (policies/, schemas/) is broken: exit 2."""


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding policies/ and schemas/."""
    found = repository_at(start)
    if found is None:
        raise ConfigError(f"no zhixing repository (policies/ and schemas/) at or above {start}")
    return found


def child_paths(found: list[tuple[str, Path, str]]) -> list[Path]:
    """The Paths of a walk's files (``Workspace.walk``): each made from its folder's as pathlib's own
    directory walks make them (``_make_child_relpath``: a name just read from a folder needs no
    parsing; a third of the cost of ``/``), or with ``/`` where pathlib has no such method."""
    make = getattr(Path, "_make_child_relpath", None)
    if make is None:
        return [parent / name for _, parent, name in found]
    return [make(parent, name) for _, parent, name in found]


class Workspace:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.records = self.root / "records"

    def shown(self, path: Path) -> str:
        """The path as diagnostics show it: relative to the repository root where it is inside."""
        text = str(path) if path.is_absolute() else os.path.abspath(path)
        prefix = self.root_prefix
        if text.startswith(prefix):
            return text[len(prefix):]
        absolute = path.resolve()
        try:
            return absolute.relative_to(self.root).as_posix()
        except ValueError:
            return os.path.relpath(absolute)

    @property
    def root_prefix(self) -> str:
        return str(self.root) + os.sep

    def expand(self, paths: Iterable[Path], others: list[Path] | None = None) -> list[Path]:
        """Files to check, absolute: folders walked for YAML files (one os.walk, no per-file resolve).

        Under records/ only ``*.yaml`` is a record; every other file found there (another suffix, a
        linked folder) goes to ``others``, to be reported unless a record names it as its body.
        A path is never resolved through a link: a link is reported, not followed."""
        files: list[Path] = []
        for path in (Path(os.path.abspath(p)) for p in paths):
            if path.is_dir() and not path.is_symlink():
                found, strays = self.walk(str(path))
                files.extend(child_paths(found))
                if others is not None:
                    others.extend(map(Path, strays))
            else:
                files.append(path)
        return files

    def walk(self, folder: str) -> tuple[list[tuple[str, Path, str]], list[str]]:
        """A folder's YAML files in order, each as (full path, its folder, its name), and under
        records/ the files and linked folders that are not records (``expand``; walking.walk)."""
        return walk_tree(folder, self.shown(Path(folder)).startswith("records"))

    # -- the check -----------------------------------------------------------------------------

    def normalise_targets(self, targets: list[Path]) -> list[Path]:
        """What a list of changed paths means to check: a change to policies/ or schemas/ can flip
        any record, so it means all of records/; a body text means the records beside it."""
        out: list[Path] = []
        for path in targets:
            shown = self.shown(path)
            if shown.startswith(("policies/", "schemas/")):
                out.append(self.root / "records")
            elif path.suffix != RECORD_SUFFIX and shown.startswith("records/"):
                out.append(path)  # reported unless a record beside it names it as its body
                out.extend(p for p in sorted(path.parent.iterdir()) if p.suffix == RECORD_SUFFIX and p != path)
            else:
                out.append(path)
        return list(dict.fromkeys(out))

    def kind_files(self, kinds: set[str], units: set[str] | None = None) -> list[Path]:
        """The record files of these kinds, in every unit's folder or (``units``) in those only."""
        records_dir = self.records
        folders = [KINDS[k].folder for k in sorted(kinds) if k in KINDS]
        found: list[str] = []
        if not folders:
            return []
        if units is not None:
            unit_dirs = sorted(os.path.join(records_dir, u) for u in units)
        else:
            try:
                unit_dirs = sorted(e.path for e in os.scandir(records_dir) if e.is_dir())
            except OSError:
                return []
        for unit in unit_dirs:
            for folder in folders:
                try:
                    found.extend(e.path for e in os.scandir(os.path.join(unit, folder)) if e.name.endswith(YAML_SUFFIXES))
                except OSError:
                    continue
        return [Path(p) for p in sorted(found)]

    def committed_caches(self, cache_folders: Iterable[str], suffixes: Iterable[str]) -> list[Violation]:
        """Tracked files under a cache folder, or serialized-code files anywhere: a tool could load
        them (README 安全与隐私). Asked of git; outside a git work tree there is nothing to ask."""
        if not (self.root / ".git").exists():
            return []
        from zhixing.gitops import GitError, git

        try:
            listed = git(self.root, "ls-files", "-z").split("\0")
        except (GitError, OSError):
            return []
        folders, endings = set(cache_folders), tuple(suffixes)
        return [engine_violation(path, 1, 1, "repo.cache-file", path=path) for path in listed
                if path and (folders.intersection(path.split("/")[:-1]) or path.lower().endswith(endings))]
