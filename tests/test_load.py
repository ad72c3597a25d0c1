"""``twentyfive load`` against a real Oxigraph server: fresh loads, reloads, a server that
dies in the middle, wrong credentials, a store that is not there."""

from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest
from tests.stores import AuthProxy, free_port

from twentyfive.cli import EXIT_INPUT, EXIT_OK, EXIT_STORE, main
from twentyfive.load import (
    REGISTRY,
    STAGING,
    LoadError,
    fingerprint,
    live_graphs,
    load_build,
    plan,
    triple_number,
)
from twentyfive.namespaces import GRAPH_DESCRIPTION
from twentyfive.pipeline import build
from twentyfive.project import Project
from twentyfive.sparql_http import Endpoints, SparqlClient, check_transport
from twentyfive.store import RemoteStore

PASSAGE = "https://w3id.org/twentyfive/id/passage/"
EXTRA_PERSON = """@prefix person: <https://w3id.org/twentyfive/id/person/> .
@prefix passage: <https://w3id.org/twentyfive/id/passage/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <http://schema.org/> .
GRAPH passage:mini-source-extra {
  person:ivan-test a schema:Person ; rdfs:label "Ivan Test"@en , "Иван Тест"@ru .
}
"""
EXTRA_PASSAGE = """
GRAPH source:mini-source {
  passage:mini-source-extra a oa:SpecificResource ; oa:hasSource source:mini-source ;
      oa:hasSelector passage:mini-source-extra\\#quote .
  passage:mini-source-extra\\#quote a oa:TextQuoteSelector ; oa:exact "a test passage" .
}
"""


def _build(project: Project, dist) -> Project:
    built = Project.at(project.root, dist)
    outcome = build(built)
    assert outcome.conforms, [f.format() for f in outcome.violations]
    return built


def _with_extra_entity(mini: Project, tmp_path) -> Project:
    """The mini project with one more person in a passage graph of its own, built."""
    (mini.data_dir / "person" / "ivan-test.trig").write_text(EXTRA_PERSON, encoding="utf-8")
    with (mini.data_dir / "source" / "mini-source.trig").open("a", encoding="utf-8") as source:
        source.write(EXTRA_PASSAGE)
    return _build(mini, tmp_path / "dist-extra")


def _build_quads(project: Project) -> set[ox.Quad]:
    """The dump's quads, and the description (void.nt) in the graph the publish stage names,
    as Oxigraph holds them: it stores literals in canonical form (``"5"^^xsd:nonNegativeInteger``
    as ``"5"^^xsd:integer``, oxigraph/oxigraph#526), so they pass through pyoxigraph's store."""
    dist = project.dist_dir
    quads = list(ox.parse(path=str(dist / "twentyfive.nq"), format=ox.RdfFormat.N_QUADS))
    description = ox.NamedNode(GRAPH_DESCRIPTION)
    for triple in ox.parse(path=str(dist / "void.nt"), format=ox.RdfFormat.N_TRIPLES):
        quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, description))
    canonical = ox.Store()
    canonical.extend(quads)
    return set(canonical)


def _store_quads(server) -> set[ox.Quad]:
    """Everything in the store but twentyfive's registry graph."""
    answer = httpx.get(f"{server.url}/store", headers={"Accept": "application/n-quads"}, timeout=30)
    answer.raise_for_status()
    quads = ox.parse(answer.content, format=ox.RdfFormat.N_QUADS)
    return {q for q in quads if q.graph_name != ox.NamedNode(REGISTRY)}


def _graphs(quads: set[ox.Quad]) -> set[str]:
    return {q.graph_name.value for q in quads}


def _client(url: str, **options) -> SparqlClient:
    options.setdefault("retries", 0)
    return SparqlClient(Endpoints.of(url), **options)


def _cli_load(url: str, dist, *options: str) -> int:
    """``twentyfive load`` as a user runs it (no retries unless asked: the tests wait less)."""
    return main(["load", "--store", url, "--dist", str(dist), "--retries", "0", *options])


def _load(project: Project, url: str, **options) -> object:
    with _client(
        url, **{k: options.pop(k) for k in list(options) if k in ("user", "password", "retries")}
    ) as client:
        return load_build(project.dist_dir, client, **options)


