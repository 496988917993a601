"""Time linear in the input, for every input (README 安全与隐私; issue: a 130-byte record hung every check).

Every regular expression the tool applies to text it reads — the code's own screens, the patterns
in policies/ (Art. 43's personal numbers) and the schemas' ``pattern`` keywords — is found here by
itself: the code's are imported from every module and read from every ``re`` call in the source, so
a new pattern is tested the day it is written, and ``test_every_pattern_call_is_found`` fails on a
call this file cannot see. Each is held to the static rule (``zhixing.regexes.ambiguity``: no
repeat inside a repeat that can start alike, no repeated choice that can start alike, no two long
repeats side by side that take the same characters) and timed on adversarial input: long runs and
pairs of its own characters, after prefixes of strings it matches. The screens that read whole
files (the typing-mistake scan, the fast parser's screen, masking, the word count) are timed on
files at the size limit.
"""

from __future__ import annotations

import ast
import functools
import importlib
import json
import pkgutil
import random
import re
import re._constants as sre
import re._parser as sre_parser
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import zhixing
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from zhixing import regexes
from zhixing.schemas import ecma_regex

PACKAGE = ROOT / "tools" / "zhixing"
RE_CALLS = {"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split"}
PATTERN_METHODS = RE_CALLS - {"compile"}
ANCHORED = {"match", "fullmatch"}
# Calls whose pattern is not in the source: where each comes from, and how this file gets it.
DYNAMIC = {
    ("privacy.py", "_matcher"): "Art. 43's personal-number patterns: policy_patterns()",
    ("schemas.py", "pattern"): "the schemas' pattern keywords: schema_patterns()",
    ("wordcount.py", "_other_run"): "compiled on first use: module_patterns() calls it",
}
RUN = 20_000  # characters in one adversarial run: a quadratic pattern takes seconds, a linear one milliseconds
BOUND = 1.0  # seconds for one search over one adversarial text (linear ones take a few milliseconds)


def _modules() -> Iterator[object]:
    for info in pkgutil.walk_packages(zhixing.__path__, "zhixing."):
        if info.name.endswith(("__main__", ".launch")):
            continue
        yield importlib.import_module(info.name)


