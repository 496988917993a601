"""The last full check's verdicts, kept for the next one: the CLI's full check re-judges only what
changed since (README 性能), and answers exactly what a full check from scratch would.

What is kept (one JSON file in the per-user cache folder, beside the parse cache, cache.py): every
violation of the last full check (with its ledger annotation), each listed file's signature (inode,
size, modification and status-change times) and, for a record, its kind, unit, id, body file and the
corpus rules whose ``involves`` test it passed; and which records (or rules) used each unconfirmed
calendar year. It is keyed by the parse cache's fingerprint (the package's code, schemas, settings,
parser), a digest of every policy file, the date the check runs as of and the repository's folder.

The next full check stats every listed file (a tenth of reading them). With the changed files C it
runs the engine's partial check (engine.py: the changed records, their partitions) on C plus every
record holding an id one of them held or holds, with the old units and the corpus rules the old
versions took part in added to the new ones; the kept violations of those files, of those corpus
rules in those partitions, and the calendar's warnings are replaced by the partial check's. When a
change could reach verdicts elsewhere in ways the partitions do not describe, it checks everything
instead (``Unsafe``): the registry, approvals, registrations and kinds a record rule reads (plans)
changed; a file that is not a record (a body text, a stray file) changed; a record sits in another
unit's folder; an approval or registration names a changed id; a check failed; many files changed.

A status-change time cannot be set back by a user, so an edit that keeps a file's size and
modification time is still seen; a file changed within ``RACY_NS`` of the check that read it is
re-read next time (a change in the same clock tick as the read would otherwise look unchanged).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhixing.diagnostics import Violation
from zhixing.walking import RACY, RECORD_SUFFIX

NAME = "verdicts-v1.json"
# Above this many changed files a full check costs about what re-judging their partitions does.
MAX_CHANGED = 200
# The snapshot is brought up to date once this many files changed since it was taken; until then
# each check judges the few changed files again (rewriting it costs more than judging one file).
SAVE_FROM = 8


class Unsafe(Exception):
    """This change can reach verdicts the partitions do not describe: check everything."""


def policies_digest(root: Path) -> str:
    """Every file under policies/ (the rules' parameters, the calendar, the vocabulary)."""
    digest = hashlib.sha256()
    for path in sorted((root / "policies").rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Was:
    """What a file's record was at the last check: its unit, id, body file and the corpus rules with
    an ``involves`` test it passed. Unknown (it did not parse): its folder's unit and its file name's
    id, which can only make the re-judged part larger."""

    unit: str | None
    id: str
    body: str | None = None
    involved: tuple[str, ...] = ()


def folder_unit(path: str) -> str | None:
    """The unit folder of ``records/<unit>/<kind folder>/<file>``."""
    parts = path.split("/")
    return parts[1] if len(parts) == 4 and parts[0] == "records" else None


def stem(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0]


@dataclass
class Snapshot:
    key: str
    sigs: dict[str, str] = field(default_factory=dict)  # every listed file's signature, by shown path
    # records that are not what their path says (another unit, an id not their file's name), or have
    # a body file or ``involves`` rules: [unit, id, body, involved]
    extra: dict[str, list[Any]] = field(default_factory=dict)
    violations: list[dict[str, Any]] = field(default_factory=list)
    witnessed: dict[int, list[str]] = field(default_factory=dict)  # unconfirmed year -> who used it

    def changes(self, now: dict[str, str | None]) -> tuple[list[str], list[str]]:
        """(changed or new, deleted) shown paths; a file that cannot be stat'ed counts as changed."""
        sigs = self.sigs
        changed = [p for p, sig in now.items() if sig is None or sigs.get(p) != sig or sig.endswith(RACY)]
        deleted = [p for p in sigs if p not in now]
        return changed, deleted

    def was(self, path: str) -> Was:
        entry = self.extra.get(path)
        if entry is None:
            return Was(folder_unit(path), stem(path))
        return Was(entry[0], entry[1], entry[2], tuple(entry[3]))

    def misfiled(self) -> dict[str, str]:
        """Records in another unit's folder than their own: path -> their unit."""
        return {p: e[0] for p, e in self.extra.items() if e[0] is not None and e[0] != folder_unit(p)}

    def duplicates(self) -> set[str]:
        """Records kept out of the corpus because another record of their kind has their id."""
        return {d["path"] for d in self.violations if d["rule"] == "record.duplicate-id" and folder_unit(d["path"])}

    def holding(self, ids: set[tuple[str | None, str]], skip: set[str], kind_of: Callable[[str], str | None]) -> list[str]:
        """The files whose record is of one of these (kind, id), except ``skip``."""
        wanted = {i for _, i in ids}
        out = []
        for path in self.sigs:
            if not path.endswith(RECORD_SUFFIX):
                continue  # a body text beside its record (``lefu-2019-13.txt``) holds no id
            entry = self.extra.get(path)
            record_id = entry[1] if entry is not None else stem(path)
            if record_id in wanted and path not in skip and (kind_of(path), record_id) in ids:
                out.append(path)
        return out


class Store:
    """The snapshot of one repository, in its cache folder."""

    def __init__(self, folder: Path, key: str) -> None:
        self.path = folder / NAME
        self.key = key

    def load(self) -> Snapshot | None:
        try:
            with self.path.open("r", encoding="utf-8") as handle:
                stored = json.load(handle)
        except (OSError, ValueError):
            return None
        if not isinstance(stored, dict) or stored.get("key") != self.key:
            return None
        try:
            return Snapshot(self.key, dict(stored["sigs"]), dict(stored["extra"]), list(stored["violations"]),
                            {int(year): list(who) for year, who in stored["witnessed"]})
        except (KeyError, TypeError, ValueError):
            return None

    def save(self, snapshot: Snapshot) -> None:
        data = {"key": snapshot.key, "sigs": snapshot.sigs, "extra": snapshot.extra, "violations": snapshot.violations,
                "witnessed": [[year, sorted(who)] for year, who in sorted(snapshot.witnessed.items())]}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(json.dumps(data, ensure_ascii=False))
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only cache folder: the next check is a full one



def to_data(violations: list[Violation]) -> list[dict[str, Any]]:
    return [v.to_data() for v in violations]
