"""Search index at the size of the full roster: build time and query time, printed.

    python bench/search.py [N]      (default 27,519 synthetic people, three names each)

Names are made from a few Russian given names, patronymics and surnames, in Cyrillic, in
Latin and surname-first, so many share words (the hard case for candidate retrieval).
"""

from __future__ import annotations

import random
import sys
import time

from twentyfive.search.index import SearchIndex

GIVEN = ["Иван", "Пётр", "Семён", "Михаил", "Анна", "Мария", "Фёдор", "Юрий", "Николай", "Елена"]
PATRONYMIC = ["Иванович", "Петрович", "Семёнович", "Александрович", "Николаевна", "Юрьевна"]
SURNAME = ["Шолохов", "Давыдов", "Кузнецов", "Хрущёв", "Щукин", "Яковлев", "Цветков", "Жуков"]


def records(n: int) -> dict:
    rng = random.Random(25000)
    entities = []
    for i in range(n):
        g, p, s = rng.choice(GIVEN), rng.choice(PATRONYMIC), f"{rng.choice(SURNAME)}{i}"
        names = [[f"{g} {p} {s}", "ru", "http://www.w3.org/2000/01/rdf-schema#label"],
                 [f"{s}, {g}", "ru", "http://www.w3.org/2004/02/skos/core#altLabel"]]  # fmt: skip
        entities.append(
            {"id": f"https://w3id.org/twentyfive/id/person/p{i}", "kind": "person",
             "names": names, "types": ["http://schema.org/Person"], "description": {},
             "values": {}}
        )  # fmt: skip
    return {"entities": entities, "types": {}, "properties": {}}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 27_519
    data = records(n)
    started = time.perf_counter()
    index = SearchIndex(data)
    print(f"{n} people, {2 * n} names: index built in {time.perf_counter() - started:.2f} s")
    exact = data["entities"][17]["names"][0][0]
    for label, query, prefix in [
        ("exact full name", exact, False),
        ("surname, transliterated", "sholokhov17", False),
        ("surname, initials", f"{exact.split()[-1]}, {exact[0]}.", False),
        ("common given name only", "Ivan", False),
        ("autocomplete, 3 letters", "sho", True),
    ]:
        rounds = 50
        started = time.perf_counter()
        for _ in range(rounds):
            hits = index.search(query, prefix=prefix)
        ms = (time.perf_counter() - started) / rounds * 1000
        best = hits[0].score if hits else "-"
        print(f"{label:28} {ms:8.2f} ms per query  ({len(hits)} hits, best {best})")


if __name__ == "__main__":
    main()
