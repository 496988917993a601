"""`zhixing check --base REV`: judging a change, not just a state.

A merged record is history: editing it needs a ``revisions`` entry (date, reason), and deleting
it is not allowed (it is withdrawn instead, with ``withdrawn: {date, reason}``). A change to
policies/ or schemas/ lists the records whose verdict flips between REV and now, and the findings
the policy change itself adds or removes; a finding a record change erases needs the supervising
office whether or not policies changed too.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from zhixing.diagnostics import Severity, Violation
from zhixing.gitops import GitError, changed_paths, export_tree, show
from zhixing.ledger import PERMITS_CORRECTION, split_id
from zhixing.loading import LoadedYaml, load_yaml_text
from zhixing.messages import engine_violation
from zhixing.privacy import is_public
from zhixing.records import KINDS, classify

RECORD_SUFFIXES = (".yaml", ".yml")
_NOT_CONTENT = ("revisions", "withdrawn")


@dataclass
class Flip:
    path: str
    before: str  # "pass" | "fail" | "absent"
    after: str


@dataclass
class ParamChange:
    """A parameter value added or changed by the change: "parameter, old → new, from date"."""

    rule: str
    parameter: str
    old: Any
    new: Any
    effective: str


@dataclass
class ChangeReport:
    violations: list[Violation] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # existing record files the change touches
    touched: list[str] = field(default_factory=list)  # every path under records/ the change adds, edits or removes
    flips: list[Flip] | None = field(default_factory=list)  # None: could not be computed
    policy_changed: bool = False
    parameters: list[ParamChange] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)  # the reviewer's view of each touched merged record
    base_findings: dict[str, str] | None = None  # finding id -> record path, as found on the base
    base_facts: dict[str, str | None] = field(default_factory=dict)  # finding id -> its fact on the base
    # the base's other problems (integrity, warnings), as (path, rule, message): a change that did not
    # cause them never fails on them, and they are never listed as 本次新增
    base_others: set[tuple[str, str, str]] = field(default_factory=set)
    # With policies/ or schemas/ changed: the base's records judged under the change's policies. A
    # base finding missing there was removed by the policy change; one present there and missing now
    # was erased by a record change, which needs the office as ever (never switched off).
    base_under_new_policies: dict[str, str] | None = None
    registrations_touched: set[str] = field(default_factory=set)  # registration ids the change adds or edits
    # merged records the change takes from public to internal or confidential: path -> (before, after)
    reclassified: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass
class Edit:
    """One merged record the change edits: fields old → new, the revision's reason, a withdrawal."""

    path: str
    fields: list[tuple[str, str, str]]
    reason: str = ""
    withdrawn: str = ""
    before: str = ""  # the record's verdict on the base: "pass" | "fail"
    after: str = ""


def judge_change(engine: Any, base: str, today: str | None = None) -> ChangeReport:
    root: Path = engine.root
    today = today or dt.date.today().isoformat()
    limits = engine.policies.settings.limits
    report = ChangeReport()
    bodies_changed: list[str] = []
    for status, path, renamed_to in changed_paths(root, base):
        if path.startswith(("policies/", "schemas/")) or (renamed_to or "").startswith(("policies/", "schemas/")):
            report.policy_changed = True
        if path.startswith("policies/articles/") and status == "M":
            _parameters(root, base, path, today, limits, report)
        if not path.startswith("records/"):
            continue
        report.touched.append(renamed_to or path)
        is_record = path.endswith(RECORD_SUFFIXES) and path != "records/units.yaml"
        if status == "T":  # a file turned into a link (or back): an edit, and a suspicious one
            report.violations.append(engine_violation(path, 1, 1, "change.type-changed", path=path))
        if status in ("D", "R") and is_record and show(root, base, path) is not None:
            report.violations.append(engine_violation(path, 1, 1, "change.deleted", path=path))
        current = renamed_to or path
        if status != "D" and os.path.lexists(root / current):
            report.changed.append(current)
        if status in ("M", "T") and is_record:
            pair = _load_pair(root, base, path, limits)  # the record on the base and now, read once
            report.violations.extend(_silent_edit(path, pair, today))
            edit = _edit(path, pair)
            if edit is not None:
                report.edits.append(edit)
            hidden = _reclassified(pair)
            if hidden is not None:
                report.reclassified[path] = hidden
        if "/registrations/" in current and status != "D":
            report.registrations_touched.add(Path(current).stem)
        elif status in ("M", "T", "D") and not is_record:
            bodies_changed.append(path)
    report.violations.extend(_body_edits(root, base, bodies_changed, limits))
    if report.policy_changed:
        report.flips = _flips(engine, base)
        report.base_under_new_policies = _base_findings(engine, base, today, policies_now=True)[0]
    report.base_findings, report.base_facts, report.base_others = _base_findings(engine, base, today)
    return report


