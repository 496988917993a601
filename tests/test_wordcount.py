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
