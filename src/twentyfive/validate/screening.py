"""The compiled engine's whole run: every check's rows in a few passes over the graph.

Run one by one, the checks of a shape each join its focus nodes with a path again: at 27,519
people that is a few hundred queries of a quarter second each. The rows are the same when the
checks are grouped:

- **flags**: a check that reports a focus node at most once, without a value — a count below
  its minimum (``sh:minCount``, ``sh:qualifiedMinCount``), a missing ``sh:hasValue``, a test on
  the focus node itself — is one boolean expression of ``?focus``; the flags of the checks on
  the same target are one query, one pass over the focus nodes.
- **screens**: a test on the values along a path (``sh:datatype``, ``sh:pattern``, …), a count
  above its maximum and ``sh:uniqueLang`` look at the statements along the path, in the whole
  graph — a scan, much cheaper than a join with the focus nodes. The screen finds every node
  that could violate (usually none); each check then runs its own query on those nodes only.
  Checks on the same path share one screen, whatever their targets.
- a check with neither (a count above what a flag can join, a test along a path of unbounded
  length) runs its own query over the whole graph.

Whichever way, a check's rows are exactly those of its own query over the whole graph
(tests/validate/test_screening.py holds the two equal).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import pyoxigraph as ox

from twentyfive.graph import KnowledgeGraph

if TYPE_CHECKING:
    from twentyfive.validate.compiled import Check, Screen

Node = ox.NamedNode | ox.BlankNode | ox.Literal
#: A row: the focus node, and the value when the check reports one.
Row = tuple[Node, Node | None]

#: Past this many nodes found by a screen, the check's query runs over the whole graph rather
#: than restricted by a VALUES block that long.
MOST_SCREENED = 2000


def violations(kg: KnowledgeGraph, checks: list[Check]) -> list[list[Row]]:
    """The rows of each check's query over the whole graph, in the order of ``checks``."""
    found: list[list[Row]] = [[] for _ in checks]
    _flags(kg, checks, found)
    screened = _screens(kg, checks)
    for index, check in enumerate(checks):
        if check.flag is not None:
            continue
        nodes = screened.get(index) if check.screen is not None else None
        if nodes is not None and not nodes:
            continue
        if nodes is None or len(nodes) > MOST_SCREENED or any(not isinstance(n, ox.NamedNode) for n in nodes):
            found[index] += rows(kg, check)
        else:
            found[index] += rows(kg, check, sorted(n.value for n in nodes))
    return found


def rows(kg: KnowledgeGraph, check: Check, focus: Iterable[str] | None = None) -> Iterator[Row]:
    """The rows of the check's own query (on the focus nodes ``focus`` only, if given)."""
    for row in kg.query(check.sparql(focus)):
        yield row["focus"], row["value"] if check.reports_value else None


# --- flags: one query per target ---------------------------------------------------------


def _flags(kg: KnowledgeGraph, checks: list[Check], found: list[list[Row]]) -> None:
    by_target: dict[str, list[int]] = defaultdict(list)
    for index, check in enumerate(checks):
        if check.flag is not None:
            by_target[check.target.each].append(index)
    for target, indexes in by_target.items():
        # the flags as the bits of one number: one column to read per row
        bits = " + ".join(f"IF(COALESCE({checks[i].flag}, false), {1 << n}, 0)" for n, i in enumerate(indexes))
        query = f"SELECT ?focus ?flags WHERE {{ {target} BIND({bits} AS ?flags) FILTER(?flags > 0) }}"
        seen = set()  # a node typed in two graphs comes twice
        for node, flags in kg.query(query):
            if node in seen:
                continue
            seen.add(node)
            number = int(flags.value)
            for bit, index in enumerate(indexes):
                if number >> bit & 1:
                    found[index].append((node, node if checks[index].reports_value else None))


# --- screens: one pass per path ----------------------------------------------------------


