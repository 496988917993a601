"""YAML files into plain data, or into Violations; never a traceback.

Two parsers, both libyaml in C: PyYAML's CParser (the fast path) and ruamel.yaml's CParser (the
reference, ``ZHIXING_YAML=ruamel``). Either way we compose the node tree and build the data
ourselves with YAML 1.2 core scalars, so dates and times stay strings, ``no`` stays ``no``,
duplicate keys and aliases are caught, and both paths give the same data and the same lines.

Lines are not kept while loading: a record remembers where it came from, and the line map is
built by parsing it again only when a diagnostic needs a line (rarely, and never for clean files).

A faster first try (``_fast_data``): yaml-rs (Rust) reads a file whose whole text shows none of the
constructs where it and the libyaml route could differ (tags, anchors, several documents, escapes,
tabs, hidden characters, and the number spellings it reads as numbers and YAML 1.2 core does not:
``1_000``, ``0X1F``, ``+0o7``, ``.NaN`` in odd cases). Its result is used only when it is a mapping of
plain data within the limits, with text keys; anything else — every file with a problem among them —
goes the libyaml route, which alone writes diagnostics. ``ZHIXING_FAST_YAML=0`` turns it off; the
parity and differential tests (tests/test_fast_yaml.py) hold the two routes to the same data.
"""

from __future__ import annotations

import importlib.util
import os
import re
import stat
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhixing.diagnostics import Violation
from zhixing.messages import engine_violation

Location = tuple[int, int]
DataPath = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_CORE_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}
_MAYBE_ANCHOR = re.compile(r"[&*][^\s]")
_LEADING_TAB = re.compile(r"^[ ]*\t", re.MULTILINE)
# YAML 1.2 core schema, for plain scalars only (quoted and block scalars are strings).
_NULL = re.compile(r"(?:~|null|Null|NULL|)\Z")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z")
_FLOAT = re.compile(r"(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z")


# libyaml's problems, as a clerk would want to read them. The English original stays in --lang en.
_PROBLEMS_ZH = (
    ("did not find expected ',' or ']'", "列表缺少 “,” 或 “]”"),
    ("did not find expected ',' or '}'", "映射缺少 “,” 或 “}”"),
    ("mapping values are not allowed", "此处不能出现“字段: 值”（多半是缩进不对，或文字中的冒号需要加引号）"),
    ("could not find expected ':'", "缺少冒号“:”"),
    ("did not find expected key", "缩进不对：这里应是一个字段名"),
    ("did not find expected '-' indicator", "缩进不对：这里应是列表项“- ”"),
    ("found character that cannot start any token", "出现了不能开始一个值的字符（如 @、`，请给文字加引号）"),
    ("found unexpected end of stream", "文件意外结束（引号或括号没有成对）"),
    ("found unknown escape character", "双引号文字中有无法识别的转义符“\\”"),
    ("expected a single document in the stream", "一个文件只能有一条记录（不要使用 ---）"),
    ("control characters are not allowed", "含有不允许的控制字符"),
    ("found undefined tag handle", "使用了未定义的标签"),
    ("did not find expected node content", "这里缺少值"),
    ("found unexpected ':'", "出现了多余的冒号“:”"),
)


# Whole texts yaml-rs is not asked about (module docstring), besides one without a final newline or
# starting a document with --- or ... . Each is a construct where yaml-rs's reading and ours could
# part (tabs, escapes and hidden characters never reach it: load_yaml_text's whole-file screen): digits
# beside an underscore, radix prefixes, any spelling of .nan/.inf, document markers, and tags,
# anchors, aliases and directives where a node starts (patterns); block scalars that keep trailing lines or give their indentation, and flow collections
# other than simple one-line ones (patterns tried only when their character is there). Several small
# searches: one alternation would try every branch at every position. tests/test_fast_yaml.py tries
# hundreds of thousands of scalars, mutated records and generated documents.
_FAST_DECLINED = tuple(re.compile(p) for p in (
    r"_(?<=[-+.0-9]_)|_(?=[.0-9])", r"0[XOBbxo]", r"\.(?:[nN][aA][nN]|[iI][nN][fF])", r"\n(?:---|\.\.\.)",
    r"\A[!&*%]"))
