"""yaml-rs as a first try (loading._fast_data) must never change what a file loads as.

Differential tests: wherever the fast route gives data, the libyaml route (the reference, which
alone writes diagnostics) must give the same data, types included — for random scalars, for
records mutated at random, and for generated documents. Each known difference between the two
parsers is declined. The full-check parity with the route turned off is in test_parity.py.
"""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import pytest
from zhixing import loading
from zhixing.loading import LoadLimits, load_yaml_text

ROOT = Path(__file__).resolve().parents[1]
LIMITS = LoadLimits(1 << 16, 32)


def same(a: Any, b: Any) -> bool:
    """Equal data, with equal types (True == 1 and 1 == 1.0 in Python) and key order."""
    if type(a) is not type(b):
        return False
    if type(a) is dict:
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if type(a) is list:
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if type(a) is float and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def reference(text: str) -> tuple[Any, list]:
    loaded, problems = load_yaml_text(text, "x", LIMITS, parser="pyyaml")
    return (loaded.data if loaded else None), problems


def fast(text: str) -> dict[str, Any] | None:
    """The fast route as load_yaml_text takes it: only for a text the intake screens let through."""
    if loading.typing_mistakes(text, "x") or "\t" in text:
        return None
    if len(text) > LIMITS.max_string or loading._NEEDS_SCALAR_CHECK.search(text):
        return None
    return loading._fast_data(text, LIMITS)


def assert_agrees(text: str) -> bool:
    got = fast(text)
    if got is None:
        return False
    data, problems = reference(text)
    assert problems == [] and data is not None, f"yaml-rs accepted what libyaml refuses: {text!r} → {problems[:1]}"
    assert same(got, data), f"different data for {text!r}: {got!r} vs {data!r}"
    return True


@pytest.fixture(autouse=True)
def _fast_route_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZHIXING_FAST_YAML", raising=False)
    monkeypatch.delenv("ZHIXING_YAML", raising=False)
    monkeypatch.setattr(loading, "_FAST_MODULE", None)  # decided again from the environment


def test_the_fast_route_is_taken_for_a_plain_record_and_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    text = next((ROOT / "records").rglob("meetings/*.yaml")).read_text(encoding="utf-8")
    assert fast(text) is not None, "the fast route is never taken: yaml-rs missing or every record declined"
    assert same(fast(text), reference(text)[0])
    monkeypatch.setenv("ZHIXING_FAST_YAML", "0")
    monkeypatch.setattr(loading, "_FAST_MODULE", None)
    assert loading._fast_data(text, LIMITS) is None


def test_random_scalars_read_alike() -> None:
    # numbers, booleans, nulls and their look-alikes: YAML 1.2 core (ours) against yaml-rs's reading
    alphabet = "0123456789+-._eExXoObB~nNuUlLtTrRfFaAsSiI:"
    rng = random.Random(20261129)
    tokens = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))) for _ in range(40000)}
    tokens |= {"0O17", "0X1F", "1_000", "+0o7", "0x_F3", ".NAn", "+.inf", "1e400", "99999999999999999999999", "-0"}
    taken = sum(assert_agrees(f"a: {token}\n") for token in sorted(tokens))
    assert taken > 25000  # most are still read by yaml-rs: the screen is not all that is tested


SNIPPETS = [":", ": ", " ", "\n", "- ", "#", " #", "'", '"', "[", "]", "{", "}", ",", "?", "? ", "  ", "\n  ", "\n- ", "|",
            ">", "|-", ">+", "|2", "|+", ">-", "0x1F", "1_0", "~", "null", "yes", ".inf", ".NaN", "@", "`", "a: b", "0o7",
            "+1", "1e3", "True", "-", "--- ", "...", "\n---\n", "'''", '""', '"a"', "'a'", "{}", "[]", "{a: b}", "[a, b]",
            "[:: ]", "- - ", ":: ", "a:b", "\n\n", "  \n", "中", "é", "[a, ]", "{a}", "[a: b]", "{a: b, a: c}", "[a]#c",
            "[a] #c", "{\"k\": [a, b]}", "[a\n  , b]", "x!", "(?<!x)", "5*3", "R&D", " !x", " &a", " *a", "[!a]", ",*a", "%", " %", "85%", "%YAML 1.2\n", "\n%TAG ! x\n", ":%", "-%", "x" * 1100 + ": y"]


def _mutants(seeds: list[str], count: int, rng: random.Random) -> list[str]:
    out = []
    for _ in range(count):
        text = rng.choice(seeds)
        for _ in range(rng.randint(1, 4)):
            at = rng.randint(0, len(text))
            choice = rng.random()
            if choice < 0.6:
                text = text[:at] + rng.choice(SNIPPETS) + text[at:]
            elif choice < 0.8:
                text = text[:at] + text[at + rng.randint(1, 5):]
            else:
                lines = text.split("\n")
                row = rng.randrange(len(lines))
                lines.insert(row, lines[row])
                text = "\n".join(lines)
        out.append(text)
    return out


