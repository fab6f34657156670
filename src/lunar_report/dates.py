"""Dates as the fact base records them: partial ISO 8601 strings with a precision and a zone."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd

_FORMATS = {
    "year": "%Y",
    "month": "%B %Y",
    "day": "%-d %B %Y",
    "minute": "%-d %B %Y %H:%M",
    "second": "%-d %B %Y %H:%M:%S",
}


def parse_partial(text: str, timezone: str | None) -> pd.Timestamp:
    """The first instant of a partial ISO date (`2017-11` → 1 Nov 2017 00:00) in `timezone`, as UTC."""
    parts = text.split("T")
    ymd = [int(p) for p in parts[0].split("-")] + [1, 1]
    hms = [int(p) for p in parts[1].split(":")] if len(parts) > 1 else []
    hms += [0] * (3 - len(hms))
    local = datetime(ymd[0], ymd[1], ymd[2], *hms, tzinfo=ZoneInfo(timezone or "UTC"))
    return pd.Timestamp(local).tz_convert("UTC")


def format_at_precision(
    moment: pd.Timestamp, precision: str, recorded_zone: str | None = None, display_zone: str | None = None
) -> str:
    """`moment` (UTC) printed only as precisely as it is known: a month-precision date prints as "November 2017".

    Times of minute or second precision are shown in `display_zone`; a calendar date
    (day precision or coarser) stays the date of the zone it was recorded in.
    """
    if pd.isna(moment):
        return ""
    fine = precision in ("minute", "second")
    zone = (display_zone if fine else None) or recorded_zone or "UTC"
    return moment.tz_convert(zone).strftime(_FORMATS[precision])
