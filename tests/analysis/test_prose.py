"""What the reports say: sentences computed from the fact base, beside the article's own figures.

The sentences are checked word for word on the `known` fixture (tests/fixtures/known), whose README
works out every number by hand.
"""

from __future__ import annotations

import pandas as pd

from helpers import assert_missions_described
from known import AS_OF, MISSION
from lunar_report.analysis import claims as claimcheck
from lunar_report.analysis import missions
from lunar_report.analysis.display import Sentence
from lunar_report.analysis.prose import claims as claims_prose
from lunar_report.analysis.prose import missions as missions_prose
from lunar_report.analysis.prose import timeline as timeline_prose
from lunar_report.analysis.timeline import cooperation_steps, partner_joinings, select_events


def text(sentences: list[Sentence]) -> str:
    assert all(isinstance(sentence, Sentence) for sentence in sentences)
    return " ".join(sentence.formatted() for sentence in sentences)


def utc(day: str) -> pd.Timestamp:
    return pd.Timestamp(day, tz="UTC")


# --- timeline (known fixture) --------------------------------------------------------------


def test_window_sentences_name_the_span_the_zone_and_what_is_left_out(events):
    window = select_events(events, utc("2017-01-01"))
    said = text(timeline_prose.window_sentences(window, 2, "Asia/Shanghai", AS_OF))
    assert said.startswith(
        "**22 events**, from November 2017 to 2032. Clock times are shown in **Asia/Shanghai, UTC+8**"
    )
    assert "2 rows that only the article itself states are left out" in said
    assert "counted to 25 November 2026 (UTC)" in said
    assert text(timeline_prose.window_sentences(window.iloc[:0], 0, "UTC", AS_OF)).startswith("No event")


def test_one_of_a_kind_reads_in_the_singular(known, events):
    one = events[events["id"] == "fx-join-samplia"]
    said = text(timeline_prose.window_sentences(one, 1, "UTC", AS_OF))
    assert said.startswith("**1 event**, from 20 May 2024 to 20 May 2024.")
    assert "1 row that only the article itself states is left out here" in said
    joinings = partner_joinings(one)
    assert text(timeline_prose.partner_sentences(known, joinings, "UTC", one)).startswith(
        "**1 country** besides China and Russia has a dated government-level joining"
    )
    claims = claimcheck.mission_claims(known, MISSION)
    assert text(claims_prose.tally_sentences(claims.iloc[:1], "here")).startswith("**1 claim** here was checked twice.")


def test_step_sentences_span_the_milestones_at_the_coarser_precision(known, events):
    window = select_events(events, utc("2021-03-01"), utc("2021-07-01"))
    said = text(timeline_prose.step_sentences(cooperation_steps(known, window)))
    assert said == "From “Memorandum signed” to “Roadmap released”: 98 days (0.27 years)."
    whole = text(timeline_prose.step_sentences(cooperation_steps(known, events)))
    assert whole == (
        "From “Cooperation programme signed” to “Latest dated partner joins (Samplia)”: about 79 months (6.5 years)."
    ), "November 2017 is known to the month: the span is in months"
    assert "fewer than two" in text(timeline_prose.step_sentences(cooperation_steps(known, window.iloc[:0])))


def test_current_phase_sentences(events):
    said = text(timeline_prose.current_phase_sentences(events, AS_OF))
    assert said == (
        "On 25 November 2026 the plan is in **Fixture phase 2: build**, which began in 2026: 0.9 years ago. "
        "It is planned to run to the end of 2030: 4.1 years from then."
    )
    later = text(timeline_prose.current_phase_sentences(events, utc("2040-01-01")))
    assert later == "On 1 January 2040 the plan is in **Fixture phase 3: use**, which began in 2031: 9.0 years ago."
    early = text(timeline_prose.current_phase_sentences(events, utc("2000-01-01")))
    assert early == "No ILRS phase in the data runs on 1 January 2000."


