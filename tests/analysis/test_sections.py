"""Each notebook section shows its sentences, tables and figures in reading order, from one call.

On the `known` fixture (tests/fixtures/known/README.md says what each section has to show).
"""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

from helpers import with_notebook_defaults
from known import AS_OF, KNOWN, MISSION
from lunar_report import paths
from lunar_report.analysis import display
from lunar_report.analysis import parameters as checkers
from lunar_report.analysis.citations import SourceList
from lunar_report.analysis.provenance import reference_events
from lunar_report.analysis.sections import claims as claims_sections
from lunar_report.analysis.sections import common as common_sections
from lunar_report.analysis.sections import missions as mission_sections
from lunar_report.analysis.sections import timeline as timeline_sections
from lunar_report.analysis.timeline import select_events

matplotlib.use("Agg")

validate_timeline_parameters = with_notebook_defaults(checkers.validate_timeline_parameters, "timeline.ipynb")
validate_mission_parameters = with_notebook_defaults(checkers.validate_mission_parameters, "mission_figures.ipynb")
DATE = f"{AS_OF:%Y-%m-%d}"

pytestmark = pytest.mark.usefixtures("load_once")


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    """The kind of each output published, in order: sentence, table or figure (with its alt text).

    As in a run exporting HTML only: the figures' PDF is not drawn (test_display checks when it is).
    """
    monkeypatch.setenv(paths.FORMATS_ENV, "html")
    kinds: list[str] = []

    def record(data: dict, metadata: dict | None = None) -> None:
        if "image/svg+xml" in data:
            kinds.append(f"figure: {metadata['alt'].split(': ', 1)[0]}")  # the finding after the colon varies
        elif data["text/html"].startswith('<div class="lr-figdata">'):
            kinds.append("figure data")
        elif data["text/html"].startswith("<table"):
            kinds.append("table" if data["text/latex"].startswith(r"\begingroup") else "table, a list in the PDF")
        elif data["text/html"].startswith('<div class="lr-claims">'):
            kinds.append("cards" if r"\begin{enumerate}" in data["text/latex"] else "cards without a PDF list")
        elif data["text/html"].startswith('<section class="lr-findings"'):
            kinds.append("findings")
        elif data["text/html"].startswith("<script"):
            html_only = set(data) == {"text/html", "text/latex"} and data["text/latex"] == ""
            kinds.append("html only" if html_only else "script with other forms")
        else:
            kinds.append("sentence")

    monkeypatch.setattr(display, "_publish", record)
    return kinds


def test_timeline_sections(shown):
    params = validate_timeline_parameters(data_dir=KNOWN, start="2017", as_of=DATE)
    sources = SourceList(params.facts.sources)
    events = reference_events(params.facts)
    window = select_events(events, params.start, params.end, params.categories)
    timeline_sections.show_chronology(params, window, sources)
    assert shown == ["sentence", "sentence", "table"]
    timeline_sections.show_timeline(params, window)
    timeline_sections.show_milestones(params, window, sources)
    timeline_sections.show_ilrs_phases(params, events, sources)
    timeline_sections.show_partners(params, events)
    assert shown[3:] == [
        "figure: Timeline of the cooperation's events, one lane per category",
        "figure data",
        "table",
        "sentence",
        "figure: Gantt chart of the ILRS phases",
        "figure data",
        "table",
        "sentence",  # the roadmap's phases
        "sentence",  # phase 3: the same day's reports disagree
        "sentence",  # since 24 April 2024: targets instead of phases
        "sentence",  # the phase running on as_of
        "sentence",  # its time left
        "sentence",  # the countries with a dated government-level joining
        "sentence",  # 4 stated by Agency-West, against the 3 dated ones
        "sentence",  # the Fixture Institute of Optics' MoU, not counted
        "figure: Cumulative number of ILRS partner countries over time",
        "figure data",
    ]
    del shown[:]
    timeline_sections.show_targets(params)
    assert shown == ["sentence", "sentence"], "the one target: its latest statement, then its revisions"


def test_an_empty_window_shows_sentences_only(shown):
    params = validate_timeline_parameters(data_dir=KNOWN, start="1950", end="1950", as_of=DATE)
    window = select_events(reference_events(params.facts), params.start, params.end, params.categories)
    timeline_sections.show_chronology(params, window, SourceList(params.facts.sources))
    timeline_sections.show_timeline(params, window)
    assert shown == ["sentence"]


def test_mission_sections(shown):
    params = validate_mission_parameters(data_dir=KNOWN, mission=MISSION)
    sources = SourceList(params.facts.sources)
    mission_sections.show_phases(params, sources)
    mission_sections.show_masses(params, sources)
    mission_sections.show_gap(params)
    mission_sections.show_claim_check(params, sources)
    assert shown == [
        "sentence",  # 6 phases dated
        "sentence",  # no docking event
        "table",
        "figure: Mission phases on a time axis of days since launch",
        "figure data",
        "sentence",  # 1,500 g returned
        "sentence",  # the article's "around 2 kg"
        "sentence",  # Fixture Probe 0's sources disagree
        "table",
        "figure: Returned sample mass per mission, log scale, crewed and robotic marked",
        "figure data",
        "sentence",  # 10.0 years after Fixture Probe 0
        "sentence",  # the article's "10 years"
        "figure: Every lunar sample return over time, with the gap before this mission marked",
        "figure data",
        "sentence",
        "table, a list in the PDF",  # the claims about the mission
    ]


def test_a_mission_without_a_sample_return_shows_no_mass_or_gap(shown):
    params = validate_mission_parameters(data_dir=KNOWN, mission="fx-lander-2", compare_with=["fx-lander-2"])
    sources = SourceList(params.facts.sources)
    mission_sections.show_masses(params, sources)
    mission_sections.show_gap(params)
    assert shown == ["sentence", "sentence", "sentence"]
    assert len(sources) == 0, "nothing was cited"


def test_claims_tally_section(shown, known):
    claims_sections.show_tally(known, known.claims)
    assert shown == ["sentence", "table", "figure: Number of claims per verdict, when published and now", "figure data"]


def test_claims_changes_cards_and_weak_spots_sections(shown, known):
    claims_sections.show_changes(known, known.claims)
    claims_sections.show_claims(known, known.claims, SourceList(known.sources))
    claims_sections.show_weak_spots(known, AS_OF)
    assert shown[:3] == ["sentence", "table", "cards"]
    assert shown[3:] == ["sentence"] * 6, "five weak spots, then the count of the other five"


@pytest.mark.parametrize("report", ["timeline", "mission", "claims"])
def test_every_report_shows_the_freshness_stamp(shown, known, report):
    common_sections.show_freshness(known, AS_OF, report)
    assert shown == ["sentence"], "June 2026: within six months of the review's period, no warning"
    common_sections.show_freshness(known, pd.Timestamp("2027-01-02", tz="UTC"), report)
    assert shown == ["sentence", "sentence", "sentence"], "then the stamp and the warning: over six months back"
