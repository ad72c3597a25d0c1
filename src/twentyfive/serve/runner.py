"""Running the app: one uvicorn process, or several sharing the port with ``SO_REUSEPORT``.

Each process binds its own socket to the same address (``SO_REUSEPORT``), so the kernel
spreads connections across them; this stayed balanced where ``uvicorn --workers`` did not
(see PERFORMANCE-NOTES). Every process has its own app (no shared state) and its own query
workers; only the query workers hold the graph.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import sys
from pathlib import Path


def _bind(host: str, port: int, reuse_port: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve_one(
    dist: Path, host: str, port: int, query_timeout: float, query_workers: int, reuse_port: bool
) -> None:
    """One server process (the target of each child, or the whole server when alone)."""
    import uvicorn

    from twentyfive.serve.app import create_app

    sock = _bind(host, port, reuse_port)
    app = create_app(dist, query_timeout=query_timeout, query_workers=query_workers)
    config = uvicorn.Config(app, access_log=False, log_level="warning", server_header=False)
    uvicorn.Server(config).run(sockets=[sock])


def run(
    dist: Path,
    host: str,
    port: int,
    *,
    query_timeout: float,
    query_workers: int,
    processes: int = 1,
) -> None:
    """Serve until interrupted, in ``processes`` processes."""
    _bind(host, port, processes > 1).close()  # fail here, clearly, if the port is taken
    if processes <= 1 or not hasattr(socket, "SO_REUSEPORT"):
        serve_one(dist, host, port, query_timeout, query_workers, False)
        return
    context = multiprocessing.get_context("spawn")
    children = [
        context.Process(
            target=serve_one,
            args=(dist, host, port, query_timeout, query_workers, True),
            daemon=False,
        )
        for _ in range(processes)
    ]
    for child in children:
        child.start()

    def stop(signum: int, frame: object) -> None:
        for child in children:
            if child.is_alive():
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        for child in children:
            child.join()
    except KeyboardInterrupt:
        stop(signal.SIGINT, None)
        for child in children:
            child.join()
    if any(child.exitcode not in (0, -signal.SIGTERM) for child in children):
        sys.exit(1)
