"""The ``zhixing`` command. One exit point: ``main(argv) -> int``.

0 clean, 1 violations, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import difflib
import gc
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from zhixing.diagnostics import Severity, has_errors
from zhixing.engine import ConfigError, Engine, find_root
from zhixing.records import KINDS
from zhixing.reporters import REPORTERS
from zhixing.workdays import CalendarGap

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")  # {name} in a message template

# The subcommands' own modules (git, scaffolding, reports, ruamel for hygiene) are imported by
# the subcommand that needs them: `zhixing check` runs on every commit and starts lean.

EXIT_CLEAN, EXIT_VIOLATIONS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse would call sys.exit(2) itself; we keep one exit point.
        raise _UsageError(message)

    def exit(self, status: int = 0, message: str | None = None) -> None:  # type: ignore[override]
        if message:
            sys.stderr.write(message)
        raise _Exit(status)  # --help: printed, then back to main's single exit


class _UsageError(Exception):
    pass


class _Exit(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


@contextlib.contextmanager
def _argparse_language(lang: str) -> Iterator[None]:
    """argparse's own messages and help headings in Chinese (default) or English (--lang en)."""
    from zhixing.messages import ARGPARSE_ZH

    original = argparse._  # type: ignore[attr-defined]
    if lang != "en":
        argparse._ = lambda text: ARGPARSE_ZH.get(text, text)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = original  # type: ignore[attr-defined]


