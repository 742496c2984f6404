#!/usr/bin/env python3
"""The peer a user would otherwise write: profit segmentation of a kith folder
with PyYAML's C loader. Prints the number of customers and class A's size.

    python3 benches/peer_segment.py DIR
"""
import os
import sys
from decimal import Decimal

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def main(root):
    with open(os.path.join(root, "kith.yaml"), encoding="utf-8") as f:
        config = yaml.load(f, Loader=Loader) or {}
    costs = {k: Decimal(str(v)) for k, v in (config.get("costs") or {}).items()}
    rows = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.endswith(".yaml") or name.startswith(".") or name == "kith.yaml":
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                record = yaml.load(f, Loader=Loader)
            revenue = cost = Decimal(0)
            for i in record.get("interactions") or []:
                revenue += Decimal(str(i.get("amount", 0)))
                cost += Decimal(str(i.get("cost", 0))) + costs.get(i.get("kind"), Decimal(0))
            cost += Decimal(str(record.get("acquisition_cost", 0)))
            rows.append((revenue - cost, name[:-5]))
    rows.sort(key=lambda r: (-r[0], r[1]))
    total = sum(p for p, _ in rows if p > 0)
    cumulative, a = Decimal(0), 0
    for profit, _ in rows:
        if profit <= 0 or cumulative >= total * Decimal("0.8"):
            break
        cumulative += profit
        a += 1
    print(f"{len(rows)} customers, {a} in class A")


if __name__ == "__main__":
    main(sys.argv[1])
