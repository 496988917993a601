"""The summary as one sticky GitLab merge-request note (README 审核人与 CI), against a local HTTP server that
speaks GitLab's notes API: created once, updated on the next push, skipped with a clear line without a
token, the token never printed."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from gitrepo import BIN

TOKEN = "glpat-secret-token-123"
NOTES_PATH = "/api/v4/projects/ledong%2Fzhixing/merge_requests/7/notes"


class _GitLab(BaseHTTPRequestHandler):
    notes: list[dict[str, Any]] = []
    calls: list[str] = []

    def log_message(self, *args: Any) -> None:
        pass

    def _answer(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _authorised(self) -> bool:
        if self.headers.get("PRIVATE-TOKEN") != TOKEN:
            self._answer(401, {"message": "401 Unauthorized"})
            return False
        return True

    def _body(self) -> str:
        return str(json.loads(self.rfile.read(int(self.headers["Content-Length"])))["body"])

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        self.calls.append(f"GET {url.path}")
        if not self._authorised() or url.path != NOTES_PATH:
            return self._answer(404, {}) if url.path != NOTES_PATH else None
        page = int(parse_qs(url.query).get("page", ["1"])[0])
        chunk = self.notes[(page - 1) * 2:page * 2]  # two a page: the client must follow X-Next-Page
        more = {"X-Next-Page": str(page + 1)} if len(self.notes) > page * 2 else {}
        self._answer(200, chunk, more)

    def do_POST(self) -> None:
        self.calls.append(f"POST {self.path}")
        if self._authorised():
            note = {"id": 100 + len(self.notes), "body": self._body()}
            self.notes.append(note)
            self._answer(201, note)

    def do_PUT(self) -> None:
        self.calls.append(f"PUT {self.path}")
        if self._authorised():
            note_id = int(self.path.rsplit("/", 1)[1])
            for note in self.notes:
                if note["id"] == note_id:
                    note["body"] = self._body()
                    return self._answer(200, note)
            self._answer(404, {})


@pytest.fixture
def gitlab() -> Any:
    _GitLab.notes = [{"id": 1, "body": "审核人的评论"}, {"id": 2, "body": "另一条"}, {"id": 3, "body": "第三条"}]
    _GitLab.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GitLab)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/v4"
    server.shutdown()


def _note(tmp_path: Path, text: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    summary = tmp_path / "zhixing-summary.md"
    summary.write_text(text, encoding="utf-8")
    return subprocess.run([str(BIN / "zhixing"), "mr-note", str(summary)], cwd=tmp_path, capture_output=True, text=True,
                          env={**{k: v for k, v in os.environ.items() if k != "ZHIXING_GITLAB_TOKEN"}, **env}, timeout=60)


def test_the_summary_is_one_note_created_once_and_updated(gitlab: str, tmp_path: Path) -> None:
    env = {"CI_API_V4_URL": gitlab, "CI_PROJECT_ID": "ledong/zhixing", "CI_MERGE_REQUEST_IID": "7", "ZHIXING_GITLAB_TOKEN": TOKEN}
    first = _note(tmp_path, "## zhixing 检查结果\n第一次推送", env)
    assert first.returncode == 0 and "created" in first.stdout, first.stderr
    second = _note(tmp_path, "## zhixing 检查结果\n第二次推送", env)
    assert second.returncode == 0 and "updated" in second.stdout, second.stderr
    ours = [n for n in _GitLab.notes if n["body"].startswith("<!-- zhixing-summary -->")]
    assert len(ours) == 1 and "第二次推送" in ours[0]["body"] and "第一次推送" not in ours[0]["body"]
    assert [n["body"] for n in _GitLab.notes[:3]] == ["审核人的评论", "另一条", "第三条"]  # nobody else's note touched
    assert sum(c.startswith("POST") for c in _GitLab.calls) == 1 and sum(c.startswith("PUT") for c in _GitLab.calls) == 1
    assert TOKEN not in first.stdout + first.stderr + second.stdout + second.stderr


def test_without_a_token_the_note_is_skipped_with_a_clear_line(gitlab: str, tmp_path: Path) -> None:
    skipped = _note(tmp_path, "x", {"CI_API_V4_URL": gitlab, "CI_PROJECT_ID": "ledong/zhixing", "CI_MERGE_REQUEST_IID": "7"})
    assert skipped.returncode == 0 and "没有设置 CI 变量 ZHIXING_GITLAB_TOKEN" in skipped.stdout
    assert _GitLab.calls == []


def test_a_refused_token_or_a_plain_http_host_fails_without_printing_the_token(gitlab: str, tmp_path: Path) -> None:
    env = {"CI_API_V4_URL": gitlab, "CI_PROJECT_ID": "ledong/zhixing", "CI_MERGE_REQUEST_IID": "7", "ZHIXING_GITLAB_TOKEN": "wrong"}
    refused = _note(tmp_path, "x", env)
    assert refused.returncode == 1 and "HTTP 401" in refused.stderr and "wrong" not in refused.stderr
    plain = _note(tmp_path, "x", {**env, "CI_API_V4_URL": "http://gitlab.example.invalid/api/v4", "ZHIXING_GITLAB_TOKEN": TOKEN})
    assert plain.returncode == 1 and "https" in plain.stderr and TOKEN not in plain.stderr
