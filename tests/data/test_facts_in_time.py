"""The shipped fact base in time: two verdicts per claim, counted partners, moving targets, review dates.

These read the real data folder. `statements` and `reviews` are not in `Facts` yet
(schema.PENDING_LOAD), so they are read through `read_valid_tables(include_pending=True)`.
"""

from __future__ import annotations

import pandas as pd
import pytest

from lunar_report import paths
from lunar_report.analysis import claims as claimcheck
from lunar_report.facts.schema import TABLES
from lunar_report.facts.validate import read_valid_tables


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return read_valid_tables(paths.data_dir())


def _claim(facts, claim_id: str) -> pd.Series:
    return facts.claims.set_index("id").loc[claim_id]


def test_crewed_target_was_unverifiable_then_and_is_supported_now(facts):
    claim = _claim(facts, "claim-crewed-by-2030")
    assert (claim["verdict"], claim["verdict_now"]) == ("unverifiable", "supported")
    assert claim["checked_against"] == "cmsa-crewed-plan-2020"
    assert "cmsa-before-2030-2023" in claim["checked_against_now"].split(";")


def test_working_subgroups_are_supported_by_the_2018_roscosmos_release(facts):
    claim = _claim(facts, "claim-working-subgroups")
    assert claim["verdict"] == claim["verdict_now"] == "supported"
    assert "programme-subgroups-2018" in claim["checked_against"].split(";")
    event = facts.event("programme-subgroups-2018")
    assert event["source"] == "inform-kz-3317137" and bool(event["inferred"])
    source = facts.sources.set_index("id").loc["inform-kz-3317137"]
    assert (source["published"], source["grade"]) == ("2018-07-12", "B")


def test_six_sections_are_supported_at_both_times_by_ria_independent_of_tass(facts):
    claim = _claim(facts, "claim-six-sections")
    assert claim["verdict"] == claim["verdict_now"] == "supported"
    for column in ("checked_against", "checked_against_now"):
        assert "ria-novosti-2018-03-03" in claimcheck.reference_sources(facts, claim[column])
    ria = facts.sources.set_index("id").loc["ria-novosti-2018-03-03"]
    assert ria["publisher"].startswith("RIA Novosti") and ria["published"] == "2018-03-03"
    assert not pd.isna(ria["grade"])
    listed = _claim(facts, "claim-section-list")
    assert "five" in listed["explanation"].lower() and "space debris" in listed["explanation"]
    assert "other issues" in listed["explanation"]


def test_orbit_and_surface_agrees_with_the_construction_phase(facts):
    claim = _claim(facts, "claim-orbit-and-surface")
    assert "surface and / or in the orbit of the Moon" in claim["explanation"]
    phase = facts.event("ilrs-phase-2")
    assert (phase["start"], phase["end"]) == ("2026", "2035")
    assert "2026–2035" in claim["explanation_now"] and "2031–2035" in claim["explanation_now"]
    assert "2031–2035" in phase["note"]


def test_publication_time_evidence_is_dated_by_the_article(facts):
    events = facts.events.set_index("id")
    last_day = {4: "-12-31", 7: "-31", 10: ""}  # the last day a partial date may mean (an upper bound)
    for ids in facts.claims["checked_against"].dropna():
        for row in ids.split(";"):
            if row in events.index:
                start = events.loc[row, "start"][:10]
                assert start + last_day[len(start)] <= "2021-04-27", row


