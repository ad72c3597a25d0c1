"""The RDF Data Cube checks: W3C's integrity constraints and our own checks of the figures."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from tests.conftest import ROOT, SHARED, copy_of_root
from tests.cube_project import cube_project, edit

from twentyfive.graph import KnowledgeGraph
from twentyfive.namespaces import GRAPH_DERIVED
from twentyfive.pipeline import check, load
from twentyfive.validate.datacube import HERE, check_constraints, load_constraints

# ../shared from the repository (a worktree lies one level deeper)
REFERENCE = next(
    (
        p / "reference" / "datacube-integrity"
        for p in (SHARED, ROOT.parent.parent / "shared")
        if p.is_dir()
    ),
    SHARED / "reference" / "datacube-integrity",
)
OBS = "https://w3id.org/twentyfive/id/observation/"
TFT = "https://w3id.org/twentyfive/ontology#"


def _needs_reference() -> None:
    if not REFERENCE.is_dir():
        pytest.skip(f"{REFERENCE} is not here: the reference copies cannot be compared")


def _ic_rules(findings) -> set[str]:
    return {f.rule for f in findings if f.rule.startswith("qb:IC-")}


# --- the constraints themselves -------------------------------------------------------------


def test_all_21_constraints_are_shipped_with_number_and_name():
    constraints = load_constraints()
    numbers = [c.number for c in constraints]
    assert numbers == [str(n) for n in range(1, 19)] + ["19a", "19b", "20", "21"]
    assert all(c.name and not c.name.startswith("#") for c in constraints)
    assert constraints[0].name.startswith("Every observation has a unique associated data set")


def test_the_shipped_copies_equal_the_reference_files():
    _needs_reference()
    reference = sorted(p.name for p in REFERENCE.glob("integrity-*.sparql"))
    assert sorted(p.name for p in HERE.glob("integrity-*.sparql")) == reference
    for name in reference:
        assert (HERE / name).read_bytes() == (REFERENCE / name).read_bytes(), name


# UKGovLD's own test table (src/test/java/.../TestWF.java): constraint, files that pass, files that fail.
REFERENCE_CASES = [
    ("1", ["abbrv-cube.ttl"], ["abbrv-cube.ttl", "missing-ds.ttl"]),
    ("1", ["abbrv-cube.ttl"], ["abbrv-cube.ttl", "extra-ds.ttl"]),
    ("2", ["abbrv-cube.ttl"], ["abbrv-cube.ttl", "missing-dsd.ttl"]),
    ("2", ["abbrv-cube.ttl"], ["abbrv-cube.ttl", "extra-dsd.ttl"]),
    ("3", ["abbrv-cube.ttl"], ["missing-measure.ttl"]),
    ("4", ["abbrv-cube.ttl"], ["missing-range.ttl"]),
    ("5", ["abbrv-cube.ttl"], ["missing-codelist.ttl"]),
    ("6", ["abbrv-cube.ttl"], ["bad-component-required.ttl"]),
    ("7", ["abbrv-cube.ttl"], ["bad-slicekey.ttl"]),
    ("8", ["abbrv-cube.ttl"], ["bad-slicekey2.ttl"]),
    ("9", ["abbrv-cube.ttl"], ["missing-slicekey.ttl"]),
    ("9", ["abbrv-cube.ttl"], ["duplicate-slicekey.ttl"]),
    ("10", ["abbrv-cube.ttl"], ["abbrv-cube.ttl", "missing-slicedim.ttl"]),
    ("11", ["abbrv-cube.ttl"], ["abbrv-cube.ttl", "missing-obs-dim-value.ttl"]),
    ("12", ["abbrv-cube.ttl"], ["abbrv-cube.ttl", "duplicate-observation.ttl"]),
    ("13", ["abbrv-cube.ttl"], ["abbrv-cube.ttl", "missing-required-attr.ttl"]),
    ("14", ["abbrv-cube.ttl"], ["abbrv-cube.ttl", "missing-measure-on-obs.ttl"]),
    ("15", ["mt-cube.ttl"], ["mt-cube.ttl", "mt-missing-measure.ttl"]),
    ("16", ["mt-cube.ttl"], ["mt-cube.ttl", "mt-extra-measure.ttl"]),
    ("17", ["mt-cube-3-measures.ttl"], ["mt-cube-with-missing-points.ttl"]),
    ("18", ["abbrv-cube.ttl"], ["abbrv-cube.ttl", "observation-bad-dataset.ttl"]),
    (
        "19a",
        ["abbrv-cube.ttl", "codelist-complete.ttl"],
        ["abbrv-cube.ttl", "codelist-partial.ttl"],
    ),
    (
        "19b",
        ["abbrv-cube.ttl", "collection-complete.ttl"],
        ["abbrv-cube.ttl", "collection-partial.ttl"],
    ),
    ("20", ["abbrv-cube.ttl", "hierarchy-good.ttl"], ["abbrv-cube.ttl", "hierarchy-bad.ttl"]),
    (
        "20",
        ["abbrv-cube.ttl", "hierarchy-good-multiroot.ttl"],
        ["abbrv-cube.ttl", "hierarchy-bad.ttl"],
    ),
    (
        "21",
        ["abbrv-cube.ttl", "hierarchy-good-inverse.ttl"],
        ["abbrv-cube.ttl", "hierarchy-bad-inverse.ttl"],
    ),
]


def _reference_graph(names: list[str]) -> KnowledgeGraph:
    kg = KnowledgeGraph()
    for name in names:
        triples = ox.parse(path=str(REFERENCE / "fixtures" / name), format=ox.RdfFormat.TURTLE)
        kg.add_quads(
            ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode("urn:x-test:" + name))
            for t in triples
        )
    return kg


@pytest.mark.parametrize(
    ("number", "good", "bad"), REFERENCE_CASES, ids=lambda v: v if isinstance(v, str) else None
)
def test_each_constraint_holds_and_breaks_on_the_reference_fixtures(number, good, bad):
    _needs_reference()
    [constraint] = [c for c in load_constraints() if c.number == number]
    assert check_constraints(_reference_graph(good), [constraint]) == []
    findings = check_constraints(_reference_graph(bad), [constraint])
    assert findings and {f.rule for f in findings} == {f"qb:IC-{number}"}
    assert constraint.name in findings[0].message


# --- our cubes ------------------------------------------------------------------------------


def test_our_cubes_pass_every_constraint_and_check(tmp_path):
    outcome = check(cube_project(tmp_path))
    assert outcome.findings == []
    assert (
        len(
            list(
                outcome.kg.query(
                    "SELECT ?o WHERE { ?o <http://purl.org/linked-data/cube#dataSet> ?d }"
                )
            )
        )
        >= 14
    )


SEX = "data/dataset/social-structure-sex.trig"
MALE = "data/observation/share-male.trig"
UNION = "data/observation/count-metal-workers-union.trig"
CUBE_TTL = "ontology/cube.ttl"

NEW_CODE = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix concept: <https://w3id.org/twentyfive/id/concept/> .
@prefix passage: <https://w3id.org/twentyfive/id/passage/> .
GRAPH passage:wikipedia-metal-workers-union {
  concept:union-test a skos:Concept ; rdfs:label "test union"@en , "тест"@ru ; skos:inScheme concept:trade-unions .
}
"""

