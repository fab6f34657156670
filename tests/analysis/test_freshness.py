"""The freshness stamp: how current the facts a report uses are (reviews.csv), beside its as-of date."""

from __future__ import annotations

import pandas as pd

from lunar_report.analysis.reviews import is_stale


def test_six_months_are_counted_from_the_end_of_the_reviewed_period():
    assert not is_stale(pd.Timestamp("2026-11-01", tz="UTC"), "2026-04")
    assert is_stale(pd.Timestamp("2026-11-02", tz="UTC"), "2026-04")
    assert not is_stale(pd.Timestamp("2027-05-26", tz="UTC"), "2026-11-25")
