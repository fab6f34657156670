"""Reader's tables: dates at their precision, intervals, phases, masses and claims, each row citing its sources."""

from __future__ import annotations

import pytest

from lunar_report.analysis import claims as claimcheck
from lunar_report.analysis import missions
from lunar_report.analysis.citations import SourceList
from lunar_report.analysis.claims import changed_verdicts
from lunar_report.analysis.display import Link
from lunar_report.analysis.provenance import reference_events
from lunar_report.analysis.tables.claims import changed_table, claims_table
from lunar_report.analysis.tables.missions import mass_table, mission_phase_table
from lunar_report.analysis.tables.timeline import chronology, counts_table, ilrs_phase_table, step_intervals
from lunar_report.analysis.timeline import cooperation_steps
from lunar_report.facts.dates import format_partial


@pytest.fixture(scope="module")
def events(facts):
    return reference_events(facts)


def test_chronology_prints_dates_at_their_precision_with_the_zone(events):
    table = chronology(events, "UTC").set_index("Event")
    launch = table.filter(like="Chang’e-5 launches", axis=0)["Date"].item()
    assert launch == "23 November 2020 20:30:12 UTC"
    assert table.filter(like="South Africa", axis=0)["Date"].item() == "1 September 2023"
    assert table.filter(like="Serbia", axis=0)["Date"].item() == "May 2024"
    briefing = table.filter(like="Wang Wenbin", axis=0)["Date"].item()
    assert briefing == "27 April 2021 (Asia/Shanghai date)"


def test_chronology_in_beijing_time_converts_clock_times(events):
    table = chronology(events, "Asia/Shanghai").set_index("Event")
    launch = table.filter(like="Chang’e-5 launches", axis=0)["Date"].item()
    assert launch == "24 November 2020 04:30:12 Asia/Shanghai (UTC+8)"
    assert table.filter(like="Wang Wenbin", axis=0)["Date"].item() == "27 April 2021"


def test_chronology_cites_each_row_given_a_source_list(facts, events):
    table = chronology(events, "UTC", SourceList(facts.sources))
    assert list(table.columns) == ["Date", "Event", "Category", "Actors", "Sources"]
    assert all(isinstance(link, Link) for cell in table["Sources"] for link in cell)


def test_counts_table_summarises_events_per_category_and_year(events):
    partners = events[events["category"] == "partner"]
    table = counts_table(partners, "UTC").set_index("Category")
    years = partners["start"].str[:4].value_counts()
    assert table.loc["partner", "2023"] == years["2023"] and table.loc["partner", "2024"] == years["2024"]


def test_step_intervals_are_only_as_precise_as_their_dates(facts, events):
    table = step_intervals(cooperation_steps(facts, events))
    since = dict(zip(table["Milestone"], table["Since the previous milestone"], strict=False))
    assert since["Cooperation programme signed"] == ""
    assert since["Memorandum signed"] == "1,224 days (3.35 years)"  # 2017-11-01 (Beijing) → 2021-03-09
    assert since["Press briefing"] == "4 days (0.01 years)"
    assert since["Roadmap released"] == "50 days (0.14 years)"


def test_ilrs_phase_table_keeps_the_open_end(events):
    table = ilrs_phase_table(events)
    assert list(table["To (inclusive)"]) == ["2025", "2035", "open-ended"]


def test_mission_phase_table_times_since_launch(facts):
    table = mission_phase_table(facts, "change-5")
    assert table.loc[table["Phase"] == "Capsule lands on Earth", "Since launch"].item() == "22.90 d"
    assert table["Since previous phase"].iloc[0] == "" and table["Since launch"].iloc[0] == ""


def test_every_mission_with_phase_events_gets_a_row_per_phase(facts):
    for mission in facts.missions["id"]:
        phases = missions.phase_events(facts, mission)
        if not phases.empty:
            table = mission_phase_table(facts, mission)
            assert list(table["Phase"]) == [missions.PHASE_NAMES[str(m)] for m in phases["milestone"]]


def test_mass_table_names_the_conflict_and_the_unit(facts):
    table = mass_table(missions.sample_masses(facts))
    assert (table.loc[table["Mission"] == "Luna 20", "Note"] == "sources disagree: every value is shown").all()
    assert table.loc[table["Mission"] == "Chang’e-5", "Returned"].item() == "1.73 kg"
    assert sorted(table.loc[table["Mission"] == "Luna 20", "Returned"]) == ["30 g", "55 g"]


def test_claims_table_has_every_claim_with_linked_sources(facts):
    claims = claimcheck.mission_claims(facts)
    sources = SourceList(facts.sources)
    table = claims_table(facts, claims, sources)
    now = f"Now (reviewed {format_partial(claimcheck.claims_reviewed(facts))})"
    assert len(table) == len(facts.claims)
    assert list(table.columns) == [
        "Claim (the article’s words)",
        "When published (27 April 2021)",
        "Why, then",
        "Sources, then",
        now,
        "Why, now",
        "Sources, now",
    ]
    assert [anchor.name for anchor in table["Claim (the article’s words)"]] == list(claims["id"])
    listed = sources.table()
    assert [anchor.text for anchor in listed["No."]] == [str(n) for n in range(1, len(listed) + 1)]
    article_url = facts.sources.set_index("id").loc["tass-1283825", "url"]
    assert article_url not in {getattr(link, "href", None) for link in listed["Address"]}, (
        "the article is not its own reference"
    )
    quotes = [anchor.text for anchor in table["Claim (the article’s words)"]]
    row = table.iloc[quotes.index("collecting around 2 kg")]
    assert row["When published (27 April 2021)"] == "partly supported"
    cgtn = sources.number("cgtn-2020-12-19")
    assert Link(f"[{cgtn}]", f"#source-{cgtn}") in row["Sources, then"]
    crewed = table.iloc[list(claims["id"]).index("claim-crewed-by-2030")]
    assert crewed["When published (27 April 2021)"] == "unverifiable"
    assert crewed[now] == "supported"
    assert crewed["Why, now"] != crewed["Why, then"]
    assert listed["Address"][cgtn - 1].href.startswith("https://news.cgtn.com/")


def test_claim_without_reference_rows_says_none(facts):
    claims = facts.claims[facts.claims["id"] == "claim-lunar-base-purpose"]
    table = claims_table(facts, claims, SourceList(facts.sources))
    assert table["Sources, then"].item() == table["Sources, now"].item() == "none"


def test_changed_table_links_to_the_claims_rows(facts):
    table = changed_table(facts, changed_verdicts(facts.claims))
    assert [link.href for link in table["Claim (the article’s words)"]] == ["#claim-crewed-by-2030"]


def test_mission_phase_table_names_the_zone_of_a_beijing_date(facts):
    table = mission_phase_table(facts, "change-5").set_index("Phase")
    dates = list(table["Date"])
    assert "19 December 2020 (Asia/Shanghai date)" in dates, "the sample handover is a Beijing calendar date"
    assert "23 November 2020 20:30:12 UTC" in dates
    handover = table[table["Date"] == "19 December 2020 (Asia/Shanghai date)"].iloc[0]
    assert handover["Since previous phase"].endswith("(dates to the day)")


def test_tables_without_sources_have_no_sources_column(facts, events):
    assert "Sources" not in chronology(events).columns
    assert "Sources" not in mass_table(missions.sample_masses(facts)).columns
