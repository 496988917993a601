"""A hostile pull request, round 3 (README 安全与隐私): one section per class of attack, each planted in a
real temporary repository (a real git history where the attack is a change) or in the shared site
build, and each shown to fail. Time linear in any input (class 1) is tests/test_linear_time.py."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest
from docxfiles import make_bomb_docx, make_docx
from gitrepo import BIN, sh, zhixing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitebuild import BOMB_DOCUMENT, BOMB_TEXT
from zhixing.bodies import archive_problem, read_body
from zhixing.engine import Engine
from zhixing.loading import ArchiveLimits
from zhixing.records import KINDS, RESERVED_IDS, SECTIONS


def _json(result: subprocess.CompletedProcess[str]) -> list[dict]:
    return json.loads(result.stdout)["violations"]


# -- 2. bodies are bounded before they are read -------------------------------------------------


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_compression_bomb_body_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    bomb = tmp_path / "正文.docx"
    make_bomb_docx(bomb, "字", 8_000_000)  # 24 MB of XML in a few tens of kilobytes
    assert bomb.stat().st_size < 262_144
    text, problem = read_body(bomb, "正文.docx", 262_144, ArchiveLimits())
    assert text is None and problem is not None and problem.rule == "body.archive-limit"
    assert "正文.docx" == problem.path and "上限 200" in problem.text("zh") and "压缩比" in problem.text("zh")


def test_each_bound_of_an_archive_is_checked() -> None:
    loose = ArchiveLimits(max_unpacked_bytes=10 << 20, max_parts=50, max_ratio=1_000_000)
    many = _zip({f"word/media/{n}.xml": b"<x/>" for n in range(60)})
    assert archive_problem(many, loose) == ({"zh": "部件数", "en": "parts"}, 60, 50)
    big = _zip({"word/document.xml": b"<w:t>" + b"a" * (11 << 20) + b"</w:t>"})
    what, found, limit = archive_problem(big, loose)  # type: ignore[misc]
    assert what["en"] == "declared unpacked bytes" and found > limit == 10 << 20
    dense = _zip({"word/document.xml": b"a" * (1 << 20)})
    assert archive_problem(dense, ArchiveLimits())[0]["en"] == "compression ratio"  # type: ignore[index]
    assert archive_problem(_zip({"word/document.xml": b"<w:t>x</w:t>" * 100}), ArchiveLimits()) is None


def test_an_archive_that_lies_about_its_sizes_is_refused(tmp_path: Path) -> None:
    """The declared size says 100 bytes; the part unpacks to a megabyte. It is never read as text."""
    honest = tmp_path / "honest.docx"
    make_docx(honest, 2000)
    raw = bytearray(honest.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as archive:
        info = archive.getinfo("word/document.xml")
    # the local header's and the central directory's uncompressed size: claim 100 bytes
    struct.pack_into("<I", raw, info.header_offset + 22, 100)
    name = b"word/document.xml"
    at = raw.find(b"PK\x01\x02")
    while raw[at + 46:at + 46 + len(name)] != name:
        at = raw.find(b"PK\x01\x02", at + 1)
    struct.pack_into("<I", raw, at + 24, 100)
    liar = tmp_path / "liar.docx"
    liar.write_bytes(bytes(raw))
    text, problem = read_body(liar, "liar.docx", 262_144)
    assert text is None and problem is not None and problem.rule == "body.docx-broken"


def test_a_body_over_the_character_cap_is_an_integrity_error(tmp_path: Path) -> None:
    long_docx = tmp_path / "long.docx"
    make_docx(long_docx, 3000)
    text, problem = read_body(long_docx, "long.docx", 262_144, ArchiveLimits(max_body_chars=1000))
    assert text is None and problem is not None and problem.rule == "body.too-long" and "1000" in problem.text("zh")
    long_txt = tmp_path / "long.txt"
    long_txt.write_text("字" * 1500, encoding="utf-8")
    assert read_body(long_txt, "long.txt", 262_144, ArchiveLimits(max_body_chars=1000))[1].rule == "body.too-long"  # type: ignore[union-attr]


def test_the_check_refuses_a_bomb_body_and_names_the_file_and_the_limit(repo: Path) -> None:
    folder = repo / "records/xianzhengfu/documents"
    record = folder / "lefu-2019-83.yaml"
    make_bomb_docx(folder / "炸弹.docx", "字", 8_000_000)
    record.write_text(record.read_text(encoding="utf-8").replace("body_file: lefu-2019-83.txt", "body_file: 炸弹.docx"),
                      encoding="utf-8")
    result = zhixing(repo, "check", "--format", "json", "records/xianzhengfu/documents")
    assert result.returncode == 1
    found = {(v["path"], v["rule"]) for v in _json(result)}
    assert ("records/xianzhengfu/documents/炸弹.docx", "body.archive-limit") in found
    assert ("records/xianzhengfu/documents/lefu-2019-83.yaml", "record.body-problem") in found


def test_the_settings_lower_the_bounds(repo: Path) -> None:
    settings = repo / "policies/settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("max_body_chars: 200000", "max_body_chars: 1000"),
                        encoding="utf-8")
    result = zhixing(repo, "check", "--format", "json", "records/xianzhengfu/documents")
    rules = {v["rule"] for v in _json(result)}
    assert "body.too-long" in rules, result.stdout


def test_an_xlsx_bomb_given_to_import_is_refused(repo: Path, tmp_path: Path) -> None:
    template = tmp_path / "会议.xlsx"
    assert zhixing(repo, "template", "meeting", "--out", str(template)).returncode == 0
    with zipfile.ZipFile(template) as original:
        parts = {info.filename: original.read(info) for info in original.infolist()}
    sheet = next(name for name in parts if name.startswith("xl/worksheets/sheet"))
    parts[sheet] = parts[sheet].replace(b"</sheetData>", b"<row r=\"99\"><c r=\"A99\" t=\"inlineStr\"><is><t>"
                                        + b"a" * (40 << 20) + b"</t></is></c></row></sheetData>")
    bomb = tmp_path / "炸弹.xlsx"
    bomb.write_bytes(_zip(parts))
    result = zhixing(repo, "import", str(bomb), "--unit", "教育局")
    assert result.returncode == 2 and "表格超出上限" in result.stderr, result.stderr
    assert sh(repo, "git", "status", "--porcelain").stdout.strip() == ""


def test_the_site_never_reads_a_body_the_check_refuses(site: Path) -> None:
    page = site / "documents" / BOMB_DOCUMENT / "index.html"
    assert page.is_file()
    html = page.read_text(encoding="utf-8")
    assert BOMB_TEXT not in html and "按 Word“字数”口径" not in html  # no body section: the text was never read
    assert "上限 200" in html  # the finding says why


# -- 3. a record cannot take over a page --------------------------------------------------------


def test_a_reserved_id_is_an_integrity_error(repo: Path) -> None:
    meetings = repo / "records/jiaoyuju/meetings"
    example = next(iter(sorted(meetings.glob("*.yaml"))))
    for name in RESERVED_IDS:
        (meetings / f"{name}.yaml").write_text(example.read_text(encoding="utf-8").replace(
            f"id: {example.stem}\n", f"id: {name}\n"), encoding="utf-8")
    result = zhixing(repo, "check", "--format", "json", "records/jiaoyuju")
    reserved = {v["path"].rsplit("/", 1)[-1] for v in _json(result) if v["rule"] == "record.id-reserved"}
    assert reserved == {f"{name}.yaml" for name in RESERVED_IDS}
    units = repo / "records/units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("id: jiaoyuju", "id: index", 1), encoding="utf-8")
    assert "record.id-reserved" in {v["rule"] for v in _json(zhixing(repo, "check", "--format", "json"))}


def test_every_section_page_is_intact_with_each_reserved_name_as_an_id(site: Path) -> None:
    """The shared build holds, for every kind with pages, a copy of an example record under each
    reserved name (sitebuild._add_reserved_ids): every section's own pages are still its own."""
    for kind, (folder, title) in SECTIONS.items():
        index = (site / folder / "index.html").read_text(encoding="utf-8")
        assert "<h1" in index and title in index and "条公开记录" in index, folder
        for name in RESERVED_IDS:
            page = site / folder / name / "index.html"
            source = f"{KINDS[kind].folder}/{name}.yaml"
            assert not page.is_file() or source not in page.read_text(encoding="utf-8"), (folder, name)
    assert "第17条" in (site / "documents/report/index.html").read_text(encoding="utf-8")
    assert "整改" in (site / "inspections/rectifications/index.html").read_text(encoding="utf-8")
    assert "部门" in (site / "units/index.html").read_text(encoding="utf-8")


