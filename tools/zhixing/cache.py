"""A parse cache for the CLI: a file whose content is unchanged since the last run is not parsed
or validated again; its record (or its problems) comes from the cache. (The verdicts of the last
full check are kept beside it, verdicts.py.)

Security (README 安全与隐私): the cache is never inside the work tree, where a pull request could
plant a file, but in the per-user cache folder (``platformdirs``), one folder per repository; and
it is JSON, a data-only format, never pickle. An entry is found by the SHA-256 of the file's bytes
(and its body file's), never by size and modification time alone: a file is taken as unchanged
without reading it again only while its inode, size, modification time and status-change time are
those seen when it was digested (as git's index does). Any write moves the status-change time,
which a user cannot set back, so an edit that keeps the size and modification time is still seen;
a file changed within ``RACY_NS`` of its digest is digested again next time (a change in the same
clock tick would otherwise leave all four as they were). The whole cache is keyed by a fingerprint
of everything that decides how a file is parsed: the package's own code, the schemas, the settings
and the parser in use. A damaged cache is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import time
from pathlib import Path
from typing import Any

from zhixing.diagnostics import Violation
from zhixing.records import KINDS, Record, parsed_from_data, parsed_to_data
from zhixing.walking import settled, stat_key

PREFIX = "parse-v5-"
ID_PREFIX = "ids-v3-"
LISTING_PREFIX = "idl-v3-"
ENV_FOLDER = "ZHIXING_CACHE_DIR"  # tests and CI point the cache somewhere of their own
ENV_SWITCH = "ZHIXING_CACHE"  # "0": no cache at all (CI, the pages job: their verdicts never come from one)


def cache_allowed() -> bool:
    """False when ``ZHIXING_CACHE=0``: the parse cache and the kept verdicts are neither read nor written."""
    return os.environ.get(ENV_SWITCH, "1") != "0"


def digest_file(path: str, seen: dict[str, tuple[int, int]] | None = None,
                keys: dict[str, str | None] | None = None) -> str | None:
    """SHA-256 of a regular file's bytes; None when it is missing, a link or not a regular file.
    ``seen`` receives the file's (modification time, size) from the same open, for the id index, and
    ``keys`` its ``stat_key`` (None while it is not ``settled``)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None
        if seen is not None:
            seen[path] = (info.st_mtime_ns, info.st_size)
        if keys is not None:
            keys[path] = stat_key(info) if settled(info, time.time_ns()) else None
        digest = hashlib.sha256()
        while chunk := os.read(fd, 1 << 16):
            digest.update(chunk)
        return digest.hexdigest()
    finally:
        os.close(fd)


def cache_folder(root: Path) -> Path:
    """The per-user cache folder for this repository: outside every work tree."""
    base = os.environ.get(ENV_FOLDER)
    if not base:
        from platformdirs import user_cache_dir

        base = user_cache_dir("zhixing", appauthor=False)
    name = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:20]
    return Path(base) / name


def fingerprint(root: Path, parser: str, fast_schema: bool) -> str:
    digest = hashlib.sha256(f"{parser}|{fast_schema}".encode())
    package = Path(__file__).resolve().parent
    watched = sorted([*package.rglob("*.py"), *(root / "schemas").glob("*.json"), root / "policies" / "settings.yaml"])
    for path in watched:
        digest.update(f"{path}|{digest_file(str(path))}".encode())
    return digest.hexdigest()