# A tag, anchor, alias or directive starts a node: after white space or [ { , — inside text (85%,
# (?<!x), 5*3, R&D) they are letters. Searched only when one of the four is there (most records
# have none: a character class scan costs several substring tests).
_NODE_PROPERTY = re.compile(r"[!&*%](?<=[\s\[{,][!&*%])")
_BLOCK_HEADER = re.compile(r"(?<![^\s])[|>](?:[0-9+]|-[0-9])")  # after white space: (19|20) in a pattern is text
# Flow collections: yaml-rs accepts some that libyaml refuses. Taken only in a simple form that ends
# its line — one line, items plain words or quoted text without indicators, a mapping's values words
# or such a list ({"2019-03-20": [部门, 联合]}). A [ or { where a value starts that is not one of
# these declines the file; elsewhere they are letters inside text (消息 {count} 条).
# Read by a hand scanner (_flow_end), one pass over the collection: a regular expression for this
# shape needs a repeated group of words that may end in spaces, which backtracks exponentially on an
# unclosed collection (README 安全与隐私, tests/test_linear_time.py).
_FLOW_OPENER = re.compile(r"(?:^(?:[ ]|[-?:](?= ))*|:[ ]+)[\[{]", re.MULTILINE)  # where a value (or key) starts
_FLOW_SPACES = re.compile(r"[ ]*")
_FLOW_PLAIN_REST = re.compile(r"[^\[\]{},:#\n]*")  # a plain word runs to the first of these
_FLOW_PLAIN_NOT_FIRST = frozenset("[]{},:#'\"!&*%|>@`?-")


def _flow_word_end(text: str, at: int) -> int:
    """The end of a plain word or a one-line quoted text starting at ``at``, or -1. A plain word's
    trailing spaces are its own here; what follows a word is the same either way."""
    if at >= len(text):
        return -1
    first = text[at]
    if first == '"':
        end = text.find('"', at + 1)
        return -1 if end < 0 or "\n" in text[at:end] else end + 1
    if first == "'":
        at += 1
        while True:
            end = text.find("'", at)
            if end < 0 or "\n" in text[at:end]:
                return -1
            if not text.startswith("''", end):  # '' is a quote inside; a word never ends at one
                return end + 1
            at = end + 2
    if first.isspace() or first in _FLOW_PLAIN_NOT_FIRST:
        return -1
    return _FLOW_PLAIN_REST.match(text, at + 1).end()  # type: ignore[union-attr]


def _flow_items_end(text: str, at: int, mapping: bool) -> int:
    """The end of ``[word, …]`` or ``{word: word-or-list, …}`` whose bracket is at ``at``, or -1."""
    close = "}" if mapping else "]"
    at = _FLOW_SPACES.match(text, at + 1).end()  # type: ignore[union-attr]
    if text.startswith(close, at):
        return at + 1
    while True:
        at = _flow_word_end(text, at)
        if at < 0:
            return -1
        at = _FLOW_SPACES.match(text, at).end()  # type: ignore[union-attr]
        if mapping:
            if not text.startswith(": ", at):
                return -1
            at = _FLOW_SPACES.match(text, at + 1).end()  # type: ignore[union-attr]
            at = _flow_items_end(text, at, False) if text.startswith("[", at) else _flow_word_end(text, at)
            if at < 0:
                return -1
            at = _FLOW_SPACES.match(text, at).end()  # type: ignore[union-attr]
        if text.startswith(close, at):
            return at + 1
        if not text.startswith(",", at):
            return -1
        at = _FLOW_SPACES.match(text, at + 1).end()  # type: ignore[union-attr]


def _flow_end(text: str, at: int) -> int:
    """Where a simple flow collection starting at ``at`` ends its line (a comment may follow it), or
    -1 when the collection there is not simple."""
    end = _flow_items_end(text, at, text[at] == "{")
    if end < 0:
        return -1
    if text.startswith(" ", end):
        end = _FLOW_SPACES.match(text, end).end()  # type: ignore[union-attr]
        if not text.startswith("#", end):
            return -1
        line_end = text.find("\n", end)
        return len(text) if line_end < 0 else line_end
    return end if end == len(text) or text[end] == "\n" else -1


def _flow_declines(text: str) -> bool:
    taken = 0  # the end of the last simple collection: an opener inside it is one of its items
    for opener in _FLOW_OPENER.finditer(text):
        start = opener.end() - 1
        if start < taken:
            continue
        taken = _flow_end(text, start)
        if taken < 0:
            return True
    return False


def _fast_declines(text: str) -> bool:
    # no final newline: a block scalar ending the file gets one from yaml-rs, none from libyaml
    return (not text.endswith("\n") or text.startswith(("---", "..."))
            or any(p.search(text) for p in _FAST_DECLINED)
            or (("!" in text or "&" in text or "*" in text or "%" in text) and _NODE_PROPERTY.search(text) is not None)
            or (("|" in text or ">" in text) and _BLOCK_HEADER.search(text) is not None)
            or (("[" in text or "{" in text) and _flow_declines(text)))


_FAST_KEY_MAX = 128  # libyaml refuses a key longer than 1024 characters; yaml-rs may not
_FAST_SCALARS = (str, int, float, bool, type(None))
_FAST_MODULE: Any = None


