"""The benchmark's synthetic corpus (bench/synth.py) is what it says: each record its template with
its unit's id, unit and inspection matter, dumped as ruamel.yaml dumps the record itself."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from conftest import ROOT
from ruamel.yaml import YAML

sys.path.insert(0, str(ROOT / "bench"))
import synth  # noqa: E402


def test_each_synthetic_record_is_its_template_dumped_with_its_units_values(tmp_path: Path) -> None:
    corpus = synth.generate(250, tmp_path / "corpus")
    yaml = YAML(typ="rt")
    yaml.width = 4096
    bundle = synth._bundle(yaml)
    compared = 0
    for unit_no in (1, 2):
        for folder, template_id, data, _ in bundle:
            record = dict(data)
            record["id"] = f"{template_id}-u{unit_no}"
            record["unit"] = f"dept-{unit_no:04d}"
            if folder == "inspections":
                record["matter_key"] = f"{data.get('matter_key', 'matter')}-u{unit_no}"
                record["matter"] = f"{data.get('matter', '')}（{unit_no}）"
            expected = io.StringIO()
            yaml.dump(record, expected)
            path = corpus / "records" / record["unit"] / folder / f"{record['id']}.yaml"
            assert path.read_text(encoding="utf-8") == expected.getvalue(), path
            compared += 1
    assert compared == 2 * len(bundle) and any(folder == "inspections" for folder, *_ in bundle)
