"""The compiled SHACL engine reports exactly what pyshacl reports (pyshacl is the reference)."""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from twentyfive.assemble import assemble
from twentyfive.read import read_project
from twentyfive.validate import validate
from twentyfive.validate.compiled import compile_shapes, run_compiled
from twentyfive.validate.shacl import load_shapes, run_shacl

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
import synthetic_roster  # noqa: E402

ID = "https://w3id.org/twentyfive/id/"
TFT = "https://w3id.org/twentyfive/ontology#"
SCHEMA, ORG = "http://schema.org/", "http://www.w3.org/ns/org#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _key(finding):
    return (finding.rule, finding.focus, finding.predicate, finding.value, finding.severity)


def _both(kg, shapes):
    """Both engines' findings as multisets: one finding per shape, focus, path, value and component."""
    return Counter(map(_key, run_shacl(kg, shapes))), Counter(map(_key, run_compiled(kg, shapes)))


def _n(iri):
    return ox.NamedNode(iri)


def _lit(value, datatype=None, language=None):
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=_n(datatype or XSD + "string"))


def _person(number):
    return f"{ID}person/synthetic-1-1-{number}"


def _inject(kg):
    """One fault (or two) per constraint the shapes use, in a named graph of its own."""
    graph = _n(f"{ID}passage/test-faults")
    add = lambda s, p, o: kg.store.add(ox.Quad(s if not isinstance(s, str) else _n(s), _n(p), o, graph))  # noqa: E731
    remove = lambda s, p: [kg.store.remove(q) for q in list(kg.store.quads_for_pattern(_n(s), _n(p), None))]  # noqa: E731
    add(_person(1), SCHEMA + "gender", _n(SCHEMA + "Unknown"))                      # sh:in, maxCount
    remove(_person(2), SCHEMA + "birthDate")
    add(_person(2), SCHEMA + "birthDate", _lit("1790"))                             # datatype
    remove(_person(3), SCHEMA + "birthDate")
    add(_person(3), SCHEMA + "birthDate", _lit("17x0", XSD + "gYear"))              # pattern
    remove(_person(4), RDFS + "label")                                             # minCount
    add(_person(5), RDFS + "label", _lit("Iwanow", language="de"))                  # languageIn, maxCount
    remove(_person(6), TFT + "workExperienceYears")
    add(_person(6), TFT + "workExperienceYears", _lit("61", XSD + "integer"))       # maxInclusive, maxExclusive
    remove(_person(7), TFT + "workExperienceYears")
    add(_person(7), TFT + "workExperienceYears", _lit("-1", XSD + "integer"))       # minInclusive, minExclusive
    remove(_person(8), TFT + "workExperienceYears")
    add(_person(8), TFT + "workExperienceYears", _lit("abc", XSD + "integer"))      # ill-formed
    remove(_person(9), TFT + "workExperienceYears")
    add(_person(9), TFT + "workExperienceYears", _lit("5", XSD + "decimal"))        # datatype
    remove(_person(10), ORG + "memberOf")                                          # hasValue
    add(_person(11), SKOS + "altLabel", _lit("Иванов", language="ru-Latn"))         # pattern, maxCount
    add(_person(12), SCHEMA + "workLocation", _lit("ukraine"))                      # nodeKind, pattern
    add(_person(12), SCHEMA + "name", _lit("Iv"))                                   # minLength (test shape)
    membership = _person(13) + "#membership-placement"
    remove(membership, ORG + "member")                                             # minCount
    add(_person(14) + "#membership-placement", ORG + "member", _lit("somebody"))   # class, maxCount
    add(_person(15) + "#membership-placement", ORG + "organization", ox.BlankNode("b1"))  # nodeKind, maxCount
    odd = _n(f"{ID}person/odd-membership")
    add(odd, RDF_TYPE, _n(ORG + "Membership"))                                     # pattern, minCounts
    add(ox.BlankNode("p1"), RDF_TYPE, _n(TFT + "TwentyFiveThousander"))            # nodeKind, class on node shape
    add(_n(f"{ID}group/twenty-five-thousanders"), RDFS + "label", _lit("The cohort", language="en"))  # flags pattern