def _fast_parser() -> Any:
    """yaml-rs's loads, or None when it is not installed, ZHIXING_FAST_YAML=0, or another parser is
    asked for by ZHIXING_YAML. Decided once per process (it is asked for every file)."""
    global _FAST_MODULE
    if _FAST_MODULE is None:
        _FAST_MODULE = False
        if os.environ.get("ZHIXING_FAST_YAML", "1") != "0" and not os.environ.get("ZHIXING_YAML"):
            try:
                import yaml_rs

                _FAST_MODULE = yaml_rs.loads
            except ImportError:
                pass
    return _FAST_MODULE or None


def _fast_data(text: str, limits: LoadLimits) -> dict[str, Any] | None:
    """The file's data from yaml-rs, or None: the libyaml route must decide (module docstring). Only
    for a text that passed the intake's whole-file screen (no tab, backslash or hidden character)."""
    if _fast_parser() is None or _fast_declines(text):
        return None
    data = fast_load(text)
    return data if fast_tree(data, limits) else None


def fast_load(text: str) -> Any:
    """yaml-rs's reading of a text ``fast_route`` took, or None where it fails in any way."""
    try:
        return _fast_parser()(text, parse_datetime=False)
    except Exception:  # its error messages are not ours: the libyaml route says what is wrong
        return None
    except BaseException as exc:  # a panic in the extension (pyo3's PanicException is a BaseException)
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return None


def fast_tree(data: Any, limits: LoadLimits) -> bool:
    """yaml-rs's data is what the libyaml route would build: a mapping of plain data (_plain_tree)."""
    return type(data) is dict and _plain_tree(data, limits)


def fast_route(text: str, shown: str, limits: LoadLimits) -> bool:
    """``load_yaml_text`` (with no parser asked for) hands ``text`` to yaml-rs: no leading tab, no
    typing mistake, every scalar cleared by the whole-file screen, and nothing yaml-rs is not asked
    about. With ``fast_load`` and ``fast_tree``, the stages a run of files goes through together
    (intake.Intake.parse_run); whatever a stage does not take, ``load_yaml_text`` decides."""
    return (not ("\t" in text and _LEADING_TAB.search(text)) and not typing_mistakes(text, shown)
            and len(text) <= limits.max_string and not needs_scalar_check(text)
            and _fast_parser() is not None and not _fast_declines(text))


def _plain_tree(root: dict[str, Any], limits: LoadLimits) -> bool:
    """Plain data the libyaml route would build as is: text keys, no more items than allowed, well
    above the depth limit (the builder counts every node; one level to spare keeps it simple), and no
    text of white space alone (yaml-rs reads an empty block scalar as a newline). A loop, not a
    recursion: it runs for every file."""
    todo: list[tuple[Any, int]] = [(root, 0)]
    while todo:
        node, depth = todo.pop()
        if len(node) >= limits.max_items or depth + 2 >= limits.max_depth:
            return False
        if type(node) is dict:
            for key in node:
                if type(key) is not str or len(key) > _FAST_KEY_MAX:
                    return False
            values = node.values()
        else:
            values = node
        for value in values:
            kind = type(value)
            if kind is str:
                if value.isspace():  # an empty block scalar: "\n" from yaml-rs, "" from libyaml
                    return False
            elif kind is dict or kind is list:
                todo.append((value, depth + 1))
            elif kind not in _FAST_SCALARS:
                return False
    return True


def _problem(text: str) -> dict[str, str]:
    zh = next((phrase for needle, phrase in _PROBLEMS_ZH if needle in text), text)
    return {"zh": zh, "en": text}


class _Backend:
    """One libyaml binding: how to compose, scan events, and recognise its errors and nodes."""

    def __init__(self, name: str) -> None:
        self.name = name
        if name == "pyyaml":
            import yaml
            import yaml.cyaml

            kind_tags = {yaml.ScalarNode: _TAG + "str", yaml.SequenceNode: _TAG + "seq", yaml.MappingNode: _TAG + "map"}

            class Loader(yaml.cyaml.CParser):
                """libyaml's parser and composer, without PyYAML's YAML 1.1 tag resolver: we resolve
                plain scalars ourselves (1.2 core), and explicit tags reach us untouched."""

                def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
                    return kind_tags[kind]

                def descend_resolver(self, *args: Any) -> None:
                    pass

                def ascend_resolver(self, *args: Any) -> None:
                    pass

            self.compose = lambda text: yaml.compose(text, Loader=Loader)
            self.compose_all = lambda text: list(yaml.compose_all(text, Loader=Loader))
            self.events = lambda text: yaml.parse(text, Loader=Loader)
            self.marked_error, self.error = yaml.MarkedYAMLError, yaml.YAMLError
            self.alias_event = yaml.events.AliasEvent
            self.mapping, self.sequence, self.scalar = yaml.MappingNode, yaml.SequenceNode, yaml.ScalarNode
        else:
            from ruamel.yaml import YAML
            from ruamel.yaml.error import MarkedYAMLError, YAMLError
            from ruamel.yaml.events import AliasEvent
            from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

            self.compose = lambda text: YAML(typ="safe").compose(text)
            self.compose_all = lambda text: list(YAML(typ="safe").compose_all(text))
            self.events = lambda text: YAML(typ="safe").parse(text)
            self.marked_error, self.error = MarkedYAMLError, YAMLError
            self.alias_event = AliasEvent
            self.mapping, self.sequence, self.scalar = MappingNode, SequenceNode, ScalarNode


