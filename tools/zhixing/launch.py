"""The process's entry (the ``zhixing`` command, ``python -m zhixing``), light on purpose.

A full check with the cache (``zhixing check``, no paths) is incremental (verdicts.py): it starts by
walking records/ and taking every file's signature, ~0.1 s at 10,000 records. Before the rest of
the tool is imported and started (~0.15 s), this module has a forked child make that listing, so
the two happen at once; the engine takes it (``walking.listing_made_ahead``) where it would have
made it, with the same code (``walking.listing``: the standard library alone, so the child starts
at once). Any other command, any other form of ``check``, a machine without a second core, or a
child that fails: the engine lists as it always did.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

# The options of ``check`` that leave it a full incremental check (with a value; alone).
_VALUED = frozenset({"--format", "--lang", "--today"})
_ALONE = frozenset({"--allow-findings"})


def run() -> None:
    """``zhixing`` with ``sys.argv``; exits the process (cli.run)."""
    import gc

    gc.disable()  # as cli.run: the whole run without the cycle collector
    _start(sys.argv[1:])
    from zhixing import cli

    cli.run()


def full_check_root(argv: list[str]) -> str | None:
    """The ``--root`` of a command line that is a full check with the cache ("" without one), or
    None for any other. Spelled out options only: an abbreviation or anything unknown is None."""
    root, index = "", 0
    while index < len(argv) and argv[index] != "check":
        word = argv[index]
        if word == "--root" and index + 1 < len(argv):
            root, index = argv[index + 1], index + 2
        elif word.startswith("--root="):
            root, index = word.removeprefix("--root="), index + 1
        else:
            return None
    if index == len(argv):
        return None
    for word in (words := iter(argv[index + 1:])):
        name, has_value, _ = word.partition("=")
        if name in _VALUED:
            if not has_value and next(words, None) is None:
                return None
        elif word not in _ALONE:
            return None  # a path, --base, --no-cache, --help, …
    return root


def _start(argv: list[str]) -> None:
    root = full_check_root(argv)
    if root is None:
        return
    from zhixing import forking, walking

    if forking.available():
        walking.made_ahead(forking.Background(lambda: _made(root)))


def _made(root: str) -> list[Any]:
    """In the child: the listing of the repository the check will find (cli: --root, or upwards)."""
    from zhixing import walking

    found = Path(root).resolve() if root else walking.repository_at(Path.cwd())
    if found is None:
        raise LookupError("no repository here: the check says so itself")
    return [str(found / "records"), walking.listing_to_data(walking.listing(found), found)]
