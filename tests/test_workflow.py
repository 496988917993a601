"""The pull-request flow in real temporary git repositories with the real pre-commit framework:
commit → hook verdict → --base checks of the change → CODEOWNERS → `zhixing new`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from gitrepo import BIN, sh, zhixing
from ruamel.yaml import YAML
from zhixing.records import KINDS


def test_a_new_fact_is_committed_shown_and_gated_until_the_office_registers_it(repo: Path) -> None:
    """Gate and ledger (design §7a): the hook shows a new compliance finding and names the office
    but lets the fact be committed; the pull request's check fails until that office registers it
    in the same change, and then passes. An integrity problem still stops the commit."""
    sh(repo, "git", "checkout", "-q", "-b", "yingjiju-2019-06")
    target = repo / "records/yingjiju/meetings/department-participants.yaml"
    target.write_bytes((FIXTURES / "meeting/invalid/department-participants.yaml").read_bytes())
    sh(repo, "git", "add", "-A")
    committed = sh(repo, "git", "commit", "-m", "add meeting: 151 participants, as it happened", check=False)
    output = committed.stdout + committed.stderr
    assert committed.returncode == 0, output
    assert "meeting.department-participants [第12条]" in output and "乐东黎族自治县人民政府办公室" in output
    gate = zhixing(repo, "check", "--base", "main")
    # facts merge, the office follows (issue 27): the change passes and says what happens on merge
    assert gate.returncode == 0, gate.stdout
    assert "[本次新增，待登记]" in gate.stdout and "合并后进入问题清单（待登记），由乐东黎族自治县人民政府办公室在 30 天内登记" in gate.stdout
    # the registration names the fact it registers (its fingerprint is in the gate's hint and JSON)
    finding = "meeting.department-participants@meeting/department-participants/participants"
    fact = next(v["fact"] for v in json.loads(zhixing(repo, "check", "--base", "main", "--format", "json").stdout)["violations"]
                if v.get("finding") == finding)
    assert f"事实指纹 {fact}" in gate.stdout
    registration = repo / "records/zhengfuban/registrations/2019-dj-99.yaml"
    registration.parent.mkdir(parents=True, exist_ok=True)
    registration.write_text(
        "id: 2019-dj-99\nunit: zhengfuban\nvisibility: public\nregistered_on: '2019-06-25'\nfindings:\n"
        f"  - {finding}\nfacts:\n  {finding}: {fact}\n"
        "description: 参会151人，超过上限1人\nhandling: 说明情况\nresponsible_unit: yingjiju\n", encoding="utf-8")
    sh(repo, "git", "add", "-A")
    sh(repo, "git", "commit", "-qm", "县政府办公室 registers the finding")
    passed = zhixing(repo, "check", "--base", "main")
    assert passed.returncode == 0, passed.stdout
    assert "[本次新增，已说明]" in passed.stdout
    # an integrity problem is never committed
    broken = repo / "records/yingjiju/meetings/broken.yaml"
    broken.write_text("id: broken\nunit: yingjiju\nparticipants: [\n", encoding="utf-8")
    sh(repo, "git", "add", "-A")
    assert sh(repo, "git", "commit", "-m", "broken", check=False).returncode != 0


def test_the_wrong_office_or_the_unit_itself_cannot_register(repo: Path) -> None:
    sh(repo, "git", "checkout", "-q", "-b", "own")
    target = repo / "records/yingjiju/meetings/department-participants.yaml"
    target.write_bytes((FIXTURES / "meeting/invalid/department-participants.yaml").read_bytes())
    for unit in ("yingjiju", "duchashi"):
        registration = repo / f"records/{unit}/registrations/self.yaml"
        registration.parent.mkdir(parents=True, exist_ok=True)
        registration.write_text(
            f"id: self\nunit: {unit}\nvisibility: public\nregistered_on: '2019-06-25'\nfindings:\n"
            "  - meeting.department-participants@meeting/department-participants/participants\n"
            "description: 自行登记\nhandling: 不予追究\nreason: 自认为合理\nresponsible_unit: yingjiju\n", encoding="utf-8")
        result = zhixing(repo, "check", "--base", "main", "--format", "json")
        rules = {v["rule"] for v in json.loads(result.stdout)["violations"]}
        assert result.returncode == 1 and "registration.office" in rules, unit
        registration.unlink()


def test_a_pr_passes_while_another_units_rectification_is_overdue(repo: Path) -> None:
    # zhujianju's 2019 rectification is overdue today (registered, 逾期) and an unregistered one turns
    # overdue with time alone: neither fails a change to another unit's records.
    inspection = repo / "records/zhujianju/inspections/2019-jianzhu-anquan.yaml"
    text = inspection.read_text(encoding="utf-8")
    inspection.write_text(text.replace("due: '2019-12-31'", "due: '2026-12-31'"), encoding="utf-8")
    (repo / "records/duchashi/registrations/2019-dj-07.yaml").unlink()
    sh(repo, "git", "commit", "-qam", "base with an unregistered rectification not yet due")
    sh(repo, "git", "checkout", "-q", "-b", "other-unit")
    meeting = repo / "records/jiaotongju/meetings/2019-06-01-new.yaml"
    meeting.write_text((repo / "records/jiaotongju/meetings/2019-04-03-juwu.yaml").read_text(encoding="utf-8")
                       .replace("id: 2019-04-03-juwu", "id: 2019-06-01-new").replace("2019-04-03", "2019-06-01"), encoding="utf-8")
    result = zhixing(repo, "check", "--base", "main", "--today", "2027-02-01", "--format", "json")
    found = json.loads(result.stdout)["violations"]
    overdue = [v for v in found if v["rule"] == "inspection.overdue" and v["status"] == "待登记"]
    assert overdue and all(v["change"] == "existing" and v["severity"] == "warning" for v in overdue)
    assert result.returncode == 0, result.stdout


def test_laundering_and_withdrawal_need_the_office(repo: Path) -> None:
    meeting = repo / "records/yingjiju/meetings/2019-09-05-anquan.yaml"
    text = meeting.read_text(encoding="utf-8")
    (repo / "records/zhengfuban/registrations/2019-dj-02.yaml").unlink()  # an unregistered finding on main
    sh(repo, "git", "commit", "-qam", "base: the 180-participant meeting is not registered yet")
    sh(repo, "git", "checkout", "-q", "-b", "launder")
    meeting.write_text(text.replace("participants: 180", "participants: 150")
                       + "revisions:\n  - date: '2019-09-06'\n    reason: 更正笔误\n", encoding="utf-8")
    result = zhixing(repo, "check", "--base", "main", "--format", "json")
    payload = json.loads(result.stdout)
    assert result.returncode == 1
    assert "change.finding-erased" in {v["rule"] for v in payload["violations"]}
    (edit,) = payload["edits"]
    assert (edit["before"], edit["after"], edit["reason"]) == ("fail", "pass", "更正笔误")
    assert {"field": "participants", "old": "180", "new": "150"} in edit["fields"]
    summary = zhixing(repo, "check", "--base", "main", "--format", "summary").stdout
    assert "判定改变：有问题 → 符合" in summary and "participants: 180 → 150" in summary
    text_out = zhixing(repo, "check", "--base", "main").stdout
    assert "⚠ 判定改变：有问题 → 符合" in text_out and "修改原因: 更正笔误" in text_out
    # withdrawing it instead is blocked the same way
    meeting.write_text(text + "withdrawn:\n  date: '2019-09-06'\n  reason: 重复录入\n", encoding="utf-8")
    withdrawn = zhixing(repo, "check", "--base", "main", "--format", "json")
    assert withdrawn.returncode == 1 and "change.finding-erased" in {v["rule"] for v in json.loads(withdrawn.stdout)["violations"]}
    # with the office's registration in the same change, the correction passes
    registration = repo / "records/zhengfuban/registrations/2019-dj-02.yaml"
    registration.write_text(
        "id: 2019-dj-02\nunit: zhengfuban\nvisibility: public\nregistered_on: '2019-09-12'\nfindings:\n"
        "  - meeting.department-participants@meeting/2019-09-05-anquan/participants\n"
        "description: 签到表核实为150人，原记录笔误\nhandling: 说明情况\nresponsible_unit: yingjiju\n", encoding="utf-8")
    accepted = zhixing(repo, "check", "--base", "main")
    assert accepted.returncode == 0, accepted.stdout


def test_hook_reports_corpus_rules_the_change_takes_part_in(repo: Path) -> None:
    source = (repo / "records/jiaoyuju/meetings/2019-04-18-xitong.yaml").read_text(encoding="utf-8")
    # An earlier meeting makes the bureau's existing April meeting its second of the year: the
    # violation lands on a file the commit does not touch, and the hook still reports it.
    extra = repo / "records/jiaoyuju/meetings/2019-04-01-xitong.yaml"
    extra.write_text(source.replace("2019-04-18", "2019-04-01"), encoding="utf-8")
    sh(repo, "git", "add", "-A")
    # a compliance finding: shown, and the fact committed (the pull request's CI is the gate)
    committed = sh(repo, "git", "commit", "-m", "another system meeting", check=False)
    assert committed.returncode == 0
    output = committed.stdout + committed.stderr
    assert "records/jiaoyuju/meetings/2019-04-18-xitong.yaml:" in output
    assert "meeting.system-meeting-limit [第11条]" in output


def test_base_catches_silent_edit_deletion_and_wrong_folder(repo: Path) -> None:
    sh(repo, "git", "checkout", "-q", "-b", "change")
    edited = repo / "records/jiaotongju/meetings/2019-04-03-juwu.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("participants: 15", "participants: 12"), encoding="utf-8")
    (repo / "records/zhengwuzhongxin/meetings/2019-04-08-chuangkou.yaml").unlink()
    misplaced = repo / "records/jiaoyuju/meetings/2019-06-01-baoyou.yaml"
    misplaced.write_text((repo / "records/baoyouzhen/meetings/2019-04-12-lianxi.yaml").read_text(encoding="utf-8")
                         .replace("id: 2019-04-12-lianxi", "id: 2019-06-01-baoyou"), encoding="utf-8")
    result = zhixing(repo, "check", "--base", "main", "--format", "json")
    # registered findings of the example ledger are reported as "info"; the change's problems are the rest
    found = {(v["path"], v["rule"]) for v in json.loads(result.stdout)["violations"] if v["severity"] == "error"}
    assert result.returncode == 1
    assert found == {
        ("records/jiaotongju/meetings/2019-04-03-juwu.yaml", "change.silent-edit"),
        ("records/zhengwuzhongxin/meetings/2019-04-08-chuangkou.yaml", "change.deleted"),
        ("records/jiaoyuju/meetings/2019-06-01-baoyou.yaml", "record.unit-folder"),
    }
    only = zhixing(repo, "check", "--base", "main", "--changed-only", "--format", "json")
    assert json.loads(only.stdout)["files"] == 2  # the edited and the new record; the deleted one is gone


def test_documented_edit_and_withdrawal_pass(repo: Path) -> None:
    edited = repo / "records/jiaotongju/meetings/2019-04-03-juwu.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("participants: 15", "participants: 12")
                      + "revisions:\n  - date: \"2019-04-10\"\n    reason: 更正参会人数\n", encoding="utf-8")
    withdrawn = repo / "records/zhengwuzhongxin/meetings/2019-04-08-chuangkou.yaml"
    withdrawn.write_text(withdrawn.read_text(encoding="utf-8") + "withdrawn:\n  date: \"2019-04-20\"\n  reason: 重复录入\n", encoding="utf-8")
    result = zhixing(repo, "check", "--base", "HEAD")
    assert result.returncode == 0, result.stdout
    sh(repo, "git", "commit", "-qam", "documented edit")
    rewritten = edited.read_text(encoding="utf-8").replace("更正参会人数", "改了")
    edited.write_text(rewritten, encoding="utf-8")
    result = zhixing(repo, "check", "--base", "HEAD", "--format", "json")
    assert [v["rule"] for v in json.loads(result.stdout)["violations"] if v["severity"] == "error"] == ["change.history-rewritten"]


def test_policy_change_lists_flipped_verdicts(repo: Path) -> None:
    article = repo / "policies/articles/article-12.yaml"
    article.write_text(article.read_text(encoding="utf-8").replace('values: {"2019-03-20": 150}', 'values: {"2019-03-20": 120}'),
                       encoding="utf-8")
    result = zhixing(repo, "check", "--base", "HEAD", "--format", "json")
    payload = json.loads(result.stdout)
    assert result.returncode == 1
    assert {(f["path"], f["before"], f["after"]) for f in payload["flips"]} == {
        ("records/yingjiju/meetings/2019-06-20-fangxun.yaml", "pass", "fail"),
        ("records/jiaoyuju/meetings/2019-04-18-xitong.yaml", "pass", "fail"),
        ("records/jiaoyuju/meetings/2019-08-29-kaixue.yaml", "pass", "fail"),
    }
    summary = zhixing(repo, "check", "--base", "HEAD", "--format", "summary").stdout
    assert "| 第12条 | 3 |" in summary and "通过 → 不通过" in summary
    (repo / "records/jiaotongju/meetings/2019-04-03-juwu.yaml").unlink()
    summary = zhixing(repo, "check", "--base", "HEAD", "--format", "summary").stdout
    assert "本次改动的记录（1）" in summary and "- records/jiaotongju/meetings/2019&#45;04&#45;03&#45;juwu.yaml" not in summary
    assert "- records/jiaotongju/meetings/2019-04-03-juwu.yaml" in summary


def test_codeowners_drift_is_caught(repo: Path) -> None:
    assert zhixing(repo, "codeowners", "--check").returncode == 0
    units = repo / "records/units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("@ld-jiaoyuju", "@ld-jiaoyu-new"), encoding="utf-8")
    drift = zhixing(repo, "codeowners", "--check")
    assert drift.returncode == 1 and "@ld-jiaoyu-new" in drift.stdout
    sh(repo, "git", "add", "-A")
    assert sh(repo, "git", "commit", "-m", "new reviewer", check=False).returncode != 0
    assert zhixing(repo, "codeowners").returncode == 0
    assert "/records/jiaoyuju/ @ld-jiaoyu-new" in (repo / "CODEOWNERS").read_text(encoding="utf-8")
    sh(repo, "git", "add", "-A")
    assert sh(repo, "git", "commit", "-m", "new reviewer, CODEOWNERS regenerated", check=False).returncode == 0


FILL: dict[str, dict] = {
    "meeting": {"title": "局务会议", "kind": "其他", "convened_in_name_of": "部门", "format": "现场", "start_time": "09:00",
                "end_time": "10:00", "participants": 12, "agenda": [{"title": "研究下季度工作"}]},
    "document-plan": {"year": 2019, "issuer": "县政府办公室", "items": [{"id": "b01", "title": "关于规范会议管理的通知",
                      "doc_type": "通知", "drafting_unit": "zhengfuban", "quarter": 4}]},
    "document": {"number": "乐教〔2019〕40号", "title": "关于开展校园安全检查的通知", "doc_type": "通知", "issuer": "部门",
                 "drafting_unit": "jiaoyuju", "direction": "下行文", "header": "白头", "category": "其他"},
    "task": {"title": "校园安全隐患整改", "source": {"type": "文件", "reference": "乐教〔2019〕40号"}, "nature": "长期性",
             "lead_units": ["jiaoyuju"], "responsibility_split": "教育局牵头，各镇配合",
             "milestones": [{"title": "完成排查", "due": "2020-06-30"}],
             "assignments": [{"unit": "jiaoyuju", "post": "安全股股长", "duty": "组织排查"}]},
    "inspection-plan": {"year": 2019, "items": [{"id": "i01", "matter": "校园安全", "start": "2019-11-04", "end": "2019-11-08",
                        "team": "第一督查组"}]},
    "inspection": {"title": "校园安全检查", "in_name_of_county_government": False, "source": "本级", "matter": "校园安全",
                   "targets": ["baoyouzhen"], "end": "2019-10-16", "filed_on": "2019-09-20",
                   "findings": [{"id": "f1", "problem": "消防通道堵塞"}]},
    "directive": {"upper_document": {"number": "琼府〔2019〕50号", "issuer": "海南省人民政府", "title": "关于加强校园安全的通知"},
                  "responsible_unit": "jiaoyuju", "presented_on": "2019-10-14", "studied_on": "2019-10-16"},
    "fault-tolerance": {"official": {"post": "某股股长", "rank": "股级"}, "kind": "澄清正名", "facts": "被举报事项经核实不实。",
                        "distinctions": [{"aspect": "举报事实核查", "finding": "举报失实"}],
                        "procedure": [{"step": s, "date": "2019-10-14", "body": "县纪委监委"} for s in ("申请", "核实", "认定", "反馈")],
                        "decision_body": "县纪委监委", "decision": "澄清正名"},
    "service-list": {"year": 2019, "items": [{"name": "企业投资项目备案", "no_meeting_approval": True, "fully_online": True}]},
    "registration": {"findings": ["meeting.department-participants@meeting/2019-06-20-fangxun/participants"],
                     "description": "参会人数核实", "handling": "说明情况", "responsible_unit": "yingjiju"},
    "approval": {"rule": "meeting.system-meeting-limit", "records": ["2019-08-29-kaixue"], "requested_by": "jiaoyuju",
                 "reference": "乐府办函〔2019〕96号"},
    "lawsuit": {"case_number": "（2019）琼9027行初30号", "court": "乐东黎族自治县人民法院", "matter": "行政处罚", "judgment": "败诉",
                "cause": {"found_on": "2019-11-20", "categories": ["违反法定程序"], "description": "未告知陈述申辩权利"},
                "accountability": {"decided_on": "2019-12-10", "decision": "不予追责", "reason": "执法依据的规范性文件已废止，执法人员无过错"}},
}
_FINDING_FIX = {"lead_unit": "jiaoyuju", "responsible_units": ["baoyouzhen"], "due": "2019-10-31", "requirement": "立即清理"}


def _blanks(node: object, path: str = "") -> set[str]:
    """Top-level keys whose value (or anything inside it) is still blank."""
    if isinstance(node, dict):
        return {k for k, v in node.items() if not path and (_blanks(v, k) or v in ("", None))} | (
            set().union(*(_blanks(v, path) for v in node.values())) if path else set())
    if isinstance(node, list):
        return set().union(*(_blanks(v, path) for v in node)) if node else set()
    return {path} if node in ("", None) and path else set()


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_new_record_passes_once_its_blanks_are_filled(shared_repo: Path, kind: str) -> None:
    repo = shared_repo
    # An approval is filed by the authority that gives it (Art. 11: 县委、县政府), before the meeting.
    unit = {"approval": "xianzhengfu", "registration": "zhengfuban", "fault-tolerance": "sifaju", "inspection-plan": "duchashi", "document-plan": "zhengfuban",
            "service-list": "zhengwuzhongxin"}.get(kind, "jiaoyuju")
    made = zhixing(repo, "new", kind, "--unit", unit, "--date", "2019-08-20" if kind == "approval" else "2019-10-14")
    assert made.returncode == 0, made.stderr
    path = repo / made.stdout.strip()
    text = path.read_text(encoding="utf-8")
    assert path.parent.name == KINDS[kind].folder and path.parent.parent.name == unit
    assert text.startswith(f"# yaml-language-server: $schema=../../../schemas/{kind}.schema.json\n")
    assert re.search(r"#\s*[\u4e00-\u9fff]", text), "Chinese comments on the fields"
    assert zhixing(repo, "check", str(path)).returncode == 1, "blank scaffold must not pass"
    yaml = YAML(typ="safe")
    data = yaml.load(text)
    assert _blanks(data) <= set(FILL[kind]), f"blanks the test does not fill: {_blanks(data) - set(FILL[kind])}"
    data.update(FILL[kind])
    if kind == "inspection":
        data["findings"][0]["rectification"] = _FINDING_FIX
    with path.open("w", encoding="utf-8") as out:
        out.write(text.splitlines()[0] + "\n")
        YAML().dump(data, out)
    result = zhixing(repo, "check", str(path), "--today", "2019-10-20")
    assert result.returncode == 0, result.stdout


def _workflow_commands() -> list[str]:
    yaml = YAML(typ="safe")
    commands = []
    for path in [*sorted((ROOT / ".github/workflows").glob("*.yml")), ROOT / ".gitlab-ci.yml"]:
        def walk(node: object) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    if key in ("run", "script", "before_script"):
                        commands.extend([value] if isinstance(value, str) else value)
                    else:
                        walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)
        walk(yaml.load(path.read_text(encoding="utf-8")))
    return [c.strip() for c in commands]


# Commands the CI templates may call, each exercised by this test suite: the zhixing ones run in
# the test below; make venv and make cms by .ci/run (make test needs both), which also installs
# Debian's nodejs and npm as the GitLab pages job does; pytest is this suite; mkdocs build --strict in test_site.
NON_ZHIXING = {"make venv", "make cms", "command -v npm || (apt-get update -qq && apt-get install -y -qq nodejs npm)",
               ".venv/bin/pytest", ".venv/bin/mkdocs build --strict",
               ".venv/bin/pytest records/ -p no:cacheprovider --noconftest --junitxml=zhixing-junit.xml || true",
               ".venv/bin/mkdocs build --strict --site-dir public",
               ".venv/bin/pre-commit run --from-ref \"$BASE\" --to-ref HEAD --show-diff-on-failure",
               "git fetch origin \"$CI_MERGE_REQUEST_TARGET_BRANCH_NAME\""}


def test_ci_templates_call_only_tested_commands(repo: Path) -> None:
    commands = _workflow_commands()
    assert commands, "no commands found in the CI templates"
    zhixing_calls = [c for c in commands if c.startswith(".venv/bin/zhixing")]
    assert set(commands) - set(zhixing_calls) <= NON_ZHIXING
    sh(repo, "git", "checkout", "-q", "-b", "feature")
    (repo / "records/jiaotongju/meetings/2019-04-03-juwu.yaml").unlink()
    env_base = "main"
    for command in zhixing_calls:
        line = command.split(" >", 1)[0].split(" |", 1)[0].replace('"$BASE"', env_base)
        proc = sh(repo, "bash", "-c", line.replace(".venv/bin/zhixing", str(BIN / "zhixing")), check=False)
        assert proc.returncode in (0, 1), f"{line}: {proc.stderr}"
        if "--base" in line:
            assert proc.returncode == 1 and "change.deleted" in proc.stdout
    pre_commit = next(c for c in commands if c.startswith(".venv/bin/pre-commit"))
    proc = sh(repo, "bash", "-c", pre_commit.replace('"$BASE"', "main").replace(".venv/bin/", f"{BIN}/"), check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_hook_manifest_is_valid_for_other_counties() -> None:
    from pre_commit.clientlib import load_manifest

    hooks = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    ids = {h["id"] for h in hooks}
    assert ids == {"zhixing-fix", "zhixing-check", "zhixing-yaml", "zhixing-codeowners", "zhixing-cms"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for hook_id in ids:
        assert hook_id in readme, f"hook {hook_id} is not documented in the README"
    local = YAML(typ="safe").load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert local["exclude"] == "^tests/fixtures/"
    assert {h["id"] for r in local["repos"] for h in r["hooks"]} == ids


def test_every_yaml_file_the_hygiene_hook_reads_is_within_the_limit() -> None:
    """The project's own zhixing-yaml hook passes on the project: each tracked YAML file it reads is within
    the file limit and clean (cms/config.yml, generated, is held to `zhixing cms` by zhixing-cms instead)."""
    import re
    import subprocess

    from zhixing.engine import Engine
    from zhixing.hygiene import check_file

    config = YAML(typ="safe").load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = next(h for repo in config["repos"] for h in repo["hooks"] if h["id"] == "zhixing-yaml")
    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "*.yaml", "*.yml"], capture_output=True, text=True,
                             check=True).stdout.split("\0")
    read = [p for p in tracked if p and not re.search(hook["exclude"], p) and not re.search(config.get("exclude", "^$"), p)]
    assert "mkdocs.yml" in read and "cms/config.yml" not in read
    limits = Engine(ROOT).policies.settings.limits
    for path in read:
        assert (ROOT / path).stat().st_size <= limits.max_bytes, path
        assert check_file(ROOT / path, path, limits) == [], path