def test_a_fresh_load_puts_every_graph_of_the_build_into_the_store(mini, tmp_path, oxigraph_server):
    project = _with_extra_entity(mini, tmp_path)
    report = _load(project, oxigraph_server.url)
    expected = _build_quads(project)
    assert _store_quads(oxigraph_server) == expected
    assert {g.live for g in report.loaded} == _graphs(expected)
    with _client(oxigraph_server.url) as client:
        assert live_graphs(RemoteStore(client)) == sorted(_graphs(expected))


def test_a_reload_leaves_exactly_the_new_build(mini, tmp_path, oxigraph_server):
    first = _with_extra_entity(mini, tmp_path)
    _load(first, oxigraph_server.url)
    assert f"{PASSAGE}mini-source-extra" in _graphs(_store_quads(oxigraph_server))
    # another dataset in the same store is not ours: a reload must leave it alone
    foreign = "http://example.org/their-graph"
    httpx.put(
        f"{oxigraph_server.url}/store",
        params={"graph": foreign},
        timeout=10,
        content=b"<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n",
        headers={"Content-Type": "application/n-triples"},
    ).raise_for_status()

    (mini.data_dir / "person" / "ivan-test.trig").unlink()
    source = mini.data_dir / "source" / "mini-source.trig"
    source.write_text(
        source.read_text(encoding="utf-8").replace(EXTRA_PASSAGE, ""), encoding="utf-8"
    )
    second = _build(mini, tmp_path / "dist-second")
    report = _load(second, oxigraph_server.url)

    in_store = _store_quads(oxigraph_server)
    ours = {q for q in in_store if q.graph_name != ox.NamedNode(foreign)}
    assert ours == _build_quads(second)
    assert not any("ivan-test" in str(q) for q in in_store)
    assert report.dropped == [f"{PASSAGE}mini-source-extra"]
    assert foreign in _graphs(in_store)

    again = _load(second, oxigraph_server.url)  # idempotent
    assert _store_quads(oxigraph_server) == in_store
    assert again.dropped == []


def test_a_server_that_dies_mid_load_leaves_the_live_graphs_unchanged(
    mini, tmp_path, oxigraph_server
):
    first = _build(mini, tmp_path / "dist-first")
    _load(first, oxigraph_server.url)
    before = _store_quads(oxigraph_server)
    second = _with_extra_entity(mini, tmp_path)

    def die_after_the_first_upload(phase: str, done: int) -> None:
        if phase == "staged" and done == 1:
            oxigraph_server.kill()

    with pytest.raises(LoadError) as failure:
        _load(second, oxigraph_server.url, hook=die_after_the_first_upload)
    message = str(failure.value)
    assert "cannot reach the store" in message and "live graphs are as before" in message
    assert failure.value.store

    oxigraph_server.start()  # same folder, same port
    restarted = _store_quads(oxigraph_server)
    assert {q for q in restarted if not q.graph_name.value.startswith(STAGING)} == before
    _load(second, oxigraph_server.url)
    after = _store_quads(oxigraph_server)
    assert after == _build_quads(second)
    assert not any(g.startswith(STAGING) for g in _graphs(after))


def test_wrong_credentials_are_reported_and_right_ones_load(
    mini, tmp_path, oxigraph_server, capsys
):
    project = _build(mini, tmp_path / "dist")
    with AuthProxy(oxigraph_server.url, "curator", "s3cret") as proxy:

        def load_as(user: str, password: str) -> int:
            return _cli_load(proxy.url, project.dist_dir, "--user", user, "--password", password)

        assert load_as("curator", "wrong") == EXIT_STORE
        error = capsys.readouterr().err
        assert "401" in error and "--user and --password" in error
        assert _store_quads(oxigraph_server) == set()

        code = load_as("curator", "s3cret")
        output = capsys.readouterr().err
        assert code == EXIT_OK, output
        quads = _build_quads(project)
        assert f"staged {len(_graphs(quads))}/{len(_graphs(quads))} graphs" in output
        assert f"loaded {len(quads)} triples" in output
    assert _store_quads(oxigraph_server) == _build_quads(project)


