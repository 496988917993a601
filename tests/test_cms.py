"""The web form's configuration (cms/config.yml, `zhixing cms`): generated from the schemas, the
registry and settings, so the form asks what `zhixing check` checks; stale when any of them changes;
served by the site at /admin/ with no outside address. The browser run is test_cms_browser.py."""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from gitrepo import BIN, sh
from ruamel.yaml import YAML
from zhixing.cms import TRAILING
from zhixing.records import KINDS
from zhixing.site.admin import bundle_files


def _config(root: Path = ROOT) -> dict[str, Any]:
    return YAML(typ="safe", pure=True).load((root / "cms/config.yml").read_text(encoding="utf-8"))


def _zhixing(root: Path, *args: str) -> Any:
    return sh(root, str(BIN / "zhixing"), *args, check=False)


def _schema(kind: str) -> dict[str, Any]:
    return json.loads((ROOT / f"schemas/{kind}.schema.json").read_text(encoding="utf-8"))


def _registry_ids() -> list[str]:
    units = YAML(typ="safe", pure=True).load((ROOT / "records/units.yaml").read_text(encoding="utf-8"))["units"]
    return [u["id"] for u in units]


def test_the_committed_config_is_what_the_schemas_and_registry_give() -> None:
    done = _zhixing(ROOT, "cms", "--check")
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("change", ["schema title", "enum value", "new unit", "settings"])
def test_the_config_goes_stale_when_its_sources_change(repo_copy: Path, change: str) -> None:
    (repo_copy / "cms").mkdir()
    assert _zhixing(repo_copy, "cms", "--check").returncode == 1  # none committed yet
    assert _zhixing(repo_copy, "cms").returncode == 0
    assert _zhixing(repo_copy, "cms", "--check").returncode == 0
    edits = {
        "schema title": ("schemas/meeting.schema.json", '"title": "参会人数"', '"title": "参加会议人数"'),
        "enum value": ("schemas/meeting.schema.json", '"电视电话"', '"电视电话", "网络视频"'),
        "new unit": ("records/units.yaml", "units:\n", "units:\n  - id: xinbumen\n    name: 乐东黎族自治县新部门\n"
                     "    type: 部门\n    valid_from: '2019-01-01'\n"),
        "settings": ("policies/settings.yaml", "  branch: main\n", "  branch: master\n"),
    }
    name, old, new = edits[change]
    path = repo_copy / name
    assert old in path.read_text(encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    stale = _zhixing(repo_copy, "cms", "--check")
    assert stale.returncode == 1 and "zhixing cms" in stale.stderr, stale.stdout + stale.stderr
    assert _zhixing(repo_copy, "cms").returncode == 0
    assert _zhixing(repo_copy, "cms", "--check").returncode == 0


def test_one_collection_per_unit_and_kind_at_the_repository_paths() -> None:
    config = _config()
    names = {c["name"]: c for c in config["collections"]}
    for unit in _registry_ids():
        for kind, spec in KINDS.items():
            collection = names.get(f"{unit}-{spec.folder}")
            if kind == "registration" and collection is None:
                continue  # only the supervising offices file registrations
            assert collection is not None, (unit, kind)
            assert collection["folder"] == f"records/{unit}/{spec.folder}"
            assert (collection["extension"], collection["format"], collection["slug"]) == ("yaml", "yaml", "{{fields.id}}")
            unit_field = next(f for f in collection["fields"] if f["name"] == "unit")
            assert unit_field == {"name": "unit", "label": "单位", "widget": "hidden", "default": unit}
            assert "CI" in collection["description"]  # where the rule findings are seen
    assert "zhengfuban-registrations" in names and "jiaoyuju-registrations" not in names
    assert config["publish_mode"] == "editorial_workflow"


def _fields(collection: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in collection["fields"]}


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_property_is_a_field_labelled_by_its_title(kind: str) -> None:
    schema = _schema(kind)
    collection = next(c for c in _config()["collections"] if c["folder"] == f"records/zhengfuban/{KINDS[kind].folder}")
    fields = _fields(collection)
    # Schema order, the bookkeeping (notes, revisions …) after the content: first what the clerk knows.
    # A map with keys of the clerk's choosing (a registration's facts) has no form widget (cms.py).
    maps = {n for n, p in schema["properties"].items() if p.get("type") == "object" and "properties" not in p}
    schema = {**schema, "properties": {n: p for n, p in schema["properties"].items() if n not in maps}}
    content = [n for n in schema["properties"] if n not in TRAILING]
    assert list(fields) == content + [n for n in TRAILING if n in schema["properties"]]
    required = set(schema["required"])
    for name, node in schema["properties"].items():
        if name == "unit":
            continue
        assert fields[name]["label"] == node["title"], name
        assert fields[name].get("required", True) == (name in required), name


def test_widgets_follow_types_formats_and_enums() -> None:
    collection = next(c for c in _config()["collections"] if c["name"] == "jiaoyuju-meetings")
    fields = _fields(collection)
    units = _registry_ids()
    assert fields["date"]["widget"] == "datetime" and fields["date"]["format"] == "YYYY-MM-DD"
    assert fields["date"]["time_format"] is False
    assert fields["start_time"]["widget"] == "datetime" and fields["start_time"]["format"] == "HH:mm"
    assert fields["start_time"]["date_format"] is False
    assert fields["participants"] == {**fields["participants"], "widget": "number", "value_type": "int", "min": 1}
    assert fields["format"]["widget"] == "select" and fields["format"]["options"] == _schema("meeting")["properties"]["format"]["enum"]
    assert fields["attending_units"]["widget"] == "select" and fields["attending_units"]["multiple"] is True
    assert [o["value"] for o in fields["attending_units"]["options"]] == units
    assert any("教育局" in o["label"] for o in fields["attending_units"]["options"])
    visibility = {o["value"]: o["label"] for o in fields["visibility"]["options"]}
    assert visibility["public"].startswith("主动公开") and fields["visibility"]["default"] == "public"
    agenda = _fields(fields["agenda"])
    assert fields["agenda"]["widget"] == "list" and fields["agenda"]["default"] == []
    assert agenda["submitted_by"]["widget"] == "select" and agenda["pre_communicated"]["widget"] == "boolean"
    # An optional object does not make the form demand its fields of a clerk who leaves it out.
    upper = _fields(fields["follows_upper_teleconference"])
    assert all(f.get("required") is False for f in upper.values())
    assert re.fullmatch(fields["id"]["pattern"][0], "2019-10-14-1") and not re.fullmatch(fields["id"]["pattern"][0], "2019/10/14")
    assert fields["id"]["pattern"][1].startswith("格式不符")
    # The description is the hint under the field, unless it only repeats the label.
    assert fields["chair"]["hint"] == _schema("meeting")["properties"]["chair"]["description"] != fields["chair"]["label"]
    assert "hint" not in fields["date"] and fields["date"]["label"] == _schema("meeting")["properties"]["date"]["description"]


def test_a_document_body_is_an_upload_stored_beside_the_record() -> None:
    collection = next(c for c in _config()["collections"] if c["name"] == "zhengfuban-documents")
    assert (collection["media_folder"], collection["public_folder"]) == ("", "")
    assert _fields(collection)["body_file"]["widget"] == "file"


def test_the_backend_comes_from_settings(repo_copy: Path) -> None:
    (repo_copy / "cms").mkdir()
    assert _zhixing(repo_copy, "cms").returncode == 0
    backend = _config(repo_copy)["backend"]
    assert backend["name"] == "gitlab" and backend["auth_type"] == "pkce" and backend["api_root"].endswith("/api/v4")
    settings = repo_copy / "policies/settings.yaml"
    text = settings.read_text(encoding="utf-8")
    block = text[text.index("\ncms:\n"):]
    settings.write_text(text.replace(block, "\ncms:\n  backend: github\n  repo: ledong/zhixing\n  branch: main\n"
                                     "  local_backend_port: 18081\n"), encoding="utf-8")
    assert _zhixing(repo_copy, "cms").returncode == 0
    config = _config(repo_copy)
    assert config["backend"]["name"] == "github" and "auth_type" not in config["backend"]
    assert config["local_backend"] == {"url": "http://localhost:18081/api/v1"}
    settings.write_text(text.replace(block, "\n"), encoding="utf-8")
    missing = _zhixing(repo_copy, "cms")
    assert missing.returncode == 2 and "cms:" in missing.stderr and "Traceback" not in missing.stderr


def test_the_site_serves_the_form_from_its_own_files(site: Path) -> None:
    if not bundle_files(ROOT) and os.environ.get("ZHIXING_REQUIRE_CMS") != "1":
        pytest.skip("the CMS's npm packages are not installed (make cms)")
    admin = site / "admin"
    assert (admin / "decap-cms.js").stat().st_size > 1_000_000
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<script src="([^"]+)"', page) == ["decap-cms.js", "zhixing-admin.js"]
    assert "CMS_MANUAL_INIT" in page and "http" not in page
    units = json.loads(html.unescape(re.search(r'data-units="([^"]*)"', page).group(1)))
    assert units["jiaoyuju"] == "乐东黎族自治县教育局" and list(units) == _registry_ids()
    own = json.loads((admin / "config/jiaoyuju.json").read_text(encoding="utf-8"))
    assert own["collections"] and all(c["folder"].startswith("records/jiaoyuju/") for c in own["collections"])
    assert own["backend"] == _config()["backend"] and own["load_config_file"] is False
    # The chunks the CMS loads lazily are served beside it (webpack resolves them from /admin/).
    assert len(list(admin.glob("*.decap-cms.js"))) > 50


