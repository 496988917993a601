"""The loader: C parser, YAML 1.2 scalars kept as the clerk wrote them, lines for every key."""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML
from zhixing.loading import LoadLimits, backend, load_yaml_text

LIMITS = LoadLimits(1 << 16, 16)


def test_both_parsers_are_libyaml_in_c() -> None:
    # ruamel.yaml.clib must be installed (the [oldlibyaml] extra); pure Python is ~6x slower.
    assert YAML(typ="safe").Parser.__name__ == "CParser"
    import yaml

    assert yaml.__with_libyaml__
    assert backend().name == "pyyaml"


@pytest.mark.parametrize("parser", ["pyyaml", "ruamel"])
def test_yaml_12_scalars_stay_strings(parser: str) -> None:
    text = "a: no\nb: 09:30\nc: 2019-04-10\nd: on\ne: 0o17\nf: 1_000\ng: ~\nh: '3'\ni: -2.5\nj: TRUE\n"
    loaded, problems = load_yaml_text(text, "x", LIMITS, parser=parser)
    assert problems == [] and loaded is not None
    assert loaded.data == {"a": "no", "b": "09:30", "c": "2019-04-10", "d": "on", "e": 15, "f": "1_000", "g": None,
                           "h": "3", "i": -2.5, "j": True}


def test_every_key_and_item_has_its_line_and_column() -> None:
    loaded, _ = load_yaml_text("# c\nid: x\nagenda:\n  - title: a\n  - title: b\n    note: n\n", "x", LIMITS)
    assert loaded is not None
    assert loaded.lines[("id",)] == (2, 1)
    assert loaded.lines[("agenda", 1)] == (5, 5)
    assert loaded.lines[("agenda", 1, "note")] == (6, 5)
    assert loaded.locate(("agenda", 1, "missing")) == (5, 5)
    assert loaded.locate(()) == (2, 1)


def test_all_duplicate_keys_are_reported() -> None:
    loaded, problems = load_yaml_text("a: 1\nb: 2\na: 3\nb: 4\n", "x", LIMITS)
    assert loaded is None
    assert [(p.rule, p.line) for p in problems] == [("yaml.duplicate-key", 3), ("yaml.duplicate-key", 4)]


def test_ampersand_inside_text_is_not_an_anchor() -> None:
    loaded, problems = load_yaml_text("title: R&D 与 *重点* 项目\nnote: 'a &b'\n", "x", LIMITS)
    assert problems == [] and loaded is not None
    assert loaded.data["title"] == "R&D 与 *重点* 项目"


def test_the_printable_screen_finds_every_character_the_scalar_check_does() -> None:
    """needs_scalar_check answers as the character-class scan it stands in for, for every code point
    alone, between newlines and inside text (the screen relies on str.isprintable refusing them)."""
    import random
    import sys

    from zhixing.loading import _NEEDS_SCALAR_CHECK, needs_scalar_check

    differ = [hex(c) for c in range(sys.maxunicode + 1) if 0xD800 > c or c > 0xDFFF
              for char in (chr(c),) if needs_scalar_check(f"a:\n{char}\nb") != bool(_NEEDS_SCALAR_CHECK.search(f"a:\n{char}\nb"))]
    assert differ == []
    rng = random.Random(7)
    alphabet = ["a", "会", " ", "\n", "\r", "\t", "\\", "\u200b", "\u3000", "\ufeff", "：", "\x85", "\u2028"]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
        assert needs_scalar_check(text) == bool(_NEEDS_SCALAR_CHECK.search(text)), repr(text)


def test_the_typing_hint_screen_answers_as_its_three_scans() -> None:
    """has_hint (a literal colon scan, then the line before it) finds a hint exactly where the
    full-width character scan and the line-anchored colon scans do: 200,000 generated texts."""
    import random

    from zhixing.loading import _HINT_SCANS, has_hint

    rng = random.Random(11)
    alphabet = ["a", "k_1", "-", " ", " ", ":", ":", "\n", "\n", "\r", "/", "//", "#", "1", "：", "‘", "会", "$", "\t", "'"]
    for _ in range(200000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(14)))
        assert has_hint(text) == any(scan.search(text) for scan in _HINT_SCANS), repr(text)
