"""Meta-tests keep policies, code, fixtures and docs in step: one source, checked copies."""

from __future__ import annotations

import re

from conftest import FIXTURES, ROOT, expectations
from zhixing.engine import Engine


def test_all_45_articles_are_in_policies(engine: Engine) -> None:
    assert sorted(engine.policies.articles) == list(range(1, 46))
    seed = (ROOT.parent / "shared" / "seed" / "000_527887c2684600aa.txt")
    for article in engine.policies.articles.values():
        assert article.text.strip(), article.number
        assert article.checkable == bool(article.rules)
        if not article.checkable:
            assert article.reason and article.tracked_by, article.number
    if seed.exists():  # the regulation itself, beside the project: texts are verbatim
        source = seed.read_text(encoding="utf-8")
        for article in engine.policies.articles.values():
            first = article.text.strip().splitlines()[0]
            assert f"{article.number}.{first}" in source, article.number


def test_every_registered_rule_has_a_policy_and_examples(engine: Engine) -> None:
    """The code registers a rule by id only; its article and kind are policies/'s (one home)."""
    from zhixing.rulebook import examples

    registered = engine.rules
    assert set(registered) == set(engine.policies.rules)
    for rule_id, rule in registered.items():
        policy = engine.policies.rules[rule_id]
        assert rule_id.split(".")[0] in (policy.kind, "record"), rule_id
        assert all(examples(rule.doc)), f"{rule_id} has no PASS and FAIL examples in its docstring"


def test_every_rule_has_an_invalid_fixture(engine: Engine) -> None:
    seen = {rule for path in FIXTURES.glob("*/invalid/**/*.yaml") for rule, _ in expectations(path)}
    missing = sorted(set(engine.policies.rules) - seen)
    assert missing == []


def test_every_message_template_fills_with_its_rule_parameters(engine: Engine) -> None:
    # Each language's template names the same fields, so neither can fail where the other works.
    for rule in engine.policies.rules.values():
        for key, texts in rule.messages.items():
            fields = {lang: set(re.findall(r"{(\w+)}", text)) for lang, text in texts.items()}
            assert fields["zh"] == fields["en"], (rule.id, key)


def test_no_threshold_literal_in_rule_code() -> None:
    # Numbers of the regulation live in policies/; rule modules compare against parameters only.
    for module in (ROOT / "tools" / "zhixing" / "rules").glob("*.py"):
        code = "\n".join(line for line in module.read_text(encoding="utf-8").splitlines()
                         if not line.strip().startswith(("#", '"""')) and "PASS" not in line and "FAIL" not in line)
        for number in ("150", "6000", "5000", "4000", "90"):
            assert not re.search(rf"\b{number}\b", code), f"{module.name} contains {number}"


def test_readme_documents_every_cli_command_and_output_shape() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for needle in ("make serve", "make test", "zhixing check", "zhixing rules", '"violations"', '"articles"'):
        assert needle in readme, needle
    from zhixing.cli import build_parser

    commands = next(a for a in build_parser()._actions if a.dest == "command").choices  # type: ignore[union-attr]
    for command in commands:
        assert f"zhixing {command}" in readme, f"zhixing {command} is not documented in the README"


# design.md's 20 checkable articles, and those issue 17 made checkable: recurring obligations
# (24, 29's yearly spot check, 40, 41, 44), lost lawsuits (30) and the 督查室's remit (33).
DESIGN_CHECKABLE = {2, 3, 7, 11, 12, 13, 14, 15, 16, 17, 18, 19, 23, 28, 29, 31, 34, 35, 36, 43} | {24, 30, 33, 40, 41, 44}
OBLIGATION_ARTICLES = {17, 24, 29, 40, 41, 44}


def test_every_article_design_lists_as_checkable_has_rules(engine: Engine) -> None:
    checkable = {n for n, a in engine.policies.articles.items() if a.checkable}
    assert checkable == DESIGN_CHECKABLE


def test_only_articles_that_allow_it_accept_exceptions(engine: Engine) -> None:
    # Art. 11 "确有必要…报请批准", Art. 14 "原则上", Art. 34 "一般不得"
    assert {r.article for r in engine.policies.rules.values() if r.exception_allowed} == {11, 14, 34}


def test_obligations_are_data_for_their_articles(engine: Engine) -> None:
    """Art. 17, 24, 29, 40, 41, 44 are judged by the one obligation mechanism, and every word an
    obligation looks for is one a record can hold (the schemas' enums)."""
    import json

    obligations = {r.id: r for r in engine.policies.rules.values() if r.obligation}
    assert {r.article for r in obligations.values()} == OBLIGATION_ARTICLES
    from zhixing import obligations as mechanism

    assert all(engine.rules[rule_id].check is mechanism.check for rule_id in obligations)
    topics = set(json.loads((ROOT / "schemas" / "common.schema.json").read_text(encoding="utf-8"))["$defs"]["topics"]["items"]["enum"])
    for rule in obligations.values():
        assert rule.parameters["period"].values, rule.id
        for evidence in rule.obligation["evidence"]:
            for condition in evidence.get("conditions", []):
                if condition["field"].endswith("topics"):
                    assert condition["contains"] in topics, (rule.id, condition)
        # the regulation names no exact window: each obligation's reading is stated in a note
        assert any(p.note for p in rule.parameters.values()), f"{rule.id} explains none of its readings"


def test_no_article_specific_code_for_obligations() -> None:
    """The mechanism names no article, kind or topic: each obligation is policy data."""
    code = (ROOT / "tools" / "zhixing" / "obligations.py").read_text(encoding="utf-8")
    body = code.split('"""', 2)[2]  # past the module docstring
    for word in ("执行力建设", "作风", "bulletin", "document-plan", "meeting", "legal_department", "public_enterprise"):
        assert word not in body, word