def _base_findings(engine: Any, base: str, today: str, policies_now: bool = False
                   ) -> tuple[dict[str, str] | None, dict[str, str | None], set[tuple[str, str, str]]]:
    """The compliance findings on the base, judged as of the same day: what the change did not
    introduce (including what time alone made overdue). With ``policies_now``, the base's records
    under the change's own policies and schemas. None when the base cannot be checked."""
    from zhixing.engine import ConfigError, Engine

    with tempfile.TemporaryDirectory() as tmp:
        old_root = Path(tmp)
        try:
            if policies_now:
                export_tree(engine.root, base, old_root, ["records"])
                for folder in ("policies", "schemas"):
                    shutil.copytree(engine.root / folder, old_root / folder)
            else:
                export_tree(engine.root, base, old_root, ["policies", "schemas", "records"])
            result = Engine(old_root).check(today=today)
        except (ConfigError, GitError, OSError):
            return None, {}, set()
    found = [v for v in result.violations if v.finding]
    others = {_other_key(v) for v in result.violations if not v.finding}
    return {v.finding: v.path for v in found if v.finding}, {v.finding: v.fact for v in found if v.finding}, others


def _other_key(v: Violation) -> tuple[str, str, str]:
    return v.path, v.rule, v.text("zh")


Pair = tuple[LoadedYaml | None, LoadedYaml | None]


def _reclassified(pair: Pair) -> tuple[str, str] | None:
    """(visibility before, after) when the change takes a published record out of public view."""
    before, after = pair
    if before is None or after is None or not is_public(before.data) or is_public(after.data):
        return None
    shown = lambda data: str(data.get("classification") or data.get("visibility") or "—")  # noqa: E731
    return shown(before.data), shown(after.data)


def _edit(path: str, pair: Pair) -> Edit | None:
    before, after = pair
    if before is None or after is None:
        return None
    old, new = before.data, after.data
    fields = [(k, _show(old.get(k, "—")), _show(new.get(k, "—"))) for k in sorted({*old, *new})
              if k not in _NOT_CONTENT and old.get(k) != new.get(k)]
    added = (new.get("revisions") or [])[len(old.get("revisions") or []):]
    reason = "；".join(str(r.get("reason", "")) for r in added if isinstance(r, dict))
    withdrawn = ""
    if new.get("withdrawn") and not old.get("withdrawn") and isinstance(new["withdrawn"], dict):
        withdrawn = str(new["withdrawn"].get("reason", ""))
    if not fields and not withdrawn:
        return None
    return Edit(path, fields, reason, withdrawn)


def _load_pair(root: Path, base: str, path: str, limits: Any) -> tuple[LoadedYaml | None, LoadedYaml | None]:
    """A file as it was on ``base`` and as it is now, parsed; None where either cannot be."""
    before_bytes, after_path = show(root, base, path), root / path
    if before_bytes is None or os.path.islink(after_path):
        return None, None
    try:
        before_text, after_text = before_bytes.decode("utf-8-sig"), after_path.read_text(encoding="utf-8-sig")
    except (UnicodeDecodeError, OSError):
        return None, None  # the loader reports the file itself
    before, _ = load_yaml_text(before_text, path, limits)
    after, _ = load_yaml_text(after_text, path, limits)
    return before, after


def _body_edits(root: Path, base: str, bodies: list[str], limits: Any) -> list[Violation]:
    """A merged document's body file is part of the record: replacing it needs a revision too."""
    out: list[Violation] = []
    for body in bodies:
        folder, name = os.path.split(body)
        for record_path in sorted((root / folder).glob("*.yaml")):
            shown = f"{folder}/{record_path.name}"
            before, after = _load_pair(root, base, shown, limits)
            kind = classify(shown)[0]
            field = KINDS[kind].body_field if kind in KINDS else None
            if before is None or after is None or field is None or before.data.get(field) != name:
                continue
            if len(after.data.get("revisions") or []) <= len(before.data.get("revisions") or []):
                line, col = after.locate((field,))
                out.append(engine_violation(shown, line, col, "change.body-silent-edit", file=name))
    return out


