"""Unit-registry rules: Art. 29 (a legal advisor everywhere), Art. 31 (one reconsideration body).

The registry has no date of its own: it is judged as of the check's date (``--today``), on the
units that exist then.
"""

from __future__ import annotations

from collections.abc import Iterator

from zhixing.policies import RulePolicy
from zhixing.records import Corpus, Finding
from zhixing.rulebook import corpus_rule


def _current(corpus: Corpus) -> Iterator[tuple[int, dict]]:
    if corpus.registry is None:
        return
    for index, unit in enumerate(corpus.registry.data.get("units", [])):
        if unit["id"] in corpus.units and corpus.units[unit["id"]].valid_on(corpus.today):
            yield index, unit


@corpus_rule("units.legal-advisor")
def legal_advisor(corpus: Corpus, policy: RulePolicy) -> Iterator[Finding]:
    """Every government unit in existence has a legal advisor.

    PASS: ``legal_advisor: true``. FAIL: a bureau without it.
    """
    if corpus.registry is None or not policy.in_force(corpus.today):
        return
    types = policy.value("unit_types", corpus.today)
    for index, unit in _current(corpus):
        if unit["type"] in types and not unit.get("legal_advisor"):
            yield corpus.registry.finding(("units", index, "id"), unit=unit["name"])


@corpus_rule("units.single-reconsideration-body")
def single_reconsideration_body(corpus: Corpus, policy: RulePolicy) -> Iterator[Finding]:
    """Exactly one unit in existence is the administrative-reconsideration body.

    PASS: the justice bureau alone. FAIL: none, or two.
    """
    if corpus.registry is None or not policy.in_force(corpus.today):
        return
    bodies = [(index, unit) for index, unit in _current(corpus) if unit.get("reconsideration_body")]
    limit = policy.value("count", corpus.today)
    if len(bodies) != limit:
        where = ("units", bodies[limit][0], "reconsideration_body") if len(bodies) > limit else ("units",)
        names = "、".join(unit["name"] for _, unit in bodies) or "—"
        yield corpus.registry.finding(where, count=len(bodies), units=names, limit=limit)
