"""Recurring obligations as data (Art. 17, 24, 29, 40, 41, 44): one mechanism judges them all.

An obligation is a rule in policies/articles/ with an ``obligation`` block:

- **who owes it**: ``owed_by`` selects units of the registry (``unit_types``, ``unit_flags``,
  ``units``), one duty per unit and period, reported at the unit's entry in records/units.yaml;
  or ``triggered_by`` a record kind (Art. 17: each year that has a document plan), one duty per
  period of that record's year, reported at its ``report_at`` field;
- **what shows it is met**: ``evidence``, a list of record kinds with conditions on their fields
  (``equals`` / ``contains`` / ``present``; ``a[].b`` walks a list), and ``owner_field`` when the
  record must be the owing unit's own; ``period_fields`` when the record names the period it
  serves (Art. 17's ``bulletin_of``) instead of being dated inside it;
- **when**: the rule's dated parameters ``period`` (每年 / 每半年 / 每季度 / 一次), ``window_from``
  and ``deadline`` (``MM-DD`` in a yearly period, whole days after the period's start / end, or
  for 一次 a date), and ``late_is_breach``.

A duty is judged only once its deadline has passed as of ``--today`` (before that it is 未到期),
only while the rule is in force, and only inside the period the records cover
(policies/settings.yaml ``records_period``). Duties owed by the registry's units are judged only
over a corpus that holds every record of the repository (``Corpus.complete``): in a check of a
few loose files, the absence of a record proves nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from zhixing.policies import PolicyError, RulePolicy
from zhixing.privacy import RecordRef
from zhixing.records import KINDS, REGISTRY_KIND, Corpus, Finding, Record

PERIODS = {"每年": 1, "每半年": 2, "每季度": 4, "一次": 0}
# Duty states, as the site shows them.
MET, MET_LATE, NOT_DUE, MISSED = "已完成", "逾期完成", "未到期", "逾期"


@dataclass(frozen=True)
class Period:
    label: str  # the stable part of a finding id: 2019, 2019-H1, 2019-Q3, or a 一次 duty's deadline
    start: str
    end: str
    year: int
    index: int  # the half (1–2) or quarter (1–4); 0 for a year or a 一次 duty

    @property
    def once(self) -> bool:
        """A 一次 duty: its label is its deadline (YYYY-MM-DD)."""
        return self.label.count("-") == 2

    @property
    def zh(self) -> str:
        if self.once:
            return f"{self.end} 前"
        if "-H" in self.label:
            return f"{self.year} 年{'上' if self.index == 1 else '下'}半年"
        if "-Q" in self.label:
            return f"{self.year} 年第 {self.index} 季度"
        return f"{self.year} 年"


@dataclass(frozen=True)
class Duty:
    """One unit's obligation for one period, and its state as of the corpus's today."""

    rule: str
    article: int
    owner: str  # unit id
    period: Period
    window_from: str
    deadline: str
    state: str
    evidence: Record | None  # the record that shows it met (the earliest one)
    at: Record  # where a finding about it is reported
    where: tuple[str | int, ...]

    @property
    def due(self) -> bool:
        return self.state != NOT_DUE


def periods_of_year(year: int, period: str) -> list[Period]:
    count = PERIODS[period]
    if count == 1:
        return [Period(str(year), f"{year}-01-01", f"{year}-12-31", year, 0)]
    months, tag = 12 // count, "H" if count == 2 else "Q"
    out = []
    for index in range(1, count + 1):
        first = dt.date(year, months * (index - 1) + 1, 1)
        last = (dt.date(year + (months * index) // 12, (months * index) % 12 + 1, 1) - dt.timedelta(days=1))
        out.append(Period(f"{year}-{tag}{index}", first.isoformat(), last.isoformat(), year, index))
    return out


def period_of(label: str) -> Period:
    """The period a label names (2019, 2019-H1, 2019-Q3, or a 一次 duty's deadline)."""
    if label.count("-") == 2:  # a 一次 duty's deadline
        return Period(label, label, label, int(label[:4]), 0)
    year, _, part = label.partition("-")
    if not part:
        return periods_of_year(int(year), "每年")[0]
    return periods_of_year(int(year), "每半年" if part[0] == "H" else "每季度")[int(part[1:]) - 1]


def label_date(label: str) -> str:
    """The last day of the period a label names (for the ledger: a duty's date); "" if it names none."""
    try:
        return period_of(label).end
    except (ValueError, IndexError):
        return ""


def _day(spec: Any, period: Period, anchor: str, policy: RulePolicy, name: str) -> str:
    """A window bound: ``MM-DD`` in a yearly period's year, or whole days after ``anchor``."""
    if isinstance(spec, bool):
        raise PolicyError(f"rule {policy.id}: parameter {name} must be a number of days or MM-DD")
    if isinstance(spec, int):
        return (dt.date.fromisoformat(anchor) + dt.timedelta(days=spec)).isoformat()
    text = str(spec)
    day = f"{period.year}-{text}" if len(text) == 5 and period.index == 0 and period.label.isdigit() else text
    try:
        return dt.date.fromisoformat(day).isoformat()
    except ValueError:
        raise PolicyError(f"rule {policy.id}: parameter {name} {text!r} is not a date: MM-DD in a yearly period, "
                          "a number of days, or YYYY-MM-DD for a one-off duty") from None


def _values(data: Any, path: tuple[str, ...]) -> list[Any]:
    """The values at a dotted path, in document order; ``name[]`` walks every item of a list. One
    level at a time (each level keeps its parents' order), not a recursion per item."""
    current = [data]
    for step in path:
        found: list[Any] = []
        if step.endswith("[]"):
            name = step[:-2]
            for node in current:
                if isinstance(node, dict):
                    items = node.get(name)
                    if isinstance(items, list):
                        found.extend(items)
        else:
            for node in current:
                if isinstance(node, dict) and step in node:
                    found.append(node[step])
        current = found
    return current


def _test(condition: dict[str, Any], params: dict[str, Any]) -> Callable[[Record], bool]:
    """One condition on a record, made once and applied to many: ``equals`` (after the period's
    parameters are filled in), ``contains`` (in a list, or equal to a single value), ``present``."""
    path = tuple(condition["field"].split("."))
    if "equals" in condition:
        wanted = condition["equals"]
        text = str(wanted.format_map(params) if isinstance(wanted, str) else wanted)
    item = condition.get("contains")
    present = bool(condition.get("present", True))
    if len(path) == 1 and not path[0].endswith("[]"):
        # one top-level field (nearly every condition): the same tests on its one value, without the
        # list of values and the generator (these run for every record of a kind, for every rule)
        head = path[0]
        if "equals" in condition:
            return lambda record: head in record.data and str(record.data[head]) == text
        if "contains" in condition:
            def contains(record: Record) -> bool:
                if head not in record.data:
                    return False
                value = record.data[head]
                return item in value if isinstance(value, list) else bool(value == item)
            return contains
        return lambda record: (head in record.data and record.data[head] not in (None, "", [], {})) == present

    def values(data: dict[str, Any]) -> list[Any]:
        return _values(data, path)

    if "equals" in condition:
        return lambda record: any(str(v) == text for v in values(record.data))
    if "contains" in condition:
        return lambda record: any(item in v if isinstance(v, list) else v == item for v in values(record.data))
    return lambda record: any(v not in (None, "", [], {}) for v in values(record.data)) == present


def _holds(record: Record, condition: dict[str, Any], params: dict[str, Any]) -> bool:
    return _test(condition, params)(record)


def _period_params(period: Period) -> dict[str, Any]:
    return {"year": period.year, "half": period.index, "quarter": period.index}


def _window(policy: RulePolicy, period: Period) -> tuple[str, str]:
    on = period.end
    start_spec = policy.value("window_from", on) if "window_from" in policy.parameters else 0
    return (_day(start_spec, period, period.start, policy, "window_from"),
            _day(policy.value("deadline", on), period, period.end, policy, "deadline"))


Evidence = dict[str, list[Record]]  # owner unit id ("" when any unit's record counts) -> its records, by date


def _static(condition: dict[str, Any]) -> bool:
    return not (isinstance(condition.get("equals"), str) and "{" in condition["equals"])


def _static_conditions(spec: dict[str, Any], evidence: dict[str, Any]) -> list[dict[str, Any]]:
    """What an evidence record must show whatever the period: its conditions that do not name the
    period, and each field that names it (``period_fields``) present — a record that names no
    period is never any period's evidence."""
    named = [{"field": path, "present": True} for path in (spec.get("period_fields") or {}).values()]
    return [*named, *(c for c in evidence.get("conditions", []) if _static(c))]


def _evidence(corpus: Corpus, spec: dict[str, Any]) -> Evidence:
    """Every record that may show the obligation met, by owner: the conditions that do not depend
    on the period are applied once here (one pass over the records, not one per unit and period)."""
    out: Evidence = {}
    for evidence in spec["evidence"]:
        owner_field = evidence.get("owner_field")
        tests = [_test(c, {}) for c in _static_conditions(spec, evidence)]
        for record in corpus.of_kind(evidence["kind"]):
            if record.data.get("withdrawn"):
                continue
            for test in tests:
                if not test(record):
                    break
            else:
                out.setdefault(str(record.get(owner_field)) if owner_field else "", []).append(record)
    for records in out.values():
        records.sort(key=lambda r: (r.date, r.id))
    return out


def _templated(spec: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each evidence kind's conditions that name the period ("{year}"), checked per period."""
    return {e["kind"]: [c for c in e.get("conditions", []) if not _static(c)] for e in spec["evidence"]}


def _candidates(index: Evidence, templated: dict[str, list[dict[str, Any]]], spec: dict[str, Any], owner: str,
                period: Period) -> list[Record]:
    """The owner's records and those any unit's record counts for, that fit the period."""
    params = _period_params(period)
    fields = spec.get("period_fields") or {}
    mine, anyone = index.get(owner, []), index.get("", [])
    pool = sorted(mine + anyone, key=lambda r: (r.date, r.id)) if mine and anyone else (mine or anyone)
    if not pool:
        return []
    named = [_test({"field": path, "equals": f"{{{name}}}"}, params) for name, path in fields.items()]
    by_kind = {kind: named + [_test(c, params) for c in conditions] for kind, conditions in templated.items()}
    return [record for record in pool if all(test(record) for test in by_kind.get(record.kind, named))]


def _state(corpus: Corpus, spec: dict[str, Any], index: Evidence, templated: dict[str, list[dict[str, Any]]], owner: str,
           period: Period, window_from: str, deadline: str) -> tuple[str, Record | None]:
    # a record dated after today (an event still to come) shows nothing yet
    found = [r for r in _candidates(index, templated, spec, owner, period) if r.date <= corpus.today]
    if spec.get("period_fields"):  # the record names its period: any date counts, late after the deadline
        on_time = [r for r in found if r.date <= deadline]
        late = [r for r in found if r.date > deadline]
    else:  # dated inside the window; late when dated after the deadline but still inside the period
        on_time = [r for r in found if window_from <= r.date <= deadline]
        late = [r for r in found if deadline < r.date <= period.end] if deadline < period.end else []
        if period.once:  # a 一次 duty: any later record meets it late
            late = [r for r in found if r.date > deadline]
    if on_time:
        return MET, on_time[0]
    if late:
        return MET_LATE, late[0]
    return (MISSED if corpus.today > deadline else NOT_DUE), None


def _owed(corpus: Corpus, policy: RulePolicy, period: Period, deadline: str) -> bool:
    covered = corpus.records_period
    return (policy.in_force(min(period.end, deadline)) and deadline >= covered[0]
            and (not covered[1] or period.start <= covered[1]))


def _years(corpus: Corpus, policy: RulePolicy) -> range:
    first = int(max(policy.effective_from, corpus.records_period[0])[:4])
    last = int((corpus.records_period[1] or corpus.today)[:4])
    return range(first, max(first, last) + 1)


def _owners(corpus: Corpus, selector: dict[str, Any], period: Period) -> list[tuple[str, int]]:
    """(unit id, index in the registry) of the units the selector names that exist at the period's
    end (a unit dissolved during the period does not answer for it; one set up during it does)."""
    if corpus.registry is None:
        return []
    out = []
    for index, unit in enumerate(corpus.registry.data.get("units", [])):
        live = unit["valid_from"] <= period.end and (not unit.get("valid_to") or unit["valid_to"] > period.end)
        chosen = (unit.get("type") in selector.get("unit_types", ()) or unit["id"] in selector.get("units", ())
                  or any(unit.get(flag) for flag in selector.get("unit_flags", ())))
        if live and chosen:
            out.append((unit["id"], index))
    return out


def duties(corpus: Corpus, policy: RulePolicy) -> list[Duty]:
    """Every duty the obligation puts on the corpus's units, with its state."""
    spec = policy.obligation
    out: list[Duty] = []
    evidence_index, templated = _evidence(corpus, spec), _templated(spec)
    unit_partitioned = partition(policy) == "unit"
    places: list[tuple[int, str, Record, tuple[str | int, ...]]]
    if "triggered_by" in spec:
        trigger = spec["triggered_by"]
        first: dict[int, Record] = {}
        for record in sorted(corpus.of_kind(trigger["kind"]), key=lambda r: (r.date, r.id)):
            year = record.get(trigger["year_field"])
            if isinstance(year, int) and not record.get("withdrawn"):
                first.setdefault(year, record)
        places = [(year, record.unit, record, (trigger["report_at"],)) for year, record in sorted(first.items())]
    else:
        if not corpus.complete or corpus.registry is None:
            return []
        registry = corpus.registry
        places = [(year, "", registry, ()) for year in _years(corpus, policy)]
    for year, unit, at, where in places:
        period_name = policy.value("period", f"{year}-12-31" if policy.in_force(f"{year}-12-31") else policy.effective_from)
        if period_name not in PERIODS:
            raise PolicyError(f"rule {policy.id}: period {period_name!r} is not one of {', '.join(PERIODS)}")
        if PERIODS[period_name] == 0:
            if year != _years(corpus, policy)[0] or "triggered_by" in spec:
                continue
            deadline = str(policy.value("deadline", policy.effective_from))
            periods = [Period(deadline, policy.effective_from, deadline, int(deadline[:4]), 0)]
        else:
            periods = periods_of_year(year, period_name)
        for period in periods:
            window_from, deadline = _window(policy, period)  # a 一次 duty's window opens when the rule takes effect
            if not _owed(corpus, policy, period, deadline):
                continue
            owners: list[tuple[str, int | None]] = (
                [(unit, None)] if "triggered_by" in spec else list(_owners(corpus, spec["owed_by"], period)))
            if unit_partitioned:  # a partial check judges only the units whose records it loaded
                owners = [(o, i) for o, i in owners if corpus.judges_unit(o)]
            for owner, index in owners:
                state, evidence = _state(corpus, spec, evidence_index, templated, owner, period, window_from, deadline)
                place = where if index is None else ("units", index)
                out.append(Duty(policy.id, policy.article, owner, period, window_from, deadline, state, evidence, at, place))
    return out


def check(corpus: Corpus, policy: RulePolicy) -> Iterator[Finding]:
    """Each duty past its deadline and not met; met late too, where the rule says that is a breach."""
    for duty in duties(corpus, policy):
        late_is_breach = bool(policy.value("late_is_breach", duty.period.end)) if "late_is_breach" in policy.parameters else True
        if duty.state == MISSED or (duty.state == MET_LATE and late_is_breach):
            params = {**_period_params(duty.period), "period": duty.period.zh, "unit": corpus.unit_name(duty.owner),
                      "deadline": duty.deadline, "today": corpus.today}
            if duty.evidence is not None:
                params["evidence"] = RecordRef(duty.evidence.kind, duty.evidence.id, duty.evidence.get("visibility") == "public")
                params["date"] = duty.evidence.date
            tag = duty.period.label if "triggered_by" in policy.obligation else f"{duty.owner}/{duty.period.label}"
            yield Finding(duty.at, duty.where, "default" if duty.state == MISSED else "late", params, tag)


def partition(policy: RulePolicy) -> str | None:
    """"unit" when a unit's duties are met by its own records only (every evidence owned through the
    record's ``unit``, the folder it is filed in); None when evidence crosses units (a 起草单位, a trigger)."""
    spec = policy.obligation
    if "owed_by" in spec and all(e.get("owner_field") == "unit" for e in spec["evidence"]):
        return "unit"
    return None


def involves(policy: RulePolicy) -> Callable[[Record], bool]:
    """Whether a record can change the obligation's verdicts: a trigger record, or a record that is
    evidence by every condition that does not depend on the period, naming a period where the duty
    says records do (a record without the duty's topic cannot meet or miss it)."""
    spec = policy.obligation
    trigger = spec.get("triggered_by", {}).get("kind")
    static = [(e["kind"], _static_conditions(spec, e)) for e in spec["evidence"]]

    def test(record: Record) -> bool:
        if record.kind == trigger:
            return True
        return any(record.kind == kind and all(_holds(record, c, {}) for c in conditions) for kind, conditions in static)

    return test


def reads(policy: RulePolicy) -> tuple[str, ...]:
    """The record kinds an obligation looks at: its evidence, its trigger, the registry."""
    spec = policy.obligation
    kinds = [e["kind"] for e in spec["evidence"]]
    if "triggered_by" in spec:
        kinds.append(spec["triggered_by"]["kind"])
    return tuple(dict.fromkeys(k for k in kinds if k in KINDS or k == REGISTRY_KIND))
