"""Renderers of the one Violation type, picked by name: text, json, github, summary.

With ``check --base`` each compliance finding carries whether the change introduced it (本次新增)
or it was there before (已有); every renderer keeps the two apart, and lists the reviewer's view of
the edited records (fields old → new, the revision's reason, withdrawals, verdict changes)."""

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
    warnings = sum(v.severity is Severity.WARNING for v in violations)
    return errors, warnings


_CHANGE = {"new": {"zh": "本次新增", "en": "new"}, "existing": {"zh": "已有", "en": "existing"},
           "policy": {"zh": "政策改动新增", "en": "added by the policy change"}}


def _change(v: Violation) -> str | None:
    return (v.ledger or {}).get("change")


def _tag(v: Violation, lang: str) -> str:
    """[本次新增] / [已有] and the ledger status, for compliance findings."""
    parts = []
    if _change(v):
        parts.append(_CHANGE[_change(v) or "new"][lang])
    status = (v.ledger or {}).get("status")
    if status and v.finding:
        parts.append(status)
    return f" [{'，'.join(parts) if lang == 'zh' else ', '.join(parts)}]" if parts else ""


def _ordered(violations: list[Violation]) -> list[Violation]:
    """Integrity problems and new findings first, then what the base already had."""
    return sorted(violations, key=lambda v: (_change(v) == "existing", v))


_VERDICT = {"pass": {"zh": "符合", "en": "pass"}, "fail": {"zh": "有问题", "en": "fail"}}
_EDITS_HEAD = {"zh": "本次修改的已合并记录：", "en": "merged records this change edits:"}


def _edit_lines(edits: Any, lang: str, units: dict[str, str]) -> list[str]:
    if not edits:
        return []
    zh = lang == "zh"
    lines = [_EDITS_HEAD[lang]]
    for e in edits:
        unit = units.get(e.path.split("/")[1], "") if e.path.count("/") >= 3 else ""
        head = f"    {e.path}" + (f"（{unit}）" if unit and zh else f" ({unit})" if unit else "")
        if e.before and e.after and e.before != e.after:
            flip = f"{_VERDICT[e.before][lang]} → {_VERDICT[e.after][lang]}"
            head += f"  ⚠ 判定改变：{flip}" if zh else f"  ⚠ verdict changes: {flip}"
        lines.append(head)
        for name, old, new in e.fields:
            lines.append(f"        {name}: {old} → {new}")
        if e.reason:
            lines.append(f"        {'修改原因' if zh else 'reason'}: {e.reason}")
        if e.withdrawn:
            lines.append(f"        {'撤回' if zh else 'withdrawn'}: {e.withdrawn}")
    return lines


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


def text(violations: list[Violation], files: int, lang: str, flips: Any = (), changed: Any = (), parameters: Any = (),
         edits: Any = (), units: Any = None, **_: Any) -> str:
    lines = []
    for v in _ordered(violations):
        lines.append(_clean(f"{v.path}:{v.line}:{v.column}: {v.severity.value} {v.rule}{_article(v, lang)}{_tag(v, lang)} {v.text(lang)}"))
        if v.hint_text(lang):
            lines.append(_clean(f"    {_HINT[lang]}: {v.hint_text(lang)}"))
    lines.extend(_clean(line) for line in _edit_lines(edits, lang, units or {}))
    lines.extend(_clean(line) for line in _flip_lines(flips, lang))
    lines.extend(_clean(line) for line in _parameter_lines(parameters, lang))
    errors, warnings = _counts(violations)
    lines.append(_SUMMARY[lang].format(files=files, errors=errors, warnings=warnings))
    return "\n".join(lines) + "\n"


def json_report(violations: list[Violation], files: int, lang: str, flips: Any = (), changed: Any = (), parameters: Any = (),
                edits: Any = (), units: Any = None, **_: Any) -> str:
    errors, warnings = _counts(violations)
    payload: dict[str, Any] = {
        "ok": errors == 0,
        "files": files,
        "summary": {"errors": errors, "warnings": warnings},
        "violations": [v.to_json(lang) for v in violations],
    }
    if flips is None or flips:
        payload["flips"] = None if flips is None else [{"path": f.path, "before": f.before, "after": f.after} for f in flips]
    if edits:
        payload["edits"] = [{"path": e.path, "fields": [{"field": f, "old": o, "new": n} for f, o, n in e.fields],
                             "reason": e.reason, "withdrawn": e.withdrawn or None, "before": e.before, "after": e.after}
                            for e in edits]
    if parameters:
        payload["parameters"] = [{"rule": p.rule, "parameter": p.parameter, "old": p.old, "new": p.new, "effective": p.effective}
                                 for p in parameters]
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(violations: list[Violation], files: int, lang: str, flips: Any = (), changed: Any = (), parameters: Any = (),
           edits: Any = (), units: Any = None, **_: Any) -> str:
    """GitHub Actions workflow commands: one annotation per violation (what the base already had,
    or what is registered, as a notice)."""
    lines = []
    for v in _ordered(violations):
        level = "error" if v.severity is Severity.ERROR else "warning" if v.severity is Severity.WARNING and _change(v) != "existing" else "notice"
        title = _escape_property(f"{v.rule}{_article(v, lang)}")
        body = _tag(v, lang).strip() + " " * bool(_tag(v, lang)) + v.text(lang) + (f" — {v.hint_text(lang)}" if v.hint_text(lang) else "")
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


