"""The checks within one table, generated from its declaration in :mod:`.schema`: vectorised rules with messages.

The validator (:mod:`.validate`) runs them over each table as read and reports each failure
as `file:row:column: message`; checks across tables live in :mod:`.crosscheck`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from . import EARLIEST_DATE, LATEST_DATE
from .dates import DATE_PATTERN, PRECISIONS, end_of_period, parse_local, precision_of
from .match import matches
from .schema import (
    BOOLEANS,
    GRAMS_PER_UNIT,
    ID_PATTERN,
    MAX_MASS_GRAMS,
    TRUE_WORDS,
    Column,
    ColumnKind,
    Table,
    form_column,
    local_column,
)
from .text import UNSAFE_LINE, UNSAFE_TEXT, unsafe_character

# --- Checks generated from the declaration --------------------------------------------
# Tables are checked as read: every cell a string, "" when empty. :func:`prepare` adds,
# once, what several rules need: each date column's written precision (`<name>.form`, a categorical),
# first instant as naive local time (`<name>.local`) and year (`<name>.year`). Each rule is
# vectorised (True where the row is fine) and run by the validator; its message says what to fix.

DATE_FORMS = "YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mm or YYYY-MM-DDThh:mm:ss"
TIME_PRECISIONS = ("minute", "second")
_ID_BODY = ID_PATTERN[1:-1]
IDS_PATTERN = rf"^{_ID_BODY}(?:;{_ID_BODY})*$"


@dataclass(frozen=True)
class Rule:
    """One check: `passes` gets the column's distinct values (a rule on one value at a time), or the whole
    prepared table if `whole_row`, or each row's position among the distinct values and those values if
    `by_position`, or the length of each distinct value if `by_length`, and returns True where the value is
    fine; `message` explains a failure from the row."""

    key: str
    column: str
    passes: Callable[..., pd.Series | np.ndarray]
    message: Callable[[dict[str, str]], str]
    whole_row: bool = False
    by_position: bool = False
    by_length: bool = False


def prepare(table: Table, frame: pd.DataFrame, distinct: Callable[[str], tuple[np.ndarray, pd.Series]]) -> pd.DataFrame:
    """The table as read plus, for each date column, its written precision, first local instant and year.

    `distinct(name)` gives a column's distinct values and each row's position among them (each distinct date
    is read once; the factorisation is the one the rules share)."""
    derived = {}
    for column in table.columns:
        if column.kind == ColumnKind.DATE:
            positions, values = distinct(column.name)
            written = values.where(matches(values, DATE_PATTERN), "")
            for name, by_value in (
                (form_column(column.name), precision_of(written)),
                (local_column(column.name), parse_local(written, checked=True)),
                (_year_column(column.name), _years(written)),
            ):
                derived[name] = pd.Series(by_value.array.take(positions), index=frame.index)
    return frame.assign(**derived)


def _year_column(name: str) -> str:
    return f"{name}.year"


def _years(written: pd.Series) -> pd.Series:
    """The year a partial ISO date is written with, as a number; NaN where empty or not in ASCII digits
    (as pandas reads numbers)."""
    firsts = written.to_numpy(dtype=object).astype("U4")  # (numpy cuts each value to its first 4 characters)
    digits = firsts.view(np.uint32).reshape(len(firsts), 4).astype(np.int64) - ord("0")
    ascii_digits = ((digits >= 0) & (digits <= 9)).all(axis=1)
    return pd.Series(np.where(ascii_digits, digits @ np.array([1000, 100, 10, 1]), np.nan), index=written.index)


def _one_of(choices: tuple[str, ...]) -> str:
    return ", ".join(choices)


def _filled(values: pd.Series) -> pd.Series:
    return pd.Series(values.to_numpy() != "", index=values.index)


def _first_or_empty(positions: np.ndarray, values: pd.Series) -> np.ndarray:
    """True for each row whose value is empty or not in an earlier row (`values` in order of first appearance,
    as factorized: a row holds a new value exactly when its position exceeds every earlier one)."""
    seen = np.maximum.accumulate(positions)
    first = np.ones(len(positions), dtype=bool)
    first[1:] = seen[1:] > seen[:-1]
    return ~_filled(values).to_numpy()[positions] | first


def _is_number(values: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values.where(_filled(values)), errors="coerce").astype(float)
    return ~_filled(values) | (numbers.abs() < float("inf"))


def _is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _valid_zones(values: pd.Series) -> pd.Series:
    known = {zone for zone in values.unique() if zone and _is_zone(zone)}
    return ~_filled(values) | values.isin(known)


def _column_rules(column: Column) -> list[Rule]:
    """Rules that look at one cell at a time, and whether ids are unique."""
    name = column.name
    value = lambda row: repr(row[name])  # noqa: E731 - a message helper
    rules = []
    if column.required:
        hint = f"choose one of: {_one_of(column.choices)}" if column.choices else "a value is required"
        rules.append(Rule(f"{name}:required", name, _filled, lambda row: f"empty; {hint}"))
    if column.choices:
        allowed = list(column.choices)
        rules.append(
            Rule(
                f"{name}:choices",
                name,
                lambda s: ~_filled(s) | s.isin(allowed),
                lambda row: f"{value(row)} is not one of: {_one_of(column.choices)}",
            )
        )
    kind_rules = {
        ColumnKind.ID: (
            lambda s: ~_filled(s) | matches(s, ID_PATTERN),
            lambda row: f"{value(row)} is not a valid id (a letter or digit, then letters, digits, _ . -)",
        ),
        ColumnKind.IDS: (
            lambda s: ~_filled(s) | matches(s, IDS_PATTERN),
            lambda row: f"{value(row)} is not a list of ids separated by ';' (no spaces)",
        ),
        ColumnKind.FLOAT: (_is_number, lambda row: f"{value(row)} is not a number"),
        ColumnKind.BOOL: (lambda s: s.isin(list(BOOLEANS)), lambda row: f"{value(row)} is not true or false"),
        ColumnKind.ZONE: (
            _valid_zones,
            lambda row: f"{value(row)} is not an IANA time zone (UTC, Asia/Shanghai, Europe/Moscow, ...)",
        ),
    }
    if column.kind in kind_rules:
        passes, message = kind_rules[column.kind]
        rules.append(Rule(f"{name}:{column.kind}", name, passes, message))
    if column.unique:
        rules.append(
            Rule(
                f"{name}:unique",
                name,
                _first_or_empty,
                lambda row: f"{value(row)} is already used by an earlier row; ids must be unique",
                by_position=True,
            )
        )
    return rules


def _agrees_with_form(stated: pd.Series, forms: pd.Series) -> np.ndarray:
    """True where the stated precision is the form the date is written at, or either is not a precision (each
    stated value looked up once among the precisions, then compared by number)."""
    codes = pd.Index(PRECISIONS).get_indexer(stated.to_numpy())
    form_codes = forms.cat.codes.to_numpy()
    return (form_codes == -1) | (codes == -1) | (form_codes == codes)


def _date_rules(column: Column) -> list[Rule]:
    """Rules for a date column: its form, a real date, and how it agrees with its row."""
    name, form, local = column.name, form_column(column.name), local_column(column.name)
    year = _year_column(name)

    def supported(t: pd.DataFrame) -> pd.Series:
        return t[year].isna() | t[year].between(EARLIEST_DATE.year, LATEST_DATE.year)

    rules = [
        Rule(
            f"{name}:date",
            name,
            lambda t: ~_filled(t[name]) | t[form].notna(),
            lambda row: f"{row[name]!r} is not a partial ISO date ({DATE_FORMS})",
            whole_row=True,
        ),
        Rule(
            f"{name}:real",
            name,
            lambda t: t[form].isna() | t[local].notna() | ~supported(t),
            lambda row: f"{row[name]!r} is not a real date or time",
            whole_row=True,
        ),
        Rule(
            f"{name}:range",
            name,
            supported,
            lambda row: f"{row[name]!r} is outside the supported range {EARLIEST_DATE} to {LATEST_DATE}",
            whole_row=True,
        ),
    ]
    if column.precision:
        stated = column.precision
        rules.append(
            Rule(
                f"{name}:precision-form",
                stated,
                lambda t: _agrees_with_form(t[stated], t[form]),
                lambda row: (
                    f"{row[stated]!r} does not match {name} {row[name]!r}, which is written at "
                    f"{row[form]} precision; make them agree"
                ),
                whole_row=True,
            )
        )
    if column.zone:
        zone = column.zone

        def zone_given_for_times(t: pd.DataFrame) -> pd.Series:
            precision = t[column.precision] if column.precision else t[form]  # (the stated one, if any)
            return ~precision.isin(TIME_PRECISIONS) | _filled(t[zone])

        rules.append(
            Rule(
                f"{name}:zone-required",
                zone,
                zone_given_for_times,
                lambda row: (
                    f"empty, but {name} {row[name]!r} is a time of day; give the IANA zone it is local to "
                    "(UTC, Asia/Shanghai, ...)"
                ),
                whole_row=True,
            )
        )
    if column.not_before:
        earlier = column.not_before

        def not_before(t: pd.DataFrame) -> pd.Series:
            past_end = end_of_period(t[local], t[form])
            start = t[local_column(earlier)]
            return start.isna() | past_end.isna() | (past_end > start)

        rules.append(
            Rule(
                f"{name}:not-before",
                name,
                not_before,
                lambda row: f"{row[name]!r} is before {earlier} {row[earlier]!r}",
                whole_row=True,
            )
        )
    return rules


MAX_LENGTH = {
    ColumnKind.STR: 2000,
    ColumnKind.QUOTE: 2000,
    ColumnKind.ID: 64,
    ColumnKind.IDS: 2000,
    ColumnKind.FILE: 255,
    ColumnKind.ZONE: 64,
    ColumnKind.DATE: 19,
    ColumnKind.FLOAT: 32,
    ColumnKind.BOOL: 5,
}
"""Characters a cell of each kind may hold: far above any real value, low enough that a typo or a paste is caught."""


def _unsafe_pattern(column: Column) -> re.Pattern[str]:
    free_text = column.kind in (ColumnKind.STR, ColumnKind.QUOTE) and not column.one_line and not column.choices
    return UNSAFE_TEXT if free_text else UNSAFE_LINE


_SAFE_ASCII = {
    pattern: bytes(code for code in range(128) if not pattern.match(chr(code)))
    for pattern in (UNSAFE_TEXT, UNSAFE_LINE)
}


def holds_unsafe(text: str, unsafe: re.Pattern[str]) -> bool:
    """True if `unsafe` finds a character in `text`; ASCII text is scanned as bytes (several times faster)."""
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _SAFE_ASCII[unsafe]))
    return unsafe.search(text) is not None


def _text_rules(column: Column) -> list[Rule]:
    """Clean text (no control characters, surrogates or non-characters) of a plausible length."""
    name, unsafe = column.name, _unsafe_pattern(column)
    limit = column.max_length or MAX_LENGTH[column.kind]

    def clean(values: pd.Series) -> pd.Series:
        if not holds_unsafe("".join(values.tolist()), unsafe):  # the usual case: one scan of the whole column
            return pd.Series(True, index=values.index)
        return ~values.str.contains(unsafe)

    def unclean(row: dict[str, str]) -> str:
        allowed = " (tab and line breaks are allowed)" if unsafe is UNSAFE_TEXT else ""
        return (
            f"holds {unsafe_character(row[name], unsafe is UNSAFE_TEXT) or 'a control character'}; remove it{allowed}"
        )

    return [
        Rule(f"{name}:clean", name, clean, unclean),
        Rule(
            f"{name}:length",
            name,
            lambda lengths: lengths <= limit,
            lambda row: f"{len(row[name])} characters; at most {limit} fit a {name} cell, shorten it",
            by_length=True,
        ),
    ]


def _required_if_rules(column: Column) -> list[Rule]:
    if not column.required_if:
        return []
    name = column.name
    if "=" in column.required_if:  # "category=partner": required on rows where that column has that value
        other, value = column.required_if.split("=", 1)
        hint = f"choose one of: {_one_of(column.choices)}" if column.choices else "a value is required"

        def given_when_value(t: pd.DataFrame) -> pd.Series:
            return (t[other].to_numpy() != value) | _filled(t[name])  # (numpy compares object columns faster)

        return [
            Rule(
                f"{name}:required-if",
                name,
                given_when_value,
                lambda row: f"empty, but {other} is {value!r}; {hint}",
                whole_row=True,
            )
        ]
    flag = column.required_if

    def given_when_flagged(t: pd.DataFrame) -> pd.Series:
        return ~t[flag].isin(TRUE_WORDS) | _filled(t[name])

    return [
        Rule(
            f"{name}:required-if",
            name,
            given_when_flagged,
            lambda row: f"empty, but {flag} is true; say why here",
            whole_row=True,
        )
    ]


def _mass_rules(column: Column) -> list[Rule]:
    """A value in a mass unit must be a plausible mass: above 0 and at most MAX_MASS_GRAMS."""
    if not column.unit:
        return []
    name, unit = column.name, column.unit

    def plausible(t: pd.DataFrame) -> pd.Series:
        numbers = pd.to_numeric(t[name].where(_filled(t[name])), errors="coerce").astype(float)
        grams = numbers * t[unit].map(GRAMS_PER_UNIT).astype(float)
        return grams.isna() | ~(numbers.abs() < float("inf")) | ((grams > 0) & (grams <= MAX_MASS_GRAMS))

    return [
        Rule(
            f"{name}:mass",
            name,
            plausible,
            lambda row: (
                f"{row[name]!r} {row[unit]} is not a plausible mass; give a value above 0 and at most {MAX_MASS_GRAMS:.0e} g (1000 t)"
            ),
            whole_row=True,
        )
    ]


def rules(table: Table) -> list[Rule]:
    """Every check of one table that looks only at that table, in column order."""
    found = []
    for column in table.columns:
        found += _text_rules(column)
        found += _column_rules(column)
        if column.kind == ColumnKind.DATE:
            found += _date_rules(column)
        found += _required_if_rules(column)
        found += _mass_rules(column)
    return found
