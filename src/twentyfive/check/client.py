"""A small HTTP client for the checks: one request, no redirects followed, no cookies.

Only the standard library, so ``twentyfive check`` measures the deployment and nothing in
between; every answer keeps its status, headers and body exactly as they came.
"""

from __future__ import annotations

import http.client
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

USER_AGENT = "twentyfive-check"
MAX_BODY = 64 * 1024 * 1024


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]  # lower-case names; repeated headers joined with ", "
    body: bytes
    url: str
    elapsed: float = 0.0
    error: str | None = None  # set when no HTTP answer came (status 0)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def media_type(self) -> str:
        return (self.header("content-type") or "").split(";", 1)[0].strip().lower()

    def location(self) -> str | None:
        value = self.header("location")
        return urljoin(self.url, value) if value else None

    def summary(self) -> str:
        """``303 → /doc/x.ttl`` or ``200 text/turtle`` or the transport error."""
        if self.error:
            return self.error
        if 300 <= self.status < 400 and self.header("location"):
            return f"{self.status} Location: {self.header('location')}"
        return f"{self.status} {self.header('content-type') or '(no Content-Type)'}"


@dataclass
class Client:
    timeout: float = 30.0
    requests: int = field(default=0)

    def fetch(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        timeout: float | None = None,
    ) -> Reply:
        self.requests += 1
        parts = urlsplit(url)
        connection_class = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_class(parts.netloc, timeout=timeout or self.timeout)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        started = time.monotonic()
        try:
            connection.request(
                method, target, body=body, headers={"User-Agent": USER_AGENT, **(headers or {})}
            )
            response = connection.getresponse()
            data = response.read(MAX_BODY)
        except TimeoutError:
            return Reply(
                0,
                {},
                b"",
                url,
                time.monotonic() - started,
                f"no answer within {timeout or self.timeout:g} s",
            )
        except (OSError, http.client.HTTPException) as failure:
            return Reply(
                0, {}, b"", url, time.monotonic() - started, f"connection failed: {failure}"
            )
        finally:
            connection.close()
        merged: dict[str, str] = {}
        for name, value in response.getheaders():
            key = name.lower()
            merged[key] = f"{merged[key]}, {value}" if key in merged else value
        return Reply(response.status, merged, data, url, time.monotonic() - started)
