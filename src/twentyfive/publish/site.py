"""``dist/site/``: the build as a static web site, with the rules a web server needs to
answer like ``twentyfive serve`` (303 from ``/id/…``, content negotiation, Link, CORS).

Every file of the build is hard-linked (copied where links fail) — nothing is rendered
again — and the build adds ``robots.txt``, ``sitemap.xml``, ``nginx.conf``, ``.htaccess``
(Apache), ``w3id.htaccess`` with ``W3ID-README.md``, and a ``README.md`` on the limits.

The ``Accept -> extension`` rules come from :mod:`twentyfive.negotiation`: exact entries for
the headers common clients send (each answered by :func:`negotiation.document_variant`
itself), then regular expressions for the rest, which follow the server's algorithm except
that they do not compare ``q``-values other than ``0`` (see ``README.md`` in the output).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from xml.sax.saxutils import escape

from twentyfive import negotiation
from twentyfive.graph import KnowledgeGraph
from twentyfive.namespaces import BASE, KINDS, SLUG_PATTERN
from twentyfive.negotiation import DOCUMENT_VARIANTS, FILE_TYPES, LANGUAGES, Variant
from twentyfive.project import Project

SITE_DIR = "site"
#: Where the site is deployed, for robots.txt, the sitemap and the w3id.org redirects.
#: A placeholder: set ``twentyfive build --site-base URL``.
DEFAULT_SITE_BASE = "https://twentyfive.example.org"
#: The map value of "nothing acceptable" (answer 406).
NONE = "none"
#: What common clients send as ``Accept`` (browsers, curl, RDF libraries); each gets an exact
#: map entry whose answer :func:`negotiation.document_variant` computes.
COMMON_ACCEPT: tuple[str, ...] = (
    "*/*",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",  # Firefox
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",  # Chrome
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",  # Safari
    "application/rdf+xml, text/n3, text/turtle, application/n-triples, application/ld+json, "
    "application/n-quads, application/trig;q=0.9, */*;q=0.1",  # rdflib-like
    "text/turtle,application/n-triples;q=0.9,application/ld+json;q=0.8,"
    "application/rdf+xml;q=0.7,*/*;q=0.1",  # Jena-like
    "application/ld+json, application/json;q=0.9, */*;q=0.1",  # JSON-LD processors
)


def site_writer(kg: KnowledgeGraph, out: Path, project: Project) -> list[Path]:
    """Write ``out/site/`` from what the writers before this one put in ``out``."""
    base = (getattr(project, "site_base", None) or DEFAULT_SITE_BASE).rstrip("/")
    site = out / SITE_DIR
    if site.exists():
        shutil.rmtree(site)
    written = [link_build(out, site)]
    files = {
        "robots.txt": robots(base),
        "sitemap.xml": sitemap(base, site),
        "nginx.conf": nginx_conf(site),
        ".htaccess": apache_htaccess(site),
        "w3id.htaccess": w3id_htaccess(base),
        "README.md": readme(base),
        "W3ID-README.md": w3id_readme(base),
    }
    for name, text in files.items():
        (site / name).write_text(text, encoding="utf-8")
        written.append(site / name)
    return written


def link_build(out: Path, site: Path) -> Path:
    """Hard-link every file of ``out`` (but ``site/`` itself) into ``site``."""
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out)
        if relative.parts[0] == SITE_DIR or not path.is_file():
            continue
        late_link(path, site / relative)
    return site


def late_link(source: Path, target: Path) -> None:
    """One file into the site: a hard link, else a copy (another file system)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def finish_site(out: Path, names: tuple[str, ...]) -> None:
    """Link the files written after the writers (checksums, manifest) into the site too."""
    if (out / SITE_DIR).is_dir():
        for name in names:
            if (out / name).is_file():
                late_link(out / name, out / SITE_DIR / name)


def robots(base: str) -> str:
    return f"User-agent: *\nAllow: /\nDisallow: /sparql\nDisallow: /query\nSitemap: {base}/sitemap.xml\n"


