"""Each integrity check of shapes/checks/ is silent on the real graph and finds one fault put
into a copy of it (the checks' valid and invalid cases)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from tests.conftest import ROOT

from twentyfive.namespaces import ID, PREFIXES
from twentyfive.pipeline import load
from twentyfive.project import Project
from twentyfive.validate.integrity import load_checks, run_checks

CHECKS = {c.name: c for c in load_checks(ROOT / "shapes" / "checks")}
SHOLOKHOV = ox.NamedNode(ID + "person/mikhail-sholokhov")
LABEL = ox.NamedNode(PREFIXES["rdfs"] + "label")
HAS_SOURCE = ox.NamedNode(PREFIXES["oa"] + "hasSource")
KNOWS = ox.NamedNode(PREFIXES["schema"] + "knows")


@pytest.fixture(scope="module")
def real():
    return load(Project.at(ROOT)).kg


def _add(kg, *quads: ox.Quad) -> None:
    kg.store.extend(quads)


def _remove(kg, *quads: ox.Quad) -> None:
    for quad in quads:
        kg.store.remove(quad)


def _undeclared_passage(kg):
    _add(kg, ox.Quad(SHOLOKHOV, KNOWS, ox.NamedNode(ID + "person/lynne-viola"), ox.NamedNode(ID + "passage/nowhere")))
    return {(SHOLOKHOV.value, ID + "passage/nowhere")}


def _graph_without_source(kg):
    _add(kg, ox.Quad(SHOLOKHOV, KNOWS, ox.NamedNode(ID + "person/lynne-viola"), ox.NamedNode("https://example.org/g")))
    return {(SHOLOKHOV.value, "https://example.org/g")}


def _link_to_nothing(kg):
    passage = next(iter(kg.store.quads_for_pattern(SHOLOKHOV, LABEL, None, None))).graph_name
    _add(kg, ox.Quad(SHOLOKHOV, KNOWS, ox.NamedNode(ID + "person/nobody-at-all"), passage))
    return {(SHOLOKHOV.value, ID + "person/nobody-at-all")}


def _no_russian_label(kg):
    for quad in list(kg.store.quads_for_pattern(SHOLOKHOV, LABEL, None, None)):
        if quad.object.language == "ru":
            _remove(kg, quad)
    return {(SHOLOKHOV.value, "ru")}


def _source_without_label(kg):
    passage = next(iter(kg.store.quads_for_pattern(SHOLOKHOV, LABEL, None, None))).graph_name
    source = next(iter(kg.store.quads_for_pattern(passage, HAS_SOURCE, None, None))).object
    _remove(kg, *kg.store.quads_for_pattern(source, LABEL, None, source))
    # every passage of that source is now cited from an undescribed source
    return {(q.subject.value, source.value) for q in kg.store.quads_for_pattern(None, HAS_SOURCE, source, None)}


FAULTS = {
    "check:passage-declared": _undeclared_passage,
    "check:statement-without-source": _graph_without_source,
    "check:link-to-undescribed-entity": _link_to_nothing,
    "check:entity-labels-en-ru": _no_russian_label,
    "check:passage-source-described": _source_without_label,
}


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_a_check_is_silent_on_the_real_graph_and_finds_its_fault(real, name):
    check = CHECKS[name]
    assert run_checks(real, [check]) == []
    broken = load(Project.at(ROOT)).kg
    expected = FAULTS[name](broken)
    found = run_checks(broken, [check])
    assert {f.rule for f in found} == {name}
    assert {(f.focus, (f.value or "").strip('<>"')) for f in found} == expected
