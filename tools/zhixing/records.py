"""Records: one YAML file each, its kind given by its folder, plus the corpus of them all."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from zhixing.diagnostics import Violation
from zhixing.loading import DataPath, LoadedYaml
from zhixing.workdays import WorkCalendar


@dataclass(frozen=True)
class KindSpec:
    """Everything about a record kind, in one place; the loader, the cache, the scaffold, the site
    and the tests derive what they need from it."""

    kind: str  # also the schema's name
    folder: str  # folder under records/<unit>/
    date_field: str  # the field whose date decides which policy values apply
    label: str  # Chinese name
    scaffold: tuple[str, ...] = ()  # optional fields the rules expect, written by `zhixing new`
    site_folder: str | None = None  # where its public pages live on the site (None: no pages of its own)
    site_title: str = ""  # the site section's title
    title: str = "{title}"  # a record's title on the site, from its public fields (str.format)
    body_field: str | None = None  # the field naming a body file beside the record (Art. 16 counts it)

    def title_of(self, view: dict[str, Any], fallback: str) -> str:
        """The record's title from its public view; its id when a field it needs is not public."""
        try:
            return self.title.format_map(view)
        except (KeyError, IndexError, TypeError, ValueError):
            return fallback


KINDS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec("meeting", "meetings", "date", "会议", ("agenda",), "meetings", "会议"),
        KindSpec("document-plan", "document-plans", "approved_on", "年度发文计划", (), "documents/plans", "年度发文计划",
                 "{year} 年{issuer}发文计划"),
        KindSpec("document", "documents", "signed_on", "公文", (), "documents", "发文", "{number} {title}", "body_file"),
        KindSpec("task", "tasks", "assigned_on", "任务分解", ("responsibility_split", "milestones", "assignments"),
                 "tasks", "任务"),
        KindSpec("inspection-plan", "inspection-plans", "approved_on", "督查工作计划", (), "inspections/plans", "督查工作计划",
                 "{year} 年督查工作计划"),
        KindSpec("inspection", "inspections", "start", "督查", ("filed_on", "findings"), "inspections", "督查整改"),
        KindSpec("directive", "directives", "received_on", "上级决策部署办理", ("presented_on", "studied_on"),
                 "directives", "上级决策部署", "{upper_document[number]} {upper_document[title]}"),
        KindSpec("fault-tolerance", "fault-tolerance", "decided_on", "容错纠错",
                 ("distinctions", "procedure", "decision_body", "decision"), "fault-tolerance", "容错纠错",
                 "{official[post]}（{kind}）"),
        KindSpec("service-list", "service-items", "as_of", "政务服务事项清单", (), "services", "政务服务事项",
                 "{year} 年政务服务事项清单"),
        KindSpec("approval", "approvals", "date", "批准", (), "approvals", "例外批准", "{reference}"),
        KindSpec("lawsuit", "lawsuits", "judged_on", "行政诉讼败诉案件", ("cause", "accountability"), "lawsuits",
                 "行政诉讼败诉案件", "{case_number}（{matter}）"),
        KindSpec("registration", "registrations", "registered_on", "问题登记"),
    )
}
def resolve_kind(text: str) -> tuple[str | None, str | None]:
    """(kind, did-you-mean) for what a clerk typed: the kind's name, its folder, or its Chinese label
    or section title (会议, 公文, 发文, 督查 …)."""
    import difflib

    text = text.strip()
    for kind, spec in KINDS.items():
        if text in (kind, spec.folder, spec.label, spec.site_title):
            return kind, None
    names = {name: kind for kind, spec in KINDS.items() for name in (kind, spec.folder, spec.label, spec.site_title) if name}
    close = difflib.get_close_matches(text, list(names), n=1, cutoff=0.5)
    return None, names[close[0]] if close else None


