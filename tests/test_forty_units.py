"""Forty units at once (design §7a, revised: facts merge, the office follows), in real git repositories:
ids that never collide, a department's true fact that passes and enters the 问题清单 as 待登记, the
office registering it in a change of its own with ``zhixing register``, a correction it permits first,
base problems that fail no unrelated change, and warnings that are never ledger entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gitrepo import sh, zhixing

ANQUAN = "records/yingjiju/meetings/2019-09-05-anquan.yaml"
ANQUAN_FINDING = "meeting.department-participants@meeting/2019-09-05-anquan/participants"
SOURCE_MEETING = "records/jiaoyuju/meetings/2019-04-18-xitong.yaml"


def _violations(result: object) -> list[dict]:
    return json.loads(result.stdout)["violations"]  # type: ignore[attr-defined]


def _fill(path: Path, repo: Path) -> None:
    """The scaffold filled in as a clerk would: the example meeting's facts under the new id and unit."""
    scaffold = path.read_text(encoding="utf-8")
    record_id = next(line.split(": ", 1)[1] for line in scaffold.splitlines() if line.startswith("id: "))
    unit = path.parts[-3]
    text = (repo / SOURCE_MEETING).read_text(encoding="utf-8")
    text = text.replace("id: 2019-04-18-xitong", f"id: {record_id}").replace("unit: jiaoyuju", f"unit: {unit}")
    text = text.replace("2019-04-18", "2019-09-10").replace("submitted_by: jiaoyuju", f"submitted_by: {unit}")
    path.write_text(text.replace("kind: 本系统全县性会议", "kind: 其他"), encoding="utf-8")


def _merge(repo: Path, branch: str) -> None:
    sh(repo, "git", "checkout", "-q", "main")
    sh(repo, "git", "merge", "-q", "--no-ff", "--no-edit", branch)


@pytest.mark.parametrize("order", [("jiaoyuju", "weijianwei"), ("weijianwei", "jiaoyuju")])
def test_two_units_filing_on_one_day_never_collide(repo: Path, order: tuple[str, str]) -> None:
    for unit in ("jiaoyuju", "weijianwei"):
        sh(repo, "git", "checkout", "-q", "main")
        sh(repo, "git", "checkout", "-q", "-b", f"{unit}-2019-09-10")
        created = zhixing(repo, "new", "会议", "--unit", unit, "--date", "2019-09-10")
        assert created.returncode == 0, created.stderr
        path = repo / created.stdout.strip()
        assert path.stem.startswith(f"2019-09-10-{unit}-")  # the unit is in the id: no other unit can take it
        _fill(path, repo)
        sh(repo, "git", "add", "-A")
        sh(repo, "git", "commit", "-q", "--no-verify", "-m", f"{unit}: 2019-09-10 meeting")
        assert zhixing(repo, "check", "--base", "main").returncode == 0
    for unit in order:
        _merge(repo, f"{unit}-2019-09-10")
    rules = {v["rule"] for v in _violations(zhixing(repo, "check", "--format", "json"))}
    assert "record.duplicate-id" not in rules and not any(r.startswith(("schema.", "record.")) for r in rules), rules


def test_two_clerks_of_one_unit_get_two_ids(repo: Path) -> None:
    made = {zhixing(repo, "new", "会议", "--unit", "教育局", "--date", "2019-09-10").stdout.strip() for _ in range(20)}
    assert len(made) == 20


