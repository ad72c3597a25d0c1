"""The compiled SHACL engine reports exactly what pyshacl reports (pyshacl is the reference)."""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import rdflib
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


# --- the project's own shapes, with their logical components (sh:or, sh:not, sh:xone, ...) --

OBSERVATION = "http://purl.org/linked-data/cube#"


def _full_key(finding):
    """Everything a curator reads: the project's shapes all carry their own sh:message."""
    return (*_key(finding), finding.message)


def _both_full(kg, shapes):
    return Counter(map(_full_key, run_shacl(kg, shapes))), Counter(map(_full_key, run_compiled(kg, shapes)))


PROJECT_SHAPES = load_shapes(ROOT / "shapes")


def test_every_shape_of_the_project_compiles():
    assert compile_shapes(PROJECT_SHAPES).fallback == []


def _fixture_graph(path):
    """A shape fixture as tests/validate/test_shapes.py validates it: the ontology plus the file."""
    from twentyfive.graph import KnowledgeGraph, from_rdflib

    kg = KnowledgeGraph()
    graph = _n(f"{ID}passage/fixture")
    for source in [*sorted((ROOT / "ontology").glob("*.ttl")), path]:
        parsed = rdflib.Graph().parse(source, format="turtle")
        kg.add_quads(ox.Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o), graph) for s, p, o in parsed)
    return kg


SHAPE_FIXTURES = sorted((ROOT / "tests" / "validate" / "shapes").glob("*.ttl"))


@pytest.mark.slow
@pytest.mark.parametrize("path", SHAPE_FIXTURES, ids=lambda p: p.name)
def test_every_shape_fixture_gives_identical_findings(path):
    reference, compiled = _both_full(_fixture_graph(path), PROJECT_SHAPES)
    assert compiled == reference
    if path.name.endswith(".invalid.ttl"):
        assert reference, "an invalid fixture fails in the reference engine"


@pytest.fixture(scope="module")
def roster_sample(tmp_path_factory):
    """A copy of the real project with 300 synthetic people, read and assembled once."""
    target = tmp_path_factory.mktemp("sample") / "project"
    for part in ("ontology", "data", "shapes"):
        shutil.copytree(ROOT / part, target / part)
    synthetic_roster.write_roster(target / "data" / "roster", 300, seed=7)
    return target


def _first(kg, query):
    rows = list(kg.query(query))
    assert rows, f"the sample has no match for {query}"
    return rows[0][0].value


def _inject_logical(kg):
    """Faults for the logical, qualified and language components of the project's shapes."""
    graph = _n(f"{ID}passage/test-faults")
    add = lambda s, p, o: kg.store.add(ox.Quad(_n(s), _n(p), o, graph))  # noqa: E731
    remove = lambda s, p, keep=None: [kg.store.remove(q) for q in list(kg.store.quads_for_pattern(_n(s), _n(p), None))  # noqa: E731
                                      if keep is None or not keep(q.object)]
    people = [_person(n) for n in (1, 2, 3, 4, 5, 6)]
    remove(people[0], RDFS + "label", keep=lambda o: o.language != "en")         # qualifiedMinCount: no @en label
    add(people[1], RDFS + "label", _lit("Второе имя", language="ru"))            # uniqueLang: two @ru labels
    add(people[2], RDFS + "label", _lit("Ivanov", language="ru-Latn"))           # sh:not + languageIn
    add(people[3], SCHEMA + "birthDate", _lit("around 1900"))                     # sh:or of datatypes, maxCount
    add(people[4], RDF_TYPE, _n(TFT + "FictionalCharacter"))                       # sh:not on a node shape
    remove(people[5], SCHEMA + "description")                                     # qualified warning
    observation = _first(kg, f"SELECT ?o WHERE {{ ?o <{TFT}personCount> ?n }} ORDER BY ?o LIMIT 1")
    add(observation, TFT + "share", _lit("12.5", XSD + "decimal"))                 # sh:xone: both measures
    category = _first(kg, f"SELECT ?c WHERE {{ ?c a <{SKOS}Concept> }} ORDER BY ?c LIMIT 1")
    add(observation, TFT + "sex", _n(category))                                    # alternative path, maxCount
    plenum = _first(kg, f"SELECT ?p WHERE {{ ?p a <{TFT}Plenum> }} LIMIT 1")
    remove(plenum, SCHEMA + "startDate")
    remove(plenum, SCHEMA + "endDate")                                             # sh:or of property shapes
    cohort = _first(kg, f"SELECT ?c WHERE {{ ?c a <{TFT}Cohort> }} LIMIT 1")
    for quad in list(kg.store.quads_for_pattern(None, _n(TFT + "mobilised"), _n(cohort))):
        kg.store.remove(quad)                                                      # sh:and with an inverse path
    region = _first(kg, f"SELECT ?r WHERE {{ ?r a <{TFT}GrainRegion> }} ORDER BY ?r LIMIT 1")
    add(region, RDF_TYPE, _n(SCHEMA + "Country"))                                  # sh:not with sh:class
    concept = _first(kg, f"SELECT ?c WHERE {{ ?c <{SKOS}definition> ?d }} ORDER BY ?c LIMIT 1")
    add(concept, SKOS + "prefLabel", _lit("one", language="en"))
    add(concept, SKOS + "prefLabel", _lit("two", language="EN"))                   # uniqueLang, case-insensitive
    remove(concept, SKOS + "definition", keep=lambda o: o.language != "en")       # qualifiedMinCount


