"""What the public may see: public fields of public records, and nothing else.

A record reaches the site only when ``visibility`` is ``public`` and it carries no 密级. Fields
named in its ``private_fields``, and the fields that exist to explain non-disclosure or for
internal notes, never do. Strings that look like ID-card or mobile numbers are masked even in
public fields (Art. 43's anonymity, and the personal-information law, as a second line of defence).
"""

from __future__ import annotations

import re
from typing import Any

from zhixing.records import Record

ALWAYS_PRIVATE = ("private_fields", "nonpublic_basis", "notes")
_PERSONAL = re.compile(r"(?<![0-9])(?:[1-9][0-9]{16}[0-9Xx]|1[3-9][0-9]{9})(?![0-9])")


def is_public(record: Record) -> bool:
    return record.get("visibility") == "public" and not record.get("classification")


def public_view(record: Record) -> dict[str, Any] | None:
    if not is_public(record):
        return None
    hidden = set(ALWAYS_PRIVATE) | set(record.get("private_fields") or [])
    return {key: _mask(value) for key, value in record.data.items() if key not in hidden}


def _mask(value: Any) -> Any:
    if isinstance(value, str):
        return _PERSONAL.sub("＊＊＊", value)
    if isinstance(value, list):
        return [_mask(v) for v in value]
    if isinstance(value, dict):
        return {k: _mask(v) for k, v in value.items()}
    return value
