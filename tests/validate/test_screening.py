"""A whole run of the compiled engine (validate/screening.py: flags per target, a census per path,
a closer look at what a census finds) gives each check exactly the rows of its own query, and
the class hierarchy resolved once per run matches what ``rdfs:subClassOf*`` matches."""

from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest

from tests.validate.test_compiled_engine import (
    ID, RDF_TYPE, RDFS, ROOT, SCHEMA, TFT, XSD, _graph, _inject, _lit, _n, _person, synthetic_roster,
)
from twentyfive.validate import screening
from twentyfive.validate.compiled import compile_shapes
from twentyfive.validate.screening import rows, violations
from twentyfive.validate.shacl import load_shapes
from twentyfive.validate.shape_sparql import Subclasses

SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
ORG = "http://www.w3.org/ns/org#"


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    """The roster fixture with 40 synthetic people, every test shape, and faults for each way
    a whole run finds its rows."""
    project = tmp_path_factory.mktemp("screening") / "project"
    shutil.copytree(ROOT / "tests" / "fixtures" / "roster", project)
    shutil.copy(ROOT / "ontology" / "roster.ttl", project / "ontology")
    (project / "shapes").mkdir()
    for path in [ROOT / "shapes" / "roster.ttl", *(ROOT / "tests" / "fixtures" / "shapes").glob("engine-[cl]*.ttl")]:
        shutil.copy(path, project / "shapes")
    (project / "shapes" / "unique.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        f"<urn:shape:unique-label> sh:targetClass <{TFT}TwentyFiveThousander> ; "
        f"sh:path <{RDFS}label> ; sh:uniqueLang true .\n", encoding="utf-8")
    synthetic_roster.write_roster(project / "data" / "roster", 40, seed=11)
    kg = _graph(project)
    _inject(kg)
    other = _n(f"{ID}passage/test-other")
    add = lambda s, p, o, g=_n(f"{ID}passage/test-faults"): kg.store.add(ox.Quad(s, _n(p), o, g))  # noqa: E731
    for quad in list(kg.store.quads_for_pattern(_n(_person(20)), _n(SCHEMA + "birthDate"), None)):
        add(quad.subject, SCHEMA + "birthDate", quad.object, other)  # one value stated twice: no fault
    add(_n(_person(21)), RDFS + "label", _lit("Другое имя", language="RU"))  # the same language twice
    add(ox.BlankNode("p1"), SCHEMA + "birthDate", _lit("18x0", XSD + "gYear"))  # a blank node's bad value
    add(_n(_person(22)), SCHEMA + "gender", ox.BlankNode("g1"))  # a value not allowed, and a second one
    # a class hierarchy with a cycle, and a blank node among the subclasses of another class
    add(_n(TFT + "Volunteer"), SUBCLASS, _n(TFT + "TwentyFiveThousander"))
    add(_n(TFT + "TwentyFiveThousander"), SUBCLASS, _n(TFT + "Volunteer"))
    add(_n(f"{ID}person/volunteer-only"), RDF_TYPE, _n(TFT + "Volunteer"))
    add(ox.BlankNode("c1"), SUBCLASS, _n(ORG + "Membership"))
    add(_n(f"{ID}person/blank-typed#membership-x"), RDF_TYPE, ox.BlankNode("c1"))
    return kg, load_shapes(project / "shapes")


def _sorted(found) -> list[tuple[str, str]]:
    return sorted((str(node), str(value)) for node, value in found)


@pytest.mark.parametrize("most_screened", [screening.MOST_SCREENED, 0], ids=["closer-look", "whole-query"])
def test_each_check_gets_the_rows_of_its_own_query(faulty, monkeypatch, most_screened):
    kg, shapes = faulty
    monkeypatch.setattr(screening, "MOST_SCREENED", most_screened)
    plan = compile_shapes(shapes, Subclasses.of(kg))
    found = violations(kg, plan.checks)
    assert [_sorted(r) for r in found] == [_sorted(rows(kg, check)) for check in plan.checks]
    # every way of finding rows found some here
    ways = {"flag": lambda c: c.flag is not None, "whole query": lambda c: c.flag is None and c.screen is None}
    ways.update({kind: lambda c, k=kind: c.screen is not None and c.screen.kind == k for kind in ("value", "max", "unique-lang")})
    for way, chosen in ways.items():
        assert any(r for check, r in zip(plan.checks, found) if chosen(check)), f"no row found by {way}"


def test_the_class_hierarchy_resolved_once_matches_the_path(faulty):
    kg, shapes = faulty
    with_hierarchy = compile_shapes(shapes, Subclasses.of(kg))
    with_path = compile_shapes(shapes)
    path_used = {str(c.shape).rsplit("#", 1)[-1]: "subClassOf>*" in c.sparql() for c in with_hierarchy.checks}
    assert path_used["Membership"] and not path_used["TwentyFiveThousander-gender"]  # a blank subclass: the path
    assert [_sorted(rows(kg, c)) for c in with_hierarchy.checks] == [_sorted(rows(kg, c)) for c in with_path.checks]
    found = {node.value for c in with_hierarchy.checks for node, _ in rows(kg, c)}
    assert f"{ID}person/volunteer-only" in found and f"{ID}person/blank-typed#membership-x" in found


def test_subclasses_are_closed_over_chains_and_cycles():
    a, b, c, d = (f"<urn:class:{x}>" for x in "abcd")
    pairs = [(ox.NamedNode(s[1:-1]), ox.NamedNode(o[1:-1])) for s, o in ((b, a), (c, b), (a, c), (d, c))]
    hierarchy = Subclasses([*pairs, (ox.BlankNode("x"), ox.NamedNode("urn:class:e"))])
    assert hierarchy.closure(a) == sorted([a, b, c, d])
    assert hierarchy.closure(d) == [d]
    assert hierarchy.closure("<urn:class:unknown>") == ["<urn:class:unknown>"]
    assert hierarchy.closure("<urn:class:e>") is None  # a blank node cannot be listed in a query


def test_a_check_restricted_to_some_nodes_gets_its_rows_about_them(faulty):
    """What incremental validation runs (validate/incremental.py): each check on given nodes."""
    kg, shapes = faulty
    plan = compile_shapes(shapes, Subclasses.of(kg))
    whole = [list(rows(kg, check)) for check in plan.checks]
    reported = sorted({node.value for found in whole for node, _ in found if isinstance(node, ox.NamedNode)})
    focus = [*reported[::2], f"{ID}group/twenty-five-thousanders", f"{ID}group/not-described",
             f"{ID}person/volunteer-only", _person(30), "https://example.org/in-no-target"]
    for check, found in zip(plan.checks, whole):
        expected = _sorted((node, value) for node, value in found if node.value in focus)
        assert _sorted(rows(kg, check, focus)) == expected, check.sparql(focus)
