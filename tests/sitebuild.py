"""Build the real site from a private copy of the repository, with a few hostile and secret
records added, for the site and browser tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gitrepo import SITE, copy_repository

XSS_TITLE = "<script>alert(1)</script>抱由镇安全会议"
XSS_AGENDA = '<img src=x onerror="alert(2)">议题'
SECRET_ID = "secret-zhuanxiang-2019"
SECRET_TITLE = "绝密选址专题会议甲乙丙"
INTERNAL_ID = "internal-juwu-2019"
INTERNAL_TITLE = "内部局务会议丁戊己"
PRIVATE_NOTE = "仅供内部参考的备注庚辛壬"
PRIVATE_FIELD_VALUE = "不公开的会议地点癸子丑"
SECRET_APPROVAL_ID = "neibu-pizhun-yinmi-7"
# A confidential inspection of the same matter and target as a public one, overlapping it: the
# public one's Art. 34 finding must not quote its title or dates.
SECRET_INSPECTION_ID = "jimi-ducha-2019"
SECRET_INSPECTION_TITLE = "涉密督查寅卯辰"
SECRET_INSPECTION_DATES = ("2019-05-12", "2019-05-18")
# A private agenda holding a mobile number: the public meeting's Art. 7 finding must not quote it.
PRIVATE_AGENDA = "私下议题巳午未 联系人 13800138000"
PRIVATE_AGENDA_MEETING = "private-agenda"
# A record id made of one digit, hidden: "超过 4 小时" must stay as it is.
HIDDEN_DIGIT_ID = "4"
# Personal numbers written to dodge a plain pattern, in a public field: all masked on the site.
DODGED_NUMBERS = ("１３８００１３８０００", "138-0013-8001", "138 0013 8002", "+86 139 0013 9003", "0086 13900139004",
                  "110105491231002")
DODGED_MEETING = "dodged-numbers"
# Titles that carry markup by entity, or hide it behind a separator: never markup in <title>.
ENTITY_TITLE = "&lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt;会议"
ENTITY_MEETING = "entity-title"
SEPARATORS = ("\\v", "\\f", "\\x1c", "\\x1d", "\\x1e", "\\x85", "\\u2028", "\\u2029")
WITHDRAWN_MEETING = "withdrawn-meeting"
REPO_URL = "https://git.example.invalid/ledong/zhixing"
# A public consultation meeting whose attending units are private, inviting a unit that agrees: its
# Art. 12 finding must not name that unit, by id or by name (privacy by reference).
PRIVATE_INVITEE_MEETING = "private-invitee"
PRIVATE_INVITEE_UNIT = ("yingjiju", "应急管理局")
# A public document whose body file's name holds a mobile number spelled with underscores.
NUMBERED_BODY_DOCUMENT = "numbered-body"
NUMBERED_BODY_FILE = "联系人138_0013_8000.txt"
# A public document whose .docx body unpacks to megabytes of text: refused by the check, never read by the site.
BOMB_DOCUMENT = "bomb-body"
BOMB_TEXT = "炸"
CSV_FORMULA_TITLE = "=HYPERLINK(\"http://evil.invalid\",\"点击\")"

MEETING = """id: {id}
unit: baoyouzhen
visibility: {visibility}
{extra}title: '{title}'
kind: 其他
convened_in_name_of: 镇
format: 现场
date: "2019-05-20"
start_time: "09:00"
end_time: "10:00"
participants: 12
location: {location}
notes: {note}
agenda:
  - title: '{agenda}'