def test_two_generated_files_never_claim_one_path() -> None:
    from mkdocs.exceptions import PluginError
    from zhixing.site import hooks

    hooks._STATE["claimed"] = set()
    hooks._claim("meetings/2019-01-01-1.md", record_page=True)
    with pytest.raises(PluginError, match="two generated files claim"):
        hooks._claim("meetings/2019-01-01-1.md", record_page=True)
    with pytest.raises(PluginError, match="not in records.RESERVED_IDS"):
        hooks._claim("meetings/summary.md")  # a new page beside record pages must be named in the one list
    hooks._claim("meetings/index.md")
    hooks._claim("documents/plans/years/2019.md")
    hooks._STATE.pop("claimed")


# -- 4. a private unit never leaks by its name --------------------------------------------------


def test_a_unit_in_a_private_field_is_named_in_no_public_finding(site: Path) -> None:
    from sitebuild import PRIVATE_INVITEE_MEETING, PRIVATE_INVITEE_UNIT

    unit_id, name = PRIVATE_INVITEE_UNIT
    rows = [row for row in json.loads((site / "data/findings.json").read_text(encoding="utf-8"))
            if f"/{PRIVATE_INVITEE_MEETING}." in str(row.get("record"))]
    assert any(row["rule"] == "meeting.consultation-invitees" for row in rows), rows  # the finding is published
    published = json.dumps(rows, ensure_ascii=False)
    assert "（不公开内容）" in published and name not in published and unit_id not in published
    csv_rows = [line for line in (site / "data/findings.csv").read_text(encoding="utf-8-sig").splitlines()
                if PRIVATE_INVITEE_MEETING in line]
    assert csv_rows and not any(name in line or unit_id in line for line in csv_rows)
    for page in (site / "meetings" / PRIVATE_INVITEE_MEETING / "index.html", site / "rules/article-12/index.html"):
        html = page.read_text(encoding="utf-8")
        for line in html.splitlines():
            if PRIVATE_INVITEE_MEETING in line or "抱由镇征求意见会" in line:
                assert name not in line and f"units/{unit_id}" not in line, (page, line)


