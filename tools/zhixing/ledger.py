"""The 问题清单 ledger: compliance findings are facts, registered and handled by the office that
supervises their article (policies/supervision.yaml), never by the unit that caused them.

Two kinds of verdict (design §7a):
- an **integrity problem** (file, YAML, schema, references, layout, privacy, change control) has no
  ``finding`` id and always blocks;
- a **compliance finding** (a rule of an article broken by the facts) has a stable ``finding`` id
  (rule@kind/record/where). It blocks until the supervising office registers it; a registered
  finding is reported as 已登记 with its status.

Status over time, as of the check's ``today``: 待登记 (no registration), 整改中 / 逾期 / 已整改（销号）
(限期整改: open, past its due date, closed — a late closure stays marked as late), 已退文, 已说明,
已问责 (问责, 通报批评), 不予追究.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from zhixing.diagnostics import Severity, Violation
from zhixing.messages import engine_violation
from zhixing.obligations import label_date
from zhixing.policies import PolicySet
from zhixing.privacy import RecordRef
from zhixing.records import REGISTRY_KIND, Corpus, Record

UNREGISTERED = "待登记"
STATUS_BY_HANDLING = {"退文": "已退文", "说明情况": "已说明", "通报批评": "已问责", "问责": "已问责", "不予追究": "不予追究",
                      "准予更正": "准予更正"}
STATUSES = (UNREGISTERED, "整改中", "逾期", "已整改（销号）", "已退文", "已说明", "已问责", "不予追究", "准予更正")
# The handlings with which the office lets the unit correct, withdraw, reclassify or renumber the
# record that carries the finding, in a later change of its own (design §7a: every route works
# through separate merge requests, the office's first).
PERMITS_CORRECTION = ("准予更正",)


def split_id(finding: str) -> tuple[str, str, str]:
    """(rule, kind, record id) of a finding id ``rule@kind/id[/what]``."""
    rule, _, rest = finding.partition("@")
    kind, _, tail = rest.partition("/")
    return rule, kind, tail.split("/", 1)[0]


def subject(corpus: Corpus, kind: str, record_id: str, finding: str) -> tuple[Record | None, str, str]:
    """(record, unit, date) a finding is about. A duty owed by a unit of the registry
    (``rule@units/<unit>/<period>``, obligations.py) is the unit's, dated at its period's end."""
    if kind == REGISTRY_KIND:
        day = label_date(finding.rsplit("/", 1)[-1])
        if record_id not in corpus.units or corpus.registry is None or not day or finding.count("/") != 2:
            return None, "", ""
        return corpus.registry, record_id, day
    record = corpus.find(kind, record_id)
    return record, (record.unit if record else ""), (record.date if record else "")


@dataclass
class Entry:
    """One finding in the ledger: current (it is found now) or historical (registered, since corrected)."""

    id: str
    rule: str
    article: int | None
    unit: str
    record: Record | None
    date: str
    status: str
    violation: Violation | None = None
    registration: Record | None = None
    office: str = ""  # the unit that must register it (or has)
    # A registration of this finding whose fact is not the one found now (the values changed since,
    # or it names no fact): it no longer covers the finding, which is 待登记 again.
    stale: Record | None = None

    @property
    def handling(self) -> str:
        return str(self.registration.get("handling", "")) if self.registration else ""

    @property
    def due(self) -> str:
        return str(self.registration.get("due") or "") if self.registration else ""

    @property
    def closed_on(self) -> str:
        return str(self.registration.get("closed_on") or "") if self.registration else ""

    @property
    def registered_on(self) -> str:
        return self.registration.date if self.registration else ""

    @property
    def closed_late(self) -> bool:
        return bool(self.closed_on and self.due and self.closed_on > self.due)

    @property
    def current(self) -> bool:
        return self.violation is not None

    def to_json(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "id": self.id, "rule": self.rule, "article": self.article, "unit": self.unit,
            "record": self.record.path if self.record else None, "date": self.date, "status": self.status,
            "handling": self.handling or None, "due": self.due or None, "closed_on": self.closed_on or None,
            "closed_late": self.closed_late, "registration": self.registration.id if self.registration else None,
            "registered_on": self.registered_on or None, "office": self.office or None, "current": self.current,
            "message": self.violation.text(lang) if self.violation else None,
            "fact": self.violation.fact if self.violation else None,
            "stale_registration": self.stale.id if self.stale else None,
        }


@dataclass
class Ledger:
    entries: list[Entry]
    today: str
    registration_days: int = 30  # the office's period to register a finding (policies/supervision.yaml)

    @property
    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}

    def select(self, unit: str | None = None, article: int | None = None, year: int | None = None,
               status: str | None = None) -> list[Entry]:
        return [e for e in self.entries if (unit is None or e.unit == unit) and (article is None or e.article == article)
                and (year is None or e.date[:4] == str(year)) and (status is None or e.status == status)]


def is_compliance(v: Violation) -> bool:
    return v.finding is not None


def _status(registration: Record | None, today: str) -> str:
    if registration is None:
        return UNREGISTERED
    handling = registration.get("handling")
    if handling == "限期整改":
        if registration.get("closed_on"):
            return "已整改（销号）"
        return "逾期" if registration.get("due") and today > str(registration.get("due")) else "整改中"
    return STATUS_BY_HANDLING.get(str(handling), UNREGISTERED)


def _registrations(corpus: Corpus) -> dict[str, list[Record]]:
    """Finding id -> its registrations, by date (one per fact; a second one of a fact is reported)."""
    out: dict[str, list[Record]] = {}
    for reg in sorted(corpus.of_kind("registration"), key=lambda r: (r.date, r.id)):
        if reg.get("withdrawn"):
            continue
        for finding in reg.get("findings") or []:
            out.setdefault(str(finding), []).append(reg)
    return out


def bound_fact(registration: Record, finding: str) -> str | None:
    """The fact a registration registered for ``finding`` (its ``facts`` entry), or None."""
    facts = registration.get("facts")
    fact = facts.get(finding) if isinstance(facts, dict) else None
    return str(fact) if fact else None


def _covering(registrations: list[Record], finding: str, fact: str | None) -> tuple[Record | None, Record | None]:
    """(the registration of this fact, or None; the newest one of another fact, if that is all)."""
    for reg in registrations:
        if fact is None or bound_fact(reg, finding) == fact:
            return reg, None
    return None, (registrations[-1] if registrations else None)


def build(corpus: Corpus, violations: Iterable[Violation], policies: PolicySet) -> Ledger:
    """Every current compliance finding, and every registered one that is no longer found."""
    registered = _registrations(corpus)
    entries: dict[str, Entry] = {}
    for v in violations:
        if v.finding is None or v.finding in entries:
            continue
        rule, kind, record_id = split_id(v.finding)
        reg, stale = _covering(registered.get(v.finding, []), v.finding, v.fact)
        entries[v.finding] = _entry(v.finding, rule, subject(corpus, kind, record_id, v.finding), reg, v, corpus, policies,
                                    stale)
    for finding, regs in registered.items():
        if finding not in entries:
            rule, kind, record_id = split_id(finding)
            about = subject(corpus, kind, record_id, finding)
            if rule in policies.rules and about[0] is not None:
                entries[finding] = _entry(finding, rule, about, regs[0], None, corpus, policies)
    ordered = sorted(entries.values(), key=lambda e: (e.date, e.unit, e.id))
    return Ledger(ordered, corpus.today, policies.supervision.registration_days if policies.supervision else 30)


def _entry(finding: str, rule: str, about: tuple[Record | None, str, str], reg: Record | None, v: Violation | None,
           corpus: Corpus, policies: PolicySet, stale: Record | None = None) -> Entry:
    record, unit, day = about
    policy = policies.rules.get(rule)
    article = policy.article if policy else (v.article if v else None)
    offices = policies.supervision.registrars(article, unit, corpus.units) if policies.supervision else []
    return Entry(finding, rule, article, unit, record, day, _status(reg, corpus.today), v, reg,
                 reg.unit if reg else (offices[0] if offices else ""), stale)


def annotate(violations: list[Violation], ledger: Ledger, corpus: Corpus) -> list[Violation]:
    """Each compliance finding marked with its ledger status: a registered one is reported as
    information (已登记), an unregistered one says which office must register it."""
    by_id = ledger.by_id
    out = []
    for v in violations:
        entry = by_id.get(v.finding or "")
        if entry is None:
            out.append(v)
            continue
        info = {"status": entry.status, "office": entry.office}
        if entry.registration is not None:
            info["registration"] = entry.registration.id
            suffix = {"zh": f"（已登记：{entry.registration.id}）", "en": f" (registered: {entry.registration.id})"}
            out.append(replace(v, severity=Severity.INFO, ledger=info,
                               message={k: t + suffix.get(k, suffix["zh"]) for k, t in v.message.items()}))
            continue
        office = corpus.unit_name(entry.office) if entry.office else "监督部门"
        days = ledger.registration_days
        # Facts merge, the office follows (design §7a): a true fact is filed as it is and enters the
        # 问题清单 on merge; the office registers it in its own change.
        hint = {"zh": f"如属填写错误，请更正记录；如情况属实，照实提交：合并后进入问题清单（待登记），由{office}在 {days} 天内登记"
                      f"（zhixing register {entry.id}；事实指纹 {v.fact}）",
                "en": f"if this is a mistake, correct the record; if it is a fact, file it as it is: on merge it enters the list "
                      f"as unregistered, for {entry.office or 'the supervising office'} to register within {days} days "
                      f"(zhixing register {entry.id}; fact {v.fact})"}
        if entry.stale is not None:
            hint = {"zh": f"登记 {entry.stale.id} 针对的不是现在的事实（事实已改变，或登记没有写明事实指纹），须重新登记；" + hint["zh"],
                    "en": f"registration {entry.stale.id} is for another fact (the values changed, or it names no fact); " + hint["en"]}
        out.append(replace(v, ledger=info,
                           hint={lang: "；".join(filter(None, (v.hint.get(lang, ""), text))) for lang, text in hint.items()}))
    return out


def check_registrations(corpus: Corpus, policies: PolicySet, focus: set[str] | None = None) -> list[Violation]:
    """Integrity of the registrations: each names findings of existing records, by an office allowed
    to register them (never the finding's own unit), once."""
    if policies.supervision is None:
        return []
    out: list[Violation] = []
    # finding -> [(fact, registration)]: a second registration of a finding is a duplicate unless both
    # name their facts and the facts differ (the office registering a changed fact again)
    seen: dict[str, list[tuple[str | None, str]]] = {}
    for reg in sorted(corpus.of_kind("registration"), key=lambda r: (r.date, r.id)):
        if reg.get("withdrawn"):
            continue
        for index, finding in enumerate(reg.get("findings") or []):
            fact = bound_fact(reg, str(finding))
            earlier = seen.setdefault(str(finding), [])
            if focus is not None and reg.path not in focus:
                earlier.append((fact, reg.id))
                continue
            # located only for a violation: a line map parses the file again
            where = ("findings", index)
            rule, kind, record_id = split_id(str(finding))
            policy = policies.rules.get(rule)
            record, unit, _ = subject(corpus, kind, record_id, str(finding))
            if policy is None or record is None:
                out.append(engine_violation(reg.path, *reg.loaded.locate(where), "registration.unknown-finding", finding=finding))
                continue
            allowed = policies.supervision.registrars(policy.article, unit, corpus.units)
            if corpus.units and reg.unit not in allowed:
                names = "、".join(corpus.unit_name(u) for u in allowed) or "—"
                violation = engine_violation(reg.path, *reg.loaded.locate(where), "registration.office", finding=finding,
                                             allowed=names, unit=reg.unit,
                                             own={"zh": "（不能登记本单位的问题）", "en": " (never its own finding)"} if reg.unit == unit else "")
                out.append(replace(violation, article=policy.article))
            same = next((other for other_fact, other in earlier if fact is None or other_fact is None or other_fact == fact), None)
            if same is not None:
                out.append(engine_violation(reg.path, *reg.loaded.locate(where), "registration.duplicate", finding=finding,
                                            other=RecordRef("registration", same, True)))
            earlier.append((fact, reg.id))
    return out


def registered_on_time(entry: Entry, days: int) -> bool:
    if entry.registration is None or not entry.date:
        return False
    limit = dt.date.fromisoformat(entry.date) + dt.timedelta(days=days)
    return entry.registered_on <= limit.isoformat()


def relax(violations: list[Violation]) -> list[Violation]:
    """The pre-commit hook's view: an unregistered compliance finding warns (the pull request's CI
    is the gate); integrity problems still block."""
    return [replace(v, severity=Severity.WARNING) if v.finding and v.severity is Severity.ERROR else v for v in violations]