def _parameters(root: Path, base: str, path: str, today: str, limits: Any, report: ChangeReport) -> None:
    """Parameter values already in force on the base are history: never rewritten, never removed,
    and no new value may take effect in the past. Every added or changed value is listed."""
    before, after = _load_pair(root, base, path, limits)
    if before is None or after is None:
        return
    new_rules = {r.get("id"): (index, r) for index, r in enumerate(after.data.get("rules") or []) if isinstance(r, dict)}
    for old_rule in before.data.get("rules") or []:
        if not isinstance(old_rule, dict) or old_rule.get("id") not in new_rules:
            continue
        rule_index, new_rule = new_rules[old_rule.get("id")]
        for name, old_param in (old_rule.get("parameters") or {}).items():
            old_values = dict(old_param.get("values") or {})
            new_values = dict(((new_rule.get("parameters") or {}).get(name) or {}).get("values") or {})
            where = ("rules", rule_index, "parameters", name)
            line, col = after.locate(where)
            for effective in sorted(set(old_values) | set(new_values)):
                old, new = old_values.get(effective, "—"), new_values.get(effective, "—")
                if old == new:
                    continue
                in_force = effective < today if effective not in old_values else effective <= today
                if in_force:
                    report.violations.append(engine_violation(path, line, col, "change.parameter-rewritten",
                                                              rule=old_rule["id"], parameter=name, date=effective,
                                                              old=_show(old), new=_show(new)))
                else:
                    previous = [v for d, v in sorted(old_values.items()) if d <= effective]
                    report.parameters.append(ParamChange(old_rule["id"], name, previous[-1] if previous else old,
                                                         new, effective))


def _show(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:80] + "…"


def _silent_edit(path: str, pair: Pair, today: str) -> list[Violation]:
    before, after = pair
    if before is None or after is None:
        return []
    old, new = before.data, after.data
    if old.get("withdrawn") and new.get("withdrawn") != old.get("withdrawn"):
        line, col = after.locate(("withdrawn",)) if "withdrawn" in new else (1, 1)
        return [engine_violation(path, line, col, "change.withdrawal-rewritten")]
    out: list[Violation] = []
    kind = classify(path)[0]
    own_date = str(new.get(KINDS[kind].date_field, "")) if kind in KINDS else ""
    old_count = len(old.get("revisions") or [])
    for index, entry in enumerate((new.get("revisions") or [])[old_count:], start=old_count):
        date = str(entry.get("date", "")) if isinstance(entry, dict) else ""
        why = ({"zh": f"早于记录本身的日期 {own_date}", "en": f"is before the record's own date {own_date}"} if date and own_date and date < own_date
               else {"zh": f"晚于今天 {today}", "en": f"is after today {today}"} if date > today else None)
        if why:
            line, col = after.locate(("revisions", index, "date"))
            out.append(engine_violation(path, line, col, "change.revision-date", date=date, why=why))
    content_changed = {k: v for k, v in old.items() if k not in _NOT_CONTENT} != {
        k: v for k, v in new.items() if k not in _NOT_CONTENT}
    history_rewritten = (old.get("revisions") or []) != (new.get("revisions") or [])[: len(old.get("revisions") or [])]
    new_entry = len(new.get("revisions") or []) > len(old.get("revisions") or [])
    if history_rewritten:
        line, col = after.locate(("revisions",))
        return [*out, engine_violation(path, line, col, "change.history-rewritten")]
    if content_changed and not new_entry:
        keys = [k for k in {*old, *new} if k not in _NOT_CONTENT and old.get(k) != new.get(k)]
        first = min((after.locate((k,)) for k in keys if k in new), default=(1, 1))
        fields = "、".join(sorted(keys))
        return [*out, engine_violation(path, first[0], first[1], "change.silent-edit", fields=fields)]
    return out


def _verdicts(engine: Any, today: str | None = None) -> dict[str, str]:
    result = engine.check(today=today)
    failing = {v.path for v in result.violations if v.severity.value == "error"}
    return {path: ("fail" if path in failing else "pass") for path in result.checked}