def test_each_country_has_one_dated_government_level_joining(facts):
    partners = facts.events[facts.events["category"] == "partner"]
    assert partners["scope"].notna().all()
    joinings = partners[partners["milestone"] == "joining"]
    government = joinings[joinings["scope"] == "government"]
    countries = government["actors"].str.split(";").str[0]
    assert countries.is_unique and "Kazakhstan" in set(countries)
    assert set(partners.loc[partners["scope"] == "institution", "id"]) == {"ilrs-join-ethiopia"}
    assert set(partners.loc[partners["scope"] == "organisation", "id"]) == {
        "ilrs-join-apsco-2023",
        "ilrs-join-auass-2024",
    }
    uae = partners[partners["actors"].str.startswith("United Arab Emirates")]
    assert list(uae["milestone"]) == ["signing", "withdrawal"], "the UAE's rover: an agreement, then a reported bar"
    stated = facts.event("ilrs-partners-2025")
    named = {name.strip().rstrip(".") for name in stated["note"].split(": ", 1)[1].split(". ")[0].split(",")}
    assert len(named) == 13
    assert named - set(countries) == {"Djibouti", "Ethiopia", "Bolivia"}, "stated, but no dated joining"
    assert set(countries) - named == {"Kazakhstan"}, "dated, but not in the April 2025 statement"
    assert named - set(countries) == {"Djibouti", "Ethiopia", "Bolivia"}
    latest = government.sort_values("start").iloc[-1]
    assert latest["id"] == "ilrs-join-senegal"


@pytest.mark.parametrize(
    ("event_id", "start", "precision", "timezone"),
    [
        ("ilrs-join-pakistan", "2023-10-18", "day", "Asia/Shanghai"),
        ("ilrs-join-south-africa", "2023-09-01", "day", None),
        ("ilrs-join-venezuela", "2023-07-17", "day", None),  # video link, as the 2021 memorandum
        ("ce5-sample-handover", "2020-12-19", "day", "Asia/Shanghai"),  # a Beijing date, not UTC
    ],
)
def test_corrected_dates_and_zones(facts, event_id, start, precision, timezone):
    event = facts.event(event_id)
    assert (event["start"], event["precision"]) == (start, precision)
    assert (None if pd.isna(event["timezone"]) else event["timezone"]) == timezone


def test_basic_model_target_history_and_the_latest_target(facts, tables):
    statements = tables["statements"]
    history = statements[statements["subject"] == "ilrs-basic-model-target"]
    assert list(history["stated"]) == sorted(history["stated"])
    assert list(history["target"]) == ["2028", "2028", "2028", "2028", "2030", "2035", "2035", "2035"]
    first, second = history.iloc[0], history.iloc[1]
    assert (first["actor"], first["stated"], second["stated"]) == ("Wu Weiren", "2022-11-21", "2022-11-21")
    assert second["reported"] == "2022-11-22", "dated by the remark, not by the report"
    assert first["conflict_group"] == second["conflict_group"] != "", "one remark reported twice: one statement"
    space_day = history[history["target"].isin(["2030"]) | (history["source"].str.contains("cri-italian"))]
    assert space_day["conflict_group"].nunique() == 1 and space_day["conflict_group"].iloc[0] != "", (
        "around 2030 and by 2035 around Space Day 2024: one announcement reported two ways, not a revision"
    )
    assert facts.event("ilrs-basic-model-target")["start"] == history.iloc[-1]["target"] == "2035"


def test_crewed_landing_history_starts_without_a_date(tables):
    statements = tables["statements"]
    history = statements[statements["subject"] == "crewed-landing-target"]
    first = history.iloc[0]
    assert (first["stated"], first["target"]) == ("2020-09-18", "")
    cmsa = history[(history["target"] != "") & history["actor"].str.startswith("CMSA")]
    assert cmsa.iloc[0]["stated"] == "2023-05-29" and set(cmsa["qualifier"]) == {"before"}
    earlier = history[(history["stated"] < "2023-05-29") & (history["target"] != "")]
    assert list(earlier["actor"]) == ["TASS", "Wu Weiren"], "restatements before CMSA set the target"


def test_every_table_is_reviewed_and_the_dates_say_how_current(tables):
    reviews = tables["reviews"]
    assert set(reviews.loc[reviews["rows"] == "all", "table"]) == set(TABLES) - {"reviews"}
    latest = reviews.groupby("table")["reviewed"].max()
    full = reviews[reviews["rows"] == "all"].groupby("table")["reviewed"].max()
    assert full["claims"] == "2026-12-02", "every claim re-checked on 2 December 2026"
    assert latest["claims"] == "2026-12-07", "two claims' publication-time evidence re-checked on 7 December 2026"
    assert full["statements"] == "2026-11-25" and latest["statements"] == "2026-12-07"
    assert full["figures"] == "2026-04" and latest["figures"] == "2026-12-07"
