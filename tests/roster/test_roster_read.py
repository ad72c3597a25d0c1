"""Reading the roster: good rows become people; every bad row is refused with a precise message."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest

from twentyfive.problems import InputError
from twentyfive.read import read_project

PERSON = "https://w3id.org/twentyfive/id/person/"
GOOD = ["rgae", "7446", "1", "12", "Иванов Иван Иванович", "Ivanov Ivan Ivanovich", "Male", "1899",
        "PartyCandidate", "metal-workers-union", "14", "Ленинград", "Путиловский завод", "north-caucasus",
        "колхоз «Гигант»", "kolkhoz-chairman", "1930-02", "1931"]


def _line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


def _with(**changes: str) -> list[str]:
    columns = ["archive", "fond", "opis", "delo", "name_ru", "name_latin", "sex", "birth_year", "party",
               "trade_union", "experience_years", "home_city", "factory", "region", "placement", "role",
               "dispatch_date", "return_date"]
    row = list(GOOD)
    for name, value in changes.items():
        row[columns.index(name)] = value
    return row


def _write(project, *lines: str) -> None:
    header = (project.data_dir / "roster" / "roster.csv-metadata.json").exists()
    assert header
    titles = "archive,fond,opis,delo,name (Russian),name (transliteration),sex,birth year,party status," \
        "trade union,years of work experience,home city,factory,destination region,kolkhoz or MTS,role," \
        "date of dispatch,date of return\n"
    (project.data_dir / "roster" / "roster.csv").write_text(titles + "".join(lines), encoding="utf-8")


def _read(project):
    return read_project(project.data_dir, project.ontology_dir, relative=project.relative)


def test_a_good_row_becomes_a_person_with_memberships_and_a_passage(roster):
    _write(roster, _line(GOOD))
    kg, findings = _read(roster)
    assert findings == []
    person = PERSON + "rgae-7446-1-12"
    assert str(kg.origin(person)) == "data/roster/roster.csv:2"
    rows = list(kg.query(f"""
        PREFIX org: <http://www.w3.org/ns/org#>
        SELECT ?org ?role WHERE {{ ?m a org:Membership ; org:member <{person}> ; org:organization ?org
                                   OPTIONAL {{ ?m org:role ?role }} }} ORDER BY ?org"""))
    got = {(r["org"].value, r["role"].value if r["role"] else None) for r in rows}
    assert got == {
        ("https://w3id.org/twentyfive/id/organization/communist-party-of-the-soviet-union", None),
        ("https://w3id.org/twentyfive/id/organization/metal-workers-union", None),
        (person + "#placement", "https://w3id.org/twentyfive/id/concept/kolkhoz-chairman"),
    }
    # every statement about the person sits in the row's passage, which quotes the row
    graphs = {q.graph_name.value for q in kg.store.quads_for_pattern(ox.NamedNode(person), None, None)}
    assert graphs == {"https://w3id.org/twentyfive/id/passage/roster-roster-rgae-7446-1-12"}
    [quote] = kg.query("""PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?exact WHERE { <https://w3id.org/twentyfive/id/passage/roster-roster-rgae-7446-1-12>
                              oa:hasSelector/oa:exact ?exact }""")
    assert quote["exact"].value == _line(GOOD).rstrip("\n")
    dates = {q.object for q in kg.store.quads_for_pattern(ox.NamedNode(person + "#membership-placement"), None, None)
             if q.predicate.value.startswith("http://schema.org/")}
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert dates == {ox.Literal("1930-02", datatype=ox.NamedNode(xsd + "gYearMonth")),
                     ox.Literal("1931", datatype=ox.NamedNode(xsd + "gYear"))}


def test_empty_cells_mean_unknown_and_make_no_statement(roster):
    row = _with(sex="", birth_year="", party="", trade_union="", experience_years="", placement="", role="",
                dispatch_date="", return_date="")
    _write(roster, _line(row))
    kg, _ = _read(roster)
    predicates = {q.predicate.value for q in kg.store.quads_for_pattern(ox.NamedNode(PERSON + "rgae-7446-1-12"), None, None)}
    assert not predicates & {"http://schema.org/gender", "http://schema.org/birthDate",
                             "https://w3id.org/twentyfive/ontology#workExperienceYears",
                             "https://w3id.org/twentyfive/ontology#partyStatus"}
    assert not list(kg.store.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/ns/org#member"), None))


def test_every_broken_row_is_refused_with_one_precise_message(roster):
    malformed = _line(_with(delo="90")).replace("Иванов Иван Иванович", '"Иванов" Иван')
    _write(
        roster,
        _line(GOOD),                                   # line 2: fine
        _line(_with(delo="13", sex="X")),              # line 3: bad sex code
        _line(_with(delo="14", birth_year="1790")),    # line 4: born too early
        _line(_with(delo="15", region="siberia")),     # line 5: unknown region
        _line(_with(delo="")),                         # line 6: no file reference
        _line(_with(name_latin="Ivanov I.")),          # line 7: the file reference of line 2 again
        malformed,                                     # line 8: a stray quote
    )
    with pytest.raises(InputError) as caught:
        _read(roster)
    found = sorted((f.line, f.column, f.rule, f.value, f.message) for f in caught.value.findings)
    assert [f[:4] for f in found] == [
        (3, 7, "roster:cell", "X"),
        (4, 8, "roster:cell", "1790"),
        (5, 14, "roster:cell", "siberia"),
        (6, 4, "roster:cell", ""),
        (7, None, "roster:duplicate-file", "rgae,7446,1,12"),
        (8, None, "roster:malformed-line", None),
    ]
    messages = [f[4] for f in found]
    assert messages[0] == "row 2, column 'sex': 'X' is not valid: expected one of: Male, Female"
    assert messages[1] == "row 3, column 'birth year': '1790' is not valid: out of range: expected a four-digit year from 1860 to 1915"
    assert messages[2].startswith("row 4, column 'destination region': 'siberia' is not valid: expected one of: ukrainian-ssr, north-caucasus")
    assert messages[3] == "row 5, column 'delo' is empty but required (part of the file reference)"
    assert messages[4].startswith("row 6: the file reference rgae, 7446, 1, 12 is also on data/roster/roster.csv:2")
    assert messages[5].startswith("row 7: not a well-formed CSV line")
    assert {str(f.path) for f in caught.value.findings} == {"data/roster/roster.csv"}


def test_a_row_with_too_few_cells_and_a_wrong_header(roster):
    _write(roster, "rgae,1,1,1,Иванов\n")
    with pytest.raises(InputError) as caught:
        _read(roster)
    [finding] = caught.value.findings
    assert (finding.line, finding.rule) == (2, "roster:malformed-line")
    assert "5 cells, but the header has 18" in finding.message
    (roster.data_dir / "roster" / "roster.csv").write_text("archive,fond\n", encoding="utf-8")
    with pytest.raises(InputError, match="the header must be the column titles"):
        _read(roster)


def test_a_roster_file_without_metadata_is_refused(roster):
    (roster.data_dir / "roster" / "other.csv").write_text("archive\n", encoding="utf-8")
    with pytest.raises(InputError, match="no CSVW metadata"):
        _read(roster)


def test_the_published_roster_is_only_a_header(root_project):
    """The format ships with no rows: no sourced person-level data exists yet."""
    text = (root_project.data_dir / "roster" / "roster.csv").read_text(encoding="utf-8")
    assert text.count("\n") == 1 and text.startswith("archive,fond,opis,delo,")


def test_an_unchanged_roster_file_comes_from_the_cache(roster, synthetic):
    from twentyfive.roster import read_rosters

    def read():
        pieces: list[bytes] = []  # text converted now, or the file of a cached conversion
        result = read_rosters(roster.data_dir, sink=lambda n: pieces.append(n if isinstance(n, bytes) else n.read_bytes()))
        return result, b"".join(pieces)

    synthetic.write_roster(roster.data_dir / "roster", 30, seed=2)
    (first, first_nquads), (second, second_nquads) = read(), read()
    assert [path.name for path in first.converted] == ["synthetic.csv"]
    assert second.converted == []  # nothing converted again
    assert first_nquads.count(b"\n") > 30 * 20 and second_nquads == first_nquads
    assert second.origins == first.origins
    # a second file repeating a cached file's person is still refused
    path = roster.data_dir / "roster" / "synthetic.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    (roster.data_dir / "roster" / "more.csv").write_text(lines[0] + lines[5], encoding="utf-8")
    (roster.data_dir / "roster" / "more.csv-metadata.json").write_text(
        (roster.data_dir / "roster" / "synthetic.csv-metadata.json").read_text(encoding="utf-8"), encoding="utf-8")
    third = read_rosters(roster.data_dir)
    # more.csv is read first (names sort), so the cached synthetic.csv's row 5 is the repeat
    assert [(f.path.name, f.line, f.rule) for f in third.errors] == [("synthetic.csv", 6, "roster:duplicate-file")]
    # a changed file is converted afresh
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    (roster.data_dir / "roster" / "more.csv").unlink()
    fourth = read_rosters(roster.data_dir)
    assert fourth.converted and fourth.people == 29


def _edit_metadata(project, change) -> None:
    import json

    path = project.data_dir / "roster" / "roster.csv-metadata.json"
    metadata = json.loads(path.read_text(encoding="utf-8"))
    change({c.get("name"): c for c in metadata["tableSchema"]["columns"]})
    path.write_text(json.dumps(metadata), encoding="utf-8")


def test_a_template_that_makes_no_iri_is_refused_before_any_row(roster):
    """The rows' IRIs are not checked one by one when loaded: the templates are, once."""
    _edit_metadata(roster, lambda c: c["region"].update(valueUrl="https://w3id.org/twentyfive/id/place/{region} x"))
    _write(roster, _line(GOOD))
    with pytest.raises(InputError) as caught:
        _read(roster)
    [finding] = caught.value.findings
    assert finding.rule == "roster:bad-mapping"
    assert "valueUrl of column region" in finding.message and str(finding.path).endswith("roster.csv-metadata.json")


