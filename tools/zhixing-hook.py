"""Runs the repository's own zhixing for a pre-commit hook, on Linux, macOS and Windows alike.

pre-commit starts this file with a Python of its own (``language: python``); it hands the
command to the project's virtual environment (``.venv/bin/python`` or ``.venv\\Scripts\\python.exe``),
or, failing that, to a zhixing installed in the Python running it. No POSIX path is hard-coded in the
hook configuration.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CANDIDATES = (ROOT / ".venv" / "bin" / "python", ROOT / ".venv" / "Scripts" / "python.exe")


def main(argv: list[str]) -> int:
    for python in CANDIDATES:
        if python.exists():
            return subprocess.call([str(python), "-m", "zhixing", *argv])
    try:
        from zhixing.cli import main as zhixing_main
    except ImportError:
        sys.stderr.write("zhixing：没有找到项目的虚拟环境 .venv。先安装：make venv；Windows（PowerShell）："
                         "py -m venv .venv，然后 .venv\\Scripts\\pip install -c requirements.lock -e .[test]\n")
        return 2
    return zhixing_main(argv)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
