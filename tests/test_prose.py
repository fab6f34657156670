"""What the reports say: sentences computed from the fact base, beside the article's own figures."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from lunar_report.analysis import claims as claimcheck
from lunar_report.analysis import missions
from lunar_report.analysis.display import Sentence
from lunar_report.analysis.prose import claims as claims_prose
from lunar_report.analysis.prose import missions as missions_prose
from lunar_report.analysis.prose import timeline as timeline_prose
from lunar_report.analysis.provenance import reference_events
from lunar_report.analysis.timeline import cooperation_steps, partner_joinings, select_events
from lunar_report.facts.dates import format_partial
from lunar_report.facts.schema import VERDICTS

AS_OF = pd.Timestamp("2026-11-25", tz="UTC")
MISSING = re.compile(r"[{}]|\b(nan|None|NaT)\b|<NA>")


def text(sentences: list[Sentence]) -> str:
    assert all(isinstance(sentence, Sentence) for sentence in sentences)
    return " ".join(sentence.formatted() for sentence in sentences)


@pytest.fixture(scope="module")
def events(facts):
    return reference_events(facts)


# --- timeline ----------------------------------------------------------------------------


def test_window_sentences_name_the_span_the_zone_and_what_is_left_out(events):
    window = select_events(events, pd.Timestamp("2017-01-01", tz="UTC"))
    said = text(timeline_prose.window_sentences(window, 12, "Asia/Shanghai", AS_OF))
    assert f"**{len(window)} events**" in said
    assert "Clock times are shown in **Asia/Shanghai, UTC+8**" in said
    assert "12 rows that only the article itself states are left out" in said
    assert "counted to 25 November 2026 (UTC)" in said
    assert text(timeline_prose.window_sentences(window.iloc[:0], 0, "UTC", AS_OF)).startswith("No event")


def test_step_sentences_span_the_milestones(facts, events):
    window = select_events(events, pd.Timestamp("2020-11-01", tz="UTC"), pd.Timestamp("2021-07-01", tz="UTC"))
    said = text(timeline_prose.step_sentences(cooperation_steps(facts, window)))
    assert said == "From “Memorandum signed” to “Roadmap released”: 99 days (0.27 years)."
    assert "fewer than two" in text(timeline_prose.step_sentences(cooperation_steps(facts, window.iloc[:0])))


def test_current_phase_sentences(events):
    said = text(timeline_prose.current_phase_sentences(events, AS_OF))
    assert "On 25 November 2026 the plan is in **ILRS phase 2" in said
    assert "It is planned to run to the end of 2035" in said
    early = text(timeline_prose.current_phase_sentences(events, pd.Timestamp("2000-01-01", tz="UTC")))
    assert early == "No ILRS phase in the data runs on 1 January 2000."


def test_partner_sentences_name_the_undated_ones(facts, events):
    joinings = partner_joinings(events)
    said = text(timeline_prose.partner_sentences(facts, joinings, "UTC", events))
    assert f"**{len(joinings)} countries** besides China and Russia have a dated government-level joining" in said
    assert "the first was Venezuela (17 July 2023), the latest dated partner Senegal (5 September 2024)" in said
    coarse = int((joinings["precision"] != "day").sum())
    assert f"{coarse} of these dates are known only to the month" in said
    assert f"**13 countries** on 28 April 2025, against **{len(joinings)}** with a dated government-level" in said
    assert "Roscosmos (Dmitry Bakanov)" in said
    assert "Not counted as a country joining (institution level): Ethiopia's SSGI" in said


def test_stated_partner_line_labels_the_figure(facts):
    count, label = timeline_prose.stated_partner_line(facts)
    assert count == 13
    assert label.endswith("stated: Roscosmos, 28 April 2025")


def test_target_sentences_count_elapsed_and_remaining_years(facts):
    said = text(timeline_prose.target_sentences(facts, AS_OF, "UTC"))
    assert (
        "Latest stated target: **before 2030** (set by CMSA (Lin Xiqiang) on 29 May 2023, last reaffirmed by CASC "
        "on 12 March 2026; first stated: by 2030 (TASS, 27 April 2021)). On 25 November 2026, 3.1 years remain "
        "until 1 January 2030." in said
    ), "set by the first statement of the target as it stands; a later restatement only reaffirms it"
    assert "Latest stated target: **by 2035** (set by CNSA on 25 April 2024, last reaffirmed by Wu Weiren" in said
    assert "8.1 years remain until 1 January 2035" in said, "counted to the latest stated target, not 2028"
    assert "does not say who set it" not in said
    later = text(timeline_prose.target_sentences(facts, pd.Timestamp("2031-01-01", tz="UTC"), "UTC"))
    assert "1 January 2030 passed 1.0 years before then" in later


def test_target_revisions_in_date_order(facts):
    said = text(timeline_prose.target_sentences(facts, AS_OF, "UTC"))
    assert (
        "Revisions: by 2028 (Wu Weiren, 21 November 2022; dated 22 November 2022 by another source: around 2028; "
        "Wu Weiren, 25 April 2023; Wu Yanhua the same day: around 2028) → around 2030 (CNSA, 24 April 2024) → "
        "by 2035 (CNSA, 25 April 2024; Wu Yanhua, 5 September 2024; Wu Weiren, 23 April 2025)." in said
    ), "one statement two sources date differently (conflict_group) stays one step"
    assert "by 2045 (CNSA, 25 April 2024) → around 2050 (Wu Yanhua, 5 September 2024) → by 2045 (Wu Weiren" in said
    assert (
        "no date (CMSA, 18 September 2020) → by 2030 (TASS, 27 April 2021; Wu Weiren, 24 April 2023) → before 2030 "
        "(CMSA, 29 May 2023; CMSA, 12 July 2023; CMSA, 29 October 2024; CMSA, 30 October 2025; CASC, 12 March 2026)"
        in said
    )


def test_phase_statements_name_the_roadmap_the_conflict_and_the_later_targets(facts, events):
    said = text(timeline_prose.phase_statement_sentences(facts, events))
    assert "These phases were set out on 16 June 2021 by CNSA and Roscosmos" in said
    assert "ILRS phase 2: construction in 2026–2035" in said
    assert "“beyond 2036 (utilization)”" in said and "“Starting from 2035 (utilization)”" in said
    assert "Since 24 April 2024 CNSA describes the plan by targets instead" in said
    assert "ILRS basic model completed by 2035; ILRS extended model completed by 2045" in said


# --- missions ----------------------------------------------------------------------------


def test_change5_duration_beside_the_stated_about_23_days(facts):
    said = text(missions_prose.duration_sentences(facts, "change-5"))
    assert "**22.90 days** (22 d 21 h 29 min)" in said
    assert "“about 23 days”" in said
    assert "the computed duration is 0.10 days shorter than its 23 days" in said


def test_change6_says_what_is_missing(facts):
    assert "The article states no duration for Chang’e-6." in text(missions_prose.duration_sentences(facts, "change-6"))
    coverage = text(missions_prose.phase_coverage_sentences(facts, "change-6"))
    assert "It has no event for: Lunar orbit insertion." in coverage


def test_mission_without_events_says_so_plainly(facts):
    sentences = missions_prose.duration_sentences(facts, "change-8")
    assert sentences[0].template.startswith("The data lacks a launch or a capsule-landing event")
    assert "no gap can be computed" in text(missions_prose.gap_sentences(facts, "change-8"))


def test_gap_sentences_beside_the_stated_44_years(facts):
    said = text(missions_prose.gap_sentences(facts, "change-5"))
    assert "**44.3 years**" in said and "“44 years”" in said


def test_mass_sentences_compare_the_article_and_name_the_conflict(facts):
    masses = missions.sample_masses(facts)
    said = text(missions_prose.mass_sentences(facts, "change-5", masses))
    assert "Chang’e-5 returned **1,731 g**" in said
    assert "“around 2 kg”: 15.5 % more than the 1,731 g recorded" in said
    assert "Sources disagree on Luna 20" in said and "“55 g”" in said and "“30 g”" in said


def test_overview_names_what_is_recorded_and_what_is_not(facts):
    said = text(missions_prose.overview_sentences(facts, "change-5"))
    assert said.startswith("**Chang’e-5** (sample return) was flown by CNSA")
    assert "Recorded launch vehicle: Long March 5" in said


def test_every_mission_in_the_data_is_described_in_full(facts):
    masses = missions.sample_masses(facts)
    for mission in facts.missions["id"]:
        name = missions.mission_name(facts, mission)
        groups = [
            missions_prose.overview_sentences(facts, mission),
            missions_prose.phase_coverage_sentences(facts, mission),
            missions_prose.duration_sentences(facts, mission),
            missions_prose.mass_sentences(facts, mission, masses),
            missions_prose.gap_sentences(facts, mission),
        ]
        for sentences in groups:
            assert sentences, f"{mission}: a section says nothing"
            assert name in sentences[0].formatted(), f"{mission}: {sentences[0].formatted()!r} does not name it"
        for sentence in (s for group in groups for s in group):
            said = sentence.formatted()
            assert said.endswith((".", "”")), f"{mission}: unfinished sentence {said!r}"
            assert not MISSING.search(said), f"{mission}: a value is missing in {said!r}"


# --- claims ------------------------------------------------------------------------------


def test_tally_sentences(facts):
    claims = claimcheck.mission_claims(facts, "change-5")
    ((template, values),) = claims_prose.tally_sentences(claims, "about Chang’e-5")
    assert template.format(**values).startswith(f"**{len(claims)} claims** about Chang’e-5 were checked")
    said = text(claims_prose.tally_sentences(facts.claims, "in the article", facts))

    def tally(column: str) -> str:  # the expected words, counted from the data: "26 supported, 2 partly supported"
        counts = facts.claims[column].value_counts()
        return ", ".join(f"{counts[verdict]} {verdict}" for verdict in VERDICTS if verdict in counts)

    reviewed = format_partial(claimcheck.claims_reviewed(facts))
    assert (
        f"When published (27 April 2021): {tally('verdict')}. Now (reviewed {reviewed}): {tally('verdict_now')}."
        in said
    )
    ((template, values),) = claims_prose.tally_sentences(
        claimcheck.mission_claims(facts, "change-6"), "about Chang’e-6"
    )
    assert template.format(**values) == "The data holds no claims about Chang’e-6."


def test_article_sentence_comes_from_the_sources_table(facts):
    ((template, values),) = claims_prose.article_sentences(facts)
    assert template.format(**values) == (
        "The article: TASS, “China to team up with Russia, other partners in creating lunar station — diplomat”, "
        "published 27 April 2021 (https://tass.com/science/1283825)."
    )


def test_changed_verdicts_are_listed(facts):
    said = text(claims_prose.changed_sentences(facts.claims))
    assert said.startswith("**1** claim changed verdict between publication and now:")
    assert ": unverifiable → supported" in said
