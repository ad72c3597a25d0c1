import pytest

from twentyfive import formats


def test_every_format_has_a_unique_name_extension_and_media_type():
    for attribute in ("name", "extension", "media_type"):
        values = [getattr(f, attribute) for f in formats.FORMATS]
        assert len(values) == len(set(values)), attribute


@pytest.mark.parametrize(
    ("media_type", "name"),
    [
        ("text/turtle", "turtle"),
        ("text/turtle; charset=utf-8", "turtle"),
        ("application/ld+json", "jsonld"),
        ("APPLICATION/N-TRIPLES", "ntriples"),
        ("application/rdf+xml", "rdfxml"),
        ("application/n-quads", "nquads"),
        ("application/trig", "trig"),
    ],
)
def test_media_types_resolve_with_parameters_and_case(media_type, name):
    assert formats.by_media_type(media_type).name == name


def test_unknown_names_say_what_is_known():
    with pytest.raises(KeyError, match="known formats: turtle"):
        formats.by_name("n3000")
    with pytest.raises(KeyError):
        formats.by_media_type("image/png")


def test_named_graph_formats_are_the_quad_formats():
    assert {f.name for f in formats.QUAD_FORMATS} == {"nquads", "trig"}
    assert formats.TURTLE in formats.TRIPLE_FORMATS


def test_result_formats():
    assert formats.result_format("json").media_type == "application/sparql-results+json"
    assert formats.result_format("text/csv; charset=utf-8").name == "csv"
