"""A parse cache for the CLI: a file whose size and modification time are unchanged since the
last run is not read, parsed or validated again; its record (or its problems) comes from
``.zhixing-cache/``. Rules always run on the whole corpus, so verdicts never come from the cache.

The cache is keyed by a fingerprint of everything that decides how a file is parsed: the
package's own code, the schemas, the settings and the parser in use. Any change there starts
afresh. A damaged cache is ignored. It lives in the repository's own folder, like .git: whoever
can write there can change the code too.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from zhixing.diagnostics import Violation
from zhixing.records import Record

FOLDER = ".zhixing-cache"
PREFIX = "parse-v2-"

Stamp = tuple[int, int]  # (mtime_ns, size)
Entry = tuple[tuple[tuple[str, Stamp], ...], "Record | None", list[Violation]]


def stamp(path: str) -> Stamp | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def fingerprint(root: Path, parser: str, fast_schema: bool) -> str:
    digest = hashlib.sha256(f"{parser}|{fast_schema}".encode())
    package = Path(__file__).resolve().parent
    watched = sorted([*package.rglob("*.py"), *(root / "schemas").glob("*.json"), root / "policies" / "settings.yaml"])
    for path in watched:
        digest.update(f"{path}|{stamp(str(path))}".encode())
    return digest.hexdigest()


class ParseCache:
    """One pickle per record folder name (meetings, documents, …): a check that needs only some
    kinds reads only their part of the cache."""

    def __init__(self, root: Path, key: str) -> None:
        self.folder = root / FOLDER
        self.key = key
        self.parts: dict[str, dict[str, Entry]] = {}
        self.dirty: set[str] = set()

    @staticmethod
    def _part_name(path: str) -> str:
        return os.path.basename(os.path.dirname(path)) or "root"

    def _part(self, path: str) -> dict[str, Entry]:
        name = self._part_name(path)
        if name not in self.parts:
            entries: dict[str, Entry] = {}
            try:
                with (self.folder / f"{PREFIX}{_safe(name)}.pickle").open("rb") as handle:
                    stored = pickle.load(handle)
                if stored.get("key") == self.key:
                    entries = stored["entries"]
            except Exception:  # missing, damaged or from another version: start afresh
                entries = {}
            self.parts[name] = entries
        return self.parts[name]

    def get(self, path: str) -> tuple[Record | None, list[Violation]] | None:
        entry = self._part(path).get(path)
        if entry is None:
            return None
        deps, record, problems = entry
        if any(stamp(dep) != st for dep, st in deps):
            return None
        return record, problems

    def put(self, path: str, record: Record | None, problems: list[Violation], body: str | None) -> None:
        deps = [(path, stamp(path))]
        if body is not None:
            deps.append((body, stamp(body)))
        known = tuple((dep, st) for dep, st in deps if st is not None)
        if len(known) == len(deps):
            self._part(path)[path] = (known, record, problems)
            self.dirty.add(self._part_name(path))

    def prune(self) -> None:
        """Forget files that no longer exist (in the parts this run read)."""
        for name, entries in self.parts.items():
            gone = [p for p in entries if not os.path.exists(p)]
            for path in gone:
                del entries[path]
            if gone:
                self.dirty.add(name)

    def save(self) -> None:
        try:
            self.folder.mkdir(exist_ok=True)
            (self.folder / ".gitignore").write_text("*\n", encoding="utf-8")
            for name in self.dirty:
                fd, tmp = tempfile.mkstemp(dir=self.folder)
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump({"key": self.key, "entries": self.parts[name]}, handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self.folder / f"{PREFIX}{_safe(name)}.pickle")
            self.dirty.clear()
        except OSError:
            pass  # a read-only checkout still checks, only slower


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)


def body_path(record: Record | None, path: str) -> str | None:
    if record is None or record.kind != "document" or not record.get("body_file"):
        return None
    return os.path.join(os.path.dirname(path), str(record.get("body_file")))

