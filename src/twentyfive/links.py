"""``twentyfive links check``: dereference every link out and compare what comes back.

Links out are found in the built graph by their target's IRI space (the same table the
VoID link sets use): ``owl:sameAs`` to Wikidata entities, ``schema:sameAs`` to Wikipedia
articles, ``rdfs:seeAlso`` to DBpedia resources. Wikidata links are read from the
entity-data service (``Special:EntityData/<QID>.json``) and their labels (en, ru) compared
with ours; the others are fetched and must answer 200. Every outcome is one of:

- ``ok``; ``renamed`` (the remote label differs from ours); ``redirected`` (followed: a
  merged QID, a moved article); ``dead`` (404 or 410); ``error`` (another HTTP status);
  ``timeout``; ``unreachable`` (DNS failure, connection refused: no answer at all).

When *every* link is unreachable the network is, too: the command says so and exits 3.
The check only reads; it never adds or changes an identifier (the curator adds ``owl:sameAs``
only for identifiers that ``sources/facts.md`` marks verified).
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pyoxigraph as ox

from twentyfive import __version__
from twentyfive.publish.statistics import LINK_TARGETS, LinkTarget

WIKIDATA_BASE = "https://www.wikidata.org"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
LANGUAGES = ("en", "ru")
USER_AGENT = f"twentyfive/{__version__} (links check; https://w3id.org/twentyfive/)"
EXIT_OK, EXIT_PROBLEMS, EXIT_UNREACHABLE = 0, 1, 3


@dataclass(frozen=True)
class Link:
    """One link out: our entity, the predicate, the remote IRI and which dataset it is in."""

    entity: str
    predicate: str
    target: str
    dataset: LinkTarget
    labels: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass
class Outcome:
    link: Link
    status: str  # ok renamed redirected dead error timeout unreachable
    detail: str = ""

    @property
    def problem(self) -> bool:
        return self.status != "ok"


def find_links(store: ox.Store) -> list[Link]:
    """Every link out in the store (union of its graphs), sorted, each once."""
    links = set()
    for dataset in LINK_TARGETS:
        query = (
            f"SELECT DISTINCT ?s ?o WHERE {{ ?s <{dataset.predicate}> ?o "
            f'FILTER(isIRI(?o) && STRSTARTS(STR(?o), "{dataset.uri_space}")) }}'
        )
        for row in store.query(query, use_default_graph_as_union=True):
            links.add((row["s"].value, dataset.predicate, row["o"].value, dataset))
    found = []
    for entity, predicate, target, dataset in sorted(links, key=lambda x: (x[0], x[1], x[2])):
        found.append(Link(entity, predicate, target, dataset, _labels(store, entity)))
    return found


def _labels(store: ox.Store, entity: str) -> dict[str, str]:
    labels = {}
    for quad in store.quads_for_pattern(ox.NamedNode(entity), ox.NamedNode(RDFS_LABEL), None):
        if isinstance(quad.object, ox.Literal) and quad.object.language in LANGUAGES:
            labels.setdefault(quad.object.language, quad.object.value)
    return labels


@dataclass(frozen=True)
class Fetched:
    status: int
    url: str  # after redirects
    body: bytes


class _Unreachable(Exception):
    pass


def fetch(url: str, timeout: float) -> Fetched:
    """GET ``url`` following redirects; HTTP errors come back as their status."""
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Fetched(response.status, response.geturl(), response.read())
    except urllib.error.HTTPError as error:
        return Fetched(error.code, error.geturl() or url, b"")
    except urllib.error.URLError as error:
        if isinstance(error.reason, (TimeoutError, socket.timeout)):
            raise TimeoutError(str(error.reason)) from None
        raise _Unreachable(str(error.reason)) from None
    except (ConnectionError, socket.gaierror) as error:
        raise _Unreachable(str(error)) from None


class Checker:
    """Checks links against the real services, or (for tests) a server standing in for them.

    ``wikidata_base`` replaces ``https://www.wikidata.org`` for the entity-data service;
    ``web_base``, when given, is where every other link is fetched, as ``<web_base>/<host><path>``.
    """

    def __init__(
        self, timeout: float = 10.0, wikidata_base: str = WIKIDATA_BASE, web_base: str | None = None
    ):
        self.timeout = timeout
        self.wikidata_base = wikidata_base.rstrip("/")
        self.web_base = web_base.rstrip("/") if web_base else None

    def check(self, link: Link) -> Outcome:
        try:
            if link.dataset.slug == "wikidata":
                return self._wikidata(link)
            return self._web(link)
        except TimeoutError:
            return Outcome(link, "timeout", f"no answer within {self.timeout:g} s")
        except _Unreachable as error:
            return Outcome(link, "unreachable", str(error))

    def _wikidata(self, link: Link) -> Outcome:
        qid = link.target.rsplit("/", 1)[1]
        url = f"{self.wikidata_base}/wiki/Special:EntityData/{qid}.json"
        fetched = fetch(url, self.timeout)
        if fetched.status != 200:
            return _failed(link, fetched, url)
        try:
            entities = json.loads(fetched.body)["entities"]
        except (ValueError, KeyError):
            return Outcome(link, "error", f"not entity data: {url}")
        [(remote_id, entity)] = list(entities.items())[:1] or [(None, {})]
        if remote_id != qid or fetched.url != url:
            target = remote_id or fetched.url
            return Outcome(
                link, "redirected", f"{qid} now redirects to {target} (merged?): replace the link"
            )
        remote = {
            lang: value["value"]
            for lang, value in entity.get("labels", {}).items()
            if lang in LANGUAGES
        }
        differences = [
            f"{lang}: ours {link.labels[lang]!r}, Wikidata {remote[lang]!r}"
            for lang in LANGUAGES
            if lang in remote
            and lang in link.labels
            and _same(remote[lang]) != _same(link.labels[lang])
        ]
        if differences:
            return Outcome(link, "renamed", "; ".join(differences))
        return Outcome(link, "ok")

    def _web(self, link: Link) -> Outcome:
        url = link.target
        if self.web_base:
            parsed = urllib.parse.urlsplit(link.target)
            url = f"{self.web_base}/{parsed.netloc}{parsed.path}"
        fetched = fetch(url, self.timeout)
        if fetched.status != 200:
            return _failed(link, fetched, url)
        if fetched.url != url:
            return Outcome(link, "redirected", f"now at {fetched.url}")
        return Outcome(link, "ok")


def _failed(link: Link, fetched: Fetched, url: str) -> Outcome:
    """A dead link (404, 410) or another HTTP error."""
    if fetched.status in (404, 410):
        return Outcome(link, "dead", f"{fetched.status} from {url}")
    return Outcome(link, "error", f"HTTP {fetched.status} from {url}")


def _same(label: str) -> str:
    return " ".join(label.split()).casefold()


def check_links(
    links: Iterable[Link],
    checker: Checker,
    workers: int = 4,
    progress: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Check every link (a few at a time), in the order given."""
    links = list(links)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = []
        for outcome in pool.map(checker.check, links):
            if progress:
                progress(outcome)
            outcomes.append(outcome)
    return outcomes


def network_unreachable(outcomes: list[Outcome]) -> bool:
    return bool(outcomes) and all(o.status == "unreachable" for o in outcomes)


def report(outcomes: list[Outcome]) -> str:
    """One line per problem, then a count per status."""
    lines = [
        f"{o.status:<11} <{o.link.entity}> {_short(o.link.predicate)} <{o.link.target}>"
        + (f": {o.detail}" if o.detail else "")
        for o in outcomes
        if o.problem
    ]
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no links out"
    return "\n".join([*lines, f"{len(outcomes)} link(s) checked: {summary}"]) + "\n"


def _short(predicate: str) -> str:
    return {
        "http://www.w3.org/2002/07/owl#sameAs": "owl:sameAs",
        "http://schema.org/sameAs": "schema:sameAs",
        "http://www.w3.org/2000/01/rdf-schema#seeAlso": "rdfs:seeAlso",
    }.get(predicate, predicate)
