"""Every fixture says what it proves: valid ones yield nothing, invalid ones exactly their
``# expect: RULE LINE`` pairs. A fixture is a file, or a folder of records checked together
(for the corpus rules: counts per unit and year, approvals)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, expectations, fixture_today
from zhixing.diagnostics import Severity
from zhixing.engine import Engine

VALID = sorted(FIXTURES.glob("*/valid/*"))
# Notes about the repository's own policy data, not about a fixture: the 2019 三月三 days are
# example data (confirmed: false), and any count of working days across them says so once.
POLICY_NOTES = {"calendar.unconfirmed"}
INVALID = sorted(FIXTURES.glob("*/invalid/*"))


def _files(fixture: Path) -> list[Path]:
    return [fixture] if fixture.is_file() else sorted(fixture.rglob("*.yaml"))


def _id(path: Path) -> str:
    return path.relative_to(FIXTURES).as_posix()


@pytest.mark.parametrize("fixture", VALID, ids=_id)
def test_valid_fixture_is_clean(engine: Engine, fixture: Path) -> None:
    result = engine.check([fixture], today=fixture_today(fixture))
    assert [(v.path, v.rule, v.line) for v in result.violations if v.rule not in POLICY_NOTES] == []


@pytest.mark.parametrize("fixture", INVALID, ids=_id)
def test_invalid_fixture_yields_exactly_its_expectations(engine: Engine, fixture: Path) -> None:
    result = engine.check([fixture], today=fixture_today(fixture))
    expected = {(engine.shown(f), rule, line) for f in _files(fixture) for rule, line in expectations(f)}
    assert expected, f"{fixture} declares no '# expect:' line"
    assert {(v.path, v.rule, v.line) for v in result.violations if v.rule not in POLICY_NOTES} == expected


def test_fixture_folders_exist_for_every_record_kind() -> None:
    from zhixing.records import KINDS, REGISTRY_KIND

    for kind in [*KINDS, REGISTRY_KIND]:
        assert list((FIXTURES / kind / "valid").iterdir()), f"no valid fixture for {kind}"
        assert list((FIXTURES / kind / "invalid").iterdir()), f"no invalid fixture for {kind}"


def test_example_records_are_clean(engine: Engine) -> None:
    """No integrity problem, and every compliance finding (the example 2019 ledger) registered."""
    result = engine.check()
    assert [(v.path, v.rule, v.line, v.text("zh")) for v in result.violations
            if v.severity is not Severity.INFO and v.rule not in POLICY_NOTES] == []
    assert {v.rule for v in result.violations if v.severity is Severity.WARNING} == POLICY_NOTES, "the example 三月三 days"
    assert result.ledger is not None and {e.status for e in result.ledger.entries} >= {"已退文", "逾期", "已整改（销号）"}
    assert len(result.checked) >= 70
