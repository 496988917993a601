"""`zhixing hygiene FILE...`: YAML hygiene for any YAML file of the repository (pre-commit).

Valid UTF-8, parses, no duplicate keys, no tab indentation (all three reported by loading's own
checks, with the same messages), no trailing white space, a final newline. Configuration files
(mkdocs.yml, CI files) may use anchors and tags; records may not, and ``zhixing check`` holds them
to that.
"""

from __future__ import annotations

from pathlib import Path

from zhixing.diagnostics import Violation
from zhixing.loading import LoadLimits, read_text, scan_yaml_text
from zhixing.messages import engine_violation


def check_file(path: Path, shown: str, limits: LoadLimits) -> list[Violation]:
    text, problem = read_text(path, shown, limits.max_bytes)
    if problem is not None or text is None:
        return [problem] if problem else []
    out: list[Violation] = []
    for number, text_line in enumerate(text.splitlines(), start=1):
        if text_line.rstrip() != text_line:
            out.append(engine_violation(shown, number, len(text_line.rstrip()) + 1, "yaml.trailing-space"))
    if text and not text.endswith("\n"):
        out.append(engine_violation(shown, text.count("\n") + 1, 1, "yaml.final-newline"))
    return out + scan_yaml_text(text, shown, limits)
