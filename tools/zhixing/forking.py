"""A second core for a large check, by forking: a child process, a copy of this one made at no
cost (copy-on-write), does part of the work and sends its result back through a pipe, as JSON
(data only: no module here unpickles anything, README 安全与隐私).

Intake (parsing: each worker a slice of the files) and the judge (rules: half of them) use
``Forked`` above ``PARALLEL_FROM`` records. Below it, starting a process costs more than it saves.
Should the child fail in any way (an exception, a crash, an answer that does not decode, no answer
within ``TIMEOUT``: then it is killed), its work is done here instead, where an exception is raised
as it would have been without the fork: forking only ever changes the speed.
"""

from __future__ import annotations

import json
import os
import select
import signal
import time
from collections.abc import Callable
from typing import Any

PARALLEL_FROM = int(os.environ.get("ZHIXING_PARALLEL_FROM", "2000"))
TIMEOUT = 600.0  # seconds a child may take (a 50,000-record half takes a few)


def available() -> bool:
    """Forking exists here (not on Windows) and there is a second core to use."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) >= 2


class Forked:
    """``work()`` started in a forked child now; ``result()`` waits for its JSON-able answer."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self.work = work
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: do the work, send it, and leave without running any clean-up
            status = 1
            try:
                os.close(read)
                data = json.dumps(work()).encode("ascii")  # escaped: the C encoder's fastest path
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(data)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        self.pid, self.read = pid, read

    def result(self, timeout: float = TIMEOUT) -> Any:
        """The child's answer; its work done here instead if it failed, or if it has not answered
        within ``timeout`` seconds (then it is killed: a hung child must never hang a check)."""
        chunks: list[bytes] = []
        deadline = time.monotonic() + timeout
        answered = False
        with os.fdopen(self.read, "rb", buffering=0) as pipe:
            while (left := deadline - time.monotonic()) > 0 and select.select([pipe], [], [], left)[0]:
                chunk = pipe.read(1 << 20)
                if not chunk:
                    answered = True
                    break
                chunks.append(chunk)
        if not answered:
            os.kill(self.pid, signal.SIGKILL)
        _, status = os.waitpid(self.pid, 0)
        if answered and status == 0:
            try:
                return json.loads(b"".join(chunks))
            except ValueError:
                pass
        return self.work()
