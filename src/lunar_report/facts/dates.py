"""Dates as the fact base records them: partial ISO 8601 strings with a precision and a zone.

A date such as ``2017-11`` means "some time in November 2017": it is stored as its
first instant, and every helper here keeps track of how precisely it is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from .match import matches


class Precision(StrEnum):
    """How precisely a date is known, finest first: a date at `month` means "some time in that month"."""

    SECOND = "second"
    MINUTE = "minute"
    DAY = "day"
    MONTH = "month"
    YEAR = "year"

    @property
    def rank(self) -> int:
        """0 for the finest precision (second), 4 for the coarsest (year)."""
        return list(Precision).index(self)

    @property
    def is_clock_time(self) -> bool:
        """True for a time of day (minute or second), shown in a display zone; False for a calendar date."""
        return self.rank < Precision.DAY.rank

    @property
    def coarser_than_day(self) -> bool:
        """True for a date known only to its month or year: on a time axis it is a span, not a point."""
        return self.rank > Precision.DAY.rank


PRECISIONS = tuple(precision.value for precision in Precision)  # finest to coarsest
# Partial ISO 8601: 2021, 2021-03, 2021-03-09, 2021-03-09T05:42, 2021-03-09T05:42:10 (groups that do not
# capture: the regex engine runs faster without saving them)
DATE_PATTERN = r"^\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?)?)?$"
# Form of a partial ISO date, told by its length: 2021, 2021-03, 2021-03-09, ...
PRECISION_BY_LENGTH = {
    4: Precision.YEAR,
    7: Precision.MONTH,
    10: Precision.DAY,
    16: Precision.MINUTE,
    19: Precision.SECOND,
}
_PADDING = {4: "-01-01T00:00:00", 7: "-01T00:00:00", 10: "T00:00:00", 16: ":00", 19: ""}
_ISO_FORMAT = "%Y-%m-%dT%H:%M:%S"
_ONE_PERIOD = {
    Precision.YEAR: pd.offsets.YearBegin(1),
    Precision.MONTH: pd.offsets.MonthBegin(1),
    Precision.DAY: pd.Timedelta(days=1),
    Precision.MINUTE: pd.Timedelta(minutes=1),
    Precision.SECOND: pd.Timedelta(seconds=1),
}
_ROUNDING = {Precision.MINUTE: "min", Precision.SECOND: "s"}
DAYS_PER_YEAR = 365.2425  # mean Gregorian year
_FORMATS = {
    Precision.YEAR: "%Y",
    Precision.MONTH: "%B %Y",
    Precision.DAY: "%-d %B %Y",
    Precision.MINUTE: "%-d %B %Y %H:%M",
    Precision.SECOND: "%-d %B %Y %H:%M:%S",
}


def parse_partial(text: str, timezone: str | None) -> pd.Timestamp:
    """The first instant of a partial ISO date (`2017-11` → 1 Nov 2017 00:00) in `timezone`, as UTC."""
    parts = text.split("T")
    ymd = [int(p) for p in parts[0].split("-")] + [1, 1]
    hms = [int(p) for p in parts[1].split(":")] if len(parts) > 1 else []
    hms += [0] * (3 - len(hms))
    local = datetime(ymd[0], ymd[1], ymd[2], hms[0], hms[1], hms[2], tzinfo=ZoneInfo(timezone or "UTC"))
    return pd.Timestamp(local).tz_convert("UTC")


def _lengths(texts: pd.Series) -> pd.Series:
    """The length of each string (faster than `.str.len()` on object columns)."""
    return pd.Series(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)), index=texts.index)


# Each text length's precision as a code into PRECISIONS (-1: none), up to one past the longest form
_CODE_BY_LENGTH = np.array(
    [
        PRECISIONS.index(PRECISION_BY_LENGTH[n]) if n in PRECISION_BY_LENGTH else -1
        for n in range(max(PRECISION_BY_LENGTH) + 2)
    ]
)


def precision_of(texts: pd.Series) -> pd.Series:
    """The precision each partial ISO date string is written at (`2017-11` → month); <NA> if none."""
    lengths = np.minimum(_lengths(texts).to_numpy(), len(_CODE_BY_LENGTH) - 1)  # (any longer text: none)
    codes = _CODE_BY_LENGTH[lengths]
    return pd.Series(pd.Categorical.from_codes(codes, categories=list(PRECISIONS)), index=texts.index)


def parse_local(texts: pd.Series, checked: bool = False) -> pd.Series:
    """Vectorised: the first instant of each partial ISO date, as naive local time (NaT if empty or impossible).

    Impossible dates (2021-02-30, month 13, hour 25), text that is not a partial ISO date and
    years outside 1678–2261 give NaT. `checked`: every text is already a partial ISO date or empty.
    """
    written = texts if checked else texts.where(matches(texts, DATE_PATTERN), "")
    parsed = pd.to_datetime(written, format="ISO8601", errors="coerce")  # pandas' C parser: the usual dates
    others = parsed.isna().to_numpy() & (written.to_numpy() != "")
    if others.any():  # what only strptime reads the same way as before: a leap second, digits of other scripts
        parsed = parsed.astype("datetime64[us]")
        parsed[others] = _parse_padded(written[others])
    in_range = (parsed >= pd.Timestamp.min) & (parsed <= pd.Timestamp.max)
    return parsed.where(in_range).astype("datetime64[ns]")


def _parse_padded(texts: pd.Series) -> pd.Series:
    """The first instants of partial ISO dates, each padded to a full date and time and read with strptime."""
    padding = _lengths(texts).map(_PADDING)
    padded = texts.where(padding.notna(), "") + padding.fillna("")
    return pd.to_datetime(padded, format=_ISO_FORMAT, errors="coerce").astype("datetime64[us]")


def end_of_period(local: pd.Series, precisions: pd.Series) -> pd.Series:
    """Vectorised: the first instant after each date's period (`2021-03` → 2021-04-01 00:00)."""
    result = pd.Series(pd.NaT, index=local.index, dtype=local.dtype)
    codes, found = pd.factorize(precisions)  # (compared once per distinct precision, not once per row)
    for code, precision in enumerate(found):
        step = _ONE_PERIOD.get(precision)
        if step is not None:
            chosen = np.flatnonzero(codes == code)
            result.iloc[chosen] = (local.iloc[chosen] + step).array
    return result


