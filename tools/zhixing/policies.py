"""The regulation as data: articles, their rules, and parameters keyed by effective date.

OpenFisca-style: a parameter holds ``{effective date: value}``; a rule asks for the value in
force on the record's own date, so a later revision never re-judges an older record.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from zhixing.loading import ArchiveLimits, LoadLimits, load_yaml_file
from zhixing.schemas import SchemaSet
from zhixing.workdays import WorkCalendar


class PolicyError(Exception):
    """policies/ cannot be read or is inconsistent: a configuration error (exit 2)."""


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    reference: str
    values: tuple[tuple[str, Any], ...]  # (effective date, value), ascending
    unit: str = ""
    note: str = ""
    same_as: str = ""  # "RULE.PARAM": the values are that parameter's (resolved on load)

    def at(self, on: str) -> Any:
        """The value in force on ``on`` (ISO date)."""
        current = None
        found = False
        for effective, value in self.values:
            if effective <= on:
                current, found = value, True
        if not found:
            raise PolicyError(f"parameter {self.name} has no value in force on {on}")
        return current


@dataclass(frozen=True)
class RulePolicy:
    id: str
    kind: str
    article: int
    title: dict[str, str]
    severity: str
    effective_from: str
    messages: dict[str, dict[str, str]]
    hint: dict[str, str]
    parameters: dict[str, Parameter] = field(default_factory=dict)
    exception_allowed: bool = False
    # Who may approve an exception: unit types and registry flags (Art. 11 "报请县委、县政府批准").
    approvers: dict[str, Any] = field(default_factory=dict)
    # A recurring or one-off duty judged by obligations.py (who owes it, what shows it met); {} otherwise.
    obligation: dict[str, Any] = field(default_factory=dict, compare=False)
    # The shared vocabulary (policies/vocabulary.yaml): the words rules look for, never spelled in code.
    terms: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def term(self, name: str) -> str:
        try:
            return self.terms[name]
        except KeyError:
            raise PolicyError(f"rule {self.id} needs the term {name!r} in policies/vocabulary.yaml") from None

    def may_approve(self, unit: dict[str, Any] | None) -> bool:
        if not self.exception_allowed or unit is None:
            return False
        return unit.get("type") in self.approvers.get("unit_types", ()) or any(
            unit.get(flag) for flag in self.approvers.get("unit_flags", ()))

    def in_force(self, on: str) -> bool:
        return on >= self.effective_from

    def value(self, name: str, on: str) -> Any:
        try:
            return self.parameters[name].at(on)
        except KeyError:
            raise PolicyError(f"rule {self.id} has no parameter {name!r}") from None


@dataclass(frozen=True)
class Article:
    number: int
    section: tuple[int, str]
    title: str
    text: str
    checkable: bool
    rules: tuple[RulePolicy, ...]
    reason: str = ""
    tracked_by: str = ""
    unchecked_parts: str = ""
    source: str = ""


@dataclass
class Settings:
    regulation: dict[str, Any]
    max_file_bytes: int
    max_depth: int
    example_data: bool
    max_string_chars: int = 20000
    max_list_items: int = 1000
    cache_folders: tuple[str, ...] = ()
    executable_suffixes: tuple[str, ...] = ()
    site: dict[str, Any] = field(default_factory=dict)
    # The dates the records cover: duties outside them are not judged (obligations.py).
    records_period: tuple[str, str] = ("", "")
    # The web form's forge (cms.py writes cms/config.yml from it); empty: no forge configured.
    cms: dict[str, Any] = field(default_factory=dict)
    # Bounds on a .docx body or an imported .xlsx, checked before they are parsed (bodies.py).
    archive: ArchiveLimits = field(default_factory=ArchiveLimits)

    @property
    def limits(self) -> LoadLimits:
        return LoadLimits(self.max_file_bytes, self.max_depth, self.max_string_chars, self.max_list_items)


@dataclass(frozen=True)
class Supervision:
    """Which office registers and handles the findings of which article (policies/supervision.yaml)."""

    default: dict[str, Any]
    independent: dict[str, Any]
    articles: dict[int, dict[str, Any]]
    registration_days: int
    note: str = ""

    def selector(self, article: int | None) -> dict[str, Any]:
        return self.articles.get(article or 0, self.default)

    @staticmethod
    def selects(selector: dict[str, Any], unit: dict[str, Any]) -> bool:
        return unit.get("type") in selector.get("unit_types", ()) or any(unit.get(f) for f in selector.get("unit_flags", ()))

    def registrars(self, article: int | None, finding_unit: str, units: dict[str, Any]) -> list[str]:
        """The units that may register a finding of ``article`` on a record of ``finding_unit``: the
        article's office, never the finding's own unit (then the independent office, then the default)."""
        for selector in (self.selector(article), self.independent, self.default):
            found = [uid for uid, u in units.items() if uid != finding_unit and self.selects(selector, u.data)]
            if found:
                return sorted(found)
        return []


@dataclass
class PolicySet:
    settings: Settings
    articles: dict[int, Article]
    rules: dict[str, RulePolicy]
    calendar: WorkCalendar
    supervision: Supervision | None = None
    terms: dict[str, str] = field(default_factory=dict)

    PERSONAL_RULE = "fault-tolerance.no-personal-data"

    @property
    def exception_articles(self) -> str:
        """The articles whose rules accept an approved exception, as "11、14、34"."""
        return "、".join(map(str, sorted({r.article for r in self.rules.values() if r.exception_allowed})))

    def personal_patterns(self) -> dict[str, str]:
        """Art. 43's personal-number patterns, the newest values: the one pattern set the rule, the
        id check and the site's masking share."""
        rule = self.rules.get(self.PERSONAL_RULE)
        if rule is None or "patterns" not in rule.parameters:
            return {}
        return dict(rule.parameters["patterns"].values[-1][1])

    @classmethod
    def load(cls, root: Path, schemas: SchemaSet) -> PolicySet:
        folder = root / "policies"
        settings = _load_settings(folder / "settings.yaml", schemas)
        articles: dict[int, Article] = {}
        rules: dict[str, RulePolicy] = {}
        terms: dict[str, str] = {}
        if (folder / "vocabulary.yaml").is_file():
            vocabulary = _load_checked(folder / "vocabulary.yaml", "vocabulary", schemas, settings.limits)
            terms = {name: entry["value"] for name, entry in vocabulary["terms"].items()}
        for file in sorted((folder / "articles").glob("*.yaml")):
            data = _load_checked(file, "policy", schemas, settings.limits)
            article = _article(data, file.relative_to(root).as_posix(), terms)
            if article.number in articles:
                raise PolicyError(f"{file}: article {article.number} is defined twice")
            articles[article.number] = article
            for rule in article.rules:
                if rule.id in rules:
                    raise PolicyError(f"{file}: rule {rule.id} is defined twice")
                rules[rule.id] = rule
        if not articles:
            raise PolicyError(f"no article files in {folder / 'articles'}")
        rules = _resolve_shared_parameters(rules)
        _check_patterns(rules)
        articles = {n: _with_rules(a, rules) for n, a in articles.items()}
        calendar = WorkCalendar.from_policy(_load_checked(folder / "calendar.yaml", "calendar", schemas, settings.limits))
        supervision = None
        if (folder / "supervision.yaml").is_file():
            data = _load_checked(folder / "supervision.yaml", "supervision", schemas, settings.limits)
            supervision = Supervision(data["default"], data["independent"],
                                      {int(k): v for k, v in data["articles"].items()}, data["registration_days"],
                                      data.get("registration_days_note", ""))
        return cls(settings, articles, rules, calendar, supervision, terms)


