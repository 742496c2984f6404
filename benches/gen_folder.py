#!/usr/bin/env python3
"""Writes a synthetic kith folder for timing whole-folder reports.

    python3 benches/gen_folder.py DIR [CUSTOMERS] [PURCHASES]

CUSTOMERS customer files (default 25,000) sharing PURCHASES purchases
(default 75,000, three per customer on average), plus a call or a visit
each, an acquisition cost on every third one and a deal on every fifth.
The output depends only on the arguments (fixed seed), so timings compare.
"""

import datetime
import os
import random
import sys


def main():
    out = sys.argv[1]
    customers = int(sys.argv[2]) if len(sys.argv) > 2 else 25_000
    purchases = int(sys.argv[3]) if len(sys.argv) > 3 else 75_000
    rng = random.Random(20261123)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "kith.yaml"), "w") as f:
        f.write("currency: CNY\ncosts: {call: 5, visit: 120, support: 40}\n")
    counts = [0] * customers
    for _ in range(purchases):
        counts[rng.randrange(customers)] += 1
    start = datetime.date(2024, 1, 1)
    for n, count in enumerate(counts):
        lines = [f"name: Customer {n}", "tags: [synthetic]"]
        if n % 3 == 0:
            lines.append(f"acquisition_cost: {rng.randrange(50, 900)}.00")
        if n % 5 == 0:
            lines += [
                "deals:",
                f"  - id: d{n}",
                "    value: 5000.00",
                "    stage: proposal",
                "    history:",
                "      - {stage: met, date: 2026-03-02}",
                "      - {stage: proposal, date: 2026-04-01}",
            ]
        events = [
            (start + datetime.timedelta(days=rng.randrange(1000)), "purchase", rng.randrange(10, 50_000))
            for _ in range(count)
        ]
        events.append((start + datetime.timedelta(days=rng.randrange(1000)), rng.choice(["call", "visit"]), None))
        events.sort()
        lines.append("interactions:")
        for day, kind, amount in events:
            extra = f", amount: {amount}.00" if amount else ""
            lines.append(f"  - {{date: {day.isoformat()}, kind: {kind}{extra}}}")
        with open(os.path.join(out, f"c{n:06}.yaml"), "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
