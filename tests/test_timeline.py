"""Timeline queries on the fact base: spans of coarse dates, windows, milestones, ILRS phases, partners, targets."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from lunar_report.analysis import timeline
from lunar_report.analysis.provenance import reference_events

AS_OF = pd.Timestamp("2026-11-25", tz="UTC")


@pytest.fixture(scope="module")
def events(facts):
    return reference_events(facts)


def test_month_and_year_dates_are_spans_and_clock_times_are_points(events):
    spans = timeline.with_periods(events).set_index("id")
    assert spans.loc["ilrs-join-serbia", "last_utc"] == pd.Timestamp("2024-06-01", tz="UTC")  # May 2024
    south_africa = spans.loc["ilrs-join-south-africa"]  # known to the day: a point at its start
    assert south_africa["last_utc"] == south_africa["start_utc"] == pd.Timestamp("2023-09-01", tz="UTC")
    assert spans.loc["ilrs-phase-1", "last_utc"] == pd.Timestamp("2026-01-01", tz="UTC")  # 2025 inclusive
    assert spans.loc["ce5-launch", "last_utc"] == spans.loc["ce5-launch", "start_utc"]


def test_window_keeps_events_overlapping_it(events):
    start, end = pd.Timestamp("2024-05-15", tz="UTC"), pd.Timestamp("2024-05-20", tz="UTC")
    chosen = timeline.select_events(events, start, end, ["partner", "phase"])
    # Nicaragua (24 April) and Kazakhstan (3 July) fall outside; Serbia (May 2024) overlaps it
    assert set(chosen["id"]) == {"ilrs-join-serbia", "ilrs-phase-1"}


def test_cooperation_steps(facts, events):
    steps = timeline.cooperation_steps(facts, events)
    assert list(steps["step"]) == [
        "Cooperation programme signed",
        "Memorandum signed",
        "Joint statement released",
        "Press briefing",
        "Roadmap released",
        "First partner joins (Venezuela)",
        "Latest dated partner joins (Senegal)",
    ]


def test_the_current_ilrs_phase(events):
    assert list(timeline.ilrs_phases(events)["id"]) == ["ilrs-phase-1", "ilrs-phase-2", "ilrs-phase-3"]
    assert timeline.current_phase(events, AS_OF)["id"] == "ilrs-phase-2"
    assert timeline.current_phase(events, pd.Timestamp("2040-01-01", tz="UTC"))["id"] == "ilrs-phase-3"
    assert timeline.current_phase(events, pd.Timestamp("2000-01-01", tz="UTC")) is None


def test_phases_in_progress_counts_starts_and_ends(events):
    counts = timeline.phases_in_progress(timeline.ilrs_phases(events))
    assert list(counts.to_numpy()) == [1, 1, 1], "each phase ends where the next begins"
    assert list(counts.index.year) == [2021, 2026, 2036]
    assert counts.index.is_monotonic_increasing


def test_partners_one_per_country_and_the_stated_count(facts, events):
    joinings = timeline.partner_joinings(events)
    assert joinings["country"].iloc[0] == "Venezuela"
    assert joinings["country"].is_unique
    with open(facts.data_dir / "events.csv", newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    government = [
        r for r in rows if (r["category"], r["milestone"], r["scope"]) == ("partner", "joining", "government")
    ]
    assert len(joinings) == len(government), "one per government-level joining row of events.csv"
    assert "Kazakhstan" in set(joinings["country"])
    assert set(joinings["scope"]) == {"government"}
    assert "Ethiopia" not in set(joinings["country"])
    assert list(timeline.institution_agreements(events)["id"]) == ["ilrs-join-ethiopia"]
    stated = timeline.stated_partner_count(facts)
    assert int(stated["value"]) == 13
    said = timeline.announcing_event(facts, stated)
    assert said["actors"].startswith("Roscosmos")


def test_targets_count_to_the_latest_stated_target_with_its_statements(facts):
    targets = timeline.targets(facts).set_index("id")
    crewed = targets.loc["crewed-landing-target"]
    assert crewed["deadline"] == pd.Timestamp("2030-01-01", tz="UTC")
    assert list(crewed["current"]["actor"]) == ["CASC"]
    assert crewed["first"]["stated"] == "2021-04-27"
    basic = targets.loc["ilrs-basic-model-target"]
    assert basic["deadline"] == pd.Timestamp("2035-01-01", tz="UTC")
    assert list(basic["statements"]["stated"]) == sorted(basic["statements"]["stated"])
    assert basic["current"].iloc[-1]["wording"] == "by 2035"
    assert basic["first"]["target"] == "2028"
