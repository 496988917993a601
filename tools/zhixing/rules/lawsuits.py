"""Lost administrative lawsuits: Art. 30 (the cause found, accountability decided, no personal data)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from zhixing.policies import RulePolicy
from zhixing.records import Corpus, Finding, Record
from zhixing.rulebook import rule
from zhixing.rules.common import iso
from zhixing.rules.fault_tolerance import personal_numbers


def _step_in_time(rec: Record, policy: RulePolicy, corpus: Corpus, step: str, done_field: str) -> Iterator[Finding]:
    """A step of the case (``step``, dated by its ``done_field``) taken within ``days`` of the judgment.
    Missing and late are one finding (tagged by the step): a registration of the one still holds
    once the step is recorded late."""
    deadline = (iso(rec.date) + timedelta(days=policy.value("days", rec.date))).isoformat()
    taken = rec.get(step)
    if not taken:
        if corpus.today > deadline:
            yield Finding(rec, ("judged_on",), "default", {"deadline": deadline, "today": corpus.today}, step)
    elif str(taken[done_field]) > deadline:
        yield Finding(rec, (step, done_field), "late", {"deadline": deadline, "done": taken[done_field]}, step)


@rule("lawsuit.cause")
def cause_found(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """The cause of a lost case is found and recorded within the set period after the judgment.

    PASS: judged 2019-05-10, cause found 2019-06-20. FAIL: no cause recorded by 2019-07-09, or found later.
    """
    yield from _step_in_time(rec, policy, corpus, "cause", "found_on")


@rule("lawsuit.accountability")
def accountability_decided(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """A lost case has an accountability decision (追责 naming units and posts, or 不予追责 with a
    reason) within the set period after the judgment.

    PASS: 追责 of the responsible section's chief decided 2019-07-30. FAIL: no decision by 2019-08-08.
    """
    yield from _step_in_time(rec, policy, corpus, "accountability", "decided_on")


@rule("lawsuit.no-personal-data")
def no_personal_data(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """No ID-card or mobile number in any text of the case (the same patterns as Art. 43's cases).

    PASS: "执法大队大队长". FAIL: a mobile number in the cause's description.
    """
    yield from personal_numbers(rec, policy)
