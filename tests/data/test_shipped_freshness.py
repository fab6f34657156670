"""The freshness stamp of the shipped reviews.csv: the latest reviews per table and what the stamp says."""

from __future__ import annotations

import pandas as pd

from lunar_report.analysis.plans import plans_due
from lunar_report.analysis.prose.reviews import freshness_sentences
from lunar_report.analysis.reviews import REPORT_TABLES, latest_reviews, reviewed_up_to
from lunar_report.facts.load import Facts, ReadLog

AS_OF = pd.Timestamp("2026-11-25", tz="UTC")


def text(sentences) -> str:
    return " ".join(sentence.formatted() for sentence in sentences)


def test_latest_full_and_later_partial_review_per_table(facts):
    latest = latest_reviews(facts, ("claims", "events", "statements")).set_index("table")
    assert latest.loc["claims", "full"] == "2026-12-02" and latest.loc["claims", "partial"] == "2026-12-07"
    assert latest.loc["events", "full"] == "2026-04" and latest.loc["events", "partial"] == "2026-12-07"
    assert latest.loc["statements", "full"] == "2026-11-25" and latest.loc["statements", "partial"] == "2026-12-07"


def test_a_report_is_as_fresh_as_its_least_recently_reviewed_table(facts):
    assert reviewed_up_to(latest_reviews(facts, REPORT_TABLES["timeline"])) == "2026-04"
    assert reviewed_up_to(latest_reviews(facts, ("claims", "statements"))) == "2026-11-25"


def test_the_stamp_prints_the_review_at_its_precision_and_warns_after_six_months(facts):
    said = text(freshness_sentences(latest_reviews(facts, REPORT_TABLES["claims"]), AS_OF))
    assert said.startswith("As of 25 November 2026 (the date elapsed times are counted to). ")
    assert "**Facts reviewed up to April 2026**" in said
    assert "claims 2 December 2026" in said
    assert "some rows of claims, events, figures, missions, agreements and sources re-checked 7 December 2026" in said
    assert "**Warning:** 25 November 2026 is more than six months after April 2026" in said


def test_the_warning_names_the_plans_at_their_date_instead(facts):
    as_of = pd.Timestamp("2026-12-07", tz="UTC")
    said = text(freshness_sentences(latest_reviews(facts, REPORT_TABLES["timeline"]), as_of, plans_due(facts, as_of)))
    assert (
        "**Warning:** as of 7 December 2026 the fact base records no outcome for this plan that reached its date: "
        "Chang’e-7 launch (planned for 2026, a period not yet over); the facts were last fully reviewed in April "
        "2026, more than six months earlier." in said
    )
    assert "may be out of date" not in said
    later = pd.Timestamp("2027-01-02", tz="UTC")
    said = text(freshness_sentences(latest_reviews(facts, REPORT_TABLES["timeline"]), later, plans_due(facts, later)))
    assert "Chang’e-7 launch (planned for 2026, overdue)" in said
    early = text(
        freshness_sentences(latest_reviews(facts, REPORT_TABLES["claims"]), pd.Timestamp("2026-10-31", tz="UTC"))
    )
    assert "Warning" not in early, "April 2026 ends on 30 April: six months later is 1 November"


def test_a_table_never_fully_reviewed_is_named(facts):
    reviews = facts.reviews[facts.reviews["table"] != "claims"]
    frames = {"reviews": reviews}
    bare = Facts(facts.data_dir, frames, [], ReadLog())
    said = text(freshness_sentences(latest_reviews(bare, ("claims",)), AS_OF))
    assert "**The review log records no full review of claims**" in said