def _screens(kg: KnowledgeGraph, checks: list[Check]) -> dict[int, set[Node]]:
    """The nodes each screened check could report (by the check's index)."""
    by_path: dict[str, dict[int, Screen]] = defaultdict(dict)
    for index, check in enumerate(checks):
        if check.screen is not None:
            by_path[check.screen.path][index] = check.screen
    nodes: dict[int, set[Node]] = {}
    for path, screens in by_path.items():
        nodes.update(_census(kg, path, screens))
        if any(screen.kind == "unique-lang" for screen in screens.values()):
            twice = _languages_twice(kg, path)
            nodes.update((index, twice) for index, screen in screens.items() if screen.kind == "unique-lang")
    return nodes


def _census(kg: KnowledgeGraph, path: str, screens: dict[int, Screen]) -> dict[int, set[Node]]:
    """One pass over the statements along ``path`` that counts, for each test, the values that
    pass it (and for a maximum, the nodes they are about); then a closer look only where a
    count says that a check could fail. Equal tests are counted once."""
    tests: dict[str, str | None] = {}
    maxima: dict[str, int] = {}  # the smallest maximum of each test
    for screen in screens.values():
        if screen.kind in ("value", "max"):
            tests.setdefault(screen.key, screen.test)
        if screen.kind == "max":
            maxima[screen.key] = min(maxima.get(screen.key, screen.count), screen.count)
    if not tests:
        return {}
    passing = {key: f"IF(COALESCE({test}, false), ?focus, ?none)" if test else "?focus" for key, test in tests.items()}
    aggregates = [f"(COUNT({passing[key]}) AS ?rows{n})" for n, key in enumerate(tests)]
    aggregates += [f"(COUNT(DISTINCT {passing[key]}) AS ?nodes{n})" for n, key in enumerate(tests) if key in maxima]
    [counts] = kg.query(f"SELECT {' '.join(aggregates)} WHERE {{ ?focus {path} ?value }}")
    found: dict[str, set[Node]] = {}
    for n, (key, test) in enumerate(tests.items()):
        statements = f"?focus {path} ?value {f'FILTER({test})' if test else ''}"
        rows = int(counts[f"rows{n}"].value)
        if rows == 0:
            found[key] = set()
        elif key not in maxima:  # a value test: the nodes with a value that fails it
            found[key] = {row[0] for row in kg.query(f"SELECT DISTINCT ?focus WHERE {{ {statements} }}")}
        elif maxima[key] >= 1 and rows == int(counts[f"nodes{n}"].value):
            found[key] = set()  # one value per node (a value stated twice counts twice: then look closer)
        else:  # the nodes with more statements than the maximum: those with more values among them
            query = f"SELECT ?focus WHERE {{ {statements} }} GROUP BY ?focus HAVING (COUNT(*) > {maxima[key]})"
            found[key] = {row[0] for row in kg.query(query)}
    return {index: found[screen.key] for index, screen in screens.items() if screen.kind in ("value", "max")}


def _languages_twice(kg: KnowledgeGraph, path: str) -> set[Node]:
    """The nodes with two values along ``path`` in the same language."""
    tagged = (f"?focus {path} ?value FILTER(isLiteral(?value) && lang(?value) != \"\") "
              f"BIND(LCASE(lang(?value)) AS ?language)")
    values = f"SELECT DISTINCT ?focus ?value ?language WHERE {{ {tagged} }}"
    census = f"SELECT (COUNT(*) AS ?values) (COUNT(DISTINCT ?focus) AS ?nodes) WHERE {{ {values} }} GROUP BY ?language"
    if all(row[0].value == row[1].value for row in kg.query(census)):
        return set()  # in each language, one value per node
    query = f"SELECT DISTINCT ?focus WHERE {{ {tagged} }} GROUP BY ?focus ?language HAVING (COUNT(DISTINCT ?value) > 1)"
    return {row[0] for row in kg.query(query)}
