"""Stage 3, judge: every rule of the rulebook over the corpus, its findings turned into the one
Violation type (located, in both languages, with its public text and its ledger identity). A rule
that fails is isolated to the record it failed on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from zhixing.diagnostics import Severity, Violation
from zhixing.loading import dotted
from zhixing.messages import engine_violation, fill
from zhixing.policies import PolicyError, PolicySet, RulePolicy
from zhixing.privacy import PersonalData, public_params
from zhixing.records import KINDS, REGISTRY_KIND, Corpus, Finding
from zhixing.rulebook import Rule
from zhixing.workdays import CalendarGap
from zhixing.workspace import ConfigError


class Judge:
    def __init__(self, rules: dict[str, Rule], policies: PolicySet, personal: PersonalData) -> None:
        self.rules = rules
        self.policies = policies
        self.personal = personal

    def run(self, corpus: Corpus, focus: set[str] | None = None, corpus_rules: set[str] | None = None) -> list[Violation]:
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
        if registered.scope == "corpus":
            yield from registered.check(corpus, policy)
            return
        for record in corpus.of_kind(policy.kind):
            if focus is not None and record.path not in focus:
                continue
            if policy.in_force(record.date) and not record.get("withdrawn"):
                try:
                    yield from list(registered.check(record, policy, corpus))
                except CalendarGap as gap:
                    yield Finding(record, (KINDS[record.kind].date_field,), "calendar-gap", {"year": gap.year})
                except PolicyError:
                    raise
                except Exception as exc:  # isolated to this record: the rule's other verdicts stand
                    yield Finding(record, (), "rule-failed", {"check": registered.id, "error": repr(exc)[:200]})

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
        return Violation(
            finding=identity,
            path=finding.record.path,
            line=line,
            column=col,
            rule=policy.id,
            article=policy.article,
            severity=Severity(policy.severity),
            message=fill(templates, finding.params),
            hint=fill(policy.hint, finding.params),
            public_message=fill(templates, public_params(finding.params, finding.record.data, self.personal)),
        )

    def touches(self, rule_id: str, kinds: set[str | None]) -> bool:
        return bool(({self.policies.rules[rule_id].kind} | set(self.rules[rule_id].reads)) & kinds)

    def needed_kinds(self, target_kinds: set[str | None]) -> set[str]:
        """The kinds a check of these kinds must load: their own, approvals, and what their rules read."""
        # approvals exempt, registrations decide whether a finding blocks: both always come along
        needed = {k for k in target_kinds if k} | {"approval", "registration"}
        if "registration" in target_kinds:  # a registration may name a finding on any record
            needed |= set(KINDS)
        for rule_id, registered in self.rules.items():
            if self.touches(rule_id, target_kinds):
                needed |= {self.policies.rules[rule_id].kind, *registered.reads}
        return needed - {REGISTRY_KIND}