# The site's sections, in navigation order: the kinds with pages of their own.
SECTIONS: dict[str, tuple[str, str]] = {k: (s.site_folder, s.site_title) for k, s in KINDS.items() if s.site_folder}
FOLDER_TO_KIND = {spec.folder: spec.kind for spec in KINDS.values()}
# The one list of names the site gives its own pages and folders inside the folders where record
# and unit pages live: a section's index, its years/ pages, the plans/ sections inside 发文 and 督查整改,
# the Art. 17 report, the rectification list. site/hooks.py generates nothing else there (it fails
# the build otherwise, and when two files claim one path); a record or unit id equal to one is
# refused (record.id-reserved): a meeting with id "index" would replace the meeting list.
RESERVED_IDS = frozenset({"index", "years", "plans", "report", "rectifications"})
REGISTRY_KIND = "units"
REGISTRY_FILE = "units.yaml"


def classify(rel: PurePosixPath | str) -> tuple[str | None, str | None]:
    """(kind, unit folder) of a path relative to the repository root.

    Under ``records/`` the layout is fixed: ``records/<unit>/<kind folder>/<id>.yaml``, or the
    registry ``records/units.yaml`` (and no other file of that name). Elsewhere (test fixtures, another county's drafts) the
    nearest parent folder named after a kind or its folder decides, and there is no unit folder.
    """
    parts = tuple(str(rel).split("/"))
    if parts and parts[0] == "records":
        # Only records/units.yaml is the registry: a unit cannot plant one of its own.
        if parts == ("records", REGISTRY_FILE):
            return REGISTRY_KIND, None
        if parts[-1] == REGISTRY_FILE:
            return None, None
        if len(parts) == 4 and parts[2] in FOLDER_TO_KIND:
            return FOLDER_TO_KIND[parts[2]], parts[1]
        return None, None
    if parts[-1] == REGISTRY_FILE:  # a fixture's own registry, outside records/
        return REGISTRY_KIND, None
    for part in reversed(parts[:-1]):
        if part in KINDS:
            return part, None
        if part in FOLDER_TO_KIND:
            return FOLDER_TO_KIND[part], None
    return None, None


@dataclass
class Record:
    kind: str
    path: str  # as shown in diagnostics: relative to the repository root where possible
    loaded: LoadedYaml
    unit_folder: str | None = None
    body: str | None = None  # a document's body text, read by the engine from body_file
    data: dict[str, Any] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.data = self.loaded.data

    def to_data(self) -> dict[str, Any]:
        """The record as JSON-able data (``parsed_to_data``)."""
        return {"kind": self.kind, "path": self.path, "unit_folder": self.unit_folder, "body": self.body,
                "data": self.data, "source_path": self.loaded.source_path, "source_text": self.loaded.source_text}

    @classmethod
    def from_data(cls, d: dict[str, Any]) -> Record:
        loaded = LoadedYaml(data=d["data"], source_path=d["source_path"], source_text=d["source_text"])
        return cls(d["kind"], d["path"], loaded, d["unit_folder"], d["body"])

    @property
    def id(self) -> str:
        record_id = self.data.get("id")
        return str(record_id) if record_id is not None else PurePosixPath(self.path).stem

    @property
    def unit(self) -> str:
        return str(self.data.get("unit", ""))

    @property
    def date(self) -> str:
        """The record's own date (its kind's date field): the date whose policy values apply."""
        cached = self.__dict__.get("_date")
        if cached is None:
            cached = self.__dict__["_date"] = str(self.data.get(KINDS[self.kind].date_field, "")) if self.kind in KINDS else ""
        return cached

    @property
    def year(self) -> int:
        cached = self.__dict__.get("_year")
        if cached is None:
            cached = self.__dict__["_year"] = int(self.date[:4]) if self.date[:4].isdigit() else 0
        return cached

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        del state["data"]  # the same dict as loaded.data: pickle it once
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.data = self.loaded.data

    def finding(self, where: DataPath | str = (), key: str = "default", **params: Any) -> Finding:
        path: DataPath = (where,) if isinstance(where, str) else tuple(where)
        return Finding(self, path, key, params)


@dataclass(frozen=True)
class Finding:
    """What a rule returns: a place in a record and the message to render there."""

    record: Record
    where: DataPath
    key: str
    params: dict[str, Any]
    # A finding about a duty rather than a field (obligations.py): its stable identity, used in
    # the finding id instead of the field's path ("jiaoyuju/2019", "2019-Q4").
    tag: str = ""


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    type: str
    valid_from: str
    valid_to: str | None
    data: dict[str, Any]

    def valid_on(self, on: str) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)


