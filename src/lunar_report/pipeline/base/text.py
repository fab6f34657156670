"""Words the pages share: dates as a reader reads them."""

from __future__ import annotations

from datetime import date


def long_date(iso: str) -> str:
    """`2026-11-25` → `25 November 2026`."""
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"
