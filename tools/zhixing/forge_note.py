"""``zhixing mr-note FILE``: the check's summary as ONE merge-request note on GitLab, updated on each push
(a sticky comment), so reviewers read it on the merge request itself rather than in an artifact.

GitLab CI gives the project, the merge request and the API's address (``CI_API_V4_URL``,
``CI_PROJECT_ID``, ``CI_MERGE_REQUEST_IID``); the token is a project access token with the ``api``
scope, stored as a masked CI variable ``ZHIXING_GITLAB_TOKEN`` — never in the repository. Without a
token the note is skipped with one clear line and exit 0. The note is found again by a marker on its
first line. Plain https only (http on the loopback, for tests); requests time out; the token is
never printed.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

MARKER = "<!-- zhixing-summary -->"
TOKEN_VARIABLE = "ZHIXING_GITLAB_TOKEN"
TIMEOUT = 15  # seconds per request
MAX_PAGES = 20  # notes are read 100 a page; a merge request with more than 2,000 gets a new note
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class NoteError(Exception):
    """Why the note could not be posted (never with the token in it)."""


def post_summary(summary: str, env: dict[str, str] | None = None) -> str:
    """Create or update the note; returns what was done ("created", "updated" or "skipped: …")."""
    env = dict(os.environ if env is None else env)
    token = env.get(TOKEN_VARIABLE, "")
    api, project, request_iid = env.get("CI_API_V4_URL", ""), env.get("CI_PROJECT_ID", ""), env.get("CI_MERGE_REQUEST_IID", "")
    if not token:
        return f"skipped: 没有设置 CI 变量 {TOKEN_VARIABLE}，不发表合并请求评论 / no {TOKEN_VARIABLE}: no merge-request note"
    if not (api and project and request_iid):
        return "skipped: 不在 GitLab 合并请求流水线中 / not in a GitLab merge-request pipeline"
    parsed = urllib.parse.urlsplit(api)
    if parsed.scheme != "https" and not (parsed.scheme == "http" and parsed.hostname in LOOPBACK):
        raise NoteError(f"CI_API_V4_URL 必须是 https 地址：{parsed.scheme}://{parsed.hostname}")
    base = f"{api.rstrip('/')}/projects/{urllib.parse.quote(project, safe='')}/merge_requests/{int(request_iid)}/notes"
    body = f"{MARKER}\n{summary}"
    existing = _find(base, token)
    if existing is None:
        _call("POST", base, token, {"body": body})
        return "created"
    _call("PUT", f"{base}/{int(existing)}", token, {"body": body})
    return "updated"


def _find(base: str, token: str) -> int | None:
    for page in range(1, MAX_PAGES + 1):
        notes, more = _call("GET", f"{base}?per_page=100&page={page}&sort=asc", token)
        for note in notes if isinstance(notes, list) else []:
            if isinstance(note, dict) and str(note.get("body", "")).startswith(MARKER):
                return int(note["id"])
        if not more:
            return None
    return None


def _call(method: str, url: str, token: str, data: dict[str, Any] | None = None) -> tuple[Any, bool]:
    payload = json.dumps(data).encode("utf-8") if data is not None else None
    request = urllib.request.Request(url, data=payload, method=method,
                                     headers={"PRIVATE-TOKEN": token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310 (https checked above)
            text = answer.read().decode("utf-8")
            more = bool(answer.headers.get("X-Next-Page"))
    except urllib.error.HTTPError as exc:
        raise NoteError(f"GitLab 拒绝了请求（{method} HTTP {exc.code}）/ GitLab refused the request") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise NoteError(f"无法连接 GitLab（{type(reason).__name__}）/ cannot reach GitLab") from None
    try:
        return (json.loads(text) if text else None), more
    except ValueError:
        raise NoteError("GitLab 的回答不是 JSON / GitLab's answer is not JSON") from None
