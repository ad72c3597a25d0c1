"""The competency questions in queries/: each returns its expected answer on the built graph.

``queries/<name>.rq`` starts with ``# question: …``; ``<name>.expected.csv`` holds the answer
in the SPARQL 1.1 CSV results format. Rows are compared in order when the query has an
ORDER BY, as a multiset otherwise.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.conftest import ROOT
from twentyfive.store import EmbeddedStore

QUERIES = sorted((ROOT / "queries").glob("*.rq"))


def _rows(data: str) -> tuple[list[str], list[tuple[str, ...]]]:
    reader = csv.reader(io.StringIO(data))
    rows = [tuple(r) for r in reader if r]
    return list(rows[0]) if rows else [], rows[1:]


def test_there_are_enough_competency_questions():
    assert len(QUERIES) >= 12


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_competency_question_returns_its_expected_answer(path: Path, dist):
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# question: "), "the first line states the question"
    expected_path = path.with_suffix(".expected.csv")
    assert expected_path.is_file(), f"{expected_path.name} is missing"
    result = EmbeddedStore.from_dist(dist).query(text)
    if isinstance(result, ox.QueryBoolean):
        assert expected_path.read_text().strip().lower() == str(bool(result)).lower()
        return
    buffer = io.BytesIO()
    result.serialize(buffer, ox.QueryResultsFormat.CSV)
    header, rows = _rows(buffer.getvalue().decode("utf-8"))
    expected_header, expected_rows = _rows(expected_path.read_text(encoding="utf-8"))
    assert header == expected_header
    if "ORDER BY" in text.upper():
        assert rows == expected_rows
    else:
        assert sorted(rows) == sorted(expected_rows)
