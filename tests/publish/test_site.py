"""dist/site/ under real nginx answers like `twentyfive serve`: the same requests, side by side."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.serve.conftest import FIXTURES, free_port, running, running_server, web_dist  # noqa: F401
from tests.serve.test_documents_http import DEREFERENCE, DOC, THING
from tests.tools import require

from twentyfive import formats
from twentyfive.negotiation import DOCUMENT_VARIANTS, FILE_TYPES
from twentyfive.publish.site import accept_rules, standalone_nginx

pytestmark = pytest.mark.external

#: Cases of the server's table the nginx rules answer differently, and why (see the README
#: the build writes into dist/site/). Each is a strict xfail: if nginx ever agrees, it fails.
EXCEPTIONS = {
    "application/ld+json;q=0.5, text/turtle;q=0.9": "nginx maps do not compare q-values "
    "other than 0: the first acceptable range listed wins",
}


def _cases():
    for accept, _, _ in DEREFERENCE:
        marks = ()
        if accept in EXCEPTIONS:
            marks = pytest.mark.xfail(strict=True, reason=EXCEPTIONS[accept])
        yield pytest.param(accept, marks=marks, id=repr(accept))


@pytest.fixture(scope="session")
def nginx(web_dist: Path, tmp_path_factory) -> Iterator[str]:  # noqa: F811
    program = require("nginx", "apt-get install -y nginx")
    prefix = tmp_path_factory.mktemp("nginx")
    port = free_port()
    config = standalone_nginx(web_dist / "site", prefix, port)
    command = [program, "-c", str(config), "-p", str(prefix), "-e", str(prefix / "error.log")]
    with running(command, f"http://127.0.0.1:{port}", "nginx", 20) as base:
        yield base


@pytest.fixture(scope="session")
def both(nginx: str, web_dist: Path) -> Iterator[tuple[httpx.Client, httpx.Client]]:  # noqa: F811
    """nginx over dist/site/ and ``twentyfive serve`` over the same build."""
    with running_server(FIXTURES / "web", web_dist) as server:
        with httpx.Client(base_url=nginx, timeout=10) as static:
            with httpx.Client(base_url=server, timeout=10) as dynamic:
                yield static, dynamic


def _get(client: httpx.Client, path: str, **headers: str | None) -> httpx.Response:
    sent = {k.replace("_", "-"): v for k, v in headers.items() if v is not None}
    return client.get(path, headers=sent)


def _vary(response: httpx.Response) -> set[str]:
    return {v.strip() for v in response.headers.get("vary", "").split(",") if v.strip()}


@pytest.mark.parametrize("accept", list(_cases()))
def test_a_thing_redirects_like_the_server(both, accept):
    answers = [_get(c, THING, Accept=accept) for c in both]
    static, dynamic = answers
    assert (static.status_code, static.headers.get("location")) == (
        dynamic.status_code,
        dynamic.headers.get("location"),
    )
    assert "Accept" in _vary(static)


@pytest.mark.parametrize("accept", list(_cases()))
def test_a_document_without_extension_is_negotiated_like_the_server(both, accept):
    static, dynamic = (_get(c, DOC, Accept=accept) for c in both)
    assert static.status_code == dynamic.status_code
    if dynamic.status_code == 200:
        assert static.headers["content-type"] == dynamic.headers["content-type"]
        assert static.headers["content-location"] == dynamic.headers["content-location"]
        assert static.content == dynamic.content
        assert _vary(static) == _vary(dynamic)


@pytest.mark.parametrize("variant", DOCUMENT_VARIANTS, ids=lambda v: v.name)
def test_every_file_has_the_servers_type_bytes_and_links(both, variant):
    static, dynamic = (_get(c, f"{DOC}.{variant.extension}") for c in both)
    assert static.status_code == dynamic.status_code == 200
    assert static.headers["content-type"] == dynamic.headers["content-type"]
    assert static.content == dynamic.content
    assert static.headers["link"] == dynamic.headers["link"]
    assert static.headers["access-control-allow-origin"] == "*"
    assert static.headers["etag"]  # nginx's own


@pytest.mark.parametrize("fmt", formats.FORMATS, ids=lambda f: f.name)
def test_dumps_have_the_servers_type(both, fmt):
    static, dynamic = (_get(c, f"/twentyfive.{fmt.extension}") for c in both)
    assert static.status_code == dynamic.status_code == 200
    assert static.headers["content-type"] == dynamic.headers["content-type"]
    assert static.content == dynamic.content


@pytest.mark.parametrize(
    "language, accept_language",
    [("en", None), ("ru", "ru-RU,ru;q=0.9"), ("en", "de, en;q=0.5, ru;q=0.1")],
)
def test_pages_follow_accept_language(both, language, accept_language):
    for path in (f"{DOC}.html", "/"):
        static, dynamic = (_get(c, path, Accept_Language=accept_language) for c in both)
        assert static.status_code == dynamic.status_code == 200
        assert static.content == dynamic.content
        assert f'lang="{language}"' in static.text
        assert "Accept-Language" in _vary(static)
    static, dynamic = (_get(c, f"{DOC}.en.html", Accept_Language="ru") for c in both)
    assert static.content == dynamic.content and 'lang="en"' in static.text


@pytest.mark.parametrize(
    "path",
    [
        "/id/person/nobody-here",
        "/id/spaceship/mikhail-sholokhov",
        "/doc/person/nobody-here",
        "/doc/person/nobody-here.ttl",
        "/doc/person/mikhail-sholokhov.exe",
        "/.htaccess",
        "/nowhere",
    ],
)
def test_unknown_paths_are_404_on_both(both, path):
    assert [c.get(path).status_code for c in both] == [404, 404]


def test_ontology_redirects_like_the_server(both):
    for accept in ("text/turtle", "text/html", "application/ld+json"):
        static, dynamic = (_get(c, "/ontology", Accept=accept) for c in both)
        assert static.status_code == dynamic.status_code == 303
        assert static.headers["location"] == dynamic.headers["location"]


def test_the_site_holds_every_file_of_the_build(web_dist):  # noqa: F811
    site = web_dist / "site"
    for path in web_dist.rglob("*"):
        relative = path.relative_to(web_dist)
        if path.is_file() and relative.parts[0] != "site":
            assert (site / relative).read_bytes() == path.read_bytes(), relative
    for name in ("robots.txt", "sitemap.xml", "nginx.conf", ".htaccess", "w3id.htaccess"):
        assert (site / name).is_file()
    assert "twentyfive.example.org" in (site / "W3ID-README.md").read_text()


def test_every_file_type_of_the_server_is_in_the_nginx_types(web_dist):  # noqa: F811
    text = (web_dist / "site" / "nginx.conf").read_text()
    for extension, content_type in FILE_TYPES.items():
        assert f"{content_type.split(';')[0]} {extension};" in text


def test_the_accept_rules_are_valid_regular_expressions():
    for pattern, _, is_regex in accept_rules():
        if is_regex:
            re.compile(pattern, re.IGNORECASE)


def test_the_site_base_goes_into_robots_sitemap_and_w3id_rules(tmp_path):
    from twentyfive.pipeline import build
    from twentyfive.project import Project

    project = Project.at(FIXTURES / "web", tmp_path / "dist")
    project = Project(project.root, project.dist_override, site_base="https://kg.example.net/")
    assert build(project).conforms
    site = tmp_path / "dist" / "site"
    assert "Sitemap: https://kg.example.net/sitemap.xml" in (site / "robots.txt").read_text()
    assert (
        "<loc>https://kg.example.net/doc/person/mikhail-sholokhov.html</loc>"
        in (site / "sitemap.xml").read_text()
    )
    w3id = (site / "w3id.htaccess").read_text()
    assert "https://kg.example.net/doc/$1/$2.%{ENV:TF_EXT} [R=303,L]" in w3id
    assert "example.org" not in w3id
