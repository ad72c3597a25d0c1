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
        "sex-male": synthetic.SEX["Male"], "sex-female": synthetic.SEX["Female"],
        "affiliation-communist-party": synthetic.PARTY["party"],
        "affiliation-komsomol": synthetic.PARTY["KomsomolMember"],
        "affiliation-none": synthetic.PARTY["NonParty"],
        "union-metal-workers": synthetic.UNION["metal-workers-union"],
        "experience-up-to-5-years": synthetic.EXPERIENCE["under-5"],
        "experience-5-to-12-years": synthetic.EXPERIENCE["5-to-12"],
        "experience-over-12-years": synthetic.EXPERIENCE["over-12"],
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
@prefix tft: <https://w3id.org/twentyfive/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
GRAPH <https://w3id.org/twentyfive/id/passage/test-source-names> {
  <https://w3id.org/twentyfive/id/observation/males> a qb:Observation ;
     tft:sex <https://w3id.org/twentyfive/id/concept/sex-male> ;
     tft:share "92.0"^^xsd:decimal .
  <https://w3id.org/twentyfive/id/observation/union> a qb:Observation ;
     tft:tradeUnion <https://w3id.org/twentyfive/id/concept/union-metal-workers> ;
     tft:personCount 700 .
}
""", encoding="utf-8")
    figures = _figures(roster)
    assert figures["sex-male"].published == 92.0
    assert round(figures["sex-male"].difference, 1) == 0.3
    assert figures["sex-female"].published is None
    assert figures["union-metal-workers"].difference == 683 - 700  # a count: persons, not points
    csv_text = figures_csv(list(figures.values()))
    assert "sex,sex-male,males,923,1000,92.3,92,+0.3" in csv_text
    assert "union,union-metal-workers,members of the Metal Workers Union,683,1000,68.3,700,-17.0" in csv_text