def summary(violations: list[Violation], files: int, lang: str, flips: Any = (), changed: Any = (), parameters: Any = (),
            edits: Any = (), units: Any = None, **_: Any) -> str:
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
    names = units or {}
    # registered findings the base had are counted only; one this change brings stays listed with its
    # registration (its status says which)
    registered = [v for v in violations if v.severity is Severity.INFO and _change(v) != "new"]
    violations = [v for v in violations if v.severity is not Severity.INFO or _change(v) == "new"]
    lines += _office_lines(violations, names, lang)
    if registered:
        lines += [(f"另有 {len(registered)} 个已登记的问题（见问题清单）。" if zh else f"{len(registered)} more findings are registered (see the ledger)."), ""]
    edit_lines = _edit_lines(edits, lang, names)
    if edit_lines:
        lines += ["### " + edit_lines[0], ""] + [f"- {_md(line.strip())}" if line.startswith("    ") and not line.startswith("        ")
                                                 else f"    - {_md(line.strip())}" for line in edit_lines[1:]] + [""]
    if violations:
        by_unit = Counter(_unit_of(v.path) for v in violations)
        by_article = Counter(v.article for v in violations)
        lines += ["| 单位 | 问题数 |" if zh else "| unit | findings |", "|---|---|"]
        lines += [f"| {_md(names.get(unit, unit))} | {n} |" for unit, n in sorted(by_unit.items())]
        lines += ["", "| 条文 | 问题数 |" if zh else "| article | findings |", "|---|---|"]
        lines += [f"| {f'第{a}条' if a else '格式'} | {n} |" if zh else f"| {a or 'form'} | {n} |"
                  for a, n in sorted(by_article.items(), key=lambda kv: kv[0] or 0)]
        groups = [("", [v for v in violations if _change(v) != "existing"])]
        if any(_change(v) for v in violations):
            groups = [(("### 本次新增的问题" if zh else "### Introduced by this change"), groups[0][1]),
                      (("### 已有的问题（不因本次改动失败）" if zh else "### Already there (not failing this change)"),
                       [v for v in violations if _change(v) == "existing"])]
        for head, group in groups:
            if head:
                lines += ["", head]
            if not group:
                lines += ["", "无。" if zh else "None."]
                continue
            lines += ["", "| 文件 | 行 | 规则 | 状态 | 说明 | 提示 |" if zh else "| file | line | rule | status | message | hint |",
                      "|---|---|---|---|---|---|"]
            lines += [f"| {_md(v.path)} | {v.line} | {v.rule}{_article(v, lang)} | {_md(_tag(v, lang).strip(' []'))} | "
                      f"{_md(v.text(lang))} | {_md(v.hint_text(lang))} |" for v in group]
    for block in (_flip_lines(flips, lang), _parameter_lines(parameters, lang)):
        if block:
            lines += ["", "### " + block[0]] + [f"- {_md(line.strip())}" for line in block[1:]]
    return "\n".join(lines) + "\n"


def _office_lines(violations: list[Violation], names: dict[str, str], lang: str) -> list[str]:
    """For each office, the new findings it must register after the merge, each with a ready command."""
    todo: dict[str, list[Violation]] = {}
    for v in violations:
        if v.finding and _change(v) == "new" and (v.ledger or {}).get("status") == "待登记":
            todo.setdefault((v.ledger or {}).get("office", ""), []).append(v)
    zh = lang == "zh"
    lines: list[str] = []
    for office, found in sorted(todo.items()):
        name = names.get(office, office) or ("监督部门" if zh else "the office")
        lines += [(f"### 需要{_md(name)}登记：{len(found)} 条（合并后进入问题清单，待登记）" if zh
                   else f"### For {_md(name)} to register: {len(found)} (on merge they enter the list as unregistered)"), "",
                  "| 单位 | 记录 | 问题 | 事实指纹 | 登记命令 |" if zh else "| unit | record | finding | fact | command |",
                  "|---|---|---|---|---|"]
        lines += [f"| {_md(names.get(_unit_of(v.path), _unit_of(v.path)))} | {_md(v.path)} | {_md(v.text(lang))} | {v.fact or ''} | "
                  f"`zhixing register {v.finding} --handling 说明情况` |" for v in found]
        lines.append("")
    return lines


# -- the forges' own formats ------------------------------------------------------------------------

FINGERPRINT_KEY = "zhixingFinding/v1"


