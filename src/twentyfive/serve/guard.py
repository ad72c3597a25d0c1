"""What a query may not do on a public endpoint, decided before it runs.

pyoxigraph offers no parsed query to inspect, so the text is tokenised just enough: codepoint
escapes (``\\u0045``) are decoded first, as the SPARQL parser itself does, then strings,
IRIs and comments are blanked out, so that only keywords remain to be looked at. What stays
cannot hide a keyword: ``SERVICE`` in a comment or a string is not a SERVICE clause, and a
SERVICE clause cannot be hidden in a comment or a string.

>>> uses_service('SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }')
True
>>> uses_service('SELECT * { ?s ?p "SERVICE" } # SERVICE')
False
>>> update_keyword('PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }')
'INSERT'
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\s]*>'
    r"|#[^\n]*",
    re.DOTALL,
)
_SERVICE = re.compile(r"(?<![\w:?$\-])SERVICE(?![\w:\-])", re.IGNORECASE)
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<>|BASE\s*<>)\s*)*", re.IGNORECASE)
_UPDATE = re.compile(r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)


def keywords_only(text: str) -> str:
    """The query with escapes decoded and strings, IRIs and comments blanked."""
    decoded = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)

    def blank(match: re.Match[str]) -> str:
        token = match.group(0)
        if token.startswith("<"):
            return "<>"
        if token.startswith("#"):
            return " "
        return '""'

    return _TOKENS.sub(blank, decoded)


def uses_service(text: str) -> bool:
    """True when the query has a ``SERVICE`` clause (federation: it would reach the network)."""
    return bool(_SERVICE.search(keywords_only(text)))


def update_keyword(text: str) -> str | None:
    """The SPARQL Update operation the text starts with (``INSERT``, ``LOAD`` …), else ``None``."""
    rest = _PROLOGUE.sub("", keywords_only(text), count=1)
    match = _UPDATE.match(rest)
    return match.group(1).upper() if match else None
