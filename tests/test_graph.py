"""The knowledge graph's own bookkeeping: what it counts and remembers while only read."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from twentyfive.graph import KnowledgeGraph

EX = "https://example.org/"


def _quad(n: int) -> ox.Quad:
    return ox.Quad(ox.NamedNode(f"{EX}s{n}"), ox.NamedNode(f"{EX}p"), ox.Literal(str(n)), ox.NamedNode(f"{EX}g"))


def test_while_unchanging_the_count_is_the_one_taken_at_the_start() -> None:
    kg = KnowledgeGraph()
    kg.add_quads([_quad(1), _quad(2)])
    with kg.unchanging():
        assert len(kg) == 2
        kg.remember("found", "x")
        assert kg.remembered("found") == "x"
        with kg.unchanging():  # nested: the outer one counts and checks
            assert len(kg) == 2
        assert len(kg) == 2
    assert len(kg) == 2


def test_a_change_while_unchanging_is_an_error_when_it_ends() -> None:
    kg = KnowledgeGraph()
    kg.add_quads([_quad(1)])
    with pytest.raises(RuntimeError, match="1 quads before, 2 after"):
        with kg.unchanging():
            kg.store.add(_quad(2))
    assert len(kg) == 2  # counted again afterwards
    kg.remember("found", "x")
    kg.store.add(_quad(3))
    assert kg.remembered("found") is None, "the graph changed: what was found is stale"


def test_an_error_inside_is_not_hidden_by_the_check() -> None:
    kg = KnowledgeGraph()
    with pytest.raises(KeyError):
        with kg.unchanging():
            kg.store.add(_quad(1))
            raise KeyError("the writer's own error")
    assert len(kg) == 1