def test_rules_name_units_by_reference_only() -> None:
    """No rule renders a unit's name itself: it hands a UnitRef to the message (privacy.unit_ref)."""
    from conftest import ROOT

    for path in sorted((ROOT / "tools/zhixing/rules").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "unit_name(" not in text, f"{path.name}: a rule renders a unit's name; use privacy.unit_ref"


# -- 5. a field that cannot be private is refused -----------------------------------------------


NEVER_PRIVATE = ("id", "unit", "visibility", "kind")


def test_no_schema_lets_the_date_unit_or_kind_be_private() -> None:
    from conftest import ROOT

    for path in sorted((ROOT / "schemas").glob("*.schema.json")):
        kind = path.name.removesuffix(".schema.json")
        field = json.loads(path.read_text(encoding="utf-8")).get("properties", {}).get("private_fields")
        if field is None:
            continue
        allowed = set(field["items"]["enum"])
        never = {*NEVER_PRIVATE, KINDS[kind].date_field}
        assert not allowed & never, (kind, allowed & never)
        assert "日期、单位和类别" in field["description"]


def test_private_fields_naming_the_date_is_an_error_on_every_kind(repo: Path) -> None:
    planted = []
    for kind, spec in KINDS.items():
        example = next(iter(sorted((repo / "records").glob(f"*/{spec.folder}/*.yaml"))), None)
        if example is None or kind == "registration":
            continue
        text = example.read_text(encoding="utf-8")
        if "private_fields:" in text:
            continue
        example.write_text(text.rstrip("\n") + f"\nprivate_fields: [{spec.date_field}]\n", encoding="utf-8")
        planted.append(example.relative_to(repo).as_posix())
    assert len(planted) >= 8
    result = zhixing(repo, "check", "--format", "json")
    refused = {v["path"] for v in _json(result) if v["rule"].startswith("schema.") and "private_fields" in v["message"]}
    assert refused >= set(planted), set(planted) - refused


# -- 6. numbers are masked however they are written ---------------------------------------------


def test_a_number_in_a_body_file_name_is_masked_in_every_download(site: Path) -> None:
    from sitebuild import NUMBERED_BODY_DOCUMENT, NUMBERED_BODY_FILE

    spelled = NUMBERED_BODY_FILE.removeprefix("联系人").removesuffix(".txt")
    seen = False
    for path in sorted((site / "data").iterdir()):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                text = "".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())
        elif path.suffix in (".csv", ".json", ".xml"):
            text = path.read_text(encoding="utf-8-sig")
        else:
            continue
        assert spelled not in text, path.name
        seen = seen or NUMBERED_BODY_DOCUMENT in text
    assert seen  # the document itself is published
    assert spelled not in (site / "documents" / NUMBERED_BODY_DOCUMENT / "index.html").read_text(encoding="utf-8")


_DIGITS = {d: [str(d), chr(0xFF10 + d), "〇一二三四五六七八九"[d], "零壹贰叁肆伍陆柒捌玖"[d], chr(0x0660 + d), chr(0x0966 + d)]
           + (["幺"] if d == 1 else []) + (["○", "零"] if d == 0 else []) + ([chr(0x2460 + d - 1)] if d else []) for d in range(10)}