@dataclass
class Corpus:
    """Every schema-valid record, indexed for the cross-record rules."""

    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    today: str = ""  # the date the check runs "as of": overdue items, deadlines not yet due
    records: list[Record] = field(default_factory=list)
    units: dict[str, Unit] = field(default_factory=dict)
    registry: Record | None = None
    by_kind: dict[str, dict[str, Record]] = field(default_factory=lambda: defaultdict(dict))
    # Whether the corpus holds every record of the repository of the kinds it loaded (not a check
    # of a few loose files): only then does the absence of a record prove a duty missed.
    complete: bool = True
    # The dates the repository's records cover (policies/settings.yaml records_period; "" = open).
    records_period: tuple[str, str] = ("", "")
    # A partial check's partition (engine.py): the units whose records of the partitioned kinds were
    # all loaded. Rules partitioned by unit judge only these units; None: every unit (a full check).
    partition_units: frozenset[str] | None = None

    def judges_unit(self, unit: str) -> bool:
        return self.partition_units is None or unit in self.partition_units

    def add(self, record: Record) -> None:
        self.records.append(record)
        if record.kind == REGISTRY_KIND:
            self.set_registry(record)
        else:
            self.by_kind[record.kind].setdefault(record.id, record)

    def set_registry(self, record: Record) -> None:
        self.registry = record
        self.units = {
            u["id"]: Unit(u["id"], u["name"], u["type"], u["valid_from"], u.get("valid_to"), u)
            for u in record.data.get("units", [])
        }

    def of_kind(self, kind: str) -> Iterator[Record]:
        return iter(self.by_kind.get(kind, {}).values())

    def find(self, kind: str, record_id: str) -> Record | None:
        return self.by_kind.get(kind, {}).get(record_id)

    def unit_name(self, unit_id: str) -> str:
        unit = self.units.get(unit_id)
        return unit.name if unit else unit_id

    def resolve_unit(self, text: str) -> Unit | None:
        """A unit by its id, full name, short name (简称), or a name without the county's prefix
        ("教育局" → 县教育局 → jiaoyuju): how clerks type units."""
        text = text.strip()
        if text in self.units:
            return self.units[text]
        for unit in self.units.values():
            short = str(unit.data.get("short_name") or "")
            if text in (unit.name, short) or (len(text) >= 2 and (short.endswith(text) or unit.name.endswith(text))):
                return unit
        return None

    def suggest_unit(self, text: str) -> Unit | None:
        """The unit a misspelt id most probably means (did-you-mean)."""
        import difflib

        close = difflib.get_close_matches(text, list(self.units), n=1, cutoff=0.6)
        return self.units[close[0]] if close else None


Parsed = tuple[Record | None, list[Violation]]  # one file's intake: its record (if any) and problems


def parsed_to_row(parsed: Parsed, source: str) -> list[Any]:
    """A parse result of the file ``source`` as a compact JSON-able row (a forked parser's answer,
    decoded at once by the same program): the record's fields by position, its source path left
    out when it is the file's own. ``parsed_from_row`` reverses it."""
    record, problems = parsed
    issues = [p.to_data() for p in problems]
    if record is None:
        return [issues]
    loaded = record.loaded
    return [issues, record.kind, record.path, record.unit_folder, record.body, record.data,
            None if loaded.source_path == source else loaded.source_path, loaded.source_text]


def parsed_from_row(row: list[Any], source: str) -> Parsed:
    problems = [Violation.from_data(p) for p in row[0]]
    if len(row) == 1:
        return None, problems
    _, kind, path, unit_folder, body, data, source_path, source_text = row
    loaded = LoadedYaml(data=data, source_path=source if source_path is None else source_path, source_text=source_text)
    return Record(kind, path, loaded, unit_folder, body), problems


def parsed_to_data(parsed: Parsed) -> list[Any]:
    """A parse result as JSON-able data: the parse cache's entries."""
    record, problems = parsed
    return [record.to_data() if record is not None else None, [p.to_data() for p in problems]]


def parsed_from_data(data: list[Any]) -> Parsed:
    record, problems = data
    return (Record.from_data(record) if record is not None else None), [Violation.from_data(p) for p in problems]