_BACKENDS: dict[str, _Backend] = {}


def backend(name: str | None = None) -> _Backend:
    """The parser to use: ZHIXING_YAML=ruamel|pyyaml, else PyYAML's C parser when it is there."""
    name = backend_name(name)
    if name not in _BACKENDS:
        _BACKENDS[name] = _Backend(name)
    return _BACKENDS[name]


def backend_name(name: str | None = None) -> str:
    """The name of the parser ``backend`` uses, found without importing it (the parse cache's key
    needs it on every run; most runs never import PyYAML): PyYAML counts when its C module is there."""
    name = name or os.environ.get("ZHIXING_YAML") or "pyyaml"
    if name != "pyyaml" or "yaml" in sys.modules:
        return name if name != "pyyaml" or hasattr(sys.modules["yaml"], "CSafeLoader") else "ruamel"
    spec = importlib.util.find_spec("yaml")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    compiled = any(entry.startswith("_yaml.") and entry.endswith((".so", ".pyd"))
                   for folder in folders for entry in os.listdir(folder))
    return "pyyaml" if compiled else "ruamel"


@dataclass
class LoadedYaml:
    """A parsed mapping, and enough to find any key's line again when a diagnostic needs it."""

    data: dict[str, Any]
    source_path: str | None = None
    source_text: str | None = None
    _lines: dict[DataPath, Location] | None = None

    @property
    def lines(self) -> dict[DataPath, Location]:
        if self._lines is None:
            text = self.source_text
            if text is None and self.source_path is not None:
                text = Path(self.source_path).read_bytes().decode("utf-8-sig")
            self._lines = _line_map(text or "")
        return self._lines

    def locate(self, path: DataPath) -> Location:
        """Line and column of the key at ``path``, or of its nearest located parent."""
        lines = self.lines
        probe = tuple(path)
        while probe not in lines and probe:
            probe = probe[:-1]
        return lines.get(probe, (1, 1))

    def __getstate__(self) -> dict[str, Any]:
        return {"data": self.data, "source_path": self.source_path, "source_text": self.source_text, "_lines": None}


class _Reject(Exception):
    def __init__(self, violation: Violation) -> None:
        self.violation = violation


@dataclass
class LoadLimits:
    max_bytes: int
    max_depth: int
    max_string: int = 20000  # characters in one scalar
    max_items: int = 1000  # items in one list, keys in one mapping


@dataclass(frozen=True)
class ArchiveLimits:
    """Bounds on a zip of XML parts (.docx, .xlsx), and on a body's text (policies/settings.yaml
    ``limits``)."""

    max_unpacked_bytes: int = 32 << 20  # all parts together, decompressed
    max_parts: int = 2000
    max_ratio: int = 200  # a part's decompressed size over its compressed size
    max_body_chars: int = 200_000  # a body's text


# The one intake rule every string from a record passes (README 安全与隐私): characters that
# break lines where Python-Markdown does not (so they defeat a line-based guard), control
# characters, bidi overrides and isolates (they reorder what a reader sees), and invisible
# characters that hide content. A newline and a tab are text only in block text.
_HIDDEN_CHARS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 (except \t \n) and C1 controls, DEL
    "\u00ad\u061c\u180e"  # soft hyphen, Arabic letter mark, Mongolian vowel separator
    "\u200b-\u200f"  # zero-width space, non-joiner, joiner; LRM, RLM
    "\u2028\u2029"  # line and paragraph separators
    "\u202a-\u202e\u2066-\u2069"  # bidi embeddings, overrides and isolates
    "\u2060-\u2064\ufeff"  # word joiner, invisible operators, zero-width no-break space
    "\ufff9-\ufffb\U000e0000-\U000e007f"  # interlinear annotations, tag characters
)
_FORBIDDEN_BLOCK = re.compile(f"[{_HIDDEN_CHARS}]")
_FORBIDDEN_LINE = re.compile(f"[{_HIDDEN_CHARS}\\t\\n]")
# A file without any of these (and no longer than one scalar may be) cannot hold a scalar the intake
# rule rejects: a one-line scalar gets a newline or tab only from the file's own tab or an escape.
_NEEDS_SCALAR_CHECK = re.compile(f"[{_HIDDEN_CHARS}\\t\\\\]")