@pytest.mark.parametrize(
    ("status", "advice"),
    [(403, "write access"), (404, "--layout"), (413, "client_max_body_size"), (500, "its log")],
)
def test_http_errors_say_what_to_do(mini, tmp_path, capsys, status, advice):
    project = _build(mini, tmp_path / "dist")
    with AuthProxy("http://127.0.0.1:9", "u", "p", fixed_status=status) as proxy:
        code = _cli_load(proxy.url, project.dist_dir, "--retries", "0")
    error = capsys.readouterr().err
    assert code == EXIT_STORE
    assert str(status) in error and advice in error


def test_a_store_that_is_not_there(mini, tmp_path, capsys):
    project = _build(mini, tmp_path / "dist")
    url = f"http://127.0.0.1:{free_port()}"
    code = _cli_load(url, project.dist_dir, "--retries", "1")
    error = capsys.readouterr().err
    assert code == EXIT_STORE
    assert "connection refused" in error and "unchanged" in error


def test_no_build_is_an_input_error(tmp_path, capsys):
    code = _cli_load(f"http://127.0.0.1:{free_port()}", tmp_path / "nothing")
    assert code == EXIT_INPUT
    assert "twentyfive build" in capsys.readouterr().err


def test_credentials_are_refused_over_plain_http_to_another_host():
    check_transport(["http://127.0.0.1:7878/store", "http://localhost/x", "http://[::1]/y"], True)
    check_transport(["https://store.example.org/store"], True)
    check_transport(["http://store.example.org/store"], False)
    with pytest.raises(ValueError, match="--force-insecure"):
        check_transport(["http://store.example.org/store"], True)
    check_transport(["http://store.example.org/store"], True, force_insecure=True)


def test_a_partial_load_and_a_load_into_one_graph(mini, tmp_path, oxigraph_server):
    project = _with_extra_entity(mini, tmp_path)
    build_quads = _build_quads(project)
    extra = f"{PASSAGE}mini-source-extra"
    _load(project, oxigraph_server.url, graphs=[extra])
    assert _store_quads(oxigraph_server) == {q for q in build_quads if q.graph_name.value == extra}

    into = "http://example.org/graphs/twentyfive"
    _load(project, oxigraph_server.url, into=into)
    quads = _store_quads(oxigraph_server)
    assert _graphs(quads) == {into}  # the partial load's graph was ours: dropped as stale
    assert {q.triple for q in quads} == {q.triple for q in build_quads}


def test_remote_store_answers_like_the_embedded_one(mini, tmp_path, oxigraph_server):
    project = _build(mini, tmp_path / "dist")
    _load(project, oxigraph_server.url)
    with _client(oxigraph_server.url) as client:
        store = RemoteStore(client, default_graph_uris=live_graphs(RemoteStore(client)))
        rows = list(
            store.query(
                "SELECT ?label WHERE { ?p a <http://schema.org/Person> ; "
                "<http://www.w3.org/2000/01/rdf-schema#label> ?label }"
            )
        )
        assert {r["label"] for r in rows} == {
            ox.Literal("Mikhail Sholokhov", language="en"),
            ox.Literal("Михаил Шолохов", language="ru"),
        }
        assert bool(store.query("ASK { ?s a <http://schema.org/Person> }"))
        triples = list(store.query("CONSTRUCT WHERE { ?s a <http://schema.org/Person> }"))
        assert [t.object.value for t in triples] == ["http://schema.org/Person"]
        assert len(store) == len(_build_quads(project)) + len(
            _store_quads_registry(oxigraph_server)
        )


def _store_quads_registry(server) -> list[ox.Quad]:
    answer = httpx.get(
        f"{server.url}/store",
        params={"graph": REGISTRY},
        headers={"Accept": "application/n-triples"},
    )
    return list(ox.parse(answer.content, format=ox.RdfFormat.N_TRIPLES))