def sitemap(base: str, site: Path) -> str:
    pages = [f"{base}/", f"{base}/ontology.html"] + [
        f"{base}/doc/{kind}/{page.name}"
        for kind in KINDS
        for page in sorted((site / "doc" / kind).glob("*.html"))
        if page.name.count(".") == 1
    ]
    body = ['<?xml version="1.0" encoding="UTF-8"?>']
    body.append('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    body += [f"<url><loc>{escape(u)}</loc></url>" for u in pages[:50_000]]
    return "\n".join(body + ["</urlset>\n"])


# --- Accept rules (PCRE, shared by nginx and Apache) --------------------------------------

_Q_ZERO = r"q=0(?:\.0{0,3})?\s*(?:;|,|$)"
#: parameters of a range that neither exclude it (q=0) nor ask for a charset other than UTF-8
_PARAMS = r"(?:\s*;(?!\s*" + _Q_ZERO + r")(?!\s*charset=\x22?(?!utf-?8)\w)[^;,]*)*"


def _types(media_types: tuple[str, ...] | list[str]) -> str:
    return "(?:" + "|".join(re.escape(t).replace("/", "/") for t in media_types) + ")"


def _range(media_types) -> str:
    """A range naming one of ``media_types`` that counts (``q`` not 0, charset UTF-8)."""
    return r"\s*" + _types(media_types) + _PARAMS + r"\s*(?:,|$)"


def _first(media_types, before) -> str:
    """``media_types`` listed, with no range of ``before`` listed earlier."""
    return r"^(?:(?!" + _range(before) + r")[^,]*,)*" + _range(media_types)


def _excluded(variant: Variant) -> str:
    """Lookahead: the header lists one of the variant's own types with ``q=0``."""
    return r"(?=(?:.*,)?\s*" + _types(variant.media_types) + r"\s*;[^,]*?" + _Q_ZERO + ")"


def accept_rules() -> list[tuple[str, str, bool]]:
    """``(pattern, extension, is_regex)`` in the order to try them; ``NONE`` means 406."""
    rules: list[tuple[str, str, bool]] = [("", DOCUMENT_VARIANTS[0].extension, False)]
    for header in dict.fromkeys(COMMON_ACCEPT):
        variant = negotiation.document_variant(header)
        rules.append((header, variant.extension if variant else NONE, False))
    ours = [t for v in DOCUMENT_VARIANTS for t in v.media_types]
    for variant in DOCUMENT_VARIANTS:  # the first of our types listed with q > 0
        rules.append((_first(variant.media_types, ours), variant.extension, True))
    wildcards = ["*/*", *dict.fromkeys(t.split("/")[0] + "/*" for t in ours)]
    for wildcard in wildcards:  # else the first wildcard listed, minus what q=0 excludes
        kind = wildcard.split("/")[0]
        candidates = [
            v
            for v in DOCUMENT_VARIANTS
            if kind == "*" or any(t.startswith(kind + "/") for t in v.media_types)
        ]
        for index, variant in enumerate(candidates):
            lookaheads = "".join(_excluded(v) for v in candidates[:index])
            lookaheads += "(?!" + _excluded(variant)[3:]
            rules.append(
                ("^" + lookaheads + _first([wildcard], wildcards)[1:], variant.extension, True)
            )
    return rules


def language_rules() -> list[tuple[str, str]]:
    """``Accept-Language`` regex -> file-name suffix (``""`` for the default language)."""
    tags = [rf"{lang}(?:-[\w-]*)?" for lang in LANGUAGES]
    return [
        (_first_tag(lang, tags), "" if lang == LANGUAGES[0] else f".{lang}")
        for lang in LANGUAGES[1:]
    ]


def _first_tag(language: str, tags: list[str]) -> str:
    def tag(names: str) -> str:
        return r"\s*(?:" + names + ")" + _PARAMS + r"\s*(?:,|$)"

    return r"^(?:(?!" + tag("|".join(tags)) + r")[^,]*,)*" + tag(rf"{language}(?:-[\w-]*)?")


# --- nginx ---------------------------------------------------------------------------------

_KINDS = "|".join(KINDS)
_ID = rf"^/id/(?<kind>{_KINDS})/(?<slug>{SLUG_PATTERN})$"
_DOC = rf"^/doc/(?<kind>{_KINDS})/(?<slug>{SLUG_PATTERN})"
_CORS = (
    "add_header Access-Control-Allow-Origin * always;\n"
    "add_header Access-Control-Expose-Headers "
    '"Link, ETag, Location, Content-Location, Vary" always;\n'
)


def _q(text: str) -> str:
    """A quoted nginx string (our patterns hold no quote and no backslash-t/n/r)."""
    if '"' in text or "\\\\" in text:
        raise ValueError(f"cannot quote {text!r} for nginx")
    return f'"{text}"'


def _links(stem: str) -> str:
    from twentyfive.serve.http import document_links

    return "add_header Link '" + document_links(stem) + "';\n"


def _headers(*, vary: str = "$tf_vary", language: bool = False, link: str | None = None) -> str:
    lines = _CORS + 'add_header Cache-Control "public, max-age=3600";\n'
    lines += (
        f'add_header Vary "{vary}" always;\nadd_header Content-Location $tf_content_location;\n'
    )
    if language:
        lines += "add_header Content-Language $tf_language;\n"
    return lines + (_links(link) if link else "")


def _indent(text: str, depth: int = 1) -> str:
    pad = "    " * depth
    return "".join(pad + line + "\n" if line else "\n" for line in text.splitlines())


def _redirect_locations(site: Path) -> str:
    import json

    from twentyfive.publish.redirects import REDIRECTS_FILE

    path = site / REDIRECTS_FILE
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    blocks = []
    for old, new in data.get("moved", {}).items():
        target = "/" + new[len(BASE) :] if new.startswith(BASE) else new
        blocks.append(f"location = /{old[len(BASE) :]} {{ return 301 {target}; }}")
    for old in data.get("gone", {}):
        stem = old[len(BASE) :].replace("id/", "doc/", 1)
        blocks.append(f"location = /{old[len(BASE) :]} {{ return 410; }}")
        blocks.append(f'location ~ "^/{re.escape(stem)}(\\.|$)" {{ return 410; }}')
    return "\n".join(blocks)


def nginx_conf(site: Path) -> str:
    """Maps and a ``server`` block, to ``include`` inside nginx's ``http {}``."""
    accept = "\n".join(
        f"    {_q(('~*' if is_regex else '') + pattern)} {ext};"
        for pattern, ext, is_regex in accept_rules()
    )
    languages = "\n".join(f"    {_q('~*' + p)} {_q(suffix)};" for p, suffix in language_rules())
    types = "\n".join(
        f"        {ctype.split(';')[0]} {ext};" for ext, ctype in sorted(FILE_TYPES.items())
    )
    charset_types = " ".join(
        sorted({c.split(";")[0] for c in FILE_TYPES.values() if "charset" in c} - {"text/html"})
    )
    doc_links = "/doc/$kind/$slug"
    language_names = "\n".join(f'    ".{lang}" {lang};' for lang in LANGUAGES[1:])
    return f"""# twentyfive: nginx rules that answer like `twentyfive serve` (generated by the build).
# Include this file inside http {{ }}; set `listen`, `server_name` and `root` (the folder
# holding this file). /sparql, /query, /search, /reconcile need `twentyfive serve` (proxy_pass).
# Limits of the Accept rules: see README.md beside this file.

map_hash_bucket_size 256;  # the exact Accept headers are long; drop if set elsewhere
map $http_accept $tf_ext {{
    default {NONE};
{accept}
}}
map $http_accept_language $tf_language_suffix {{
    default "";
{languages}
}}
map $tf_language_suffix $tf_language {{
    default {LANGUAGES[0]};
{language_names}
}}
map $tf_negotiated $tf_vary {{ default ""; accept "Accept"; }}
map $tf_negotiated $tf_content_location {{ default ""; accept $uri; }}
map $tf_negotiated $tf_html_vary {{ default "Accept-Language"; accept "Accept, Accept-Language"; }}

server {{
    listen 8080;
    server_name _;
    root /srv/twentyfive/site;
    absolute_redirect off;
    server_tokens off;
    etag on;
    types {{
{types}
    }}
    default_type application/octet-stream;
    charset utf-8;
    charset_types {charset_types};
    set $tf_negotiated "";

{_indent(_redirect_locations(site))}
    location ~ "{_ID}" {{
        add_header Vary Accept always;
{_indent(_CORS, 2)}        if (!-f $document_root/doc/$kind/$slug.ttl) {{ return 404; }}
        if ($tf_ext = {NONE}) {{ return 406; }}
        return 303 /doc/$kind/$slug.$tf_ext;
    }}
    location ~ "{_DOC}$" {{
        add_header Vary Accept always;
{_indent(_CORS, 2)}        if (!-f $document_root/doc/$kind/$slug.ttl) {{ return 404; }}
        if ($tf_ext = {NONE}) {{ return 406; }}
        set $tf_negotiated accept;
        rewrite ^ /doc/$kind/$slug.$tf_ext last;
    }}
    location ~ "{_DOC}\\.html$" {{
{_indent(_headers(vary="$tf_html_vary", language=True, link=doc_links), 2)}        try_files /doc/$kind/$slug$tf_language_suffix.html $uri =404;
    }}
    location ~ "{_DOC}\\.{LANGUAGES[0]}\\.html$" {{
{_indent(_headers(link=doc_links), 2)}        try_files /doc/$kind/$slug.html =404;
    }}
    location ~ "{_DOC}\\.(?<lang>[a-z]+)\\.html$" {{
{_indent(_headers(link=doc_links), 2)}        add_header Content-Language $lang;
        try_files $uri =404;
    }}
    location ~ "{_DOC}\\.[a-z]+$" {{
{_indent(_headers(link=doc_links), 2)}        try_files $uri =404;
    }}
    location = /ontology {{
        add_header Vary Accept always;
{_indent(_CORS, 2)}        if ($tf_ext = {NONE}) {{ return 406; }}
        return 303 /ontology.$tf_ext;
    }}
    location ~ "^/ontology\\.[a-z]+$" {{
{_indent(_headers(link="/ontology"), 2)}        try_files $uri =404;
    }}
    location = / {{
{_indent(_headers(vary="Accept-Language", language=True), 2)}        try_files /index$tf_language_suffix.html /index.html =404;
    }}
    location ~ "^/(?<stem>[A-Za-z0-9_-]+)\\.{LANGUAGES[0]}\\.html$" {{
{_indent(_headers(), 2)}        try_files /$stem.html =404;
    }}
    location ~ "^/(?:\\.well-known/)?void$" {{
{_indent(_headers(vary="Accept"), 2)}        try_files /void.ttl =404;
    }}
    location ~ /\\. {{ return 404; }}
    # the dynamic parts: proxy them to `twentyfive serve` (404 here until you do)
    # location ~ "^/(sparql|query|search|reconcile)(/|$)" {{ proxy_pass http://127.0.0.1:8025; }}
    location / {{
{_indent(_headers(), 2)}        try_files $uri =404;
    }}
}}
"""


_STANDALONE = """daemon off;
master_process off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/site.conf;
}}
"""


def standalone_nginx(site: Path, prefix: Path, port: int) -> Path:
    """A complete nginx configuration in ``prefix`` serving ``site`` on ``127.0.0.1:port``
    in the foreground (``nginx -c <returned path> -p <prefix>``): the generated
    ``nginx.conf`` with its ``listen`` and ``root`` set. For tests, benchmarks, a quick look."""
    text = (site / "nginx.conf").read_text(encoding="utf-8")
    text, listens = re.subn(r"listen \d+;", f"listen 127.0.0.1:{port};", text)
    text, roots = re.subn(r"root /srv/twentyfive/site;", f"root {site.resolve()};", text)
    if (listens, roots) != (1, 1):
        raise ValueError(f"{site / 'nginx.conf'} lacks the listen and root lines to set")
    prefix.mkdir(parents=True, exist_ok=True)
    (prefix / "site.conf").write_text(text, encoding="utf-8")
    main = prefix / "nginx.conf"
    main.write_text(_STANDALONE.format(prefix=prefix.resolve()), encoding="utf-8")
    return main


# --- Apache and w3id.org ---------------------------------------------------------------------


def _apache_accept() -> str:
    lines = [f"RewriteRule ^ - [E=TF_EXT:{NONE}]", "RewriteRule ^ - [E=TF_DONE:0]"]
    for pattern, ext, is_regex in accept_rules():
        condition = f'"{pattern}" [NC]' if is_regex else f'"={pattern}"'
        if pattern == "":
            condition = '"^$"'
        lines += [
            "RewriteCond %{ENV:TF_DONE} =0",
            f"RewriteCond %{{HTTP:Accept}} {condition}",
            f"RewriteRule ^ - [E=TF_EXT:{ext},E=TF_DONE:1]",
        ]
    return "\n".join(lines)


def _apache_languages() -> str:
    return "\n".join(
        "RewriteCond %{ENV:REDIRECT_TF_EXPLICIT} !=1\n"  # not after <page>.en.html
        f'RewriteCond %{{HTTP:Accept-Language}} "{pattern}" [NC]\n'
        f"RewriteCond %{{DOCUMENT_ROOT}}/$1{suffix}.html -f\n"
        f"RewriteRule ^(doc/.+|index)\\.html$ /$1{suffix}.html [L]"
        for pattern, suffix in language_rules()
    )


def apache_htaccess(site: Path) -> str:
    """mod_rewrite + mod_headers rules for the site's root folder (``AllowOverride All``)."""
    types = "\n".join(
        f"AddType {ctype.replace(' ', '')} .{ext}" for ext, ctype in sorted(FILE_TYPES.items())
    )
    return f"""# twentyfive: Apache rules that answer like `twentyfive serve` (generated by the build).
# Needs mod_rewrite, mod_headers, mod_mime and AllowOverride All. Limits: README.md.
Options -MultiViews -Indexes
RewriteEngine On
{types}
Header always set Access-Control-Allow-Origin "*"
Header always set Access-Control-Expose-Headers "Link, ETag, Location, Content-Location, Vary"
Header set Cache-Control "public, max-age=3600"

{_apache_accept()}

# the thing: 303 to its negotiated document (404 for an unknown thing, 406 for no format)
RewriteCond %{{DOCUMENT_ROOT}}/doc/$1/$2.ttl !-f
RewriteRule ^id/({_KINDS})/({SLUG_PATTERN})$ - [R=404,L]
RewriteCond %{{ENV:TF_EXT}} ={NONE}
RewriteRule ^(?:id|doc)/({_KINDS})/({SLUG_PATTERN})$ - [R=406,L,E=TF_VARY:1]
RewriteRule ^id/({_KINDS})/({SLUG_PATTERN})$ /doc/$1/$2.%{{ENV:TF_EXT}} [R=303,L,E=TF_VARY:1]
RewriteRule ^ontology$ /ontology.%{{ENV:TF_EXT}} [R=303,L,E=TF_VARY:1]
# the document without extension: the negotiated file, with Content-Location
RewriteRule ^doc/({_KINDS})/({SLUG_PATTERN})$ /doc/$1/$2.%{{ENV:TF_EXT}} [L,E=TF_VARY:1,E=TF_CL:/doc/$1/$2.%{{ENV:TF_EXT}}]
# pages: the reader's language; <page>.en.html is <page>.html
RewriteRule ^(.+)\\.{LANGUAGES[0]}\\.html$ /$1.html [L,E=TF_EXPLICIT:1]
{_apache_languages()}
RewriteRule ^$ /index.html [L]
Header always append Vary Accept env=REDIRECT_TF_VARY
Header always append Vary Accept env=TF_VARY
Header set Content-Location %{{REDIRECT_TF_CL}}e env=REDIRECT_TF_CL
<FilesMatch "\\.html$">
    Header append Vary Accept-Language
</FilesMatch>
"""


def w3id_htaccess(base: str) -> str:
    """The ``.htaccess`` for ``https://w3id.org/twentyfive/``: 303 by Accept to ``base``."""
    return f"""# twentyfive at w3id.org: redirect the permanent IRIs to the deployment at
# {base} (set with `twentyfive build --site-base URL`).
Options +FollowSymLinks
RewriteEngine on

{_apache_accept()}

RewriteCond %{{ENV:TF_EXT}} ={NONE}
RewriteRule ^id/({_KINDS})/({SLUG_PATTERN})$ {base}/id/$1/$2 [R=303,L]
RewriteRule ^id/({_KINDS})/({SLUG_PATTERN})$ {base}/doc/$1/$2.%{{ENV:TF_EXT}} [R=303,L]
RewriteCond %{{ENV:TF_EXT}} !={NONE}
RewriteRule ^ontology$ {base}/ontology.%{{ENV:TF_EXT}} [R=303,L]
RewriteRule ^(.*)$ {base}/$1 [R=302,L]
"""


def readme(base: str) -> str:
    exact = "\n".join(f"- `{h}`" for h in dict.fromkeys(COMMON_ACCEPT))
    return f"""# Static publication of twentyfive

This folder is the build as a static web site: every document in every format, the HTML
pages, the dumps, the dataset description, the ontology, `robots.txt` and `sitemap.xml`
(for `{base}` — a placeholder unless the build was given `--site-base URL`).

- `nginx.conf`: maps and a `server` block to include in nginx's `http {{}}`; set `listen`,
  `server_name` and `root` (this folder). nginx's own ETag and Last-Modified.
- `.htaccess`: the same rules for Apache (mod_rewrite, mod_headers, `AllowOverride All`).
- `w3id.htaccess` and `W3ID-README.md`: the permanent IRIs at w3id.org.

The nginx rules are tested against `twentyfive serve` under real nginx; the Apache and
w3id.org rules use the same patterns but no Apache runs in the tests: check them once with
`curl -sI -H 'Accept: text/turtle' <host>/id/<kind>/<slug>` after deploying.

`/sparql`, `/query`, `/search` and `/reconcile` are not static: proxy them to
`twentyfive serve` (a commented `proxy_pass` is in `nginx.conf`).

## Where the static rules differ from `twentyfive serve`

Web-server maps cannot parse `Accept` the way RFC 9110 says. The rules are generated from
the server's own negotiation (`twentyfive.negotiation`):

1. These headers, which common clients send, are answered exactly as the server answers:
{exact}
2. For any other header: the first of our media types listed with a `q` other than 0 (and
   no charset but UTF-8) wins; **other `q`-values are not compared**, so
   `application/ld+json;q=0.5, text/turtle;q=0.9` gets JSON-LD where the server sends
   Turtle. Without one of our types, the first wildcard listed (`*/*`, `text/*`,
   `application/*`) gives the server's first variant it does not exclude with `q=0`.
3. A header that names nothing acceptable gets `406`, like the server; a header that does
   not parse at all also gets `406` (the server reads it as `*/*`).
4. `Accept-Language` likewise: the first of our languages listed wins.
5. `/void` and `/.well-known/void` send Turtle whatever the `Accept` (the server
   negotiates the RDF formats there).
"""


def w3id_readme(base: str) -> str:
    return f"""# Registering https://w3id.org/twentyfive/

The IRIs of the graph are `https://w3id.org/twentyfive/id/<kind>/<slug>`. w3id.org keeps
one folder per namespace in the repository https://github.com/perma-id/w3id.org, each with
an `.htaccess` that redirects to where the data really lives.

1. Build with the deployment's address: `twentyfive build --site-base https://your.host`
   (now: `{base}`; `https://twentyfive.example.org` is a placeholder that must be changed).
2. Fork https://github.com/perma-id/w3id.org and add the folder `twentyfive/` holding
   `w3id.htaccess` from this folder renamed to `.htaccess`, and a `README.md` naming the
   maintainers (name, e-mail, GitHub account), as every namespace there does.
3. Open a pull request titled "add twentyfive"; once merged, check with
   `curl -sI -H 'Accept: text/turtle' https://w3id.org/twentyfive/id/person/<slug>`
   (expect `303` to `{base}/doc/person/<slug>.ttl`).

The rules send `/id/...` with `303` to the negotiated document (the same Accept rules as
the site; see README.md), `/ontology` likewise, and every other path with `302` to the same
path on the deployment host.
"""
