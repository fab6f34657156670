"""Timeline analysis computed from the fact base: dates at their precision, spans, intervals, partners, targets."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

from lunar_report.analysis import timeline
from lunar_report.analysis.missions import reference_events

matplotlib.use("Agg")
AS_OF = pd.Timestamp("2026-11-25", tz="UTC")


@pytest.fixture(scope="module")
def events(facts):
    return reference_events(facts)


def test_chronology_prints_dates_at_their_precision_with_the_zone(events):
    table = timeline.chronology(events, "UTC").set_index("Event")
    launch = table.filter(like="Chang’e-5 launches", axis=0)["Date"].item()
    assert launch == "23 November 2020 20:30:12 UTC"
    assert table.filter(like="South Africa", axis=0)["Date"].item() == "September 2023"
    briefing = table.filter(like="Wang Wenbin", axis=0)["Date"].item()
    assert briefing == "27 April 2021 (Asia/Shanghai date)"


def test_chronology_in_beijing_time_converts_clock_times(events):
    table = timeline.chronology(events, "Asia/Shanghai").set_index("Event")
    launch = table.filter(like="Chang’e-5 launches", axis=0)["Date"].item()
    assert launch == "24 November 2020 04:30:12 Asia/Shanghai (UTC+8)"
    assert table.filter(like="Wang Wenbin", axis=0)["Date"].item() == "27 April 2021"


def test_month_and_year_dates_are_spans_and_clock_times_are_points(events):
    spans = timeline.with_periods(events).set_index("id")
    assert spans.loc["ilrs-join-south-africa", "last_utc"] == pd.Timestamp("2023-10-01", tz="UTC")
    assert spans.loc["ilrs-phase-1", "last_utc"] == pd.Timestamp("2026-01-01", tz="UTC")  # 2025 inclusive
    assert spans.loc["ce5-launch", "last_utc"] == spans.loc["ce5-launch", "start_utc"]


def test_window_keeps_events_overlapping_it(events):
    start, end = pd.Timestamp("2023-09-15", tz="UTC"), pd.Timestamp("2023-10-02", tz="UTC")
    chosen = timeline.select_events(events, start, end, ["partner", "phase"])
    assert set(chosen["id"]) == {"ilrs-join-south-africa", "ilrs-join-pakistan", "ilrs-join-belarus", "ilrs-phase-1"}


def test_cooperation_steps_and_intervals(facts, events):
    steps = timeline.cooperation_steps(facts, events)
    assert list(steps["step"]) == [
        "Cooperation programme signed",
        "Memorandum signed",
        "Joint statement released",
        "Press briefing",
        "Roadmap released",
        "First partner joins (Venezuela)",
        "Latest partner joins (Senegal)",
    ]
    table = timeline.step_intervals(facts, steps)
    since = dict(zip(table["Milestone"], table["Since the previous milestone"], strict=False))
    assert since["Memorandum signed"] == "1,224 days (3.35 years)"  # 2017-11-01 (Beijing) → 2021-03-09
    assert since["Press briefing"] == "4 days (0.01 years)"
    assert since["Roadmap released"] == "50 days (0.14 years)"


def test_interval_text_is_no_finer_than_its_dates():
    assert timeline.interval_text(1224.3, "day") == "1,224 days (3.35 years)"
    assert timeline.interval_text(1224.3, "month") == "about 40 months (3.4 years)"
    assert timeline.interval_text(1224.3, "year") == "about 3 years"


def test_phases_and_the_current_one(events):
    table = timeline.phase_table(events)
    assert list(table["To (inclusive)"]) == ["2025", "2035", "open-ended"]
    assert timeline.current_phase(events, AS_OF)["id"] == "ilrs-phase-2"
    assert timeline.current_phase(events, pd.Timestamp("2040-01-01", tz="UTC"))["id"] == "ilrs-phase-3"


def test_partners_one_per_country_and_the_undated_ones(facts, events):
    joinings = timeline.partner_joinings(events)
    assert joinings["country"].iloc[0] == "Venezuela"
    assert joinings["country"].is_unique
    assert len(joinings) == 11
    stated = timeline.stated_partner_count(facts)
    assert int(stated["value"]) == 13
    text = " ".join(t.format(**v) for t, v in timeline.partner_sentences(facts, joinings, "UTC"))
    assert "**11 countries**" in text
    assert "**13 countries** on 28 April 2025; **2** of them have no joining date" in text
    assert "Roscosmos (Dmitry Bakanov)" in text


def test_crewed_landing_target_was_set_by_cmsa_on_2023_05_29(facts):
    targets = timeline.targets(facts).set_index("id")
    crewed = targets.loc["crewed-landing-target"]
    assert crewed["set_by"] == "CMSA (Lin Xiqiang)"
    assert crewed["stated_event"]["start"] == "2023-05-29"
    assert crewed["deadline"] == pd.Timestamp("2030-01-01", tz="UTC")
    text = " ".join(t.format(**v) for t, v in timeline.target_sentences(facts, AS_OF, "UTC"))
    assert "Set by CMSA (Lin Xiqiang) on 29 May 2023; 3.5 years had passed by 25 November 2026" in text
    assert "3.1 years remain until 1 January 2030" in text
    later = " ".join(
        t.format(**v) for t, v in timeline.target_sentences(facts, pd.Timestamp("2031-01-01", tz="UTC"), "UTC")
    )
    assert "1 January 2030 passed 1.0 years before then" in later


def test_timeline_figure_draws_coarse_dates_as_bars(events):
    fig = timeline.timeline_figure(events[events["category"] == "partner"], "UTC", AS_OF, note="Source: test")
    ax = fig.axes[0]
    assert len(ax.patches) == 4  # South Africa, Pakistan, Belarus, Serbia: month precision
    assert ax.get_xlabel() == "Date (UTC)" and ax.get_title()
    assert any(t.get_text() == "Source: test" for t in fig.texts)


def test_timeline_figure_aggregates_many_events():
    rng = np.random.default_rng(1)
    n = 100_000
    starts = pd.to_datetime(
        rng.integers(pd.Timestamp("2000-01-01").value, pd.Timestamp("2030-01-01").value, n), utc=True
    )
    many = pd.DataFrame(
        {
            "id": [f"e{i}" for i in range(n)],
            "start_utc": starts,
            "end_utc": pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns, UTC]"),
            "end": pd.Series(pd.NA, index=range(n), dtype="string"),
            "precision": pd.Categorical(rng.choice(["day", "month", "year"], n)),
            "timezone": pd.Series(pd.NA, index=range(n), dtype="string"),
            "category": pd.Categorical(rng.choice(["agreement", "mission", "partner"], n)),
        }
    )
    fig = timeline.timeline_figure(many, "Asia/Shanghai", AS_OF)
    ax = fig.axes[0]
    assert "100,000 events" in ax.get_title()
    assert len(ax.patches) <= 3 * 31, "one cell per lane and year, never one marker per event"
    assert not ax.lines or all(len(line.get_xdata()) < 10 for line in ax.lines)
    assert ax.get_xlabel() == "Date (Asia/Shanghai, UTC+8)"
    counts = timeline.counts_table(many, "UTC")
    assert counts.drop(columns="Category").to_numpy().sum() == n


def test_counts_table_summarises_events_per_category_and_year(events):
    partners = events[events["category"] == "partner"]
    table = timeline.counts_table(partners, "UTC").set_index("Category")
    assert table.loc["partner", "2023"] == 6 and table.loc["partner", "2024"] == 5


def test_phases_in_progress_counts_starts_and_ends(events):
    counts = timeline.phases_in_progress(timeline.phases(events))
    assert list(counts.to_numpy()) == [1, 1, 1], "each phase ends where the next begins"
    assert list(counts.index.year) == [2021, 2026, 2036]
    assert counts.index.is_monotonic_increasing


def test_phases_figure_counts_phases_when_there_are_too_many(events):
    phases = events[events["category"] == "phase"]
    many = pd.concat([events] + [phases.assign(id=phases["id"] + f"-{i}") for i in range(20)])
    fig = timeline.phases_figure(many, AS_OF, note="Source: test")
    ax = fig.axes[0]
    assert "too many for one bar each" in ax.get_title()
    assert not ax.patches, "no bar per phase"
    assert ax.get_ylabel() == "Phases in progress"
    few = timeline.phases_figure(events, AS_OF, note="Source: test").axes[0]
    assert len(few.patches) == len(phases)