def test_the_fingerprint_changes_with_any_term_and_ignores_blank_node_labels():
    s, p = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")
    base = ox.Triple(
        s, p, ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    )
    changed = [
        ox.Triple(s, p, ox.Literal("1")),
        ox.Triple(s, p, ox.Literal("1", language="en")),
        ox.Triple(s, ox.NamedNode("http://example.org/q"), base.object),
    ]
    assert all(triple_number(t) != triple_number(base) for t in changed)
    assert triple_number(ox.Triple(ox.BlankNode("a"), p, s)) == triple_number(
        ox.Triple(ox.BlankNode("b"), p, s)
    )
    assert fingerprint([base, *changed]) == sum(map(triple_number, [base, *changed]))


def test_an_overloaded_store_is_retried_then_reported(mini, tmp_path, capsys):
    project = _build(mini, tmp_path / "dist")
    with AuthProxy("http://127.0.0.1:9", "u", "p", fixed_status=503) as proxy:
        code = _cli_load(proxy.url, project.dist_dir, "--retries", "1")
    error = capsys.readouterr().err
    assert code == EXIT_STORE
    assert "trying again" in error and "503" in error and "unchanged" in error


def test_the_examples_in_the_http_client_run():
    import doctest

    from twentyfive import sparql_http

    assert doctest.testmod(sparql_http).failed == 0


def test_a_rerun_skips_graphs_already_live_unless_only_counts_are_checked(
    mini, tmp_path, oxigraph_server, capsys
):
    project = _build(mini, tmp_path / "dist")
    graphs = len(_graphs(_build_quads(project)))
    assert _cli_load(oxigraph_server.url, project.dist_dir) == EXIT_OK
    capsys.readouterr()
    assert _cli_load(oxigraph_server.url, project.dist_dir) == EXIT_OK
    assert f"{graphs} of {graphs} graph(s) already up to date" in capsys.readouterr().err
    assert _cli_load(oxigraph_server.url, project.dist_dir, "--verify", "count") == EXIT_OK
    output = capsys.readouterr().err
    assert f"0 of {graphs} graph(s) already up to date" in output
    assert f"staged {graphs}/{graphs} graphs" in output
    assert _store_quads(oxigraph_server) == _build_quads(project)


@pytest.mark.slow
def test_a_switch_whose_answer_is_lost_says_so_and_a_rerun_settles_it(
    mini, tmp_path, oxigraph_server
):
    first = _build(mini, tmp_path / "dist-first")
    _load(first, oxigraph_server.url)
    second = _with_extra_entity(mini, tmp_path)
    with AuthProxy(oxigraph_server.url, "u", "p", hang_up_after=b"MOVE <") as proxy:
        with pytest.raises(LoadError, match="was sent but did not finish"):
            _load(second, proxy.url, user="u", password="p", retries=2)
    live = {q for q in _store_quads(oxigraph_server) if not q.graph_name.value.startswith(STAGING)}
    assert live == _build_quads(second)  # the store finished the switch; only its answer was lost
    _load(second, oxigraph_server.url)
    assert _store_quads(oxigraph_server) == _build_quads(second)


def test_the_real_build_loads_with_every_literal_fingerprinted_alike(dist, oxigraph_server):
    """Dates, years, numbers and language tags of the curated data: the store's SPARQL
    fingerprint and ours agree on every graph, and the store ends up with the dump."""
    project = Project.at(dist.parent, dist)
    report = _load(project, oxigraph_server.url)
    assert _store_quads(oxigraph_server) == _build_quads(project)
    assert len(report.changed) == len(_graphs(_build_quads(project)))


def test_the_upload_keeps_literals_as_written_and_accepts_their_canonical_form():
    """What goes to the store is the dump's own literal; a store may hold it as written or,
    like Oxigraph, in canonical form: the check accepts either and nothing else."""
    xsd = "http://www.w3.org/2001/XMLSchema#"
    s, p = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")
    written = ox.Triple(s, p, ox.Literal("05", datatype=ox.NamedNode(xsd + "nonNegativeInteger")))
    canonical = ox.Triple(s, p, ox.Literal("5", datatype=ox.NamedNode(xsd + "integer")))
    [load] = plan({"http://example.org/g": [written]}, "run")
    assert load.triples == [written]
    assert load.accepted == {(1, triple_number(written)), (1, triple_number(canonical))}