def _resolve_shared_parameters(rules: dict[str, RulePolicy]) -> dict[str, RulePolicy]:
    """A parameter written ``same_as: RULE.PARAM`` takes that parameter's values (one home for a
    set of values two articles apply, e.g. Art. 43's personal-number patterns for Art. 30's cases)."""
    out = {}
    for rule_id, rule in rules.items():
        params = dict(rule.parameters)
        for name, param in rule.parameters.items():
            if param.values or not param.same_as:
                continue
            other_rule, _, other_name = param.same_as.rpartition(".")
            source = rules.get(other_rule)
            if source is None or other_name not in source.parameters or not source.parameters[other_name].values:
                raise PolicyError(f"rule {rule_id}: parameter {name} is the same as {param.same_as}, which does not exist")
            params[name] = replace(source.parameters[other_name], name=name, same_as=param.same_as)
        out[rule_id] = replace(rule, parameters=params) if params != rule.parameters else rule
    return out


def _check_patterns(rules: dict[str, RulePolicy]) -> None:
    """The regular expressions a policy gives (``patterns``, applied to record text and to every
    published string) are linear: regexes.ambiguity (README 安全与隐私)."""
    from zhixing.regexes import ambiguity

    for rule in rules.values():
        param = rule.parameters.get("patterns")
        if param is None or param.same_as:
            continue
        for since, values in param.values:
            for what, pattern in dict(values).items():
                problem = ambiguity(str(pattern))
                if problem:
                    raise PolicyError(f"rule {rule.id}: pattern {what} ({since}) 可能在某些输入上耗时成倍增长，请改写"
                                      f" / may take exponential or quadratic time: {problem}")


