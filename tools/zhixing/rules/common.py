"""Helpers shared by rule modules: approvals (exceptions as data) and date arithmetic."""

from __future__ import annotations

from datetime import date, datetime

from zhixing.policies import RulePolicy
from zhixing.records import Corpus, Record


def approved(record: Record, policy: RulePolicy, corpus: Corpus) -> bool:
    """True when the record cites an approval that exempts it from this rule on its date.

    Only rules whose article allows an exception accept one (Art. 11 "确有必要…报请批准",
    Art. 14 "原则上", Art. 34 "一般不得"). A cited approval that does not fit is reported by the
    engine's approval check; here it simply does not exempt.
    """
    if not policy.exception_allowed:
        return False
    for approval_id in record.get("approvals", []):
        approval = corpus.find("approval", approval_id)
        if approval is None or approval.get("rule") != policy.id:
            continue
        if record.id not in approval.get("records", []):
            continue
        if approval.date > record.date:
            continue
        if approval.get("valid_until") and approval.get("valid_until") < record.date:
            continue
        return True
    return False


def days_spanned(first: str, last: str) -> int:
    """Calendar days from ``first`` to ``last`` inclusive (a one-day meeting spans 1)."""
    return (date.fromisoformat(last) - date.fromisoformat(first)).days + 1


def hours_between(day: str, start: str, end_day: str, end: str) -> float:
    begin = datetime.fromisoformat(f"{day}T{start}")
    finish = datetime.fromisoformat(f"{end_day}T{end}")
    return (finish - begin).total_seconds() / 3600


def iso(day: str) -> date:
    return date.fromisoformat(day)


def quarter_of(day: str) -> int:
    return (int(day[5:7]) - 1) // 3 + 1
