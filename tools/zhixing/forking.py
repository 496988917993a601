"""Every core for a large check, by forking: copies of this process, made at no cost (copy-on-write),
share a list of tasks with it. Each process takes the next task number from a pipe whenever it is
free (a read of four bytes from a pipe is atomic: no task is taken twice), so a process slowed by
a busy core simply does fewer, and all end together whatever the tasks cost. A child sends each
result back as it is done, as JSON (data only: no module here unpickles anything, README
安全与隐私); this process decodes them between its own tasks.

Intake (parsing: a task is a run of files) and the judge (a task is a rule) use ``share`` above
``PARALLEL_FROM`` records. Below it, starting a process costs more than it saves.
A child's results count only if it ends cleanly: should it fail in any way (an exception, a crash,
an answer that does not decode, no end within ``TIMEOUT``: then it is killed), every task it took is
done here instead, where an exception is raised as it would have been without the fork: forking
only ever changes the speed.
"""

from __future__ import annotations

import json
import os
import select
import signal
import time
from collections.abc import Callable
from typing import Any, TypeVar

PARALLEL_FROM = int(os.environ.get("ZHIXING_PARALLEL_FROM", "2000"))
TIMEOUT = 600.0  # seconds a child may take to end once this process has run out of tasks
MAX_TASKS = 1024  # task numbers the queue holds (4 KB: written in one go into any pipe)
MAX_WORKERS = 4  # processes in all, this one included
_PIPE_SIZE = 1 << 20  # a child's results pipe widened (Linux), so a child never waits for this one to read

T = TypeVar("T")


