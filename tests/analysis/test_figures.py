"""Report figures: titles, labels and the shared finish; coarse dates drawn as spans; many rows aggregated.

On the `known` fixture (tests/fixtures/known/README.md).
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from known import AS_OF, MISSION
from lunar_report.analysis import missions
from lunar_report.analysis.figures import style
from lunar_report.analysis.figures.claims import tally_figure
from lunar_report.analysis.figures.missions import gaps_figure, mass_figure, mission_phases_figure
from lunar_report.analysis.figures.timeline import ilrs_phases_figure, partners_figure, timeline_figure
from lunar_report.analysis.tables.timeline import counts_table
from lunar_report.analysis.timeline import partner_joinings
from lunar_report.facts.schema import VERDICTS

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def facts(known):
    """The known fixture (conftest's `known`), under the name these tests use for the fact base."""
    return known


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def notes(fig) -> list[str]:
    return [text.get_text() for text in fig.texts]


def test_finish_prints_the_note_under_the_figure_and_fits_the_layout():
    fig, ax = style.new_figure(4, 3)
    ax.set_title("A title")
    default = ax.get_position().bounds
    assert style.finish(fig, "Source: test") is fig
    (note,) = fig.texts
    assert note.get_text() == "Source: test"
    assert note.get_position() == (0.01, -0.01) and note.get_ha() == "left" and note.get_va() == "top"
    assert ax.get_position().bounds != default, "the layout was fitted to the figure"


def test_every_series_has_a_colour_a_marker_and_a_hatch():
    looks = [style.style(i) for i in range(len(style.OKABE_ITO))]
    assert len({look["color"] for look in looks}) == len(looks)
    assert style.style(len(style.OKABE_ITO)) == style.style(0)


def test_source_note_lists_the_most_cited_sources_and_counts_the_rest(facts):
    assert style.source_note(facts.sources, []) == style.SOURCE_PREFIX
    assert style.source_note(facts.sources, ["fx-lab-a"]) == f"{style.SOURCE_PREFIX} (Fixture Lab A)"
    cited = ["fx-observer", "fx-lab-a", "fx-observer", "fx-wiki", "fx-agency"]
    assert style.source_note(facts.sources, cited, limit=2) == (
        f"{style.SOURCE_PREFIX} (Fixture Observer; Fixture Lab A; 2 more sources)"
    ), "the most cited first, then in first-cited order"


def test_timeline_figure_draws_coarse_dates_as_bars(events):
    partners = events[events["category"] == "partner"]
    fig = timeline_figure(partners, "UTC", AS_OF, note="Source: test")
    ax = fig.axes[0]
    assert len(ax.patches) == 1, "Mockovia, known to the month, is a bar; the day-dated joinings are points"
    assert ax.get_xlabel() == "Date (UTC)" and ax.get_title()
    assert "Source: test" in notes(fig)


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
    fig = timeline_figure(many, "Asia/Shanghai", AS_OF)
    ax = fig.axes[0]
    assert "100,000 events" in ax.get_title()
    assert len(ax.patches) <= 3 * 31, "one cell per lane and year, never one marker per event"
    assert not ax.lines or all(len(line.get_xdata()) < 10 for line in ax.lines)
    assert ax.get_xlabel() == "Date (Asia/Shanghai, UTC+8)"
    counts = counts_table(many, "UTC")
    assert counts.drop(columns="Category").to_numpy().sum() == n


def test_ilrs_phases_figure_counts_phases_when_there_are_too_many(events):
    phases = events[events["category"] == "phase"]
    many = pd.concat([events] + [phases.assign(id=phases["id"] + f"-{i}") for i in range(20)])
    fig = ilrs_phases_figure(many, AS_OF, note="Source: test")
    ax = fig.axes[0]
    assert "too many for one bar each" in ax.get_title()
    assert not ax.patches, "no bar per phase"
    assert ax.get_ylabel() == "Phases in progress"
    assert "Source: test" in notes(fig)
    few = ilrs_phases_figure(events, AS_OF, note="Source: test").axes[0]
    assert len(few.patches) == len(phases)


def test_partners_figure_marks_the_stated_count(events):
    joinings = partner_joinings(events)
    fig = partners_figure(joinings, 4, "4 countries stated", AS_OF, "UTC", note="Source: test")
    ax = fig.axes[0]
    assert ax.get_ylim()[1] == 4 + 1.5
    assert "4 countries stated" in [text.get_text() for text in ax.texts]
    assert {text.get_text() for text in ax.texts} >= {"Testland", "Mockovia", "Samplia"}
    assert "Source: test" in notes(fig)


def test_mission_figures_have_titles_labels_and_log_scale(facts):
    masses = missions.sample_masses(facts)
    stated = missions.stated_figure(facts, MISSION, "sample_mass")
    fig = mass_figure(facts, masses, MISSION, stated, note="Source: test")
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert "log scale" in ax.get_xlabel() and ax.get_title()
    assert any(t.get_text() == "sources disagree" for t in ax.texts)
    assert {"40 g", "60 g"} <= {t.get_text() for t in ax.texts}
    assert "as the article states it (around 2 kg)" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Source: test" in notes(fig)
    for figure in (mission_phases_figure(facts, MISSION, "n"), gaps_figure(facts, MISSION, "n")):
        assert figure.axes[0].get_title() and figure.axes[0].get_xlabel()
        assert notes(figure) == ["n"]


def test_gaps_figure_marks_the_gap_in_years(facts):
    ax = gaps_figure(facts, MISSION, "n").axes[0]
    assert "10.0 years" in [text.get_text() for text in ax.texts]


def test_every_mission_with_phase_events_has_a_phase_figure(facts):
    for mission in facts.missions["id"]:
        phases = missions.phase_events(facts, mission)
        if not phases.empty:
            ax = mission_phases_figure(facts, mission, "n").axes[0]
            assert len(ax.get_yticklabels()) == len(phases)
            plt.close("all")


def test_tally_figure(facts):
    fig = tally_figure(facts.claims, note="Source: test")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Number of claims"
    assert f"{len(facts.claims)} claims" in ax.get_title()
    assert len(ax.patches) == 2 * len(VERDICTS), "one bar per verdict when published and one now"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["When published", "Now"]
    assert "Source: test" in notes(fig)