def _flips(engine: Any, base: str) -> list[Flip] | None:
    """The records as they are now, judged by REV's policies and schemas, against now.

    None when REV's policies do not fit the current code (a rule added or removed since).
    """
    from zhixing.engine import ConfigError, Engine

    now = _verdicts(engine)
    with tempfile.TemporaryDirectory() as tmp:
        old_root = Path(tmp)
        export_tree(engine.root, base, old_root, ["policies", "schemas"])
        shutil.copytree(engine.root / "records", old_root / "records")
        try:
            before = _verdicts(Engine(old_root))
        except ConfigError:
            return None
    return [Flip(path, before.get(path, "absent"), after) for path, after in sorted(now.items())
            if before.get(path, "absent") != after]


def judge_findings(violations: list[Violation], report: ChangeReport, corpus: Any, policies: Any,
                   shown: set[str] | None = None) -> list[Violation]:
    """What the change did to the ledger. A compliance finding the base already had (or that time
    alone brought) is "existing"; a new one is a fact filed as it is, for the office to register
    after the merge (neither fails the change: design §7a). ``shown``: the files a narrowed check
    (--changed-only) judged; a base finding elsewhere was not looked at, so it is not "erased". A
    base finding the change makes disappear by correcting or withdrawing a record needs the
    supervising office's registration in the same change, so no unit erases its own finding alone."""
    base = report.base_findings
    if base is None:
        return violations
    # A policy change judges the base's records again under the new policies: what it adds there is
    # the policy's doing ("policy"), and an erasure is measured against that judgment, so touching a
    # policy file never switches the erasure check off (README 安全与隐私).
    crossed = report.base_under_new_policies if report.base_under_new_policies is not None else base
    out = []
    for v in violations:
        if v.finding is None:
            if _other_key(v) in report.base_others:  # the base had it: not this change's doing
                v = replace(v, severity=Severity.WARNING if v.severity is Severity.ERROR else v.severity,
                            ledger={**(v.ledger or {}), "change": "existing"})
            out.append(v)
            continue
        # a changed fact is a new finding: the base's registration and verdict were about other values
        same_fact = v.fact is None or report.base_facts.get(v.finding, v.fact) == v.fact
        novelty = "existing" if v.finding in base and same_fact else "policy" if v.finding in crossed and same_fact else "new"
        severity = Severity.WARNING if novelty != "new" and v.severity is Severity.ERROR else v.severity
        out.append(replace(v, severity=severity, ledger={**(v.ledger or {}), "change": novelty}))
    current = {v.finding for v in violations if v.finding}
    for finding, path in sorted(set(base.items()) - set(crossed.items())):
        if finding not in crossed:  # the policy change itself removes it: named, for the policy's reviewers
            out.append(engine_violation(path, 1, 1, "change.policy-removed", Severity.WARNING, finding=finding))
    # covered: registered in this change, or registered before with a handling that permits the
    # correction (准予更正), which the office merged first in a change of its own
    covered = {str(f) for reg in corpus.of_kind("registration")
               if not reg.get("withdrawn") and (reg.id in report.registrations_touched or reg.get("handling") in PERMITS_CORRECTION)
               for f in reg.get("findings") or []}
    # Taking a record with a finding out of public view takes the finding off the public 问题清单: an
    # erasure too, which the supervising office must approve like a correction.
    if shown is not None:  # --changed-only narrows what is shown, never adds to it
        crossed = {finding: path for finding, path in crossed.items() if path in shown}
    for finding, path in sorted(crossed.items()):
        if path in report.reclassified and finding in current and finding not in covered:
            out.append(_needs_office(finding, path, corpus, policies, "change.reclassified",
                                     before=report.reclassified[path][0], after=report.reclassified[path][1]))
    for finding, path in sorted(crossed.items()):
        if finding in current or finding in covered:
            continue
        out.append(_needs_office(finding, path, corpus, policies, "change.finding-erased"))
    return out


def _needs_office(finding: str, path: str, corpus: Any, policies: Any, rule_id: str, **params: Any) -> Violation:
    """A change to a finding's record that only its supervising office may approve."""
    rule, kind, record_id = split_id(finding)
    record = corpus.find(kind, record_id)
    policy = policies.rules.get(rule)
    offices = policies.supervision.registrars(policy.article if policy else None, record.unit if record else "",
                                              corpus.units) if policies.supervision else []
    names = "、".join(corpus.unit_name(u) for u in offices) or "监督部门"
    where = record.path if record is not None else path
    violation = engine_violation(where, 1, 1, rule_id, finding=finding, office=names, **params)
    return replace(violation, article=policy.article if policy else None, ledger={"change": "new"})