def needs_scalar_check(text: str) -> bool:
    """``_NEEDS_SCALAR_CHECK`` found in ``text``. Every hidden character, and the tab, is in Unicode's
    "Other" or "Separator" categories, which ``str.isprintable`` refuses (tests/test_loading.py
    tries every code point): a text printable but for its newlines, without a backslash, has none
    — one fast pass instead of a class scan."""
    if "\\" in text:
        return True
    if text.replace("\n", " ").isprintable():
        return False
    return _NEEDS_SCALAR_CHECK.search(text) is not None


def forbidden_re() -> re.Pattern[str]:
    """The intake rule's characters, newline and tab included (for one-line text such as a title)."""
    return _FORBIDDEN_LINE


def forbidden_char(text: str, block: bool = False) -> tuple[int, str] | None:
    """(index, character) of the first character the intake rule rejects, or None."""
    found = (_FORBIDDEN_BLOCK if block else _FORBIDDEN_LINE).search(text)
    return (found.start(), found.group()) if found else None


def char_name(char: str) -> str:
    """``U+2028 LINE SEPARATOR``: how a diagnostic names a character nobody can see."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'CONTROL CHARACTER')}"


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def read_bytes_capped(path: Path, shown: str, max_bytes: int) -> tuple[bytes | None, Violation | None]:
    """A regular file's bytes, never following a symbolic link and never reading more than the cap
    allows: a link to /dev/zero, a FIFO or a device is refused before it is opened for reading."""
    try:
        mode = os.lstat(path).st_mode
    except OSError as exc:
        return None, engine_violation(shown, 1, 1, "file.unreadable", error=exc.strerror or str(exc))
    if stat.S_ISLNK(mode):
        return None, engine_violation(shown, 1, 1, "file.symlink")
    if not stat.S_ISREG(mode):
        return None, engine_violation(shown, 1, 1, "file.not-regular")
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as exc:
        return None, engine_violation(shown, 1, 1, "file.unreadable", error=exc.strerror or str(exc))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # swapped between lstat and open
            return None, engine_violation(shown, 1, 1, "file.not-regular")
        chunks, size = [], 0
        want = info.st_size + 1  # all of it and a byte more: one read, whose shortness shows the end
        while size <= max_bytes:
            asked = min(want, max_bytes + 1 - size)
            chunk = os.read(fd, asked)
            chunks.append(chunk)
            size += len(chunk)
            if len(chunk) < asked:  # the end of a regular file
                break
            want = 1 << 16  # it grew since it was measured: read on, up to the cap
    except OSError as exc:
        return None, engine_violation(shown, 1, 1, "file.unreadable", error=exc.strerror or str(exc))
    finally:
        os.close(fd)
    if size > max_bytes:
        return None, engine_violation(shown, 1, 1, "file.too-large", size=f"{max_bytes}+", limit=max_bytes)
    return b"".join(chunks), None


def read_text(path: Path, shown: str, max_bytes: int) -> tuple[str | None, Violation | None]:
    """The file's text as UTF-8, or a Violation saying why it cannot be read."""
    raw, problem = read_bytes_capped(path, shown, max_bytes)
    if raw is None:
        return None, problem
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        try:
            guess = raw.decode("gb18030")
        except UnicodeDecodeError:
            guess = ""
        rule = "file.gbk" if any("\u4e00" <= char <= "\u9fff" for char in guess) else "file.not-utf8"  # CJK once decoded as GB18030
        return None, engine_violation(shown, line, 1, rule, line=line)


