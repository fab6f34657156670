"""Timeline queries: spans of coarse dates, windows, milestones, ILRS phases, partners, targets.

On the `known` fixture (tests/fixtures/known/README.md works out each answer); the last test checks
the shipped data against counts taken from its CSV.
"""

from __future__ import annotations

import csv

import pytest

from known import known_facts
from lunar_report.analysis import timeline
from lunar_report.analysis.provenance import reference_events


@pytest.fixture(scope="module")
def known():
    return known_facts()


@pytest.fixture(scope="module")
def events(known):
    return reference_events(known)


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