HAND_TYPED_SHARE = """@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix tft: <https://w3id.org/twentyfive/ontology#> .
@prefix sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#> .
@prefix concept: <https://w3id.org/twentyfive/id/concept/> .
@prefix dataset: <https://w3id.org/twentyfive/id/dataset/> .
@prefix passage: <https://w3id.org/twentyfive/id/passage/> .
@prefix observation: <https://w3id.org/twentyfive/id/observation/> .
GRAPH passage:wikipedia-metal-workers-union {
  observation:share-test a qb:Observation ; qb:dataSet dataset:social-structure-trade-union ;
      tft:tradeUnion concept:CODE ; qb:measureType tft:share ; tft:share "50"^^xsd:decimal ;
      sdmx-attribute:unitMeasure <http://qudt.org/vocab/unit/PERCENT> ;
      tft:base observation:campaign-personal-files .
}
"""


def _break_15(project):
    edit(project, UNION, "tft:personCount 16000 ;", "")
    (project.data_dir / "observation" / "share-test.trig").write_text(
        HAND_TYPED_SHARE.replace("CODE", "union-metal-workers")
    )


def _break_17(project):
    (project.data_dir / "concept" / "union-test.trig").write_text(NEW_CODE)
    (project.data_dir / "observation" / "share-test.trig").write_text(
        HAND_TYPED_SHARE.replace("CODE", "union-test")
    )


