"""Policies are dated data: a record is judged by the values in force on its own date."""

from __future__ import annotations

from pathlib import Path

from zhixing.diagnostics import Severity
from zhixing.engine import Engine

MEETING = """id: {id}
unit: yingjiju
visibility: public
title: 全县防汛防风工作会议
kind: 全县性会议
convened_in_name_of: 部门
format: 现场
date: "{date}"
start_time: "09:00"
end_time: "11:00"
participants: 120
"""


def test_a_revised_limit_applies_only_from_its_date(repo_copy: Path) -> None:
    article = repo_copy / "policies/articles/article-12.yaml"
    text = article.read_text(encoding="utf-8")
    # A hypothetical 2020 revision lowering the participant limit to 100.
    article.write_text(text.replace('values: {"2019-03-20": 150}', 'values: {"2019-03-20": 150, "2020-01-01": 100}'),
                       encoding="utf-8")
    folder = repo_copy / "records/yingjiju/meetings"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "m-2019.yaml").write_text(MEETING.format(id="m-2019", date="2019-12-31"), encoding="utf-8")
    (folder / "m-2020.yaml").write_text(MEETING.format(id="m-2020", date="2020-01-02"), encoding="utf-8")
    engine = Engine(repo_copy)
    assert engine.policies.rules["meeting.department-participants"].value("max_participants", "2019-12-31") == 150
    assert engine.policies.rules["meeting.department-participants"].value("max_participants", "2020-01-01") == 100
    # the example ledger's registered findings (severity info) are not what this test is about
    found = {(v.path, v.rule) for v in engine.check().violations if v.severity is Severity.ERROR}
    assert found == {("records/yingjiju/meetings/m-2020.yaml", "meeting.department-participants")}