# Typing mistakes that make YAML misread a line, found before parsing so the message points at the
# real line and column and names the character (a parser would complain a line later, in English).
_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
_LINE_START = rf"^(?P<lead>[ ]*(?:-[ ]+)?)(?P<key>{_KEY})"
_MISTAKES = (
    ("yaml.fullwidth-colon", re.compile(_LINE_START + r"[ ]*(?P<at>：)")),
    ("yaml.fullwidth-space", re.compile(r"^[ ]*(?:-[ ]+)?(?P<at>\u3000)|" + _LINE_START + r":[ ]*(?P<at2>\u3000)")),
    ("yaml.colon-space", re.compile(_LINE_START + r"(?P<at>:)(?![ \t\r]|$|//)")),
    ("yaml.fullwidth-quote", re.compile(r"^[ ]*(?:-[ ]+)?(?:" + _KEY + r":[ ]+)?(?P<at>[“‘「]).*[”’」][ ]*$")),
    ("yaml.fullwidth-bracket", re.compile(r"^[ ]*(?:-[ ]+)?(?:" + _KEY + r":[ ]+)?(?P<at>[［｛])")),
)
# Any character or shape the mistakes above need: a text without one has none of them. Searched as
# a character class and a colon pattern starting with a newline (both scanned fast), not as one
# alternation anchored at every line start (five times slower).
_HINT_CHARS = "[：\u3000“‘「［｛]"
_HINT_COLON = r"[ ]*(?:-[ ]+)?" + _KEY + r":(?![ \t\r\n]|//|$)"
_HINT_SCANS = (re.compile(_HINT_CHARS), re.compile(r"\A" + _HINT_COLON), re.compile(r"\n" + _HINT_COLON, re.MULTILINE))
# The colon scan above, by its colon: a colon without a space after it (times, URLs' "//" excluded)
# is found by a literal scan, and only then is its line up to it asked to be a key.
_HINT_CHAR_SCAN = _HINT_SCANS[0]
_BARE_COLON = re.compile(r":(?![ \t\r\n]|//|$)", re.MULTILINE)
_KEY_BEFORE = re.compile(r"[ ]*(?:-[ ]+)?" + _KEY)
_LINE_HINT = re.compile(_HINT_CHARS + "|^" + _HINT_COLON)  # the same, on one line
_BLOCK_START = re.compile(r"^(?P<indent>[ ]*)(?:-[ ]+|" + _KEY + r":[ ]+)[|>][-+0-9]*[ ]*(?:#.*)?$")


def has_hint(text: str) -> bool:
    """Any of ``_HINT_SCANS`` found in ``text`` (a text without one holds no typing mistake)."""
    if _HINT_CHAR_SCAN.search(text):
        return True
    at = 0
    while True:
        colon = _BARE_COLON.search(text, at)
        if colon is None:
            return False
        at = colon.start()
        line_start = text.rfind("\n", 0, at) + 1
        if _KEY_BEFORE.fullmatch(text, line_start, at):
            return True
        # a key has no colon in it: no later colon on this line has only a key before it, so the
        # line is read once, whatever its length (README 安全与隐私: time linear in the input)
        line_end = text.find("\n", at)
        if line_end < 0:
            return False
        at = line_end


def typing_mistakes(text: str, shown: str) -> list[Violation]:
    """Full-width colons, spaces, quotes and brackets, and a missing space after a key's colon, each
    with its line, column and the character named. Block text (after ``|`` or ``>``) and comments
    are left alone: they may say anything."""
    if not has_hint(text):  # the common case: none
        return []
    out: list[Violation] = []
    block_indent: int | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if block_indent is not None:
            if not line.strip() or len(line) - len(line.lstrip(" ")) > block_indent:
                continue
            block_indent = None
        if "|" in line or ">" in line:
            block = _BLOCK_START.match(line)
            if block:
                block_indent = len(block.group("indent"))
        if _LINE_HINT.search(line):  # a line without a hint holds no mistake
            out += _line_mistakes(line, number, shown)
    return out


def _line_mistakes(line: str, number: int, shown: str) -> list[Violation]:
    """The first typing mistake on a line outside block text, if any (comments may say anything)."""
    if line.lstrip().startswith("#"):
        return []
    for rule, pattern in _MISTAKES:
        found = pattern.match(line)
        if found:
            where = found.start("at") if found.group("at") is not None else found.start("at2")
            return [engine_violation(shown, number, where + 1, rule, line=number, column=where + 1)]
    return []


# Line breaks in YAML 1.1 (libyaml) but not in YAML 1.2 nor to a reviewer's eye: NEL, LINE and
# PARAGRAPH SEPARATOR. Between keys they hide a key on what looks like one line: refused anywhere.
_YAML11_BREAKS = ("\x85", "\u2028", "\u2029")


def yaml11_break(text: str, shown: str) -> Violation | None:
    """The first YAML 1.1 line break in ``text``, as a violation with its line and column."""
    if text.isascii():
        return None
    at = min((i for i in (text.find(c) for c in _YAML11_BREAKS) if i >= 0), default=-1)
    if at < 0:
        return None
    line, column = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
    return engine_violation(shown, line, column, "yaml.line-break", char=char_name(text[at]), line=line, column=column)


