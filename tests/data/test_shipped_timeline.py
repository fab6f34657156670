"""The shipped partners: one per government-level joining row of data/events.csv."""

from __future__ import annotations

import csv

from lunar_report.analysis import timeline
from lunar_report.analysis.provenance import reference_events


def test_shipped_partners_are_one_per_government_joining_row(facts):
    joinings = timeline.partner_joinings(reference_events(facts))
    with open(facts.data_dir / "events.csv", newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    government = [
        r for r in rows if (r["category"], r["milestone"], r["scope"]) == ("partner", "joining", "government")
    ]
    countries = {r["actors"].split(";")[0] for r in government}
    assert len(joinings) == len(countries) and set(joinings["country"]) == countries
    assert joinings["start_utc"].is_monotonic_increasing