_BETWEEN = [" ", "、", "，", "_", "*", "-", ".", "/", "·", "\u200b", "\u3000", "(", ")", "—", "~", "|", "#", "；", "：", "\u2060", "\t"]


@st.composite
def _spelled_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """A mobile or ID-card number, each digit in a script or numeral of its own, anything between."""
    pick = lambda options: draw(st.sampled_from(options))  # noqa: E731
    if draw(st.booleans()):
        digits = "1" + pick("3456789") + "".join(pick("0123456789") for _ in range(9))
    else:
        digits = (pick("123456789") + "".join(pick("0123456789") for _ in range(5)) + str(draw(st.integers(1950, 2009)))
                  + f"{draw(st.integers(1, 12)):02d}{draw(st.integers(1, 28)):02d}" + "".join(pick("0123456789") for _ in range(4)))
    parts = []
    for index, digit in enumerate(digits):
        parts.append(pick(_DIGITS[int(digit)]))
        if index < len(digits) - 1:
            parts.append("".join(draw(st.lists(st.sampled_from(_BETWEEN), max_size=2))))
    return digits, "".join(parts)


@given(_spelled_numbers(), st.sampled_from(["联系人张某电话", "", "身份证：", "号码 "]), st.sampled_from(["，谢谢", "", "。", " 办公室"]))
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_spelling_of_a_number_is_found_and_masked(engine: Engine, number: tuple[str, str], before: str, after: str) -> None:
    _, spelled = number
    text = before + spelled + after
    personal = engine.personal
    assert personal.find(text), text
    masked = personal.mask(text)
    assert personal.find(masked) is None, (text, masked)
    assert masked.startswith(before) and masked.endswith(after) and "＊＊＊" in masked, (text, masked)


def test_dates_counts_and_article_numbers_are_not_numbers_to_mask(engine: Engine) -> None:
    for text in ("2019年3月20日", "第一二三条", "二〇一九年", "参会 150 人，会期 1 天", "乐府〔2019〕13号", "2019-03-20、2019-04-01",
                 "一、二、三、四、五、六、七、八、九、十"):
        assert engine.personal.find(text) is None and engine.personal.mask(text) == text, text


# -- 7. paths git quotes are paths too ----------------------------------------------------------


BODY_NAMES = ("正文.txt", "正 文 2019.txt", '正文"甲".txt', "正文'乙'.txt", "zheng wen.txt")


def test_a_merged_body_with_any_name_is_never_replaced_silently(repo: Path) -> None:
    folder = repo / "records/xianzhengfu/documents"
    record = folder / "lefu-2019-83.yaml"
    original = record.read_text(encoding="utf-8")
    for name in BODY_NAMES:
        sh(repo, "git", "checkout", "-q", "main")
        (folder / name).write_text("县政府关于农业农村工作的实施方案。\n", encoding="utf-8")
        record.write_text(original.replace("body_file: lefu-2019-83.txt", f"body_file: {json.dumps(name, ensure_ascii=False)}"),
                          encoding="utf-8")
        sh(repo, "git", "add", "-A")
        sh(repo, "git", "commit", "-q", "--no-verify", "-m", f"body {name}")
        sh(repo, "git", "checkout", "-q", "-b", f"replace-{BODY_NAMES.index(name)}")
        (folder / name).write_text("换掉的正文。\n", encoding="utf-8")
        result = zhixing(repo, "check", "--base", "main", "--format", "json")
        rules = {(v["path"], v["rule"]) for v in _json(result)}
        assert ("records/xianzhengfu/documents/lefu-2019-83.yaml", "change.body-silent-edit") in rules, (name, result.stdout)
        assert result.returncode == 1
        sh(repo, "git", "checkout", "-q", "--", ".")


def test_changed_paths_and_history_read_every_name(tmp_path: Path) -> None:
    from zhixing.gitops import changed_paths
    from zhixing.site.history import last_changed

    repo = tmp_path / "names"
    (repo / "records/a").mkdir(parents=True)
    sh(repo, "git", "init", "-q", "-b", "main")
    names = [*BODY_NAMES, "换\n行.txt", "tab\tname.txt"]
    for name in names:
        (repo / "records/a" / name).write_text("x\n", encoding="utf-8")
    sh(repo, "git", "add", "-A")
    sh(repo, "git", "commit", "-q", "--no-verify", "-m", "names")
    assert set(last_changed(repo)) == {f"records/a/{name}" for name in names}
    for name in names:
        (repo / "records/a" / name).write_text("y\n", encoding="utf-8")
    (repo / "records/a/新 \"文件\".txt").write_text("z\n", encoding="utf-8")
    (repo / "records/a" / names[0]).rename(repo / "records/a/改名后.txt")
    sh(repo, "git", "add", "-A")
    found = {(status, path, to) for status, path, to in changed_paths(repo, "HEAD")}
    assert ("R", f"records/a/{names[0]}", "records/a/改名后.txt") in found or ("D", f"records/a/{names[0]}", None) in found
    assert {("M", f"records/a/{name}", None) for name in names[1:]} <= found
    assert ("A", 'records/a/新 "文件".txt', None) in found


