"""The web form at /admin/ (README 网页填报): Decap CMS, vendored from npm (cms/package-lock.json,
installed by `make cms`), copied into the built site with the committed configuration
(cms/config.yml, written by `zhixing cms`).

/admin/ is one page for every unit: a clerk picks their unit once (the browser keeps it), and the
CMS starts with that unit's collections only (admin/config/<unit>.json: records/<unit>/<kind folder>/).
One page means one OAuth redirect address to register on the forge. Nothing is fetched from elsewhere: the CMS's code, its
chunks and this project's script (cms/zhixing-admin.js) are served by the site; the only other
address the form talks to is the forge's API (or, on localhost, the development backend).
"""

from __future__ import annotations

import functools
import html
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from zhixing.records import KINDS
from zhixing.site.pages import write_if_changed

BUNDLE = Path("cms/node_modules/decap-cms/dist")
CONFIG = Path("cms/config.yml")
SCRIPT = Path("cms/zhixing-admin.js")
# The checkout zhixing itself runs from: a copy of the county's data (a draft, a test) built without
# its own `make cms` uses the CMS installed there.
HOME = Path(__file__).resolve().parents[3]
# Set by CI: a build without the CMS is an error there, not a page explaining how to install it.
REQUIRE_ENV = "ZHIXING_REQUIRE_CMS"


class AdminError(Exception):
    """The CMS is required (ZHIXING_REQUIRE_CMS=1) but not installed, or its config is unreadable."""


def _installed(root: Path, relative: Path) -> Path | None:
    """A file or folder of the CMS in the repository, else in zhixing's own checkout."""
    for base in (root, HOME):
        if (base / relative).exists():
            return base / relative
    return None


def bundle_files(root: Path) -> list[Path]:
    """The CMS's runtime files: the main script, its lazily loaded chunks, WebAssembly and licence."""
    folder = _installed(root, BUNDLE / "decap-cms.js")
    if folder is None:
        return []
    folder = folder.parent
    return sorted(p for p in folder.iterdir() if p.is_file() and (
        p.name == "decap-cms.js" or p.name.endswith((".decap-cms.js", ".wasm")) or p.name == "decap-cms.js.LICENSE.txt"))


def write(root: Path, site_dir: Path, site_name: str, unit_names: dict[str, str],
          generated: Callable[[], str | None]) -> None:
    """/admin/: one page for every unit (one OAuth redirect address for the forge), each unit's
    configuration in admin/config/<unit>.json, the CMS's files."""
    admin = site_dir / "admin"
    admin.mkdir(parents=True, exist_ok=True)
    files = bundle_files(root)
    script = _installed(root, SCRIPT)
    if not files or script is None:
        if os.environ.get(REQUIRE_ENV) == "1":
            raise AdminError("网页填报组件未安装（运行 make cms） / the CMS is not installed (make cms)")
        (admin / "index.html").write_text(_MESSAGE.format(site=html.escape(site_name), **_NOT_INSTALLED), encoding="utf-8")
        return
    # The committed config (reviewed, `zhixing cms --check` keeps it fresh), or one made now from the
    # repository's schemas, registry and settings when it has none.
    text = (root / CONFIG).read_text(encoding="utf-8") if (root / CONFIG).is_file() else generated()
    if text is None:
        (admin / "index.html").write_text(_MESSAGE.format(site=html.escape(site_name), **_NOT_CONFIGURED), encoding="utf-8")
        return
    for file in files:
        target = admin / file.name
        if not target.exists() or target.stat().st_mtime < file.stat().st_mtime:
            shutil.copy2(file, target)
    shutil.copy2(script, admin / SCRIPT.name)
    per_unit = _unit_configs(text)
    write_if_changed(admin / "config.yml", text)
    (admin / "config").mkdir(exist_ok=True)
    for uid, unit_config in per_unit.items():
        write_if_changed(admin / "config" / f"{uid}.json", unit_config)
    units = {uid: unit_names.get(uid, uid) for uid in per_unit}
    (admin / "index.html").write_text(_form_page(site_name, units), encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _unit_configs(text: str) -> dict[str, str]:
    """Each unit's configuration (JSON), in the registry's order as the config lists them; the CMS
    is started by zhixing-admin.js with it (CMS.init), not by reading config.yml. Kept for the next
    `mkdocs serve` rebuild, which would otherwise parse the same half megabyte again."""
    config = _load(text, CONFIG)
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for collection in config["collections"]:
        by_unit.setdefault(collection["folder"].split("/")[1], []).append(collection)
    return {uid: json.dumps({**config, "load_config_file": False, "collections": own}, ensure_ascii=False)
            for uid, own in by_unit.items()}


def _load(text: str, path: Path) -> dict[str, Any]:
    """The config (written by `zhixing cms`, anchors for shared fields), with libyaml's C loader: the
    pure-Python one took seconds for half a megabyte of YAML on every build."""
    import yaml

    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise AdminError(f"{path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("collections"), list):
        raise AdminError(f"{path}: 不是网页填报配置，请运行 zhixing cms / not a CMS config, run zhixing cms")
    return data


def _form_page(site_name: str, units: dict[str, str]) -> str:
    attributes = {"data-units": json.dumps(units, ensure_ascii=False),
                  "data-date-fields": json.dumps({s.folder: s.date_field for s in KINDS.values()}, ensure_ascii=False),
                  "data-kind-labels": json.dumps({s.folder: s.label for s in KINDS.values()}, ensure_ascii=False),
                  "data-site-name": site_name}
    attrs = " ".join(f'{k}="{html.escape(v)}"' for k, v in attributes.items())
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>网页填报 · {html.escape(site_name)}</title>
<style>.zx-admin{{font-family:system-ui,sans-serif;max-width:44em;margin:2em auto;padding:0 1em;line-height:1.6}}
.zx-admin ul{{columns:2 16em}}</style>
</head>
<body {attrs}>
<script>window.CMS_MANUAL_INIT = true;</script>
<script src="decap-cms.js"></script>
<script src="zhixing-admin.js"></script>
</body>
</html>
"""


_MESSAGE = """<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="robots" content="noindex"><title>网页填报 · {site}</title></head>
<body>
<h1>网页填报</h1>
<p>{zh}</p>
<p>{en}</p>
<p><a href="../">返回 {site}</a></p>
</body>
</html>
"""
_NOT_CONFIGURED = {
    "zh": "网页填报尚未配置：管理员请在 <code>policies/settings.yaml</code> 的 <code>cms:</code> 中写明代码托管平台（见仓库 "
          "README“网页填报”），运行 <code>zhixing cms</code> 后重新构建网站。",
    "en": "The web form is not configured: add a <code>cms:</code> block to policies/settings.yaml and run "
          "<code>zhixing cms</code>.",
}
_NOT_INSTALLED = {
    "zh": "网页填报组件尚未安装。管理员请在仓库目录运行 <code>make cms</code>（需要 Node.js 和 npm），再重新构建网站。",
    "en": "The web form (Decap CMS) is not installed: run <code>make cms</code> and rebuild the site.",
}
