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
FILE = "parse-v1.pickle"

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
    def __init__(self, root: Path, key: str) -> None:
        self.path = root / FOLDER / FILE
        self.key = key
        self.entries: dict[str, Entry] = {}
        self.dirty = False
        try:
            with self.path.open("rb") as handle:
                stored = pickle.load(handle)
            if stored.get("key") == key:
                self.entries = stored["entries"]
        except Exception:  # missing, damaged or from another version: start afresh
            self.entries = {}

    def get(self, path: str) -> tuple[Record | None, list[Violation]] | None:
        entry = self.entries.get(path)
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
        if all(st is not None for _, st in deps):
            self.entries[path] = (tuple(deps), record, problems)  # type: ignore[assignment]
            self.dirty = True

    def prune(self) -> None:
        """Forget files that no longer exist."""
        for path in [p for p in self.entries if not os.path.exists(p)]:
            del self.entries[path]
            self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.path.parent.mkdir(exist_ok=True)
            (self.path.parent / ".gitignore").write_text("*\n", encoding="utf-8")
            fd, tmp = tempfile.mkstemp(dir=self.path.parent)
            with os.fdopen(fd, "wb") as handle:
                pickle.dump({"key": self.key, "entries": self.entries}, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only checkout still checks, only slower


def body_path(record: Record | None, path: str) -> str | None:
    if record is None or record.kind != "document" or not record.get("body_file"):
        return None
    return os.path.join(os.path.dirname(path), str(record.get("body_file")))

