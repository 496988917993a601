"""Real temporary git repositories of the county's data, for the pull-request tests: the project's
data and hooks, its own history, and the zhixing of this test run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

BIN = Path(sys.executable).parent
PRE_COMMIT_HOME = os.environ.get("ZHIXING_TEST_PRE_COMMIT_HOME") or tempfile.mkdtemp(prefix="pre-commit-home-")
DATA = ("policies", "schemas", "records")
SITE = (*DATA, "docs", "overrides", "tools", "cms")


def copy_repository(target: Path, folders: tuple[str, ...] = DATA) -> Path:
    """A private copy of the repository's folders (with mkdocs.yml when the site's sources come along)
    to break or extend: the one copy loop of the tests."""
    for folder in folders:
        shutil.copytree(ROOT / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
    # The web form's npm packages (make cms) are shared, not copied: 400 MB of them.
    if "cms" in folders and (ROOT / "cms/node_modules").is_dir():
        (target / "cms/node_modules").symlink_to(ROOT / "cms/node_modules")
    if "docs" in folders:
        shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return target


def sh(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    # one pre-commit home for the whole run: the launcher's hook environment is built once
    env = {**os.environ, "PRE_COMMIT_HOME": PRE_COMMIT_HOME, "PATH": f"{BIN}:{os.environ['PATH']}",
           "GIT_AUTHOR_NAME": "办事员", "GIT_AUTHOR_EMAIL": "clerk@example.invalid",
           "GIT_COMMITTER_NAME": "办事员", "GIT_COMMITTER_EMAIL": "clerk@example.invalid"}
    proc = subprocess.run(list(args), cwd=repo, capture_output=True, text=True, env=env, check=False)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def _county(repo: Path) -> Path:
    repo.mkdir()
    copy_repository(repo)
    for name in (".pre-commit-config.yaml", "CODEOWNERS", ".gitignore", "tools/zhixing-hook.py", "cms/config.yml"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, repo / name)
    (repo / ".venv").symlink_to(BIN.parent)
    sh(repo, "git", "init", "-q", "-b", "main")
    sh(repo, "git", "add", "-A")
    sh(repo, "git", "commit", "-q", "-m", "initial records")
    return repo


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A county repository: the project's data and hooks, its own git history, zhixing's venv."""
    repo = _county(tmp_path / "county")
    sh(repo, str(BIN / "pre-commit"), "install")
    return repo


@pytest.fixture(scope="module")
def shared_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One repository for the scaffolding tests, which each add a file of their own."""
    return _county(tmp_path_factory.mktemp("scaffold") / "county")


def zhixing(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return sh(repo, str(BIN / "zhixing"), *args, check=False)