# One broken copy of our cubes per constraint that can apply to them (we use no slices, no
# skos:Collection and no hierarchical code lists: 7-10, 18, 19b, 20 and 21 are covered by the
# reference fixtures above). Each must break exactly its constraint.
BROKEN = {
    "1": lambda p: edit(p, MALE, "qb:dataSet dataset:social-structure-sex ;", ""),
    "2": lambda p: edit(
        p, SEX, "qb:structure dataset:social-structure-sex\\#structure .", "qb:order 1 ."
    ),
    "3": lambda p: edit(p, SEX, "dataset:social-structure-sex\\#measure-share , ", ""),
    "4": lambda p: edit(
        p, CUBE_TTL, "rdfs:subPropertyOf sdmx-dimension:sex ;\n    rdfs:range skos:Concept ;", ""
    ),
    "5": lambda p: edit(p, CUBE_TTL, "qb:codeList concept:sexes .", 'rdfs:label "sex"@en .'),
    "6": lambda p: edit(
        p, SEX, "qb:dimension tft:sex ;", "qb:dimension tft:sex ; qb:componentRequired false ;"
    ),
    "11": lambda p: edit(p, MALE, "tft:sex concept:sex-male ;", ""),
    "12": lambda p: edit(
        p,
        "data/observation/share-female.trig",
        "tft:sex concept:sex-female",
        "tft:sex concept:sex-male",
    ),
    "13": lambda p: edit(
        p, MALE, "tft:base observation:campaign-personal-files", "tft:approximate false"
    ),
    "14": lambda p: edit(p, MALE, 'tft:share "92.3"^^xsd:decimal ;', ""),
    "15": _break_15,
    "16": lambda p: edit(
        p,
        UNION,
        "tft:personCount 16000 ;",
        'tft:personCount 16000 ; tft:share "68.3"^^xsd:decimal ;',
    ),
    "17": _break_17,
    "19a": lambda p: edit(p, MALE, "tft:sex concept:sex-male", "tft:sex concept:party-cpsu"),
}


@pytest.mark.parametrize("number", list(BROKEN))
def test_a_cube_broken_for_one_constraint_fails_on_exactly_that_one(tmp_path, number):
    project = cube_project(tmp_path)
    BROKEN[number](project)
    findings = check(project).findings
    assert _ic_rules(findings) == {f"qb:IC-{number}"}, "\n".join(f.format() for f in findings)


# --- our own checks -------------------------------------------------------------------------


def _only(findings, rule):
    found = [f for f in findings if f.rule == rule]
    assert found, f"no {rule} in:\n" + "\n".join(f.format() for f in findings)
    return found


def test_shares_that_do_not_add_up_are_rejected_naming_the_observations(tmp_path):
    project = cube_project(tmp_path)
    edit(project, MALE, '"92.3"', '"90.3"')
    outcome = check(project)
    assert not outcome.conforms
    found = _only(outcome.findings, "cube:shares-add-up")
    assert {f.focus for f in found} == {OBS + "share-male", OBS + "share-female"}
    male = next(f for f in found if f.focus == OBS + "share-male")
    assert (str(male.path), male.value) == (MALE, '"98"')
    assert male.line is not None and "add up to 100" in male.message


def test_rounding_within_the_tolerance_is_accepted(tmp_path):
    project = cube_project(tmp_path)
    edit(project, MALE, '"92.3"', '"92.4"')  # 100.1: within the rounding of the source
    assert check(project).conforms


def test_an_observation_without_a_unit_is_rejected(tmp_path):
    project = cube_project(tmp_path)
    edit(project, MALE, ";\n      sdmx-attribute:unitMeasure unit:PERCENT", "")
    findings = check(project).findings
    [finding] = _only(findings, "cube:observation-without-unit")
    assert finding.focus == OBS + "share-male" and str(finding.path) == MALE
    assert "unitMeasure" in finding.message
    assert _ic_rules(findings) == {"qb:IC-13"}  # the unit is a required attribute, too