@pytest.mark.slow
def test_a_synthetic_sample_with_logical_faults_gives_identical_findings(roster_sample):
    kg = _graph(roster_sample)
    clean_reference, clean_compiled = _both_full(kg, PROJECT_SHAPES)
    assert clean_compiled == clean_reference
    _inject_logical(kg)
    reference, compiled = _both_full(kg, PROJECT_SHAPES)
    assert compiled == reference
    new = {rule for rule, *_ in reference - clean_reference}
    # each fault is found, by the shape meant to find it
    assert new >= {
        "shape:LabelEnglish", "shape:LabelLanguages", "shape:BirthDate", "shape:FictionalCharacter",
        "shape:Description", "shape:Observation", "shape:ObservationCategory", "shape:Plenum",
        "shape:Cohort", "shape:GrainRegion", "shape:PrefLabel", "shape:Definition",
    }, new


def test_nested_counts_languages_and_logic_give_identical_findings(project):
    shutil.copy(ROOT / "tests" / "fixtures" / "shapes" / "engine-logical.ttl", project / "shapes")
    shapes = load_shapes(project / "shapes")
    assert compile_shapes(shapes).fallback == []
    kg = _graph(project)
    _inject(kg)
    graph = _n(f"{ID}passage/test-faults")
    cohort = _n(f"{ID}group/twenty-five-thousanders")
    kg.store.add(ox.Quad(cohort, _n(RDFS + "label"), _lit("Die Fünfundzwanzigtausender", language="de"), graph))
    kg.store.add(ox.Quad(_n(_person(16)), _n(RDFS + "label"), _lit("Ivanov", language="ru-Latn"), graph))
    for quad in list(kg.store.quads_for_pattern(_n(_person(17)), _n(SCHEMA + "gender"), None)):
        kg.store.remove(quad)
    reference, compiled = _both(kg, shapes)
    assert compiled == reference
    found = {rule for rule, *_ in reference}
    assert found >= {
        "shape:test-node-unique", "shape:test-node-max", "shape:test-node-qualified", "shape:test-qualified-min",
        "shape:test-xone", "shape:test-or-has-value", "shape:test-and", "shape:test-sequence-path",
        "shape:test-star-path", "shape:test-plus-path",
    }, found
    assert "shape:test-not-warning" in found  # a nested warning shape always conforms
    assert "shape:test-node-min" in found and "shape:test-disjoint-russian" not in found  # the ru-Latn label counts once