def test_mutated_records_read_alike() -> None:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "records").rglob("*.yaml"))]
    taken = sum(assert_agrees(text) for text in _mutants(seeds, 6000, random.Random(7)))
    assert taken > 800


VALUES = ["[a, b]", "{a: b}", '{"2019-03-20": [x, y]}', "[1, -2, 3.5, yes, ~, 0o7]", "[a b, c]", "[ ]", "[a,b]", "{a:b}",
          "[a: b]", "{a}", "[a, ]", "[a] #c", "[a]#c", "a [b]", "a {c}", "[a]x", "[a\n  , b]", "{ a : b }", "hi!", "5*3",
          "(?<![0-9])x", "!x", "&a x", "*a", "[!a]", "[a, *b]", "%x", "a%", "a", "中文", "x y", "'q'", "'it''s'", '"dq"', "1", "-2", "3.5", "1e3", ".5", "0o17", "0x1f", "~", "null", "true",
          "False", "yes", "2019-01-01", "09:30", "a: b", "a #c", "", " ", "[]", "{}", "-", "- a", "?", ":", "a,b", "a ]", "%", "50%", "% x", "a %b",
          "'multi\n  line'", '"multi\n\n  line"', "x\n  y", "x\n\n  y", "|\n  a\n  b", "|-\n  a\n", ">\n  a\n  b\n\n",
          "|\n\n  a", "|\n", ">\n\n", "  a", "'a' b", "a'b", "0", "00", "+1", "1.", "-.inf", "1e", "0x"]
KEYS = ["a", "b", "id", "中", "'k'", '"k"', "k k", "1", "-k", "? k", "k:", "x", "true", "~"]


def _document(rng: random.Random, depth: int, indent: int) -> list[str]:
    lines = []
    for _ in range(rng.randint(1, 4)):
        pad = " " * indent
        roll = rng.random()
        if roll < 0.15 and depth < 4:
            lines.append(f"{pad}{rng.choice(KEYS)}:")
            deeper = rng.choice([2, 2, 1, 3, 0])
            if rng.random() < 0.4:
                lines += [" " * (indent + deeper) + "- " + rng.choice(VALUES).replace("\n", "\n" + " " * (indent + deeper + 2))
                          for _ in range(rng.randint(1, 3))]
            else:
                lines += _document(rng, depth + 1, indent + deeper)
        elif roll < 0.2:
            lines.append(pad + rng.choice(["# c", "", "  ", "#"]))
        else:
            lines.append(f"{pad}{rng.choice(KEYS)}: " + rng.choice(VALUES).replace("\n", "\n" + pad))
    return lines


def test_generated_documents_read_alike() -> None:
    rng = random.Random(11)
    texts = ["\n".join(_document(rng, 0, 0)) + rng.choice(["\n", "", "\n\n", " \n"]) for _ in range(12000)]
    taken = sum(assert_agrees(text) for text in texts)
    assert taken > 1000


@pytest.mark.parametrize("text", [
    'values: {"2019-03-20": [部门, 联合]}\n', "unit_types: [县政府, 县政府办公室]\nhint: {zh: 删除号码, en: remove it}\n",
    "zh: 确定了 {count} 个，只能有 {limit} 个\n", "pattern: \"(19|20)[0-9]{2}\"\n", 'pattern: "(?<![0-9])1[3-9][0-9]{9}"\nnote: 完成85%\n',
])
def test_plain_flow_lists_and_text_with_indicator_letters_take_the_fast_route(text: str) -> None:
    assert assert_agrees(text)


@pytest.mark.parametrize("text", [
    "a: [a, ]\n", "a: {a}\n", "a: [a: b]\n", "a: [a\n  , b]\n", "a: [a]x\n", "a: {b: {c: d}}\n", "a: *x\n", "a: !x y\n",
    "a: 1_000\n", "a: 0X1F\n", "a: +0o7\n", "a: .NAn\n", "a: [:: ]\n", "a: >+2\n", "a: |\n\n", "a: |\n  x",
    "1: x\n", "~: x\n", "a: 1\na: 2\n", "x" * 1100 + ": y\n", "- a\n", "plain\n", "\n", "a: !!str 1\n", "a: &x 1\nb: *x\n",
    "--- \na: 1\n", "a: 1\n---\nb: 2\n", "a: \"\\u0041\"\n", "k:\n" + "".join("  " * d + f"k{d}:\n" for d in range(1, 40)) + "  " * 40 + "v\n",
])
def test_each_known_difference_is_declined_and_loads_as_before(text: str) -> None:
    assert fast(text) is None
    default = load_yaml_text(text, "x", LIMITS)
    assert (default[0].data if default[0] else None, default[1]) == reference(text)
