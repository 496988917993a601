"""A realistic synthetic corpus of N records for benchmarks: every record kind, valid records
that exercise every rule (no path the checker skips), spread over synthetic departments.

Each synthetic unit receives a bundle cloned from the example records in records/: meetings of
every kind (one county-wide system meeting, as Art. 11 allows), documents with plan items and
body texts, tasks, inspections (a matter key of its own, so Art. 34 sees no overlap), directives,
fault-tolerance cases, service lists and document and inspection plans.

    python bench/synth.py 10000 /tmp/corpus-10k
"""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
# A template's per-unit values while it is dumped: plain words, as the values themselves are dumped
# (tests: the corpus is the same byte for byte as dumping each record).
_MARK = "zxsynthmark{}"
COPY = ("policies", "schemas", "docs", "overrides", "tools", "mkdocs.yml", ".pre-commit-config.yaml")


def _bundle(yaml: YAML) -> list[tuple[str, str, dict, Path]]:
    """(kind folder, template id, data, source path) of the example records usable as templates."""
    out = []
    seen_system = False
    # The example ledger's records break rules on purpose (and are registered): not templates.
    registered = {str(f).split("@", 1)[1].split("/")[1] for path in (ROOT / "records").glob("*/registrations/*.yaml")
                  for f in yaml.load(path.read_text(encoding="utf-8")).get("findings", [])}
    for path in sorted((ROOT / "records").glob("*/*/*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"))
        folder = path.parent.name
        if folder in ("approvals", "registrations") or data.get("approvals") or data.get("visibility") != "public":
            continue
        if data.get("id") in registered:
            continue
        if data.get("kind") == "本系统全县性会议":
            if seen_system:
                continue
            seen_system = True
        out.append((folder, data["id"], data, path))
    return out


def generate(n: int, target: Path) -> Path:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in COPY:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif source.exists():
            shutil.copy(source, target / name)
    if (ROOT / "cms/config.yml").exists():  # the web form is part of the built site; its npm packages are shared
        (target / "cms").mkdir()
        for name in ("config.yml", "zhixing-admin.js"):
            shutil.copy(ROOT / "cms" / name, target / "cms" / name)
        if (ROOT / "cms/node_modules").is_dir():
            (target / "cms/node_modules").symlink_to(ROOT / "cms/node_modules")
    shutil.copytree(ROOT / "records", target / "records")  # the example corpus stays: plans, registry
    bundle = _bundle(yaml)
    registry = yaml.load((ROOT / "records/units.yaml").read_text(encoding="utf-8"))
    made = 0
    unit_no = 0
    texts: dict[tuple[str, str], str] = {}
    while made < n:
        unit_no += 1
        unit = f"dept-{unit_no:04d}"
        registry["units"].append({"id": unit, "name": f"乐东黎族自治县合成测试局{unit_no}", "type": "部门",
                                  "parent": "xianzhengfu", "valid_from": "2000-01-01", "reviewers": [f"@bench-{unit_no}"],
                                  "legal_advisor": True,
                                  "meeting_targets": [{"year": 2019, "max_meetings": 1000}]})
        for folder, template_id, data, source in bundle:
            if made >= n:
                break
            values = {"id": f"{template_id}-u{unit_no}", "unit": unit}
            if folder == "inspections":
                values["matter_key"] = f"{data.get('matter_key', 'matter')}-u{unit_no}"
                values["matter"] = f"{data.get('matter', '')}（{unit_no}）"  # matters compare by text too
            if (folder, template_id) not in texts:  # each template dumped once, its per-unit values as markers
                record = dict(data)
                record.update({key: _MARK.format(key) for key in values})
                dumped = io.StringIO()
                yaml.dump(record, dumped)
                texts[folder, template_id] = dumped.getvalue()
            text = texts[folder, template_id]
            for key, value in values.items():
                text = text.replace(_MARK.format(key), value)
            out = target / "records" / unit / folder / f"{values['id']}.yaml"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
            if data.get("body_file"):
                shutil.copy(source.parent / data["body_file"], out.parent / data["body_file"])
            made += 1
    with (target / "records/units.yaml").open("w", encoding="utf-8") as handle:
        yaml.dump(registry, handle)
    return target


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