"""


def build_site(target: Path) -> Path:
    """Copy the repository's site sources and data into ``target``, add the test records, build."""
    copy_repository(target, SITE)
    # The county's repository, named in settings: the site links each record page to its YAML source.
    settings = target / "policies/settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "  county: 乐东县\n", f"  county: 乐东县\n  repo_url: {REPO_URL}\n  edit_uri: -/edit/main/\n"), encoding="utf-8")
    meetings = target / "records/baoyouzhen/meetings"
    (meetings / "xss-test.yaml").write_text(MEETING.format(
        id="xss-test", visibility="public", extra="", title=XSS_TITLE, agenda=XSS_AGENDA, location="抱由镇会议室",
        note=PRIVATE_NOTE), encoding="utf-8")
    # The secret meeting also breaks a rule (a consultation meeting naming no dissenting unit): its
    # violation must not reach the article pages, counts or downloads either.
    (meetings / f"{SECRET_ID}.yaml").write_text(MEETING.format(
        id=SECRET_ID, visibility="confidential", extra="nonpublic_basis: 《保守国家秘密法》\n", title=SECRET_TITLE,
        agenda="选址", location="保密", note="无").replace("kind: 其他", "kind: 征求意见会"), encoding="utf-8")
    (meetings / f"{INTERNAL_ID}.yaml").write_text(MEETING.format(
        id=INTERNAL_ID, visibility="internal", extra="nonpublic_basis: 内部事务\n", title=INTERNAL_TITLE,
        agenda="人事", location="会议室", note="无"), encoding="utf-8")
    # A public meeting citing an internal approval that does not cover it: the finding on the public
    # page must not name the internal record.
    (meetings / "private-field.yaml").write_text(MEETING.format(
        id="private-field", visibility="public", extra=f"private_fields: [location]\napprovals: [{SECRET_APPROVAL_ID}]\n",
        title="抱由镇征地协调会", agenda="征地", location=PRIVATE_FIELD_VALUE, note="无"), encoding="utf-8")
    approvals = target / "records/baoyouzhen/approvals"
    approvals.mkdir(parents=True)
    (approvals / f"{SECRET_APPROVAL_ID}.yaml").write_text(
        f"id: {SECRET_APPROVAL_ID}\nunit: baoyouzhen\nvisibility: internal\nnonpublic_basis: 内部审批\n"
        "rule: meeting.system-meeting-limit\nrecords: [xss-test]\nreference: 内部批示\ndate: \"2019-05-01\"\n",
        encoding="utf-8")
    inspections = target / "records/duchashi/inspections"
    (inspections / f"{SECRET_INSPECTION_ID}.yaml").write_text(
        f"id: {SECRET_INSPECTION_ID}\nunit: duchashi\nvisibility: confidential\nnonpublic_basis: 涉密\n"
        f"title: {SECRET_INSPECTION_TITLE}\nin_name_of_county_government: false\nsource: 本级\nmatter: 重点项目\n"
        f"matter_key: zhongdian-xiangmu\ntargets: [fagaiwei]\nstart: '{SECRET_INSPECTION_DATES[0]}'\n"
        f"end: '{SECRET_INSPECTION_DATES[1]}'\nteam: 某组\nfiled_on: '2019-04-01'\nroutine_check: false\nfindings: []\n",
        encoding="utf-8")
    (meetings / f"{PRIVATE_AGENDA_MEETING}.yaml").write_text(MEETING.format(
        id=PRIVATE_AGENDA_MEETING, visibility="public", extra="private_fields: [agenda]\n", title="抱由镇专题会议",
        agenda=PRIVATE_AGENDA, location="会议室", note="无").replace("kind: 其他", "kind: 专题会议"), encoding="utf-8")
    (meetings / f"{HIDDEN_DIGIT_ID}.yaml").write_text(MEETING.format(
        id=HIDDEN_DIGIT_ID, visibility="internal", extra="nonpublic_basis: 内部\n", title="内部会议",
        agenda="人事", location="会议室", note="无").replace(f"id: {HIDDEN_DIGIT_ID}\n", f'id: "{HIDDEN_DIGIT_ID}"\n'),
        encoding="utf-8")
    (meetings / "long-topic.yaml").write_text(MEETING.format(
        id="long-topic", visibility="public", extra="", title="抱由镇长时间专题会议", agenda="议题",
        location="会议室", note="无").replace("kind: 其他", "kind: 专题会议").replace('end_time: "10:00"', 'end_time: "15:00"')
        .replace("  - title: '议题'", "  - title: '议题'\n    pre_communicated: true"), encoding="utf-8")
    (meetings / f"{DODGED_MEETING}.yaml").write_text(MEETING.format(
        id=DODGED_MEETING, visibility="public", extra="", title="抱由镇联络会议", agenda="联络",
        location="联系 " + "；".join(DODGED_NUMBERS), note="无"), encoding="utf-8")
    (meetings / f"{ENTITY_MEETING}.yaml").write_text(MEETING.format(
        id=ENTITY_MEETING, visibility="public", extra="", title=ENTITY_TITLE, agenda="议题",
        location="会议室", note="无"), encoding="utf-8")
    (meetings / "csv-formula.yaml").write_text(MEETING.format(
        id="csv-formula", visibility="public", extra="", title=CSV_FORMULA_TITLE.replace("'", "''"), agenda="议题",
        location="会议室", note="无"), encoding="utf-8")
    (meetings / f"{WITHDRAWN_MEETING}.yaml").write_text(MEETING.format(
        id=WITHDRAWN_MEETING, visibility="public", extra="", title="抱由镇已撤回的会议", agenda="议题", location="会议室",
        note="无") + "withdrawn:\n  date: '2019-05-21'\n  reason: 重复录入\n", encoding="utf-8")
    for index, separator in enumerate(SEPARATORS):
        record_id = f"separator-{index}"
        (meetings / f"{record_id}.yaml").write_text(MEETING.format(
            id=record_id, visibility="public", extra="", title="x", agenda="议题", location="会议室", note="无")
            .replace("title: 'x'", f'title: "会议{separator}</title><script>alert(4)</script>"'), encoding="utf-8")
    (meetings / f"{PRIVATE_INVITEE_MEETING}.yaml").write_text(MEETING.format(
        id=PRIVATE_INVITEE_MEETING, visibility="public",
        extra=f"private_fields: [attending_units]\nattending_units: [{PRIVATE_INVITEE_UNIT[0]}]\ndissenting_units: [huangliuzhen]\n",
        title="抱由镇征求意见会", agenda="意见", location="会议室", note="无").replace("kind: 其他", "kind: 征求意见会"),
        encoding="utf-8")
    _add_numbered_body(target)
    _add_reserved_ids(target)
    _add_bomb_body(target)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(["git", "init", "-q"], cwd=target, check=True)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(target / "site")],
                          cwd=target, capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        raise AssertionError(proc.stderr)
    (target / "build.log").write_text(proc.stderr, encoding="utf-8")  # what the build said (the search's route)
    return target / "site"


