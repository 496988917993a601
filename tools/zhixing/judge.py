"""Stage 3, judge: every rule of the rulebook over the corpus, its findings turned into the one
Violation type (located, in both languages, with its public text and its ledger identity). A rule
that fails is isolated to the record it failed on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from zhixing import forking
from zhixing.diagnostics import Severity, Violation
from zhixing.loading import dotted
from zhixing.messages import engine_violation, fill
from zhixing.policies import PolicyError, PolicySet, RulePolicy
from zhixing.privacy import PersonalData, fact_digest, public_params
from zhixing.records import KINDS, REGISTRY_KIND, Corpus, Finding, Record
from zhixing.rulebook import Rule
from zhixing.workdays import CalendarGap
from zhixing.workspace import ConfigError

# A corpus rule as the user of an unconfirmed calendar year (WorkCalendar.attribute); a record rule's
# user is the record's path.
WITNESS_RULE = "rule:"
UNKNOWN_USER = "*"  # a use outside any rule's evaluation


def _in_force(policy: RulePolicy, on: str) -> list[Any]:
    """The rule's parameter values on ``on``: the rule, not the fact (privacy.fact_digest)."""
    out = []
    for parameter in policy.parameters.values():
        try:
            out.append(parameter.at(on))
        except PolicyError:
            continue
    return out


