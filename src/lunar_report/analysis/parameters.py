"""Check a notebook's parameters right after papermill injects them.

Each validator returns a frozen dataclass of clean values, or raises
:class:`~lunar_report.errors.ParameterError` with one line saying which parameter
is wrong and what to give instead. The validators take every parameter and declare no
defaults: those live once, in each notebook's `parameters` cell.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import ParameterError
from ..facts.dates import parse_partial
from ..facts.load import Facts, load_facts
from ..facts.schema import EVENT_CATEGORIES

TIMEZONES = ("UTC", "Asia/Shanghai")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class TimelineParameters:
    """Clean parameters of the timeline notebook; `start`/`end` are UTC instants (end exclusive).

    The fact base is loaded when first used: the host's check needs none.
    """

    data_dir: Path
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    categories: tuple[str, ...]
    timezone: str
    as_of: pd.Timestamp

    @cached_property
    def facts(self) -> Facts:
        return load_facts(self.data_dir)


@dataclass(frozen=True)
class MissionParameters:
    """Clean parameters of the mission notebook."""

    facts: Facts
    mission: str
    compare_with: tuple[str, ...] | None
    as_of: pd.Timestamp


@dataclass(frozen=True)
class ClaimsParameters:
    """Clean parameters of the claims notebook; the fact base is loaded when first used (the host's check needs none)."""

    data_dir: Path
    as_of: pd.Timestamp
    base_url: str | None = None  # the published site's address: ClaimReview is embedded only with it

    @cached_property
    def facts(self) -> Facts:
        return load_facts(self.data_dir)


def _type_name(value: object) -> str:
    return type(value).__name__


def _text(name: str, value: object, expected: str) -> str:
    if not isinstance(value, str):
        raise ParameterError(f"{name}: expected {expected}, got {value!r} ({_type_name(value)}).")
    return value


def _as_text(value: object) -> object:
    """A year given as a number, or a calendar date object (as papermill's YAML gives it), as ISO text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    return value


def checked_data_dir(data_dir: object) -> Path:
    """`data_dir` as an existing folder (None: the project's data/)."""
    if data_dir is not None and not isinstance(data_dir, (str, os.PathLike)):
        raise ParameterError(f"data_dir: expected a folder path as text, got {data_dir!r} ({_type_name(data_dir)}).")
    folder = paths.data_dir(data_dir)
    if not folder.is_dir():
        raise ParameterError(f"data_dir: folder {str(folder)!r} does not exist; give the folder that holds events.csv.")
    return folder


def _period_bound(name: str, value: object, zone: str, after: bool) -> pd.Timestamp | None:
    """The first instant of the period `value` names (`after`: the first instant after it), as UTC."""
    if value is None:
        return None
    value = _as_text(value)
    text = _text(name, value, "a date as text (YYYY, YYYY-MM or YYYY-MM-DD) or None")
    if not _DATE.match(text):
        raise ParameterError(f"{name}: {text!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD.")
    try:
        first = parse_partial(text, zone)
    except ValueError:
        raise ParameterError(f"{name}: {text!r} is not a calendar date; write YYYY, YYYY-MM or YYYY-MM-DD.") from None
    if not after:
        return first
    step = {1: pd.DateOffset(years=1), 2: pd.DateOffset(months=1), 3: pd.DateOffset(days=1)}[len(text.split("-"))]
    return (first.tz_convert(zone) + step).tz_convert("UTC")


def checked_timezone(timezone: object) -> str:
    """`timezone` if it is one the reports support."""
    if not isinstance(timezone, str) or timezone not in TIMEZONES:
        raise ParameterError(f"timezone: unknown timezone {timezone!r}; choose from: {', '.join(TIMEZONES)}.")
    return timezone


def checked_as_of(as_of: object) -> pd.Timestamp:
    """The `as_of` day as a UTC instant (00:00 UTC); None means today (UTC)."""
    if as_of is None:
        return pd.Timestamp.now(tz="UTC").normalize()
    text = _text("as_of", _as_text(as_of), "a date as text (YYYY-MM-DD) or None")
    if not _DAY.match(text):
        raise ParameterError(f"as_of: {text!r} is not a day; write YYYY-MM-DD.")
    try:
        return parse_partial(text, "UTC")
    except ValueError:
        raise ParameterError(f"as_of: {text!r} is not a calendar date; write YYYY-MM-DD.") from None


def _checked_names(name: str, values: object, known: Sequence[str], kind: str, unknown: str) -> tuple[str, ...]:
    """`values` as a tuple of distinct names from `known`; `kind` and `unknown` word the messages."""
    if isinstance(values, str) or not isinstance(values, (list, tuple)):
        raise ParameterError(f"{name}: expected a list of {kind} or None, got {values!r} ({_type_name(values)}).")
    strangers = [value for value in values if value not in known]
    if strangers:
        raise ParameterError(f"{name}: {unknown} {', '.join(map(repr, strangers))}; choose from: {', '.join(known)}.")
    return tuple(dict.fromkeys(values))


def checked_categories(categories: object) -> tuple[str, ...]:
    """`categories` as a tuple of known event categories (None: all of them)."""
    if categories is None:
        return EVENT_CATEGORIES
    chosen = _checked_names("categories", categories, EVENT_CATEGORIES, "category names", "unknown")
    if not chosen:
        raise ParameterError(f"categories: the list is empty; name at least one of: {', '.join(EVENT_CATEGORIES)}.")
    return chosen


def validate_timeline_parameters(
    *, data_dir: object, start: object, end: object, categories: object, timezone: object, as_of: object
) -> TimelineParameters:
    """Check the timeline notebook's parameters; dates are read in `timezone`.

    No defaults here: they live once, in the notebook's parameters cell (render passes them in).
    """
    zone = checked_timezone(timezone)
    first = _period_bound("start", start, zone, after=False)
    past = _period_bound("end", end, zone, after=True)
    if first is not None and past is not None and first >= past:
        raise ParameterError(f"start ({start}) is after end ({end}); give a start on or before the end.")
    chosen = checked_categories(categories)
    moment = checked_as_of(as_of)
    return TimelineParameters(checked_data_dir(data_dir), first, past, chosen, zone, moment)


def checked_mission(mission: object, known: list[str]) -> str:
    """`mission` if it is a mission id of the fact base."""
    text = _text("mission", mission, "a mission id as text")
    if text not in known:
        raise ParameterError(f"mission: unknown mission {text!r}; choose from: {', '.join(known)}.")
    return text


def checked_compare_with(compare_with: object, known: list[str]) -> tuple[str, ...] | None:
    """`compare_with` as a tuple of known mission ids (None: every sample return)."""
    if compare_with is None:
        return None
    return _checked_names("compare_with", compare_with, known, "mission ids", "unknown mission")


def validate_mission_parameters(
    *, data_dir: object, mission: object, compare_with: object, as_of: object
) -> MissionParameters:
    """Check the mission notebook's parameters against the missions of the fact base."""
    moment = checked_as_of(as_of)
    facts = load_facts(checked_data_dir(data_dir))
    known = sorted(facts.missions["id"].astype(str))
    chosen = checked_mission(mission, known)
    return MissionParameters(facts, chosen, checked_compare_with(compare_with, known), moment)


def checked_base_url(value: object) -> str | None:
    """The `base_url` parameter: None when not set (no reviews are made), else the site's absolute address."""
    if value is None or value == "":
        return None
    try:
        return paths.site_address(value)
    except ValueError as exc:
        raise ParameterError(f"base_url: {exc}") from None


def validate_claims_parameters(*, data_dir: object, as_of: object, base_url: object) -> ClaimsParameters:
    """Check the claims notebook's parameters (the fact base is loaded when the notebook uses it)."""
    moment = checked_as_of(as_of)
    address = checked_base_url(base_url)
    return ClaimsParameters(checked_data_dir(data_dir), moment, address)


PERIODS = ("start", "end")  # parameters read as a period: YYYY, YYYY-MM or YYYY-MM-DD
SEVERAL = ("categories", "compare_with")  # parameters holding a list of names (None: all of them)


def known_values(data_dir: object) -> dict[str, tuple[str, ...]]:
    """The values the checkers above accept, by parameter name, for a form to offer as its choices.

    The same sources the checkers read: the missions of the fact base, the event categories,
    the timezones. A parameter holding a list (`compare_with`, `categories`) takes several.
    """
    missions = tuple(sorted(load_facts(checked_data_dir(data_dir)).missions["id"].astype(str)))
    return {"mission": missions, "compare_with": missions, "categories": EVENT_CATEGORIES, "timezone": TIMEZONES}