def _add_reserved_ids(target: Path) -> None:
    """For every kind with pages of its own, a copy of one of its example records under each of the
    site's own page names (records.RESERVED_IDS): none may take over a section's page."""
    from zhixing.records import KINDS, RESERVED_IDS, SECTIONS

    for kind in SECTIONS:
        example = next(iter(sorted((target / "records").glob(f"*/{KINDS[kind].folder}/*.yaml"))), None)
        if example is None:
            continue
        text = example.read_text(encoding="utf-8")
        for name in sorted(RESERVED_IDS):
            (example.parent / f"{name}.yaml").write_text(text.replace(f"id: {example.stem}\n", f"id: {name}\n", 1),
                                                         encoding="utf-8")


def _add_bomb_body(target: Path) -> None:
    from docxfiles import make_bomb_docx

    folder = target / "records/jiaoyuju/documents"
    text = (folder / "lejiao-2019-12.yaml").read_text(encoding="utf-8")
    (folder / f"{BOMB_DOCUMENT}.yaml").write_text(
        text.replace("id: lejiao-2019-12", f"id: {BOMB_DOCUMENT}").replace("12号", "912号") + f"body_file: {BOMB_DOCUMENT}.docx\n",
        encoding="utf-8")
    make_bomb_docx(folder / f"{BOMB_DOCUMENT}.docx", BOMB_TEXT, 4_000_000)


def _add_numbered_body(target: Path) -> None:
    folder = target / "records/jiaoyuju/documents"
    text = (folder / "lejiao-2019-12.yaml").read_text(encoding="utf-8")
    (folder / f"{NUMBERED_BODY_DOCUMENT}.yaml").write_text(
        text.replace("id: lejiao-2019-12", f"id: {NUMBERED_BODY_DOCUMENT}").replace("12号", "913号")
        + f"body_file: {NUMBERED_BODY_FILE}\n", encoding="utf-8")
    (folder / NUMBERED_BODY_FILE).write_text("正文。\n", encoding="utf-8")
