"""Real stores for tests: the ``oxigraph`` server from PyPI, and an HTTP proxy that checks
credentials in front of it, both on free loopback ports."""

from __future__ import annotations

import base64
import http.client
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def oxigraph_binary() -> str:
    beside_python = Path(sys.executable).parent / "oxigraph"
    found = str(beside_python) if beside_python.exists() else shutil.which("oxigraph")
    if not found:
        raise RuntimeError("the oxigraph server is not installed: pip install -e '.[test]'")
    return found


class OxigraphServer:
    """``oxigraph serve`` over its own folder on 127.0.0.1; restartable on the same port."""

    def __init__(self, location: Path, port: int | None = None):
        self.location = location
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> OxigraphServer:
        self.log = (self.location.parent / f"{self.location.name}.log").open("ab")
        self.process = subprocess.Popen(
            [
                oxigraph_binary(),
                "serve",
                "--location",
                str(self.location),
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"oxigraph exited with {self.process.returncode}; see {self.log.name}"
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("oxigraph did not start listening within 20 s")

    def kill(self) -> None:
        """Die at once, as a crashed or unplugged server would."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.process:
            self.log.close()
        self.process = None


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: AuthProxy

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def _handle(self) -> None:
        body = self._read_body()
        proxy = self.server
        if proxy.fixed_status is not None:
            return self._answer(proxy.fixed_status, b"answer fixed by the test proxy\n")
        if self.headers.get("Authorization") != proxy.expected:
            return self._answer(
                401, b"wrong credentials\n", {"WWW-Authenticate": 'Basic realm="store"'}
            )
        upstream = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=30)
        headers = {
            k: v
            for k, v in self.headers.items()
            if k.lower() not in ("authorization", "transfer-encoding", "host", "content-length")
        }
        upstream.request(self.command, self.path, body=body, headers=headers)
        answer = upstream.getresponse()
        data = answer.read()
        if proxy.hang_up_after is not None and proxy.hang_up_after in body:
            self.close_connection = True  # the store did it, but the answer is lost
            return upstream.close()
        self._answer(
            answer.status, data, {"Content-Type": answer.getheader("Content-Type", "text/plain")}
        )
        upstream.close()

    do_GET = do_POST = do_PUT = do_DELETE = _handle

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class AuthProxy(ThreadingHTTPServer):
    """Forwards to ``upstream`` only with the right basic credentials (or answers
    ``fixed_status`` to everything), as a store behind an authenticating proxy would; with
    ``hang_up_after``, a request whose body holds those bytes reaches the store but its answer
    never comes back."""

    daemon_threads = True

    def __init__(
        self,
        upstream: str,
        user: str,
        password: str,
        fixed_status: int | None = None,
        hang_up_after: bytes | None = None,
    ):
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.upstream_port = urlsplit(upstream).port
        self.expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.fixed_status = fixed_status
        self.hang_up_after = hang_up_after  # forward a request with this in its body, then hang up
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> AuthProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