def test_cells_that_are_no_iri_part_are_percent_encoded(roster):
    """Without a format that restricts them, cells used in IRIs are encoded, never loaded raw."""
    def loosen(columns):
        for name in ("trade_union", "region"):
            columns[name]["datatype"] = "string"

    _edit_metadata(roster, loosen)
    _write(roster, _line(_with(trade_union="metal workers", region="north caucasus")))
    kg, _ = _read(roster)
    iris = {t.value for q in kg.store for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)}
    assert PERSON + "rgae-7446-1-12#membership-metal%20workers" in iris
    assert "https://w3id.org/twentyfive/id/place/north%20caucasus" in iris
    assert not any(" " in iri for iri in iris)


def test_a_percent_in_a_template_and_a_template_naming_the_person_keep_their_meaning(roster):
    """Rows are filled into a layout made once per shape of row: constant text there (a
    percent-encoded template) stays as written, and a column that names the person by the
    table's aboutUrl still gives the person's party status (and its membership)."""
    def change(columns):
        columns["sex"]["valueUrl"] = "https://example.org/gender%2F{sex}"
        columns["party"]["aboutUrl"] = "https://w3id.org/twentyfive/id/person/{archive}-{fond}-{opis}-{delo}"

    _edit_metadata(roster, change)
    _write(roster, _line(GOOD), _line(_with(delo="13", party="NonParty", sex="Female")))
    kg, _ = _read(roster)
    person = PERSON + "rgae-7446-1-12"
    genders = {(q.subject.value, q.object.value)
               for q in kg.store.quads_for_pattern(None, ox.NamedNode("http://schema.org/gender"), None)}
    assert genders == {(person, "https://example.org/gender%2FMale"),
                       (PERSON + "rgae-7446-1-13", "https://example.org/gender%2FFemale")}
    organizations = {q.object.value for q in kg.store.quads_for_pattern(
        ox.NamedNode(person + "#membership-communist-party-of-the-soviet-union"),
        ox.NamedNode("http://www.w3.org/ns/org#organization"), None)}
    assert organizations == {"https://w3id.org/twentyfive/id/organization/communist-party-of-the-soviet-union"}
    assert not list(kg.store.quads_for_pattern(
        ox.NamedNode(PERSON + "rgae-7446-1-13#membership-communist-party-of-the-soviet-union"), None, None))