# -- 8. no change turns off the erasure check ---------------------------------------------------


def test_touching_a_policy_file_never_switches_the_erasure_check_off(repo: Path) -> None:
    meeting = repo / "records/yingjiju/meetings/2019-09-05-anquan.yaml"
    text = meeting.read_text(encoding="utf-8")
    (repo / "records/zhengfuban/registrations/2019-dj-02.yaml").unlink()
    sh(repo, "git", "commit", "-qam", "base: the 180-participant meeting is not registered yet")
    sh(repo, "git", "checkout", "-q", "-b", "launder-with-a-comment")
    meeting.write_text(text.replace("participants: 180", "participants: 150")
                       + "revisions:\n  - date: '2019-09-06'\n    reason: 更正笔误\n", encoding="utf-8")
    for touched in ("policies/calendar.yaml", "schemas/meeting.schema.json"):
        path = repo / touched
        before = path.read_text(encoding="utf-8")
        path.write_text(before + ("# 注释\n" if touched.endswith(".yaml") else "\n"), encoding="utf-8")
        result = zhixing(repo, "check", "--base", "main", "--format", "json")
        assert result.returncode == 1, touched
        erased = [v for v in _json(result) if v["rule"] == "change.finding-erased"]
        assert erased and "meeting.department-participants@meeting/2019-09-05-anquan" in erased[0]["message"], touched
        path.write_text(before, encoding="utf-8")


def test_what_a_policy_change_removes_or_adds_is_named_and_an_erasure_still_counts() -> None:
    from zhixing.changes import ChangeReport, judge_findings
    from zhixing.diagnostics import Severity, Violation

    class _Corpus:
        units: dict = {}

        def of_kind(self, kind: str) -> list:
            return []

        def find(self, kind: str, record_id: str) -> None:
            return None

        def unit_name(self, unit: str) -> str:
            return unit

    class _Policies:
        rules: dict = {}
        supervision = None

    def finding(fid: str) -> Violation:
        return Violation("records/a/meetings/m.yaml", 1, 1, fid.split("@")[0], 12, Severity.ERROR, {"zh": "x", "en": "x"},
                         finding=fid)

    report = ChangeReport(policy_changed=True)
    report.base_findings = {"r.a@meeting/m/x": "records/a/meetings/m.yaml", "r.b@meeting/m/y": "records/a/meetings/m.yaml"}
    report.base_under_new_policies = {"r.a@meeting/m/x": "records/a/meetings/m.yaml", "r.c@meeting/m/z": "records/a/meetings/m.yaml"}
    out = judge_findings([finding("r.c@meeting/m/z")], report, _Corpus(), _Policies())
    by_rule = {(v.rule, v.severity) for v in out}
    assert ("change.policy-removed", Severity.WARNING) in by_rule  # r.b: the policy change removed it
    assert ("change.finding-erased", Severity.ERROR) in by_rule  # r.a: the records erased it, policy change or not
    (added,) = [v for v in out if v.finding == "r.c@meeting/m/z"]
    assert added.severity is Severity.WARNING and added.ledger == {"change": "policy"}


# -- 9. reclassifying a record is an erasure ----------------------------------------------------


ANQUAN = "records/yingjiju/meetings/2019-09-05-anquan.yaml"
ANQUAN_FINDING = "meeting.department-participants@meeting/2019-09-05-anquan/participants"


