"""The baseline of the site-build measure (issue 15): the same pages as the real build, written out
as Markdown files, built by a bare ``mkdocs build`` (same theme and templates, no hooks, no check,
no search index, no web form). The real build's time over this one is what zhixing adds.

    .venv/bin/python bench/bare_site.py CORPUS OUT     # writes OUT/docs and OUT/mkdocs.yml
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def write_bare(corpus: Path, out: Path) -> Path:
    """OUT/mkdocs.yml and OUT/docs/: every page and file the hooks generate, plus the hand-written
    pages and assets, as plain files."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from zhixing.site import hooks

    config = load_config(str(corpus / "mkdocs.yml"))
    config.plugins._current_plugin = None  # what MkDocs sets while it runs hooks itself
    config = hooks.on_config(config)
    files = hooks.on_files(get_files(config), config)
    docs = out / "docs"
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(corpus / "docs", docs)
    for file in files:
        if file.generated_by is None:
            continue
        target = docs / file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        content = file.content_bytes
        if file.src_uri.endswith(".md"):
            # What the hooks would do to it before rendering: the page's title from the record.
            title = hooks._STATE.get("titles", {}).get(file.src_uri)
            text = content.decode("utf-8")
            if title is not None:
                text = f"---\ntitle: {title!r}\n---\n" + text
            content = text.encode("utf-8")
        target.write_bytes(content)
    text = (corpus / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("hooks:\n  - tools/zhixing/site/hooks.py\n", "")
    text = text.replace("custom_dir: overrides", f"custom_dir: {corpus / 'overrides'}")
    text = text.replace("watch:\n  - records\n  - policies\n  - schemas\n", "")
    (out / "mkdocs.yml").write_text(text, encoding="utf-8")
    return out


if __name__ == "__main__":
    write_bare(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve())
