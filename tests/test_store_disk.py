"""A build's store on disk: made once, opened read-only, answering as the store in memory does."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from twentyfive import store_disk
from twentyfive.documents import entities, subjects_of
from twentyfive.store import EmbeddedStore

QUERIES = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",  # the union: each statement once
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",  # every quad
    "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s rdfs:label ?o } } GROUP BY ?g ORDER BY ?g LIMIT 20",
]


@pytest.fixture
def dist_copy(dist: Path, tmp_path: Path) -> Path:
    """A copy of the real build in a folder of its own (its store goes next to it)."""
    target = tmp_path / "dist"
    shutil.copytree(dist, target)
    return target


def _answers(store: EmbeddedStore) -> list[list[tuple[str, ...]]]:
    return [[tuple(str(term) for term in row) for row in store.query(q)] for q in QUERIES]


def test_the_store_on_disk_answers_as_the_store_in_memory_and_cannot_be_written(dist_copy, monkeypatch):
    said: list[str] = []
    on_disk = EmbeddedStore.from_dist(dist_copy, said.append, on_disk_from_quads=0)
    assert len(said) == 1 and "once per build" in said[0]
    folder = store_disk.stores_folder(dist_copy) / store_disk.store_key(dist_copy)
    assert folder.is_dir() and folder.parent.parent == dist_copy.parent / ".twentyfive-cache"
    monkeypatch.setenv("TWENTYFIVE_CACHE", "off")
    in_memory = EmbeddedStore.from_dist(dist_copy, said.append, on_disk_from_quads=0)
    assert len(said) == 1  # no store on disk: nothing to prepare
    answers = _answers(on_disk)
    assert answers == _answers(in_memory)
    assert int(answers[0][0][0].split('"')[1]) < int(answers[1][0][0].split('"')[1])  # a set union
    assert len(on_disk) == len(in_memory) == store_disk.quads_built(dist_copy)
    with pytest.raises(RuntimeError, match="read-write"):
        on_disk.oxigraph.update("INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }")
    # the subjects kept beside the store are the ones the store's own DISTINCT finds
    lines = on_disk.subject_lines()
    census = entities(in_memory.oxigraph)
    assert lines is not None and in_memory.subject_lines() is None
    assert entities(on_disk.oxigraph, b"\n".join(lines)) == census
    # looked up one entity at a time, as the server's renderer does
    assert {iri: subjects_of(lines, iri) for iri in census} == census
    assert any(len(subjects) > 1 for subjects in census.values())  # parts (…#part) are there
    nobody = "https://w3id.org/twentyfive/id/person/nobody"
    assert nobody not in census and subjects_of(lines, nobody) == []


def test_a_small_build_is_loaded_into_memory(dist_copy):
    said: list[str] = []
    assert store_disk.quads_built(dist_copy) < store_disk.ON_DISK_FROM_QUADS  # the real data is small
    assert store_disk.prepare(dist_copy, said.append) is None
    assert said == [] and not store_disk.stores_folder(dist_copy).exists()


def test_the_store_is_made_once_and_a_new_build_gets_a_new_one(dist_copy):
    said: list[str] = []
    first = store_disk.prepare(dist_copy, said.append, from_quads=0)
    assert store_disk.prepare(dist_copy, said.append, from_quads=0) == first and len(said) == 1
    keys = [first]
    for change in range(3):  # three more builds: another N-Quads dump each
        with (dist_copy / "twentyfive.nq").open("ab") as dump:
            dump.write(f"<http://example.org/s> <http://example.org/p> \"{change}\" <http://example.org/g> .\n".encode())
        (dist_copy / "SHA256SUMS").unlink(missing_ok=True)  # the key is then read from the dump
        keys.append(store_disk.prepare(dist_copy, said.append, from_quads=0))
    assert len(set(keys)) == 4 and len(said) == 4
    left = sorted(p for p in store_disk.stores_folder(dist_copy).iterdir() if p.is_dir())
    assert left == sorted(keys[-store_disk.STORES_KEPT :])  # the newest, and the one before it
    store = ox.Store.read_only(str(keys[-1]))
    assert bool(store.query('ASK { GRAPH <http://example.org/g> { ?s ?p "2" } }'))


def test_a_half_made_store_is_never_opened_and_is_made_again(dist_copy):
    target = store_disk.stores_folder(dist_copy) / store_disk.store_key(dist_copy)
    making = target.with_name(target.name + ".making")
    making.mkdir(parents=True)
    (making / "CURRENT").write_text("left by a process that was stopped\n")
    assert store_disk.prepare(dist_copy, from_quads=0) == target
    assert not making.exists()
    assert len(EmbeddedStore.from_dist(dist_copy, on_disk_from_quads=0)) == store_disk.quads_built(dist_copy)


def _prepare_in_child(dist: str, said: str) -> None:
    store_disk.prepare(Path(dist), lambda text: Path(said).open("a").write(text + "\n"), from_quads=0)
    store = ox.Store.read_only(str(store_disk.stores_folder(Path(dist)) / store_disk.store_key(Path(dist))))
    assert len(store) > 0


def test_processes_starting_together_make_the_store_once(dist_copy, tmp_path):
    said = tmp_path / "said.txt"
    context = multiprocessing.get_context("spawn")  # fresh processes, as serve's workers are
    children = [context.Process(target=_prepare_in_child, args=(str(dist_copy), str(said))) for _ in range(3)]
    for child in children:
        child.start()
    for child in children:
        child.join(60)
    assert [child.exitcode for child in children] == [0, 0, 0]
    assert len(said.read_text().splitlines()) == 1
