"""Recurring obligations (obligations.py): states, periods, the records period, completeness,
the ledger of duties, and a single-record check agreeing with the full check."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from zhixing import obligations
from zhixing.engine import Engine

BASE = FIXTURES / "meeting/valid/obligations-2019-last-day"


def _duties(engine: Engine, today: str, paths: list[Path] | None = None) -> dict[tuple[str, str, str], str]:
    result = engine.check(paths, today=today)
    out = {}
    for policy in engine.policies.rules.values():
        if policy.obligation:
            for duty in obligations.duties(result.corpus, policy):
                out[(duty.rule, duty.owner, duty.period.label)] = duty.state
    return out


def test_states_as_of_today(engine: Engine) -> None:
    """未到期 before the deadline, 已完成 with the record, 逾期 after it without one."""
    before = _duties(engine, "2019-12-31", [BASE])
    assert before[("meeting.execution-study", "jiaoyuju", "2019")] == obligations.MET
    assert before[("meeting.conduct-review", "xianzhengfu", "2019")] == obligations.NOT_DUE  # its record is dated 2020
    assert before[("meeting.conduct-deployment", "xianzhengfu", "2019")] == obligations.MET
    missing = FIXTURES / "meeting/invalid/execution-study"
    assert _duties(engine, "2019-12-31", [missing])[("meeting.execution-study", "jiaoyuju", "2019")] == obligations.NOT_DUE
    assert _duties(engine, "2020-01-01", [missing])[("meeting.execution-study", "jiaoyuju", "2019")] == obligations.MISSED
    late = FIXTURES / "document/invalid/public-enterprise-disclosure"
    assert _duties(engine, "2020-02-01", [late])[("document.public-enterprise-disclosure", "jiaoyuju", "2019-12-31")] == obligations.MET_LATE


def test_loose_files_against_the_repository_registry_judge_no_unit_duty(engine: Engine) -> None:
    """Checking a few files outside records/ says nothing about duties nobody recorded: the
    repository's 30 units are not charged with 2019 because one fixture lacks their meetings."""
    fixture = FIXTURES / "meeting/valid/topic-hours-4h.yaml"
    result = engine.check([fixture], today="2020-06-01")
    assert not result.corpus.complete
    assert not [v for v in result.violations if v.finding and "@units/" in v.finding]


def test_duties_outside_the_records_period_are_not_judged(repo_copy: Path) -> None:
    settings = repo_copy / "policies/settings.yaml"
    engine = Engine(repo_copy)
    years = {label for (_, _, label) in _duties(engine, "2026-11-29")}
    assert years and all(label.startswith("2019") for label in years), years
    settings.write_text(settings.read_text(encoding="utf-8").replace('  to: "2019-12-31"\n', ""), encoding="utf-8")
    opened = _duties(Engine(repo_copy), "2021-06-01")
    assert ("meeting.execution-study", "jiusuozhen", "2020") in opened  # 2020 is judged once the period is open
    assert opened[("meeting.execution-study", "jiusuozhen", "2020")] == obligations.MISSED
    assert ("meeting.execution-study", "jiusuozhen", "2021") in opened
    assert opened[("meeting.execution-study", "jiusuozhen", "2021")] == obligations.NOT_DUE


def test_a_unit_answers_for_a_period_it_exists_at_the_end_of(repo_copy: Path) -> None:
    engine = Engine(repo_copy)
    owners = {owner for (rule, owner, _) in _duties(engine, "2026-11-29") if rule == "meeting.execution-study"}
    assert "lvyouwei" not in owners  # dissolved 2019-03-15
    assert {"jiusuozhen", "xianzhengfu", "zhengfuban", "lvwenju"} <= owners
    assert "xianwei" not in owners  # the 县委 is not a unit of the county government


def test_period_labels() -> None:
    assert [p.label for p in obligations.periods_of_year(2019, "每季度")] == ["2019-Q1", "2019-Q2", "2019-Q3", "2019-Q4"]
    assert [(p.start, p.end) for p in obligations.periods_of_year(2020, "每半年")] == [
        ("2020-01-01", "2020-06-30"), ("2020-07-01", "2020-12-31")]
    assert obligations.label_date("2019-Q4") == "2019-12-31" and obligations.label_date("2019-H1") == "2019-06-30"
    assert obligations.label_date("2019-12-31") == "2019-12-31" and obligations.label_date("2019") == "2019-12-31"
    assert obligations.label_date("garbage") == "" and obligations.label_date("2019-Q9") == ""
    assert obligations.period_of("2019-H2").zh == "2019 年下半年"