def test_import_generates_the_ids_too(repo: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    template = tmp_path / "会议.xlsx"
    assert zhixing(repo, "template", "会议", "--out", str(template)).returncode == 0
    book = load_workbook(template)
    sheet = book["记录"]
    header = [str(c.value or "") for c in sheet[1]]
    row = {"title": "2019年教育系统会议", "kind": "其他", "convened_in_name_of": "部门", "format": "现场", "date": "2019-09-10",
           "start_time": "09:00", "end_time": "10:00", "participants": 20, "location": "会议室", "chair": "局长"}
    for column, title in enumerate(header, start=1):
        for name, value in row.items():
            if f"（{name}）" in title:
                sheet.cell(row=2, column=column, value=value)
    book.save(template)
    done = zhixing(repo, "import", str(template), "--unit", "教育局")
    written = [line for line in done.stdout.splitlines() if line.startswith("records/")]
    assert written and all(Path(p).stem.startswith("2019-09-10-jiaoyuju-") for p in written), done.stdout + done.stderr


def test_a_true_fact_passes_enters_the_list_and_the_office_registers_it_in_its_own_change(repo: Path) -> None:
    meeting = repo / ANQUAN
    text = meeting.read_text(encoding="utf-8")
    # the department files a new meeting with 170 participants: a finding of Art. 12
    sh(repo, "git", "checkout", "-q", "-b", "yingjiju-dongyuan")
    new = repo / "records/yingjiju/meetings/2019-10-08-yingjiju-dy01.yaml"
    new.write_text(text.replace("id: 2019-09-05-anquan", "id: 2019-10-08-yingjiju-dy01").replace("2019-09-05", "2019-10-08")
                   .replace("participants: 180", "participants: 170"), encoding="utf-8")
    sh(repo, "git", "add", "-A")
    sh(repo, "git", "commit", "-q", "--no-verify", "-m", "应急局：动员会，170 人")
    gate = zhixing(repo, "check", "--base", "main")
    assert gate.returncode == 0, gate.stdout  # a fact is never blocked
    assert "合并后进入问题清单（待登记），由乐东黎族自治县人民政府办公室在 30 天内登记" in gate.stdout
    _merge(repo, "yingjiju-dongyuan")
    finding = "meeting.department-participants@meeting/2019-10-08-yingjiju-dy01/participants"
    todo = json.loads(zhixing(repo, "findings", "--office", "县政府办公室", "--status", "待登记", "--format", "json").stdout)
    assert [row["id"] for row in todo] == [finding] and todo[0]["office"] == "zhengfuban"
    # the office's own change: zhixing register writes it whole
    sh(repo, "git", "checkout", "-q", "-b", "zhengfuban-dj")
    registered = zhixing(repo, "register", finding, "--handling", "说明情况", "--today", "2019-10-12")
    assert registered.returncode == 0, registered.stderr
    path = repo / registered.stdout.strip()
    assert path.parent == repo / "records/zhengfuban/registrations" and "facts:" in path.read_text(encoding="utf-8")
    sh(repo, "git", "add", "-A")
    sh(repo, "git", "commit", "-q", "--no-verify", "-m", "县政府办公室：登记")
    assert zhixing(repo, "check", "--base", "main").returncode == 0
    _merge(repo, "zhengfuban-dj")
    rows = {r["id"]: r for r in json.loads(zhixing(repo, "findings", "--format", "json").stdout)}
    assert rows[finding]["status"] == "已说明"


def test_only_a_supervising_office_can_register(repo: Path) -> None:
    (repo / "records/zhengfuban/registrations/2019-dj-02.yaml").unlink()
    for office in ("应急管理局", "教育局"):
        refused = zhixing(repo, "register", ANQUAN_FINDING, "--handling", "说明情况", "--office", office)
        assert refused.returncode == 2 and "不能登记" in refused.stderr, refused.stderr
    assert zhixing(repo, "register", "no.such@meeting/x/y", "--handling", "说明情况").returncode == 2
    assert zhixing(repo, "register", ANQUAN_FINDING, "--handling", "限期整改").returncode == 2  # needs --due


def test_a_correction_passes_once_the_office_permits_it_first(repo: Path) -> None:
    meeting = repo / ANQUAN
    text = meeting.read_text(encoding="utf-8")
    (repo / "records/zhengfuban/registrations/2019-dj-02.yaml").unlink()
    sh(repo, "git", "commit", "-qam", "main: the 180-participant meeting is not registered yet")
    corrected = text.replace("participants: 180", "participants: 150") + "revisions:\n  - date: '2019-09-06'\n    reason: 更正笔误\n"
    sh(repo, "git", "checkout", "-q", "-b", "correct-alone")
    meeting.write_text(corrected, encoding="utf-8")
    alone = zhixing(repo, "check", "--base", "main", "--format", "json")
    assert alone.returncode == 1 and "change.finding-erased" in {v["rule"] for v in _violations(alone)}
    sh(repo, "git", "checkout", "-q", "--", ".")
    # the office permits the correction in its own change, merged first
    sh(repo, "git", "checkout", "-q", "main")
    sh(repo, "git", "checkout", "-q", "-b", "office-permits")
    permitted = zhixing(repo, "register", ANQUAN_FINDING, "--handling", "准予更正", "--reason", "签到表为150人，原记录笔误")
    assert permitted.returncode == 0, permitted.stderr
    sh(repo, "git", "add", "-A")
    sh(repo, "git", "commit", "-q", "--no-verify", "-m", "县政府办公室：准予更正")
    assert zhixing(repo, "check", "--base", "main").returncode == 0
    _merge(repo, "office-permits")
    sh(repo, "git", "checkout", "-q", "-b", "correct-after")
    meeting.write_text(corrected, encoding="utf-8")
    after = zhixing(repo, "check", "--base", "main", "--format", "json")
    assert after.returncode == 0 and "change.finding-erased" not in {v["rule"] for v in _violations(after)}, after.stdout


def test_a_problem_main_already_has_fails_no_unrelated_change(repo: Path) -> None:
    # an integrity problem reaches main anyway (a meeting without its required format)
    broken = repo / "records/jiaoyuju/meetings/2019-04-18-xitong.yaml"
    good = broken.read_text(encoding="utf-8")
    broken.write_text(good.replace("format: 现场\n", ""), encoding="utf-8")
    sh(repo, "git", "commit", "-q", "--no-verify", "-am", "main: an incomplete record slipped in")
    assert zhixing(repo, "check").returncode == 1
    sh(repo, "git", "checkout", "-q", "-b", "caizhengju")
    other = repo / "records/caizhengju/meetings"
    source = sorted(other.glob("*.yaml"))[0]
    (other / "2019-11-01-caizhengju-cz01.yaml").write_text(source.read_text(encoding="utf-8").replace(
        f"id: {source.stem}", "id: 2019-11-01-caizhengju-cz01"), encoding="utf-8")
    unrelated = zhixing(repo, "check", "--base", "main", "--format", "json")
    assert unrelated.returncode == 0, unrelated.stdout
    existing = [v for v in _violations(unrelated) if v["path"].endswith("2019-04-18-xitong.yaml") and not v.get("finding")]
    assert existing and all(v["change"] == "existing" and v["severity"] == "warning" for v in existing)
    # the repair passes too
    sh(repo, "git", "checkout", "-q", "-b", "repair", "main")
    broken.write_text(good + "revisions:\n  - date: '2019-04-19'\n    reason: 补填会议形式\n", encoding="utf-8")
    assert zhixing(repo, "check", "--base", "main").returncode == 0


def test_changed_only_narrows_and_never_adds(repo: Path) -> None:
    sh(repo, "git", "checkout", "-q", "-b", "clean-record")
    created = zhixing(repo, "new", "会议", "--unit", "教育局", "--date", "2019-09-10")
    _fill(repo / created.stdout.strip(), repo)
    narrowed = zhixing(repo, "check", "--base", "main", "--changed-only", "--format", "json")
    assert narrowed.returncode == 0 and _violations(narrowed) == [], narrowed.stdout
    summary = zhixing(repo, "check", "--base", "main", "--format", "summary").stdout
    new_part = summary.split("已有", 1)[0]
    assert "calendar.unconfirmed" not in new_part  # a warning main already had is not 本次新增


def test_a_warning_is_never_a_ledger_entry(repo: Path) -> None:
    documents = repo / "records/jiaoyuju/documents"
    record = documents / "lejiao-2019-12.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("header: 白头", "header: 红头"), encoding="utf-8")
    checked = _violations(zhixing(repo, "check", "--format", "json", str(record.relative_to(repo))))
    (warning,) = [v for v in checked if v["rule"] == "document.red-header"]
    assert warning["severity"] == "warning" and "finding" not in warning and "status" not in warning
    ledger = json.loads(zhixing(repo, "findings", "--format", "json").stdout)
    assert not any(row["rule"] == "document.red-header" for row in ledger)


def test_the_summary_says_what_each_office_must_register_and_keeps_it_once_registered(repo: Path) -> None:
    meeting = repo / ANQUAN
    sh(repo, "git", "checkout", "-q", "-b", "dongyuan-2")
    new = repo / "records/yingjiju/meetings/2019-10-09-yingjiju-dy02.yaml"
    new.write_text(meeting.read_text(encoding="utf-8").replace("id: 2019-09-05-anquan", "id: 2019-10-09-yingjiju-dy02")
                   .replace("2019-09-05", "2019-10-09").replace("participants: 180", "participants: 175"), encoding="utf-8")
    finding = "meeting.department-participants@meeting/2019-10-09-yingjiju-dy02/participants"
    summary = zhixing(repo, "check", "--base", "main", "--format", "summary").stdout
    assert "需要乐东黎族自治县人民政府办公室登记：1 条" in summary and f"zhixing register {finding}" in summary
    assert "calendar.unconfirmed" not in summary.split("### 已有的问题", 1)[0]  # what main had is not 本次新增
    registered = zhixing(repo, "register", finding, "--handling", "说明情况", "--today", "2019-10-12")
    assert registered.returncode == 0, registered.stderr
    summary = zhixing(repo, "check", "--base", "main", "--format", "summary").stdout
    listed = summary.split("### 本次新增的问题", 1)[1].split("###", 1)[0]
    assert "2019-10-09-yingjiju-dy02" in listed and "已说明" in listed and "需要乐东黎族自治县人民政府办公室登记" not in summary
