"""Renderers of the one Violation type, picked by name: text, json, github."""

from __future__ import annotations

import json
from collections.abc import Callable

from zhixing.diagnostics import Severity, Violation

_SUMMARY = {
    "zh": "检查了 {files} 个文件：{errors} 个错误，{warnings} 个警告",
    "en": "checked {files} files: {errors} errors, {warnings} warnings",
}
_HINT = {"zh": "提示", "en": "hint"}


_CONTROL = {c: f"\\x{c:02x}" for c in range(32) if c not in (9,)} | {127: "\\x7f"}


def _clean(value: str) -> str:
    """Control characters from a record (newlines, ANSI escapes) shown escaped, never obeyed."""
    return value.translate(_CONTROL)


def _article(v: Violation, lang: str) -> str:
    if v.article is None:
        return ""
    return f" [第{v.article}条]" if lang == "zh" else f" [Art. {v.article}]"


def _counts(violations: list[Violation]) -> tuple[int, int]:
    errors = sum(v.severity is Severity.ERROR for v in violations)
    return errors, len(violations) - errors


def text(violations: list[Violation], files: int, lang: str) -> str:
    lines = []
    for v in violations:
        lines.append(_clean(f"{v.path}:{v.line}:{v.column}: {v.severity.value} {v.rule}{_article(v, lang)} {v.text(lang)}"))
        if v.hint_text(lang):
            lines.append(_clean(f"    {_HINT[lang]}: {v.hint_text(lang)}"))
    errors, warnings = _counts(violations)
    lines.append(_SUMMARY[lang].format(files=files, errors=errors, warnings=warnings))
    return "\n".join(lines) + "\n"


def json_report(violations: list[Violation], files: int, lang: str) -> str:
    errors, warnings = _counts(violations)
    payload = {
        "ok": errors == 0,
        "files": files,
        "summary": {"errors": errors, "warnings": warnings},
        "violations": [v.to_json(lang) for v in violations],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(violations: list[Violation], files: int, lang: str) -> str:
    """GitHub Actions workflow commands: one annotation per violation."""
    lines = []
    for v in violations:
        level = "error" if v.severity is Severity.ERROR else "warning"
        title = _escape_property(f"{v.rule}{_article(v, lang)}")
        body = v.text(lang) + (f" — {v.hint_text(lang)}" if v.hint_text(lang) else "")
        lines.append(
            f"::{level} file={_escape_property(v.path)},line={v.line},col={v.column},title={title}::{_escape_data(body)}"
        )
    return "\n".join(lines) + ("\n" if lines else "")


REPORTERS: dict[str, Callable[[list[Violation], int, str], str]] = {
    "text": text,
    "json": json_report,
    "github": github,
}