def test_partner_sentences_count_dated_government_joinings_only(known, events):
    said = text(timeline_prose.partner_sentences(known, partner_joinings(events), "UTC", events))
    assert said == (
        "**3 countries** besides China and Russia have a dated government-level joining: the first was Testland "
        "(14 February 2023), the latest dated partner Samplia (20 May 2024); 1 of these dates is known only to the "
        "month. Agency-West (Director Fixture) stated **4 countries** on 28 April 2025, against **3** with a dated "
        "government-level joining in the data. The data’s note: “The statement names Testland, Mockovia, Samplia "
        "and Undatia; the data dates no joining for Undatia.” Not counted as a country joining (institution level): "
        "Fixture Institute of Optics (Examplestan) signs a station MoU, 5 March 2024."
    )
    assert text(timeline_prose.partner_sentences(known, partner_joinings(events.iloc[:0]), "UTC")) == (
        "The data has no government-level partner joining events."
    )


def test_stated_partner_line_labels_the_figure(known):
    assert timeline_prose.stated_partner_line(known) == (4, "4 countries stated: Agency-West, 28 April 2025")


def test_target_sentences_say_who_set_and_reaffirmed_it_and_the_years_left(known):
    said = text(timeline_prose.target_sentences(known, AS_OF, "UTC"))
    assert said == (
        "**Target: fixture base model.** Latest stated target: **by 2032** (set by Agency-East on 24 April 2024, "
        "last reaffirmed by Director Fixture on 1 September 2025; first stated: by 2030 (Director Fixture, "
        "1 March 2022)). On 25 November 2026, 5.1 years remain until 1 January 2032. "
        "Revisions: no date (Director Fixture, 1 May 2021) → by 2030 (Director Fixture, 1 March 2022) → "
        "by 2032 (Agency-East, 24 April 2024; Agency-West, 1 September 2025; Director Fixture the same day)."
    ), (
        "set by the first statement of the target as it stands (a later one reaffirms it); first stated: the first with a date"
    )
    later = text(timeline_prose.target_sentences(known, utc("2033-01-01"), "UTC"))
    assert "On 1 January 2033, 1 January 2032 passed 1.0 years before then." in later


def test_phase_statements_name_the_roadmap_the_conflict_and_the_later_targets(known, events):
    said = text(timeline_prose.phase_statement_sentences(known, events))
    assert said == (
        "These phases were set out on 16 June 2021 by Agency-East and Agency-West: Fixture phase 1: survey in "
        "2021–2025; Fixture phase 2: build in 2026–2030; Fixture phase 3: use from 2031 or from 2032 (reports differ). "
        "For Fixture phase 3: use, reports of the same day disagree: “from 2031 (use)” (Fixture Observer) and "
        "“beyond 2032 (use)” (Fixture Wiki Mirror); the data dates the phase from 2031. "
        "Since 24 April 2024 Agency-East describes the plan by targets instead of these phases (fixture base model "
        "by 2032; see “Elapsed and remaining time”), so the phase named below is the 2021 roadmap’s, not "
        "necessarily the current plan’s."
    )


# --- missions (known fixture) --------------------------------------------------------------


def test_duration_beside_the_stated_about_21_days(known):
    said = text(missions_prose.duration_sentences(known, MISSION))
    assert said == (
        "Computed from the data, Fixture Lander 1 took **20.50 days** (20 d 12 h 0 min), from launch on "
        "1 November 2020 00:00:00 UTC to the capsule’s landing on 21 November 2020 12:00 UTC. "
        "The article says “about 21 days”: the computed duration is 0.50 days shorter than its 21 days."
    )


def test_a_mission_the_article_gives_no_duration_for_says_so(known):
    said = text(missions_prose.duration_sentences(known, "fx-probe-0"))
    assert "took **20.25 days** (20 d 6 h 0 min)" in said
    assert said.endswith("The article states no duration for Fixture Probe 0.")


def test_phase_coverage_names_the_missing_core_phase(known):
    assert text(missions_prose.phase_coverage_sentences(known, MISSION)) == (
        "The data dates 6 phases of Fixture Lander 1. It has no event for: Docking in lunar orbit."
    )