def _with_rules(article: Article, rules: dict[str, RulePolicy]) -> Article:
    return replace(article, rules=tuple(rules[r.id] for r in article.rules))


def _load_checked(file: Path, schema: str, schemas: SchemaSet, limits: LoadLimits) -> dict[str, Any]:
    shown = str(file)
    loaded, problems = load_yaml_file(file, shown, limits)
    if loaded is not None:
        problems = schemas.validate(schema, loaded, shown)
    if problems or loaded is None:
        first = problems[0]
        raise PolicyError(f"{first.path}:{first.line}:{first.column}: {first.text('zh')}")
    return loaded.data


def _load_settings(file: Path, schemas: SchemaSet) -> Settings:
    if not file.is_file():
        raise PolicyError(f"missing {file}")
    data = _load_checked(file, "settings", schemas, LoadLimits(1 << 20, 32))
    limits, privacy = data["limits"], data.get("privacy", {})
    return Settings(data["regulation"], limits["max_file_bytes"], limits["max_depth"], data.get("example_data", False),
                    limits["max_string_chars"], limits["max_list_items"], tuple(privacy.get("cache_folders", ())),
                    tuple(privacy.get("executable_suffixes", ())), data.get("site", {}),
                    (str(data.get("records_period", {}).get("from", "")), str(data.get("records_period", {}).get("to", ""))),
                    data.get("cms", {}), _archive_limits(limits))


def _archive_limits(limits: dict[str, Any]) -> ArchiveLimits:
    """The settings' bounds on archives and bodies; each one left out keeps its default."""
    keys = {"max_archive_bytes": "max_unpacked_bytes", "max_archive_parts": "max_parts", "max_archive_ratio": "max_ratio",
            "max_body_chars": "max_body_chars"}
    return ArchiveLimits(**{name: limits[key] for key, name in keys.items() if key in limits})


def _article(data: dict[str, Any], source: str, terms: dict[str, str]) -> Article:
    number = data["article"]
    rules = tuple(_rule(r, number, terms) for r in data.get("rules", []))
    return Article(
        number=number,
        section=(data["section"]["number"], data["section"]["title"]),
        title=data["title"],
        text=data["text"],
        checkable=data["checkable"],
        rules=rules,
        reason=data.get("reason", ""),
        tracked_by=data.get("tracked_by", ""),
        unchecked_parts=data.get("unchecked_parts", ""),
        source=source,
    )


def _rule(data: dict[str, Any], article: int, terms: dict[str, str]) -> RulePolicy:
    params = {
        name: Parameter(
            name=name,
            description=p["description"],
            reference=p["reference"],
            values=tuple(sorted(p.get("values", {}).items())),
            unit=p.get("unit", ""),
            note=p.get("note", ""),
            same_as=p.get("same_as", ""),
        )
        for name, p in data.get("parameters", {}).items()
    }
    for param in params.values():
        if param.values and param.values[0][0] < data["effective_from"]:
            raise PolicyError(f"rule {data['id']}: parameter {param.name} takes effect before the rule does")
    return RulePolicy(
        id=data["id"],
        kind=data["kind"],
        article=article,
        title=data["title"],
        severity=data["severity"],
        effective_from=data["effective_from"],
        messages=data["messages"],
        hint=data["hint"],
        parameters=params,
        exception_allowed=data.get("exception_allowed", False),
        approvers=data.get("approvers", {}),
        obligation=data.get("obligation", {}),
        terms=terms,
    )
