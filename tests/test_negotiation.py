"""Content negotiation: one table of Accept headers -> the variant chosen (or 406)."""

from __future__ import annotations

import pytest

from twentyfive import negotiation

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"

DOCUMENT_CASES = [
    (None, "ttl"),
    ("", "ttl"),
    ("*/*", "ttl"),
    ("text/turtle", "ttl"),
    ("text/turtle; charset=utf-8", "ttl"),
    ("text/turtle; charset=UTF-8; q=1", "ttl"),
    ("text/turtle; charset=iso-8859-1", None),
    ("application/ld+json", "jsonld"),
    ("application/json", "jsonld"),
    ("application/n-triples", "nt"),
    ("text/plain", "nt"),
    ("application/rdf+xml", "rdf"),
    ("text/html", "html"),
    ("application/xhtml+xml", "html"),
    (BROWSER, "html"),
    ("text/*", "ttl"),
    ("text/*;q=0.5, text/html", "html"),
    ("application/ld+json, text/turtle", "jsonld"),
    ("text/turtle, application/ld+json", "ttl"),
    ("application/ld+json;q=0.5, text/turtle;q=0.9", "ttl"),
    ("application/rdf+xml;q=0.1, */*;q=0.01", "rdf"),
    ("text/turtle;q=0, */*", "jsonld"),
    ("*/*, text/turtle;q=0", "jsonld"),
    ("text/html;q=0, text/*", "ttl"),
    ("image/png", None),
    ("image/png, application/pdf;q=0.5", None),
    ("*/*;q=0", None),
    ("text/turtle;q=0", None),
    ("application/unknown+rdf", None),
    ("garbage", "ttl"),  # nothing usable: treated as no header
    ("text/turtle;q=2, application/n-triples", "nt"),  # an invalid q drops its range
    ("TEXT/TURTLE", "ttl"),
]


@pytest.mark.parametrize("accept, expected", DOCUMENT_CASES)
def test_document_variant(accept, expected):
    chosen = negotiation.document_variant(accept)
    assert (chosen.extension if chosen else None) == expected


@pytest.mark.parametrize(
    "accept, expected",
    [
        (None, "json"),
        ("*/*", "json"),
        ("application/sparql-results+xml", "xml"),
        ("text/csv", "csv"),
        ("text/tab-separated-values", "tsv"),
        ("application/json", "json"),
        ("application/xml", "xml"),
        ("text/turtle", None),
        (BROWSER, "xml"),
    ],
)
def test_result_variant(accept, expected):
    chosen = negotiation.result_variant(accept)
    assert (chosen.name if chosen else None) == expected


@pytest.mark.parametrize(
    "accept, expected",
    [
        (None, "/doc/person/x.ttl"),
        ("text/html", "/doc/person/x.html"),
        ("application/ld+json", "/doc/person/x.jsonld"),
        ("image/png", None),
    ],
)
def test_see_other(accept, expected):
    assert negotiation.see_other("person", "x", accept) == expected


@pytest.mark.parametrize(
    "header, expected",
    [
        (None, "en"),
        ("ru", "ru"),
        ("ru-RU,ru;q=0.9,en;q=0.8", "ru"),
        ("en-GB,ru;q=0.5", "en"),
        ("de, ru;q=0.3", "ru"),
        ("de", "en"),
        ("ru;q=0, en;q=0.1", "en"),
        ("*", "en"),
        ("en;q=0.4, ru;q=0.6", "ru"),
        ("ru;q=abc, en", "en"),
    ],
)
def test_choose_language(header, expected):
    assert negotiation.choose_language(header) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("turtle", "ttl"),
        ("ttl", "ttl"),
        ("text/turtle", "ttl"),
        ("json-ld", "jsonld"),
        ("html", "html"),
        ("rdfxml", "rdf"),
        ("nt", "nt"),
        ("nquads", None),
        ("pdf", None),
    ],
)
def test_variant_for_format(value, expected):
    chosen = negotiation.variant_for_format(value)
    assert (chosen.extension if chosen else None) == expected


def test_every_triple_format_is_a_document_variant():
    from twentyfive.formats import TRIPLE_FORMATS

    assert [v.media_type for v in negotiation.RDF_VARIANTS] == [
        f.media_type for f in TRIPLE_FORMATS
    ]
    assert {v.extension for v in negotiation.DOCUMENT_VARIANTS} == {
        "ttl",
        "jsonld",
        "nt",
        "rdf",
        "html",
    }


def test_html_file_names():
    assert negotiation.html_file_name("x", "en") == "x.html"
    assert negotiation.html_file_name("x", "ru") == "x.ru.html"
