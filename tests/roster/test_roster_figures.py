"""The figures counted from a synthetic roster match the marginals its generator was given."""

from __future__ import annotations

from twentyfive.read import read_project
from twentyfive.roster_figures import figures_csv, roster_figures


def _figures(project):
    kg, _ = read_project(project.data_dir, project.ontology_dir, relative=project.relative)
    return {f.cell.notation: f for f in roster_figures(kg)}


def test_figures_match_the_generator_marginals(roster, synthetic):
    size = 2345
    synthetic.write_roster(roster.data_dir / "roster", size, seed=7)
    figures = _figures(roster)
    expected_shares = {
        "male": synthetic.SEX["Male"], "female": synthetic.SEX["Female"],
        "cpsu": synthetic.PARTY["party"], "komsomol": synthetic.PARTY["KomsomolMember"],
        "no-party": synthetic.PARTY["NonParty"], "metal-workers-union": synthetic.UNION["metal-workers-union"],
        "experience-up-to-5": synthetic.EXPERIENCE["under-5"], "experience-5-to-12": synthetic.EXPERIENCE["5-to-12"],
        "experience-over-12": synthetic.EXPERIENCE["over-12"],
    }
    assert set(figures) == set(expected_shares)
    for notation, share in expected_shares.items():
        figure = figures[notation]
        assert figure.base == size
        # exact quotas: within one person of the share, i.e. within rounding of the published 0.1 %
        assert abs(figure.count - share * size / 100) <= 1, notation
        assert abs(figure.share - share) < 0.05, notation
        assert figure.published is None and figure.difference is None


def test_published_figures_are_set_beside_and_differences_computed(roster, synthetic):
    synthetic.write_roster(roster.data_dir / "roster", 1000, seed=3)
    (roster.data_dir / "observation").mkdir()
    (roster.data_dir / "observation" / "males.trig").write_text("""
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
GRAPH <https://w3id.org/twentyfive/id/passage/test-source-names> {
  <https://w3id.org/twentyfive/id/observation/males> a qb:Observation ;
     <https://w3id.org/twentyfive/id/observation/males#sex> <https://w3id.org/twentyfive/id/observation/males#code> ;
     sdmx-measure:obsValue "92.0"^^xsd:decimal .
  <https://w3id.org/twentyfive/id/observation/males#code> skos:notation "male" .
}
""", encoding="utf-8")
    figures = _figures(roster)
    assert figures["male"].published == 92.0
    assert round(figures["male"].difference, 1) == 0.3
    assert figures["female"].published is None
    csv_text = figures_csv(list(figures.values()))
    assert "sex,male,males,923,1000,92.3,92,+0.3" in csv_text
