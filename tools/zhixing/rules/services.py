"""Service-list rules: Art. 28 (90% of no-meeting approval items online, none needing a visit)."""

from __future__ import annotations

from collections.abc import Iterator

from zhixing.policies import RulePolicy
from zhixing.records import Corpus, Finding, Record
from zhixing.rulebook import rule


@rule("service-list.online-ratio")
def online_ratio(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """At least ``min_ratio`` of the 不见面审批 items can be done fully online.

    PASS: 9 of 10. FAIL: 8 of 10.
    """
    items = [i for i in rec.get("items", []) if i.get("no_meeting_approval")]
    if not items:
        return
    online = sum(1 for i in items if i.get("fully_online"))
    ratio = policy.value("min_ratio", rec.date)
    if online < ratio * len(items):
        yield rec.finding("items", total=len(items), online=online,
                          percent=round(100 * online / len(items), 1), target=round(100 * ratio, 1))


@rule("service-list.no-in-person")
def no_in_person(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """No 不见面审批 item still requires materials handed in person.

    PASS: none do. FAIL: one does.
    """
    for index, item in enumerate(rec.get("items", [])):
        if item.get("no_meeting_approval") and item.get("in_person_materials"):
            yield rec.finding(("items", index, "in_person_materials"), item=item["name"])
