"""The ``zhixing`` command. One exit point: ``main(argv) -> int``.

0 clean, 1 violations, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from zhixing.engine import ConfigError, Engine, find_root
from zhixing.reporters import REPORTERS

EXIT_CLEAN, EXIT_VIOLATIONS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse would call sys.exit(2) itself; we keep one exit point.
        raise _UsageError(message)


class _UsageError(Exception):
    pass


def _iso_date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="zhixing", description="乐府〔2019〕13号 政府执行力规则检查 / policy-as-code checks")
    parser.add_argument("--root", type=Path, help="repository root (default: found from the current folder)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = sub.add_parser("check", help="检查记录 / check records")
    check.add_argument("paths", nargs="*", type=Path, help="files or folders (default: records/)")
    check.add_argument("--format", choices=sorted(REPORTERS), default="text")
    check.add_argument("--lang", choices=["zh", "en"], default="zh")

    rules = sub.add_parser("rules", help="列出条文和规则 / list articles and rules")
    rules.add_argument("--date", type=_iso_date, default=dt.date.today().isoformat(),
                       help="parameter values in force on this date (default: today)")
    rules.add_argument("--format", choices=["text", "json"], default="text")
    rules.add_argument("--lang", choices=["zh", "en"], default="zh")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except _UsageError as exc:
        print(f"zhixing: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        engine = Engine(args.root.resolve() if args.root else find_root(Path.cwd()))
        if args.command == "check":
            return _check(engine, args)
        return _rules(engine, args)
    except ConfigError as exc:
        print(f"zhixing: 配置错误 / configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _check(engine: Engine, args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"zhixing: 路径不存在 / no such path: {', '.join(map(str, missing))}", file=sys.stderr)
        return EXIT_USAGE
    result = engine.check(args.paths or None)
    sys.stdout.write(REPORTERS[args.format](result.violations, len(result.checked), args.lang))
    return EXIT_VIOLATIONS if result.failed else EXIT_CLEAN


def rules_listing(engine: Engine, on: str, lang: str) -> list[dict[str, Any]]:
    """Every article with its rules and the parameter values in force on ``on``."""
    out = []
    for number in sorted(engine.policies.articles):
        article = engine.policies.articles[number]
        entry: dict[str, Any] = {
            "article": number,
            "section": {"number": article.section[0], "title": article.section[1]},
            "title": article.title,
            "checkable": article.checkable,
        }
        if article.checkable:
            entry["rules"] = [
                {
                    "id": r.id,
                    "kind": r.kind,
                    "title": r.title[lang],
                    "severity": r.severity,
                    "in_force": r.in_force(on),
                    "effective_from": r.effective_from,
                    "exception_allowed": r.exception_allowed,
                    "parameters": {
                        name: {
                            "value": p.at(on) if r.in_force(on) else None,
                            "unit": p.unit,
                            "description": p.description,
                            "reference": p.reference,
                        }
                        for name, p in r.parameters.items()
                    },
                }
                for r in article.rules
            ]
        else:
            entry["reason"] = article.reason
            entry["tracked_by"] = article.tracked_by
        out.append(entry)
    return out


def _rules(engine: Engine, args: argparse.Namespace) -> int:
    listing = rules_listing(engine, args.date, args.lang)
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
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_CLEAN


def run() -> None:
    raise SystemExit(main())
