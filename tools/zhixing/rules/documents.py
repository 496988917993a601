"""Document rules: Art. 14 (annual plan), 15 (supporting documents, headers), 16 (length).
Art. 17's quarterly bulletins are an obligation (obligations.py, policies/articles/article-17.yaml)."""

from __future__ import annotations

from collections.abc import Iterator

from zhixing.policies import RulePolicy
from zhixing.privacy import quote
from zhixing.records import Corpus, Finding, Record
from zhixing.rulebook import rule
from zhixing.rules.common import approved, cited_plan
from zhixing.wordcount import count


@rule("document.plan-item", reads=("document-plan", "approval"))
def plan_item(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """A 下行文 in the name of 县政府 or 县政府办公室 cites an item of that year's approved plan.

    PASS: cites item p03 of the 2019 县政府 plan approved before signing. FAIL: cites nothing,
    an unknown item, or another issuer's or year's plan — unless an approval exempts it.
    """
    issuer = rec.get("issuer")
    if issuer not in policy.value("issuers", rec.date) or rec.get("direction") not in policy.value("directions", rec.date):
        return
    finding = _plan_problem(rec, corpus)
    if finding is not None and not approved(rec, policy, corpus):
        yield finding


def _plan_problem(rec: Record, corpus: Corpus) -> Finding | None:
    year, issuer, cited = rec.year, rec.get("issuer"), rec.get("plan_item")
    if not cited:
        return rec.finding("direction", issuer=issuer, year=year)
    plan, problem = cited_plan(rec, corpus, "document-plan")
    if plan is None or problem is not None:
        return problem
    if plan.get("year") != year or plan.get("issuer") != issuer:
        return rec.finding(("plan_item", "plan"), "wrong-plan", plan_year=quote(plan, "year"),
                           plan_issuer=quote(plan, "issuer"), year=year, issuer=issuer)
    if plan.date > rec.date:
        return rec.finding(("plan_item", "plan"), "plan-later", approved_on=quote(plan, "approved_on"), signed_on=rec.date)
    return None


@rule("document.supporting-basis")
def supporting_basis(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """A 配套文件 cites the upper-level requirement for it.

    PASS: ``supporting`` names 琼府〔2019〕21号 and its requirement. FAIL: no ``supporting``.
    """
    if rec.get("supporting_document") and not rec.get("supporting"):
        yield rec.finding("supporting_document")


@rule("document.red-header")
def red_header(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """(Advisory) a departmental red-header document says why a white header would not serve.

    PASS: 白头, or 红头 with ``red_header_reason``. FAIL: 红头 without a reason.
    """
    if rec.get("issuer") in policy.value("issuers", rec.date) and rec.get("header") == "红头":
        if not rec.get("red_header_reason"):
            yield rec.finding("header")


@rule("document.length")
def length(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """The body stays within the limit for its category, counted as Word's 字数.

    PASS: a special-task document of 4000 字. FAIL: 4001 字.
    """
    if rec.get("issuer") not in policy.value("issuers", rec.date) or rec.body is None:
        return
    limits = policy.value("max_characters", rec.date)
    category = rec.get("category")
    if category not in limits:
        return
    characters = count(rec.body)
    if characters > limits[category]:
        yield rec.finding("body_file", count=characters, category=category, limit=limits[category])


@rule("document.speech-bulletin")
def speech_bulletin(rec: Record, policy: RulePolicy, corpus: Corpus) -> Iterator[Finding]:
    """The 《内部情况通报》 carries only county government leaders' speeches at important meetings.

    PASS: the 县长's speech at the economic work conference. FAIL: no speech, or a bureau chief's.
    """
    if rec.get("category") != policy.term("bulletin_speech_category"):
        return
    speech = rec.get("speech")
    if not speech:
        yield rec.finding("category")
    elif speech["speaker_post"] not in policy.value("leader_posts", rec.date):
        yield rec.finding(("speech", "speaker_post"), "not-leader", post=speech["speaker_post"])
