"""A real `mkdocs serve --dirty` on a free port, its log lines read as they come (the site tests
and bench/run.py's rebuild timing)."""

from __future__ import annotations

import queue
import socket
import subprocess
import threading
import time
from pathlib import Path
from types import TracebackType


class MkdocsServe:
    def __init__(self, mkdocs: list[str], cwd: Path, env: dict[str, str]) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.started = time.perf_counter()
        self.proc = subprocess.Popen([*mkdocs, "serve", "--dirty", "--dev-addr", f"127.0.0.1:{self.port}"], cwd=cwd, env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(line) for line in self.proc.stderr or []], daemon=True).start()

    def wait_for(self, text: str, timeout: float = 600) -> float:
        """The time (perf_counter) at which a log line holding ``text`` came."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            if text in line:
                return time.perf_counter()
        raise RuntimeError(f"mkdocs serve: no {text!r}")

    def __enter__(self) -> MkdocsServe:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.proc.terminate()
        self.proc.wait(30)
