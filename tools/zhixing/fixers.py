"""`zhixing fix FILE...`: the fixes that are certain, applied in place (a pre-commit hook).

Line endings CRLF → LF, trailing white space removed, a final newline added, and a full-width colon
“：” after a field name replaced by “: ” (found by loading.typing_mistakes, so block text and
comments are never touched). Anything less certain is left to the clerk, with its message.
"""

from __future__ import annotations

from pathlib import Path

from zhixing.loading import read_text, typing_mistakes


def fix_text(text: str) -> tuple[str, list[str]]:
    """The fixed text and what was fixed (Chinese, one phrase each)."""
    done: list[str] = []
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        done.append("换行符改为 LF")
    lines = text.split("\n")
    colons = {(v.line, v.column) for v in typing_mistakes(text, "") if v.rule == "yaml.fullwidth-colon"}
    for number, column in sorted(colons):
        line = lines[number - 1]
        head, tail = line[: column - 1].rstrip(" "), line[column:].lstrip(" ")
        lines[number - 1] = f"{head}: {tail}" if tail else f"{head}:"
    if colons:
        done.append(f"{len(colons)} 处中文冒号改为英文冒号")
    stripped = [line.rstrip(" \t") for line in lines]
    if stripped != lines:
        done.append("删除行尾空白")
    text = "\n".join(stripped)
    if text and not text.endswith("\n"):
        text += "\n"
        done.append("文件末尾加换行")
    while text.endswith("\n\n"):
        text = text[:-1]
    return text, done


def fix_file(path: Path, max_bytes: int) -> list[str]:
    text, problem = read_text(path, str(path), max_bytes)
    if text is None:
        return []  # unreadable files are reported by the checks, not "fixed"
    fixed, done = fix_text(text)
    if fixed != text:
        path.write_text(fixed, encoding="utf-8", newline="\n")
    return done