def _patterns_in(value: object, depth: int = 0) -> Iterator[re.Pattern[str]]:
    if isinstance(value, re.Pattern):
        yield value
    elif depth < 3 and isinstance(value, (tuple, list)):
        for item in value:
            yield from _patterns_in(item, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for item in value.values():
            yield from _patterns_in(item, depth + 1)


def module_patterns() -> dict[str, re.Pattern[str]]:
    """Every compiled pattern a module of the package holds, and those compiled on first use."""
    from zhixing import wordcount

    out: dict[str, re.Pattern[str]] = {"wordcount._other_run()": wordcount._other_run()}
    for module in _modules():
        for name, value in vars(module).items():
            for index, pattern in enumerate(_patterns_in(value)):
                if isinstance(pattern.pattern, str):
                    out[f"{module.__name__}.{name}[{index}]"] = pattern  # type: ignore[attr-defined]
    return out


@functools.cache
def _calls() -> list[tuple[str, int, str, ast.Call, bool]]:
    """(file, line, enclosing function, call, at module level) for every ``re.X(...)`` in the package."""
    return list(_find_calls())


def _find_calls() -> Iterator[tuple[str, int, str, ast.Call, bool]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node, function in _walk(tree, ""):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RE_CALLS
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"):
                yield path.name, node.lineno, function, node, function == ""


def _walk(node: ast.AST, function: str) -> Iterator[tuple[ast.AST, str]]:
    for child in ast.iter_child_nodes(node):
        inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
        yield child, function
        yield from _walk(child, inner)


def literal_patterns() -> dict[str, tuple[str, bool]]:
    """The patterns written inline in a call (``re.split("[（，]", …)``), and whether it searches."""
    out = {}
    for file, line, _, call, _ in _calls():
        first = call.args[0] if call.args else None
        if call.func.attr != "compile" and isinstance(first, ast.Constant) and isinstance(first.value, str):  # type: ignore[attr-defined]
            out[f"{file}:{line}"] = (first.value, call.func.attr not in ANCHORED)  # type: ignore[attr-defined]
    return out


def anchored_names() -> set[str]:
    """Module-level patterns the code only ever matches at one position (``match``/``fullmatch``):
    their cost is one attempt's, not one per position. A name used in any other way, or not found
    (a tuple walked in a loop), is timed as a search."""
    uses: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else None
                if name:
                    uses.setdefault(name, set()).add(node.func.attr)
    return {name for name, methods in uses.items() if methods & PATTERN_METHODS and methods & PATTERN_METHODS <= ANCHORED}


def policy_patterns() -> dict[str, str]:
    """Every value of every ``patterns`` parameter in policies/, in force or not."""
    from zhixing.engine import Engine

    out = {}
    for rule in Engine(ROOT).policies.rules.values():
        param = rule.parameters.get("patterns")
        for since, values in (param.values if param else ()):
            for what, pattern in values.items():
                out[f"{rule.id}@{since}:{what}"] = pattern
    return out


def schema_patterns() -> dict[str, str]:
    """Every ``pattern`` keyword of every schema, as the reference validator compiles it."""
    out = {}

    def visit(node: object, where: str) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                out[where] = ecma_regex(node["pattern"])
            for key, value in node.items():
                visit(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                visit(value, f"{where}/{index}")

    for path in sorted((ROOT / "schemas").glob("*.json")):
        visit(json.loads(path.read_text(encoding="utf-8")), path.name)
    return out


def all_patterns() -> dict[str, tuple[str, int, bool]]:
    """name → (pattern, flags, searched): every pattern the tool applies to text it reads."""
    anchored = anchored_names()
    out = {name: (p.pattern, p.flags, name.split(".")[-1].split("[")[0] not in anchored) for name, p in module_patterns().items()}
    out.update({name: (pattern, 0, searched) for name, (pattern, searched) in literal_patterns().items()})
    for source in (policy_patterns(), schema_patterns()):
        out.update({name: (pattern, 0, True) for name, pattern in source.items()})
    return out


PATTERNS = all_patterns()


def test_every_pattern_call_is_found() -> None:
    """A pattern this file cannot see has no adversarial test: every ``re`` call's pattern is a literal,
    a module-level constant (imported above), or one of DYNAMIC's sources."""
    unseen = []
    for file, line, function, call, top in _calls():
        first = call.args[0] if call.args else None
        if isinstance(first, ast.Constant) or top or (file, function) in DYNAMIC:
            continue
        unseen.append(f"{file}:{line} in {function}()")
    assert not unseen, ("a pattern over text without an adversarial test (make it a module-level constant, or add "
                        f"its source to DYNAMIC with a way to get it): {unseen}")
    for file, function in DYNAMIC:
        assert any(f == file and fn == function for f, _, fn, _, _ in _calls()), f"DYNAMIC lists {file} {function}(), gone"


def test_the_collection_sees_each_kind_of_source() -> None:
    names = set(PATTERNS)
    assert any(n.startswith("zhixing.loading._FLOW_OPENER") for n in names)
    assert any(n.startswith("fault-tolerance.no-personal-data@") for n in names)
    assert any(n.startswith("meeting.schema.json") for n in names)
    assert any(n.startswith("cms.py:") for n in names)
    assert len(PATTERNS) >= 60


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_no_ambiguous_repeat(name: str) -> None:
    pattern, flags, _ = PATTERNS[name]
    assert regexes.ambiguity(pattern, flags & ~re.UNICODE) is None, pattern


def test_the_static_rule_finds_each_shape() -> None:
    for bad in (r"(a+)+$", r"(?:\w+ *)*\]", r"(?:[^'\n]|'|')*x", r"\s*第?\s*0*(\d+)\s*号", r"(a*)*b",
                # the fast parser's screen before this rule: a list of words that may end in spaces
                r"""\[ *(?:(?:"[^"\n]*"|[^\s\[\]{},:#][^\[\]{},:#\n]*?) *(?:, *(?:"[^"\n]*"|[^\s\[\]{},:#][^\[\]{},:#\n]*?) *)*)?\]"""):
        assert regexes.ambiguity(bad), bad
    for good in (r"^[a-z_]+(\.[a-z_]+)*$", r"(?:[-?:][ ]+)*", r"(?:[^'\n]|'')*'", r"\s*(?:第\s*)?(\d+)\s*号"):
        assert regexes.ambiguity(good) is None, good


def _sample(items: list, rng: random.Random, alphabet: list[str]) -> str:
    """A string the parsed pattern ``items`` matches (roughly: assertions are ignored)."""
    out = []
    for op, av in items:
        if op is sre.LITERAL:
            out.append(chr(av))
        elif op in (sre.NOT_LITERAL, sre.ANY, sre.IN):
            charset = regexes._charset(op, av)
            choices = [c for c in alphabet if charset(c)] or ["a"]  # type: ignore[misc]
            out.append(rng.choice(choices))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, body = av
            for _ in range(min(low + rng.randint(0, 2), max(low, min(high, 8)))):
                out.append(_sample(list(body), rng, alphabet))
        elif op is sre.SUBPATTERN:
            out.append(_sample(list(av[3]), rng, alphabet))
        elif op is sre.ATOMIC_GROUP:
            out.append(_sample(list(av), rng, alphabet))
        elif op is sre.BRANCH:
            out.append(_sample(list(rng.choice(av[1])), rng, alphabet))
    return "".join(out)


def attacks(pattern: str, flags: int, run: int = RUN) -> Iterator[str]:
    """Adversarial texts for one pattern: long runs of one character and of two alternating, alone
    and after each prefix of strings the pattern matches, each ending in a character that fails."""
    tree = sre_parser.parse(pattern, flags)
    own = list(dict.fromkeys(c for c in regexes._literals(tree) if c != "\x00"))
    alphabet = list(dict.fromkeys(own[:10] + list(" \n:,-0a中\"'[{#“”")))[:18]
    rng = random.Random(pattern)
    for char in alphabet:
        yield char * run + "\x00"
    for _ in range(40):
        one, two = rng.choice(alphabet), rng.choice(alphabet)
        yield (one + two) * (run // 2) + "\x00"
    for _ in range(3):
        witness = _sample(list(tree), rng, alphabet)
        for cut in sorted({0, *rng.sample(range(len(witness) + 1), min(8, len(witness) + 1))}):
            prefix = witness[:cut]
            for char in rng.sample(alphabet, 6):
                yield prefix + char * run + "\x00"
            if prefix:
                yield prefix * (run // len(prefix)) + "\x00"


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_linear_on_adversarial_input(name: str) -> None:
    pattern, flags, searched = PATTERNS[name]
    for text in attacks(pattern, flags):
        taken = _timed(re.compile(pattern, flags), text, searched)
        assert taken < BOUND, f"{name}: {taken:.2f} s on {text[:40]!r}… ({len(text)} characters)"


def test_the_timing_finds_a_quadratic_pattern() -> None:
    """The attack strings reach what the static rule does not: a searched pattern whose run rescans."""
    slow = re.compile(r"\s*[、,]\s*")  # the spreadsheet list split before this rule: every space starts a search again
    assert regexes.ambiguity(slow.pattern) is None
    assert any(_timed(slow, text, True) > BOUND for text in attacks(slow.pattern, 0))


def _timed(compiled: re.Pattern[str], text: str, searched: bool) -> float:
    started = time.perf_counter()
    if searched:
        for _ in compiled.finditer(text):  # every position, as search, sub, split and findall go
            pass
    else:
        compiled.match(text)
    return time.perf_counter() - started


# -- whole files at the size limit, through the screens that read them -------------------------

LIMIT = 262_144


def _files() -> dict[str, str]:
    """Files at the size limit shaped to hurt each screen (unclosed flow lists, colons after long
    keys, endless quotes, runs of digits and separators, block headers)."""
    def fill(piece: str, head: str = "id: x\n") -> str:
        return head + piece * ((LIMIT - len(head) - 1) // len(piece)) + "\n"

    return {
        "the issue's record": "id: 2019-09-10-9\nunit: jiaoyuju\ntitle: [" + "a      b      ," * 8 + "\n",
        "unclosed list of spaced words": fill("a      b      ,", "title: ["),
        "unclosed mapping": fill("a: [b, c  ,  ", "title: {"),
        "long key then colons": fill(" :x", "a" * 100_000),
        "colons on one line": fill("a:b"),
        "opening quotes": fill("“"),
        "flow openers": fill("- - - - [", ""),
        "block headers": fill("k: |2\n"),
        "digits and separators": fill("1、3 8-0_0*1"),
        "chinese digits": fill("一三八〇〇一三八"),
        "spaces": fill(" "),
        "brackets": fill("[{"),
    }


@pytest.mark.parametrize("name", sorted(_files()))
def test_screens_are_linear_on_files_at_the_limit(name: str) -> None:
    from zhixing import loading, wordcount
    from zhixing.engine import Engine
    from zhixing.site.search import canonical_number

    text = _files()[name]
    personal = Engine(ROOT).personal
    limits = loading.LoadLimits(LIMIT, 32, 20_000, 1000)
    for screen in (loading.has_hint, loading.needs_scalar_check, loading._fast_declines, wordcount.count,
                   canonical_number, personal.mask, personal.find,
                   lambda t: loading.typing_mistakes(t, "x.yaml"),
                   lambda t: loading.load_yaml_text(t, "x.yaml", limits)):
        started = time.perf_counter()
        screen(text)
        taken = time.perf_counter() - started
        assert taken < 3 * BOUND, f"{getattr(screen, '__name__', screen)} took {taken:.2f} s on {name}"


def test_the_issues_record_is_checked_at_once(tmp_path: Path) -> None:
    """The record that hung every check: through the CLI, the partial check and the hook's mode."""
    from gitrepo import copy_repository

    repo = copy_repository(tmp_path / "repo")
    record = repo / "records" / "jiaoyuju" / "meetings" / "2019-09-10-9.yaml"
    record.write_text(_files()["the issue's record"], encoding="utf-8")
    for args in (["check", str(record)], ["check", "--allow-findings", str(record)], ["check"]):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "zhixing", *args], cwd=repo, capture_output=True, text=True, timeout=120)
        assert time.perf_counter() - started < 60
        assert done.returncode == 1 and "2019-09-10-9.yaml" in done.stdout, done.stdout + done.stderr


def test_a_policy_or_schema_pattern_that_backtracks_is_a_configuration_error(tmp_path: Path) -> None:
    from gitrepo import copy_repository

    repo = copy_repository(tmp_path / "repo")
    article = repo / "policies" / "articles" / "article-43.yaml"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace('手机号: "(?<![0-9])(?:(?:[+]|00)86)?1[3-9][0-9]{9}(?![0-9])"',
                                    '手机号: "(?:[0-9]+ ?)+x"'), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "zhixing", "check"], cwd=repo, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "fault-tolerance.no-personal-data" in done.stderr and "手机号" in done.stderr, done.stderr
    article.write_text(text, encoding="utf-8")
    schema = repo / "schemas" / "common.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace('"^[a-z0-9][a-z0-9-]{0,79}$"', '"^([a-z0-9-]+)*$"'),
                      encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "zhixing", "check"], cwd=repo, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "common.schema.json" in done.stderr, done.stderr


_HOSTILE = st.sampled_from(list(" \n:,-[]{}#'\"!&*%|>?a中0１一、＊_") + ["a  b  ,", "- ", "k: [", "“", "138", "  - [a, "])


@given(st.lists(_HOSTILE, max_size=600).map("".join))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_screens_stay_fast_on_generated_hostile_texts(engine: object, text: str) -> None:
    """A property over generated texts of the characters the screens look for (and the issue's own
    pieces): each screen takes well under a second, whatever the arrangement."""
    from zhixing import loading

    personal = engine.personal  # type: ignore[attr-defined]
    for screen in (loading.has_hint, loading._fast_declines, personal.mask,
                   lambda t: loading.typing_mistakes(t, "x.yaml")):
        started = time.perf_counter()
        screen(text + "\n")
        assert time.perf_counter() - started < BOUND / 2, text[:80]