def test_taking_a_record_with_a_finding_out_of_public_view_needs_the_office(repo: Path) -> None:
    meeting = repo / ANQUAN
    text = meeting.read_text(encoding="utf-8")
    (repo / "records/zhengfuban/registrations/2019-dj-02.yaml").unlink()
    sh(repo, "git", "commit", "-qam", "base: the 180-participant meeting is not registered yet")
    sh(repo, "git", "checkout", "-q", "-b", "hide-it")
    revision = "revisions:\n  - date: '2019-09-06'\n    reason: 涉及内部安排\n"
    for hidden in ("visibility: internal\nnonpublic_basis: 内部事务", "visibility: confidential\nnonpublic_basis: 《保守国家秘密法》"):
        meeting.write_text(text.replace("visibility: public", hidden) + revision, encoding="utf-8")
        result = zhixing(repo, "check", "--base", "main", "--format", "json")
        reclassified = [v for v in _json(result) if v["rule"] == "change.reclassified"]
        assert result.returncode == 1 and reclassified and ANQUAN_FINDING in reclassified[0]["message"], result.stdout
        assert "人民政府办公室" in reclassified[0]["message"]
    # the office's registration in the same change approves it
    (repo / "records/zhengfuban/registrations/2019-dj-09.yaml").write_text(
        "id: 2019-dj-09\nunit: zhengfuban\nvisibility: public\nregistered_on: '2019-09-12'\nfindings:\n"
        f"  - {ANQUAN_FINDING}\ndescription: 改为内部记录，依据内部事务\nhandling: 说明情况\nresponsible_unit: yingjiju\n",
        encoding="utf-8")
    assert "change.reclassified" not in {v["rule"] for v in _json(zhixing(repo, "check", "--base", "main", "--format", "json"))}


def test_the_public_list_keeps_a_count_of_findings_on_non_public_records(site: Path) -> None:
    page = (site / "findings/index.html").read_text(encoding="utf-8")
    assert "不公开记录上的问题" in page
    section = page.rsplit("不公开记录上的问题", 1)[1].split("全部问题", 1)[0]  # the heading, not the table of contents
    assert "抱由镇" in section  # the confidential consultation meeting's finding, as a number only
    from sitebuild import SECRET_ID, SECRET_TITLE

    assert SECRET_ID not in section and SECRET_TITLE not in section


# -- 10. a registration covers the fact it registered -------------------------------------------


def test_a_registration_covers_the_fact_it_registered_and_no_later_one(repo: Path) -> None:
    meeting = repo / ANQUAN
    text = meeting.read_text(encoding="utf-8")
    registered = {row["id"]: row for row in json.loads(zhixing(repo, "findings", "--format", "json").stdout)}
    assert registered[ANQUAN_FINDING]["status"] == "已说明"
    sh(repo, "git", "checkout", "-q", "-b", "raise-it")
    meeting.write_text(text.replace("participants: 180", "participants: 400")
                       + "revisions:\n  - date: '2019-09-06'\n    reason: 补录人数\n", encoding="utf-8")
    result = zhixing(repo, "check", "--base", "main", "--format", "json")
    (finding,) = [v for v in _json(result) if v.get("finding") == ANQUAN_FINDING]
    assert finding["status"] == "待登记" and finding["change"] == "new" and "2019-dj-02" in finding["hint"], finding
    assert result.returncode == 0  # a changed fact is filed as it is: the office registers it again (issue 27)
    row = {r["id"]: r for r in json.loads(zhixing(repo, "findings", "--format", "json").stdout)}[ANQUAN_FINDING]
    assert row["status"] == "待登记" and row["stale_registration"] == "2019-dj-02"
    # the office registers the new fact (its fingerprint is in the hint): covered again
    (repo / "records/zhengfuban/registrations/2019-dj-10.yaml").write_text(
        "id: 2019-dj-10\nunit: zhengfuban\nvisibility: public\nregistered_on: '2019-09-12'\nfindings:\n"
        f"  - {ANQUAN_FINDING}\nfacts:\n  {ANQUAN_FINDING}: {finding['fact']}\ndescription: 补录后为400人\n"
        "handling: 通报批评\nresponsible_unit: yingjiju\n", encoding="utf-8")
    again = zhixing(repo, "check", "--base", "main", "--format", "json")
    (finding,) = [v for v in _json(again) if v.get("finding") == ANQUAN_FINDING]
    assert finding["status"] == "已问责" and again.returncode == 0, again.stdout


def test_a_registration_without_its_fact_covers_nothing_found_now(repo_copy: Path) -> None:
    registration = repo_copy / "records/zhengfuban/registrations/2019-dj-02.yaml"
    registration.write_text("\n".join(line for line in registration.read_text(encoding="utf-8").splitlines()
                                      if not line.startswith(("facts:", "  meeting."))) + "\n", encoding="utf-8")
    done = subprocess.run([str(BIN / "zhixing"), "findings", "--format", "json"], cwd=repo_copy, capture_output=True, text=True)
    row = {r["id"]: r for r in json.loads(done.stdout)}[ANQUAN_FINDING]
    assert row["status"] == "待登记" and row["stale_registration"] == "2019-dj-02"


# -- 11. the cache never decides a published or gating verdict ---------------------------------


