"""字数 as Word counts it: CJK characters and full-width marks 1 each, other runs 1 each."""

from __future__ import annotations

import pytest
from zhixing.wordcount import count


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019年3月20日", 6),
        ("乐东黎族自治县", 7),
        ("会议，文件。", 6),
        ("增长3.5%，达到GDP目标。", 10),
        ("“不见面审批”事项90%网上能办", 14),
        ("Hello world 你好", 4),
        ("琼府〔2018〕45号", 7),
        ("A,B", 1),
        ("第一条\n\n  第二条\t", 6),
        ("", 0),
        ("（一）ＡＢＣ", 6),
    ],
)
def test_counts(text: str, expected: int) -> None:
    assert count(text) == expected


def test_the_count_agrees_with_the_substitution_count() -> None:
    """count (the stretches without an Asian character) against the obvious count (each Asian
    character replaced by a space, then the pieces between white space): 100,000 generated texts
    over Asian, Latin, digit, space and punctuation characters of both widths, astral ideographs and
    Unicode white space."""
    import random
    import re

    from zhixing.wordcount import _ASIAN

    asian_char = re.compile(f"[{_ASIAN}]")

    def count_by_substitution(text: str) -> int:
        spaced, asian = asian_char.subn(" ", text)
        return asian + len(spaced.split())

    rng = random.Random(5)
    alphabet = ["年", "、", "，", "Ａ", "a", "Z", "3", ".", "%", " ", "\n", "\t", "\u3000", "\u00a0", "\u2028", "𠀀", "“", "—", "é", "ー"]
    for _ in range(100_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(16)))
        assert count(text) == count_by_substitution(text), repr(text)
