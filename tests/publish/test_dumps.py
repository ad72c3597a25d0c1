"""The dumps: every format parses back to the same graph, strict parsers accept them, and
the same input gives the same bytes."""

from __future__ import annotations

import json
import subprocess

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from tests.tools import riot
from twentyfive import formats
from twentyfive.pipeline import build
from twentyfive.publish.dumps import dump_name
from twentyfive.publish import PROVENANCE_FILE


def _union(outcome) -> rdflib.Graph:
    return outcome.kg.to_rdflib()


@pytest.mark.parametrize("fmt", formats.TRIPLE_FORMATS, ids=lambda f: f.name)
def test_triple_dumps_parse_back_to_the_graph(built, dist, fmt):
    parsed = rdflib.Graph().parse(dist / dump_name(fmt), format={"jsonld": "json-ld", "rdfxml": "xml", "ntriples": "nt"}.get(fmt.name, fmt.name))
    assert isomorphic(parsed, _union(built))


@pytest.mark.parametrize("fmt", formats.QUAD_FORMATS, ids=lambda f: f.name)
def test_quad_dumps_keep_every_named_graph(built, dist, fmt):
    parsed = set(ox.parse(path=str(dist / dump_name(fmt)), format=fmt.oxigraph))
    assert parsed == set(built.kg.store)
    assert {q.graph_name for q in parsed} == set(built.kg.store.named_graphs())


def test_jsonld_expands_to_the_same_triples_with_pyld(built, dist):
    pyld = pytest.importorskip("pyld.jsonld")
    document = json.loads((dist / "twentyfive.jsonld").read_text())
    nquads = pyld.to_rdf(document, {"format": "application/n-quads"})
    parsed = rdflib.Graph().parse(data=nquads, format="nt")
    assert isomorphic(parsed, _union(built))


def test_jsonld_context_names_only_prefixes_in_use(dist):
    context = json.loads((dist / "context.jsonld").read_text())["@context"]
    text = (dist / "twentyfive.nt").read_text()
    for namespace in context.values():
        assert f"<{namespace}" in text or f"^^<{namespace}" in text


def test_gzip_copies_hold_the_same_bytes(dist):
    import gzip

    for fmt in formats.FORMATS:
        plain = (dist / dump_name(fmt)).read_bytes()
        assert gzip.decompress((dist / (dump_name(fmt) + ".gz")).read_bytes()) == plain


def test_checksums_match_the_files(dist):
    import hashlib

    lines = (dist / "SHA256SUMS").read_text().splitlines()
    assert len(lines) >= 2 * len(formats.FORMATS)
    for line in lines:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest, name


def test_the_same_input_gives_byte_identical_output(mini, tmp_path):
    first = build(mini).published
    # provenance.ttl records the time of the build (unless SOURCE_DATE_EPOCH): not compared
    snapshot = {p.name: p.read_bytes() for p in first.iterdir() if p.is_file() and p.name != PROVENANCE_FILE}
    second = build(mini).published
    assert {p.name: p.read_bytes() for p in second.iterdir() if p.is_file() and p.name != PROVENANCE_FILE} == snapshot


def test_turtle_is_grouped_by_subject_and_sorted(dist):
    text = (dist / "twentyfive.ttl").read_text()
    subjects = [line.split(" ", 1)[0] for line in text.splitlines() if line and not line[0].isspace() and not line.startswith("@prefix")]
    assert len(subjects) == len(set(subjects)), "each subject appears once, with all its statements"
    assert text.startswith("@prefix ")


@pytest.mark.external
def test_jena_riot_accepts_every_dump(dist):
    command = riot()
    files = [str(dist / dump_name(f)) for f in formats.FORMATS if f is not formats.JSON_LD]
    result = subprocess.run([*command, "--validate", *files], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.external
def test_jena_reads_the_jsonld_dump(dist):
    command = riot()
    result = subprocess.run(
        [*command, "--syntax=jsonld10", "--count", str(dist / "twentyfive.jsonld")],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