def test_length_limits_are_checked_in_the_form() -> None:
    """A schema's maxLength (without a pattern of its own) becomes the field's pattern, with the limit in its message."""
    limited = [(kind, name, node) for kind in KINDS for name, node in _schema(kind)["properties"].items()
               if node.get("type") == "string" and node.get("maxLength") and "pattern" not in node and "enum" not in node]
    assert limited
    for kind, name, node in limited:
        collection = next(c for c in _config()["collections"] if c["folder"] == f"records/zhengfuban/{KINDS[kind].folder}")
        regex, message = _fields(collection)[name]["pattern"]
        limit = node["maxLength"]
        assert re.fullmatch(regex, "字" * limit) and not re.fullmatch(regex, "字" * (limit + 1)), (kind, name)
        assert f"最多 {limit} 个字符" in message


def test_a_copy_without_the_cms_folder_still_builds_its_form(tmp_path: Path) -> None:
    """A draft or a test copy of the county's data, without cms/: the build uses the CMS installed in
    zhixing's own checkout and makes the config from the copy's schemas, registry and settings; with
    no forge configured, /admin/ says so. Strict builds either way."""
    import subprocess
    import sys

    from gitrepo import copy_repository

    if not bundle_files(ROOT):
        pytest.skip("the CMS's npm packages are not installed (make cms)")
    repo = copy_repository(tmp_path / "repo", ("policies", "schemas", "records", "docs", "overrides", "tools"))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "ZHIXING_REQUIRE_CMS": "1", "ZHIXING_CACHE_DIR": str(tmp_path / "cache")}

    def build(site: str) -> Path:
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "--site-dir", str(repo / site)],
                              cwd=repo, capture_output=True, text=True, check=False, env=env)
        assert done.returncode == 0, done.stderr
        return repo / site / "admin"

    admin = build("site")
    assert (admin / "decap-cms.js").is_file()
    assert json.loads((admin / "config/jiaoyuju.json").read_text(encoding="utf-8"))["collections"]
    assert (admin / "config.yml").read_text(encoding="utf-8") == (ROOT / "cms/config.yml").read_text(encoding="utf-8")
    settings = repo / "policies/settings.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text[:text.index("\ncms:\n")] + "\n", encoding="utf-8")
    admin = build("site2")
    assert "尚未配置" in (admin / "index.html").read_text(encoding="utf-8") and not (admin / "config").exists()