def fingerprint(v: Violation) -> str:
    """A finding's stable identity for the forges: the ledger's id (rule@kind/record/where) for a
    compliance finding, so inserting unrelated lines above it changes nothing; for an integrity
    problem its rule, file and message (no line numbers)."""
    import hashlib

    key = v.finding or f"{v.rule}|{v.path}|{v.message.get('zh', '')}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SARIF_CAP = 4500  # results in one upload: below GitHub's 5,000, which it would refuse or cut silently
_BASELINE = {"new": "new", "existing": "unchanged", "policy": "unchanged"}


def sarif(violations: list[Violation], files: int, lang: str, catalog: Any = None, **_: Any) -> str:
    """SARIF 2.1.0 as GitHub code scanning documents it: alerts keyed on
    ``partialFingerprints.primaryLocationLineHash`` (the ledger id's digest, so an alert follows its
    finding across unrelated edits); registered findings left out (GitHub ignores ``suppressions``:
    they are not open alerts); ``baselineState`` under ``--base``; each rule described in the run's one
    language with ``helpUri`` to its article page when the site's address is set; URIs percent-encoded;
    at most SARIF_CAP results, with a notification saying how many were left out."""
    from urllib.parse import quote

    catalog = catalog or {}
    shown = [v for v in violations if not (v.severity is Severity.INFO and (v.ledger or {}).get("registration"))]
    capped = shown[:SARIF_CAP]
    used = sorted({v.rule for v in capped})
    index = {rule: i for i, rule in enumerate(used)}
    zh = lang == "zh"
    rules = []
    for rule in used:
        meta = catalog.get(rule, {})
        title = (meta.get("title_zh") if zh else meta.get("title_en")) or meta.get("title_zh") or rule
        described: dict[str, Any] = {
            "id": rule,
            "name": rule.replace(".", "/"),
            "shortDescription": {"text": title},
            "fullDescription": {"text": (f"第{meta['article']}条：" if zh else f"Art. {meta['article']}: ") + title
                                if meta.get("article") else title},
            "help": {"text": (meta.get("help_zh") if zh else meta.get("help_en")) or title},
            "properties": {"article": meta.get("article"), "kind": meta.get("kind"),
                           "tags": ["compliance" if meta.get("article") and meta.get("kind") else "integrity"]},
        }
        if meta.get("help_uri"):
            described["helpUri"] = meta["help_uri"]
        rules.append(described)
    results = []
    for v in capped:
        digest = fingerprint(v)
        result: dict[str, Any] = {
            "ruleId": v.rule,
            "ruleIndex": index[v.rule],
            "level": _SARIF_LEVEL[v.severity],
            "message": {"text": v.text(lang) + (f"（{v.hint_text(lang)}）" if v.hint_text(lang) else "")},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": quote(v.path), "uriBaseId": "%SRCROOT%"},
                                                "region": {"startLine": max(v.line, 1), "startColumn": max(v.column, 1)}}}],
            "partialFingerprints": {"primaryLocationLineHash": digest, FINGERPRINT_KEY: digest},
            "properties": {"article": v.article, **({"finding": v.finding} if v.finding else {}), **(v.ledger or {})},
        }
        change = _change(v)
        if change in _BASELINE:
            result["baselineState"] = _BASELINE[change]
        results.append(result)
    run: dict[str, Any] = {"tool": {"driver": {"name": "zhixing", "semanticVersion": _version(), "rules": rules}},
                           "columnKind": "unicodeCodePoints", "language": "zh-CN" if zh else "en", "results": results}
    if len(shown) > len(capped):
        left = len(shown) - len(capped)
        text = (f"结果太多：只上传前 {len(capped)} 个，另有 {left} 个未上传，完整列表见作业摘要和 zhixing check --format json" if zh
                else f"too many results: the first {len(capped)} are uploaded, {left} more are not (see the job summary)")
        run["invocations"] = [{"executionSuccessful": True,
                               "toolExecutionNotifications": [{"level": "warning", "message": {"text": text}}]}]
    log = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _version() -> str:
    from zhixing import __version__

    return __version__


_CODEQUALITY_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def codequality(violations: list[Violation], files: int, lang: str, **_: Any) -> str:
    """GitLab Code Quality (the CodeClimate subset GitLab reads): the merge-request widget shows
    which findings a change adds and which it resolves, by fingerprint."""
    issues = [{
        "type": "issue",
        "check_name": v.rule,
        "description": (f"[第{v.article}条] " if v.article and lang == "zh" else f"[Art. {v.article}] " if v.article else "")
                       + v.text(lang),
        "categories": ["Compliance" if v.finding else "Style"],
        "fingerprint": fingerprint(v),
        "severity": _CODEQUALITY_SEVERITY[v.severity],
        "location": {"path": v.path, "lines": {"begin": max(v.line, 1)}},
    } for v in violations]
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


REPORTERS: dict[str, Callable[..., str]] = {
    "text": text,
    "json": json_report,
    "github": github,
    "summary": summary,
    "sarif": sarif,
    "codequality": codequality,
}
