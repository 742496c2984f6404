#!/usr/bin/env python3
"""Writes the same N customers twice, for timing `kith import --from`: once
in a HubSpot contacts export's layout, once in kith's own columns.
Deterministic for a seed.

    python3 benches/preset_rows.py N hubspot.csv own.csv
"""
import csv
import random
import sys

HUBSPOT = [
    "Record ID", "First Name", "Last Name", "Email", "Phone Number",
    "Mobile Phone Number", "Contact owner", "Lifecycle Stage", "Lead Status",
    "Company Name", "Job Title", "Street Address", "City", "State/Region",
    "Postal Code", "Country/Region", "Website URL", "Original Source",
    "Create Date", "Last Activity Date",
]
OWN = ["name", "kind", "organization", "owner", "source", "email", "phone",
       "address", "website"]
GIVEN = ["Emily", "James", "Mei Ling", "Sophie", "Pyotr", "Amara", "Lucas", "Wei"]
FAMILY = ["Carter", "O'Brien", "Tan", "Martin", "Ivanov", "Okafor", "Silva", "Zhang"]
CITIES = [("Leeds", "West Yorkshire", "United Kingdom"), ("Oakland", "CA", "USA"),
          ("Mumbai", "Maharashtra", "India"), ("Lyon", "", "France")]


def main(n, hubspot_path, own_path, seed=7):
    rng = random.Random(seed)
    with open(hubspot_path, "w", newline="") as h, open(own_path, "w", newline="") as o:
        hub = csv.writer(h, lineterminator="\r\n")
        own = csv.writer(o, lineterminator="\r\n")
        hub.writerow(HUBSPOT)
        own.writerow(OWN)
        for i in range(n):
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            city, region, country = rng.choice(CITIES)
            email = f"{given.lower().replace(' ', '.')}.{i}@example.com"
            phone = f"+1 555 {i:07d}"
            company = f"Company {i % 5000}"
            street = f"{rng.randint(1, 999)} Main St"
            code = f"{rng.randint(10000, 99999)}"
            owner = rng.choice(["li.wei", "ann.lee"])
            source = rng.choice(["Organic Search", "Referrals", "Offline Sources"])
            site = f"https://c{i % 5000}.example.com"
            hub.writerow([i + 1, given, family, email, phone, "", owner, "lead",
                          "New", company, "Buyer", street, city, region, code,
                          country, site, source, "2026-06-01 09:00", ""])
            address = ", ".join(p for p in [street, city, region, code, country] if p)
            own.writerow([f"{given} {family}", "person", company, owner, source,
                          email, phone, address, site])


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3])