def load_yaml_text(text: str, shown: str, limits: LoadLimits, source_path: str | None = None,
                   parser: str | None = None) -> tuple[LoadedYaml | None, list[Violation]]:
    """Parse one YAML document. Returns the data, or None and the reasons it was rejected."""
    tab = _LEADING_TAB.search(text) if "\t" in text else None
    if tab:
        line = text.count("\n", 0, tab.start()) + 1
        return None, [engine_violation(shown, line, 1, "yaml.tab")]
    hidden_break = yaml11_break(text, shown)
    if hidden_break is not None:
        return None, [hidden_break]
    mistakes = typing_mistakes(text, shown)
    if mistakes:
        return None, mistakes
    # the whole file passed the intake rule at once: no scalar needs it again
    checked = len(text) <= limits.max_string and not needs_scalar_check(text)
    if checked and parser is None:
        fast = _fast_data(text, limits)
        if fast is not None:
            return LoadedYaml(data=fast, source_path=source_path, source_text=None if source_path else text), []
    yaml = backend(parser)
    try:
        # Anchors, aliases and explicit tags, from the parser's events: a tag, even a core one, is
        # refused (``!!str 120`` would read as 120 and ``!!str`` alone as null: our scalars are YAML
        # 1.2 core, resolved without tags), so what a reviewer reads is what is loaded.
        if _MAYBE_ANCHOR.search(text) or "!" in text:
            for event in yaml.events(text):
                if isinstance(event, yaml.alias_event) or getattr(event, "anchor", None):
                    mark = event.start_mark
                    return None, [engine_violation(shown, mark.line + 1, mark.column + 1, "yaml.alias")]
                if getattr(event, "tag", None) is not None:
                    mark = event.start_mark
                    tag = "!!" + event.tag.removeprefix(_TAG) if event.tag.startswith(_TAG) else event.tag
                    return None, [engine_violation(shown, mark.line + 1, mark.column + 1, "yaml.tag", tag=tag)]
        root = yaml.compose(text)
    except (yaml.marked_error, yaml.error) as exc:
        return None, [_syntax_problem(exc, shown, yaml)]
    except RecursionError:
        return None, [engine_violation(shown, 1, 1, "yaml.too-deep", limit=limits.max_depth)]
    if not isinstance(root, yaml.mapping):
        found = ({"zh": "单个值", "en": "a scalar"} if isinstance(root, yaml.scalar)
                 else {"zh": "列表", "en": "a list"} if isinstance(root, yaml.sequence) else {"zh": "空文件", "en": "nothing"})
        line = root.start_mark.line + 1 if root is not None else 1
        return None, [engine_violation(shown, line, 1, "yaml.not-mapping", found=found)]
    builder = _Builder(shown, limits, yaml, record_lines=False, text_checked=checked)
    try:
        data = builder.build(root, (), 0)
    except _Reject as rej:
        return None, [rej.violation]
    if builder.problems:
        return None, builder.problems
    return LoadedYaml(data=data, source_path=source_path, source_text=None if source_path else text), []


def _syntax_problem(exc: Exception, shown: str, yaml: _Backend) -> Violation:
    """A parser's error as the one diagnostic both the loader and the hygiene check give."""
    if isinstance(exc, yaml.marked_error):
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        return engine_violation(shown, line, col, "yaml.syntax", problem=_problem(problem or "?"))
    return engine_violation(shown, 1, 1, "yaml.syntax", problem=_problem(str(exc).splitlines()[0] if str(exc) else "?"))


def scan_yaml_text(text: str, shown: str, limits: LoadLimits) -> list[Violation]:
    """Hygiene for any YAML file (mkdocs.yml, CI files, records): tab indentation, syntax and duplicate
    keys, reported exactly as the loader reports them (one message, in Chinese by default). Tags,
    aliases, several documents and a top level that is not a mapping are allowed here."""
    tab = _LEADING_TAB.search(text) if "\t" in text else None
    if tab:
        return [engine_violation(shown, text.count("\n", 0, tab.start()) + 1, 1, "yaml.tab")]
    hidden_break = yaml11_break(text, shown)
    if hidden_break is not None:
        return [hidden_break]
    mistakes = typing_mistakes(text, shown)
    if mistakes:
        return mistakes
    yaml = backend()
    try:
        nodes = yaml.compose_all(text)
    except (yaml.marked_error, yaml.error) as exc:
        return [_syntax_problem(exc, shown, yaml)]
    except RecursionError:
        return [engine_violation(shown, 1, 1, "yaml.too-deep", limit=limits.max_depth)]
    builder = _Builder(shown, limits, yaml, record_lines=False, lenient=True)
    try:
        for node in nodes:
            if node is not None:
                builder.build(node, (), 0)
    except _Reject as rej:
        return [*builder.problems, rej.violation]
    return builder.problems


def load_yaml_file(path: Path, shown: str, limits: LoadLimits, parser: str | None = None
                   ) -> tuple[LoadedYaml | None, list[Violation]]:
    text, problem = read_text(path, shown, limits.max_bytes)
    if problem is not None or text is None:
        return None, [problem] if problem else []
    return load_yaml_text(text, shown, limits, source_path=str(path), parser=parser)


