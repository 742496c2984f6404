#!/usr/bin/env python3
"""Writes N interaction rows for the customers of a kith folder, as CSV, for
timing `kith import`: deterministic for a seed.

    python3 benches/import_rows.py DIR N > rows.csv
"""
import csv
import os
import random
import sys


def main(root, n, seed=7):
    ids = sorted(
        name[:-5]
        for folder, dirs, files in os.walk(root)
        if not os.path.basename(folder).startswith(".")
        for name in files
        if name.endswith(".yaml") and name != "kith.yaml" and not name.startswith(".")
    )
    rng = random.Random(seed)
    out = csv.writer(sys.stdout, lineterminator="\r\n")
    out.writerow(["id", "date", "kind", "summary", "amount"])
    for i in range(n):
        kind = rng.choice(["call", "email", "purchase", "visit"])
        amount = f"{rng.randint(100, 500000) / 100:.2f}" if kind == "purchase" else ""
        day = f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"
        out.writerow([rng.choice(ids), day, kind, f"imported row {i}", amount])


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