@pytest.fixture
def project(tmp_path):
    target = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "fixtures" / "roster", target)
    shutil.copy(ROOT / "ontology" / "roster.ttl", target / "ontology")
    (target / "shapes").mkdir()
    shutil.copy(ROOT / "shapes" / "roster.ttl", target / "shapes")
    synthetic_roster.write_roster(target / "data" / "roster", 40, seed=5)
    return target


def _graph(project_dir):
    kg, _ = read_project(project_dir / "data", project_dir / "ontology")
    assemble(kg)
    return kg


def test_a_clean_synthetic_sample_has_no_findings_in_either_engine(project):
    kg = _graph(project)
    reference, compiled = _both(kg, load_shapes(project / "shapes"))
    assert reference == compiled == Counter()


def test_injected_faults_give_identical_findings(project):
    shutil.copy(ROOT / "tests" / "fixtures" / "shapes" / "engine-coverage.ttl", project / "shapes")
    shapes = load_shapes(project / "shapes")
    assert compile_shapes(shapes).fallback == []  # every fault below is found by compiled SPARQL
    kg = _graph(project)
    _inject(kg)
    reference, compiled = _both(kg, shapes)
    assert compiled == reference
    # each fault is found, by the shape meant to find it
    assert {rule for rule, *_ in reference} == {
        "shape:TwentyFiveThousander-gender", "shape:TwentyFiveThousander-birth",
        "shape:TwentyFiveThousander-name-latin", "shape:TwentyFiveThousander-experience",
        "shape:TwentyFiveThousander-cohort", "shape:TwentyFiveThousander-region",
        "shape:Membership", "shape:Membership-member", "shape:Membership-organization",
        "shape:(anonymous)", "shape:test-objects-of", "shape:test-target-node-label",
        "shape:test-exclusive", "shape:test-language",
    }


def test_a_shape_not_compiled_hands_the_run_to_pyshacl(project):
    shutil.copy(ROOT / "tests" / "fixtures" / "shapes" / "engine-fallback.ttl", project / "shapes")
    shapes = load_shapes(project / "shapes")
    assert [str(s).rsplit("#", 1)[1] for s in compile_shapes(shapes).fallback] == ["test-fallback-disjoint"]
    kg = _graph(project)
    _inject(kg)
    same = _n(f"{ID}organization/komsomol")
    for predicate in ("member", "organization"):
        kg.store.add(ox.Quad(_n(f"{ID}person/odd-membership"), _n(ORG + predicate), same, _n(f"{ID}passage/test-faults")))
    reference, compiled = _both(kg, shapes)
    assert compiled == reference
    assert any(predicate == ORG + "member" and value == same.__str__() for _, _, predicate, value, _ in reference)


def test_the_curated_graph_gives_identical_findings():
    """The repository's own data and shapes (whatever main holds when this runs)."""
    kg = _graph(ROOT)
    reference, compiled = _both(kg, load_shapes(ROOT / "shapes"))
    assert compiled == reference


def test_the_engine_can_be_forced_to_pyshacl(project, monkeypatch):
    from twentyfive.project import Project

    kg = _graph(project)
    _inject(kg)
    monkeypatch.setenv("TWENTYFIVE_SHACL_ENGINE", "pyshacl")
    forced = validate(kg, Project.at(project))
    monkeypatch.setenv("TWENTYFIVE_SHACL_ENGINE", "compiled")
    default = validate(kg, Project.at(project))
    assert {_key(f) for f in forced} == {_key(f) for f in default}
    monkeypatch.setenv("TWENTYFIVE_SHACL_ENGINE", "jena")
    with pytest.raises(ValueError, match="choose one of compiled, pyshacl"):
        validate(kg, Project.at(project))
