"""The engine: a small conductor of the three stages, files → ``Corpus`` → Violations.

    workspace (paths, scope) → intake (parse, validate, lay out, admit) → judge (rules)

plus the repository's integrity checks (integrity.py: units, approvals; ledger.py: registrations)
and the ledger's annotation of each compliance finding. No stage takes the Engine itself.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import zhixing.rules  # noqa: F401  (importing the rule modules fills the rulebook)
from zhixing import ledger
from zhixing.diagnostics import Severity, Violation
from zhixing.intake import Intake
from zhixing.integrity import check_references
from zhixing.judge import UNKNOWN_USER, WITNESS_RULE, Judge
from zhixing.ledger import Ledger, check_registrations
from zhixing.messages import engine_violation
from zhixing.policies import PolicyError, PolicySet
from zhixing.privacy import PersonalData
from zhixing.records import KINDS, REGISTRY_FILE, REGISTRY_KIND, Corpus, Record, classify
from zhixing.rulebook import for_policies
from zhixing.schemas import SchemaError, SchemaSet
from zhixing.workspace import RECORD_SUFFIX, YAML_SUFFIXES, ConfigError, Workspace, child_paths, find_root

# Problems of the repository as a whole, reported whatever files a check was asked about.
ALWAYS_REPORTED = frozenset({"engine.internal", "record.registry-missing", "repo.cache-file", "calendar.unconfirmed"})
# Of those, what an incremental full check works out afresh (verdicts.py) rather than keeps.
RECOMPUTED = frozenset({"repo.cache-file", "calendar.unconfirmed"})


@dataclass
class CheckResult:
    violations: list[Violation]
    corpus: Corpus
    checked: list[str] = field(default_factory=list)  # the files reported on
    ledger: Ledger | None = None
    rejudged: list[str] | None = None  # an incremental full check: the files judged again (verdicts.py)


@dataclass
class Scope:
    """What a check covers: the files it reports on, the files it must load, and whether it is a
    partial check (a few records: only the kinds their rules read, their corpus rules)."""

    reported: set[str]
    files: list[Path]
    others: list[Path]
    kinds: set[str | None]
    partial: bool
    full: bool
    complete: bool = True  # every record of the repository of the loaded kinds (not loose files alone)
    involved: set[str] | None = None  # a partial check's corpus rules (Judge.involved)
    partition_units: frozenset[str] | None = None  # the units a partial check loaded whole (Corpus)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a check runs. Parsing allocates millions of objects that
    live on (the corpus), so the collector would walk the growing corpus again and again (a fifth of
    a 10,000-record check) to find nothing: records, their data and the parser's nodes hold no
    reference cycles. Restored afterwards, for long-lived callers (``mkdocs serve``)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Engine:
    def __init__(self, root: Path) -> None:
        self.workspace = Workspace(root)
        self.root = self.workspace.root
        try:
            self.schemas = SchemaSet.load(self.root / "schemas")
            self.policies = PolicySet.load(self.root, self.schemas)
        except (SchemaError, PolicyError, OSError) as exc:  # the repository's configuration, not a bug
            raise ConfigError(str(exc)) from exc
        self.rules = for_policies(self.policies)
        self._check_rulebook_matches_policies()
        self.personal = PersonalData.from_patterns(self.policies.personal_patterns())
        self.intake = Intake(self.workspace, self.schemas, self.policies, self.personal)
        self.judge = Judge(self.rules, self.policies, self.personal)

    def _check_rulebook_matches_policies(self) -> None:
        missing = sorted(set(self.policies.rules) - set(self.rules))
        unknown = sorted(set(self.rules) - set(self.policies.rules))
        if missing or unknown:
            raise ConfigError(f"rules in policies/ but not in code: {missing}; in code but not in policies/: {unknown}")

    def shown(self, path: Path) -> str:
        return self.workspace.shown(path)

    def scope(self, targets: list[Path] | None) -> Scope:
        ws = self.workspace
        records_dir = ws.records
        if not targets:
            return self._full_scope(*ws.walk(str(records_dir)))
        targets = ws.normalise_targets(targets)
        others: list[Path] = []
        target_files = ws.expand(targets or [records_dir], others)
        shown = [(p, ws.shown(p)) for p in target_files]  # once per file: a full check lists thousands
        not_records = [p for p, s in shown if s.startswith("records/") and p.suffix != RECORD_SUFFIX]
        if not_records:
            others += not_records
            excluded = set(not_records)
            shown = [(p, s) for p, s in shown if p not in excluded]
            target_files = [p for p, _ in shown]
        reported = {s for _, s in shown} | {ws.shown(p) for p in others}
        kinds = {classify(s)[0] for s in reported} - {None}
        inside_records = all(s.startswith("records/") for s in reported)
        partial = targets is not None and inside_records and REGISTRY_KIND not in kinds and records_dir not in targets
        if not targets:
            files = target_files
        elif partial:
            files = target_files  # the context comes from partition(), once the targets are read
        elif inside_records:
            files = list(dict.fromkeys([*target_files, *ws.expand([records_dir], [])]))
        elif not any(p.name == REGISTRY_FILE for p in target_files):
            # loose files (fixtures, drafts) checked against the repository's registry: what is
            # absent from them is not absent from the county's records
            files = [*target_files, records_dir / REGISTRY_FILE]
            return Scope(reported, files, others, kinds, partial, False, complete=False)
        else:
            files = target_files
        return Scope(reported, files, others, kinds, partial, not targets)

    def _full_scope(self, found: list[tuple[str, Path, str]], strays: list[str]) -> Scope:
        """All of records/, from its walk (Workspace.walk): every file is inside the repository."""
        cut = len(self.workspace.root_prefix)
        reported = {full[cut:] for full, _, _ in found} | {full[cut:] for full in strays}
        kinds = {classify(s)[0] for s in reported} - {None}
        return Scope(reported, child_paths(found), [Path(p) for p in strays], kinds, False, True)

    def partition(self, scope: Scope, use_cache: bool, prior: tuple[set[str], set[str]] = (set(), set())) -> Scope:
        """A partial check's context: what the changed records' rules read, and no more. The targets
        are read first; then the corpus rules they take part in (Judge.involved) and the kinds those
        and their own rules read (Judge.needed) decide the files: a kind read by a rule that compares
        units is loaded whole, one read only by rules partitioned by unit (counts per unit and year, a
        unit's duties) only in the targets' unit folders. Other records of the targets' kinds that
        hold one of their ids come along (found by the cache's id index; without the cache, the whole
        kind), so a duplicate id is found as in the full check. ``prior``: units and corpus rules to judge
        besides the targets' (what changed records were before the change, verdicts.py)."""
        ws = self.workspace
        targets = [r for r, _ in self.intake.parse_all(scope.files, use_cache) if r is not None]
        involved = self.judge.involved(targets) | prior[1]
        needed = self.judge.needed(scope.kinds, involved)
        units = {u for u in [*(classify(s)[1] for s in scope.reported), *(r.unit for r in targets), *prior[0]] if u}
        whole = {k for k, all_of in needed.items() if all_of}
        files = [*scope.files, *ws.kind_files(whole), *ws.kind_files(set(needed) - whole, units)]
        by_kind: dict[str, set[str]] = {}
        for record in targets:
            by_kind.setdefault(record.kind, set()).add(record.id)
        for kind in ({k for k in scope.kinds if k} | set(needed)) - whole - {REGISTRY_KIND}:
            if use_cache:
                files += self._id_holders(kind, by_kind.get(kind, set()), frozenset(units) if kind in needed else frozenset())
            else:
                files += ws.kind_files({kind})
        # in the full check's order (sorted paths), so that which of two records sharing an id is
        # "the other one" does not depend on which of them was asked about
        records = sorted(dict.fromkeys(files), key=str)
        partitioned = any(not all_of for all_of in needed.values())
        return replace(scope, files=[ws.records / REGISTRY_FILE, *records], involved=involved,
                       partition_units=frozenset(units) if partitioned else None)

    def _id_holders(self, kind: str, ids: set[str], units: frozenset[str]) -> list[Path]:
        """The records of ``kind`` in any unit that hold one of ``ids`` or an id held in the folders of
        ``units`` (the partition's own records: one of them that another unit's record precedes in
        path order is a duplicate, kept out of its unit's counts as in the full check), from the id
        index; files changed since indexed are read for their ids."""
        store, records, folder = self.intake.cache_store(), str(self.workspace.records), KINDS[kind].folder
        found, unknown = store.id_candidates(records, folder, ids, units)
        if unknown:
            read = {r.id for r, _ in self.intake.parse_all([Path(p) for p in unknown], True) if r is not None}
            found += store.id_candidates(records, folder, read - ids)[0] if read - ids else []
        return [Path(p) for p in found]

    def load(self, scope: Scope, today: str | None = None, use_cache: bool = False,
             parsed: dict[str, Record] | None = None) -> tuple[Corpus, list[Violation]]:
        """Stages 1–2: the corpus of the scope's files, and what kept any of them out."""
        corpus = Corpus(calendar=self.policies.calendar, today=today or dt.date.today().isoformat(),
                        complete=scope.complete, records_period=self.policies.settings.records_period,
                        partition_units=scope.partition_units)
        self.policies.calendar.forget_use()
        violations = self.intake.load(scope.files, corpus, use_cache, parsed)
        violations.extend(self.intake.unexpected_files(scope.others, corpus))
        if scope.full:
            settings = self.policies.settings
            violations.extend(self.workspace.committed_caches(settings.cache_folders, settings.executable_suffixes))
        return corpus, violations

    def judge_corpus(self, corpus: Corpus, focus: set[str] | None, involved: set[str] | None) -> list[Violation]:
        """Stage 3 and the integrity checks across records: references, registrations, the calendar."""
        violations = self._judge(corpus, focus, involved)
        violations.extend(unconfirmed_warnings(self.policies.calendar.unconfirmed_used))
        return violations

    def _judge(self, corpus: Corpus, focus: set[str] | None, involved: set[str] | None) -> list[Violation]:
        violations: list[Violation] = []
        try:
            violations.extend(check_references(corpus, self.policies, focus))
        except Exception as exc:  # a bug here must not hide the rules' findings
            violations.append(self.judge.internal("references", exc, corpus))
        violations.extend(self.judge.run(corpus, focus, involved))  # a broken policy: ConfigError from the judge
        violations.extend(check_registrations(corpus, self.policies, focus))
        self.policies.calendar.attribute(UNKNOWN_USER)  # a use outside the rules' evaluations, if any
        return violations

    def check(self, targets: list[Path] | None = None, today: str | None = None, use_cache: bool = False,
              incremental: bool = False) -> CheckResult:
        """Check ``targets`` (default: all of records/) in the context they need, and report on them.

        Checking a few records of the tree (the pre-commit case) loads only the kinds their rules
        read, runs record rules on those records alone, and runs the corpus rules they take part
        in: the verdicts on the targets are the same as in a full check, at a fraction of its cost.

        ``incremental`` (the CLI's full check, with the cache): the verdicts of the last full check are
        kept and only what changed since is judged again (verdicts.py), with the same answer.
        ``ZHIXING_CACHE=0`` (the CI templates set it) turns the cache off for every caller: on a shared
        runner an earlier job could have planted an entry, and a gating or published verdict is never
        taken from one (README 安全与隐私).
        """
        if use_cache:
            from zhixing.cache import cache_allowed

            use_cache = cache_allowed()
        with collector_paused():
            if incremental and use_cache and targets is None:
                return self._check_incremental(today or dt.date.today().isoformat())
            return self._check(self.scope(targets), today, use_cache)

    def _check(self, scope: Scope, today: str | None, use_cache: bool,
               parsed: dict[str, Record] | None = None) -> CheckResult:
        if scope.partial:
            scope = self.partition(scope, use_cache)
        corpus, violations = self.load(scope, today, use_cache, parsed)
        # A changed record also answers for the corpus rules it takes part in (counts per unit and
        # year, overlaps): a violation they find in its partition may be this change's doing.
        involved = scope.involved or set()
        focus = scope.reported if scope.partial else None
        violations.extend(self.judge_corpus(corpus, focus, involved if scope.partial else None))
        # A rule that failed is never filtered away by a partial check: its verdicts are unknown.
        reported = sorted(set(v for v in violations
                              if v.path in scope.reported or v.rule in involved or v.rule in ALWAYS_REPORTED))
        # The ledger: each compliance finding with its registration and status (ledger.py).
        found = ledger.build(corpus, reported, self.policies)
        return CheckResult(ledger.annotate(reported, found, corpus), corpus, sorted(scope.reported), found)


    # -- the incremental full check (verdicts.py) -----------------------------------------------

    def _check_incremental(self, today: str) -> CheckResult:
        from zhixing import verdicts, walking

        # made ahead by the process's entry while the tool started (launch.py), or here
        found, strays, listed = walking.listing_made_ahead(self.workspace.records) or walking.listing(self.workspace.root)
        store = verdicts.Store(self.intake.cache_store().folder, self._verdicts_key(today))
        cut = len(self.workspace.root_prefix)
        prior = store.load()
        if prior is not None:
            try:
                return self._rejudge({full[cut:] for full in strays}, prior, listed, today, store)
            except verdicts.Unsafe:
                pass
        parsed: dict[str, Record] = {}
        result = self._check(self._full_scope(found, strays), today, True, parsed)
        sigs = {path: sig for path, sig in listed.items() if sig is not None}
        extra = {path: entry for path, record in parsed.items() if (entry := self._extra(path, record)) is not None}
        store.save(verdicts.Snapshot(store.key, sigs, extra, verdicts.to_data(result.violations),
                                     {y: sorted(who) for y, who in self.policies.calendar.witnessed.items()}))
        return result

    def _verdicts_key(self, today: str) -> str:
        from zhixing import verdicts

        parts = [self.intake.cache_store().key, verdicts.policies_digest(self.root), today, str(self.root)]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()

    def _extra(self, path: str, record: Record) -> list[Any] | None:
        """What the snapshot keeps of a record beyond its path (verdicts.Snapshot.extra), if anything."""
        from zhixing import verdicts

        if record.kind == REGISTRY_KIND:
            return None
        body, involved = _body(record), self.judge.involving(record)
        if record.unit == verdicts.folder_unit(path) and record.id == verdicts.stem(path) and body is None and not involved:
            return None
        return [record.unit, record.id, body, involved]

    def _unsafe_kinds(self) -> set[str]:
        """Kinds whose change reaches verdicts outside its partitions: the registry, approvals and
        registrations (they name records and findings of any unit), and what record rules read (plans)."""
        read = {kind for registered in self.rules.values() if registered.scope == "record" for kind in registered.reads}
        return {REGISTRY_KIND, "approval", "registration", *read}

    def _rejudge(self, others: set[str], prior: Any, listed: dict[str, str | None], today: str, store: Any) -> CheckResult:
        """The last full check's verdicts, with what changed since judged again (verdicts.py)."""
        from zhixing import verdicts
        from zhixing.ledger import split_id
        from zhixing.verdicts import Unsafe

        if any(d["rule"] == "engine.internal" for d in prior.violations) or any(
                UNKNOWN_USER in who for who in prior.witnessed.values()):
            raise Unsafe
        changed, deleted = prior.changes(listed)
        if len(changed) + len(deleted) > verdicts.MAX_CHANGED:
            raise Unsafe
        unsafe = self._unsafe_kinds()

        def kind_of(path: str) -> str | None:
            return classify(path)[0]

        for path in [*changed, *deleted]:
            if path in others or not path.endswith(RECORD_SUFFIX) or kind_of(path) in unsafe | {None}:
                raise Unsafe  # a body text or a stray file, or a kind that reaches other partitions
        before = {p: prior.was(p) for p in [*changed, *deleted] if p in prior.sigs}
        # each changed file read now (into the parse cache, where the partial check finds it again)
        root = self.workspace.root
        now = dict(zip(changed, self.intake.parse_all([root / p for p in changed], True), strict=True))
        records = {p: r for p, (r, _) in now.items() if r is not None}
        for path in [*changed, *deleted]:
            record = records.get(path)
            if (before[path].body if path in before else None) != (_body(record) if record else None):
                raise Unsafe  # which files are body texts changes: their own verdicts (file.unexpected) move
        ids = {(kind_of(p), was.id) for p, was in before.items()} | {(r.kind, r.id) for r in records.values()}
        targets = {*changed, *prior.holding(ids, {*changed, *deleted}, kind_of)}
        units = {u for u in [*(w.unit for w in before.values()), *(r.unit for r in records.values()),
                             *(verdicts.folder_unit(p) for p in [*targets, *deleted])] if u}
        # Judged with a partition, as targets: a record filed in another unit's folder (it counts in its
        # own unit's partition), and a record kept out as a duplicate id (a partition loaded without
        # the record holding its id first would count it).
        joiners = {p: prior.was(p).unit for p in {*prior.misfiled(), *prior.duplicates()} - set(deleted)}
        while joining := [p for p, u in joiners.items() if p not in targets and (u in units or verdicts.folder_unit(p) in units)]:
            targets.update(joining)
            units.update(u for p in joining for u in (joiners[p], verdicts.folder_unit(p)) if u)
        involved = self.judge.involved_by_kind({kind_of(p) for p in before}) | {r for w in before.values() for r in w.involved}
        ordered = sorted(targets)
        partial = Scope(set(ordered), [root / p for p in ordered], [], {kind_of(p) for p in [*ordered, *deleted]},
                        partial=True, full=False)
        partial = self.partition(partial, True, (units, involved))
        corpus, found = self.load(partial, today, True)
        found.extend(self._judge(corpus, partial.reported, partial.involved))
        calendar = self.policies.calendar
        if any(v.rule == "engine.internal" for v in found) or any(UNKNOWN_USER in who for who in calendar.witnessed.values()):
            raise Unsafe
        for reg in corpus.of_kind("registration"):  # a registration naming a changed record: its verdicts move
            if any((kind, rid) in ids for _, kind, rid in (split_id(str(f)) for f in reg.get("findings") or [])):
                raise Unsafe
        for approval in corpus.of_kind("approval"):  # so do an approval's naming one
            rule = self.policies.rules.get(approval.get("rule", ""))
            if rule is not None and any((rule.kind, str(r)) in ids for r in approval.get("records") or []):
                raise Unsafe
        # Judged again: the targets' and deleted files' verdicts, and the involved corpus rules' in
        # the partition (a rule partitioned by unit: in the partition's units only).
        again = {*targets, *deleted}
        involved = partial.involved or set()
        judged_units = partial.partition_units or frozenset()
        partitioned = {r for r in involved if partial.partition_units is not None
                       and getattr(self.rules[r], "partition", None) == "unit"}
        if any(f"{WITNESS_RULE}{r}" in who for r in partitioned for who in prior.witnessed.values()):
            raise Unsafe  # a unit-partitioned rule used a year: in which units, the snapshot does not say
        registry = f"records/{REGISTRY_FILE}"

        def rejudged(d: dict[str, Any]) -> bool:
            if d["path"] in again or d["rule"] in RECOMPUTED:
                return True
            if d["rule"] not in involved:
                return False
            if d["rule"] not in partitioned:
                return True
            if d["path"] == registry:  # a unit's duty: rule@units/<unit>/<period>
                return split_id(str(d["finding"]))[2] in judged_units
            return prior.was(d["path"]).unit in judged_units

        kept = [Violation.from_data(d) for d in prior.violations if not rejudged(d)]
        fresh = [v for v in found if (v.path in again or v.rule in involved) and v.rule not in ALWAYS_REPORTED]
        fresh = ledger.annotate(fresh, ledger.build(corpus, fresh, self.policies), corpus)
        users = {f"{WITNESS_RULE}{r}" for r in involved}
        years: dict[int, set[str]] = {}
        for year, who in prior.witnessed.items():
            still = {w for w in who if w not in again and w not in users}
            if still:
                years[year] = still
        for year, who in calendar.witnessed.items():
            years.setdefault(year, set()).update(who)
        settings = self.policies.settings
        violations = sorted({*kept, *fresh, *unconfirmed_warnings(years),
                             *self.workspace.committed_caches(settings.cache_folders, settings.executable_suffixes)})
        if len(changed) + len(deleted) >= verdicts.SAVE_FROM:
            self._update_snapshot(store, prior, changed, deleted, listed, records, violations, years)
        return CheckResult(violations, corpus, sorted(listed), rejudged=ordered)

    def _update_snapshot(self, store: Any, prior: Any, changed: list[str], deleted: list[str], listed: dict[str, str | None],
                         records: dict[str, Record], violations: list[Violation], years: dict[int, set[str]]) -> None:
        from zhixing import verdicts

        sigs, extra = dict(prior.sigs), dict(prior.extra)
        for path in [*deleted, *changed]:
            sigs.pop(path, None)
            extra.pop(path, None)
        for path in changed:
            if (sig := listed[path]) is not None:
                sigs[path] = sig
            if path in records and (entry := self._extra(path, records[path])) is not None:
                extra[path] = entry
        store.save(verdicts.Snapshot(store.key, sigs, extra, verdicts.to_data(violations),
                                     {y: sorted(w) for y, w in years.items()}))


def _body(record: Record) -> str | None:
    """The body file a record names, if any."""
    field_name = KINDS[record.kind].body_field if record.kind in KINDS else None
    value = record.get(field_name) if field_name else None
    return str(value) if value else None


def unconfirmed_warnings(years: Iterable[int]) -> list[Violation]:
    """Local rest days marked unconfirmed (example data) were used: said once per year, never silently."""
    return [engine_violation("policies/calendar.yaml", 1, 1, "calendar.unconfirmed", Severity.WARNING, year=year)
            for year in sorted(years)]


__all__ = ["YAML_SUFFIXES", "CheckResult", "ConfigError", "Engine", "find_root"]