def test_a_value_template_naming_another_empty_cell_makes_no_statement(roster):
    _edit_metadata(roster, lambda c: c["region"].update(valueUrl="https://w3id.org/twentyfive/id/place/{region}-{role}"))
    _write(roster, _line(GOOD), _line(_with(delo="13", role="")))
    kg, _ = _read(roster)
    places = {(q.subject.value, q.object.value)
              for q in kg.store.quads_for_pattern(None, ox.NamedNode("http://schema.org/workLocation"), None)}
    assert places == {(PERSON + "rgae-7446-1-12", "https://w3id.org/twentyfive/id/place/north-caucasus-kolkhoz-chairman")}


def test_the_cache_of_one_file_leaves_that_of_a_file_named_like_it(roster):
    """``a.csv`` and ``a-b.csv``: keeping the one's cache must not take the other's for an old one."""
    from twentyfive.roster import read_rosters

    folder = roster.data_dir / "roster"
    _write(roster, _line(GOOD))
    for stem, delo in (("a", "20"), ("a-b", "21")):
        (folder / f"{stem}.csv").write_text((folder / "roster.csv").read_text(encoding="utf-8").replace(
            "rgae,7446,1,12", f"rgae,7446,1,{delo}"), encoding="utf-8")
        (folder / f"{stem}.csv-metadata.json").write_text(
            (folder / "roster.csv-metadata.json").read_text(encoding="utf-8"), encoding="utf-8")
    first = read_rosters(roster.data_dir)
    second = read_rosters(roster.data_dir)
    assert not first.errors and len(first.converted) == 3
    assert second.converted == [] and second.people == 3


def test_metadata_without_a_column_every_roster_needs_is_refused(roster):
    import json

    path = roster.data_dir / "roster" / "roster.csv-metadata.json"
    metadata = json.loads(path.read_text(encoding="utf-8"))
    metadata["tableSchema"]["columns"] = [c for c in metadata["tableSchema"]["columns"] if c.get("name") != "name_latin"]
    path.write_text(json.dumps(metadata), encoding="utf-8")
    _write(roster, _line(GOOD))
    with pytest.raises(InputError) as caught:
        _read(roster)
    [finding] = caught.value.findings
    assert finding.rule == "roster:bad-metadata" and str(finding.path).endswith("roster.csv-metadata.json")
    assert finding.message.startswith("no column name_latin: a roster needs archive, fond, opis, delo, name_latin")
