"""``twentyfive check``: all pass on ``twentyfive serve``; each injected fault of a broken
server is reported on its own line, and nothing else fails."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from tests.broken_server import FAULTS, broken_server
from tests.conftest import ROOT
from tests.serve.conftest import free_port, running_server

from twentyfive.check import FAIL, PASS, SKIP, Checker, Options
from twentyfive.check.report import line
from twentyfive.cli import main

#: Each fault, and the one check that must catch it.
CAUGHT_BY = {
    "no-vary": "vary",
    "200-not-303": "303",
    "wrong-content-type": "format Turtle",
    "unknown-200": "404",
    "no-406": "406",
    "no-etag": "etag",
    "no-304": "etag",
    "head-body": "head",
    "no-cors": "cors",
    "no-link": "link",
    "no-void": "void",
    "sparql-accepts-update": "sparql read-only",
    "service-allowed": "sparql SERVICE refused",
    "sparql-no-xml": "sparql results xml",
}
EVERY_CHECK = {
    "void", "sample", "303", "vary", "format Turtle", "format JSON-LD", "format N-Triples",
    "format RDF/XML", "format HTML", "etag", "head", "cors", "link", "404", "406",
    "sparql GET", "sparql POST form", "sparql POST direct", "sparql results json",
    "sparql results xml", "sparql results csv", "sparql results tsv", "sparql CONSTRUCT",
    "sparql read-only", "sparql SERVICE refused",
}  # fmt: skip


def run(base: str, **options: object) -> list:
    return Checker(Options(base, timeout=10, **options)).run()


def test_every_fault_has_a_test() -> None:
    assert set(CAUGHT_BY) == set(FAULTS) - {"no-sparql"}


def test_a_correct_server_passes_everything() -> None:
    with broken_server() as base:
        results = run(base)
    assert [line(r) for r in results if r.status != PASS] == []
    assert {r.check for r in results} == EVERY_CHECK
    # both namespaces of the fixture were found and checked
    checked = {r.subject for r in results if r.check == "303"}
    assert checked <= {"/id/thing/alpha", "/id/thing/gamma", "/id/other/beta"}
    assert len({r.subject.rsplit("/", 1)[0] for r in results if r.check == "303"}) == 2


@pytest.mark.parametrize("fault", sorted(CAUGHT_BY))
def test_each_fault_fails_exactly_its_check(fault: str) -> None:
    with broken_server(fault) as base:
        results = run(base)
    failed = [r for r in results if r.status == FAIL]
    assert {r.check for r in failed} == {CAUGHT_BY[fault]}, [line(r) for r in failed]
    for result in failed:
        text = line(result)
        assert text.startswith(f"FAIL {CAUGHT_BY[fault]} /")
        assert " — fix: " in text and result.fix


def test_static_site_without_endpoint() -> None:
    """No /sparql: the SPARQL checks are one SKIP line, and things come from the sitemap."""
    with broken_server("no-sparql") as base:
        results = run(base)
        switched_off = run(base, sparql=False)
    assert [r for r in results if r.status == FAIL] == []
    skipped = [r for r in results if r.status == SKIP]
    assert [(r.check, "no endpoint" in r.response) for r in skipped] == [("sparql", True)]
    assert len([r for r in results if r.check == "303"]) == 2  # one per namespace
    assert [r.response for r in switched_off if r.status == SKIP] == ["not checked"]


def test_sample_more_per_namespace() -> None:
    with broken_server("no-sparql") as base:
        results = run(base, sample=5)
    assert sorted(r.subject for r in results if r.check == "303") == [
        "/id/other/beta",
        "/id/thing/alpha",
        "/id/thing/gamma",
    ]


def test_command_exit_codes_and_junit(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    report = tmp_path / "junit.xml"
    with broken_server() as good:
        assert main(["check", good, "--timeout", "10"]) == 0
    with broken_server("no-vary", "no-cors") as bad:
        assert main(["check", bad, "--junit", str(report)]) == 1
    printed = capsys.readouterr().out.splitlines()
    failures = [text for text in printed if text.startswith("FAIL ")]
    assert {text.split(" /", 1)[0] for text in failures} == {"FAIL vary", "FAIL cors"}
    suite = ET.parse(report).getroot()
    assert int(suite.get("failures")) == len(failures)
    assert len(suite.findall("testcase")) == int(suite.get("tests"))
    assert len(suite.findall("testcase/failure")) == len(failures)
    assert main(["check", f"http://127.0.0.1:{free_port()}", "--timeout", "2"]) == 2
    assert main(["check", "ftp://example.org"]) == 2


@pytest.mark.slow
def test_twentyfive_serve_passes_everything(dist: Path) -> None:
    with running_server(ROOT, dist) as base:
        results = run(base, heavy_query=True, sample=2)
    assert [line(r) for r in results if r.status != PASS] == []
    assert {r.check for r in results} == EVERY_CHECK | {"sparql time limit"}
    namespaces = {r.subject.rsplit("/", 1)[0] for r in results if r.check == "303"}
    assert {"/id/person", "/id/place", "/id/work", "/id/concept"} <= namespaces
