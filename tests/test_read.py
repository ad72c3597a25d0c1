"""The read stage: errors point at file, line and column; file rules are enforced."""

from __future__ import annotations

import pytest

from twentyfive.problems import InputError
from twentyfive.read import read_project


def _read(project):
    return read_project(project.data_dir, project.ontology_dir, relative=project.relative)


def test_the_mini_project_reads_without_findings(mini):
    kg, findings = _read(mini)
    assert findings == []
    origin = kg.origin("https://w3id.org/twentyfive/id/person/mikhail-sholokhov")
    assert str(origin.path) == "data/person/mikhail-sholokhov.trig"
    assert origin.line == 8


def test_a_syntax_error_names_file_line_and_column(mini):
    path = mini.data_dir / "person" / "mikhail-sholokhov.trig"
    text = path.read_text().replace('schema:birthDate "1905-05-24"^^xsd:date ;', 'schema:birthDate "1905-05-24"^^xsd:date ;;;; ]')
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        _read(mini)
    [finding] = caught.value.findings
    assert finding.rule == "read:syntax"
    assert str(finding.path) == "data/person/mikhail-sholokhov.trig"
    assert finding.line == 10
    assert finding.column is not None


def test_every_broken_file_is_reported_not_only_the_first(mini):
    for name in ("a-one", "b-two"):
        (mini.data_dir / "person" / f"{name}.trig").write_text("this is not TriG\n")
    with pytest.raises(InputError) as caught:
        _read(mini)
    assert [str(f.path) for f in caught.value.findings] == [
        "data/person/a-one.trig",
        "data/person/b-two.trig",
    ]


def test_statements_outside_a_passage_graph_have_no_source(mini):
    path = mini.data_dir / "person" / "mikhail-sholokhov.trig"
    path.write_text(path.read_text() + '\nperson:mikhail-sholokhov schema:deathDate "1984-02-21"^^xsd:date .\n')
    _, findings = _read(mini)
    [finding] = findings
    assert finding.rule == "read:no-source"
    assert finding.predicate == "http://schema.org/deathDate"
    assert finding.line == 8


def test_a_file_describes_only_its_own_entity(mini):
    path = mini.data_dir / "person" / "mikhail-sholokhov.trig"
    path.write_text(
        path.read_text()
        + "\nGRAPH passage:mini-source-writer { person:lynne-viola a schema:Person . }\n"
    )
    _, findings = _read(mini)
    assert [f.rule for f in findings] == ["read:foreign-subject"]
    assert findings[0].focus.endswith("/person/lynne-viola")
    assert findings[0].line == 14


def test_blank_nodes_and_bad_slugs_are_refused(mini):
    (mini.data_dir / "person" / "Bad_Slug.trig").write_text(
        "@prefix schema: <http://schema.org/> .\n"
        "GRAPH <https://w3id.org/twentyfive/id/passage/mini-source-writer> {\n"
        "  <https://w3id.org/twentyfive/id/person/Bad_Slug> schema:knows [ schema:name \"x\" ] .\n}\n"
    )
    _, findings = _read(mini)
    rules = sorted(f.rule for f in findings)
    assert rules == ["read:bad-slug", "read:blank-node", "read:blank-node"]


def test_a_missing_folder_is_unusable_input(tmp_path):
    with pytest.raises(InputError, match="folder .* not found"):
        read_project(tmp_path / "data", tmp_path / "ontology")


@pytest.mark.parametrize(
    ("literal", "ok"),
    [
        ('"P14D"^^xsd:duration', True),
        ('"P2W"^^xsd:duration', False),
        ('"1929-11-17"^^xsd:date', True),
        ('"1929-02-30"^^xsd:date', False),
        ('"1929-11"^^xsd:gYearMonth', True),
        ('"1929-13"^^xsd:gYearMonth', False),
        ('"1932"^^xsd:gYear', True),
        ('"about 1932"^^xsd:gYear', False),
        ('"69.9"^^xsd:decimal', True),
        ('"69,9"^^xsd:decimal', False),
        ('"16000"^^xsd:integer', True),
        ('"16 000"^^xsd:integer', False),
    ],
)
def test_ill_typed_literals_are_violations_with_their_line(mini, literal, ok):
    path = mini.data_dir / "person" / "mikhail-sholokhov.trig"
    path.write_text(path.read_text().replace('"1905-05-24"^^xsd:date', literal))
    _, findings = _read(mini)
    if ok:
        assert findings == []
    else:
        [finding] = findings
        assert finding.rule == "read:ill-typed-literal" and finding.line == 8
