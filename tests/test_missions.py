"""Mission analysis computed from the fact base, checked against the reference notes' values."""

from __future__ import annotations

import matplotlib
import pytest

from lunar_report.analysis import missions

matplotlib.use("Agg")


def test_change5_duration_is_launch_to_capsule_landing(facts):
    duration = missions.mission_duration(facts, "change-5")
    assert duration.launch["start"] == "2020-11-23T20:30:12"
    assert duration.landing["start"] == "2020-12-16T17:59"
    assert duration.text() == "22 d 21 h 29 min"
    assert f"{duration.days:.2f}" == "22.90"


def test_change5_duration_beside_the_stated_about_23_days(facts):
    text = " ".join(t.format(**v) for t, v in missions.duration_sentences(facts, "change-5"))
    assert "**22.90 days** (22 d 21 h 29 min)" in text
    assert "“about 23 days”" in text
    assert "the computed duration is 0.10 days shorter than its 23 days" in text


def test_phases_are_in_order_with_the_article_rows_left_out(facts):
    phases = missions.phase_events(facts, "change-5")
    assert list(phases["milestone"].astype(str)) == list(missions.PHASES)
    assert not phases["id"].str.startswith("art-").any()
    table = missions.phase_table(facts, "change-5")
    assert table.loc[table["Phase"] == "Capsule lands on Earth", "Since launch"].item() == "22.90 d"


def test_change6_works_and_says_what_is_missing(facts):
    duration = missions.mission_duration(facts, "change-6")
    assert duration.text() == "52 d 20 h 40 min"
    assert missions.missing_phases(facts, "change-6") == ["Lunar orbit insertion"]
    text = " ".join(t.format(**v) for t, v in missions.duration_sentences(facts, "change-6"))
    assert "The article states no duration for Chang’e-6." in text


def test_mission_without_events_says_so_plainly(facts):
    sentences = missions.duration_sentences(facts, "change-8")
    assert sentences[0][0].startswith("The data lacks a launch or a capsule-landing event")
    assert missions.years_since_previous_return(facts, "change-8") is None


def test_luna24_to_change5_gap_is_44_point_3_years(facts):
    gap = missions.years_since_previous_return(facts, "change-5")
    assert gap.previous["mission"] == "luna-24"
    assert gap.years == pytest.approx(44.32, abs=0.01)
    text = " ".join(t.format(**v) for t, v in missions.gap_sentences(facts, "change-5"))
    assert "**44.3 years**" in text and "“44 years”" in text


def test_change6_gap_is_since_change5(facts):
    gap = missions.years_since_previous_return(facts, "change-6")
    assert gap.previous["mission"] == "change-5"
    assert gap.years == pytest.approx(3.52, abs=0.01)


def test_sample_masses_in_grams_keep_both_luna20_values(facts):
    masses = missions.sample_masses(facts)
    luna20 = masses[masses["mission"] == "luna-20"]
    assert sorted(luna20["grams"]) == [30.0, 55.0]
    assert masses.loc[masses["mission"] == "apollo-17", "grams"].item() == pytest.approx(110_500)
    assert masses.loc[masses["mission"] == "change-5", "grams"].item() == 1731
    assert masses["mission"].is_unique is False  # Luna 20 appears twice; nothing was resolved
    assert not masses["id"].str.startswith("art-").any(), "the article's 'around 2 kg' is not a measurement"
    table = missions.mass_table(masses)
    assert (table.loc[table["Mission"] == "Luna 20", "Note"] == "sources disagree: every value is shown").all()


def test_mass_sentences_compare_the_article_and_name_the_conflict(facts):
    masses = missions.sample_masses(facts)
    text = " ".join(t.format(**v) for t, v in missions.mass_sentences(facts, "change-5", masses))
    assert "“around 2 kg”: 15.5 % more than the 1,731 g recorded" in text
    assert "Sources disagree on Luna 20" in text and "“55 g”" in text and "“30 g”" in text


def test_crewed_and_robotic_are_marked(facts):
    masses = missions.sample_masses(facts)
    assert set(masses.loc[masses["crewed"], "mission"]) == {f"apollo-{n}" for n in (11, 12, 14, 15, 16, 17)}


def test_figures_have_titles_labels_and_log_scale(facts):
    masses = missions.sample_masses(facts)
    stated = missions.stated_figure(facts, "change-5", "sample_mass")
    fig = missions.mass_figure(facts, masses, "change-5", stated, note="Source: test")
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert "log scale" in ax.get_xlabel() and ax.get_title()
    assert any(t.get_text() == "sources disagree" for t in ax.texts)
    assert any(t.get_text() == "Source: test" for t in fig.texts)
    for figure in (missions.phase_figure(facts, "change-5", "n"), missions.gaps_figure(facts, "change-5", "n")):
        assert figure.axes[0].get_title() and figure.axes[0].get_xlabel()


def test_every_mission_in_the_data_is_handled(facts):
    import matplotlib.pyplot as plt

    masses = missions.sample_masses(facts)
    for mission in facts.missions["id"]:
        sentences = (
            missions.overview_sentences(facts, mission)
            + missions.phase_sentences(facts, mission)
            + missions.duration_sentences(facts, mission)
            + missions.mass_sentences(facts, mission, masses)
            + missions.gap_sentences(facts, mission)
        )
        assert all(template.format(**values) for template, values in sentences)
        if not missions.phase_events(facts, mission).empty:
            missions.phase_table(facts, mission)
            plt.close(missions.phase_figure(facts, mission, "n"))