def _iso_date(text: str) -> str:
    """A date as clerks type it on the command line (workdays.clerk_date)."""
    from zhixing.workdays import clerk_date

    try:
        return clerk_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是有效的日期：{text}（例如 2019-09-10、2019/9/10、2019年9月10日） / "
                                         f"not a date: {text}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="zhixing", description="政府执行力规则检查（条文见 policies/） / policy-as-code checks")
    parser.add_argument("--root", type=Path, help="仓库根目录（默认从当前目录向上查找） / repository root")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = sub.add_parser("check", help="检查记录 / check records")
    check.add_argument("paths", nargs="*", type=Path, help="文件或目录（默认 records/） / files or folders")
    check.add_argument("--format", choices=sorted(REPORTERS), default="text",
                       help="输出格式 / output: text | json | github | summary | sarif（GitHub 代码扫描）| codequality（GitLab）")
    check.add_argument("--lang", choices=["zh", "en"], default="zh")
    check.add_argument("--today", type=_iso_date, help="按这一天判断期限（默认今天） / judge deadlines as of this date")
    check.add_argument("--base", help="检查相对这个 git 版本的改动（本次新增的问题、修改记录、判定改变） / judge the change since this revision")
    check.add_argument("--changed-only", action="store_true", help="与 --base 一起用：只报告改动的记录 / with --base: only the changed records")
    check.add_argument("--no-cache", action="store_true", help="不用解析缓存，全部重新解析 / ignore the parse cache")
    check.add_argument("--allow-findings", action="store_true",
                       help="只有完整性问题才失败：合规问题照常显示，交由合并请求的 CI 把关（pre-commit 钩子用）"
                            " / fail on integrity problems only; compliance findings are shown (the pre-commit hook)")

    rules = sub.add_parser("rules", help="列出条文和规则 / list articles and rules")
    rules.add_argument("--date", type=_iso_date, default=dt.date.today().isoformat(),
                       help="列出这一天生效的参数（默认今天） / parameters in force on this date")
    rules.add_argument("--format", choices=["text", "json"], default="text")
    rules.add_argument("--lang", choices=["zh", "en"], default="zh")

    workdays = sub.add_parser("workdays", help="工作日计算 / working-day arithmetic")
    how = workdays.add_subparsers(dest="how", required=True, parser_class=_Parser)
    latest = how.add_parser("latest-filing", help="最迟报备日期 / the last day to file ahead of a start date")
    latest.add_argument("start", type=_iso_date)
    latest.add_argument("--days", type=int, help="提前的工作日数（默认第34条现行值） / working days ahead")
    after = how.add_parser("add", help="某日之后第 N 个工作日 / the date N working days after a date")
    after.add_argument("date", type=_iso_date)
    after.add_argument("days", type=int)

    hygiene_cmd = sub.add_parser("hygiene", help="YAML 卫生检查 / YAML hygiene for any YAML file")
    hygiene_cmd.add_argument("files", nargs="+", type=Path)
    hygiene_cmd.add_argument("--format", choices=sorted(REPORTERS), default="text")
    hygiene_cmd.add_argument("--lang", choices=["zh", "en"], default="zh")

    template = sub.add_parser("template", help="生成填报用的 Excel 模板 / write an .xlsx template for a record kind")
    template.add_argument("kind", help="类别，可写中文：会议、公文… / meeting, document, …")
    template.add_argument("--out", type=Path, help="输出文件（默认 <类别>模板.xlsx） / output file")

    importer = sub.add_parser("import", help="把 Excel 表格中的行导入为记录 / turn spreadsheet rows into records")
    importer.add_argument("file", type=Path)
    importer.add_argument("--unit", required=True, help="单位编号或名称 / unit id or name")
    importer.add_argument("--kind", help="类别（默认取模板中记录的类别） / kind (default: the template's)")

    fix = sub.add_parser("fix", help="自动改正确定的小问题（换行符、行尾空白、末尾换行、字段名后的中文冒号） / apply certain fixes")
    fix.add_argument("files", nargs="+", type=Path)

    count = sub.add_parser("count", help="统计正文字数 / count 字数 as Word does")
    count.add_argument("files", nargs="+", type=Path)

    new = sub.add_parser("new", help="新建记录 / scaffold a record")
    new.add_argument("kind", help="类别，可写中文：会议、公文、任务分解… / meeting, document, task, …")
    new.add_argument("--unit", required=True, help="单位编号或名称（如 jiaoyuju、县教育局、教育局） / unit id or name")
    new.add_argument("--date", type=_iso_date, default=dt.date.today().isoformat())

    owners = sub.add_parser("codeowners", help="由单位名录生成 CODEOWNERS / generate CODEOWNERS from the registry")
    owners.add_argument("--check", action="store_true", help="CODEOWNERS 与单位名录不一致时失败 / fail when CODEOWNERS has drifted")

    cms = sub.add_parser("cms", help="生成网页填报配置 cms/config.yml / generate the web form's config")
    cms.add_argument("--check", action="store_true", help="配置与 schema、单位名录不一致时失败 / fail when the config is stale")

    findings = sub.add_parser("findings", help="问题清单（登记和处理情况） / the ledger of findings")
    findings.add_argument("--unit", help="单位编号或名称 / unit id or name")
    findings.add_argument("--office", help="登记部门的编号或名称：它登记或应登记的问题（如 --office 县政府办公室 --status 待登记）"
                                           " / the office that registers them")
    findings.add_argument("--article", type=int, help="条文序号 / article number")
    findings.add_argument("--year", type=int, help="年度 / year")
    findings.add_argument("--status", help="状态 / status: 待登记、整改中、逾期、已整改（销号）、已退文、已说明、已问责、不予追究、准予更正")
    findings.add_argument("--format", choices=["text", "json", "csv"], default="text")
    findings.add_argument("--today", type=_iso_date, help="按这一天计算逾期（默认今天） / judge deadlines as of this date")

    register = sub.add_parser("register", help="监督部门登记问题 / the supervising office registers findings",
                              description="例：zhixing register meeting.department-participants@meeting/2019-09-05-anquan/participants"
                                          " --handling 说明情况 --description 经核实……")
    register.add_argument("findings", nargs="+", help="问题编号（zhixing findings --status 待登记 列出） / finding ids")
    register.add_argument("--handling", required=True,
                          help="处理方式：退文、限期整改（需 --due）、说明情况、通报批评、问责、不予追究（需 --reason）、准予更正（需 --reason）")
    register.add_argument("--office", help="登记部门的编号或名称（只有一个部门可以登记时可省略） / the office")
    register.add_argument("--due", type=_iso_date, help="整改时限 / rectification deadline")
    register.add_argument("--reason", help="理由 / reason")
    register.add_argument("--description", help="情况说明（默认取问题的公开说明） / description")
    register.add_argument("--evidence", help="佐证材料 / evidence")
    register.add_argument("--note", help="内部备注（不公开） / an internal note, never published")
    register.add_argument("--today", type=_iso_date, help="登记日期（默认今天） / the registration's date")

    note = sub.add_parser("mr-note", help="把检查摘要发表为合并请求的一条评论并在每次推送时更新（GitLab） / the summary as one sticky MR note",
                          description="例：.venv/bin/zhixing check --base \"$BASE\" --format summary > zhixing-summary.md; "
                                      ".venv/bin/zhixing mr-note zhixing-summary.md（需要 CI 变量 ZHIXING_GITLAB_TOKEN）")
    note.add_argument("file", type=Path, help="摘要文件（zhixing check --format summary 的输出） / the summary file")

    report = sub.add_parser("report", help="第17条季度通报 / the Art. 17 quarterly report")
    report.add_argument("--year", type=int, required=True)
    report.add_argument("--format", choices=["markdown", "json"], default="markdown")
    return parser


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    lang = "en" if any(w in ("--lang=en",) or (w == "en" and i and words[i - 1] == "--lang") for i, w in enumerate(words)) else "zh"
    try:
        with _argparse_language(lang):
            args = build_parser().parse_args(argv)
    except _UsageError as exc:
        print(f"zhixing: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except _Exit as done:
        return done.status
    try:
        if args.command == "count":
            return _count(args)
        if args.command == "fix":
            return _fix(args)
        if args.command == "mr-note":
            return _mr_note(args)
        engine = Engine(args.root.resolve() if args.root else find_root(Path.cwd()))
        command = {"check": _check, "rules": _rules, "workdays": _workdays, "report": _report, "new": _new,
                   "codeowners": _codeowners, "cms": _cms, "hygiene": _hygiene, "findings": _findings, "template": _template,
                   "register": _register,
                   "import": _import}[args.command]
        return command(engine, args)
    except ConfigError as exc:
        print(f"zhixing: 配置错误 / configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except CalendarGap as gap:
        print(f"zhixing: 没有 {gap.year} 年的工作日历 / no working-day calendar for {gap.year}", file=sys.stderr)
        return EXIT_USAGE


def _check(engine: Engine, args: argparse.Namespace) -> int:
    from zhixing.changes import judge_change, judge_findings
    from zhixing.gitops import GitError

    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"zhixing: 路径不存在 / no such path: {', '.join(map(str, missing))}", file=sys.stderr)
        return EXIT_USAGE
    if args.changed_only and not args.base:
        print("zhixing: --changed-only 需要 --base / --changed-only needs --base", file=sys.stderr)
        return EXIT_USAGE
    flips: Any = ()
    change: Any = None
    changed: list[str] = []
    extra: list[Any] = []
    parameters: list[Any] = []
    targets = args.paths or None
    if args.base:
        try:
            change = judge_change(engine, args.base, args.today)
        except GitError as exc:
            print(f"zhixing: git: {exc}", file=sys.stderr)
            return EXIT_USAGE
        extra, flips, changed, parameters = change.violations, change.flips, change.touched, change.parameters
        if args.changed_only:
            targets = [engine.root / p for p in change.changed]
    units: dict[str, str] = {}
    if targets == []:
        violations, files = sorted(extra), 0
    else:
        from zhixing.ledger import relax

        # a change's verdict gates a merge: never taken from the cache (README 安全与隐私)
        result = engine.check(targets, today=args.today, use_cache=not args.no_cache and not args.base, incremental=not args.base)
        violations = sorted(set(result.violations) | set(extra))
        if args.allow_findings:
            violations = relax(violations)
        if args.base:
            shown = set(result.checked) if args.changed_only else None
            violations = sorted(judge_findings(violations, change, result.corpus, engine.policies, shown))
            _verdict_changes(change.edits, change.base_findings, violations)
        files = len(result.checked)
        units = {uid: unit.name for uid, unit in result.corpus.units.items()}
    sys.stdout.write(REPORTERS[args.format](violations, files, args.lang, flips=flips, changed=changed, parameters=parameters,
                                            edits=change.edits if change else (), units=units,
                                            catalog=_catalog(engine) if args.format == "sarif" else None))
    if args.base:
        # A change fails only on integrity problems and laundering (which have no finding id): a new
        # compliance finding is a fact, filed as it is, that the office registers after the merge.
        return EXIT_VIOLATIONS if any(v.severity is Severity.ERROR and not v.finding for v in violations) else EXIT_CLEAN
    return EXIT_VIOLATIONS if has_errors(violations) else EXIT_CLEAN


def _catalog(engine: Engine) -> dict[str, dict[str, Any]]:
    """Each rule's article, kind, titles and help, for the forges' formats (SARIF): the regulation's
    rules from policies/, the engine's own checks from the message catalogue."""
    from zhixing.messages import CATALOG

    out: dict[str, dict[str, Any]] = {}
    site = str(engine.policies.settings.site.get("url") or "").rstrip("/")
    for rule in engine.policies.rules.values():
        out[rule.id] = {"article": rule.article, "kind": rule.kind, "title_zh": rule.title.get("zh", ""),
                        "title_en": rule.title.get("en", ""), "help_zh": rule.hint.get("zh", ""), "help_en": rule.hint.get("en", ""),
                        **({"help_uri": f"{site}/rules/article-{rule.article:02d}/"} if site.startswith("https://") else {})}
    for key, entry in CATALOG.items():
        out.setdefault(key, {"title_zh": _PLACEHOLDER.sub("…", entry["message"]["zh"]),
                             "title_en": _PLACEHOLDER.sub("…", entry["message"]["en"]), "help_zh": entry["hint"]["zh"],
                             "help_en": entry["hint"]["en"]})
    return out


def _verdict_changes(edits: list[Any], base: dict[str, str] | None, violations: list[Any]) -> None:
    """Each edited record's verdict on the base and now: an edit that flips fail → pass is what a
    reviewer must see first (a correction, or a finding laundered away)."""
    now = {v.path for v in violations if v.finding}
    before = set((base or {}).values())
    for edit in edits:
        edit.before = "fail" if edit.path in before else "pass"
        edit.after = "fail" if edit.path in now else "pass"


def _rules(engine: Engine, args: argparse.Namespace) -> int:
    from zhixing.rulebook import listing as rules_listing

    listing = rules_listing(engine.policies, args.date, args.lang)
    if args.format == "json":
        payload = {"date": args.date, "regulation": engine.policies.settings.regulation["number"], "articles": listing}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return EXIT_CLEAN
    zh = args.lang == "zh"
    lines = []
    for entry in listing:
        head = f"第{entry['article']}条 {entry['title']}" if zh else f"Art. {entry['article']} {entry['title']}"
        lines.append(head)
        if not entry["checkable"]:
            lines.append(f"    {'不自动检查' if zh else 'not checked'}: {entry['reason']}")
        for r in entry.get("rules", []):
            lines.append(f"    {r['id']} ({r['severity']}) {r['title']}")
            for name, p in r["parameters"].items():
                lines.append(f"        {name} = {p['value']} {p['unit']}".rstrip())
            for word in ("pass", "fail"):
                if r["examples"][word]:
                    lines.append(f"        {word.upper()}: {r['examples'][word]}")
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_CLEAN


def _workdays(engine: Engine, args: argparse.Namespace) -> int:
    calendar = engine.policies.calendar
    if args.how == "add":
        print(calendar.add_workdays(dt.date.fromisoformat(args.date), args.days).isoformat())
        return EXIT_CLEAN
    days = args.days
    if days is None:
        days = engine.policies.rules["inspection.filed-ahead"].value("min_workdays", args.start)
    print(calendar.latest_filing(dt.date.fromisoformat(args.start), days).isoformat())
    return EXIT_CLEAN


def _fix(args: argparse.Namespace) -> int:
    """Exit 1 when a file was changed (pre-commit then asks for the fixed file to be added again)."""
    from zhixing.fixers import fix_file

    changed = False
    for file in args.files:
        if file.suffix.lower() not in (".yaml", ".yml"):
            continue
        done = fix_file(file, 16 * 1024 * 1024)
        if done:
            changed = True
            print(f"已修正 {file}：{'，'.join(done)}")
    return EXIT_VIOLATIONS if changed else EXIT_CLEAN


def _count(args: argparse.Namespace) -> int:
    from zhixing.bodies import read_body
    from zhixing.wordcount import count

    for file in args.files:
        # the same capped, link-refusing read as the check, and the same formats (.docx; .txt in
        # UTF-8, GBK or UTF-16)
        text, problem = read_body(file, str(file), 16 * 1024 * 1024)
        if text is None:
            print(f"zhixing: {file}: {problem.text('zh') if problem else '?'}", file=sys.stderr)
            return EXIT_USAGE
        print(f"{file}\t{count(text)}")
    return EXIT_CLEAN


LEDGER_FIELDS = ("id", "rule", "article", "unit", "record", "date", "status", "handling", "due", "closed_on",
                 "closed_late", "registration", "registered_on", "office", "current", "message", "fact", "stale_registration")


def _findings(engine: Engine, args: argparse.Namespace) -> int:
    from zhixing.ledger import STATUSES

    if args.status and args.status not in STATUSES:
        print(f"zhixing: 没有状态 “{args.status}”，可选：{'、'.join(STATUSES)} / unknown status", file=sys.stderr)
        return EXIT_USAGE
    result = engine.check(today=args.today)
    assert result.ledger is not None
    named = {}
    for option in ("unit", "office"):
        asked = getattr(args, option)
        unit = result.corpus.resolve_unit(asked) if asked else None
        if asked and unit is None:
            print(f"zhixing: 单位 “{asked}” 不在单位名录中 / unknown unit", file=sys.stderr)
            return EXIT_USAGE
        named[option] = unit.id if unit else None
    entries = [e for e in result.ledger.select(named["unit"], args.article, args.year, args.status)
               if named["office"] is None or e.office == named["office"]]
    rows = [e.to_json() for e in entries]
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=LEDGER_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        sys.stdout.write(buffer.getvalue())
    else:
        for e in entries:
            article = f"第{e.article}条" if e.article else ""
            extra = "，".join(x for x in (e.handling, f"时限 {e.due}" if e.due else "", f"销号 {e.closed_on}" if e.closed_on else "",
                                         f"登记 {e.registration.id}" if e.registration
                                         else f"应由{result.corpus.unit_name(e.office)}登记") if x)
            print(f"{e.date} {e.unit} {article} {e.status}：{e.id}（{extra}）")
        print(f"共 {len(entries)} 个问题")
    return EXIT_CLEAN


def _mr_note(args: argparse.Namespace) -> int:
    from zhixing.forge_note import TOKEN_VARIABLE, NoteError, post_summary

    if not os.environ.get(TOKEN_VARIABLE):  # said before anything else: the job goes on without a note
        print(f"zhixing mr-note: {post_summary('')}")
        return EXIT_CLEAN
    try:
        summary = args.file.read_text(encoding="utf-8")
    except OSError as exc:
        print(f"zhixing: 无法读取 {args.file}：{exc.strerror} / cannot read the summary", file=sys.stderr)
        return EXIT_USAGE
    try:
        print(f"zhixing mr-note: {post_summary(summary)}")
    except NoteError as exc:
        print(f"zhixing mr-note: {exc}", file=sys.stderr)
        return EXIT_VIOLATIONS
    return EXIT_CLEAN


def _register(engine: Engine, args: argparse.Namespace) -> int:
    from zhixing.register import RegisterError, Request, plan, write

    today = args.today or dt.date.today().isoformat()
    result = engine.check(today=today)
    assert result.ledger is not None
    request = Request(args.findings, args.handling, args.office, args.due, args.reason, args.description, args.evidence, today,
                      args.note)
    try:
        office, data = plan(request, result.ledger, result.corpus, engine.policies)
    except RegisterError as exc:
        print(f"zhixing: {exc}", file=sys.stderr)
        return EXIT_USAGE
    path = write(engine.root, office, data)
    print(engine.shown(path))
    checked = engine.check([path], today=today)
    problems = [v for v in checked.violations if v.path == engine.shown(path) and v.severity is Severity.ERROR]
    for v in problems:
        print(f"{v.path}:{v.line}:{v.column}: {v.text('zh')}", file=sys.stderr)
    return EXIT_VIOLATIONS if problems else EXIT_CLEAN


def _report(engine: Engine, args: argparse.Namespace) -> int:
    from zhixing import quarterly

    result = engine.check()
    # 退文 registered in the ledger (Art. 16) count with the documents' own 退文 events
    table = quarterly.rows(result.corpus, args.year, engine.policies, quarterly.ledger_returns(result.ledger.entries if result.ledger else []))
    if args.format == "json":
        sys.stdout.write(json.dumps(quarterly.as_json(table, args.year), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(quarterly.as_markdown(table, args.year))
    return EXIT_CLEAN


def _new(engine: Engine, args: argparse.Namespace) -> int:
    from zhixing.records import resolve_kind
    from zhixing.scaffold import ScaffoldError, new_record

    corpus = engine.check([engine.root / "records" / "units.yaml"]).corpus
    unit = corpus.resolve_unit(args.unit)  # an id, a full name, a short name or "教育局"
    if unit is None:
        guess = corpus.suggest_unit(args.unit)
        print(f"zhixing: 单位 “{args.unit}” 不在单位名录中" + (f"，是不是 {guess.id}（{guess.name}）？" if guess else "")
              + " / unknown unit", file=sys.stderr)
        return EXIT_USAGE
    kind, guess_kind = resolve_kind(args.kind)
    if kind is None:
        print(f"zhixing: 没有记录类别 “{args.kind}”" + (f"，是不是 {guess_kind}？" if guess_kind else "")
              + f"；可选：{'、'.join(f'{k}（{s.label}）' for k, s in KINDS.items())} / unknown kind", file=sys.stderr)
        return EXIT_USAGE
    try:
        path = new_record(engine.root, engine.schemas, kind, unit.id, args.date)
    except ScaffoldError as exc:
        print(f"zhixing: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(engine.shown(path))
    return EXIT_CLEAN


def _template(engine: Engine, args: argparse.Namespace) -> int:
    from zhixing.records import resolve_kind
    from zhixing.spreadsheets import write_template

    kind, guess = resolve_kind(args.kind)
    if kind is None:
        print(f"zhixing: 没有记录类别 “{args.kind}”" + (f"，是不是 {guess}？" if guess else "") + " / unknown kind", file=sys.stderr)
        return EXIT_USAGE
    corpus = engine.check([engine.root / "records" / "units.yaml"]).corpus
    out = args.out or Path(f"{KINDS[kind].label}模板.xlsx")
    write_template(out, engine.schemas, kind, {uid: u.name for uid, u in corpus.units.items()})
    print(out)
    return EXIT_CLEAN


def _import(engine: Engine, args: argparse.Namespace) -> int:
    """Each good row becomes a record (one file, with the schema modeline); rows with errors are
    refused and reported by sheet, row and column. Exit 1 when any row was refused."""
    from zhixing.records import resolve_kind
    from zhixing.scaffold import new_id
    from zhixing.spreadsheets import RowProblem, read_rows, record_yaml, schema_problems, sheet_kind

    corpus = engine.check([engine.root / "records" / "units.yaml"]).corpus
    unit = corpus.resolve_unit(args.unit)
    if unit is None:
        print(f"zhixing: 单位 “{args.unit}” 不在单位名录中 / unknown unit", file=sys.stderr)
        return EXIT_USAGE
    try:
        limits = engine.policies.settings.archive
        kind = resolve_kind(args.kind)[0] if args.kind else sheet_kind(args.file, limits)
        if kind is None:
            print("zhixing: 请用 --kind 指明记录类别（这个表格不是 zhixing template 生成的） / give --kind", file=sys.stderr)
            return EXIT_USAGE
        sheet, letters, rows = read_rows(args.file, engine.schemas, kind, limits)
    except (OSError, KeyError, ValueError) as exc:
        print(f"zhixing: 无法读取表格 {args.file}：{exc} / cannot read the spreadsheet", file=sys.stderr)
        return EXIT_USAGE
    spec = KINDS[kind]
    folder = engine.root / "records" / unit.id / spec.folder
    refused = 0
    for number, data, problems in rows:
        on = str(data.get(spec.date_field) or dt.date.today().isoformat())
        record_id = new_id(engine.root, on, unit.id)
        record = {"id": record_id, "unit": unit.id, "visibility": "public", **data}
        text = record_yaml(kind, record)
        unreadable = {p.column for p in problems}  # a cell that did not convert is not "missing" as well
        for v in schema_problems(kind, text, engine.schemas, engine.policies.settings.limits):
            found = re.match(r"字段 ([a-z_]+)", v.text("zh"))
            letter, label = letters.get(found.group(1), ("", "")) if found else ("", "")
            problem = RowProblem(number, letter, label, v.text("zh"))
            if letter not in unreadable and problem not in problems:
                problems.append(problem)
        if problems:
            refused += 1
            for problem in problems:
                print(problem.text(sheet))
            continue
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{record_id}.yaml"
        path.write_text(text, encoding="utf-8")
        print(engine.shown(path))
    print(f"导入 {len(rows) - refused} 行，拒绝 {refused} 行")
    return EXIT_VIOLATIONS if refused else EXIT_CLEAN


def _codeowners(engine: Engine, args: argparse.Namespace) -> int:
    from zhixing import codeowners

    try:
        wanted = codeowners.generate(engine.check([engine.root / "records" / "units.yaml"]).corpus)
    except codeowners.OwnersError as exc:
        raise ConfigError(str(exc)) from exc
    return _generated(engine, "CODEOWNERS", wanted, args.check, "codeowners", "CODEOWNERS 与单位名录不一致",
                      "CODEOWNERS has drifted from the registry")


def _cms(engine: Engine, args: argparse.Namespace) -> int:
    from zhixing import cms

    corpus = engine.check([engine.root / "records" / "units.yaml"]).corpus
    try:
        wanted = cms.for_repository(engine.schemas, engine.policies, corpus.registry.data if corpus.registry else None)
    except cms.CmsConfigError as exc:
        raise ConfigError(str(exc)) from exc
    return _generated(engine, cms.CONFIG_PATH, wanted, args.check, "cms", "网页填报配置与 schema、单位名录或设置不一致",
                      "the web form's config is stale")


def _generated(engine: Engine, name: str, wanted: str, check: bool, command: str, zh: str, en: str) -> int:
    """Write a file generated from the repository's data, or (``--check``) fail when the committed one differs."""
    path = engine.root / name
    if check:
        current = path.read_text(encoding="utf-8") if path.is_file() else ""
        if current != wanted:
            diff = difflib.unified_diff(current.splitlines(), wanted.splitlines(), name, "generated", lineterm="")
            print("\n".join(diff))
            print(f"zhixing: {zh}，请运行 zhixing {command} / {en}", file=sys.stderr)
            return EXIT_VIOLATIONS
        return EXIT_CLEAN
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(wanted, encoding="utf-8")
    print(engine.shown(path))
    return EXIT_CLEAN


def _hygiene(engine: Engine, args: argparse.Namespace) -> int:
    from zhixing import hygiene

    limits = engine.policies.settings.limits
    violations = sorted(v for f in args.files for v in hygiene.check_file(f, engine.shown(f), limits))
    sys.stdout.write(REPORTERS[args.format](violations, len(args.files), args.lang))
    return EXIT_VIOLATIONS if has_errors(violations) else EXIT_CLEAN


def run() -> None:
    """The process's entry (the ``zhixing`` command, ``python -m zhixing``). Every command is a short
    run, so the cycle collector stays off throughout: a check's corpus is millions of objects
    without cycles, which the collector, switched back on after the check (engine.collector_paused,
    for long-lived callers), would walk once more (~70 ms at 10,000 records). And the process ends
    without freeing those objects one by one: its output flushed, ``os._exit`` (nothing of ours
    waits for interpreter shutdown: no atexit handlers, files closed, forked children reaped)."""
    from zhixing import walking

    gc.disable()
    code = main()
    walking.discard_ahead()  # a listing made ahead for a check that went another way (launch.py)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe (zhixing check | head): the interpreter's own exit reports it
        raise SystemExit(code) from None
    os._exit(code)