def _line_map(text: str) -> dict[DataPath, Location]:
    """Every key's and item's (line, column), from a second parse of a file that loaded."""
    yaml = backend()
    builder = _Builder("", LoadLimits(1 << 62, 1 << 30, 1 << 62, 1 << 62), yaml, record_lines=True)
    root = yaml.compose(text)
    data = builder.build(root, (), 0)
    # The mapping's own mark may sit on a leading comment; its first key is where it starts.
    builder.lines[()] = builder.lines[(next(iter(data)),)] if data else (1, 1)
    return builder.lines


class _Builder:
    """Turns a composed node tree into dicts, lists and scalars (and, on demand, a line map)."""

    def __init__(self, shown: str, limits: LoadLimits, yaml: _Backend, record_lines: bool, lenient: bool = False,
                 text_checked: bool = False) -> None:
        self.shown = shown
        # lenient: any YAML file (mkdocs.yml, CI files) — tags and aliases allowed, strings unchecked
        self.lenient = lenient
        self._seen: set[int] = set()
        self.limits = limits
        self.max_depth = limits.max_depth
        self.yaml = yaml
        self.record_lines = record_lines
        self.text_checked = text_checked
        self.lines: dict[DataPath, Location] = {}
        self.problems: list[Violation] = []

    @staticmethod
    def _where(node: Any) -> Location:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def build(self, node: Any, path: DataPath, depth: int) -> Any:
        if depth > self.max_depth:
            line, col = self._where(node)
            raise _Reject(engine_violation(self.shown, line, col, "yaml.too-deep", limit=self.max_depth))
        if self.lenient:
            if id(node) in self._seen:  # an alias: walked once (no blow-up)
                return None
            self._seen.add(id(node))
        tag = node.tag
        if tag not in _CORE_TAGS and not self.lenient:
            line, col = self._where(node)
            raise _Reject(engine_violation(self.shown, line, col, "yaml.tag", tag=tag))
        if isinstance(node, (self.yaml.mapping, self.yaml.sequence)) and len(node.value) > self.limits.max_items:
            line, col = self._where(node)
            raise _Reject(engine_violation(self.shown, line, col, "yaml.too-many-items", field=dotted(path),
                                           count=len(node.value), limit=self.limits.max_items))
        if isinstance(node, self.yaml.mapping):
            out: dict[str, Any] = {}
            first: dict[str, Any] = {}  # key -> its first key node, for the duplicate's message
            for key_node, value_node in node.value:
                if not isinstance(key_node, self.yaml.scalar):
                    line, col = self._where(key_node)
                    self.problems.append(engine_violation(self.shown, line, col, "yaml.key"))
                    continue
                key = key_node.value
                self._check_text(key_node, key, path + (key,), block=False)
                if key in first:
                    line, col = self._where(key_node)
                    self.problems.append(engine_violation(self.shown, line, col, "yaml.duplicate-key", key=key,
                                                          first=self._where(first[key])[0]))
                    continue
                first[key] = key_node
                if self.record_lines:
                    self.lines[path + (key,)] = self._where(key_node)
                out[key] = self.build(value_node, path + (key,), depth + 1)
            return out
        if isinstance(node, self.yaml.sequence):
            items = []
            for index, item in enumerate(node.value):
                if self.record_lines:
                    self.lines[path + (index,)] = self._where(item)
                items.append(self.build(item, path + (index,), depth + 1))
            return items
        self._check_text(node, node.value, path, block=node.style in ("|", ">")
                         or node.start_mark.line != node.end_mark.line)
        if not node.style:  # plain: None in pure Python parsers, "" from libyaml
            return _plain(node.value)
        return node.value

    def _check_text(self, node: Any, text: str, path: DataPath, block: bool) -> None:
        if self.record_lines or self.lenient or self.text_checked:
            return
        if len(text) > self.limits.max_string:
            line, col = self._where(node)
            raise _Reject(engine_violation(self.shown, line, col, "text.too-long", field=dotted(path),
                                           length=len(text), limit=self.limits.max_string))
        bad = forbidden_char(text, block)
        if bad is not None:
            line, col = self._where(node)
            self.problems.append(engine_violation(self.shown, line, col, "text.forbidden-char", field=dotted(path),
                                                  char=char_name(bad[1]), position=bad[0] + 1))


def dotted(path: DataPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "（顶层）"


def _plain(value: str) -> Any:
    """A plain scalar by the YAML 1.2 core schema; anything else (dates, times) stays text."""
    if not value or value[0] in "0123456789-+.~nNtTfF":
        if _NULL.match(value):
            return None
        if value in _BOOL:
            return _BOOL[value]
        if _INT.match(value):
            return int(value, 8) if value.startswith("0o") else int(value, 0) if value.startswith("0x") else int(value)
        if _FLOAT.match(value):
            low = value.lower()
            if low.endswith("inf"):
                return float("-inf") if low.startswith("-") else float("inf")
            return float("nan") if low.endswith("nan") else float(value)
    return value
