"""Inspection rules: Art. 3 (upper findings rectified), 34 (plan, filing, one force), 35
(rectification lists, overdue items), 36 (unannounced routine checks), 33 (the 督查室's remit)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from zhixing.policies import RulePolicy
from zhixing.privacy import quote, ref, unit_ref
from zhixing.records import Corpus, Finding, Record
from zhixing.rulebook import corpus_rule, rule
from zhixing.rules.common import approved, cited_plan, iso, rectification_state
from zhixing.workdays import CalendarGap


def _unrectified(rec: Record) -> Iterator[Finding]:
    for index, finding in enumerate(rec.get("findings") or []):
        if not finding.get("rectification"):
            yield rec.finding(("findings", index), finding=finding["problem"])


@rule("inspection.upper-rectification")
def upper_rectification(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """Every finding fed back by an upper inspection has a rectification item.

    PASS: both findings of the provincial inspection rectified. FAIL: one without.
    """
    if rec.get("source") in policy.value("upper_sources", rec.date):
        yield from _unrectified(rec)


@rule("inspection.rectification")
def rectification(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """Every finding of the county's own inspections has a rectification item.

    PASS: each finding has lead unit, responsible units, deadline, requirement. FAIL: one without.
    """
    if rec.get("source") in policy.value("own_sources", rec.date):
        yield from _unrectified(rec)


@rule("inspection.overdue")
def overdue(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """Rectifications are closed by their deadline; open ones past it are overdue as of today.

    PASS: closed on or before the deadline, or open with the deadline still ahead. FAIL: open
    after the deadline, or closed late.
    """
    for index, finding in enumerate(rec.get("findings") or []):
        fix = finding.get("rectification")
        if not fix:
            continue
        state = rectification_state(fix, corpus.today)
        if state == "closed-late":
            yield rec.finding(("findings", index, "rectification", "closed_on"), "late",
                              finding=finding["problem"], due=fix["due"], closed=fix["closed_on"])
        elif state == "overdue":
            yield rec.finding(("findings", index, "rectification", "due"),
                              finding=finding["problem"], due=fix["due"], today=corpus.today)


@rule("inspection.rectification-fields")
def rectification_fields(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """Each rectification names its 牵头单位, 责任单位, 完成时限 and 工作要求 (Art. 35), one finding
    for each one missing.

    PASS: all four written. FAIL: a rectification without its 完成时限.
    """
    required = policy.value("required_fields", rec.date)
    for index, finding in enumerate(rec.get("findings") or []):
        fix = finding.get("rectification")
        if not fix:
            continue  # no rectification at all: inspection.rectification / upper-rectification
        for field, label in required.items():
            if not fix.get(field):
                # pointed at the rectification (the missing key has no line of its own)
                yield rec.finding(("findings", index, "rectification", field), finding=finding["problem"], label=label)


@rule("inspection.in-plan", reads=("inspection-plan", "approval"))
def in_plan(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """An inspection in the name of 县政府 is an item of that year's inspection plan.

    PASS: cites item i01 of the 2019 plan. FAIL: cites nothing, unless an approval exempts it.
    """
    if not rec.get("in_name_of_county_government") or approved(rec, policy, corpus):
        return
    cited = rec.get("plan_item")
    if not cited:
        yield rec.finding("in_name_of_county_government", year=rec.year)
        return
    plan, problem = cited_plan(rec, corpus, "inspection-plan", year=rec.year)
    if plan is not None and plan.get("year") != rec.year:
        yield rec.finding(("plan_item", "plan"), "unknown-plan", plan=ref(plan), year=rec.year)
    elif problem is not None:
        yield problem


@rule("inspection.filed-ahead")
def filed_ahead(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """A department's other inspection is filed with the 督查室 ``min_workdays`` working days ahead.

    PASS: start 2024-10-08, filed 2024-09-24. FAIL: filed 2024-09-25 (five working days).
    """
    if rec.get("in_name_of_county_government") or rec.get("source") != policy.term("own_level_source"):
        return
    limit = policy.value("min_workdays", rec.date)
    start = iso(rec.get("start"))
    filed = rec.get("filed_on")
    if not filed:
        yield rec.finding("start", "missing", latest=corpus.calendar.latest_filing(start, limit).isoformat())
        return
    # Decided from the known days when they suffice (filed 2026-12-10 for 2027-01-05: 2026 alone
    # holds more than 6 working days); a missing year is reported only when the answer depends on it.
    low, high, gap = corpus.calendar.workdays_bounds(iso(filed), start) if filed < rec.get("start") else (0, 0, None)
    if low >= limit:
        return
    if high >= limit and gap is not None:
        raise CalendarGap(gap)
    try:
        latest = corpus.calendar.latest_filing(start, limit).isoformat()
    except CalendarGap:
        latest = "—"
    yield rec.finding("filed_on", start=rec.get("start"), filed=filed, count=low, limit=limit, latest=latest)


@corpus_rule("inspection.one-force")
def one_force(corpus: Corpus, policy: RulePolicy) -> Iterator[Finding]:
    """One matter and target is inspected by one force at a time.

    PASS: the same matter in May and in October. FAIL: two inspections of 校园安全 at the same
    town in overlapping weeks. Linear per matter: sorted by start, each compared with the
    inspections still running.
    """
    # A matter is identified by its matter_key and, whether or not one is given, by its text: two
    # inspections of the same matter text are the same matter even when filed without a key.
    by_matter: dict[str, list[Record]] = defaultdict(list)
    for rec in corpus.of_kind("inspection"):
        if policy.in_force(rec.date) and not rec.get("withdrawn"):
            for identity in _matter_identities(rec):
                by_matter[identity].append(rec)
    reported: set[str] = set()
    for inspections in by_matter.values():
        inspections.sort(key=lambda r: (r.get("start"), r.id))
        running: list[Record] = []
        for rec in inspections:
            running = [r for r in running if r.get("end") >= rec.get("start")]
            for other in running:
                shared = sorted(set(rec.get("targets")) & set(other.get("targets")))
                if shared and rec.id not in reported:
                    reported.add(rec.id)
                    # the other inspection is named by reference, its dates quoted only if public
                    yield rec.finding("start", other=ref(other), other_start=quote(other, "start"),
                                      other_end=quote(other, "end"),
                                      target=unit_ref(corpus, shared[0], (rec, "targets"), (other, "targets")))
                    break
            running.append(rec)


def _matter_identities(rec: Record) -> list[str]:
    """The keys under which an inspection's matter is compared: its matter_key, and its matter text
    with spaces and punctuation removed (so "校园安全" and "校园 安全。" are one matter)."""
    out = [f"key:{rec.get('matter_key')}"] if rec.get("matter_key") else []
    text = "".join(ch for ch in str(rec.get("matter") or "") if ch.isalnum())
    if text:
        out.append(f"text:{text}")
    return out


@rule("inspection.unannounced")
def unannounced(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """Routine checks are not announced and ask for no prepared report.

    PASS: ``announced: false``, ``report_materials_requested: false``. FAIL: either true.
    """
    if not rec.get("routine_check"):
        return
    if rec.get("announced"):
        yield rec.finding("announced")
    if rec.get("report_materials_requested"):
        yield rec.finding("report_materials_requested", "materials")


@rule("inspection.remit")
def remit(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """The 督查室's own inspections concern a matter of the categories Art. 33 lists.

    PASS: the 督查室 inspects a 重大项目. FAIL: its own inspection of a matter of another
    category, or (from the date the field was set up) with no category given.
    """
    unit = corpus.units.get(rec.unit)
    if unit is None or not any(unit.data.get(flag) for flag in policy.value("office_flags", rec.date)):
        return
    if rec.get("source") not in policy.value("sources", rec.date):
        return
    category = rec.get("matter_category")
    if category is None:
        if policy.value("category_required", rec.date):
            yield rec.finding("matter", "missing")
    elif category not in policy.value("categories", rec.date):
        yield rec.finding("matter_category", category=category)
