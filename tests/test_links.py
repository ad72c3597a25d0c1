"""``links check`` against a loopback server standing in for Wikidata, Wikipedia and DBpedia."""

from __future__ import annotations

import http.server
import shutil
import socket
import threading
import time

import pyoxigraph as ox
import pytest
from tests.conftest import FIXTURES

from twentyfive import links
from twentyfive.cli import main
from twentyfive.pipeline import build
from twentyfive.project import Project

RECORDED = FIXTURES / "wikidata"
SLOW_SECONDS = 1.5


class StandIn(http.server.BaseHTTPRequestHandler):
    """Answers as Wikidata's entity-data service does (recorded responses), and as a web
    server for ``/<host>/<path>`` (Wikipedia, DBpedia) where ``missing`` paths are 404."""

    def do_GET(self):  # noqa: N802 (the http.server name)
        path = self.path
        if path.startswith("/wiki/Special:EntityData/"):
            qid = path.rsplit("/", 1)[1].removesuffix(".json")
            if qid == "Q2000001":  # merged into Q2000002: Wikidata redirects
                return self._answer(301, b"", location="/wiki/Special:EntityData/Q2000002.json")
            if qid == "Q3000003":
                time.sleep(SLOW_SECONDS)
            recorded = RECORDED / f"{qid}.json"
            if recorded.is_file():
                return self._answer(200, recorded.read_bytes(), "application/json")
            return self._answer(404, b'{"error": "not found"}', "application/json")
        if "missing" in path or path.endswith("/Kolkhoz"):
            return self._answer(404, b"not found", "text/plain")
        return self._answer(200, b"<html>ok</html>", "text/html")

    def _answer(self, status, body, content_type="text/plain", location=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if location:
            self.send_header("Location", location)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (the timeout case)
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def stand_in():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _store(*links_out: tuple[str, str, str, str]) -> ox.Store:
    """A store with entities (IRI, English label, predicate, target)."""
    store = ox.Store()
    graph = ox.NamedNode("https://w3id.org/twentyfive/id/passage/test")
    for entity, label, predicate, target in links_out:
        subject = ox.NamedNode(entity)
        store.add(
            ox.Quad(
                subject, ox.NamedNode(links.RDFS_LABEL), ox.Literal(label, language="en"), graph
            )
        )
        store.add(ox.Quad(subject, ox.NamedNode(predicate), ox.NamedNode(target), graph))
    return store


SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
WD = "http://www.wikidata.org/entity/"
PLACE = "https://w3id.org/twentyfive/id/place/"


def test_each_kind_of_answer_is_reported(stand_in):
    store = _store(
        (PLACE + "a-match", "Soviet Union", SAME_AS, WD + "Q15180"),
        (PLACE + "b-renamed", "kolkhoz", SAME_AS, WD + "Q485016"),
        (PLACE + "c-merged", "something", SAME_AS, WD + "Q2000001"),
        (PLACE + "d-dead", "nothing", SAME_AS, WD + "Q404"),
        (PLACE + "e-slow", "slow", SAME_AS, WD + "Q3000003"),
    )
    found = links.find_links(store)
    assert [link.target.rsplit("/", 1)[1] for link in found] == [
        "Q15180",
        "Q485016",
        "Q2000001",
        "Q404",
        "Q3000003",
    ]
    outcomes = links.check_links(found, links.Checker(timeout=0.5, wikidata_base=stand_in))
    statuses = {o.link.entity.rsplit("/", 1)[1]: o.status for o in outcomes}
    assert statuses == {
        "a-match": "ok",
        "b-renamed": "renamed",
        "c-merged": "redirected",
        "d-dead": "dead",
        "e-slow": "timeout",
    }
    details = {o.status: o.detail for o in outcomes}
    assert "'kolkhoz'" in details["renamed"] and "'collective farm'" in details["renamed"]
    assert "Q2000002" in details["redirected"]
    assert not links.network_unreachable(outcomes)


def test_the_command_reports_problems_and_exits_1(stand_in, tmp_path, capsys):
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "described", root)
    assert build(Project.at(root)).conforms
    code = main(
        [
            "--project",
            str(root),
            "links",
            "check",
            "--timeout",
            "2",
            "--endpoint-base",
            stand_in,
            "--web-base",
            stand_in,
        ]
    )
    out = capsys.readouterr().out
    assert code == links.EXIT_PROBLEMS
    lines = out.splitlines()
    assert any(
        line.startswith("renamed") and "concept/kolkhoz" in line and "Q485016" in line
        for line in lines
    )
    assert any(line.startswith("dead") and "wiki/Kolkhoz" in line for line in lines)
    assert lines[-1] == "4 link(s) checked: 1 dead, 2 ok, 1 renamed"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_no_network_is_said_plainly_with_its_own_exit_code(tmp_path, capsys):
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "described", root)
    assert build(Project.at(root)).conforms
    nowhere = f"http://127.0.0.1:{_closed_port()}"
    code = main(
        [
            "--project",
            str(root),
            "links",
            "check",
            "--endpoint-base",
            nowhere,
            "--web-base",
            nowhere,
        ]
    )
    assert code == links.EXIT_UNREACHABLE
    assert "network unreachable" in capsys.readouterr().err


def test_only_links_into_the_known_targets_are_checked():
    store = _store(
        (PLACE + "x", "x", SAME_AS, "https://example.org/not-a-link-target"),
        (
            PLACE + "y",
            "y",
            "http://www.w3.org/2000/01/rdf-schema#seeAlso",
            "http://dbpedia.org/resource/Soviet_Union",
        ),
    )
    assert [(link.entity, link.dataset.slug) for link in links.find_links(store)] == [
        (PLACE + "y", "dbpedia")
    ]
