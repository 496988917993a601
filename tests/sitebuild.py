"""Build the real site from a private copy of the repository, with a few hostile and secret
records added, for the site and browser tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

XSS_TITLE = "<script>alert(1)</script>抱由镇安全会议"
XSS_AGENDA = '<img src=x onerror="alert(2)">议题'
SECRET_ID = "secret-zhuanxiang-2019"
SECRET_TITLE = "绝密选址专题会议甲乙丙"
INTERNAL_ID = "internal-juwu-2019"
INTERNAL_TITLE = "内部局务会议丁戊己"
PRIVATE_NOTE = "仅供内部参考的备注庚辛壬"
PRIVATE_FIELD_VALUE = "不公开的会议地点癸子丑"
SECRET_APPROVAL_ID = "neibu-pizhun-yinmi-7"

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
    for folder in ("policies", "schemas", "records", "docs", "overrides", "tools"):
        shutil.copytree(ROOT / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
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
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(["git", "init", "-q"], cwd=target, check=True)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(target / "site")],
                          cwd=target, capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        raise AssertionError(proc.stderr)
    return target / "site"
