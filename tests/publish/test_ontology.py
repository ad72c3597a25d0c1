"""The ontology documentation: every tft: term on the page, escaped, with its usage; and the
ontology graph alone in every triple format."""

from __future__ import annotations

import html.parser
import shutil

import pytest
import rdflib
from rdflib.compare import isomorphic
from tests.conftest import FIXTURES

from twentyfive.namespaces import ONTOLOGY_IRI
from twentyfive.pipeline import build
from twentyfive.project import Project


@pytest.fixture(scope="module")
def small_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("ontology") / "project"
    shutil.copytree(FIXTURES / "described", root)
    outcome = build(Project.at(root))
    assert outcome.conforms
    return root, outcome


class Sections(html.parser.HTMLParser):
    """The text of each <section id=...>, and every tag seen (to catch unescaped markup)."""

    def __init__(self):
        super().__init__()
        self.sections: dict[str, str] = {}
        self.current: str | None = None
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "section":
            self.current = dict(attrs)["id"]
            self.sections[self.current] = ""

    def handle_endtag(self, tag):
        if tag == "section":
            self.current = None

    def handle_data(self, data):
        if self.current:
            self.sections[self.current] += data


def _page(root) -> Sections:
    parser = Sections()
    parser.feed((root / "dist" / "ontology.html").read_text(encoding="utf-8"))
    return parser


def test_every_term_has_a_section_with_labels_definition_and_usage(small_build):
    root, _ = small_build
    sections = _page(root).sections
    ontology = rdflib.Graph().parse(root / "ontology" / "mini.ttl")
    terms = {
        str(s).split("#", 1)[1]
        for s in ontology.subjects()
        if str(s).startswith(ONTOLOGY_IRI + "#")
    }
    assert set(sections) == terms
    farm = " ".join(sections["FarmType"].split())
    assert "farm type" in farm and "тип хозяйства" in farm and "skos:Concept" in farm
    assert "1 instance" in farm and "concept:kolkhoz" in farm
    assert "0 statements" in sections["unused"] and "tft:FarmType" in sections["unused"]
    assert "1 statement" in sections["reliability"] and "skos:note" in sections["reliability"]


def test_markup_in_the_ontology_is_escaped(small_build):
    root, _ = small_build
    page = _page(root)
    assert "b" not in page.tags and "with" not in page.tags
    assert "<b>not bold</b>" in page.sections["FarmType"]  # shown as text


def test_the_rdf_files_hold_the_ontology_graph_alone(small_build):
    root, outcome = small_build
    expected = outcome.kg.to_rdflib([ONTOLOGY_IRI])
    for name, fmt in (("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt"), ("rdf", "xml")):
        assert isomorphic(
            rdflib.Graph().parse(root / "dist" / f"ontology.{name}", format=fmt), expected
        ), name


def test_the_real_ontology_page_documents_every_term_of_the_namespace(dist):
    from twentyfive.namespaces import TFT

    parser = Sections()
    parser.feed((dist / "ontology.html").read_text(encoding="utf-8"))
    declared = {str(term).rsplit("#", 1)[1] for term in dir(TFT)}
    assert declared and set(parser.sections) == declared
    for anchor, text in parser.sections.items():
        assert "label (en)" in text and "label (ru)" in text and "used in the data" in text, anchor


@pytest.mark.external
@pytest.mark.slow
def test_chromium_renders_the_page_with_the_markup_as_text(small_build):
    """A real browser: the ontology's '<b>' and '<with>' are text on the page, not elements."""
    import subprocess

    from tests.tools import require

    browser = require("chromium", "apt-get install -y chromium")
    root, _ = small_build
    result = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--dump-dom",
            (root / "dist" / "ontology.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    dom = result.stdout
    assert 'id="FarmType"' in dom and 'id="reliability"' in dom, result.stderr[-2000:]
    assert "&lt;b&gt;not bold&lt;/b&gt;" in dom and "<b>" not in dom
    assert "test ontology &lt;with&gt; markup &amp; more" in dom
