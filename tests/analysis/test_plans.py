"""Plans at or past their date (analysis/plans.py): due while their period runs, overdue once it has ended,
never said not to have happened; in `audit`, the freshness warning, the timeline, mission and claim pages."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from helpers import read_rows, run_cli, set_cell, write_rows
from known import AS_OF, KNOWN, known_facts, with_planned_launch
from lunar_report.analysis.claimpages import claim_pages
from lunar_report.analysis.plans import plan_text, plans_due, plans_of_mission
from lunar_report.analysis.prose.reviews import freshness_sentences
from lunar_report.analysis.reviews import REPORT_TABLES, latest_reviews
from lunar_report.facts.load import load_facts


def day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


@pytest.fixture
def planned(tmp_path: Path) -> Path:
    return with_planned_launch(tmp_path / "data", "2027", "year")


def states(data: Path, as_of: str) -> dict[str, str]:
    found = plans_due(load_facts(data), day(as_of))
    return dict(zip(found["id"], found["state"], strict=True))


def test_a_year_plan_is_due_through_its_year_and_overdue_from_the_next(planned):
    assert states(planned, "2026-12-31") == {}, "before its year: not yet at its date"
    assert states(planned, "2027-01-01") == {"fx-lander-2-launch": "due"}
    assert states(planned, "2027-12-31") == {"fx-lander-2-launch": "due"}, "the year has not ended"
    assert states(planned, "2028-01-01") == {"fx-lander-2-launch": "overdue"}


def test_a_month_plan_is_overdue_once_its_month_has_ended(tmp_path):
    data = with_planned_launch(tmp_path / "data", "2027-03", "month")
    assert states(data, "2027-03-31") == {"fx-lander-2-launch": "due"}
    assert states(data, "2027-04-01") == {"fx-lander-2-launch": "overdue"}


def test_a_recorded_outcome_ends_the_plan(planned):
    set_cell(planned, "missions.csv", 6, "outcome", "success")  # fx-lander-2 flew
    assert states(planned, "2028-06-01") == {}


def test_a_stated_target_is_overdue_after_its_year_and_the_article_rows_are_not_plans():
    facts = known_facts()
    assert plans_due(facts, day("2032-12-31"))["state"].tolist() == ["due"]
    found = plans_due(facts, day("2033-01-01"))
    assert found[["id", "state", "planned", "what"]].to_dict("records") == [
        {"id": "fx-base-target", "state": "overdue", "planned": "2032", "what": "outcome"}
    ]


def test_the_words_say_what_is_not_recorded_never_that_it_did_not_happen(planned):
    facts = load_facts(planned)
    due = plans_due(facts, day("2027-12-07")).iloc[0]
    assert plan_text(due, day("2027-12-07")) == (
        "Fixture Lander 2 launch: planned for 2027; no launch recorded in the fact base as of 7 December 2027"
    )
    late = plans_due(facts, day("2028-02-01")).iloc[0]
    assert plan_text(late, day("2028-02-01")) == (
        "Fixture Lander 2 launch (overdue: 2027 has ended): planned for 2027; no launch recorded in the fact base "
        "as of 1 February 2028"
    )
    assert plans_of_mission(facts, "fx-lander-1", day("2028-02-01")).empty


def test_audit_lists_an_overdue_plan_as_of_a_later_date(capsys, planned):
    result = run_cli(capsys, "audit", "--data", str(planned), "--as-of", "2028-02-01", "--format", "csv")
    assert result.code == 0, result.stderr
    listed = [r for r in csv.DictReader(io.StringIO(result.stdout)) if r["concern"] in ("overdue plan", "plan due")]
    assert listed == [
        {
            "table": "events",
            "id": "fx-lander-2-launch",
            "concern": "overdue plan",
            "detail": "Fixture Lander 2 launch (overdue: 2027 has ended): planned for 2027; no launch recorded in the "
            "fact base as of 1 February 2028",
        }
    ]
    early = run_cli(capsys, "audit", "--data", str(planned), "--as-of", "2027-06-01", "--format", "csv")
    concerns = {r["id"]: r["concern"] for r in csv.DictReader(io.StringIO(early.stdout))}
    assert concerns["fx-lander-2-launch"] == "plan due"


def test_the_freshness_warning_names_the_plans(planned):
    facts = load_facts(planned)
    as_of = day("2028-02-01")
    said = [
        s.formatted()
        for s in freshness_sentences(latest_reviews(facts, REPORT_TABLES["timeline"]), as_of, plans_due(facts, as_of))
    ]
    assert said[-1] == (
        "**Warning:** as of 1 February 2028 the fact base records no outcome for this plan that reached its date: "
        "Fixture Lander 2 launch (planned for 2027, overdue); the facts were last fully reviewed in June 2026, "
        "more than six months earlier. Check before relying on this report."
    )
    assert not any("may be out of date" in s for s in said), "the warning names the plan instead"


def test_without_plans_the_warning_stays_general():
    facts = known_facts()
    as_of = day("2027-01-02")
    said = [
        s.formatted() for s in freshness_sentences(latest_reviews(facts, ("events",)), as_of, plans_due(facts, as_of))
    ]
    assert said[-1].startswith("**Warning:** 2 January 2027 is more than six months after")


def test_a_claim_page_names_the_plans_its_rows_hold():
    facts = known_facts()
    claims = facts.claims
    resting = claims[claims["checked_against_now"].fillna("").str.contains("fx-base-target")]
    assert len(resting), "the fixture has a claim checked against the target"
    pages = claim_pages(facts, resting, None, day("2033-01-01"))
    plans = [plan for page in pages.values() for plan in page["plans"]]
    assert plans and all("(overdue: 2032 has ended)" in plan for plan in plans)
    assert all(page["plans"] == [] for page in claim_pages(facts, resting, None, AS_OF).values())


def test_the_fixture_itself_is_unchanged():
    assert (KNOWN / "events.csv").read_text(encoding="utf-8").count("fx-lander-2-launch") == 0


def test_only_a_planned_missions_own_events_are_plans(planned):
    rows = read_rows(planned / "events.csv")
    head = rows[0]
    partner = dict.fromkeys(head, "")
    partner |= {
        "id": "fx-lander-2-payload",
        "start": "2024-05",
        "precision": "month",
        "title": "Fixture Institute signs to fly a payload on Fixture Lander 2",
        "category": "partner",
        "milestone": "signing",
        "actors": "Testland",
        "scope": "institution",
        "mission": "fx-lander-2",
        "source": "fx-observer",
        "inferred": "false",
    }
    write_rows(planned / "events.csv", [*rows, [partner[c] for c in head]])
    assert states(planned, "2028-02-01") == {"fx-lander-2-launch": "overdue"}, "a past agreement is not a plan"


def test_the_mission_page_says_its_planned_launch_is_overdue(planned, monkeypatch):
    from lunar_report.analysis import display
    from lunar_report.analysis.citations import SourceList
    from lunar_report.analysis.parameters import validate_mission_parameters
    from lunar_report.analysis.sections import missions as mission_sections

    said: list[str] = []
    monkeypatch.setattr(display, "_publish", lambda data, metadata=None: said.append(data.get("text/plain", "")))
    params = validate_mission_parameters(
        data_dir=str(planned), mission="fx-lander-2", compare_with=None, as_of="2028-02-01"
    )
    mission_sections.show_phases(params, SourceList(params.facts.sources))
    assert (
        "Fixture Lander 2 launch (overdue: 2027 has ended): planned for 2027; no launch recorded in the fact base "
        "as of 1 February 2028." in said
    )