def test_a_count_above_its_base_is_rejected(tmp_path):
    project = cube_project(tmp_path)
    edit(project, UNION, "tft:personCount 16000", "tft:personCount 26000")
    found = _only(check(project).findings, "cube:count-exceeds-base")
    assert [(f.focus, f.value, str(f.path)) for f in found] == [
        (OBS + "count-metal-workers-union", '"26000 > 23409"', UNION)
    ]


def test_an_observation_without_a_source_is_rejected(tmp_path):
    project = cube_project(tmp_path)
    edit(project, MALE, "GRAPH passage:wikipedia-sex {", "GRAPH passage:wikipedia-nowhere {")
    found = _only(check(project).findings, "cube:observation-without-source")
    assert {f.focus for f in found} == {OBS + "share-male"}
    assert found[0].predicate == TFT + "share" and found[0].value == '"92.3"'


def test_the_union_share_is_derived_by_the_build_not_typed_in(tmp_path):
    project = cube_project(tmp_path)
    assert not any("68.3" in p.read_text() for p in project.data_dir.rglob("*.trig"))
    kg = load(project).kg
    share = OBS + "count-metal-workers-union#share"
    rows = list(
        kg.query(
            f"""SELECT ?g ?value ?approximate ?derived WHERE {{ GRAPH ?g {{ <{share}> <{TFT}share> ?value ;
              <{TFT}approximate> ?approximate ; <{TFT}derived> ?derived }} }}"""
        )
    )
    assert [
        (r["g"].value, r["value"].value, r["approximate"].value, r["derived"].value) for r in rows
    ] == [(GRAPH_DERIVED, "68.3", "true", "true")]
    inputs = {
        r["i"].value
        for r in kg.query(
            f"SELECT ?i WHERE {{ <{share}> <http://www.w3.org/ns/prov#wasDerivedFrom> ?i }}"
        )
    }
    assert inputs == {OBS + "count-metal-workers-union", OBS + "campaign-personal-files"}


def test_the_derived_share_follows_the_count(tmp_path):
    project = cube_project(tmp_path)
    edit(
        project,
        UNION,
        "tft:personCount 16000 ;\n      sdmx-attribute:unitMeasure unit:NUM ;\n      qb:measureType tft:personCount ;\n      tft:approximate true",
        "tft:personCount 11704 ;\n      sdmx-attribute:unitMeasure unit:NUM ;\n      qb:measureType tft:personCount",
    )
    kg = load(project).kg
    [row] = kg.query(
        f"SELECT ?v ?a WHERE {{ <{OBS}count-metal-workers-union#share> <{TFT}share> ?v ; <{TFT}approximate> ?a }}"
    )
    assert (row["v"].value, row["a"].value) == ("50", "false")


def test_a_graph_without_cubes_costs_nothing(mini):
    assert check(mini).findings == []


def test_the_real_cubes_pass_every_constraint_and_check(built):
    assert check_constraints(built.kg) == []
    cube_findings = [f for f in built.findings if f.rule.startswith(("qb:", "cube:"))]
    assert cube_findings == []
    datasets = {
        r["d"].value
        for r in built.kg.query(
            "SELECT DISTINCT ?d WHERE { ?d a <http://purl.org/linked-data/cube#DataSet> }"
        )
    }
    assert len(datasets) == 5


def test_the_campaign_cube_must_agree_with_the_campaign_event(tmp_path):
    project = copy_of_root(tmp_path)
    edit(
        project,
        "data/observation/campaign-selected.trig",
        "tft:personCount 27519 ;",
        "tft:personCount 27518 ;",
    )
    found = _only(check(project).findings, "check:campaign-figures-agree")
    assert {f.focus for f in found} == {OBS + "campaign-selected"}


def test_a_broken_constraint_names_the_observation_and_its_file(tmp_path):
    project = cube_project(tmp_path)
    BROKEN["11"](project)
    [finding] = [f for f in check(project).findings if f.rule == "qb:IC-11"]
    assert finding.focus == OBS + "share-male"
    assert (str(finding.path), finding.line) == (MALE, 17)
    assert "Every observation has a value for each declared dimension" in finding.message
    assert "?dim=https://w3id.org/twentyfive/ontology#sex" in finding.value
