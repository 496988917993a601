"""Renderers of the one Violation type, picked by name: text, json, github."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

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


_FLIP_WORDS = {"pass": {"zh": "通过", "en": "pass"}, "fail": {"zh": "不通过", "en": "fail"}, "absent": {"zh": "不存在", "en": "absent"}}
_FLIPS_HEAD = {"zh": "规则或结构变化导致判定改变的记录：", "en": "records whose verdict flips with the policy/schema change:"}
_FLIPS_NONE = {"zh": "无法计算判定变化：基准版本的政策文件与当前代码不匹配", "en": "verdict flips unavailable: the base's policies do not fit the current code"}


_PARAMS_HEAD = {"zh": "参数变化（参数，旧值 → 新值，生效日期）：", "en": "parameter changes (parameter, old → new, from date):"}


def _parameter_lines(parameters: Any, lang: str) -> list[str]:
    if not parameters:
        return []
    word = "起" if lang == "zh" else ""
    return [_PARAMS_HEAD[lang]] + [f"    {p.rule}.{p.parameter}：{_brief(p.old)} → {_brief(p.new)}，自 {p.effective}{word}"
                                   if lang == "zh" else f"    {p.rule}.{p.parameter}: {_brief(p.old)} → {_brief(p.new)}, from {p.effective}"
                                   for p in parameters]


def _brief(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:80] + "…"


def _flip_lines(flips: Any, lang: str) -> list[str]:
    if flips is None:
        return [_FLIPS_NONE[lang]]
    if not flips:
        return []
    return [_FLIPS_HEAD[lang]] + [
        f"    {f.path}: {_FLIP_WORDS[f.before][lang]} → {_FLIP_WORDS[f.after][lang]}" for f in flips
    ]


def text(violations: list[Violation], files: int, lang: str, flips: Any = (), changed: Any = (), parameters: Any = ()) -> str:
    lines = []
    for v in violations:
        lines.append(_clean(f"{v.path}:{v.line}:{v.column}: {v.severity.value} {v.rule}{_article(v, lang)} {v.text(lang)}"))
        if v.hint_text(lang):
            lines.append(_clean(f"    {_HINT[lang]}: {v.hint_text(lang)}"))
    lines.extend(_clean(line) for line in _flip_lines(flips, lang))
    lines.extend(_clean(line) for line in _parameter_lines(parameters, lang))
    errors, warnings = _counts(violations)
    lines.append(_SUMMARY[lang].format(files=files, errors=errors, warnings=warnings))
    return "\n".join(lines) + "\n"


def json_report(violations: list[Violation], files: int, lang: str, flips: Any = (), changed: Any = (), parameters: Any = ()) -> str:
    errors, warnings = _counts(violations)
    payload: dict[str, Any] = {
        "ok": errors == 0,
        "files": files,
        "summary": {"errors": errors, "warnings": warnings},
        "violations": [v.to_json(lang) for v in violations],
    }
    if flips is None or flips:
        payload["flips"] = None if flips is None else [{"path": f.path, "before": f.before, "after": f.after} for f in flips]
    if parameters:
        payload["parameters"] = [{"rule": p.rule, "parameter": p.parameter, "old": p.old, "new": p.new, "effective": p.effective}
                                 for p in parameters]
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(violations: list[Violation], files: int, lang: str, flips: Any = (), changed: Any = (), parameters: Any = ()) -> str:
    """GitHub Actions workflow commands: one annotation per violation."""
    lines = []
    for v in violations:
        level = "error" if v.severity is Severity.ERROR else "warning"
        title = _escape_property(f"{v.rule}{_article(v, lang)}")
        body = v.text(lang) + (f" — {v.hint_text(lang)}" if v.hint_text(lang) else "")
        lines.append(
            f"::{level} file={_escape_property(v.path)},line={v.line},col={v.column},title={title}::{_escape_data(body)}"
        )
    for f in flips or ():
        word = f"{_FLIP_WORDS[f.before][lang]} → {_FLIP_WORDS[f.after][lang]}"
        lines.append(f"::notice file={_escape_property(f.path)},title={_escape_property(word)}::{_escape_data(_FLIPS_HEAD[lang] + word)}")
    return "\n".join(lines) + ("\n" if lines else "")


def _unit_of(path: str) -> str:
    parts = path.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "records" else "—"


# Markdown's markup characters as entities: record text in a job summary is shown, never rendered
# as a link, an image, emphasis or HTML (GitHub and GitLab render the summary).
_MD_ESCAPES = {ord(c): f"&#{ord(c)};" for c in "\\`*_[]()!|<>&~"} | {ord("\n"): " ", ord("\r"): " "}


def _md(value: str) -> str:
    return _clean(value).translate(_MD_ESCAPES)


def summary(violations: list[Violation], files: int, lang: str, flips: Any = (), changed: Any = (), parameters: Any = ()) -> str:
    """A Markdown job summary (GitHub's $GITHUB_STEP_SUMMARY, GitLab's MR note): what changed, the
    findings by unit and by article, and the verdicts a policy change flips."""
    errors, warnings = _counts(violations)
    zh = lang == "zh"
    lines = ["## zhixing 检查结果" if zh else "## zhixing check", "",
             (f"检查了 {files} 个文件：**{errors}** 个错误，{warnings} 个警告。" if zh
              else f"{files} files checked: **{errors}** errors, {warnings} warnings."), ""]
    if changed:
        lines += [("### 本次改动的记录（" if zh else "### Records changed (") + f"{len(changed)}" + ("）" if zh else ")"), ""]
        lines += [f"- {_md(path)}" for path in list(changed)[:100]] + [""]
    if violations:
        by_unit = Counter(_unit_of(v.path) for v in violations)
        by_article = Counter(v.article for v in violations)
        lines += ["| 单位 | 问题数 |" if zh else "| unit | findings |", "|---|---|"]
        lines += [f"| {_md(unit)} | {n} |" for unit, n in sorted(by_unit.items())]
        lines += ["", "| 条文 | 问题数 |" if zh else "| article | findings |", "|---|---|"]
        lines += [f"| {f'第{a}条' if a else '格式'} | {n} |" if zh else f"| {a or 'form'} | {n} |"
                  for a, n in sorted(by_article.items(), key=lambda kv: kv[0] or 0)]
        lines += ["", "| 文件 | 行 | 规则 | 说明 |" if zh else "| file | line | rule | message |", "|---|---|---|---|"]
        lines += [f"| {_md(v.path)} | {v.line} | {v.rule}{_article(v, lang)} | {_md(v.text(lang))} |" for v in violations]
    for block in (_flip_lines(flips, lang), _parameter_lines(parameters, lang)):
        if block:
            lines += ["", "### " + block[0]] + [f"- {_md(line.strip())}" for line in block[1:]]
    return "\n".join(lines) + "\n"


REPORTERS: dict[str, Callable[..., str]] = {
    "text": text,
    "json": json_report,
    "github": github,
    "summary": summary,
}