class Judge:
    def __init__(self, rules: dict[str, Rule], policies: PolicySet, personal: PersonalData) -> None:
        self.rules = rules
        self.policies = policies
        self.personal = personal
        self._tests: dict[str, list[tuple[str, Any]]] = {}  # kind -> its corpus rules' involves tests

    def run(self, corpus: Corpus, focus: set[str] | None = None, corpus_rules: set[str] | None = None) -> list[Violation]:
        """Every rule; with ``focus``, record rules only on those records, and only ``corpus_rules``.
        A large corpus is judged on every core (forking.share): each process takes the next rule,
        the largest first, whenever it is free. The violations come in rulebook order either way."""
        selected = [rule_id for rule_id, registered in self.rules.items()
                    if not (registered.scope == "corpus" and corpus_rules is not None and rule_id not in corpus_rules)]
        if len(corpus.records) < forking.PARALLEL_FROM or not forking.available():
            return self._run(selected, corpus, focus)
        works = self._works(selected, corpus, focus)
        if sum(works.values()) < forking.PARALLEL_FROM:  # a partial check's few rules and records: not worth a process
            return self._run(selected, corpus, focus)
        order = sorted(selected, key=works.__getitem__, reverse=True)  # the largest first: the processes end together
        calendar = self.policies.calendar

        def state() -> dict[str, Any]:  # a rule's one side effect (workdays.py): the unconfirmed years used, and by whom
            return {"unconfirmed": sorted(calendar.unconfirmed_used),
                    "witnessed": [[year, sorted(who)] for year, who in calendar.witnessed.items()]}

        found, states = forking.share(len(order), lambda task: self._run([order[task]], corpus, focus),
                                      lambda task, violations: [v.to_data() for v in violations],
                                      lambda task, data: [Violation.from_data(v) for v in data], state)
        for other in states:
            calendar.unconfirmed_used.update(other["unconfirmed"])
            for year, who in other["witnessed"]:
                calendar.witnessed.setdefault(year, set()).update(who)
        by_rule = dict(zip(order, found, strict=True))
        return [v for rule_id in selected for v in by_rule[rule_id]]

    def _works(self, selected: list[str], corpus: Corpus, focus: set[str] | None) -> dict[str, int]:
        """Each rule's work, as the records it reads (a record rule: those of its kind, or in focus)."""
        counts: dict[str, int] = {}
        for record in corpus.records:
            counts[record.kind] = counts.get(record.kind, 0) + 1

        def work(rule_id: str) -> int:
            registered, kind = self.rules[rule_id], self.policies.rules[rule_id].kind
            if registered.scope == "record":
                return len(focus) if focus is not None else counts.get(kind, 0)
            return sum(counts.get(k, 0) for k in {kind, *registered.reads})

        return {rule_id: work(rule_id) + 1 for rule_id in selected}

    def _run(self, selected: list[str], corpus: Corpus, focus: set[str] | None) -> list[Violation]:
        out: list[Violation] = []
        for rule_id in selected:
            registered = self.rules[rule_id]
            policy = self.policies.rules[rule_id]
            try:
                findings = list(self._findings(registered, policy, corpus, focus))
                if registered.scope == "corpus" and registered.partition == "unit" and corpus.partition_units is not None:
                    # only the partition's units are judged: another unit's records may be loaded in part
                    findings = [f for f in findings if f.record.kind == REGISTRY_KIND or corpus.judges_unit(f.record.unit)]
            except PolicyError as exc:
                raise ConfigError(str(exc)) from exc
            except Exception as exc:  # a bug in one rule must not hide the others' findings
                out.append(self.internal(rule_id, exc, corpus))
                continue
            seen: dict[str, int] = {}
            for found in findings:
                violation = self.to_violation(found, policy)
                if violation.finding is not None:  # two findings of one rule at one place stay two
                    seen[violation.finding] = seen.get(violation.finding, 0) + 1
                    if seen[violation.finding] > 1:
                        violation = replace(violation, finding=f"{violation.finding}~{seen[violation.finding]}")
                out.append(violation)
        return out

    def internal(self, check: str, exc: Exception, corpus: Corpus) -> Violation:
        where = corpus.registry.path if corpus.registry else "records"
        return engine_violation(where, 1, 1, "engine.internal", check=check, error=repr(exc))

    def _findings(self, registered: Rule, policy: RulePolicy, corpus: Corpus,
                  focus: set[str] | None = None) -> Iterable[Finding]:
        calendar = corpus.calendar
        if registered.scope == "corpus":
            yield from registered.check(corpus, policy)
            calendar.attribute(f"{WITNESS_RULE}{registered.id}")
            return
        check, in_force = registered.check, policy.in_force
        for record in corpus.of_kind(policy.kind):
            if focus is not None and record.path not in focus:
                continue
            if in_force(record.date) and not record.data.get("withdrawn"):
                try:
                    found = list(check(record, policy, corpus))
                    if found:
                        yield from found
                except CalendarGap as gap:
                    yield Finding(record, (KINDS[record.kind].date_field,), "calendar-gap", {"year": gap.year})
                except PolicyError:
                    raise
                except Exception as exc:  # isolated to this record: the rule's other verdicts stand
                    yield Finding(record, (), "rule-failed", {"check": registered.id, "error": repr(exc)[:200]})
                if calendar.fresh:  # whose evaluation used an unconfirmed year (verdicts.py)
                    calendar.attribute(record.path)

    def to_violation(self, finding: Finding, policy: RulePolicy) -> Violation:
        line, col = finding.record.loaded.locate(finding.where)
        if finding.key == "calendar-gap":
            return engine_violation(finding.record.path, line, col, "calendar.missing-year", year=finding.params["year"])
        if finding.key == "rule-failed":
            return engine_violation(finding.record.path, line, col, "engine.internal", entry_key="record.engine-rule",
                                    **finding.params)
        templates = policy.messages[finding.key]
        record = finding.record
        what = (dotted(finding.where) if finding.where else "") + ("" if finding.key == "default" else f":{finding.key}")
        if finding.tag:  # a duty (obligations.py): named by its unit and period, not by a field
            subject = finding.tag if record.kind == REGISTRY_KIND else f"{record.id}/{finding.tag}"
            identity = f"{policy.id}@{record.kind}/{subject}"
        else:
            identity = f"{policy.id}@{record.kind}/{record.id}" + (f"/{what}" if what else "")
        # A warning (提示) is advice: it has no finding id, so it never enters the 问题清单, is never
        # "to be registered" and never counts in 考核 (an article whose check should be a finding
        # makes it an error in policies/, with a note saying why).
        ledgered = policy.severity == Severity.ERROR.value
        return Violation(
            finding=identity if ledgered else None,
            path=finding.record.path,
            line=line,
            column=col,
            rule=policy.id,
            article=policy.article,
            severity=Severity(policy.severity),
            message=fill(templates, finding.params),
            hint=fill(policy.hint, finding.params),
            public_message=fill(templates, public_params(finding.params, finding.record.data, self.personal)),
            fact=fact_digest(finding.params, _in_force(policy, record.date)) if ledgered else None,
        )

    def touches(self, rule_id: str, kinds: set[str | None]) -> bool:
        return bool(({self.policies.rules[rule_id].kind} | set(self.rules[rule_id].reads)) & kinds)

    def involved(self, targets: list[Record]) -> set[str]:
        """The corpus rules a check of these records must run: those of their kinds or reading them,
        and, of rules that say which records can change them (obligations), only where one does."""
        out = self.involved_by_kind({r.kind for r in targets})
        for record in targets:
            out.update(self.involving(record))
        return out

    def involved_by_kind(self, kinds: set[str | None]) -> set[str]:
        """The corpus rules any record of these kinds takes part in (those without an ``involves`` test)."""
        return {rule_id for rule_id, registered in self.rules.items()
                if registered.scope == "corpus" and registered.involves is None and self.touches(rule_id, kinds)}

    def involving(self, record: Record) -> list[str]:
        """The corpus rules with an ``involves`` test that this record passes."""
        tests = self._tests.get(record.kind)
        if tests is None:
            tests = self._tests[record.kind] = [
                (rule_id, registered.involves) for rule_id, registered in self.rules.items()
                if registered.scope == "corpus" and registered.involves is not None and self.touches(rule_id, {record.kind})]
        return [rule_id for rule_id, test in tests if test(record)]

    def needed(self, target_kinds: set[str | None], involved: set[str]) -> dict[str, bool]:
        """The kinds a check of these records must load, each with whether all of its records are
        needed (True) or only those of the targets' units (False: every rule reading it is
        partitioned by unit). ``target_kinds`` also holds the kinds of targets that did not load."""
        # approvals exempt, registrations decide whether a finding blocks: both always come along whole
        needed: dict[str, bool] = {"approval": True, "registration": True}
        if target_kinds & {"registration", "approval"}:  # they name findings and records of any kind and unit
            return {kind: True for kind in KINDS}
        for kind in target_kinds:
            if kind and kind != REGISTRY_KIND:
                needed.setdefault(kind, False)
        for rule_id, registered in self.rules.items():
            kind = self.policies.rules[rule_id].kind
            if registered.scope == "record":
                if kind in target_kinds:
                    for read in registered.reads:
                        needed[read] = True
                continue
            if rule_id not in involved:
                continue
            whole = registered.partition != "unit"
            for read in (kind, *registered.reads):
                needed[read] = needed.get(read, False) or whole
        needed.pop(REGISTRY_KIND, None)
        return needed
