"""The shipped events as loaded: typed columns, local calendar days, a start instant for every row."""

from __future__ import annotations

import pandas as pd


def test_events_are_typed(facts):
    events = facts.events
    assert str(events["start_utc"].dtype) == "datetime64[ns, UTC]"
    assert isinstance(events["precision"].dtype, pd.CategoricalDtype)
    assert str(events["inferred"].dtype) == "boolean"


def test_day_dates_keep_their_local_calendar_day(facts):
    from lunar_report.facts.dates import format_at_precision

    briefing = facts.events.set_index("id").loc["art-briefing-2021"]
    assert briefing["start_utc"] == pd.Timestamp("2021-04-26T16:00", tz="UTC")
    assert format_at_precision(briefing["start_utc"], "day", "Asia/Shanghai") == "27 April 2021"


def test_shipped_events_all_have_a_start_instant(facts):
    assert facts.events["start_utc"].notna().all()
    spans = facts.events[facts.events["end"].notna()]
    assert spans["end_utc"].notna().all()
    assert (spans["end_utc"] >= spans["start_utc"]).all()
