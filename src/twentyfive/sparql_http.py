"""Talking to a remote triple store over HTTP: SPARQL 1.1 Protocol, Update and Graph Store Protocol.

One client for everything that leaves the machine (``RemoteStore`` queries, ``twentyfive load``
uploads and updates): where each store keeps its endpoints, credentials (never sent over plain
``http://`` to another host unless forced), timeouts, retries of network errors with
exponential backoff, and HTTP errors turned into messages that say what to do.

>>> Endpoints.of("http://127.0.0.1:7878").gsp
'http://127.0.0.1:7878/store'
>>> Endpoints.of("http://127.0.0.1:3030/ds", layout="fuseki").update
'http://127.0.0.1:3030/ds/update'
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

#: Where each store keeps its endpoints, relative to the URL given as ``--store``:
#: (Graph Store Protocol, SPARQL Update, SPARQL query).
LAYOUTS: dict[str, tuple[str, str, str]] = {
    "oxigraph": ("store", "update", "query"),  # --store http://host:7878
    "fuseki": ("data", "update", "query"),  # --store http://host:3030/DATASET
    "graphdb": ("rdf-graphs/service", "statements", ""),  # --store http://host:7200/repositories/ID
}

#: Errors on the way to the store that are worth another try (nothing reached it, or for
#: requests that are safe to repeat, the answer was lost).
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_LOST = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)
_RETRY_STATUSES = {502, 503, 504}


class StoreError(Exception):
    """The store could not be reached or refused a request; the message says what to do."""

    def __init__(self, message: str, status: int | None = None, sent: bool = True):
        super().__init__(message)
        self.status = status
        self.sent = sent  # False when the request certainly never reached the store


@dataclass(frozen=True)
class Endpoints:
    """The three URLs of a store."""

    gsp: str
    update: str
    query: str

    @classmethod
    def of(
        cls,
        store: str,
        *,
        layout: str = "oxigraph",
        gsp: str | None = None,
        update: str | None = None,
        query: str | None = None,
    ) -> Endpoints:
        """The endpoints under ``store`` in ``layout``; each can be given as a URL or a path
        relative to ``store``."""
        if layout not in LAYOUTS:
            raise ValueError(f"unknown store layout {layout!r}; known: {', '.join(LAYOUTS)}")
        base = store.rstrip("/") + "/"
        defaults = LAYOUTS[layout]
        chosen = [
            given if given is not None else default
            for given, default in zip((gsp, update, query), defaults, strict=True)
        ]
        gsp_url, update_url, query_url = (urljoin(base, path).rstrip("/") for path in chosen)
        return cls(gsp_url, update_url, query_url)


def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_transport(
    urls: Iterable[str], has_credentials: bool, force_insecure: bool = False
) -> None:
    """Refuse to send credentials in clear text over the network (``ValueError``).

    >>> check_transport(["http://127.0.0.1:7878/store"], has_credentials=True)
    >>> check_transport(["http://example.org/store"], True)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: refusing to send credentials over plain http:// to example.org: use https://, ...
    """
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{url!r} is not an http:// or https:// URL of a store")
        if (
            has_credentials
            and parts.scheme == "http"
            and not is_loopback(url)
            and not force_insecure
        ):
            raise ValueError(
                f"refusing to send credentials over plain http:// to {parts.hostname}: use "
                "https://, or pass --force-insecure if the network between you and the store "
                "is trusted"
            )


def what_to_do(status: int, url: str) -> str:
    """The advice for an HTTP error status."""
    if status == 401:
        return (
            "the store wants valid credentials: pass --user and --password, or --token, "
            "and check them"
        )
    if status == 403:
        return (
            "the credentials are not allowed to do this: give the account write access to the "
            "dataset, and check that the endpoint is not read-only"
        )
    if status == 404:
        return (
            f"nothing at {url}: check --store and the endpoint layout (--layout oxigraph: "
            "/store /update /query; --layout fuseki: /DATASET/data /DATASET/update "
            "/DATASET/query), or give --gsp, --update and --query"
        )
    if status == 405:
        return f"{url} does not accept this method: the endpoint may be read-only or the wrong one"
    if status == 413:
        return (
            "the upload is larger than the store or a proxy in front of it accepts: raise the "
            "limit (nginx: client_max_body_size; Fuseki/Jetty: the request size limit), or "
            "load the dump with the store's own bulk loader (docs/loading.md)"
        )
    if status >= 500:
        return (
            "the store failed: look at its log; if it ran out of memory or disk, fix that "
            "and run again"
        )
    return "the store did not accept the request"


class SparqlClient:
    """An HTTP client for one store; use as a context manager."""

    def __init__(
        self,
        endpoints: Endpoints,
        *,
        user: str | None = None,
        password: str | None = None,
        token: str | None = None,
        force_insecure: bool = False,
        timeout: float = 300.0,
        retries: int = 3,
        backoff: float = 0.5,
        notice: Callable[[str], None] = lambda _: None,
    ):
        if token and user:
            raise ValueError("give either --user/--password or --token, not both")
        if password and not user:
            raise ValueError("--password needs --user (or use --token for a bearer token)")
        check_transport(
            (endpoints.gsp, endpoints.update, endpoints.query), bool(user or token), force_insecure
        )
        headers = {"User-Agent": "twentyfive"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        auth = httpx.BasicAuth(user, password or "") if user else None
        self.endpoints = endpoints
        self.retries = retries
        self.backoff = backoff
        self.notice = notice
        self._http = httpx.Client(
            auth=auth,
            headers=headers,
            # an unreachable store shows at once; a big switch may take minutes to answer
            timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
            follow_redirects=False,
        )

    def __enter__(self) -> SparqlClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # --- the three protocols --------------------------------------------------------------

    def query(
        self,
        sparql: str,
        accept: str,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
    ) -> httpx.Response:
        """A SPARQL query by POST (form-encoded, so long queries fit); safe to repeat."""
        form = [("query", sparql)]
        form += [("default-graph-uri", g) for g in default_graph_uris or ()]
        form += [("named-graph-uri", g) for g in named_graph_uris or ()]
        return self.request(
            "POST",
            self.endpoints.query,
            data=form_fields(form),
            headers={"Accept": accept},
            repeatable=True,
        )

    def update(self, sparql: str, *, repeatable: bool) -> None:
        """A SPARQL Update request; ``repeatable`` when running it twice does no harm."""
        self.request(
            "POST",
            self.endpoints.update,
            content=sparql.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update"},
            repeatable=repeatable,
        )

    def put_graph(self, graph: str, body: Callable[[], Iterable[bytes]], media_type: str) -> None:
        """Replace ``graph`` with the RDF that ``body()`` streams (called again on a retry)."""
        self.request(
            "PUT",
            self.endpoints.gsp,
            params={"graph": graph},
            content=body,
            headers={"Content-Type": media_type},
            repeatable=True,
        )

    # --- retries and errors ---------------------------------------------------------------

    def request(
        self, method: str, url: str, *, repeatable: bool, content: object = None, **kwargs: object
    ) -> httpx.Response:
        """Send, retrying network errors with exponential backoff; raise :class:`StoreError`."""
        delay = self.backoff
        reached = False  # whether any attempt may have reached the store
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            body = content() if callable(content) else content
            try:
                response = self._http.request(method, url, content=body, **kwargs)
            except _NOT_SENT as error:
                if last:
                    raise StoreError(
                        f"cannot reach the store at {url}: {_reason(error)} "
                        f"(tried {attempt + 1} times)",
                        sent=reached,
                    ) from None
            except _LOST as error:
                reached = True
                if last or not repeatable:
                    raise StoreError(
                        f"the connection to {url} broke before the store answered: "
                        f"{_reason(error)} (tried {attempt + 1} times)"
                    ) from None
            except httpx.HTTPError as error:
                raise StoreError(f"{method} {url} failed: {_reason(error)}") from None
            else:
                if response.status_code in _RETRY_STATUSES and repeatable and not last:
                    self.notice(f"the store answered {response.status_code}; trying again")
                elif response.is_redirect:
                    raise StoreError(
                        f"{url} redirects to {response.headers.get('location')}: give that "
                        "URL instead",
                        status=response.status_code,
                    )
                elif response.is_error:
                    detail = response.text.strip().replace("\n", " ")[:300]
                    raise StoreError(
                        f"{method} {url} answered {response.status_code}"
                        f"{': ' + detail if detail else ''}\n"
                        f"{what_to_do(response.status_code, url)}",
                        status=response.status_code,
                    )
                else:
                    return response
            self.notice(f"retrying in {delay:g} s …")
            time.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")


def form_fields(pairs: list[tuple[str, str]]) -> object:
    """httpx takes repeated form fields as a dict of lists."""
    form: dict[str, list[str]] = {}
    for key, value in pairs:
        form.setdefault(key, []).append(value)
    return form


def _reason(error: Exception) -> str:
    text = str(error) or type(error).__name__
    if "refused" in text.lower():
        return "connection refused (is the store running, and is the URL right?)"
    return text
