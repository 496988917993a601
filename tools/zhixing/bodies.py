"""A document's body (正文), as clerks write it: a Word/WPS ``.docx``, or a UTF-8 text file (GBK/
GB18030 and UTF-16 are recognised and refused by name). Art. 16 counts its 字数 (wordcount.py).

What is counted in a ``.docx``: the document body only — its paragraphs and its tables' cells, in
order, including text in text boxes and insertions of tracked changes — and not the headers, footers,
footnotes, comments, or tracked deletions (``w:delText``). That is Word's 字数 of the body with
“包括文本框、脚注和尾注” limited to text boxes.

Other formats (``.doc``, ``.wps``, ``.pdf``, ``.ofd``, ``.rtf`` …) are refused with a message naming
the accepted ones and how to save as ``.docx``. Every problem is a Violation; nothing is skipped.

Bounded before it is read (README 安全与隐私): a ``.docx`` is a zip of XML parts, and 250 KB of zip can
hold hundreds of megabytes of text. Its part count, declared sizes and compression ratios are
checked before any part is parsed, then its actual sizes by decompressing each part in chunks up to
the limit; the body's text is capped in characters too. Over a limit, the body is an integrity
problem and ``record.body`` stays None, so the site, which publishes only what the check read,
never reads it either. ``zhixing import`` bounds an .xlsx the same way (``archive_problem``).
"""

from __future__ import annotations

import io
from pathlib import Path

from zhixing.diagnostics import Violation
from zhixing.loading import ArchiveLimits, read_bytes_capped
from zhixing.messages import engine_violation

TEXT_SUFFIXES = (".txt", ".md")
WORD_SUFFIXES = (".docx",)
ACCEPTED = "、".join((*WORD_SUFFIXES, *TEXT_SUFFIXES))
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


_RATIO_FLOOR = 1 << 16  # a part smaller than this decompressed is not judged by its ratio


def archive_problem(raw: bytes, limits: ArchiveLimits) -> tuple[dict[str, str], int, int] | None:
    """(what, found, limit) for the first bound a zip archive breaks, or None. Declared sizes first,
    then the actual ones, decompressing each part in chunks and never past the limit. A damaged
    archive raises (zipfile.BadZipFile, RuntimeError for encryption, NotImplementedError …)."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        parts = archive.infolist()
        if len(parts) > limits.max_parts:
            return {"zh": "部件数", "en": "parts"}, len(parts), limits.max_parts
        declared = sum(part.file_size for part in parts)
        if declared > limits.max_unpacked_bytes:
            return {"zh": "解压后字节数（声明）", "en": "declared unpacked bytes"}, declared, limits.max_unpacked_bytes
        for part in parts:
            ratio = part.file_size // max(part.compress_size, 1)
            if part.file_size >= _RATIO_FLOOR and ratio > limits.max_ratio:
                return {"zh": "压缩比", "en": "compression ratio"}, ratio, limits.max_ratio
        unpacked = 0
        for part in parts:
            with archive.open(part) as stream:
                while chunk := stream.read(1 << 16):
                    unpacked += len(chunk)
                    if unpacked > limits.max_unpacked_bytes:
                        return {"zh": "解压后字节数", "en": "unpacked bytes"}, unpacked, limits.max_unpacked_bytes
    return None


def read_body(path: Path, shown: str, max_bytes: int, limits: ArchiveLimits | None = None) -> tuple[str | None, Violation | None]:
    """The body's text, or why it cannot be read (a Violation on the body file)."""
    limits = limits or ArchiveLimits()
    suffix = path.suffix.lower()
    if suffix not in (*TEXT_SUFFIXES, *WORD_SUFFIXES):
        return None, engine_violation(shown, 1, 1, "body.format", suffix=suffix or "（无后缀）", accepted=ACCEPTED)
    raw, problem = read_bytes_capped(path, shown, max_bytes)
    if raw is None:
        return None, problem
    text, problem = docx_text(raw, shown, limits) if suffix in WORD_SUFFIXES else decode_text(raw, shown)
    if text is not None and len(text) > limits.max_body_chars:
        return None, engine_violation(shown, 1, 1, "body.too-long", chars=len(text), limit=limits.max_body_chars)
    return text, problem


def decode_text(raw: bytes, shown: str) -> tuple[str | None, Violation | None]:
    """UTF-8 (with or without BOM). UTF-16 with a BOM (Notepad's “Unicode”) and GBK/GB18030 (Notepad's
    “ANSI” on Chinese Windows) are recognised and refused by name, with how to re-save: a body in
    another encoding is never counted as empty, nor skipped. An integrity problem, so the commit
    that brings it is refused (the record cannot be judged under Art. 16 until it is readable)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, engine_violation(shown, 1, 1, "body.encoding", encoding={"zh": "UTF-16（记事本的“Unicode”）", "en": "UTF-16"})
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
    try:
        raw.decode("gb18030")
        found = {"zh": "GBK（记事本的“ANSI”）", "en": "GBK"}
    except UnicodeDecodeError:
        found = {"zh": "无法识别的编码", "en": "an unknown encoding"}
    return None, engine_violation(shown, line, 1, "body.encoding", encoding=found)


def docx_text(raw: bytes, shown: str, limits: ArchiveLimits | None = None) -> tuple[str | None, Violation | None]:
    """The body text of a .docx: paragraphs and table cells in order, one line each; the archive is
    bounded (``archive_problem``) before python-docx parses any of it."""
    import zipfile  # only for a Word body: most checks never open one

    try:
        over = archive_problem(raw, limits or ArchiveLimits())
    except Exception as exc:  # not a zip, encrypted, an unknown compression: not a .docx Word can open
        return None, engine_violation(shown, 1, 1, "body.docx-broken", error=type(exc).__name__)
    if over is not None:
        what, found, limit = over
        return None, engine_violation(shown, 1, 1, "body.archive-limit", what=what, found=found, limit=limit)
    try:
        from docx import Document

        document = Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        return None, engine_violation(shown, 1, 1, "body.docx-broken", error=type(exc).__name__)
    except Exception as exc:  # python-docx raises its own errors for a file that is not a Word document
        return None, engine_violation(shown, 1, 1, "body.docx-broken", error=type(exc).__name__)
    # w:t only: inserted text counts, deleted text (w:delText) does not. Each piece belongs to its
    # nearest paragraph, so a text box's paragraph is not counted again inside the one holding it.
    paragraphs: dict[object, list[str]] = {}
    for text in document.element.body.iter(f"{_W}t"):
        owner = next(text.iterancestors(f"{_W}p"), None)
        paragraphs.setdefault(owner, []).append(text.text or "")
    return "\n".join("".join(pieces) for pieces in paragraphs.values()), None
