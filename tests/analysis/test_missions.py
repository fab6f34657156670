"""Mission queries: phases, duration, sample masses, the gap since the previous return.

On the `known` fixture (tests/fixtures/known/README.md works out each answer).
"""

from __future__ import annotations

import pytest

from known import MISSION
from lunar_report.analysis import missions
from lunar_report.analysis.wording import duration_text


def test_duration_is_launch_to_capsule_landing_from_the_finest_rows(known):
    duration = missions.mission_duration(known, MISSION)
    assert duration.start["id"] == "fx-lander-1-launch", "the launch known to the second, not the day-only row"
    assert duration.end["id"] == "fx-lander-1-earth-return"
    assert duration_text(duration) == "20 d 12 h 0 min"
    assert duration.days == 20.5


def test_phases_are_in_flight_order_with_the_article_rows_left_out(known):
    phases = missions.phase_events(known, MISSION)
    assert list(phases["milestone"].astype(str)) == [
        "launch",
        "lunar_orbit_insertion",
        "lunar_landing",
        "ascent",
        "earth_return",
        "sample_handover",
    ]
    assert missions.missing_phases(known, MISSION) == ["Docking in lunar orbit"]


def test_mission_without_events_has_no_duration_and_no_gap(known):
    assert missions.mission_duration(known, "fx-lander-2") is None
    assert missions.since_previous_return(known, "fx-lander-2") is None
    assert missions.since_previous_return(known, "fx-crewed-1") is None, "the first return has no previous one"


def test_gap_is_since_the_latest_earlier_return(known):
    gap = missions.since_previous_return(known, MISSION)
    assert gap.start["mission"] == "fx-probe-0", "the latest earlier return, not the first (Fixture Crewed 1)"
    assert gap.days == 3653
    assert gap.years == pytest.approx(3653 / 365.2425)
    assert missions.since_previous_return(known, "fx-probe-0").start["mission"] == "fx-crewed-1"


def test_sample_masses_in_grams_keep_both_conflicting_values(known):
    masses = missions.sample_masses(known)
    assert list(masses["mission"]) == ["fx-crewed-1", "fx-probe-0", "fx-probe-0", "fx-lander-1"], "in order of return"
    assert list(masses["grams"]) == [12_500.0, 40.0, 60.0, 1500.0]
    assert list(masses["crewed"]) == [True, False, False, False]
    assert set(masses["conflict_group"].dropna()) == {"probe-0-mass"}
    assert "art-lander-1-sample-mass" not in set(masses["id"]), "the article's 'around 2 kg' is not a measurement"
    assert list(missions.sample_masses(known, [MISSION])["grams"]) == [1500.0]


def test_the_article_states_its_own_figures(known):
    stated = missions.stated_figure(known, MISSION, "sample_mass")
    assert stated["id"] == "art-lander-1-sample-mass" and stated["stated"] == "around 2 kg"
    assert missions.in_grams(stated["value"], stated["unit"]) == 2000
    assert missions.stated_figure(known, MISSION, "duration")["value"] == 21
    assert missions.stated_figure(known, "fx-probe-0", "duration") is None


def test_sample_returns_are_the_successful_ones(known):
    assert list(missions.sample_returns(known)["mission"]) == ["fx-crewed-1", "fx-probe-0", MISSION]
    assert missions.sample_return_missions(known) == ["fx-crewed-1", "fx-probe-0", "fx-probe-9", MISSION, "fx-lander-2"]
    assert "fx-probe-9" not in set(missions.sample_returns(known)["mission"]), "its capsule landed, but it failed"


def test_in_grams_reads_each_unit():
    assert [missions.in_grams(2, unit) for unit in ("g", "kg", "t")] == [2.0, 2000.0, 2_000_000.0]
