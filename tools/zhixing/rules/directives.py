"""Directive rules: Art. 2 (upper decisions presented the same day, studied within three days)."""

from __future__ import annotations

from collections.abc import Iterator

from zhixing.policies import RulePolicy
from zhixing.records import Corpus, Finding, Record
from zhixing.rulebook import rule
from zhixing.rules.common import iso


@rule("directive.presented-same-day")
def presented_same_day(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """Presented to the principal leader within ``max_days`` of receipt.

    PASS: received and presented on 2019-01-07. FAIL: presented on 2019-01-08.
    """
    received, presented = rec.get("received_on"), rec.get("presented_on")
    if not presented:
        yield rec.finding("received_on", "missing")
    elif (iso(presented) - iso(received)).days > policy.value("max_days", rec.date):
        yield rec.finding("presented_on", received=received, presented=presented)


@rule("directive.studied-within")
def studied_within(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """The leadership team studies it within ``max_days`` calendar days of receipt.

    PASS: received 01-07, studied 01-10. FAIL: studied 01-11, or not at all by today.
    """
    limit = policy.value("max_days", rec.date)
    received, studied = rec.get("received_on"), rec.get("studied_on")
    if studied:
        if (iso(studied) - iso(received)).days > limit:
            yield rec.finding("studied_on", received=received, studied=studied, limit=limit)
    elif (iso(corpus.today) - iso(received)).days > limit:
        yield rec.finding("received_on", "missing", limit=limit)


@rule("directive.implementing-document")
def implementing_document(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """A required implementing document is submitted by the upper deadline.

    PASS: deadline 03-31, submitted 03-22. FAIL: submitted 04-01, or unsubmitted after the deadline.
    """
    if not rec.get("implementing_document_required"):
        return
    deadline, submitted = rec.get("upper_deadline"), rec.get("submitted_on")
    if not deadline:
        yield rec.finding("implementing_document_required", "no-deadline")
    elif submitted:
        if submitted > deadline:
            yield rec.finding("submitted_on", submitted=submitted, deadline=deadline)
    elif corpus.today > deadline:
        yield rec.finding("upper_deadline", "missing", deadline=deadline, today=corpus.today)
