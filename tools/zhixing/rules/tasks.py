"""Task rules: Art. 18 (responsibility split, milestones), Art. 19 (one lead, leaders, posts)."""

from __future__ import annotations

from collections.abc import Iterator

from zhixing.policies import RulePolicy
from zhixing.privacy import unit_ref
from zhixing.records import Corpus, Finding, Record
from zhixing.rulebook import rule
from zhixing.rules.common import iso


@rule("task.responsibility-split")
def responsibility_split(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """Every task states its responsibility split.

    PASS: ``responsibility_split`` filled. FAIL: missing.
    """
    if not (rec.get("responsibility_split") or "").strip():
        yield rec.finding("title")


@rule("task.milestones")
def milestones(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """A long-term or principled task has milestones, none spanning more than a year.

    PASS: yearly targets. FAIL: no milestone, or one due three years after the previous.
    """
    nature = rec.get("nature")
    if nature not in policy.value("natures", rec.date):
        return
    stones = rec.get("milestones") or []
    if not stones:
        yield rec.finding("nature", nature=nature)
        return
    limit = policy.value("max_span_days", rec.date)
    previous = rec.get("assigned_on")
    for index, stone in sorted(enumerate(stones), key=lambda pair: pair[1]["due"]):
        start = stone.get("start") or previous
        days = (iso(stone["due"]) - iso(start)).days
        if days > limit:
            yield rec.finding(("milestones", index, "due"), "too-long", title=stone["title"], days=days, limit=limit)
        previous = stone["due"]


@rule("task.single-lead")
def single_lead(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """A major project has exactly one 牵头单位.

    PASS: one lead unit. FAIL: two.
    """
    limit = policy.value("max_lead_units", rec.date)
    leads = rec.get("lead_units") or []
    if rec.get("major_project") and len(leads) != limit:
        yield rec.finding("lead_units", count=len(leads), limit=limit)


@rule("task.leaders")
def leaders(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """A major project names its 主要领导 and 分管领导.

    PASS: both posts named. FAIL: no 分管领导.
    """
    if not rec.get("major_project"):
        return
    # each its own message in policies/: "default" for the principal leader, then the leader in charge
    for field, key in (("principal_leader", "default"), ("leader_in_charge", "leader_in_charge")):
        if not rec.get(field):
            yield rec.finding("major_project", key)


@rule("task.unit-requirements")
def unit_requirements(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """In a major project the lead unit states a requirement for each 责任单位.

    PASS: every responsible unit has a requirement. FAIL: one has none.
    """
    if not rec.get("major_project"):
        return
    units = rec.get("responsible_units") or []
    if not units:
        yield rec.finding("major_project", "none")
    for index, entry in enumerate(units):
        if not entry.get("requirement"):
            yield rec.finding(("responsible_units", index), unit=unit_ref(corpus, entry["unit"], (rec, "responsible_units")))


@rule("task.posts")
def posts(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """Every task is assigned down to a unit and a 岗位.

    PASS: each assignment names unit and post. FAIL: an assignment without a post, or none at all.
    """
    assignments = rec.get("assignments") or []
    if not assignments:
        yield rec.finding("title", "none")
    for index, entry in enumerate(assignments):
        if not entry.get("post"):
            yield rec.finding(("assignments", index), duty=entry["duty"])
