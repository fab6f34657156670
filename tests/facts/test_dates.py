"""Partial dates: vectorised parsing, intervals with their precision, precision-aware formatting."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lunar_report import load_facts
from lunar_report.facts.dates import (
    PRECISION_BY_LENGTH,
    PRECISIONS,
    Interval,
    Precision,
    coarse_dates,
    coarser,
    end_of_period,
    event_interval,
    format_at_precision,
    format_event_date,
    parse_local,
    parse_partial,
    precision_of,
    to_utc,
    years_between,
    zone_label,
)

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "minimal"


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return load_facts(MINIMAL).events


def event(events: pd.DataFrame, event_id: str) -> pd.Series:
    return events.set_index("id", drop=False).loc[event_id]


def test_precision_is_read_from_the_form():
    texts = pd.Series(["2021", "2021-03", "2021-03-09", "2021-03-09T05:42", "2021-03-09T05:42:10", "", "21"])
    assert precision_of(texts).tolist()[:5] == ["year", "month", "day", "minute", "second"]
    assert precision_of(texts).isna().tolist()[5:] == [True, True]


def test_parse_local_gives_first_instants_and_nat_for_impossible_dates():
    texts = pd.Series(
        ["2017-11", "2021", "2020-11-23T20:30:12", "2021-02-30", "2021-13", "2021-01-01T25:00", "", "1500"]
    )
    parsed = parse_local(texts)
    assert str(parsed.dtype) == "datetime64[ns]"
    assert parsed.tolist()[:3] == [
        pd.Timestamp("2017-11-01"),
        pd.Timestamp("2021-01-01"),
        pd.Timestamp("2020-11-23T20:30:12"),
    ]
    assert parsed.isna().tolist()[3:] == [True] * 5


def test_vectorised_parsing_agrees_with_the_scalar_parser():
    texts = pd.Series(["2017-11", "2021-04-27", "2020-11-23T20:30:12", "2021-06-16"])
    zones = pd.Series(["", "Asia/Shanghai", "UTC", "Europe/Moscow"])
    expected = [parse_partial(t, z or None) for t, z in zip(texts, zones, strict=False)]
    assert to_utc(parse_local(texts), zones).tolist() == expected


def test_local_day_starts_are_converted_to_utc():
    instants = to_utc(parse_local(pd.Series(["2021-04-27", "2021-04-27"])), pd.Series(["Asia/Shanghai", ""]))
    assert str(instants.dtype) == "datetime64[ns, UTC]"
    assert instants.tolist() == [pd.Timestamp("2021-04-26T16:00", tz="UTC"), pd.Timestamp("2021-04-27", tz="UTC")]


def test_end_of_period_is_the_first_instant_after_it():
    texts = pd.Series(["2025", "2021-02", "2021-03-09", "2021-03-09T10:00", "2021-03-09T10:00:59"])
    ends = end_of_period(parse_local(texts), precision_of(texts))
    assert ends.tolist() == [
        pd.Timestamp(t) for t in ("2026-01-01", "2021-03-01", "2021-03-10", "2021-03-09T10:01", "2021-03-09T10:01:00")
    ]


def test_interval_between_events_carries_the_coarser_precision(events):
    launch_to_return = event_interval(events, "ce5-launch", "ce5-earth-return")
    assert launch_to_return.delta == pd.Timestamp("2020-12-16T17:59Z") - pd.Timestamp("2020-11-23T20:30:12Z")
    assert launch_to_return.precision == "minute"
    assert not launch_to_return.coarser_than_day
    assert launch_to_return.days == pytest.approx(22.895, abs=1e-3)

    programme_to_briefing = event_interval(events, "art-programme-2017", "art-briefing-2021")
    assert programme_to_briefing.precision == "month"
    assert programme_to_briefing.coarser_than_day


def test_interval_is_rounded_to_the_minute_its_coarser_end_is_known_to(events):
    launch_to_return = event_interval(events, "ce5-launch", "ce5-earth-return")  # 20:30:12 (second) → 17:59 (minute)
    assert launch_to_return.rounded == pd.Timedelta(days=22, hours=21, minutes=29)
    assert launch_to_return.days == pytest.approx(launch_to_return.rounded / pd.Timedelta(days=1))
    assert launch_to_return.years == pytest.approx(launch_to_return.days / 365.2425)
    programme_to_briefing = event_interval(events, "art-programme-2017", "art-briefing-2021")
    assert programme_to_briefing.rounded == programme_to_briefing.delta, "dates are not rounded"


def test_interval_keeps_its_two_events(events):
    by_id = events.set_index("id", drop=False)
    interval = Interval(by_id.loc["ce5-launch"], by_id.loc["ce5-earth-return"])
    assert (interval.start["id"], interval.end["id"]) == ("ce5-launch", "ce5-earth-return")
    assert interval.delta == event_interval(events, "ce5-launch", "ce5-earth-return").delta


def test_interval_with_an_unknown_event_names_it(events):
    with pytest.raises(KeyError, match="no event with id nope"):
        event_interval(events, "ce5-launch", "nope")


def test_years_between_uses_mean_gregorian_years(events):
    assert years_between("2000-01-01", "2000-01-01") == 0
    assert years_between(pd.Timestamp("2000-01-01"), pd.Timestamp("2000-01-01") + pd.Timedelta(days=365.2425)) == 1
    landing, earth_return = event(events, "apollo11-lunar-landing"), event(events, "ce5-earth-return")
    expected = (earth_return["start_utc"] - landing["start_utc"]).total_seconds() / (365.2425 * 86400)
    assert years_between(landing["start_utc"], earth_return["start_utc"]) == pytest.approx(expected)
    spans = years_between(events["start_utc"], events["end_utc"])
    assert spans.dropna().tolist() == [pytest.approx(1461 / 365.2425)]


def test_dates_print_only_as_precisely_as_known(events):
    programme = event(events, "art-programme-2017")
    assert format_at_precision(programme["start_utc"], "month") == "November 2017"
    assert format_event_date(programme) == "November 2017"


def test_calendar_days_stay_in_their_recorded_zone(events):
    briefing = event(events, "art-briefing-2021")
    assert format_event_date(briefing, "UTC") == "27 April 2021"
    assert format_event_date(briefing, "Asia/Shanghai") == "27 April 2021"


def test_times_are_shown_in_the_display_zone_with_its_name(events):
    launch = event(events, "ce5-launch")
    assert format_event_date(launch) == "23 November 2020 20:30:12 UTC"
    assert format_event_date(launch, "Asia/Shanghai") == "24 November 2020 04:30:12 Asia/Shanghai (UTC+8)"
    assert format_event_date(event(events, "ce5-earth-return"), "Asia/Shanghai") == (
        "17 December 2020 01:59 Asia/Shanghai (UTC+8)"
    )


def test_spans_print_start_to_end(events):
    assert format_event_date(event(events, "ilrs-phase-1")) == "2021–2025"


def test_zone_labels_follow_daylight_saving():
    summer, winter = pd.Timestamp("2021-07-01", tz="UTC"), pd.Timestamp("2021-01-01", tz="UTC")
    assert zone_label(summer, "Europe/London") == "Europe/London (UTC+1)"
    assert zone_label(winter, "Europe/London") == "Europe/London (UTC+0)"
    assert zone_label(winter, "Asia/Kolkata") == "Asia/Kolkata (UTC+5:30)"
    assert zone_label(winter, "UTC") == "UTC"


def test_precisions_run_from_finest_to_coarsest():
    assert list(Precision) == ["second", "minute", "day", "month", "year"]
    assert PRECISIONS == ("second", "minute", "day", "month", "year")
    assert [precision.rank for precision in Precision] == [0, 1, 2, 3, 4]
    assert Precision("day") is Precision.DAY and Precision.DAY == "day"
    assert f"{Precision.MONTH}" == "month"
    assert set(PRECISION_BY_LENGTH.values()) == set(Precision)


def test_clock_times_and_coarse_dates():
    assert [p for p in Precision if p.is_clock_time] == [Precision.SECOND, Precision.MINUTE]
    assert [p for p in Precision if p.coarser_than_day] == [Precision.MONTH, Precision.YEAR]
    texts = pd.Series(["2021", "2021-03", "2021-03-09", "2021-03-09T05:42"])
    assert coarse_dates(precision_of(texts)).tolist() == [True, True, False, False]


def test_coarser_of_two_precisions():
    assert coarser("day", "month") is Precision.MONTH
    assert coarser("second", "minute") is Precision.MINUTE
    assert coarser(Precision.YEAR, "second") is Precision.YEAR
