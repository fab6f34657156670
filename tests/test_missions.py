"""Mission queries on the fact base, checked against the reference notes' values."""

from __future__ import annotations

import pytest

from lunar_report.analysis import missions
from lunar_report.analysis.wording import duration_text


def test_change5_duration_is_launch_to_capsule_landing(facts):
    duration = missions.mission_duration(facts, "change-5")
    assert duration.start["start"] == "2020-11-23T20:30:12"
    assert duration.end["start"] == "2020-12-16T17:59"
    assert duration_text(duration) == "22 d 21 h 29 min"
    assert f"{duration.days:.2f}" == "22.90"


def test_phases_are_in_order_with_the_article_rows_left_out(facts):
    phases = missions.phase_events(facts, "change-5")
    assert list(phases["milestone"].astype(str)) == list(missions.PHASES)
    assert not phases["id"].str.startswith("art-").any()


def test_change6_duration_and_its_missing_phase(facts):
    duration = missions.mission_duration(facts, "change-6")
    assert duration_text(duration) == "52 d 20 h 40 min"
    assert missions.missing_phases(facts, "change-6") == ["Lunar orbit insertion"]


def test_mission_without_events_has_no_duration_and_no_gap(facts):
    assert missions.mission_duration(facts, "change-8") is None
    assert missions.since_previous_return(facts, "change-8") is None


def test_luna24_to_change5_gap_is_44_point_3_years(facts):
    gap = missions.since_previous_return(facts, "change-5")
    assert gap.start["mission"] == "luna-24"
    assert gap.years == pytest.approx(44.32, abs=0.01)


def test_change6_gap_is_since_change5(facts):
    gap = missions.since_previous_return(facts, "change-6")
    assert gap.start["mission"] == "change-5"
    assert gap.years == pytest.approx(3.52, abs=0.01)


def test_sample_masses_in_grams_keep_both_luna20_values(facts):
    masses = missions.sample_masses(facts)
    luna20 = masses[masses["mission"] == "luna-20"]
    assert sorted(luna20["grams"]) == [30.0, 55.0]
    assert masses.loc[masses["mission"] == "apollo-17", "grams"].item() == pytest.approx(110_500)
    assert masses.loc[masses["mission"] == "change-5", "grams"].item() == 1731
    assert masses["mission"].is_unique is False  # Luna 20 appears twice; nothing was resolved
    assert not masses["id"].str.startswith("art-").any(), "the article's 'around 2 kg' is not a measurement"
    assert masses["returned"].is_monotonic_increasing


def test_the_article_states_its_own_figures(facts):
    stated = missions.stated_figure(facts, "change-5", "sample_mass")
    assert stated["stated"] == "around 2 kg"
    assert missions.in_grams(stated["value"], stated["unit"]) == 2000
    assert missions.stated_figure(facts, "change-6", "duration") is None


def test_crewed_and_robotic_are_marked(facts):
    masses = missions.sample_masses(facts)
    assert set(masses.loc[masses["crewed"], "mission"]) == {f"apollo-{n}" for n in (11, 12, 14, 15, 16, 17)}


def test_in_grams_reads_each_unit():
    assert [missions.in_grams(2, unit) for unit in ("g", "kg", "t")] == [2.0, 2000.0, 2_000_000.0]
