"""Reader's tables: dates at their precision, intervals, phases, masses and claims, each row citing its sources.

On the `known` fixture (tests/fixtures/known/README.md works out each answer).
"""

from __future__ import annotations

from known import MISSION
from lunar_report.analysis import claims as claimcheck
from lunar_report.analysis import missions
from lunar_report.analysis.citations import SourceList
from lunar_report.analysis.claims import changed_verdicts
from lunar_report.analysis.display import Anchor, Link
from lunar_report.analysis.tables.claims import changed_table, claims_table
from lunar_report.analysis.tables.missions import mass_table, mission_phase_table
from lunar_report.analysis.tables.timeline import chronology, counts_table, ilrs_phase_table, step_intervals
from lunar_report.analysis.timeline import cooperation_steps


def test_chronology_prints_dates_at_their_precision_with_the_zone(events):
    dates = dict(zip(chronology(events, "UTC")["Event"], chronology(events, "UTC")["Date"], strict=True))
    assert dates["Fixture Lander 1 launches"] == "1 November 2020 00:00:00 UTC"
    assert dates["Fixture Lander 1 enters lunar orbit"] == "5 November 2020 12:00 UTC"
    assert dates["Testland joins the fixture station"] == "14 February 2023"
    assert dates["Mockovia joins the fixture station"] == "September 2023"
    assert dates["Fixture phase 1: survey"] == "2021–2025" and dates["Fixture phase 3: use"] == "2031"
    assert dates["Ann Example speaks at the fixture press conference"] == "27 April 2021 (Asia/Shanghai date)"


def test_chronology_in_beijing_time_converts_clock_times(events):
    table = chronology(events, "Asia/Shanghai")
    dates = dict(zip(table["Event"], table["Date"], strict=True))
    assert dates["Fixture Lander 1 launches"] == "1 November 2020 08:00:00 Asia/Shanghai (UTC+8)"
    assert dates["Fixture Probe 0 capsule lands"] == "21 November 2010 20:00 Asia/Shanghai (UTC+8)"
    assert dates["Ann Example speaks at the fixture press conference"] == "27 April 2021"
    assert dates["Fixture Lander 1 launches (local date)"] == "1 November 2020"
    assert list(table["Event"])[:2] == ["Fixture Crewed 1 splashes down", "Fixture Probe 0 launches"], "time order"


def test_chronology_cites_each_row_given_a_source_list(known, events):
    table = chronology(events, "UTC", SourceList(known.sources))
    assert list(table.columns) == ["Date", "Event", "Category", "Actors", "Sources"]
    assert all(isinstance(link, Link) for cell in table["Sources"] for link in cell)
    assert len(table) == len(events)


def test_counts_table_summarises_events_per_category_and_year(events):
    table = counts_table(events[events["category"] == "partner"], "UTC").set_index("Category")
    assert table.loc["partner"].to_dict() == {"2023": 2, "2024": 3}, "Testland, Mockovia; institute, Samplia, Testland"


def test_step_intervals_are_only_as_precise_as_their_dates(known, events):
    table = step_intervals(cooperation_steps(known, events))
    assert dict(zip(table["Milestone"], table["Since the previous milestone"], strict=True)) == {
        "Cooperation programme signed": "",
        "Memorandum signed": "about 40 months (3.4 years)",  # from November 2017: month precision
        "Press briefing": "48 days (0.13 years)",
        "Roadmap released": "50 days (0.14 years)",
        "First partner joins (Testland)": "608 days (1.66 years)",
        "Latest dated partner joins (Samplia)": "461 days (1.26 years)",
    }


def test_ilrs_phase_table_keeps_the_open_end(events):
    table = ilrs_phase_table(events)
    assert list(table["From"]) == ["2021", "2026", "2031"]
    assert list(table["To (inclusive)"]) == ["2025", "2030", "open-ended"]


def test_mission_phase_table_times_since_launch_and_the_previous_phase(known):
    table = mission_phase_table(known, MISSION)
    assert list(table["Since launch"]) == ["", "4.50 d", "9.25 d", "11.25 d", "20.50 d", "≈ 22 d (dates to the day)"]
    assert list(table["Since previous phase"]) == [
        "",
        "4.50 d",
        "4.75 d",
        "2.00 d",
        "9.25 d",
        "≈ 1 d (dates to the day)",
    ]
    assert table["Date"].iloc[-1] == "23 November 2020 (Asia/Shanghai date)", "a Beijing calendar date names its zone"
    assert table["Date"].iloc[0] == "1 November 2020 00:00:00 UTC", "the launch known to the second"


def test_mass_table_names_the_conflict_and_the_unit(known):
    table = mass_table(missions.sample_masses(known))
    assert list(table["Mission"]) == ["Fixture Crewed 1", "Fixture Probe 0", "Fixture Probe 0", "Fixture Lander 1"]
    assert list(table["Returned"]) == ["12.50 kg", "40 g", "60 g", "1.50 kg"]
    assert list(table["Crew"]) == ["crewed", "robotic", "robotic", "robotic"]
    assert list(table["Note"]) == ["", *["sources disagree: every value is shown"] * 2, ""]
    assert "Sources" not in table.columns


def test_claims_table_has_every_claim_with_both_checks_and_their_sources(known):
    sources = SourceList(known.sources)
    table = claims_table(known, claimcheck.mission_claims(known), sources)
    now = "Now (reviewed 15 September 2026)"
    assert list(table.columns) == [
        "Claim (the article’s words)",
        "When published (27 April 2021)",
        "Why, then",
        "Sources, then",
        now,
        "Why, now",
        "Sources, now",
    ]
    assert [anchor.name for anchor in table["Claim (the article’s words)"]] == [
        "claim-fx-partners",
        "claim-fx-mass",
        "claim-fx-crewed",
    ]
    assert list(table["When published (27 April 2021)"]) == ["supported", "partly supported", "unverifiable"]
    assert list(table[now]) == ["supported", "partly supported", "contradicted"]
    link = {n: Link(f"[{n}]", f"#source-{n}") for n in (1, 2, 3)}
    assert list(table["Sources, then"]) == [(link[1],), (link[1],), "none"], "no evidence then: none"
    assert list(table["Sources, now"]) == [(link[1], link[2]), (link[1],), (link[3],)]
    listed = sources.table()
    assert list(listed["No."]) == [Anchor(str(n), f"source-{n}") for n in (1, 2, 3)]
    assert list(listed["Publisher (grade)"]) == [
        "Fixture Space Agency (A)",
        "Fixture Observer (B)",
        "Fixture Wiki Mirror (C)",
    ], "numbered in first-cited order; the article is not its own reference"
    assert listed["Address"].iloc[2] == "no address recorded"


def test_changed_table_links_to_the_claims_rows(known):
    table = changed_table(known, changed_verdicts(known.claims))
    assert list(table["Claim (the article’s words)"]) == [
        Link("A crewed landing is planned by 2030", "#claim-fx-crewed")
    ]
    assert list(table.iloc[0])[1:] == ["unverifiable", "contradicted"]


def test_tables_without_sources_have_no_sources_column(known, events):
    assert "Sources" not in chronology(events).columns
    assert "Sources" not in mass_table(missions.sample_masses(known)).columns