class ParseCache:
    """One JSON file per unit and record folder (jiaoyuju--meetings, …): a check reads only the
    parts of the units and kinds it loads, so what one changed record costs does not grow with the
    repository (a partial check, engine.py).

    Beside it, per unit and record folder, an index of each file's id by its modification time and
    size, and per record folder a summary of them (``id_candidates``): a changed record's id is
    compared with every record of its kind without reading them (ids are unique per kind), and only
    a file whose id matches, or that changed since it was indexed, is loaded."""

    def __init__(self, root: Path, key: str) -> None:
        self.folder = cache_folder(root)
        self.key = key
        self.parts: dict[str, dict[str, Any]] = {}
        self.dirty: set[str] = set()
        self.ids: dict[str, dict[str, Any]] = {}
        self.ids_dirty: set[str] = set()
        self.listings: dict[str, dict[str, Any]] = {}  # unit folder → its files' ids (_listing)
        self.listings_dirty: set[str] = set()
        self.seen: dict[str, tuple[int, int]] = {}  # (mtime, size) of the files digested this run
        self.keys: dict[str, str | None] = {}  # their stat_key, when settled

    @staticmethod
    def _part_name(path: str) -> str:
        parts = path.rsplit(os.sep, 3)  # [..., unit, folder, file]
        if len(parts) == 4 and parts[0]:
            return f"{parts[1]}--{parts[2]}"
        return _unit_folder_name(os.path.dirname(path))

    def _read(self, prefix: str, name: str) -> dict[str, Any]:
        """A stored part's entries; none when it is missing, damaged or from another version."""
        try:
            with (self.folder / f"{prefix}{_safe(name)}.json").open("r", encoding="utf-8") as handle:
                stored = json.load(handle)
        except (OSError, ValueError):
            return {}
        if isinstance(stored, dict) and stored.get("key") == self.key and isinstance(stored.get("entries"), dict):
            return stored["entries"]
        return {}

    def _part(self, path: str) -> dict[str, Any]:
        name = self._part_name(path)
        if name not in self.parts:
            self.parts[name] = self._read(PREFIX, name)
        return self.parts[name]

    def get(self, path: str) -> tuple[Record | None, list[Violation]] | None:
        part = self._part(path)
        entry = part.get(path)
        if not isinstance(entry, dict):
            return None
        try:
            keys = entry.get("keys") or [None] * len(entry["deps"])
            for index, (dep, wanted) in enumerate(entry["deps"]):
                if keys[index] is not None and self._unchanged(dep, keys[index]):
                    continue
                if digest_file(dep, self.seen, self.keys) != wanted:
                    return None
                entry["keys"] = [*keys[:index], self.keys.get(dep), *keys[index + 1:]]  # not read next time
                keys = entry["keys"]
                self.dirty.add(self._part_name(path))
            return parsed_from_data([entry["record"], entry["problems"]])
        except (KeyError, TypeError, ValueError, IndexError):
            return None

    def _unchanged(self, path: str, key: str) -> bool:
        """The file's state is the one recorded with its digest (and what the id index needs is noted)."""
        try:
            info = os.stat(path, follow_symlinks=False)
        except OSError:
            return False
        if stat_key(info) != key or not stat.S_ISREG(info.st_mode):
            return False
        self.seen[path] = (info.st_mtime_ns, info.st_size)
        return True

    def put(self, path: str, record: Record | None, problems: list[Violation], body: str | None) -> None:
        deps = [path] + ([body] if body is not None else [])
        digests = [(dep, digest_file(dep, self.seen, self.keys)) for dep in deps]
        if any(d is None for _, d in digests):
            return  # a missing or irregular file is never cached: it is read again next time
        stored, problems_data = parsed_to_data((record, problems))
        self._part(path)[path] = {"deps": digests, "keys": [self.keys.get(dep) for dep in deps],
                                  "record": stored, "problems": problems_data}
        self.dirty.add(self._part_name(path))

    def _summary(self, folder: str) -> dict[str, Any]:
        if folder not in self.ids:
            self.ids[folder] = self._read(ID_PREFIX, folder)
        return self.ids[folder]

    def _listing(self, unit_folder: str) -> dict[str, Any]:
        """A unit folder's files as indexed: name → [modification time, size, id]."""
        if unit_folder not in self.listings:
            self.listings[unit_folder] = self._read(LISTING_PREFIX, _unit_folder_name(unit_folder))
        return self.listings[unit_folder]

    def note_id(self, path: str, record: Record | None) -> None:
        """Index the id a file holds (None: it admits no record), by its modification time and size
        (from its digest this run, else a stat)."""
        if path not in self.seen:
            try:
                info = os.stat(path, follow_symlinks=False)
            except OSError:
                return
            self.seen[path] = (info.st_mtime_ns, info.st_size)
        folder, name = os.path.split(path)
        listing = self._listing(folder)
        entry = [*self.seen[path], record.id if record is not None else None]
        if listing.get(name) != entry:
            listing[name] = entry
            self.listings_dirty.add(folder)

    def id_candidates(self, records_dir: str, folder: str, ids: set[str],
                      units: frozenset[str] = frozenset()) -> tuple[list[str], list[str]]:
        """The files of a record folder, in every unit, that hold one of ``ids``, or an id held by a
        file of the folder in one of ``units`` (a partition loads those, and one of them is kept out
        as a duplicate when another unit's file, first in path order, holds its id), or whose id is
        not known: changed (or new) since indexed. Second, the files of ``units`` whose id is not
        known: the caller reads them and asks again for their ids.

        Read from the folder's summary (per unit folder: the names of the files whose id is their
        name's stem, as one string, and the ids of the others), so that what a lookup costs hardly
        grows with the repository; a unit folder's own listing (each file's modification time, size
        and id) is read only when the folder's modification time is not the one indexed: it is
        listed again and each file compared by modification time and size. (A file rewritten in
        place, which leaves its folder's time, is seen by the next full check.)"""
        summary = self._summary(folder)
        found: list[tuple[str, bool, list[str], dict[str, Any]]] = []
        try:
            unit_dirs = [e for e in os.scandir(records_dir) if e.is_dir(follow_symlinks=False)]
        except OSError:
            return [], []
        for unit in unit_dirs:
            path = os.path.join(unit.path, folder)
            try:
                stamp = os.stat(path, follow_symlinks=False).st_mtime_ns
            except OSError:
                continue
            indexed: Any = summary.get(path)
            current = (isinstance(indexed, list) and len(indexed) == 3 and indexed[0] == stamp and isinstance(indexed[1], str)
                       and isinstance(indexed[2], dict) and all(isinstance(i, str | None) for i in indexed[2].values()))
            if not current or path in self.listings_dirty:
                if not current:
                    self.listings[path] = _relisted(path, self._listing(path))
                    self.listings_dirty.add(path)
                indexed = _summarized(stamp, self.listings[path])
                summary[path] = indexed
                self.ids_dirty.add(folder)
            found.append((path, unit.name in units, indexed[1].split("\n") if indexed[1] else [], indexed[2]))
        wanted = set(ids)
        for _, inside, names, odd in found:
            if inside:
                wanted.update(_stem(name) for name in names)
                wanted.update(i for i in odd.values() if i not in (None, "?"))
        wanted_names = {f"{i}{suffix}" for i in wanted for suffix in (".yaml", ".yml")}
        out: list[str] = []
        unknown: list[str] = []
        for path, inside, names, odd in found:
            out += [os.path.join(path, name) for name in wanted_names.intersection(names)]
            for name, held in odd.items():
                if held == "?":
                    out.append(os.path.join(path, name))
                    if inside:
                        unknown.append(out[-1])
                elif held in wanted:
                    out.append(os.path.join(path, name))
        return out, unknown

    def prune(self) -> None:
        """Forget files that no longer exist (in the parts this run read)."""
        for name, entries in self.parts.items():
            gone = [p for p in entries if p not in self.seen and not os.path.exists(p)]  # seen: digested this run
            for path in gone:
                del entries[path]
            if gone:
                self.dirty.add(name)

    def save(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for unit_folder in self.listings_dirty:  # the summaries say what the listings say
                summary = self._summary(os.path.basename(unit_folder))
                indexed = summary.get(unit_folder)
                stamp = indexed[0] if isinstance(indexed, list) and indexed else None
                summary[unit_folder] = _summarized(stamp, self.listings[unit_folder])
                self.ids_dirty.add(os.path.basename(unit_folder))
            listings = {_unit_folder_name(path): self.listings[path] for path in self.listings_dirty}
            for prefix, names, parts in ((PREFIX, self.dirty, self.parts), (ID_PREFIX, self.ids_dirty, self.ids),
                                         (LISTING_PREFIX, set(listings), listings)):
                for name in names:
                    fd, tmp = tempfile.mkstemp(dir=self.folder)
                    with os.fdopen(fd, "w", encoding="utf-8") as handle:  # dumps: the C encoder (dump is Python's)
                        handle.write(json.dumps({"key": self.key, "entries": parts[name]}, ensure_ascii=False))
                    os.replace(tmp, self.folder / f"{prefix}{_safe(name)}.json")
                names.clear()
            self.listings_dirty.clear()
        except OSError:
            pass  # a read-only cache folder: the check still runs, only slower


def _unit_folder_name(unit_folder: str) -> str:
    """records/<unit>/<folder> → "<unit>--<folder>", the name of its listing."""
    head, folder = os.path.split(unit_folder)
    return f"{os.path.basename(head)}--{folder}"


def _stem(name: str) -> str:
    return name.rsplit(".", 1)[0]


def _relisted(path: str, known_files: dict[str, Any]) -> dict[str, Any]:
    """A unit folder's listing anew: a file unchanged by modification time and size keeps its id,
    any other is unknown ("?", indexed by note_id once read)."""
    fresh: dict[str, Any] = {}
    try:
        entries = list(os.scandir(path))
    except OSError:
        return fresh
    for entry in entries:
        if not entry.name.endswith((".yaml", ".yml")):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        known = known_files.get(entry.name)
        same = isinstance(known, list) and len(known) == 3 and known[:2] == [info.st_mtime_ns, info.st_size]
        fresh[entry.name] = known if same else [info.st_mtime_ns, info.st_size, "?"]
    return fresh


def _summarized(stamp: int | None, listing: dict[str, Any]) -> list[Any]:
    """A unit folder in its kind's summary: [its modification time when listed, the names of the
    files whose id is their stem (one string, "\\n" between), {name: id} of the others]."""
    held = {name: known[2] if isinstance(known, list) and len(known) == 3 and isinstance(known[2], str | None) else "?"
            for name, known in listing.items()}
    plain = [name for name, i in held.items() if i == _stem(name) and "\n" not in name]
    return [stamp, "\n".join(plain), {name: i for name, i in held.items() if i != _stem(name) or "\n" in name}]


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)


def body_path(record: Record | None, path: str) -> str | None:
    field = KINDS[record.kind].body_field if record is not None and record.kind in KINDS else None
    if record is None or field is None or not record.get(field):
        return None
    return os.path.join(os.path.dirname(path), str(record.get(field)))
