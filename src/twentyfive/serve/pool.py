"""A pool of query worker processes with a hard time limit per query.

A query waits for an idle worker, runs there, and comes back as bytes. When the time limit
passes (waiting included), the worker running it is killed and replaced, and the caller gets
:class:`QueryTimeout`: never a partial result. The event loop itself never runs a query.
"""

from __future__ import annotations

import asyncio
import json
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

from twentyfive.serve.worker import CONTENT_TYPES, REPLY


class QueryTimeout(Exception):
    """The query did not finish within the limit; its worker was stopped."""


class WorkerFailed(Exception):
    """A worker died while running a query."""


@dataclass
class Reply:
    status: int
    content_type: str
    body: bytes


class _Worker:
    def __init__(self, process: asyncio.subprocess.Process):
        self.process = process

    async def send(self, request: dict) -> None:
        data = json.dumps(request).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(struct.pack(">I", len(data)) + data)
        await self.process.stdin.drain()

    async def receive(self) -> Reply:
        assert self.process.stdout is not None
        head = await self.process.stdout.readexactly(REPLY.size)
        length, status, content_type = REPLY.unpack(head)
        body = await self.process.stdout.readexactly(length) if length else b""
        return Reply(status, CONTENT_TYPES[content_type], body)

    def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()


class QueryPool:
    """``size`` worker processes over the build in ``dist``."""

    def __init__(self, dist: Path, size: int = 2, timeout: float = 10.0):
        self.dist = dist
        self.size = size
        self.timeout = timeout
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._spawning: set[asyncio.Task] = set()

    async def start(self) -> None:
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.size)))
        for worker in workers:
            self._idle.put_nowait(worker)

    async def stop(self) -> None:
        for task in self._spawning:
            task.cancel()
        for worker in list(self._all):
            worker.kill()
            await worker.process.wait()
        self._all.clear()

    async def _spawn(self) -> _Worker:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            "import sys; from twentyfive.serve.worker import main; main(sys.argv[1])",
            str(self.dist),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=1 << 20,
        )
        worker = _Worker(process)
        self._all.add(worker)
        try:
            ready = await worker.receive()
        except asyncio.IncompleteReadError as error:
            self._all.discard(worker)
            raise WorkerFailed("a query worker could not load the build") from error
        if ready.status != 0:
            raise WorkerFailed(f"a query worker did not start: {ready.body!r}")
        return worker

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._all.discard(worker)

        async def respawn() -> None:
            await worker.process.wait()
            self._idle.put_nowait(await self._spawn())

        task = asyncio.get_running_loop().create_task(respawn())
        self._spawning.add(task)
        task.add_done_callback(self._spawning.discard)

    async def run(self, request: dict) -> Reply:
        """Run one query request (see :mod:`twentyfive.serve.worker`) within the time limit."""
        try:
            return await asyncio.wait_for(self._run(request), self.timeout)
        except TimeoutError:
            raise QueryTimeout(
                f"the query did not finish within {self.timeout:g} s and was stopped; "
                "narrow it (LIMIT, more specific patterns) or ask the administrator for a "
                "longer --query-timeout"
            ) from None

    async def _run(self, request: dict) -> Reply:
        worker = await self._idle.get()
        try:
            await worker.send(request)
            reply = await worker.receive()
        except asyncio.CancelledError:
            self._replace(worker)  # it may still be evaluating: stop it, start a fresh one
            raise
        except (asyncio.IncompleteReadError, ConnectionError) as error:
            self._replace(worker)
            raise WorkerFailed("the query worker stopped while running the query") from error
        self._idle.put_nowait(worker)
        return reply