def available() -> bool:
    """Forking exists here (not on Windows) and there is a second core to use."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) >= 2


def workers() -> int:
    """Forked copies to start: one per further core, up to ``MAX_WORKERS`` processes in all."""
    return max(1, min(os.cpu_count() or 2, MAX_WORKERS) - 1)


def share(count: int, do: Callable[[int], T], encode: Callable[[int, T], Any], decode: Callable[[int, Any], T],
          state: Callable[[], Any] | None = None, timeout: float = TIMEOUT) -> tuple[list[T], list[Any]]:
    """``[do(0), …, do(count - 1)]``, the tasks shared between this process and forked copies of it.

    A child's result travels as ``encode(task, result)`` (JSON-able) and comes back as
    ``decode(task, data)``. ``state()``: what a task changes besides its result (JSON-able, cumulative), taken by a
    child after each task; returned is the last of each child that ended cleanly, for the caller
    to merge."""
    if count > MAX_TASKS:
        raise ValueError(f"at most {MAX_TASKS} tasks, not {count}")
    if count == 0:
        return [], []
    tasks_read, tasks_write = os.pipe()
    os.write(tasks_write, b"".join(task.to_bytes(4, "little") for task in range(count)))
    os.close(tasks_write)  # every reader sees the end once the tasks are taken
    children: list[_Child] = []
    results: dict[int, T] = {}
    mine: set[int] = set()
    try:
        for _ in range(workers()):
            children.append(_Child.start(tasks_read, do, encode, decode, state))
        while (task := _take(tasks_read)) is not None:
            mine.add(task)
            results[task] = do(task)
            for child in children:
                child.receive(wait=False)
        deadline = time.monotonic() + timeout
        for child in children:
            child.finish(deadline)
    finally:
        os.close(tasks_read)
        for child in children:
            child.stop()
    states = []
    for child in children:
        if child.clean:
            results.update(child.results)
            if child.state is not None:
                states.append(child.state)
    # whatever a child took and did not bring back cleanly, in task order, here
    return [results[task] if task in results else do(task) for task in range(count)], states


def _take(tasks: int) -> int | None:
    """The next task number from the queue, or None when all are taken."""
    data = os.read(tasks, 4)
    return int.from_bytes(data, "little") if len(data) == 4 else None


class _Forked:
    """A forked child and the read end of its pipe."""

    def __init__(self, pid: int, read: int) -> None:
        self.pid, self.read = pid, read

    def stop(self) -> None:
        """Closed and reaped, whatever happened (still running: killed)."""
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = 0
        if self.read >= 0:
            os.close(self.read)
            self.read = -1


class _Child(_Forked):
    """One forked copy taking tasks from the queue, and what it has sent back so far."""

    def __init__(self, pid: int, read: int, decode: Callable[[int, Any], Any]) -> None:
        super().__init__(pid, read)
        self.decode = decode
        self.buffer = bytearray()
        self.results: dict[int, Any] = {}  # decoded as they come, kept only if the child ends cleanly
        self.state: Any = None
        self.ended = False  # its end of the pipe closed
        self.damaged = False  # a frame that did not decode
        self.clean = False  # ended, exit status 0, every frame whole and decoded

    @classmethod
    def start(cls, tasks: int, do: Callable[[int], Any], encode: Callable[[int, Any], Any], decode: Callable[[int, Any], Any],
              state: Callable[[], Any] | None) -> _Child:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: take tasks, send each result, and leave without running any clean-up
            status = 1
            try:
                os.close(read)
                _widen(write)
                while (task := _take(tasks)) is not None:
                    frame = json.dumps([task, encode(task, do(task)), state() if state else None]).encode("ascii")
                    _write_all(write, len(frame).to_bytes(8, "little") + frame)
                os.close(write)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        os.set_blocking(read, False)
        return cls(pid, read, decode)

    def receive(self, wait: bool, deadline: float = 0.0) -> None:
        """Read what the child has sent (all of it until its end, when ``wait``) and decode whole frames."""
        while not self.ended:
            if wait:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self.read], [], [], left)[0]:
                    return
            try:
                chunk = os.read(self.read, 1 << 20)
            except BlockingIOError:
                if not wait:
                    return
                continue
            if not chunk:
                self.ended = True
                break
            self.buffer += chunk
            self._frames()

    def _frames(self) -> None:
        while len(self.buffer) >= 8:
            size = int.from_bytes(self.buffer[:8], "little")
            if len(self.buffer) < 8 + size:
                return
            frame = bytes(self.buffer[8:8 + size])
            del self.buffer[:8 + size]
            try:
                task, data, state = json.loads(frame)
                self.results[int(task)] = self.decode(int(task), data)
            except Exception:  # noqa: BLE001 — whatever came back, the work is done here instead
                self.damaged = True  # then the child is not clean (finish): its tasks are done here
                continue
            self.state = state

    def finish(self, deadline: float) -> None:
        """Its remaining results until it ends (or ``deadline``: then it is killed), and its verdict."""
        self.receive(wait=True, deadline=deadline)
        if not self.ended:
            os.kill(self.pid, signal.SIGKILL)
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        self.clean = self.ended and status == 0 and not self.buffer and not self.damaged


def _widen(fd: int) -> None:
    try:
        import fcntl
    except ImportError:
        return
    if hasattr(fcntl, "F_SETPIPE_SZ"):  # Linux
        try:
            fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
        except OSError:  # above the system's limit: only slower
            pass


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class Background(_Forked):
    """``work()`` started in a forked child now, while this process goes on (launch.py: the listing
    of a full check, made during the start-up); ``result`` its JSON-able answer, or None should the
    child fail in any way — then the caller does the work itself."""

    def __init__(self, work: Callable[[], Any]) -> None:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: do the work, send it, and leave without running any clean-up
            status = 1
            try:
                os.close(read)
                _write_all(write, json.dumps(work()).encode("ascii"))
                os.close(write)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        super().__init__(pid, read)

    def result(self, timeout: float = TIMEOUT) -> Any:
        """The child's answer, or None (it failed, or did not answer within ``timeout``: then it is killed)."""
        chunks: list[bytes] = []
        deadline = time.monotonic() + timeout
        answered = False
        with os.fdopen(self.read, "rb", buffering=0) as pipe:
            self.read = -1
            while (left := deadline - time.monotonic()) > 0 and select.select([pipe], [], [], left)[0]:
                chunk = pipe.read(1 << 20)
                if not chunk:
                    answered = True
                    break
                chunks.append(chunk)
        if not answered:
            os.kill(self.pid, signal.SIGKILL)
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if answered and status == 0:
            try:
                return json.loads(b"".join(chunks))
            except ValueError:
                pass
        return None
