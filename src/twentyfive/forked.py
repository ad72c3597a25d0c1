"""Run a function in a forked child process while this one goes on: the build's second core.

The machine a build runs on has a few cores, and the graph sits in memory once: a forked
child sees the same graph (its pages are shared until written) without loading or copying
anything, runs one job (validation; a second lane of writers) and hands back its result by a
pipe. Where ``os.fork`` does not exist, ``TWENTYFIVE_PARALLEL=off`` says so, or the graph is
too big for the forked processes in the memory available (:func:`parallel_enabled`), the job simply
runs in this process when its result is asked for: the same result, one core.

An exception in the child comes back as the same exception when it can be pickled (an
``InputError`` with its findings does), else as a ``RuntimeError`` carrying the child's
traceback. A child that dies without an answer is reported with its exit status.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

#: ``off`` runs every job in this process (for debugging, profiling, or one-core machines).
PARALLEL_VARIABLE = "TWENTYFIVE_PARALLEL"


#: Memory a build needs per quad beyond the graph this process has read when it forks: what
#: its forked processes copy (pyoxigraph's store writes as it is read, so each copies much of
#: what it reads) and what this process still grows by (the sorted lines of the dumps).
#: Measured: all processes' memory less this one's peak is 536 B/quad at 3.8 million quads and
#: 556 B at 1.04 million; this one grows by about 250 B/quad of sorted lines; 1.5× that, for safety.
FORK_BYTES_PER_QUAD = 1200


def parallel_enabled(quads: int = 0) -> bool:
    """Fork, unless the platform cannot, ``TWENTYFIVE_PARALLEL=off`` says not to, or the
    forked processes of a graph of ``quads`` quads would not fit in the memory available now
    (one process then does the work in turn, with less memory and more time)."""
    if not hasattr(os, "fork") or os.environ.get(PARALLEL_VARIABLE, "on").lower() == "off":
        return False
    available = available_memory()
    return available is None or quads * FORK_BYTES_PER_QUAD < available


def available_memory() -> int | None:
    """Bytes of memory available to new work (Linux ``MemAvailable``), or ``None`` if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def release_free_memory() -> None:
    """Give the memory freed so far back to the system (glibc's ``malloc_trim``; nothing
    elsewhere): reading leaves much of it free but held (~60 MB at 27,519 people)."""
    try:
        ctypes.CDLL(None).malloc_trim(0)  # this process's own symbols: libc's among them
    except (OSError, AttributeError):
        pass


class Forked(Generic[T]):
    """``job()`` running in a child process from the moment this is made; :meth:`result`
    waits for it. Use as a context manager so the child never outlives an error here."""

    def __init__(self, job: Callable[[], T], name: str, quads: int = 0):
        self.name = name
        self._job: Callable[[], T] | None = None
        self._pid = 0
        self._read = -1
        if not parallel_enabled(quads):
            self._job = job  # run by result(), here
            return
        release_free_memory()  # what the child would otherwise keep a copy of for nothing
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child (coverage does not follow a fork)
            os.close(read)
            _run_child(job, write)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> T:
        """The job's return value (or its exception, raised here)."""
        if self._job is not None:
            job, self._job = self._job, None
            return job()
        with os.fdopen(self._read, "rb") as stream:
            data = stream.read()
        self._read = -1
        _, status = os.waitpid(self._pid, 0)
        self._pid = 0
        if not data:
            code = os.waitstatus_to_exitcode(status)
            killed = " — killed, most likely by the system for want of memory" if code == -9 else ""
            raise RuntimeError(
                f"the {self.name} process ended without an answer (exit status {code}{killed}); "
                f"run again with {PARALLEL_VARIABLE}=off: one process, one copy of the graph's "
                "working memory, and any error shown where it happens"
            )
        outcome, value = pickle.loads(data)
        if outcome == "error":
            raise value
        return value

    def cancel(self) -> None:
        """Stop the child (when this process gives up before asking for the result)."""
        if self._pid:
            try:
                os.kill(self._pid, 9)
            except ProcessLookupError:
                pass
            os.waitpid(self._pid, 0)
            self._pid = 0
        if self._read >= 0:
            os.close(self._read)
            self._read = -1

    def __enter__(self) -> Forked[T]:
        return self

    def __exit__(self, kind, error, trace) -> None:
        self.cancel()


def _run_child(job: Callable[[], object], write: int) -> None:  # pragma: no cover - child
    code = 0
    try:
        try:
            data = pickle.dumps(("ok", job()))
        except BaseException as failure:  # noqa: BLE001 - everything goes back to the parent
            code = 1
            try:
                data = pickle.dumps(("error", failure))
                pickle.loads(data)  # an exception that pickles but cannot be rebuilt
            except Exception:  # noqa: BLE001
                data = pickle.dumps(("error", RuntimeError(traceback.format_exc())))
        with os.fdopen(write, "wb") as stream:
            stream.write(data)
    finally:
        os._exit(code)
