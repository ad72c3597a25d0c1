"""A synthetic roster of personal files, for benchmarks and tests only — never for data/.

    python bench/synthetic_roster.py 27519 --out /tmp/project/data/roster [--seed 1]

Every row is marked synthetic: the archive is ``synthetic`` (so every person's IRI is
``id/person/synthetic-…``) and every name says СИНТЕТИКА / SYNTHETIC. The columns follow
data/roster/roster.csv-metadata.json. The marginals match the shares the primary source gives
for the 23,409 personal files (sources/twenty-five-thousander.wikipedia.txt, lines 13-20):
sex 92.3 / 7.7 %, CPSU 69.9 %, Komsomol 8.6 %, no party 21.5 %, Metal Workers Union approx.
16,000 of 23,409, experience up to 5 years 13 %, 5 to 12 years 39 %, more than 12 years 48 %.
Each attribute is dealt out in exact quotas (largest remainder) and shuffled with the seed, so
the figures computed from a synthetic roster match these shares within rounding.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
METADATA = ROOT / "data" / "roster" / "roster.csv-metadata.json"
STEM = "synthetic"

#: The published shares (per cent of the 23,409), by the roster's codes.
SEX = {"Male": 92.3, "Female": 7.7}
PARTY = {"party": 69.9, "KomsomolMember": 8.6, "NonParty": 21.5}
UNION = {"metal-workers-union": 100 * 16000 / 23409, "": 100 - 100 * 16000 / 23409}
EXPERIENCE = {"under-5": 13.0, "5-to-12": 39.0, "over-12": 48.0}
#: Share of candidates among the party's people in the synthetic rows (the source gives none).
CANDIDATES = 0.1
REGIONS = ["ukrainian-ssr", "north-caucasus", "lower-volga", "middle-volga", "black-earth-region"]
ROLES = ["kolkhoz-chairman", "kolkhoz-board-member"]
_EXPERIENCE_YEARS = {"under-5": (1, 4), "5-to-12": (5, 12), "over-12": (13, 35)}


def quotas(shares: dict[str, float], size: int) -> dict[str, int]:
    """Counts for ``size`` rows with these percentages, summing to ``size`` (largest remainder)."""
    exact = {key: share * size / 100 for key, share in shares.items()}
    counts = {key: int(value) for key, value in exact.items()}
    by_remainder = sorted(exact, key=lambda k: exact[k] - counts[k], reverse=True)
    for key in by_remainder[: size - sum(counts.values())]:
        counts[key] += 1
    return counts


def _dealt(shares: dict[str, float], size: int, rng: random.Random) -> list[str]:
    values = [key for key, count in quotas(shares, size).items() for _ in range(count)]
    rng.shuffle(values)
    return values


def rows(size: int, seed: int = 1) -> list[list[str]]:
    """``size`` synthetic rows in the column order of the roster format."""
    rng = random.Random(seed)
    sex, party = _dealt(SEX, size, rng), _dealt(PARTY, size, rng)
    union, experience = _dealt(UNION, size, rng), _dealt(EXPERIENCE, size, rng)
    out = []
    for i in range(size):
        number = i + 1
        status = party[i]
        if status == "party":
            status = "PartyCandidate" if rng.random() < CANDIDATES else "PartyMember"
        low, high = _EXPERIENCE_YEARS[experience[i]]
        years = rng.randint(low, high)
        born = rng.randint(max(1870, 1929 - years - 30), 1929 - years - 14)
        month = rng.randint(1, 3)
        returned = "" if rng.random() < 0.6 else f"{rng.randint(1931, 1935)}"
        out.append([
            STEM, "1", "1", str(number),
            f"СИНТЕТИКА Рабочий {number}", f"SYNTHETIC Rabochii {number}",
            sex[i], str(born), status, union[i], str(years),
            f"СИНТЕТИКА город {number % 97}", f"СИНТЕТИКА завод {number % 389}",
            REGIONS[rng.randrange(len(REGIONS))], f"СИНТЕТИКА колхоз {number % 1999}",
            ROLES[rng.randrange(len(ROLES))], f"1930-{month:02d}", returned,
        ])
    return out


def write_roster(folder: Path, size: int, seed: int = 1) -> Path:
    """Write ``synthetic.csv`` and its metadata into ``folder``; refuses the repository's data/."""
    folder = folder.resolve()
    if folder.is_relative_to(ROOT / "data"):
        raise SystemExit("refusing to write a synthetic roster into the repository's data/")
    folder.mkdir(parents=True, exist_ok=True)
    metadata = json.loads(METADATA.read_text(encoding="utf-8"))
    metadata["url"] = f"{STEM}.csv"
    metadata["dc:title"] = "SYNTHETIC roster for benchmarks and tests (not historical data)"
    metadata["tft:reliability"] = "C"
    (folder / f"{STEM}.csv-metadata.json").write_text(json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8")
    header = [c["titles"] for c in metadata["tableSchema"]["columns"] if not c.get("virtual")]
    target = folder / f"{STEM}.csv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows(size, seed))
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("size", type=int, help="number of people (rows)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write synthetic.csv into (a project's data/roster/)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    path = write_roster(args.out, args.size, args.seed)
    print(f"wrote {args.size} synthetic rows to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
