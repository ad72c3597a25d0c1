"""Start ``twentyfive serve`` in a subprocess on a free loopback port, for the tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(
    project: Path, dist: Path, *, query_timeout: float = 2.0, processes: int = 2
) -> Iterator[str]:
    """``twentyfive serve`` over ``dist``; yields its base URL and stops it afterwards."""
    port = free_port()
    command = [
        sys.executable, "-m", "twentyfive.cli", "--project", str(project), "serve",
        "--dist", str(dist), "--host", "127.0.0.1", "--port", str(port),
        "--query-timeout", str(query_timeout), "--processes", str(processes),
        "--query-workers", "1",
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"the server stopped at start-up:\n{output}")
            try:
                if httpx.get(base + "/robots.txt", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the server did not answer within 60 s")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
