"""Shared helpers: the repository root, one Engine per session, temporary repository copies."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from zhixing.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
# The parse cache of every zhixing the tests start goes to a private folder, not the user's.
os.environ.setdefault("ZHIXING_CACHE_DIR", tempfile.mkdtemp(prefix="zhixing-cache-"))
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine(ROOT)


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A private copy of policies/, schemas/ and records/ to break or extend."""
    from gitrepo import copy_repository

    return copy_repository(tmp_path / "repo")


# Fixtures are judged as of this date unless one of their files says "# today: YYYY-MM-DD":
# rules about deadlines (overdue items, unpublished decisions) must not drift with the clock.
FIXTURE_TODAY = "2019-06-01"


def fixture_today(fixture: Path) -> str:
    files = [fixture] if fixture.is_file() else sorted(fixture.rglob("*.yaml"))
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# today:"):
                return line.removeprefix("# today:").split()[0]
    return FIXTURE_TODAY


def expectations(path: Path) -> set[tuple[str, int]]:
    """The ``# expect: RULE LINE`` comments of a fixture file."""
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            rule, number = line.removeprefix("# expect:").split()
            out.add((rule, int(number)))
    return out


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per session from a copy of the repository plus test records."""
    from sitebuild import build_site

    return build_site(tmp_path_factory.mktemp("site") / "repo")


# The real-git-repository fixtures (tests/gitrepo.py), for every test module.
from gitrepo import repo, shared_repo  # noqa: E402, F401