def test_the_ledger_holds_duties_and_refuses_bogus_ones(repo_copy: Path) -> None:
    """A duty's finding id names the unit and period; a registration naming a period that is no
    period, or a unit not in the registry, is refused like any unknown finding; a unit never
    registers its own."""
    engine = Engine(repo_copy)
    result = engine.check()
    entry = result.ledger.by_id["meeting.execution-study@units/jiusuozhen/2019"]  # type: ignore[union-attr]
    assert entry.unit == "jiusuozhen" and entry.date == "2019-12-31" and entry.status == "已问责" and entry.article == 44
    late = result.ledger.by_id["document.public-enterprise-disclosure@units/lvwenju/2019-12-31"]  # type: ignore[union-attr]
    assert late.status == "已整改（销号）" and late.current
    folder = repo_copy / "records/jiusuozhen/registrations"
    folder.mkdir(parents=True)
    (folder / "2020-dj-09.yaml").write_text(
        "id: 2020-dj-09\nunit: jiusuozhen\nvisibility: public\nregistered_on: '2020-01-11'\nfindings:\n"
        "  - meeting.execution-study@units/jiusuozhen/2019\n  - meeting.execution-study@units/jiusuozhen/2019-Q7\n"
        "  - meeting.execution-study@units/nosuchunit/2019\ndescription: 自行登记\nhandling: 说明情况\nresponsible_unit: jiusuozhen\n",
        encoding="utf-8")
    found = {(v.rule, v.line) for v in Engine(repo_copy).check().violations if v.path.endswith("2020-dj-09.yaml")}
    assert found == {("registration.office", 6), ("registration.duplicate", 6), ("registration.unknown-finding", 7),
                     ("registration.unknown-finding", 8)}


def test_checking_one_meeting_gives_the_full_checks_duty_verdicts_for_its_unit(repo_copy: Path) -> None:
    """The pre-commit case: one meeting loads its unit's partition (issue 15), so every duty its unit
    owes gets the same verdict as in the full check, and no other unit's duty is judged from a part."""
    meeting = next((repo_copy / "records/caizhengju/meetings").glob("*-zhixingli.yaml"))
    meeting.unlink()  # 财政局 now misses 2019's study
    engine = Engine(repo_copy)
    full = {v.finding for v in engine.check(today="2026-11-29").violations if v.rule == "meeting.execution-study"}
    assert "meeting.execution-study@units/caizhengju/2019" in full
    for unit in ("caizhengju", "baoyouzhen", "jiaoyuju"):
        other = next((repo_copy / f"records/{unit}/meetings").glob("*.yaml"))
        alone = {v.finding for v in engine.check([other], today="2026-11-29").violations if v.rule == "meeting.execution-study"}
        assert alone == {f for f in full if f.startswith(f"meeting.execution-study@units/{unit}/")}, unit


def test_rules_json_lists_the_new_articles_with_their_obligations() -> None:
    proc = subprocess.run([sys.executable, "-m", "zhixing", "--root", str(ROOT), "rules", "--format", "json"],
                          capture_output=True, text=True, check=True)
    articles = {a["article"]: a for a in json.loads(proc.stdout)["articles"]}
    for number in (24, 29, 30, 33, 40, 41, 44):
        assert articles[number]["checkable"] and articles[number]["rules"], number
        assert articles[number]["unchecked_parts"], number  # what is still not checked, and why
    study = next(r for r in articles[44]["rules"] if r["id"] == "meeting.execution-study")
    assert study["obligation"]["owed_by"]["unit_types"] and study["parameters"]["period"]["value"] == "每年"
    assert study["examples"]["pass"] and study["examples"]["fail"]
    assert {r["id"] for r in articles[30]["rules"]} == {"lawsuit.cause", "lawsuit.accountability", "lawsuit.no-personal-data"}
    personal = next(r for r in articles[30]["rules"] if r["id"] == "lawsuit.no-personal-data")
    assert personal["parameters"]["patterns"]["value"]  # Art. 43's patterns, written once


@pytest.mark.parametrize("bad, message", [
    ('values: {"2019-03-20": 每年}', 'values: {"2019-03-20": 每周}'),
    ('values: {"2019-03-20": 0}', 'values: {"2019-03-20": "13-45"}'),
])
def test_a_broken_obligation_is_a_configuration_error(repo_copy: Path, bad: str, message: str) -> None:
    article = repo_copy / "policies/articles/article-44.yaml"
    article.write_text(article.read_text(encoding="utf-8").replace(bad, message), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "zhixing", "--root", str(repo_copy), "check"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "meeting.execution-study" in proc.stderr and "Traceback" not in proc.stderr