def to_utc(local: pd.Series, zones: pd.Series) -> pd.Series:
    """Vectorised: naive local times in each row's IANA zone (empty zone = UTC) as UTC instants.

    An ambiguous local time (a repeated hour) is its first occurrence; a time that the
    clock skipped is moved forward to the first time that exists.
    """
    codes, names = pd.factorize(zones.to_numpy())  # (a missing zone: code -1)
    instants = local.to_numpy(dtype="datetime64[ns]")
    utc = instants.copy()  # (UTC and no zone: as written)
    for code, zone in enumerate(names.tolist()):
        if zone and zone != "UTC":
            rows = np.flatnonzero(codes == code)
            first_occurrence = np.ones(len(rows), dtype=bool)
            aware = pd.DatetimeIndex(instants[rows]).tz_localize(
                zone, ambiguous=first_occurrence, nonexistent="shift_forward"
            )
            utc[rows] = aware.tz_convert(None).to_numpy()
    return pd.Series(utc, index=local.index).dt.tz_localize("UTC")


def coarse_dates(precisions: pd.Series) -> pd.Series:
    """Vectorised: True where a date is known only to its month or year."""
    coarse = [precision.value for precision in Precision if precision.coarser_than_day]
    return precisions.astype(str).isin(coarse)


def coarser(first: str, second: str) -> Precision:
    """The coarser of two precisions (`day`, `month` → `month`)."""
    return max(Precision(first), Precision(second), key=lambda precision: precision.rank)


@dataclass(frozen=True, eq=False)
class Interval:
    """The time from one dated event to another, only as precise as the coarser of their two dates.

    `start` and `end` are rows of `Facts.events`; both dates are first instants (`2017-11`
    is 1 November 2017 00:00), so a month or year at either end makes the interval indicative.
    """

    start: pd.Series
    end: pd.Series

    @property
    def precision(self) -> Precision:
        """The coarser precision of the two dates."""
        return coarser(str(self.start["precision"]), str(self.end["precision"]))

    @property
    def coarser_than_day(self) -> bool:
        """True when one end is known only to the month or year: the interval is then only indicative."""
        return self.precision.coarser_than_day

    @property
    def delta(self) -> pd.Timedelta:
        """The time between the two first instants, as recorded."""
        return self.end["start_utc"] - self.start["start_utc"]

    @property
    def rounded(self) -> pd.Timedelta:
        """`delta` rounded to the precision it is known at, when that is a minute or a second."""
        return self.delta.round(_ROUNDING.get(self.precision, "ns"))

    @property
    def days(self) -> float:
        """The interval in days (fractional), from `rounded`."""
        return float(self.rounded / pd.Timedelta(days=1))

    @property
    def years(self) -> float:
        """The interval in mean Gregorian years, from `rounded`."""
        return float(self.rounded / pd.Timedelta(days=DAYS_PER_YEAR))


