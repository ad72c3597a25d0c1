"""The command line, run in-process through ``main(argv)``."""

from __future__ import annotations

import json

import pytest

from twentyfive.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for name in ("build", "validate", "query"):
        assert name in out


def test_validate_conforming_data_exits_0_and_writes_nothing(capsys, mini):
    code, out, err = run(capsys, "--project", str(mini.root), "validate")
    assert code == 0, out + err
    assert "0 violation(s)" in out
    assert not mini.dist_dir.exists()


def test_validate_reports_file_line_rule_and_exits_1(capsys, mini):
    path = mini.data_dir / "person" / "mikhail-sholokhov.trig"
    path.write_text(path.read_text().replace('"Михаил Шолохов"@ru', '"Михаил Шолохов"@uk'))
    code, out, _ = run(capsys, "validate", "--project", str(mini.root))
    assert code == 1
    assert "data/person/mikhail-sholokhov.trig:8: Violation [check:entity-labels-en-ru]" in out
    assert "entity:   <https://w3id.org/twentyfive/id/person/mikhail-sholokhov>" in out


def test_validate_json_report(capsys, mini):
    path = mini.data_dir / "person" / "mikhail-sholokhov.trig"
    path.write_text(path.read_text().replace('"Михаил Шолохов"@ru', '"Михаил Шолохов"@uk'))
    code, out, _ = run(capsys, "--project", str(mini.root), "validate", "--format", "json")
    assert code == 1
    [finding] = json.loads(out)
    assert finding["file"] == "data/person/mikhail-sholokhov.trig" and finding["line"] == 8
    assert finding["rule"] == "check:entity-labels-en-ru" and finding["value"] == '"ru"'


def test_malformed_turtle_names_file_line_column_and_exits_2(capsys, mini):
    path = mini.data_dir / "person" / "mikhail-sholokhov.trig"
    path.write_text(path.read_text().replace("a schema:Person ;", "a schema:Person ;;] ."))
    code, _, err = run(capsys, "--project", str(mini.root), "validate")
    assert code == 2
    assert "data/person/mikhail-sholokhov.trig:8:" in err
    assert "[read:syntax]" in err


@pytest.mark.parametrize("parallel", ["on", "off"])
def test_build_on_violation_exits_1_and_leaves_dist_alone(capsys, mini, monkeypatch, parallel):
    """Validation runs beside the writers (TWENTYFIVE_PARALLEL=on): what they wrote for data
    that turns out invalid is thrown away, and dist/ stays the previous build, byte for byte."""
    monkeypatch.setenv("TWENTYFIVE_PARALLEL", parallel)
    assert run(capsys, "--project", str(mini.root), "build")[0] == 0
    before = sorted(p.name for p in mini.dist_dir.iterdir())
    sums = (mini.dist_dir / "SHA256SUMS").read_bytes()
    path = mini.data_dir / "person" / "mikhail-sholokhov.trig"
    path.write_text(path.read_text().replace('"Михаил Шолохов"@ru', '"Михаил Шолохов"@uk'))
    code, _, err = run(capsys, "--project", str(mini.root), "build")
    assert code == 1 and "not published" in err
    assert sorted(p.name for p in mini.dist_dir.iterdir()) == before
    assert (mini.dist_dir / "SHA256SUMS").read_bytes() == sums
    assert [p.name for p in mini.dist_dir.parent.iterdir() if ".staging-" in p.name] == []


QUERY = "SELECT ?label WHERE { <https://w3id.org/twentyfive/id/person/mikhail-sholokhov> rdfs:label ?label } ORDER BY ?label"
PROLOGUE = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "


def test_query_prints_a_table(capsys, mini):
    run(capsys, "--project", str(mini.root), "build")
    code, out, _ = run(capsys, "--project", str(mini.root), "query", "-e", PROLOGUE + QUERY)
    assert code == 0
    assert "| Mikhail Sholokhov |" in out and "| Михаил Шолохов    |" in out and "2 rows" in out


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("csv", "label\r\nMikhail Sholokhov\r\n"),
        ("tsv", '?label\n"Mikhail Sholokhov"@en\n'),
        ("json", '"value":"Mikhail Sholokhov"'),
        ("xml", "<literal xml:lang=\"en\">Mikhail Sholokhov</literal>"),
    ],
)
def test_query_result_formats(capsys, mini, fmt, expected):
    run(capsys, "--project", str(mini.root), "build")
    code, out, _ = run(capsys, "--project", str(mini.root), "query", "--format", fmt, "-e", PROLOGUE + QUERY)
    assert code == 0
    assert expected in out


def test_construct_gives_rdf(capsys, mini):
    run(capsys, "--project", str(mini.root), "build")
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <http://schema.org/Person> ; ?p ?o }"
    code, out, _ = run(capsys, "--project", str(mini.root), "query", "-e", query)
    assert code == 0 and "person:mikhail-sholokhov a schema:Person" in out
    code, out, _ = run(capsys, "--project", str(mini.root), "query", "--format", "ntriples", "-e", query)
    assert "<https://w3id.org/twentyfive/id/person/mikhail-sholokhov> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/Person> ." in out


def test_query_syntax_error_shows_its_position(capsys, mini):
    code, _, err = run(capsys, "--project", str(mini.root), "query", "-e", "SELECT ?x WHERE {\n  ?x ?y }")
    assert code == 2
    assert "line 2, column" in err and "^" in err


def test_query_file_that_does_not_exist(capsys, mini, tmp_path):
    code, _, err = run(capsys, "--project", str(mini.root), "query", str(tmp_path / "missing.rq"))
    assert code == 2 and "cannot read the query file" in err


def test_many_warnings_of_one_rule_are_counted_not_all_printed(capsys):
    from twentyfive.cli import WARNINGS_PER_RULE, print_findings
    from twentyfive.problems import Finding, Severity

    many = WARNINGS_PER_RULE + 7
    findings = [
        Finding(Severity.WARNING, "shape:Description", "add a description", focus=f"urn:x:{i}")
        for i in range(many)
    ]
    findings += [
        Finding(Severity.VIOLATION, "shape:Label", "add a label", focus=f"urn:y:{i}")
        for i in range(many)
    ]
    print_findings(findings)
    out = capsys.readouterr().out
    assert out.count("add a description") == WARNINGS_PER_RULE
    assert out.count("add a label") == many  # every violation, always
    assert "… and 7 more warning(s) of shape:Description" in out
    assert f"{many} violation(s), {many} warning(s)" in out
