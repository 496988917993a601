"""Word bodies for the tests, generated with python-docx (a test dependency)."""

from __future__ import annotations

from pathlib import Path


def make_docx(path: Path, body_chars: int, table_chars: int = 40) -> None:
    """A .docx whose body (paragraphs + one table) holds exactly ``body_chars`` 字, with a header and
    a footer that do not count."""
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "页眉文字不计入字数" * 5
    document.sections[0].footer.paragraphs[0].text = "页脚文字不计入字数" * 5
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "表" * table_chars
    remaining = body_chars - table_chars
    while remaining > 0:
        chunk = min(remaining, 500)
        document.add_paragraph("字" * chunk)
        remaining -= chunk
    document.save(str(path))


def make_bomb_docx(path: Path, text: str, repeat: int) -> None:
    """A real .docx (Word opens it) whose one paragraph holds ``text * repeat``: a few kilobytes of
    zip that unpack to megabytes, as a hostile body would."""
    import zipfile

    make_docx(path, 10)
    with zipfile.ZipFile(path) as original:
        parts = {info.filename: original.read(info) for info in original.infolist()}
    xml = parts["word/document.xml"].decode("utf-8")
    paragraph = "<w:p><w:r><w:t>" + text * repeat + "</w:t></w:r></w:p>"
    parts["word/document.xml"] = xml.replace("<w:sectPr", paragraph + "<w:sectPr", 1).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for name, data in parts.items():
            bomb.writestr(name, data)
