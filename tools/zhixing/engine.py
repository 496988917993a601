"""The engine: files → records → schema → rules → Violations, over the whole repository.

One bad file never stops the others: every stage turns a problem into a Violation and moves on.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from zhixing import ledger
from zhixing.diagnostics import Severity, Violation
from zhixing.ledger import Ledger, check_registrations
from zhixing.loading import dotted, load_yaml_file, read_text
from zhixing.messages import engine_violation, render
from zhixing.policies import PolicyError, PolicySet, RulePolicy
from zhixing.privacy import PersonalData, public_params
from zhixing.records import KINDS, REGISTRY_FILE, REGISTRY_KIND, Corpus, Finding, Record, classify
from zhixing.references import check_references
from zhixing.registry import RegisteredRule, load_all
from zhixing.schemas import SchemaSet
from zhixing.workdays import CalendarGap

YAML_SUFFIXES = (".yaml", ".yml")
# Problems of the repository as a whole, reported whatever files a check was asked about.
ALWAYS_REPORTED = frozenset({"engine.internal", "record.registry-missing", "repo.cache-file", "calendar.unconfirmed"})
RECORD_SUFFIX = ".yaml"  # under records/ a record is *.yaml; anything else there must be a body file


# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = int(os.environ.get("ZHIXING_PARALLEL_FROM", "2000"))
MAX_WORKERS = 4
_WORKER_ENGINE: Engine | None = None


def _parse_in_worker(path: Path) -> tuple[Record | None, list[Violation]]:
    assert _WORKER_ENGINE is not None
    return _WORKER_ENGINE._parse_one(path)


class ConfigError(Exception):
    """The repository's configuration (policies/, schemas/) is broken: exit 2."""


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding policies/ and schemas/."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / "policies").is_dir() and (folder / "schemas").is_dir():
            return folder
    raise ConfigError(f"no zhixing repository (policies/ and schemas/) at or above {start}")


@dataclass
class CheckResult:
    violations: list[Violation]
    corpus: Corpus
    checked: list[str] = field(default_factory=list)  # the files reported on
    ledger: Ledger | None = None


