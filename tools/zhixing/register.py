"""``zhixing register``: the supervising office registers findings in its own folder (design §7a).

Facts merge, the office follows: a department files a true fact as it is, the finding enters the
问题清单 as 待登记 on merge, and the office registers it in a change of its own — with this command or
the web form. The registration is written with everything the office would otherwise copy from a CI
log: the finding ids, the fact each one registers (its fingerprint), the responsible unit, the date,
and a description taken from the findings' public text. Only an office that supervises a finding's
article (policies/supervision.yaml) may register it, and never its own finding.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhixing.ledger import Entry, Ledger
from zhixing.policies import PolicySet
from zhixing.records import KINDS, Corpus
from zhixing.scaffold import new_id

# What each handling needs besides the findings (registration.schema.json says the same).
NEEDS = {"限期整改": "due", "不予追究": "reason", "准予更正": "reason"}


class RegisterError(Exception):
    """Why the registration cannot be written (a usage error, in Chinese)."""


@dataclass
class Request:
    findings: list[str]
    handling: str
    office: str | None = None  # an id or a name; None: the one office that may register them all
    due: str | None = None
    reason: str | None = None
    description: str | None = None
    evidence: str | None = None
    registered_on: str = ""
    note: str | None = None  # the registration's notes: never published (privacy.ALWAYS_PRIVATE)


def plan(request: Request, ledger: Ledger, corpus: Corpus, policies: PolicySet) -> tuple[str, dict[str, Any]]:
    """(office id, the registration's data) for ``request``, or RegisterError."""
    entries = _entries(request.findings, ledger)
    units = {e.unit for e in entries}
    if len(units) != 1:
        raise RegisterError(f"这些问题属于不同单位（{'、'.join(sorted(units))}）：请分开登记")
    unit = units.pop()
    allowed = _allowed(entries, corpus, policies)
    office = _office(request.office, allowed, corpus)
    if request.handling in NEEDS and not getattr(request, NEEDS[request.handling]):
        raise RegisterError(f"处理方式“{request.handling}”需要 --{NEEDS[request.handling]}")
    description = request.description or "；".join(e.violation.public_text("zh") for e in entries if e.violation)
    data: dict[str, Any] = {"id": "", "unit": office, "visibility": "public", "registered_on": request.registered_on,
                            "findings": [e.id for e in entries],
                            "facts": {e.id: e.violation.fact for e in entries if e.violation and e.violation.fact},
                            "description": description, "handling": request.handling}
    for name in ("reason", "due", "evidence"):
        if getattr(request, name):
            data[name] = getattr(request, name)
    data["responsible_unit"] = unit
    if request.note:
        data["notes"] = request.note
    return office, data


def write(root: Path, office: str, data: dict[str, Any]) -> Path:
    """The registration in ``records/<office>/registrations/``, under an id no other change can take."""
    data = {**data, "id": new_id(root, data["registered_on"], office)}
    folder = root / "records" / office / KINDS["registration"].folder
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{data['id']}.yaml"
    path.write_text(to_yaml(data), encoding="utf-8")
    return path


def to_yaml(data: dict[str, Any]) -> str:
    """A registration as YAML: every text double-quoted (JSON's quoting is YAML's), in the schema's order."""
    lines = ["# yaml-language-server: $schema=../../../schemas/registration.schema.json"]
    for key, value in data.items():
        if isinstance(value, list):
            lines += [f"{key}:", *(f"  - {_scalar(v)}" for v in value)]
        elif isinstance(value, dict):
            lines += [f"{key}:", *(f"  {k}: {_scalar(v)}" for k, v in value.items())]
        else:
            lines.append(f"{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def _scalar(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def _entries(findings: list[str], ledger: Ledger) -> list[Entry]:
    by_id = ledger.by_id
    out = []
    for finding in findings:
        entry = by_id.get(finding)
        if entry is None or entry.violation is None:
            raise RegisterError(f"没有这个问题：{finding}（问题编号见 zhixing findings --status 待登记）")
        if entry.registration is not None:
            raise RegisterError(f"问题 {finding} 已由登记 {entry.registration.id} 登记")
        out.append(entry)
    return out


def _allowed(entries: list[Entry], corpus: Corpus, policies: PolicySet) -> set[str]:
    """The offices that may register every one of the findings."""
    if policies.supervision is None:
        raise RegisterError("policies/supervision.yaml 不存在：没有规定由谁登记")
    allowed: set[str] | None = None
    for e in entries:
        offices = set(policies.supervision.registrars(e.article, e.unit, corpus.units))
        allowed = offices if allowed is None else allowed & offices
    return allowed or set()


def _office(asked: str | None, allowed: set[str], corpus: Corpus) -> str:
    names = "、".join(corpus.unit_name(u) for u in sorted(allowed)) or "—"
    if asked is None:
        if len(allowed) != 1:
            raise RegisterError(f"请用 --office 指明登记部门（可以登记这些问题的：{names}）")
        return next(iter(allowed))
    unit = corpus.resolve_unit(asked)
    if unit is None:
        raise RegisterError(f"单位 “{asked}” 不在单位名录中")
    if unit.id not in allowed:
        raise RegisterError(f"{unit.name}不能登记这些问题（由 {names} 登记；单位不能登记本单位的问题）")
    return unit.id