def _poison(cache: Path) -> None:
    """An earlier job's planted entry: the 180-participant meeting parsed as 100, verdicts dropped."""
    (part,) = [p for p in cache.rglob("parse-*yingjiju--meetings*.json")]
    stored = json.loads(part.read_text(encoding="utf-8"))
    (key,) = [k for k in stored["entries"] if k.endswith("2019-09-05-anquan.yaml")]
    stored["entries"][key]["record"]["data"]["participants"] = 100
    part.write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")
    for verdicts in cache.rglob("verdicts-*.json"):
        verdicts.unlink()


def test_a_planted_cache_entry_decides_no_ci_verdict(repo: Path, tmp_path: Path) -> None:
    import os

    cache = tmp_path / "runner-cache"
    env = {**os.environ, "ZHIXING_CACHE_DIR": str(cache), "PATH": f"{BIN}:{os.environ['PATH']}"}

    def findings(*args: str, **extra: str) -> set[str]:
        done = subprocess.run([str(BIN / "zhixing"), "check", "--format", "json", *args], cwd=repo, capture_output=True,
                              text=True, env={**env, **extra})
        return {v.get("finding") for v in json.loads(done.stdout)["violations"]}

    assert ANQUAN_FINDING in findings()  # fills the cache
    _poison(cache)
    assert ANQUAN_FINDING not in findings(), "the planted entry should fool a check that reads the cache"
    assert ANQUAN_FINDING in findings(ZHIXING_CACHE="0")  # what CI runs: the planted entry is never read
    assert ANQUAN_FINDING in findings("--base", "HEAD")  # the gate never reads it
    # the site build's own call, as the pages job runs it
    from zhixing.engine import Engine

    saved = {k: os.environ.get(k) for k in ("ZHIXING_CACHE", "ZHIXING_CACHE_DIR")}
    os.environ.update(ZHIXING_CACHE="0", ZHIXING_CACHE_DIR=str(cache))
    try:
        assert ANQUAN_FINDING in {v.finding for v in Engine(repo).check(use_cache=True).violations}
    finally:
        for k, v in saved.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)


def test_both_ci_templates_run_without_the_cache() -> None:
    from conftest import ROOT

    for name in (".github/workflows/pr.yml", ".github/workflows/pages.yml", ".gitlab-ci.yml"):
        assert 'ZHIXING_CACHE: "0"' in (ROOT / name).read_text(encoding="utf-8"), name


# -- 12. repository content never runs, pytest included -----------------------------------------


def test_pytest_never_imports_python_from_records(repo: Path, tmp_path: Path) -> None:
    import os

    marker = tmp_path / "ran"
    payload = f"import pathlib\npathlib.Path({str(marker)!r}).write_text('pwned')\n"
    for name in ("conftest.py", "test_evil.py"):
        planted = repo / "records/jiaoyuju" / name
        planted.write_text(payload, encoding="utf-8")
        env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"}
        for args in (["records/", "-p", "no:cacheprovider", "--junitxml", str(tmp_path / "j.xml")], ["records/jiaoyuju/"], []):
            done = subprocess.run([str(BIN / "pytest"), *args], cwd=repo, capture_output=True, text=True, env=env)
            assert not marker.exists(), (name, args, done.stdout[-2000:])
            assert done.returncode != 0 and "records/ 下不能有 Python 文件" in done.stdout + done.stderr, (name, args)
        checked = zhixing(repo, "check", "--format", "json", "records/jiaoyuju")
        assert (f"records/jiaoyuju/{name}", "file.unexpected") in {(v["path"], v["rule"]) for v in _json(checked)}
        planted.unlink()


# -- 13. separation of duties comes from data, and is checked ----------------------------------


def test_a_reviewer_shared_with_the_registering_office_is_refused(repo_copy: Path) -> None:
    units = repo_copy / "records/units.yaml"
    text = units.read_text(encoding="utf-8")
    assert "      - '@ld-jiaoyuju'\n" in text
    units.write_text(text.replace("      - '@ld-jiaoyuju'\n", "      - '@ld-jiaoyuju'\n      - '@ld-zhengfuban'\n", 1), encoding="utf-8")
    done = subprocess.run([str(BIN / "zhixing"), "check", "--format", "json", "records/units.yaml"], cwd=repo_copy,
                          capture_output=True, text=True)
    shared = [v for v in json.loads(done.stdout)["violations"] if v["rule"] == "registry.reviewer-shared"]
    assert done.returncode == 1 and shared and "@ld-zhengfuban" in shared[0]["message"] and "教育局" in shared[0]["message"]


