"""How shipped events read: a date from another zone, a duration to the minute or in days."""

from __future__ import annotations

from lunar_report.analysis import wording
from lunar_report.facts.dates import event_interval


def test_a_calendar_date_from_another_zone_names_it(facts):
    briefing = facts.events.set_index("id", drop=False).loc["art-briefing-2021"]
    assert wording.event_date(briefing, "UTC") == "27 April 2021 (Asia/Shanghai date)"
    assert wording.event_date(briefing, "Asia/Shanghai") == "27 April 2021"


def test_duration_text_to_the_minute_or_in_days(facts):
    events = facts.events
    assert wording.duration_text(event_interval(events, "ce5-launch", "ce5-earth-return")) == "22 d 21 h 29 min"
    programme_to_memorandum = event_interval(events, "art-programme-2017", "art-briefing-2021")
    assert wording.duration_text(programme_to_memorandum).startswith("about ")
    assert wording.duration_text(programme_to_memorandum).endswith(" d")
