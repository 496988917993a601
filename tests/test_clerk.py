"""Mistakes as clerks make them, and answers that point at the real mistake (line, column, rule,
the character named); names where ids go; dates and kinds as clerks type them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT
from zhixing.cli import main
from zhixing.engine import Engine
from zhixing.loading import LoadLimits, load_yaml_text, scan_yaml_text

LIMITS = LoadLimits(262144, 32)
HEAD = "id: m\nunit: jiaoyuju\nvisibility: public\ntitle: 会议\nkind: 其他\nconvened_in_name_of: 部门\nformat: 现场\n"
HEAD += 'date: "2019-05-01"\nstart_time: "09:00"\nend_time: "10:00"\nchair: 局长\n'


@pytest.mark.parametrize(("line", "column", "rule", "named"), [
    ("participants：120", 13, "yaml.fullwidth-colon", "中文冒号“：”"),
    ('chair:"局长"', 6, "yaml.colon-space", "冒号“:”后面缺少空格"),
    ("　participants: 120", 1, "yaml.fullwidth-space", "全角空格"),
    ("participants:\u3000120", 14, "yaml.fullwidth-space", "全角空格"),
    ("location: “县政府会议室”", 11, "yaml.fullwidth-quote", "中文引号"),
    ("attending_units: ［baoyouzhen］", 18, "yaml.fullwidth-bracket", "中文括号"),
])
def test_typing_mistakes_point_at_their_line_and_column(line: str, column: int, rule: str, named: str) -> None:
    loaded, problems = load_yaml_text(HEAD + line + "\n", "m.yaml", LIMITS)
    assert loaded is None
    assert [(p.line, p.column, p.rule) for p in problems] == [(12, column, rule)]
    assert named in problems[0].text("zh") and "第 12 行" in problems[0].text("zh")
    assert problems[0].text("en") and problems[0].text("en") != problems[0].text("zh")


def test_hygiene_reports_the_same_single_message() -> None:
    problems = scan_yaml_text(HEAD + "participants：120\n", "m.yaml", LIMITS)
    assert [(p.line, p.column, p.rule) for p in problems] == [(12, 13, "yaml.fullwidth-colon")]


def test_block_text_and_comments_may_say_anything() -> None:
    text = HEAD + "participants: 120\nnotes: |\n  时间：上午\n  key：v\n  “引号”\n# 备注：无\n"
    loaded, problems = load_yaml_text(text, "m.yaml", LIMITS)
    assert problems == [] and loaded is not None


def test_a_windows_file_with_a_chinese_quote_is_not_a_typing_mistake() -> None:
    # CRLF line ends (Notepad, WPS): "agenda:\r" is a key without a value, not a missing space after
    # the colon — also in a file whose “quotes” make the loader look at its lines one by one
    text = (HEAD + "participants: 20\nnotes: 称“一窗受理”\nagenda:\n  - item: 汇报\n").replace("\n", "\r\n")
    loaded, problems = load_yaml_text(text, "m.yaml", LIMITS)
    assert problems == [] and loaded is not None and loaded.data["agenda"] == [{"item": "汇报"}]
    wrong = text.replace("chair: 局长", 'chair:"局长"')
    assert [(p.line, p.rule) for p in load_yaml_text(wrong, "m.yaml", LIMITS)[1]] == [(11, "yaml.colon-space")]


def _schema_messages(tmp_path: Path, extra: str) -> list[tuple[str, str, str]]:
    folder = tmp_path / "meeting"
    folder.mkdir(exist_ok=True)
    (folder / "m.yaml").write_text(HEAD.replace("chair: 局长\n", "") + extra, encoding="utf-8")
    result = Engine(ROOT).check([folder / "m.yaml"], today="2019-06-01")
    return [(v.rule, v.text("zh"), v.hint_text("zh")) for v in result.violations]


def test_type_messages_say_what_to_do(tmp_path: Path) -> None:
    found = _schema_messages(tmp_path, 'participants: "120"\nchair:\nlocatoin: 会议室\n')
    texts = {rule: (text, hint) for rule, text, hint in found}
    assert "不要加引号：120" in texts["schema.type"][0] or any("不要加引号：120" in t for _, t, _ in found)
    assert any("还没有填写" in t for _, t, _ in found)
    assert any("是不是 location" in h for _, _, h in found), "did-you-mean for a misspelt field"
    assert not any("schemas/meeting.schema.json" in h for _, _, h in found), "the field's own description, not a path"
    assert any("参会人数" in h for _, _, h in found)


def test_a_unit_name_where_the_id_goes_gets_the_id(tmp_path: Path) -> None:
    assert _schema_messages(tmp_path, "participants: 20\n") == [], "the same meeting with the unit's id is clean"
    folder = tmp_path / "meeting"
    (folder / "m.yaml").write_text(HEAD.replace("unit: jiaoyuju", "unit: 教育局") + "participants: 20\n", encoding="utf-8")
    result = Engine(ROOT).check([folder / "m.yaml"], today="2019-06-01")
    assert any("应填单位编号 jiaoyuju（县教育局）" in v.text("zh") for v in result.violations)


def test_zhixing_new_takes_names_chinese_kinds_and_clerks_dates(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the id is made for the clerk: the date, the unit and a random part no parallel change can take (issue 27)
    assert main(["--root", str(repo), "new", "会议", "--unit", "教育局", "--date", "2019年9月10日"]) == 0
    assert re.fullmatch(r"records/jiaoyuju/meetings/2019-09-10-jiaoyuju-[a-z2-9]{4}\.yaml", capsys.readouterr().out.strip())
    assert main(["--root", str(repo), "new", "公文", "--unit", "县教育局", "--date", "2019/9/10"]) == 0
    assert re.fullmatch(r"records/jiaoyuju/documents/2019-09-10-jiaoyuju-[a-z2-9]{4}\.yaml", capsys.readouterr().out.strip())
    assert main(["--root", str(repo), "new", "meetng", "--unit", "jiaoyuj", "--date", "2019.9.10"]) == 2
    err = capsys.readouterr().err
    assert "是不是 jiaoyuju" in err
    assert main(["--root", str(repo), "new", "meetng", "--unit", "jiaoyuju", "--date", "2019-09-10"]) == 2
    assert "是不是 meeting" in capsys.readouterr().err
    assert main(["--root", str(repo), "new", "会议", "--unit", "jiaoyuju", "--date", "2019/13/10"]) == 2
    assert "不是有效的日期" in capsys.readouterr().err


def test_fix_applies_only_the_certain_fixes(tmp_path: Path) -> None:
    from zhixing.fixers import fix_text

    fixed, done = fix_text("id: m\r\nparticipants：120   \r\nnotes: |\r\n  时间：上午\r\ntitle: x")
    assert fixed == "id: m\nparticipants: 120\nnotes: |\n  时间：上午\ntitle: x\n"
    assert len(done) == 4
    assert fix_text(fixed) == (fixed, [])


def test_the_fix_hook_corrects_and_the_commit_then_goes_through(repo: Path) -> None:
    from gitrepo import sh

    target = repo / "records/jiaotongju/meetings/2019-04-03-juwu.yaml"
    target.write_bytes(target.read_text(encoding="utf-8").replace("participants: 15", "participants：15  ")
                       .replace("\n", "\r\n").encode("utf-8"))
    sh(repo, "git", "add", "-A")
    first = sh(repo, "git", "commit", "-m", "edit", check=False)
    assert first.returncode != 0 and "已修正" in first.stdout + first.stderr
    assert "participants: 15\n" in target.read_text(encoding="utf-8") and b"\r" not in target.read_bytes()


def test_help_and_usage_errors_speak_chinese_unless_asked(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：") and "显示本帮助并退出" in out
    assert main(["check", "--format", "nope"]) == 2
    assert "无效的选项" in capsys.readouterr().err
    assert main(["check", "--lang", "en", "--format", "nope"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_a_yaml_mistake_in_a_record_is_reported_once_per_commit(repo: Path) -> None:
    from gitrepo import sh

    target = repo / "records/jiaotongju/meetings/2019-06-01-new.yaml"
    target.write_text("id: 2019-06-01-new\nunit: jiaotongju\ntitle: [\n", encoding="utf-8")
    sh(repo, "git", "add", "-A")
    refused = sh(repo, "git", "commit", "-m", "broken", check=False)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert output.count("yaml.syntax") == 1, output
    assert "YAML 语法错误" in output and "did not find" not in output