def test_the_live_registry_keeps_duties_apart_and_governance_needs_two() -> None:
    from conftest import ROOT
    from zhixing.codeowners import GOVERNANCE, GOVERNANCE_SECTION

    owners = (ROOT / "CODEOWNERS").read_text(encoding="utf-8")
    assert GOVERNANCE_SECTION in owners and GOVERNANCE_SECTION.endswith("[2]")
    section = owners.split(GOVERNANCE_SECTION, 1)[1].strip().splitlines()
    listed = {line.split()[0]: line.split()[1:] for line in section}
    for pattern in (*GOVERNANCE, "/policies/supervision.yaml", "/records/units.yaml", "/CODEOWNERS", "/.pre-commit-config.yaml",
                    "/.gitlab-ci.yml", "/.github/"):
        assert len(set(listed[pattern])) >= 2, pattern
    assert "两名审核人" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_owners_from_one_unit_alone_cannot_govern(repo_copy: Path) -> None:
    units = repo_copy / "records/units.yaml"
    text = units.read_text(encoding="utf-8")
    units.write_text(text.replace("    legal_department: true\n", ""), encoding="utf-8")
    done = subprocess.run([str(BIN / "zhixing"), "codeowners"], cwd=repo_copy, capture_output=True, text=True)
    assert done.returncode == 2 and "两名审核人" in done.stderr, done.stderr


# -- 14. parser differentials --------------------------------------------------------------------


@pytest.mark.parametrize("text", ["id: x\u2028visibility: internal\n", "id: x\x85b: 1\n", "id: x\n# note\u2029b: 1\n",
                                  "id: x\ntitle: '会议\u2028名称'\n"])
def test_yaml11_line_breaks_are_refused_anywhere(text: str) -> None:
    from zhixing.loading import LoadLimits, load_yaml_text, scan_yaml_text

    loaded, problems = load_yaml_text(text, "x.yaml", LoadLimits(1 << 16, 32))
    assert loaded is None and problems[0].rule == "yaml.line-break" and problems[0].line in (1, 2)
    assert scan_yaml_text(text, "x.yaml", LoadLimits(1 << 16, 32))[0].rule == "yaml.line-break"


@pytest.mark.parametrize("text", ["id: x\na: !!str 120\n", "id: x\nb: !!str\n", "id: x\nc: !!int '5'\n", "id: !custom x\n",
                                  "!!map\nid: x\n", "id: x\nl: !!seq [a]\n"])
def test_explicit_tags_are_refused(text: str) -> None:
    from zhixing.loading import LoadLimits, load_yaml_text

    loaded, problems = load_yaml_text(text, "x.yaml", LoadLimits(1 << 16, 32))
    assert loaded is None and problems and problems[0].rule == "yaml.tag", (text, problems)


_KEYS = st.sampled_from(["id", "a", "b", "中文", "k-1", "title", "x_y"])
_SCALARS = st.sampled_from(["a", "中文", "1", "01", "1_000", "0x1F", "+0o7", ".NaN", "true", "no", "~", "''", '""', "'a''b'",
                            '"a\\"b"', "a #b", "a: b", "- a", "[a, b]", "{a: b}", "[a  b  , c]", "[a, [b]]", "{a: [b, c]}",
                            "!!str 1", "&x a", "*x", "2019-03-20", "09:00", "12:30:00", "|\n  x", ">-\n  x", "[a,", "{a: b",
                            "a\u2028b", "3.0", "-.inf", "85%", "R&D", "x!"])


@st.composite
def _documents(draw: st.DrawFn, depth: int = 0) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        key = draw(_KEYS)
        if depth < 2 and draw(st.integers(0, 4)) == 0:
            inner = draw(_documents(depth + 1))
            lines.append(f"{key}:\n" + "\n".join("  " + line for line in inner.splitlines()))
        elif draw(st.integers(0, 5)) == 0:
            lines.append(f"{key}:\n" + "\n".join(f"  - {draw(_SCALARS)}" for _ in range(draw(st.integers(1, 3)))))
        else:
            value = draw(_SCALARS)
            lines.append(f"{key}: " + value.replace("\n", "\n  "))
    return "\n".join(lines) + "\n"


@given(_documents())
@settings(max_examples=1500, deadline=None)
def test_the_fast_parser_and_libyaml_agree_on_generated_documents(text: str) -> None:
    """Wherever the fast route (yaml-rs) gives data, the reference route (libyaml) gives the same;
    a hostile shape (tags, YAML 1.1 breaks, unclosed flow lists) never differs silently."""
    from test_fast_yaml import fast, reference, same

    got = fast(text)
    data, problems = reference(text)
    if got is not None:
        assert problems == [] and same(got, data), (text, got, data, problems)
    if "\u2028" in text:  # a YAML 1.1 line break is never read as structure, on either route
        assert got is None and data is None and problems[0].rule == "yaml.line-break"