def event_interval(events: pd.DataFrame, from_id: str, to_id: str) -> Interval:
    """The interval from the start of event `from_id` to the start of event `to_id`."""
    by_id = events.set_index("id")
    missing = [i for i in (from_id, to_id) if i not in by_id.index]
    if missing:
        raise KeyError(f"no event with id {', '.join(missing)}")
    return Interval(by_id.loc[from_id], by_id.loc[to_id])


def years_between(start: pd.Timestamp | pd.Series | str, end: pd.Timestamp | pd.Series | str) -> float | pd.Series:
    """Fractional years (of 365.2425 days) from `start` to `end`; Timestamps (or ISO text) or Series of them."""
    if isinstance(start, str):
        start = pd.Timestamp(start)
    if isinstance(end, str):
        end = pd.Timestamp(end)
    return (end - start) / pd.Timedelta(days=DAYS_PER_YEAR)


def format_at_precision(
    moment: pd.Timestamp, precision: str, recorded_zone: str | None = None, display_zone: str | None = None
) -> str:
    """`moment` (UTC) printed only as precisely as it is known: a month-precision date prints as "November 2017".

    Times of minute or second precision are shown in `display_zone`; a calendar date
    (day precision or coarser) stays the date of the zone it was recorded in.
    """
    if pd.isna(moment):
        return ""
    known = Precision(precision)
    zone = (display_zone if known.is_clock_time else None) or recorded_zone or "UTC"
    return str(moment.tz_convert(zone).strftime(_FORMATS[known]))


def zone_label(moment: pd.Timestamp, zone: str) -> str:
    """How a display zone is named next to a time: `UTC`, or `Asia/Shanghai (UTC+8)`."""
    if zone == "UTC":
        return "UTC"
    total = int(moment.tz_convert(zone).utcoffset().total_seconds())
    hours, minutes = divmod(abs(total) // 60, 60)
    sign = "+" if total >= 0 else "-"
    return f"{zone} (UTC{sign}{hours}{f':{minutes:02d}' if minutes else ''})"


def format_event_date(event: pd.Series, display_zone: str = "UTC") -> str:
    """An event's date as a reader should see it: "November 2017", "2021–2025", "23 November 2020 20:30 UTC".

    `event` is one row of `Facts.events`. Times (minute or second precision) are shown in
    `display_zone` and followed by that zone's name; calendar dates stay in the zone
    they were recorded in and carry no zone.
    """
    recorded = None if pd.isna(event["timezone"]) else event["timezone"]
    start = _format_one(event["start_utc"], event["precision"], recorded, display_zone)
    if pd.isna(event.get("end_utc", pd.NaT)):
        return start
    end_precision = event.get("end_precision")
    if pd.isna(end_precision):
        end_precision = PRECISION_BY_LENGTH[len(event["end"])]
    end = _format_one(event["end_utc"], end_precision, recorded, display_zone)
    joiner = "–" if " " not in start + end else " – "
    return f"{start}{joiner}{end}"


def _format_one(moment: pd.Timestamp, precision: str, recorded: str | None, display_zone: str) -> str:
    text = format_at_precision(moment, precision, recorded, display_zone)
    if Precision(precision).is_clock_time:
        text += " " + zone_label(moment, display_zone)
    return text


def format_partial(text: object) -> str:
    """A partial ISO date as a reader writes it, at its precision: "2026-04" → "April 2026"; "" when missing."""
    if text is None or pd.isna(text) or not str(text):
        return ""
    return format_at_precision(parse_partial(str(text), None), PRECISION_BY_LENGTH[len(str(text))])


def after_period(text: str) -> pd.Timestamp:
    """The first instant (UTC) after the period a partial ISO date names: "2026-04" → 1 May 2026."""
    first = parse_partial(text, None)
    return first + _ONE_PERIOD[PRECISION_BY_LENGTH[len(text)]]