class Engine:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        try:
            self.schemas = SchemaSet.load(root / "schemas")
            self.policies = PolicySet.load(root, self.schemas)
        except Exception as exc:  # SchemaError, PolicyError: shown as configuration errors
            raise ConfigError(str(exc)) from exc
        self.rules = load_all()
        self._check_registry_matches_policies()
        self.personal = PersonalData.from_patterns(self.policies.personal_patterns())

    def _check_registry_matches_policies(self) -> None:
        missing = sorted(set(self.policies.rules) - set(self.rules))
        unknown = sorted(set(self.rules) - set(self.policies.rules))
        if missing or unknown:
            raise ConfigError(f"rules in policies/ but not in code: {missing}; in code but not in policies/: {unknown}")
        for rule_id, registered in self.rules.items():
            if registered.article != self.policies.rules[rule_id].article:
                raise ConfigError(f"rule {rule_id}: code says article {registered.article}, policies/ says "
                                  f"{self.policies.rules[rule_id].article}")

    # -- files ---------------------------------------------------------------------------------

    def shown(self, path: Path) -> str:
        """The path as diagnostics show it: relative to the repository root where it is inside."""
        text = str(path) if path.is_absolute() else os.path.abspath(path)
        prefix = self._root_prefix
        if text.startswith(prefix):
            return text[len(prefix):]
        absolute = path.resolve()
        try:
            return absolute.relative_to(self.root).as_posix()
        except ValueError:
            return os.path.relpath(absolute)

    @property
    def _root_prefix(self) -> str:
        return str(self.root) + os.sep

    def expand(self, paths: Iterable[Path], others: list[Path] | None = None) -> list[Path]:
        """Files to check, absolute: folders walked for YAML files (one os.walk, no per-file resolve).

        Under records/ only ``*.yaml`` is a record; every other file found there (another suffix, a
        linked folder) goes to ``others``, to be reported unless a record names it as its body.
        A path is never resolved through a link: a link is reported, not followed."""
        files: list[Path] = []
        for path in (Path(os.path.abspath(p)) for p in paths):
            if path.is_dir() and not path.is_symlink():
                found: list[str] = []
                in_records = self.shown(path).startswith("records")
                for folder, dirs, names in os.walk(path):
                    dirs.sort()
                    if others is not None and in_records:
                        others.extend(Path(folder, d) for d in dirs if os.path.islink(os.path.join(folder, d)))
                    for name in names:
                        full = os.path.join(folder, name)
                        if name.endswith(RECORD_SUFFIX if in_records else YAML_SUFFIXES):
                            found.append(full)
                        elif others is not None and in_records:
                            others.append(Path(full))
                files.extend(map(Path, sorted(found)))
            else:
                files.append(path)
        return files

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

    def check(self, targets: list[Path] | None = None, today: str | None = None, use_cache: bool = False) -> CheckResult:
        """Check ``targets`` (default: all of records/) in the context they need, and report on them.

        Checking a few records of the tree (the pre-commit case) loads only the kinds their rules
        read, runs record rules on those records alone, and runs the corpus rules they take part
        in: the verdicts on the targets are the same as in a full check, at a fraction of its cost.
        """
        records_dir = self.root / "records"
        targets = self.normalise_targets(targets) if targets else None
        others: list[Path] = []
        target_files = self.expand(targets or [records_dir], others)
        in_records = [p for p in target_files if self.shown(p).startswith("records/")]
        others += [p for p in in_records if p.suffix != RECORD_SUFFIX]
        not_records = set(others)
        target_files = [p for p in target_files if p not in not_records]
        target_shown = {self.shown(p) for p in target_files} | {self.shown(p) for p in others}
        target_kinds = {classify(s)[0] for s in target_shown} - {None}
        inside_records = all(s.startswith("records/") for s in target_shown)
        partial = (targets is not None and inside_records and REGISTRY_KIND not in target_kinds
                   and records_dir not in targets)
        if not targets:
            files = target_files
        elif partial:
            needed = self._needed_kinds(target_kinds)
            files = list(dict.fromkeys([*target_files, records_dir / REGISTRY_FILE, *self._kind_files(records_dir, needed)]))
        elif inside_records:
            files = list(dict.fromkeys([*target_files, *self.expand([records_dir], [])]))
        elif not any(p.name == REGISTRY_FILE for p in target_files):
            files = [*target_files, records_dir / REGISTRY_FILE]
        else:
            files = target_files

        corpus = Corpus(calendar=self.policies.calendar, today=today or dt.date.today().isoformat())
        self.policies.calendar.unconfirmed_used.clear()
        violations: list[Violation] = []
        for record, problems in self._parse_all(files, use_cache):
            violations.extend(problems)
            if record is not None:
                violations.extend(self._admit(record, corpus))
        violations.extend(self._registry_present(corpus))
        violations.extend(self._unexpected_files(others, corpus))
        if not targets:
            violations.extend(self._committed_caches())
        focus = target_shown if partial else None
        try:
            violations.extend(check_references(corpus, self.policies, focus))
        except Exception as exc:  # a bug here must not hide the rules' findings
            violations.append(self._internal("references", exc, corpus))
        # A changed record also answers for the corpus rules it takes part in (counts per unit and
        # year, overlaps): a violation they find elsewhere may be this change's doing.
        involved = {r for r, reg in self.rules.items() if reg.scope == "corpus" and self._touches(r, target_kinds)}
        violations.extend(self._run_rules(corpus, focus, involved if partial else None))
        violations.extend(check_registrations(corpus, self.policies, focus))
        # Local rest days marked unconfirmed (example data) were used: said once per year, never silently.
        violations.extend(engine_violation("policies/calendar.yaml", 1, 1, "calendar.unconfirmed", Severity.WARNING, year=year)
                          for year in sorted(self.policies.calendar.unconfirmed_used))
        # A rule that failed is never filtered away by a partial check: its verdicts are unknown.
        reported = sorted(set(v for v in violations if v.path in target_shown or v.rule in involved or v.rule in ALWAYS_REPORTED))
        # The ledger: each compliance finding with its registration and status (ledger.py).
        found = ledger.build(corpus, reported, self.policies)
        return CheckResult(ledger.annotate(reported, found, corpus), corpus, sorted(target_shown), found)

    def _registry_present(self, corpus: Corpus) -> list[Violation]:
        """The registry must exist and list units: without it every unit check would silently stop."""
        where = self.shown(self.root / "records" / REGISTRY_FILE)
        if corpus.registry is None:
            why = {"zh": "不存在或无法读取", "en": "is missing or unreadable"}
        elif not corpus.units:
            why = {"zh": "没有列出任何单位", "en": "lists no unit"}
        else:
            return []
        return [engine_violation(corpus.registry.path if corpus.registry else where, 1, 1, "record.registry-missing", why=why)]

    def _unexpected_files(self, others: list[Path], corpus: Corpus) -> list[Violation]:
        """Files under records/ that are not records: fine only as a record's body file."""
        bodies = {os.path.join(os.path.dirname(r.path), str(r.get("body_file")))
                  for r in corpus.of_kind("document") if r.get("body_file")}
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

    def _committed_caches(self) -> list[Violation]:
        """Tracked files under a cache folder, or serialized-code files anywhere: a tool could load
        them (README 安全与隐私). Asked of git; outside a git work tree there is nothing to ask."""
        if not (self.root / ".git").exists():
            return []
        from zhixing.gitops import GitError, git  # noqa: PLC0415

        try:
            listed = git(self.root, "ls-files", "-z").split("\0")
        except (GitError, OSError):
            return []
        folders = set(self.policies.settings.cache_folders)
        suffixes = tuple(self.policies.settings.executable_suffixes)
        return [engine_violation(path, 1, 1, "repo.cache-file", path=path) for path in listed
                if path and (folders.intersection(path.split("/")[:-1]) or path.lower().endswith(suffixes))]

    def _touches(self, rule_id: str, kinds: set[str | None]) -> bool:
        return bool(({self.policies.rules[rule_id].kind} | set(self.rules[rule_id].reads)) & kinds)

    def _needed_kinds(self, target_kinds: set[str | None]) -> set[str]:
        """The kinds a check of these kinds must load: their own, approvals, and what their rules read."""
        # approvals exempt, registrations decide whether a finding blocks: both always come along
        needed = {k for k in target_kinds if k} | {"approval", "registration"}
        if "registration" in target_kinds:  # a registration may name a finding on any record
            needed |= set(KINDS)
        for rule_id, registered in self.rules.items():
            if self._touches(rule_id, target_kinds):
                needed |= {self.policies.rules[rule_id].kind, *registered.reads}
        return needed - {REGISTRY_KIND}

    def _kind_files(self, records_dir: Path, kinds: set[str]) -> list[Path]:
        folders = [KINDS[k].folder for k in sorted(kinds) if k in KINDS]
        found: list[str] = []
        try:
            units = sorted(e.path for e in os.scandir(records_dir) if e.is_dir())
        except OSError:
            return []
        for unit in units:
            for folder in folders:
                try:
                    found.extend(e.path for e in os.scandir(os.path.join(unit, folder)) if e.name.endswith(YAML_SUFFIXES))
                except OSError:
                    continue
        return [Path(p) for p in sorted(found)]

    def _parse_all(self, files: list[Path], use_cache: bool = False) -> list[tuple[Record | None, list[Violation]]]:
        """Each file parsed, validated and laid out, in order; unchanged files from the cache."""
        if not use_cache:
            return list(self._parse_many(files))
        from zhixing import cache as parse_cache  # noqa: PLC0415  (only the CLI pays for it)
        from zhixing.loading import backend  # noqa: PLC0415

        store = parse_cache.ParseCache(self.root, parse_cache.fingerprint(self.root, backend().name, bool(self.schemas.fast)))
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
        if todo:
            store.prune()
            store.save()
        return [results[str(path)] for path in files]

    def _parse_many(self, files: list[Path]) -> Iterable[tuple[Record | None, list[Violation]]]:
        """On both cores for large trees."""
        if len(files) < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or "fork" not in mp.get_all_start_methods():
            return map(self._parse_one, files)
        global _WORKER_ENGINE
        _WORKER_ENGINE = self  # inherited by the forked workers, never pickled
        context = mp.get_context("fork")
        with context.Pool(min(os.cpu_count() or 2, MAX_WORKERS)) as pool:
            return pool.map(_parse_in_worker, files, chunksize=max(64, len(files) // 32))

    def _parse_one(self, path: Path) -> tuple[Record | None, list[Violation]]:
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
        record = Record(kind, shown, loaded, unit_folder)
        problems = list(self._layout(record, path))
        problems.extend(self._read_body(record, path))
        return record, problems

    def _admit(self, record: Record, corpus: Corpus) -> list[Violation]:
        """Into the corpus, unless another record of its kind has its id already."""
        if record.kind == REGISTRY_KIND and corpus.registry is not None:
            return [engine_violation(record.path, 1, 1, "record.registry-misplaced")]
        existing = corpus.find(record.kind, record.id) if record.kind != REGISTRY_KIND else None
        if existing is not None:
            line, col = record.loaded.locate(("id",))
            return [engine_violation(record.path, line, col, "record.duplicate-id", id=record.id, other=existing.path)]
        corpus.add(record)
        return []

    def _layout(self, record: Record, path: Path) -> Iterable[Violation]:
        if record.kind == REGISTRY_KIND:
            return
        if record.id != path.stem:
            line, col = record.loaded.locate(("id",))
            yield engine_violation(record.path, line, col, "record.id", id=record.id, stem=path.stem)
        # Ids and file names are published in URLs and feeds, unmasked: they must not be personal data.
        for what, value in (({"zh": "记录编号", "en": "record id"}, record.id), ({"zh": "文件名", "en": "file name"}, path.stem)):
            if self.personal.find(value):
                line, col = record.loaded.locate(("id",))
                yield engine_violation(record.path, line, col, "record.id-personal", what=what, value=value)
                break
        if record.unit_folder is not None and record.unit != record.unit_folder:
            line, col = record.loaded.locate(("unit",))
            yield engine_violation(record.path, line, col, "record.unit-folder", unit=record.unit, folder=record.unit_folder)

    def _read_body(self, record: Record, path: Path) -> Iterable[Violation]:
        """A document's body text (Art. 16 counts it), read beside the record."""
        name = record.get("body_file") if record.kind == "document" else None
        if not name:
            return
        line, col = record.loaded.locate(("body_file",))
        if os.path.basename(str(name)) != name or name in (".", "..") or "\\" in str(name):
            yield engine_violation(record.path, line, col, "record.body-outside", file=name)
            return
        body_path = path.parent / name
        if not os.path.lexists(body_path):
            yield engine_violation(record.path, line, col, "record.body-missing", file=name)
            return
        text, problem = read_text(body_path, self.shown(body_path), self.policies.settings.limits.max_bytes)
        if problem is not None:
            yield problem
        record.body = text

    def _run_rules(self, corpus: Corpus, focus: set[str] | None = None, corpus_rules: set[str] | None = None) -> list[Violation]:
        """Every rule; with ``focus``, record rules only on those records, and only ``corpus_rules``."""
        out: list[Violation] = []
        for rule_id, registered in self.rules.items():
            policy = self.policies.rules[rule_id]
            if registered.scope == "corpus" and corpus_rules is not None and rule_id not in corpus_rules:
                continue
            try:
                findings = list(self._findings(registered, policy, corpus, focus))
            except PolicyError as exc:
                raise ConfigError(str(exc)) from exc
            except Exception as exc:  # a bug in one rule must not hide the others' findings
                out.append(self._internal(rule_id, exc, corpus))
                continue
            seen: dict[str, int] = {}
            for found in findings:
                violation = self.render(found, policy)
                if violation.finding is not None:  # two findings of one rule at one place stay two
                    seen[violation.finding] = seen.get(violation.finding, 0) + 1
                    if seen[violation.finding] > 1:
                        violation = replace(violation, finding=f"{violation.finding}~{seen[violation.finding]}")
                out.append(violation)
        return out

    def _internal(self, check: str, exc: Exception, corpus: Corpus) -> Violation:
        where = corpus.registry.path if corpus.registry else "records"
        return engine_violation(where, 1, 1, "engine.internal", check=check, error=repr(exc))

    def _findings(self, registered: RegisteredRule, policy: RulePolicy, corpus: Corpus,
                  focus: set[str] | None = None) -> Iterable[Finding]:
        if registered.scope == "corpus":
            yield from registered.check(corpus, policy)  # type: ignore[call-arg,arg-type]
            return
        for record in corpus.of_kind(policy.kind):
            if focus is not None and record.path not in focus:
                continue
            if policy.in_force(record.date) and not record.get("withdrawn"):
                try:
                    yield from list(registered.check(record, policy, corpus))  # type: ignore[call-arg,arg-type]
                except CalendarGap as gap:
                    yield Finding(record, (KINDS[record.kind].date_field,), "calendar-gap", {"year": gap.year})
                except PolicyError:
                    raise
                except Exception as exc:  # isolated to this record: the rule's other verdicts stand
                    yield Finding(record, (), "rule-failed", {"check": registered.id, "error": repr(exc)[:200]})

    def render(self, finding: Finding, policy: RulePolicy) -> Violation:
        line, col = finding.record.loaded.locate(finding.where)
        if finding.key == "calendar-gap":
            return engine_violation(finding.record.path, line, col, "calendar.missing-year", year=finding.params["year"])
        if finding.key == "rule-failed":
            return engine_violation(finding.record.path, line, col, "engine.internal", entry_key="record.engine-rule",
                                    **finding.params)
        templates = policy.messages[finding.key]
        record = finding.record
        what = (dotted(finding.where) if finding.where else "") + ("" if finding.key == "default" else f":{finding.key}")
        return Violation(
            finding=f"{policy.id}@{record.kind}/{record.id}" + (f"/{what}" if what else ""),
            path=finding.record.path,
            line=line,
            column=col,
            rule=policy.id,
            article=policy.article,
            severity=Severity(policy.severity),
            message=render(templates, finding.params),
            hint=render(policy.hint, finding.params),
            public_message=render(templates, public_params(finding.params, finding.record.data, self.personal)),
        )


__all__ = ["CheckResult", "ConfigError", "Engine", "find_root"]
