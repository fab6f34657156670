"""How values read in tables, sentences and figure labels: event dates, zones, actors, intervals, masses."""

from __future__ import annotations

import math

import pandas as pd

from ..facts.dates import DAYS_PER_YEAR, Interval, Precision, format_event_date, zone_label
from ..facts.load import split_ids


def by_count(count: int, one: str, many: str) -> str:
    """The wording for `count` things: `one` for exactly one ("1 claim was"), else `many` ("3 claims were")."""
    return one if count == 1 else many


def zone_name(zone: str) -> str:
    """How a display zone is named in labels: "UTC" or "Asia/Shanghai, UTC+8"."""
    return zone_label(pd.Timestamp("2021-01-01", tz="UTC"), zone).replace(" (", ", ").removesuffix(")")


def event_date(event: pd.Series, display_zone: str) -> str:
    """An event's date at its precision; a calendar date recorded in another zone names that zone."""
    text = format_event_date(event, display_zone)
    recorded = event["timezone"]
    if event["precision"] == Precision.DAY and not pd.isna(recorded) and recorded != display_zone:
        return f"{text} ({recorded} date)"
    return text


def who(actors: object) -> str:
    """The first actor, with the people or bodies after it in brackets: "CMSA (Lin Xiqiang)"."""
    names = split_ids(actors)
    if not names:
        return "an unnamed source"
    return names[0] + (f" ({', '.join(names[1:])})" if len(names) > 1 else "")


def interval_text(days: float, precision: str) -> str:
    """An interval only as precise as its coarser end: "1,224 days (3.35 years)" or "about 40 months"."""
    if precision == Precision.YEAR:
        return f"about {days / DAYS_PER_YEAR:.0f} years"
    if precision == Precision.MONTH:
        months = days / (DAYS_PER_YEAR / 12)
        return f"about {months:.0f} months ({months / 12:.1f} years)"
    return f"{days:,.0f} days ({days / DAYS_PER_YEAR:.2f} years)"


def duration_text(interval: Interval) -> str:
    """A duration to the minute when both ends are clock times, "22 d 21 h 29 min"; else in days, "about 53 d"."""
    if not interval.precision.is_clock_time:
        return f"about {interval.days:.0f} d"
    days, rest = divmod(round(interval.rounded / pd.Timedelta(minutes=1)), 24 * 60)
    hours, minutes = divmod(rest, 60)
    return f"{days} d {hours} h {minutes} min"


def mass_text(grams: float, kilograms_from: float = math.inf) -> str:
    """A mass in grams, "1,731 g" or "55.5 g"; from `kilograms_from` grams on in kilograms, "1.73 kg"."""
    if grams >= kilograms_from:
        return f"{grams / 1000:,.2f} kg"
    return f"{grams:,.1f} g".replace(".0 g", " g")
