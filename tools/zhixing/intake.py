"""Stage 2, intake: each file parsed (loading), validated (schemas), laid out (its unit folder and
id) and given its body text, then admitted into the ``Corpus``. A file's problems become
Violations and never stop the others; unchanged files come from the parse cache.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhixing import forking
from zhixing.bodies import read_body
from zhixing.diagnostics import Violation
from zhixing.loading import LoadedYaml, fast_load, fast_route, fast_tree, load_yaml_file, read_text
from zhixing.messages import engine_violation
from zhixing.policies import PolicySet
from zhixing.privacy import PersonalData
from zhixing.records import (
    KINDS,
    REGISTRY_FILE,
    REGISTRY_KIND,
    RESERVED_IDS,
    Corpus,
    Parsed,
    Record,
    classify,
    parsed_from_row,
    parsed_to_row,
)
from zhixing.schemas import SchemaSet
from zhixing.workspace import YAML_SUFFIXES, Workspace

_QUOTED = re.compile(r"“([^“”]+)”")  # the first quoted text of a message
_WRONG_FORMAT = re.compile(r"“[^“”]+” 格式不对：.*$")

if TYPE_CHECKING:
    from zhixing.cache import ParseCache

FOLDERS = frozenset(spec.folder for spec in KINDS.values())
_NAMED = {"id": {"zh": "记录编号", "en": "record id"}, "stem": {"zh": "文件名", "en": "file name"}}  # what record.id-personal names

# Files per task when parsing on every core (forking.share): small enough that the processes end
# within a few milliseconds of each other, large enough that a task's frame costs little.
CHUNK = 50


class Intake:
    def __init__(self, workspace: Workspace, schemas: SchemaSet, policies: PolicySet, personal: PersonalData) -> None:
        self.workspace = workspace
        self.root = workspace.root
        self.shown = workspace.shown
        self.schemas = schemas
        self.policies = policies
        self.personal = personal
        self._store: ParseCache | None = None

    def load(self, files: list[Path], corpus: Corpus, use_cache: bool = False,
             parsed: dict[str, Record] | None = None) -> list[Violation]:
        """Every file into ``corpus`` (or into Violations saying why not); ``parsed`` receives every
        record read, admitted or not (a duplicate id), by path."""
        violations: list[Violation] = []
        for record, problems in self.parse_all(files, use_cache):
            violations.extend(problems)
            if record is not None:
                violations.extend(self.admit(record, corpus))
                if parsed is not None:
                    parsed[record.path] = record
        violations.extend(self.registry_present(corpus))
        return [self._unit_named(v, corpus) for v in violations]

    @staticmethod
    def _unit_named(v: Violation, corpus: Corpus) -> Violation:
        """A clerk who typed a unit's name where its id goes is told the id: "应填单位编号 jiaoyuju（县教育局）"."""
        if v.rule != "schema.pattern" or "单位编号" not in v.message.get("zh", ""):
            return v
        found = _QUOTED.search(v.message.get("zh", ""))
        unit = corpus.resolve_unit(found.group(1)) if found else None
        if unit is None:
            return v
        short = unit.data.get("short_name") or unit.name
        return replace(v, message={"zh": _WRONG_FORMAT.sub(f"“{found.group(1)}” 是单位名称，应填单位编号 {unit.id}（{short}）", v.message["zh"]),  # type: ignore[union-attr]
                                   "en": f"{v.message.get('en', '')} — the unit id of '{found.group(1)}' is {unit.id}"})  # type: ignore[union-attr]

    def parse_all(self, files: list[Path], use_cache: bool = False) -> list[tuple[Record | None, list[Violation]]]:
        """Each file parsed, validated and laid out, in order; unchanged files from the cache."""
        if not use_cache:
            return self._parse_many(files)
        from zhixing import cache as parse_cache  # only the CLI pays for it

        store = self.cache_store()
        results: dict[str, tuple[Record | None, list[Violation]]] = {}
        todo = []
        for path in files:
            hit = store.get(str(path))
            if hit is None:
                todo.append(path)
            else:
                results[str(path)] = hit
        for path, result in zip(todo, self._parse_many(todo), strict=True):
            results[str(path)] = result
            record = result[0]
            store.put(str(path), record, result[1], parse_cache.body_path(record, str(path)))
        for path in files:  # each record file's id, for partial checks' duplicate search
            if path.parent.name in FOLDERS:
                store.note_id(str(path), results[str(path)][0])
        if todo:
            store.prune()
        store.save()
        return [results[str(path)] for path in files]

    def cache_store(self) -> ParseCache:
        """The parse cache of this repository, opened once per run."""
        if self._store is None:
            from zhixing import cache as parse_cache
            from zhixing.loading import backend_name

            self._store = parse_cache.ParseCache(self.root, parse_cache.fingerprint(self.root, backend_name(),
                                                                                     bool(self.schemas.fast)))
        return self._store

    def _parse_many(self, files: list[Path]) -> list[tuple[Record | None, list[Violation]]]:
        """On every core for large trees: this process and forked copies of it (forking.share) each
        parse the next run of files whenever free; a copy's records come back as JSON rows."""
        size = max(CHUNK, -(-len(files) // forking.MAX_TASKS))
        runs = [files[start:start + size] for start in range(0, len(files), size)]
        if len(files) < forking.PARALLEL_FROM or not forking.available():
            return [one for run in runs for one in self.parse_run(run)]

        def encode(task: int, parsed: list[Parsed]) -> list[list[Any]]:
            return [parsed_to_row(one, str(path)) for one, path in zip(parsed, runs[task], strict=True)]

        def decode(task: int, rows: list[list[Any]]) -> list[Parsed]:
            return [parsed_from_row(row, str(path)) for row, path in zip(rows, runs[task], strict=True)]

        parsed, _ = forking.share(len(runs), lambda task: self.parse_run(runs[task]), encode, decode)
        return [one for run in parsed for one in run]

    def parse_run(self, paths: list[Path]) -> list[Parsed]:
        """``parse_one`` of each path. The common case — a record file read, decoded, screened, read by
        yaml-rs and valid — goes through each stage for the whole run before the next (each stage's
        code stays in the processor's caches: about a quarter faster than file by file, measured on
        10,000 records); a file a stage does not take is parsed alone by ``parse_one``, and should
        anything go wrong the whole run is, so every answer is exactly ``parse_one``'s."""
        try:
            return self._staged(paths)
        except Exception:  # one file's surprise: parse_one reports it, on that file alone
            return list(map(self.parse_one, paths))

    def _staged(self, paths: list[Path]) -> list[Parsed]:
        limits = self.policies.settings.limits
        shown = list(map(self.shown, paths))
        kinds = list(map(classify, shown))
        texts = [read_text(path, where, limits.max_bytes)[0] if kind not in (None, REGISTRY_KIND) else None
                 for path, where, (kind, _) in zip(paths, shown, kinds, strict=True)]
        texts = [text if text is not None and fast_route(text, where, limits) else None
                 for text, where in zip(texts, shown, strict=True)]
        data = [fast_load(text) if text is not None else None for text in texts]
        data = [one if one is not None and fast_tree(one, limits) else None for one in data]
        loaded = [LoadedYaml(data=one, source_path=str(path)) if one is not None else None
                  for one, path in zip(data, paths, strict=True)]
        valid = [one is not None and kind is not None and not self.schemas.validate(kind, one, where)
                 for one, (kind, _), where in zip(loaded, kinds, shown, strict=True)]
        return [self._record(kind, where, one, unit_folder, path) if ok and one is not None and kind is not None
                else self.parse_one(path)
                for path, where, (kind, unit_folder), one, ok in zip(paths, shown, kinds, loaded, valid, strict=True)]

    def parse_one(self, path: Path) -> tuple[Record | None, list[Violation]]:
        try:
            return self._parse(path)
        except Exception as exc:  # one file's surprise must not stop the others
            return None, [engine_violation(self.shown(path), 1, 1, "engine.internal", check="load", error=repr(exc))]

    def _parse(self, path: Path) -> tuple[Record | None, list[Violation]]:
        shown = self.shown(path)
        kind, unit_folder = classify(shown)
        if kind is None and path.name == REGISTRY_FILE:
            return None, [engine_violation(shown, 1, 1, "record.registry-misplaced")]
        if kind is None:
            kinds = "、".join(f"{spec.folder}（{spec.label}）" for spec in KINDS.values())
            return None, [engine_violation(shown, 1, 1, "record.kind", where=shown, kinds=kinds)]
        loaded, problems = load_yaml_file(path, shown, self.policies.settings.limits)
        if loaded is None:
            return None, problems
        problems = self.schemas.validate(kind, loaded, shown)
        if problems:
            return None, problems
        return self._record(kind, shown, loaded, unit_folder, path)

    def _record(self, kind: str, shown: str, loaded: LoadedYaml, unit_folder: str | None, path: Path) -> Parsed:
        """A valid record, and what its place says about it (id and file name, unit and folder, body)."""
        record = Record(kind, shown, loaded, unit_folder)
        if kind == REGISTRY_KIND:
            return record, []
        problems = self._layout(record, path)
        if KINDS[kind].body_field is not None:
            problems.extend(self._read_body(record, path))
        return record, problems

    def admit(self, record: Record, corpus: Corpus) -> list[Violation]:
        """Into the corpus, unless another record of its kind has its id already."""
        if record.kind == REGISTRY_KIND and corpus.registry is not None:
            return [engine_violation(record.path, 1, 1, "record.registry-misplaced")]
        existing = corpus.find(record.kind, record.id) if record.kind != REGISTRY_KIND else None
        if existing is not None:
            line, col = record.loaded.locate(("id",))
            return [engine_violation(record.path, line, col, "record.duplicate-id", id=record.id, other=existing.path)]
        corpus.add(record)
        return []

    def _layout(self, record: Record, path: Path) -> list[Violation]:
        """A record's id against its file name, its unit against its folder (not the registry's)."""
        out: list[Violation] = []
        stem, record_id = path.stem, record.id
        if record_id != stem:
            line, col = record.loaded.locate(("id",))
            out.append(engine_violation(record.path, line, col, "record.id", id=record_id, stem=stem))
        if record_id in RESERVED_IDS or stem in RESERVED_IDS:
            line, col = record.loaded.locate(("id",))
            out.append(engine_violation(record.path, line, col, "record.id-reserved", id=record_id if record_id in RESERVED_IDS else stem,
                                        names="、".join(sorted(RESERVED_IDS))))
        # Ids and file names are published in URLs and feeds, unmasked: they must not be personal data.
        named = [("id", record_id)] if record_id == stem else [("id", record_id), ("stem", stem)]
        for what, value in named:
            if self.personal.find(value):
                line, col = record.loaded.locate(("id",))
                out.append(engine_violation(record.path, line, col, "record.id-personal", what=dict(_NAMED[what]), value=value))
                break
        if record.unit_folder is not None and record.unit != record.unit_folder:
            line, col = record.loaded.locate(("unit",))
            out.append(engine_violation(record.path, line, col, "record.unit-folder", unit=record.unit, folder=record.unit_folder))
        return out

    def _read_body(self, record: Record, path: Path) -> Iterable[Violation]:
        """A document's body text (Art. 16 counts it), read beside the record."""
        field = KINDS[record.kind].body_field if record.kind in KINDS else None
        name = record.get(field) if field else None
        if field is None or not name:
            return
        where = (field,)  # located only for a violation: a line map parses the file again
        if os.path.basename(str(name)) != name or name in (".", "..") or "\\" in str(name):
            yield engine_violation(record.path, *record.loaded.locate(where), "record.body-outside", file=name)
            return
        body_path = path.parent / name
        if not os.path.lexists(body_path):
            yield engine_violation(record.path, *record.loaded.locate(where), "record.body-missing", file=name)
            return
        settings = self.policies.settings
        text, problem = read_body(body_path, self.shown(body_path), settings.limits.max_bytes, settings.archive)
        if problem is not None:
            # on the body file and on the record itself: a check of the record alone (the pre-commit
            # hook) must fail too, never pass because the body's own problem was out of its scope
            yield problem
            yield engine_violation(record.path, *record.loaded.locate(where), "record.body-problem", file=name,
                                   problem=problem.message)
        record.body = text

    def registry_present(self, corpus: Corpus) -> list[Violation]:
        """The registry must exist and list units: without it every unit check would silently stop."""
        where = self.shown(self.root / "records" / REGISTRY_FILE)
        if corpus.registry is None:
            why = {"zh": "不存在或无法读取", "en": "is missing or unreadable"}
        elif not corpus.units:
            why = {"zh": "没有列出任何单位", "en": "lists no unit"}
        else:
            return []
        return [engine_violation(corpus.registry.path if corpus.registry else where, 1, 1, "record.registry-missing", why=why)]

    def unexpected_files(self, others: list[Path], corpus: Corpus) -> list[Violation]:
        """Files under records/ that are not records: fine only as a record's body file."""
        bodies = {os.path.join(os.path.dirname(r.path), str(r.get(spec.body_field)))
                  for spec in KINDS.values() if spec.body_field
                  for r in corpus.of_kind(spec.kind) if r.get(spec.body_field)}
        out = []
        for path in others:
            shown = self.shown(path)
            if os.path.islink(path):
                out.append(engine_violation(shown, 1, 1, "file.symlink"))
            elif shown in bodies:
                continue
            elif path.name == REGISTRY_FILE:
                out.append(engine_violation(shown, 1, 1, "record.registry-misplaced"))
            else:
                why = ({"zh": "记录文件请用小写 .yaml 后缀", "en": "record files end in lower-case .yaml"}
                       if path.suffix.lower() in YAML_SUFFIXES else
                       {"zh": "没有记录在 body_file 中引用它", "en": "no record names it as its body_file"})
                out.append(engine_violation(shown, 1, 1, "file.unexpected", why=why))
        return out
