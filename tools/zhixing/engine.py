"""The engine: a small conductor of the three stages, files → ``Corpus`` → Violations.

    workspace (paths, scope) → intake (parse, validate, lay out, admit) → judge (rules)

plus the repository's integrity checks (integrity.py: units, approvals; ledger.py: registrations)
and the ledger's annotation of each compliance finding. No stage takes the Engine itself.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import zhixing.rules  # noqa: F401  (importing the rule modules fills the rulebook)
from zhixing import ledger
from zhixing.diagnostics import Severity, Violation
from zhixing.intake import Intake
from zhixing.integrity import check_references
from zhixing.judge import Judge
from zhixing.ledger import Ledger, check_registrations
from zhixing.messages import engine_violation
from zhixing.policies import PolicyError, PolicySet
from zhixing.privacy import PersonalData
from zhixing.records import KINDS, REGISTRY_FILE, REGISTRY_KIND, Corpus, classify
from zhixing.rulebook import for_policies
from zhixing.schemas import SchemaError, SchemaSet
from zhixing.workspace import RECORD_SUFFIX, YAML_SUFFIXES, ConfigError, Workspace, find_root

# Problems of the repository as a whole, reported whatever files a check was asked about.
ALWAYS_REPORTED = frozenset({"engine.internal", "record.registry-missing", "repo.cache-file", "calendar.unconfirmed"})


@dataclass
class CheckResult:
    violations: list[Violation]
    corpus: Corpus
    checked: list[str] = field(default_factory=list)  # the files reported on
    ledger: Ledger | None = None


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
        targets = ws.normalise_targets(targets) if targets else None
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

    def partition(self, scope: Scope, use_cache: bool) -> Scope:
        """A partial check's context: what the changed records' rules read, and no more. The targets
        are read first; then the corpus rules they take part in (Judge.involved) and the kinds those
        and their own rules read (Judge.needed) decide the files: a kind read by a rule that compares
        units is loaded whole, one read only by rules partitioned by unit (counts per unit and year, a
        unit's duties) only in the targets' unit folders. Other records of the targets' kinds that
        hold one of their ids come along (found by the cache's id index; without the cache, the whole
        kind), so a duplicate id is found as in the full check."""
        ws = self.workspace
        targets = [r for r, _ in self.intake.parse_all(scope.files, use_cache) if r is not None]
        involved = self.judge.involved(targets)
        needed = self.judge.needed(scope.kinds, involved)
        units = {u for u in [*(classify(s)[1] for s in scope.reported), *(r.unit for r in targets)] if u}
        whole = {k for k, all_of in needed.items() if all_of}
        files = [*scope.files, *ws.kind_files(whole), *ws.kind_files(set(needed) - whole, units)]
        by_kind: dict[str, set[str]] = {}
        for record in targets:
            by_kind.setdefault(record.kind, set()).add(record.id)
        for kind in {k for k in scope.kinds if k} - whole - {REGISTRY_KIND}:
            folder = KINDS[kind].folder
            if use_cache:
                found = self.intake.cache_store().id_candidates(str(ws.records), folder, by_kind.get(kind, set()))
                files += [Path(p) for p in found]
            else:
                files += ws.kind_files({kind})
        # in the full check's order (sorted paths), so that which of two records sharing an id is
        # "the other one" does not depend on which of them was asked about
        records = sorted(dict.fromkeys(files), key=str)
        partitioned = any(not all_of for all_of in needed.values())
        return replace(scope, files=[ws.records / REGISTRY_FILE, *records], involved=involved,
                       partition_units=frozenset(units) if partitioned else None)

    def load(self, scope: Scope, today: str | None = None, use_cache: bool = False) -> tuple[Corpus, list[Violation]]:
        """Stages 1–2: the corpus of the scope's files, and what kept any of them out."""
        corpus = Corpus(calendar=self.policies.calendar, today=today or dt.date.today().isoformat(),
                        complete=scope.complete, records_period=self.policies.settings.records_period,
                        partition_units=scope.partition_units)
        self.policies.calendar.unconfirmed_used.clear()
        violations = self.intake.load(scope.files, corpus, use_cache)
        violations.extend(self.intake.unexpected_files(scope.others, corpus))
        if scope.full:
            settings = self.policies.settings
            violations.extend(self.workspace.committed_caches(settings.cache_folders, settings.executable_suffixes))
        return corpus, violations

    def judge_corpus(self, corpus: Corpus, focus: set[str] | None, involved: set[str] | None) -> list[Violation]:
        """Stage 3 and the integrity checks across records: references, registrations, the calendar."""
        violations: list[Violation] = []
        try:
            violations.extend(check_references(corpus, self.policies, focus))
        except Exception as exc:  # a bug here must not hide the rules' findings
            violations.append(self.judge.internal("references", exc, corpus))
        violations.extend(self.judge.run(corpus, focus, involved))  # a broken policy: ConfigError from the judge
        violations.extend(check_registrations(corpus, self.policies, focus))
        # Local rest days marked unconfirmed (example data) were used: said once per year, never silently.
        violations.extend(engine_violation("policies/calendar.yaml", 1, 1, "calendar.unconfirmed", Severity.WARNING, year=year)
                          for year in sorted(self.policies.calendar.unconfirmed_used))
        return violations

    def check(self, targets: list[Path] | None = None, today: str | None = None, use_cache: bool = False) -> CheckResult:
        """Check ``targets`` (default: all of records/) in the context they need, and report on them.

        Checking a few records of the tree (the pre-commit case) loads only the kinds their rules
        read, runs record rules on those records alone, and runs the corpus rules they take part
        in: the verdicts on the targets are the same as in a full check, at a fraction of its cost.
        """
        with collector_paused():
            return self._check(targets, today, use_cache)

    def _check(self, targets: list[Path] | None, today: str | None, use_cache: bool) -> CheckResult:
        scope = self.scope(targets)
        if scope.partial:
            scope = self.partition(scope, use_cache)
        corpus, violations = self.load(scope, today, use_cache)
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


__all__ = ["YAML_SUFFIXES", "CheckResult", "ConfigError", "Engine", "find_root"]
