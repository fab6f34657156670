"""Timeline queries: spans of coarse dates, windows, milestones, ILRS phases, partners, targets.

On the `known` fixture (tests/fixtures/known/README.md works out each answer).
"""

from __future__ import annotations

import pandas as pd

from known import AS_OF, copy_known
from lunar_report import load_facts
from lunar_report.analysis import timeline


def utc(day: str) -> pd.Timestamp:
    return pd.Timestamp(day, tz="UTC")


def test_month_and_year_dates_are_spans_and_clock_times_are_points(events):
    spans = timeline.with_periods(events).set_index("id")
    assert spans.loc["fx-join-mockovia", "last_utc"] == utc("2023-10-01")  # September 2023, to its end
    testland = spans.loc["fx-join-testland"]  # known to the day: a point at its start
    assert testland["last_utc"] == testland["start_utc"] == utc("2023-02-14")
    assert spans.loc["fx-phase-1", "last_utc"] == utc("2026-01-01")  # 2025 inclusive
    assert spans.loc["fx-lander-1-launch", "last_utc"] == spans.loc["fx-lander-1-launch", "start_utc"]


def test_window_keeps_events_overlapping_it(events):
    chosen = timeline.select_events(events, utc("2023-09-10"), utc("2023-09-20"), ["partner", "phase"])
    # Testland (February 2023) and the institute (March 2024) fall outside; Mockovia (September 2023) overlaps it
    assert list(chosen["id"]) == ["fx-phase-1", "fx-join-mockovia"]
    assert timeline.select_events(events, utc("2023-10-01"), utc("2023-10-02"), ["partner"]).empty
    before = timeline.select_events(events, None, utc("2023-02-14"), ["partner"])
    assert before.empty, "the end is exclusive: Testland joins at the first instant after the window"


def test_cooperation_steps(known, events):
    steps = timeline.cooperation_steps(known, events)
    assert list(steps["step"]) == [
        "Cooperation programme signed",
        "Memorandum signed",
        "Press briefing",
        "Roadmap released",
        "First partner joins (Testland)",
        "Latest dated partner joins (Samplia)",
    ]
    assert list(steps["id"])[-1] == "fx-join-samplia", "Testland's later row does not make it the latest partner"


def test_the_current_ilrs_phase(events):
    assert list(timeline.ilrs_phases(events)["id"]) == ["fx-phase-1", "fx-phase-2", "fx-phase-3"]
    assert timeline.current_phase(events, AS_OF)["id"] == "fx-phase-2"
    assert timeline.current_phase(events, utc("2030-12-31 23:59"))["id"] == "fx-phase-2", "2030 is inclusive"
    assert timeline.current_phase(events, utc("2031-01-01"))["id"] == "fx-phase-3", "the next begins where it ends"
    assert timeline.current_phase(events, utc("2040-01-01"))["id"] == "fx-phase-3", "open-ended"
    assert timeline.current_phase(events, utc("2020-12-31")) is None


def test_phases_in_progress_counts_starts_and_ends(events):
    counts = timeline.phases_in_progress(timeline.ilrs_phases(events))
    assert list(counts.to_numpy()) == [1, 1, 1], "each phase ends where the next begins"
    assert list(counts.index.year) == [2021, 2026, 2031]


def test_partners_one_per_country_government_level_only(known, events):
    joinings = timeline.partner_joinings(events)
    assert list(joinings["country"]) == ["Testland", "Mockovia", "Samplia"]
    assert list(joinings["id"]) == ["fx-join-testland", "fx-join-mockovia", "fx-join-samplia"], "first date counts"
    assert list(timeline.institution_agreements(events)["id"]) == ["fx-join-institute"]
    stated = timeline.stated_partner_count(known)
    assert stated["id"] == "partner-count-2025" and int(stated["value"]) == 4, "the latest of the two counts"
    assert timeline.announcing_event(known, stated)["id"] == "fx-partner-count-2025"


def test_the_latest_stated_count_is_the_latest_said_not_the_last_row(tmp_path):
    folder = copy_known(tmp_path / "known")
    figures = folder / "figures.csv"
    header, *rows = figures.read_text(encoding="utf-8").splitlines(keepends=True)
    earlier = next(row for row in rows if row.startswith("partner-count-2024,"))
    figures.write_text(header + "".join(row for row in rows if row is not earlier) + earlier, encoding="utf-8")
    stated = timeline.stated_partner_count(load_facts(folder))
    assert stated["id"] == "partner-count-2025", "the 2024 count, now the file's last row, is still the earlier one"


def test_targets_count_to_the_latest_stated_target_with_its_statements(known):
    (target,) = [row for _, row in timeline.targets(known).iterrows()]
    assert target["id"] == "fx-base-target"
    assert target["deadline"] == utc("2032-01-01")
    assert list(target["statements"]["id"]) == [
        "stmt-fx-base-2021",
        "stmt-fx-base-2022",
        "stmt-fx-base-2024",
        "stmt-fx-base-2025",
        "stmt-fx-base-2025-director",
    ]
    assert list(target["current"]["id"]) == ["stmt-fx-base-2025", "stmt-fx-base-2025-director"], "both, the same day"
    assert target["first"]["id"] == "stmt-fx-base-2022", "the first statement that gives a target"
