"""The search index: ``search.json`` in an in-memory SQLite FTS5 table, and the ranking.

FTS5 finds the candidates: the names holding every folded word of the query (initials, and
the last word when autocompleting, as prefixes), or if there are none, the names holding
any of them (the best 500 by BM25). Each candidate is then scored 0–100 against its best
name by :func:`score_name`:

====  ================================================================================
100   a name equals the query (after folding: case, marks, script, spelling variants)
 95   the same words in another order ("Шолохов Михаил Александрович")
 90+  a person's surname, with matching given names or initials ("Sholokhov, M. A.")
≤ 80  some words match: 80 × (share of query words)² × (½ + ½ × share of name words)
====  ================================================================================
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from twentyfive.publish.search import NAME_PROPERTIES
from twentyfive.search.normalize import content_tokens, name_order, tokens

#: Names that may stand for the display label (the alternative ones never do).
_DISPLAY = NAME_PROPERTIES[:3]
PERSON_TYPES = frozenset({"http://schema.org/Person", "http://xmlns.com/foaf/0.1/Person"})
#: Names scored per query at most (the best by BM25).
MAX_CANDIDATES = 500


@dataclass(frozen=True)
class Entity:
    """One record of ``search.json``."""

    id: str
    kind: str
    names: tuple[tuple[str, str, str], ...]  # (text, language, property)
    types: tuple[str, ...]
    description: dict[str, str]
    values: dict[str, list[str]]

    def label(self, language: str = "en") -> str:
        shown = [n for n in self.names if n[2] in _DISPLAY] or list(self.names)
        for wanted in (language, "en", None):
            for text, lang, _ in shown:
                if wanted is None or lang == wanted:
                    return text
        return self.id

    @property
    def is_person(self) -> bool:
        return self.kind == "person" or bool(PERSON_TYPES.intersection(self.types))

    @property
    def path(self) -> str:
        """The path of its IRI on any host: ``/id/<kind>/<slug>[#part]``."""
        return "/id/" + self.id.split("/id/", 1)[1]


@dataclass(frozen=True)
class Hit:
    entity: Entity
    score: float
    name: str  # the name that matched best

    @property
    def exact(self) -> bool:
        return self.score >= 100


@dataclass(frozen=True)
class Query:
    """A query string, folded once."""

    text: str
    words: list[str]
    reordered: list[str]
    prefix: bool = False

    @classmethod
    def of(cls, text: str, *, prefix: bool = False) -> Query:
        return cls(text, tokens(text), tokens(name_order(text)), prefix)


def score_name(query: Query, name: str | list[str], *, person: bool) -> float:
    """How well ``name`` (text, or its folded words) answers ``query``, 0–100 (see the
    module docstring)."""
    words = tokens(name) if isinstance(name, str) else name
    if not query.words or not words:
        return 0.0
    if query.words == words or query.reordered == words:
        return 100.0
    if sorted(content_tokens(query.words)) == sorted(content_tokens(words)):
        return 95.0
    best = 0.0
    if person and len(words) >= 2:
        best = _person_score(query, words)
    asked, offered = content_tokens(query.words), content_tokens(words)
    matched = 0
    for position, word in enumerate(asked):
        last = position == len(asked) - 1
        if word in offered or (
            (len(word) == 1 or (query.prefix and last)) and any(o.startswith(word) for o in offered)
        ):
            matched += 1
    share_asked = matched / len(asked)
    share_offered = min(1.0, matched / len(offered))
    return round(max(best, 80 * share_asked**2 * (0.5 + 0.5 * share_offered)), 1)


def _person_score(query: Query, words: list[str]) -> float:
    """A surname alone (90), or with given names or initials that agree with the name's (93)."""
    if "," in query.text:
        surname_part, given_part = query.text.split(",", 1)
        surname, given = tokens(surname_part), tokens(given_part)
    else:
        surname, given = query.words[-1:], query.words[:-1]
    name_surname, name_given = words[-len(surname) :], words[: -len(surname)]
    if surname != name_surname or len(given) > len(name_given):
        return 0.0
    for asked, offered in zip(given, name_given, strict=False):
        if asked != offered and not (len(asked) == 1 and offered.startswith(asked)):
            return 0.0
    return 93.0 if given else 90.0


class SearchIndex:
    """Names of every entity, searchable; one per app, safe to share between threads."""

    def __init__(self, records: dict):
        self.entities = [
            Entity(
                r["id"],
                r["kind"],
                tuple(tuple(n) for n in r["names"]),
                tuple(r["types"]),
                r["description"],
                r["values"],
            )
            for r in records["entities"]
        ]
        self.by_id = {e.id: e for e in self.entities}
        self.types: dict[str, dict[str, str]] = records.get("types", {})
        self.properties: dict[str, dict[str, str]] = records.get("properties", {})
        self._rows: list[tuple[int, int, list[str]]] = []  # rowid - 1 → (entity, name, words)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            "CREATE VIRTUAL TABLE names USING fts5(words, tokenize='unicode61', prefix='1 2 3')"
        )
        rows = []
        for e_index, entity in enumerate(self.entities):
            for n_index, (text, _, _) in enumerate(entity.names):
                words = tokens(text)
                self._rows.append((e_index, n_index, words))
                rows.append((len(self._rows), " ".join(words)))
        self._db.executemany("INSERT INTO names(rowid, words) VALUES (?, ?)", rows)

    @classmethod
    def from_file(cls, path: Path) -> SearchIndex:
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def search(
        self,
        text: str,
        *,
        kinds: set[str] | None = None,
        types: set[str] | None = None,
        limit: int = 10,
        prefix: bool = False,
    ) -> list[Hit]:
        """The best entities for ``text``, best first; only those of ``kinds`` or ``types``
        when given (an entity passes if it is of any of them)."""
        query = Query.of(text, prefix=prefix)
        best: dict[int, Hit] = {}
        for e_index, n_index, words in self._candidates(query):
            entity = self.entities[e_index]
            if (kinds or types) and not (
                (kinds and entity.kind in kinds) or (types and types.intersection(entity.types))
            ):
                continue
            name = entity.names[n_index][0]
            score = score_name(query, words, person=entity.is_person)
            if score > 0 and (e_index not in best or score > best[e_index].score):
                best[e_index] = Hit(entity, score, name)
        ranked = sorted(best.values(), key=lambda h: (-h.score, h.entity.label(), h.entity.id))
        return ranked[: max(0, limit)]

    def _candidates(self, query: Query) -> list[tuple[int, int, list[str]]]:
        """Names holding every word of the query; when there are none, the best of those
        holding any word (by BM25)."""
        found: dict[int, None] = {}
        for spelling in {tuple(query.words), tuple(query.reordered)}:
            if spelling:
                found.update(dict.fromkeys(self._match(" AND ".join(_terms(query, spelling)))))
        if not found and query.words:
            words = sorted(set(query.words + query.reordered))
            found.update(dict.fromkeys(self._match(" OR ".join(_terms(query, words)))))
        return [self._rows[rowid - 1] for rowid in found]

    def _match(self, expression: str) -> list[int]:
        with self._lock:
            rows = self._db.execute(
                "SELECT rowid FROM names WHERE names MATCH ? ORDER BY rank LIMIT ?",
                (expression, MAX_CANDIDATES),
            ).fetchall()
        return [rowid for (rowid,) in rows]


def _terms(query: Query, words) -> list[str]:
    """FTS5 terms: initials (and the last word when autocompleting) match as prefixes."""
    last = query.words[-1] if query.words else ""
    return [f'"{w}"*' if len(w) == 1 or (query.prefix and w == last) else f'"{w}"' for w in words]
