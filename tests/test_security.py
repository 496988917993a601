"""A hostile pull request, class by class (README 安全与隐私): each test plants the attack in a real
temporary repository (and, where the attack is a change, a real git history) and shows that it
fails: nothing from the repository executes, the registry and approvals cannot be taken over,
one bad value cannot switch a rule off, and a hostile file cannot exhaust time or memory."""

from __future__ import annotations

import json
import os
import pickle
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from gitrepo import BIN, sh, zhixing
from zhixing.engine import Engine
from zhixing.loading import LoadLimits, load_yaml_text
from zhixing.privacy import PersonalData

MEETING = (ROOT / "records/jiaotongju/meetings/2019-04-03-juwu.yaml").read_text(encoding="utf-8")


def _json(result: subprocess.CompletedProcess[str]) -> list[dict]:
    return json.loads(result.stdout)["violations"]


def _rules(result: subprocess.CompletedProcess[str]) -> set[tuple[str, str]]:
    return {(v["path"], v["rule"]) for v in _json(result)}


# -- 1. repository content never executes -------------------------------------------------------


class _Payload:
    def __reduce__(self) -> tuple:
        return (os.system, (f"touch {os.environ['ZHIXING_PWNED']}",))


def test_a_planted_pickle_never_runs_and_a_committed_cache_is_reported(repo: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    os.environ["ZHIXING_PWNED"] = str(marker)
    try:
        payload = pickle.dumps(_Payload())
    finally:
        del os.environ["ZHIXING_PWNED"]
    for folder in (repo / ".zhixing-cache", repo / "records/jiaoyuju/.zhixing-cache"):
        folder.mkdir(parents=True)
        for part in ("meetings", "documents", "root", "jiaoyuju", "units"):
            (folder / f"parse-v2-{part}.pickle").write_bytes(payload)
            (folder / f"parse-v3-{part}.json").write_text('{"key": "x", "entries": {}}', encoding="utf-8")
    sh(repo, "git", "add", "-f", ".zhixing-cache", "records/jiaoyuju/.zhixing-cache")
    sh(repo, "git", "commit", "--no-verify", "-qm", "plant a cache")  # the hook refuses it; an attacker skips it
    result = zhixing(repo, "check", "--format", "json")
    assert not marker.exists(), "a pickle from the work tree was loaded"
    reported = {v["path"] for v in _json(result) if v["rule"] == "repo.cache-file"}
    assert ".zhixing-cache/parse-v2-meetings.pickle" in reported
    assert "records/jiaoyuju/.zhixing-cache/parse-v3-units.json" in reported
    assert result.returncode == 1
    # and the pre-commit hook, run on every clerk's machine, does not load it either
    sh(repo, "git", "commit", "--allow-empty", "-qm", "nothing", check=False)
    assert not marker.exists()


def test_the_cache_sees_an_edit_that_keeps_size_and_mtime(repo: Path, tmp_path: Path) -> None:
    env_cache = {"ZHIXING_CACHE_DIR": str(tmp_path / "cache")}
    target = repo / "records/yingjiju/meetings/2019-06-20-fangxun.yaml"
    text = target.read_text(encoding="utf-8")
    assert "participants: 150" in text
    stamp = target.stat()

    def check() -> list[dict]:
        proc = subprocess.run([str(BIN / "zhixing"), "check", "--format", "json"], cwd=repo, capture_output=True,
                              text=True, env={**os.environ, **env_cache}, check=False)
        return [v for v in json.loads(proc.stdout)["violations"] if v["severity"] == "error"]  # not the example ledger

    assert not check()
    target.write_text(text.replace("participants: 150", "participants: 190"), encoding="utf-8")
    os.utime(target, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert target.stat().st_size == stamp.st_size and target.stat().st_mtime_ns == stamp.st_mtime_ns
    assert {v["rule"] for v in check()} == {"meeting.department-participants"}
    assert not (repo / ".zhixing-cache").exists()
    assert all(p.suffix == ".json" for p in (tmp_path / "cache").rglob("*") if p.is_file())


# -- 2. the intake rule for every string ---------------------------------------------------------

LIMITS = LoadLimits(262144, 32)


@pytest.mark.parametrize("escape", ["\\v", "\\f", "\\x1c", "\\x1d", "\\x1e", "\\x85", "\\u2028", "\\u2029",
                                    "\\u202e", "\\u2066", "\\u200b", "\\ufeff", "\\x00", "\\x7f", "\\x9b", "\\e"])
def test_invisible_and_control_characters_are_refused_with_their_name(escape: str) -> None:
    loaded, problems = load_yaml_text(f'title: "会议{escape}</title><script>alert(1)</script>"\n', "x.yaml", LIMITS)
    assert loaded is None
    assert [(p.rule, p.line) for p in problems] == [("text.forbidden-char", 1)]
    assert "title" in problems[0].text("zh") and "U+" in problems[0].text("zh")


def test_a_raw_line_separator_is_refused_too() -> None:
    for char in ("\u2028", "\u2029", "\u202e", "\u200b"):
        loaded, problems = load_yaml_text(f"title: 会议{char}说明\n", "x.yaml", LIMITS)
        assert loaded is None and problems, repr(char)


def test_newlines_and_tabs_belong_to_block_text_only() -> None:
    loaded, problems = load_yaml_text("facts: |\n  第一段\n  第二段\t末尾\n", "x.yaml", LIMITS)
    assert problems == [] and loaded is not None and "\t" in loaded.data["facts"]
    loaded, problems = load_yaml_text('start_time: "08:00\\n"\n', "x.yaml", LIMITS)
    assert [p.rule for p in problems] == ["text.forbidden-char"]
    loaded, problems = load_yaml_text('"a\\nb": 1\n', "x.yaml", LIMITS)
    assert [p.rule for p in problems] == ["text.forbidden-char"], "keys pass the same rule"


def test_a_file_is_screened_whole_then_per_scalar_only_when_it_must_be() -> None:
    """The loader screens the whole text once and walks the scalars only when the text holds a
    character the rule may reject (a tab, an escape, a hidden character) or is longer than one
    scalar may be: each of those must still reach the per-scalar rule."""
    loaded, problems = load_yaml_text("title: 会议\t说明\n", "x.yaml", LIMITS)
    assert [(p.rule, p.line) for p in problems] == [("text.forbidden-char", 1)]
    small = LoadLimits(262144, 32, max_string=10)
    loaded, problems = load_yaml_text("id: a\ntitle: 一二三四五六七八九十一\n", "x.yaml", small)
    assert [(p.rule, p.line) for p in problems] == [("text.too-long", 2)]
    loaded, problems = load_yaml_text("id: a\ntitle: 一二三四五六七八九十\n", "x.yaml", small)
    assert problems == [] and loaded is not None


def test_generated_titles_are_made_safe_whatever_they_hold() -> None:
    from zhixing.site.hooks import safe_title

    for sep in ("\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\n"):
        title = safe_title(f"会议{sep}</title><script>alert(1)</script>")
        assert "<" not in title and ">" not in title and sep not in title
    assert "&" not in safe_title("&lt;script&gt;")


# -- 4. masking, whatever the formatting --------------------------------------------------------


@pytest.fixture(scope="module")
def personal() -> PersonalData:
    return Engine(ROOT).personal


@pytest.mark.parametrize("text", ["13800138000", "１３８００１３８０００", "138-0013-8000", "138 0013 8000", "138\u200b0013\u200b8000",
                                  "+86 138 0013 8000", "0086-138-0013-8000", "110105199001011234", "11010519900101123X",
                                  "110105900101123", "１１０１０５１９９００１０１１２３４"])
def test_personal_numbers_are_found_and_masked_however_written(personal: PersonalData, text: str) -> None:
    sentence = f"联系人电话{text}，请联系"
    assert personal.find(sentence) is not None
    masked = personal.mask(sentence)
    assert masked == "联系人电话＊＊＊，请联系", masked


@pytest.mark.parametrize("text", ["2019-05-20", "乐府〔2019〕13号", "2019年3月20日", "第 150 人", "20190520 2019"])
def test_ordinary_numbers_are_left_alone(personal: PersonalData, text: str) -> None:
    assert personal.mask(text) == text


def test_ascii_text_is_judged_as_the_full_normalisation_judges_it(personal: PersonalData) -> None:
    """find() takes a one-pass route for ASCII text (ids, file names): it must agree with the
    character-by-character normalisation on every ASCII text, separators and + included."""
    import random

    rng = random.Random(43)
    alphabet = "0123456789" * 4 + " -./()\t\n\x0b\x1f+aX_x"
    texts = ["13800138000", "138-0013-8000", "+86 138 0013 8000", "2019-04-16-tuopin", "110105199001011234",
             "1 - 3800138000", "a-13800138000-", " 13800138000", "13800138000 ", "+ 8613800138000"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(5000)]
    texts += ["".join(rng.choice("13800 -") for _ in range(rng.randint(11, 24))) for _ in range(5000)]
    for text in texts:
        assert text.isascii()
        slow = next((what for what, _, _ in personal.spans(text)), None)
        assert personal.find(text) == slow, text
    assert sum(personal.find(t) is not None for t in texts) > 100  # the random texts do hold numbers


def test_ids_and_file_names_may_not_look_like_personal_numbers(repo: Path) -> None:
    path = repo / "records/jiaotongju/meetings/13800138000.yaml"
    path.write_text(MEETING.replace("id: 2019-04-03-juwu", "id: '13800138000'"), encoding="utf-8")
    assert ("records/jiaotongju/meetings/13800138000.yaml", "record.id-personal") in _rules(zhixing(repo, "check", "--format", "json"))


# -- 5. registry take-over ----------------------------------------------------------------------


def test_a_planted_registry_is_refused_and_changes_nothing(repo: Path) -> None:
    registry = (repo / "records/units.yaml").read_text(encoding="utf-8")
    hostile = registry.replace("max_meetings: 24", "max_meetings: 999").replace("乐东黎族自治县人民政府\n", "被改名的政府\n")
    hostile = hostile.replace("reviewers:\n      - '@ld-jiaoyuju'", "reviewers:\n      - '@ld-jiaoyuju'\n    legal_department: true")
    for place in ("records/jiaoyuju/units.yaml", "records/jiaoyuju/meetings/units.yaml", "records/zzz/units.yaml"):
        (repo / place).parent.mkdir(parents=True, exist_ok=True)
        (repo / place).write_text(hostile, encoding="utf-8")
    result = zhixing(repo, "check", "--format", "json")
    found = _rules(result)
    for place in ("records/jiaoyuju/units.yaml", "records/jiaoyuju/meetings/units.yaml", "records/zzz/units.yaml"):
        assert (place, "record.registry-misplaced") in found, place
    engine = Engine(repo)
    corpus = engine.check().corpus
    assert corpus.units["xianzhengfu"].name == "乐东黎族自治县人民政府"
    assert not corpus.units["jiaoyuju"].data.get("legal_department")
    assert zhixing(repo, "codeowners", "--check").returncode == 0, "CODEOWNERS is unchanged"


@pytest.mark.parametrize("content", ["", "units: []\n", "# nothing\n"])
def test_an_emptied_or_missing_registry_is_an_error(repo: Path, content: str) -> None:
    (repo / "records/units.yaml").write_text(content, encoding="utf-8")
    assert "record.registry-missing" in {v["rule"] for v in _json(zhixing(repo, "check", "--format", "json"))}
    (repo / "records/units.yaml").unlink()
    result = zhixing(repo, "check", "--format", "json")
    assert result.returncode == 1 and "record.registry-missing" in {v["rule"] for v in _json(result)}
    # a partial check (the pre-commit hook) sees it too
    one = zhixing(repo, "check", "records/jiaotongju/meetings/2019-04-03-juwu.yaml", "--format", "json")
    assert "record.registry-missing" in {v["rule"] for v in _json(one)}


# -- 6. self-approval ----------------------------------------------------------------------------

APPROVAL = """id: {id}
unit: {unit}
visibility: public
rule: meeting.system-meeting-limit
records: [2019-08-29-kaixue]
reference: 自批
date: "{date}"
"""


def test_a_unit_cannot_approve_its_own_exception(repo: Path) -> None:
    (repo / "records/xianzhengfu/approvals/2019-kaixue-huiyi.yaml").unlink()
    own = repo / "records/jiaoyuju/approvals/2019-kaixue-huiyi.yaml"
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text(APPROVAL.format(id="2019-kaixue-huiyi", unit="jiaoyuju", date="2019-08-20"), encoding="utf-8")
    result = zhixing(repo, "check", "--format", "json")
    found = {(v["path"], v["rule"], v["article"]) for v in _json(result)}
    assert ("records/jiaoyuju/approvals/2019-kaixue-huiyi.yaml", "record.approval-authority", 11) in found
    assert ("records/jiaoyuju/meetings/2019-08-29-kaixue.yaml", "meeting.system-meeting-limit", 11) in found, \
        "the self-approval exempts nothing"


def test_an_approval_after_the_fact_is_flagged(repo: Path) -> None:
    path = repo / "records/xianzhengfu/approvals/2019-kaixue-huiyi.yaml"
    path.write_text(APPROVAL.format(id="2019-kaixue-huiyi", unit="xianzhengfu", date="2019-09-02"), encoding="utf-8")
    found = _rules(zhixing(repo, "check", "--format", "json"))
    assert ("records/xianzhengfu/approvals/2019-kaixue-huiyi.yaml", "record.approval-late") in found
    assert ("records/jiaoyuju/meetings/2019-08-29-kaixue.yaml", "meeting.system-meeting-limit") in found


def test_approvers_come_from_the_article_text() -> None:
    policies = Engine(ROOT).policies
    allowed = {rule.id: rule.approvers for rule in policies.rules.values() if rule.exception_allowed}
    assert allowed["meeting.system-meeting-limit"]["unit_types"] == ["县委", "县政府"]
    assert all(a.get("reference") for a in allowed.values())


# -- 7. CODEOWNERS -------------------------------------------------------------------------------


def codeowners_owner(text: str, path: str) -> list[str]:
    """The owners GitHub and GitLab give ``path``: the last matching line wins."""
    owners: list[str] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, *who = line.split()
        if pattern == "*" or (pattern.endswith("/") and ("/" + path).startswith(pattern)) or "/" + path == pattern:
            owners = who
    return owners


@pytest.mark.parametrize(("path", "owner"), [
    ("tools/zhixing/engine.py", "@ld-zhengfuban"), (".github/workflows/pages.yml", "@ld-zhengfuban"),
    (".gitlab-ci.yml", "@ld-zhengfuban"), ("mkdocs.yml", "@ld-zhengfuban"), ("overrides/main.html", "@ld-zhengfuban"),
    ("docs/index.md", "@ld-zhengfuban"), ("Makefile", "@ld-zhengfuban"), ("pyproject.toml", "@ld-zhengfuban"),
    ("requirements.lock", "@ld-zhengfuban"), (".pre-commit-config.yaml", "@ld-zhengfuban"), ("tests/test_security.py", "@ld-zhengfuban"),
    ("policies/articles/article-11.yaml", "@ld-zhengfuban"), ("records/units.yaml", "@ld-zhengfuban"),
    ("records/jiaoyuju/meetings/x.yaml", "@ld-jiaoyuju"), ("records/xianzhengfu/approvals/x.yaml", "@ld-xianzhengfu"),
])
def test_every_path_has_the_right_owner(path: str, owner: str) -> None:
    owners = codeowners_owner((ROOT / "CODEOWNERS").read_text(encoding="utf-8"), path)
    assert owner in owners, (path, owners)
    if not path.startswith("records/") or path == "records/units.yaml":
        assert "@ld-jiaoyuju" not in owners


# -- 8. links and files that are not regular -----------------------------------------------------


def test_a_link_to_a_device_is_refused_quickly(repo: Path) -> None:
    link = repo / "records/jiaotongju/meetings/zero.yaml"
    link.symlink_to("/dev/zero")
    started = time.monotonic()
    result = zhixing(repo, "check", "--format", "json")
    assert time.monotonic() - started < 60
    assert ("records/jiaotongju/meetings/zero.yaml", "file.symlink") in _rules(result)
    alone = zhixing(repo, "check", "records/jiaotongju/meetings/zero.yaml", "--format", "json")
    assert ("records/jiaotongju/meetings/zero.yaml", "file.symlink") in _rules(alone)
    hygiene = subprocess.run([str(BIN / "zhixing"), "hygiene", "/dev/zero"], cwd=repo, capture_output=True, text=True,
                             timeout=60, check=False)
    assert hygiene.returncode == 1 and "file.not-regular" in hygiene.stdout


def test_a_linked_body_file_is_never_read(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("机密" * 3000, encoding="utf-8")
    folder = repo / "records/xianzhengfu/documents"
    record = next(p for p in sorted(folder.glob("*.yaml")) if "body_file:" in p.read_text(encoding="utf-8"))
    body = folder / next(line.split(":", 1)[1].strip() for line in record.read_text(encoding="utf-8").splitlines()
                         if line.startswith("body_file:"))
    body.unlink()
    body.symlink_to(outside)
    found = _rules(zhixing(repo, "check", "--format", "json"))
    assert (f"records/xianzhengfu/documents/{body.name}", "file.symlink") in found
    assert (f"records/xianzhengfu/documents/{record.name}", "document.length") not in found, "the linked text was not counted"


def test_base_sees_a_type_change_and_a_replaced_body(repo: Path) -> None:
    folder = repo / "records/xianzhengfu/documents"
    record = next(p for p in sorted(folder.glob("*.yaml")) if "body_file:" in p.read_text(encoding="utf-8"))
    name = next(line.split(":", 1)[1].strip() for line in record.read_text(encoding="utf-8").splitlines()
                if line.startswith("body_file:"))
    (folder / name).write_text((folder / name).read_text(encoding="utf-8") + "补充一句。\n", encoding="utf-8")
    found = _rules(zhixing(repo, "check", "--base", "HEAD", "--format", "json"))
    assert (f"records/xianzhengfu/documents/{record.name}", "change.body-silent-edit") in found
    target = repo / "records/jiaotongju/meetings/2019-04-03-juwu.yaml"
    target.unlink()
    target.symlink_to(repo / "records/zhengwuzhongxin/meetings/2019-04-08-chuangkou.yaml")
    found = _rules(zhixing(repo, "check", "--base", "HEAD", "--format", "json"))
    assert ("records/jiaotongju/meetings/2019-04-03-juwu.yaml", "change.type-changed") in found
    assert ("records/jiaotongju/meetings/2019-04-03-juwu.yaml", "file.symlink") in found


# -- 9. one bad value never switches a rule off ----------------------------------------------------


@pytest.mark.parametrize(("field", "value"), [("start_time", '"08:00\\n"'), ("date", '"9999-12-31"'),
                                               ("participants", "100000000000000000000000000")])
def test_one_bad_value_is_an_error_not_a_silenced_rule(repo: Path, field: str, value: str) -> None:
    bad = repo / "records/jiaotongju/meetings/2019-04-03-juwu.yaml"
    lines = [f"{field}: {value}" if line.startswith(f"{field}:") else line for line in MEETING.splitlines()]
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # another record breaking Art. 12 must still be reported by its rule
    long = repo / "records/jiaotongju/meetings/2019-05-01-long.yaml"
    long.write_text(MEETING.replace("id: 2019-04-03-juwu", "id: 2019-05-01-long").replace("2019-04-03", "2019-05-01")
                    .replace("kind: 其他", "kind: 专题会议").replace("end_time: 10:00", 'end_time: "17:00"'), encoding="utf-8")
    for args in ([], ["records/jiaotongju/meetings/2019-04-03-juwu.yaml", "records/jiaotongju/meetings/2019-05-01-long.yaml"]):
        result = zhixing(repo, "check", *args, "--format", "json")
        assert result.returncode == 1
        assert any(v["path"].endswith("2019-04-03-juwu.yaml") for v in _json(result)), field
    for path in ("records/jiaotongju/meetings/2019-04-03-juwu.yaml",):
        result = zhixing(repo, "check", path, "--format", "json")
        assert result.returncode == 1, "the pre-commit path fails too"


def test_a_rule_that_raises_is_isolated_to_its_record(repo: Path) -> None:
    from zhixing.rulebook import RULES

    engine = Engine(repo)
    registered = RULES["meeting.topic-hours"]
    original = registered.check

    def flaky(rec, policy, corpus):  # type: ignore[no-untyped-def]
        if rec.id == "2019-04-03-juwu":
            raise ZeroDivisionError("boom")
        yield from original(rec, policy, corpus)

    object.__setattr__(registered, "check", flaky)
    try:
        full = engine.check(today="2019-12-31")
        alone = engine.check([repo / "records/jiaotongju/meetings/2019-04-03-juwu.yaml"], today="2019-12-31")
    finally:
        object.__setattr__(registered, "check", original)
    for result in (full, alone):
        failed = [v for v in result.violations if v.rule == "engine.internal"]
        assert [v.path for v in failed] == ["records/jiaotongju/meetings/2019-04-03-juwu.yaml"]


# -- 10. denial of service -----------------------------------------------------------------------


def _limited(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=60, preexec_fn=cap, check=False)


def test_huge_lists_and_strings_are_refused_in_bounded_time_and_memory(repo: Path) -> None:
    folder = repo / "records/jiaotongju/meetings"
    entries = "".join(f"  - {{name: 字段{i}, value: 值{i}}}\n" for i in range(6000))
    assert 200_000 < len(entries.encode()) < 262_144, "about the 250 KB of the attack, under the file-size cap"
    (folder / "big-private-fields.yaml").write_text(MEETING.replace("id: 2019-04-03-juwu", "id: big-private-fields")
                                                    + "private_fields:\n" + entries, encoding="utf-8")
    (folder / "long-title.yaml").write_text(MEETING.replace("id: 2019-04-03-juwu", "id: long-title")
                                            .replace("title: ", "title: " + "长" * 60000 + " ", 1), encoding="utf-8")
    started = time.monotonic()
    result = _limited([str(BIN / "zhixing"), "check", "--format", "json", "--no-cache"], repo)
    assert time.monotonic() - started < 60
    found = _rules(result)
    assert ("records/jiaotongju/meetings/big-private-fields.yaml", "yaml.too-many-items") in found
    assert ("records/jiaotongju/meetings/long-title.yaml", "text.too-long") in found


# -- 11. downloads and the CI summary ---------------------------------------------------------------


def test_the_job_summary_renders_record_text_as_text(repo: Path) -> None:
    target = repo / "records/yingjiju/meetings/2019-06-20-fangxun.yaml"
    hostile = "[点我](http://evil.invalid) ![图](http://evil.invalid/x.png) <b>粗</b> *强调*"
    target.write_text(target.read_text(encoding="utf-8").replace("participants: 150", "participants: 151"), encoding="utf-8")
    (repo / "records/yingjiju/meetings/x.txt").write_text("x", encoding="utf-8")
    unit = repo / "records/jiaotongju/meetings/2019-04-03-juwu.yaml"
    unit.write_text(MEETING.replace("kind: 其他", f"kind: '{hostile}'"), encoding="utf-8")
    summary = zhixing(repo, "check", "--format", "summary").stdout
    assert "](http" not in summary and "<b>" not in summary and "![" not in summary


# -- 12. history is append-only -------------------------------------------------------------------


def test_withdrawals_revision_dates_and_parameters_in_force_are_history(repo: Path) -> None:
    target = repo / "records/zhengwuzhongxin/meetings/2019-04-08-chuangkou.yaml"
    original = target.read_text(encoding="utf-8")
    target.write_text(original + "withdrawn:\n  date: \"2019-04-20\"\n  reason: 重复录入\n", encoding="utf-8")
    sh(repo, "git", "commit", "-qam", "withdraw")
    for edited in (original, original + "withdrawn:\n  date: \"2019-04-20\"\n  reason: 改了原因\n"):
        target.write_text(edited, encoding="utf-8")
        found = _rules(zhixing(repo, "check", "--base", "HEAD", "--format", "json"))
        assert ("records/zhengwuzhongxin/meetings/2019-04-08-chuangkou.yaml", "change.withdrawal-rewritten") in found
    sh(repo, "git", "checkout", "-q", "--", ".")
    meeting = repo / "records/jiaotongju/meetings/2019-04-03-juwu.yaml"
    for date in ("2019-01-01", "2999-01-01"):
        meeting.write_text(MEETING.replace("participants: 15", "participants: 12")
                           + f"revisions:\n  - date: \"{date}\"\n    reason: 更正\n", encoding="utf-8")
        found = _rules(zhixing(repo, "check", "--base", "HEAD", "--format", "json", "--today", "2026-11-29"))
        assert ("records/jiaotongju/meetings/2019-04-03-juwu.yaml", "change.revision-date") in found, date
    sh(repo, "git", "checkout", "-q", "--", ".")
    article = repo / "policies/articles/article-12.yaml"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace('values: {"2019-03-20": 150}', 'values: {"2019-03-20": 150, "2030-01-01": 120}'), encoding="utf-8")
    forward = zhixing(repo, "check", "--base", "HEAD", "--today", "2026-11-29")
    assert "meeting.department-participants.max_participants：150 → 120，自 2030-01-01起" in forward.stdout
    assert "change.parameter-rewritten" not in forward.stdout
    for rewritten in ('values: {"2019-03-20": 120}', 'values: {"2019-03-20": 150, "2020-01-01": 120}'):
        article.write_text(text.replace('values: {"2019-03-20": 150}', rewritten), encoding="utf-8")
        result = zhixing(repo, "check", "--base", "HEAD", "--format", "json", "--today", "2026-11-29")
        assert "change.parameter-rewritten" in {v["rule"] for v in _json(result)}, rewritten


# -- 13. smaller ------------------------------------------------------------------------------------


def test_other_files_under_records_are_reported(repo: Path) -> None:
    folder = repo / "records/jiaotongju/meetings"
    for name in ("a.YAML", "b.yml", "stray.txt", "notice.docx"):
        (folder / name).write_bytes(b"x: 1\n")
    found = _rules(zhixing(repo, "check", "--format", "json"))
    for name in ("a.YAML", "b.yml", "stray.txt", "notice.docx"):
        assert (f"records/jiaotongju/meetings/{name}", "file.unexpected") in found, name
    one = _rules(zhixing(repo, "check", "records/jiaotongju/meetings/stray.txt", "--format", "json"))
    assert ("records/jiaotongju/meetings/stray.txt", "file.unexpected") in one


def test_private_fields_must_be_fields_of_the_kind(repo: Path) -> None:
    target = repo / "records/jiaotongju/meetings/2019-04-03-juwu.yaml"
    for entry in ("agenda.title", "会议地点"):
        target.write_text(MEETING + f"private_fields: ['{entry}']\n", encoding="utf-8")
        result = zhixing(repo, "check", str(target), "--format", "json")
        assert any(v["rule"].startswith("schema.") and "private_fields" in v["message"] for v in _json(result)), entry


def test_new_ids_are_unique_across_the_repository(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from zhixing import scaffold

    # ids carry their unit and a random part (issue 27): another unit's ids are never given
    made = zhixing(repo, "new", "meeting", "--unit", "jiaoyuju", "--date", "2019-10-14")
    stem = Path(made.stdout.strip()).stem
    assert made.returncode == 0 and stem.startswith("2019-10-14-jiaoyuju-")
    assert stem not in {p.stem for p in (repo / "records").glob("*/*/*.yaml") if p.parent != (repo / made.stdout.strip()).parent}
    # and an id already in this checkout is never given again
    (repo / "records/jiaoyuju/meetings/2019-10-14-jiaoyuju-aaaa.yaml").write_text(MEETING, encoding="utf-8")
    letters = iter("aaaabbbb")
    monkeypatch.setattr(scaffold.secrets, "choice", lambda letters_to_choose: next(letters))
    assert scaffold.new_id(repo, "2019-10-14", "jiaoyuju") == "2019-10-14-jiaoyuju-bbbb"


def test_violation_identity_keeps_two_findings_at_one_place() -> None:
    from zhixing.diagnostics import Violation

    one = Violation("a.yaml", 1, 1, "task.leaders", 19, message={"zh": "缺少主要领导"})
    two = Violation("a.yaml", 1, 1, "task.leaders", 19, message={"zh": "缺少分管领导"})
    assert len({one, two}) == 2 and one != two


def test_the_interpreter_runs_no_repository_code(repo: Path) -> None:
    """Beyond the cache: no module of zhixing imports pickle, marshal or shelve."""
    import zhixing

    package = Path(zhixing.__file__).parent
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for module in ("pickle", "marshal", "shelve", "dill"):
            assert f"import {module}" not in text, (path.name, module)
    assert sys.executable


def test_a_private_number_never_reaches_a_finding_s_public_text(repo_copy: Path) -> None:
    target = repo_copy / "records/yingjiju/meetings/2019-09-05-anquan.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("participants: 180", "participants: 187")
                      + "private_fields: [participants, location]\n", encoding="utf-8")
    result = Engine(repo_copy).check()
    (finding,) = [v for v in result.violations if v.rule == "meeting.department-participants"]
    assert "187" in finding.text("zh") and "187" not in finding.public_text("zh")
    assert "（不公开内容）" in finding.public_text("zh")


def test_unit_ids_may_not_look_like_personal_numbers(repo_copy: Path) -> None:
    registry = repo_copy / "records/units.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("  - id: caizhengju\n", "  - id: '13800138000'\n"),
                        encoding="utf-8")
    found = {(v.path, v.rule) for v in Engine(repo_copy).check().violations}
    assert ("records/units.yaml", "record.id-personal") in found


def test_count_refuses_devices_and_links(tmp_path: Path) -> None:
    link = tmp_path / "body.txt"
    link.symlink_to("/dev/zero")
    for target in ("/dev/zero", str(link)):
        proc = subprocess.run([str(BIN / "zhixing"), "count", target], capture_output=True, text=True, timeout=30, check=False)
        # refused without being read (a device has no body format; a link is never followed)
        assert proc.returncode == 2 and any(w in proc.stderr for w in ("不是普通文件", "符号链接", "无法统计字数")), proc.stderr