def test_mission_without_events_says_so_plainly(known):
    assert text(missions_prose.duration_sentences(known, "fx-lander-2")) == (
        "The data lacks a launch or a capsule-landing event for Fixture Lander 2, so its duration cannot be computed."
    )
    assert "no gap can be computed" in text(missions_prose.gap_sentences(known, "fx-lander-2"))
    assert text(missions_prose.phase_coverage_sentences(known, "fx-lander-2")) == (
        "The data has no dated phase events for Fixture Lander 2."
    )


def test_gap_sentences_beside_the_stated_10_years(known):
    assert text(missions_prose.gap_sentences(known, MISSION)) == (
        "Fixture Lander 1's capsule landed **10.0 years** after the previous sample return, Fixture Probe 0 "
        "(21 November 2010 12:00 UTC). The article says “10 years”; the data gives 10.00 years, 10 whole years."
    )
    probe = text(missions_prose.gap_sentences(known, "fx-probe-0"))
    assert "**35.4 years** after the previous sample return, Fixture Crewed 1 (1 July 1975)" in probe


def test_mass_sentences_compare_the_article_and_name_the_conflict(known):
    masses = missions.sample_masses(known)
    assert text(missions_prose.mass_sentences(known, MISSION, masses)) == (
        "Fixture Lander 1 returned **1,500 g** (“1,500 g” (Fixture Space Agency)). "
        "The article says “around 2 kg”: 33.3 % more than the 1,500 g recorded. "
        "Sources disagree on Fixture Probe 0: “40 g” (Fixture Lab A) vs “60 g” (Fixture Lab B); "
        "both are shown, neither is chosen."
    )
    probe = text(missions_prose.mass_sentences(known, "fx-probe-0", masses))
    assert probe.startswith("Fixture Probe 0 returned **40 g or 60 g**")
    assert "The article gives no sample mass for Fixture Probe 0." in probe


def test_overview_names_what_is_recorded_and_what_is_not(known):
    assert text(missions_prose.overview_sentences(known, MISSION)) == (
        "**Fixture Lander 1** (sample return) was flown by Agency-East (Testland); outcome: success. "
        "Recorded launch vehicle: Fixture Long March; launch site: Fixture Coast; landing site on the Moon: "
        "Fixture Highland."
    )
    assert text(missions_prose.overview_sentences(known, "fx-lander-2")).endswith(
        "The data does not record its launch vehicle, launch site, landing site on the Moon."
    )


# --- claims (known fixture) ----------------------------------------------------------------


def test_tally_sentences_date_both_checks(known):
    assert text(claims_prose.tally_sentences(known.claims, "in the article", known)) == (
        "**3 claims** in the article were checked twice. When published (27 April 2021): 1 supported, "
        "1 partly supported, 1 unverifiable. Now (reviewed 15 September 2026): 1 supported, 1 partly supported, "
        "1 contradicted."
    )
    mission = claimcheck.mission_claims(known, MISSION)
    assert text(claims_prose.tally_sentences(mission, "about Fixture Lander 1")).startswith(
        "**1 claim** about Fixture Lander 1 was checked twice. When published: 1 partly supported."
    )
    empty = claimcheck.mission_claims(known, "fx-lander-2")
    assert text(claims_prose.tally_sentences(empty, "about Fixture Lander 2")) == (
        "The data holds no claims about Fixture Lander 2."
    )


def test_article_sentence_comes_from_the_sources_table(known):
    assert text(claims_prose.article_sentences(known)) == (
        "The article: Fixture News Agency, “Testland to build a lunar station with partners - fixture spokesperson”, "
        "published 27 April 2021 (https://example.org/fixture/article)."
    )


def test_changed_verdicts_are_listed(known):
    assert text(claims_prose.changed_sentences(known.claims)) == (
        "**1** claim changed verdict between publication and now: “A crewed landing is planned by 2030”: "
        "unverifiable → contradicted."
    )
    unchanged = known.claims[known.claims["verdict"] == known.claims["verdict_now"]]
    assert text(claims_prose.changed_sentences(unchanged)) == (
        "No claim's verdict changed between publication and now."
    )


def test_every_mission_is_described_in_full(known):
    """Every section of every mission's report says something, names the mission, and leaves no value out."""
    assert_missions_described(known)
