"""Meeting rules: Art. 11 (fewer meetings), Art. 12 (size and length), Art. 13 (teleconferences)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from zhixing.policies import RulePolicy
from zhixing.privacy import unit_ref
from zhixing.records import Corpus, Finding, Record
from zhixing.rulebook import corpus_rule, rule
from zhixing.rules.common import approved, days_spanned, hours_between, iso, numbered_per_unit_year


def _end_date(rec: Record) -> str:
    return str(rec.get("end_date") or rec.date)


@corpus_rule("meeting.system-meeting-limit", reads=("approval",), partition="unit")
def system_meeting_limit(corpus: Corpus, policy: RulePolicy) -> Iterator[Finding]:
    """A department holds at most ``max_per_year`` 本系统全县性会议 a year unless approved.

    PASS: a unit's first 本系统全县性会议 of 2019. FAIL: its second in 2019 with no approval.
    """
    def counted(rec: Record) -> bool:
        return rec.get("kind") == policy.term("system_meeting_kind") and policy.in_force(rec.date) and not rec.get("withdrawn")

    for rec, count in numbered_per_unit_year(corpus.of_kind("meeting"), counted):
        limit = policy.value("max_per_year", rec.date)
        if count > limit and not approved(rec, policy, corpus):
            yield rec.finding("kind", unit=unit_ref(corpus, rec.unit, (rec, "unit")), year=rec.year, count=count, limit=limit)


@rule("meeting.county-government-basis")
def county_government_basis(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """A meeting in the name of 县政府 has a basis among the permitted ones.

    PASS: a 全县性会议 with basis 省政府部署. FAIL: a 全县性会议 in 县政府's name with no basis.
    """
    if rec.get("convened_in_name_of") != policy.term("county_government"):
        return
    if rec.get("kind") in policy.value("exempt_kinds", rec.date):
        return
    basis = rec.get("basis")
    if not basis or basis.get("type") not in policy.value("permitted_bases", rec.date):
        yield rec.finding("basis" if basis else "convened_in_name_of", kind=rec.get("kind"))


@rule("meeting.consulted-no-meeting")
def consulted_no_meeting(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """No meeting whose every agenda item was settled by written consultation without objection.

    PASS: one item still contested. FAIL: every item consulted in writing, no objection.
    """
    agenda = rec.get("agenda") or []
    settled = [
        item
        for item in agenda
        if (item.get("written_consultation") or {}).get("held")
        and not (item.get("written_consultation") or {}).get("objections", False)
    ]
    if agenda and len(settled) == len(agenda):
        yield rec.finding("agenda", count=len(agenda))


@corpus_rule("meeting.annual-target", reads=("units",), partition="unit")
def annual_target(corpus: Corpus, policy: RulePolicy) -> Iterator[Finding]:
    """Each unit's meetings in a year stay within the target in the unit registry.

    PASS: 12 meetings against a target of 12. FAIL: the 13th.
    """
    def counted(rec: Record) -> bool:
        return (policy.in_force(rec.date) and not rec.get("withdrawn")
                and rec.get("convened_in_name_of") in policy.value("counted_names", rec.date))

    targets_of: dict[str, dict[Any, Any]] = {}  # unit id -> {year: target}, read once per unit
    for rec, count in numbered_per_unit_year(corpus.of_kind("meeting"), counted):
        targets = targets_of.get(rec.unit)
        if targets is None:
            unit = corpus.units.get(rec.unit)
            targets = targets_of[rec.unit] = {t["year"]: t["max_meetings"] for t in (unit.data.get("meeting_targets", []) if unit else [])}
        year = rec.year
        if year in targets and count > targets[year]:
            yield rec.finding("date", unit=unit_ref(corpus, rec.unit, (rec, "unit")), year=year, count=count, limit=targets[year])


@rule("meeting.county-wide-days")
def county_wide_days(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """A county-wide meeting spans at most one day (县政府 or department alike).

    PASS: 2019-05-10 to 2019-05-10. FAIL: 2019-05-10 to 2019-05-11.
    """
    if rec.get("kind") not in policy.value("county_wide_kinds", rec.date):
        return
    name = rec.get("convened_in_name_of")
    if name == policy.term("county_government"):
        limit = policy.value("max_days_county_government", rec.date)
    elif name in policy.value("department_names", rec.date):
        limit = policy.value("max_days_department", rec.date)
    else:
        return
    days = days_spanned(rec.date, _end_date(rec))
    if days > limit:
        yield rec.finding("end_date", name=name, kind=rec.get("kind"), days=days, limit=limit)


@rule("meeting.department-participants")
def department_participants(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """A department's county-wide meeting has at most ``max_participants`` participants.

    PASS: 150. FAIL: 151.
    """
    if rec.get("kind") not in policy.value("county_wide_kinds", rec.date):
        return
    if rec.get("convened_in_name_of") not in policy.value("department_names", rec.date):
        return
    limit = policy.value("max_participants", rec.date)
    if rec.get("participants", 0) > limit:
        yield rec.finding("participants", count=rec.get("participants"), limit=limit)


@rule("meeting.topic-hours")
def topic_hours(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """A 专题会议 lasts at most ``max_hours`` (half a day).

    PASS: 08:30–12:30. FAIL: 08:30–12:31.
    """
    if rec.get("kind") not in policy.value("kinds", rec.date):
        return
    hours = hours_between(rec.date, rec.get("start_time"), _end_date(rec), rec.get("end_time"))
    limit = policy.value("max_hours", rec.date)
    if hours > limit:
        yield rec.finding("end_time", hours=round(hours, 2), limit=limit)


@rule("meeting.consultation-invitees")
def consultation_invitees(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """A 征求意见会 invites only the units whose opinions differ.

    PASS: attending units ⊆ dissenting units. FAIL: a unit that agrees is invited.
    """
    if rec.get("kind") not in policy.value("kinds", rec.date):
        return
    dissenting = set(rec.get("dissenting_units") or [])
    if not dissenting:
        yield rec.finding("kind", "no-dissent")
        return
    for index, unit in enumerate(rec.get("attending_units") or []):
        if unit not in dissenting and unit != rec.unit:
            yield rec.finding(("attending_units", index), invitee=unit_ref(corpus, unit, (rec, "attending_units")))


@rule("meeting.teleconference-followup")
def teleconference_followup(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """The follow-up of an upper 电视电话会议 is a 电视电话会议 held right after it.

    PASS: same day, after the upper meeting ends, by teleconference. FAIL: a separate in-person
    meeting, or one held days later.
    """
    upper = rec.get("follows_upper_teleconference")
    if not upper:
        return
    if rec.get("format") != policy.term("teleconference_format"):
        yield rec.finding("format", format=rec.get("format"))
    gap = days_spanned(upper["date"], rec.date) - 1
    late = gap > policy.value("max_gap_days", rec.date) or gap < 0
    if not late and gap == 0 and upper.get("end_time") and rec.get("start_time") < upper["end_time"]:
        late = True
    if late:
        yield rec.finding("date", "late", upper_date=upper["date"], date=rec.date)


@rule("meeting.agenda-pre-communicated")
def agenda_pre_communicated(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """Each agenda item of a 常务会议 / 专题会议 was pre-communicated with the 分管领导.

    PASS: ``pre_communicated: true`` on every item. FAIL: an item without it.
    """
    if rec.get("kind") not in policy.value("kinds", rec.date):
        return
    for index, item in enumerate(rec.get("agenda") or []):
        if not item.get("pre_communicated"):
            yield rec.finding(("agenda", index), item=item["title"])


@rule("meeting.decision-disclosure")
def decision_disclosure(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """Decisions of 全体 / 常务 / 专题 meetings are published within ``max_workdays`` working days.

    PASS: published on the 20th working day after the meeting. FAIL: the 21st, or unpublished
    after the deadline with no legal basis for withholding.
    """
    if rec.get("kind") not in policy.value("kinds", rec.date):
        return
    limit = policy.value("max_workdays", rec.date)
    deadline = corpus.calendar.add_workdays(iso(rec.date), limit).isoformat()
    for index, decision in enumerate(rec.get("decisions") or []):
        disclosure = decision.get("disclosure") or {}
        if disclosure.get("exempt_basis"):
            continue
        published = disclosure.get("published_on")
        if published and published > deadline:
            yield rec.finding(("decisions", index, "disclosure", "published_on"), published=published,
                              limit=limit, deadline=deadline)
        elif not published and corpus.today > deadline:
            yield rec.finding(("decisions", index), "missing", today=corpus.today, deadline=deadline)
