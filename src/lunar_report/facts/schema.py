"""The fact base's tables, declared once: column names, types, allowed values, help text.

Every table is a CSV file in the data folder. :data:`TABLES` is the single
declaration; the loader and the validator both build on it (the validator runs the
rules :func:`rules` generates from it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from . import EARLIEST_DATE, LATEST_DATE
from .dates import PRECISIONS, end_of_period, parse_local, precision_of
from .text import TITLE_LENGTH, UNSAFE_LINE, UNSAFE_TEXT, unsafe_character

VERDICTS = ("supported", "partly supported", "contradicted", "imprecise", "unverifiable")
GRADES = ("A", "B", "C")
EVENT_CATEGORIES = (
    "agreement",
    "statement",
    "briefing",
    "mission",
    "phase",
    "partner",
    "plan",
)
MILESTONES = (
    "launch",
    "lunar_orbit_insertion",
    "lunar_landing",
    "ascent",
    "docking",
    "sample_transfer",
    "separation",
    "earth_return",
    "sample_handover",
    "signing",
    "release",
    "joining",
    "target",
)
OUTCOMES = ("success", "partial", "failure", "planned")
SCOPES = ("government", "institution")  # who joined: a country's government (or its agency for it), or an institution
QUALIFIERS = ("around", "by", "before", "in", "from")  # how a stated target date is hedged
REVIEW_ROWS = ("all", "some")
UNITS = ("g", "kg", "t", "s", "min", "h", "days", "years", "countries", "km", "m")
GRAMS_PER_UNIT = {"g": 1.0, "kg": 1e3, "t": 1e6}  # the mass units
MAX_MASS_GRAMS = 1e9  # 1000 t, above any launch mass: a larger mass is a typo
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
# Partial ISO 8601: 2021, 2021-03, 2021-03-09, 2021-03-09T05:42, 2021-03-09T05:42:10
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2})?)?)?)?$"


class ColumnKind(StrEnum):
    """What a column holds, and so how it is checked and typed."""

    STR = "str"
    FLOAT = "float"
    BOOL = "bool"
    DATE = "date"
    ID = "id"
    IDS = "ids"  # `;`-separated ids
    ZONE = "zone"  # an IANA time zone
    QUOTE = "quote"  # verbatim words of the row's source
    FILE = "file"  # a file inside the data folder


@dataclass(frozen=True)
class Column:
    """One column: its type, whether it may be empty, and the values it allows."""

    name: str
    kind: ColumnKind | str = ColumnKind.STR
    required: bool = True
    choices: tuple[str, ...] = ()
    references: tuple[str, ...] = ()  # tables whose ids this column points to
    unique: bool = False
    help: str = ""
    precision: str = ""  # date: the column that says how precisely it is known
    zone: str = ""  # date: the column naming the IANA zone it is local to
    not_before: str = ""  # date: the date column it must not end before
    required_if: str = ""  # required when this bool column is true, or when "column=value" holds
    evidence_until: str = ""  # ids: each row named must date from on or before the `published` of this column's source
    unit: str = ""  # float: the column naming its unit; a mass must be > 0 and at most MAX_MASS_GRAMS
    max_length: int = 0  # characters at most (0: the kind's MAX_LENGTH)
    one_line: bool = False  # free text that may not hold tabs or line breaks (titles, names)


@dataclass(frozen=True)
class Table:
    """One CSV file of the fact base."""

    name: str
    help: str
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def source_column(self) -> Column | None:
        """The column listing the sources the row's facts (and its quote) come from."""
        return next((c for c in self.columns if c.references == ("sources",) and c.kind == "ids"), None)


def _id(help_text: str = "Stable identifier, unique in the table.") -> Column:
    return Column("id", "id", unique=True, help=help_text)


SOURCES = Table(
    "sources",
    "Every source a fact cites: the article itself and the reference sources.",
    (
        _id(),
        Column("kind", choices=("article", "reference", "computed"), help="article, reference or computed."),
        Column("publisher", help="Who published it (TASS, CNSA, NASA NSSDCA, ...)."),
        Column("title", help="Title of the page or document.", max_length=TITLE_LENGTH, one_line=True),
        Column("url", required=False, help="Address as recorded in the reference notes."),
        Column(
            "grade",
            required=False,
            choices=GRADES,
            help="A official/peer-reviewed, B reputable news, C encyclopedia mirror.",
        ),
        Column("published", "date", required=False, help="Publication date (partial ISO 8601)."),
        Column(
            "text_file",
            "file",
            required=False,
            help="Path, relative to the data folder, of the source's full text (quotes are checked against it).",
        ),
        Column("note", required=False),
    ),
)

EVENTS = Table(
    "events",
    "The timeline: every dated event of the article and of the reference notes.",
    (
        _id(),
        Column(
            "start",
            "date",
            precision="precision",
            zone="timezone",
            help="Start, partial ISO 8601 local to `timezone` (2017-11, 2020-11-23T20:30:12).",
        ),
        Column(
            "end",
            "date",
            required=False,
            zone="timezone",
            not_before="start",
            help="End for spans (phases, periods); same format.",
        ),
        Column(
            "precision", choices=PRECISIONS, help="How precisely `start` is known: second, minute, day, month or year."
        ),
        Column(
            "timezone",
            "zone",
            required=False,
            help="IANA zone the date is local to (UTC, Asia/Shanghai, Europe/Moscow); empty when unknown (day precision or coarser only).",
        ),
        Column("title", help="What happened, in one line.", max_length=TITLE_LENGTH, one_line=True),
        Column("category", choices=EVENT_CATEGORIES, help="Lane of the timeline."),
        Column(
            "milestone",
            required=False,
            choices=MILESTONES,
            help="Which step it is (launch, lunar_landing, earth_return, signing, joining, ...).",
        ),
        Column("actors", required=False, help="Who acted, `;`-separated (Roscosmos;CNSA)."),
        Column(
            "scope",
            required=False,
            choices=SCOPES,
            required_if="category=partner",
            help="Partner rows: government (a country joins, by its government or its agency) or institution (an institute's MoU; not a country joining).",
        ),
        Column(
            "mission", "id", required=False, references=("missions",), help="Mission id, when the event belongs to one."
        ),
        Column("source", "ids", references=("sources",), help="Source ids, `;`-separated."),
        Column(
            "quote", "quote", required=False, help="Verbatim quote from the source text (required for article rows)."
        ),
        Column("inferred", "bool", help="true when the date or fact is inferred rather than stated."),
        Column(
            "inference_reason",
            required=False,
            required_if="inferred",
            help="Why the inference holds (required when inferred).",
        ),
        Column("note", required=False),
    ),
)

MISSIONS = Table(
    "missions",
    "Lunar missions the report compares.",
    (
        _id(),
        Column("name", help="Display name (Chang’e-5, Luna 24, Apollo 11).", max_length=TITLE_LENGTH, one_line=True),
        Column("agency", help="Operating agency."),
        Column("country", help="Country of the agency."),
        Column("vehicle", required=False, help="Launch vehicle."),
        Column("launch_site", required=False),
        Column("landing_site", required=False, help="Where it landed on the Moon."),
        Column("kind", help="sample return, orbiter, lander, relay, test."),
        Column("crewed", "bool", help="true for crewed missions."),
        Column("outcome", choices=OUTCOMES),
        Column("source", "ids", references=("sources",)),
        Column("note", required=False),
    ),
)

FIGURES = Table(
    "figures",
    "Numbers about missions: masses, durations, counts, each with its unit.",
    (
        _id(),
        Column("mission", "id", required=False, references=("missions",)),
        Column("metric", help="What is measured (sample_mass, duration, launch_mass, ...)."),
        Column("value", "float", unit="unit", help="The number, in `unit` (a mass: above 0, at most 1000 t)."),
        Column("unit", choices=UNITS, help="Unit of `value`."),
        Column("approximate", "bool", help="true when the source gives it as approximate."),
        Column("stated", required=False, help="The value as the source states it ('around 2 kg')."),
        Column("source", "ids", references=("sources",)),
        Column("quote", "quote", required=False, help="Verbatim quote (required for article rows)."),
        Column("conflict_group", required=False, help="Rows sharing this key are conflicting values of one quantity."),
        Column("note", required=False),
    ),
)

AGREEMENTS = Table(
    "agreements",
    "Agreements, memoranda, statements and programmes.",
    (
        _id(),
        Column("title", max_length=TITLE_LENGTH, one_line=True),
        Column("kind", help="programme, memorandum, joint statement, roadmap, partner agreement."),
        Column("event", "id", references=("events",), help="The event of signing or release."),
        Column("parties", help="`;`-separated parties."),
        Column("signatories", required=False, help="`;`-separated people who signed."),
        Column("period_start", "date", required=False, help="First year the agreement covers."),
        Column("period_end", "date", required=False, not_before="period_start", help="Last year the agreement covers."),
        Column("source", "ids", references=("sources",)),
        Column("quote", "quote", required=False),
        Column("note", required=False),
    ),
)

AGREEMENT_SECTIONS = Table(
    "agreement_sections",
    "Sections of an agreement, one row each (the 2018–2022 programme has six).",
    (
        Column("agreement", "id", references=("agreements",)),
        Column("position", "float", help="1-based order within the agreement."),
        Column("section", help="Section as the source words it."),
        Column("source", "ids", references=("sources",)),
        Column("quote", "quote", required=False),
    ),
)

CHECKABLE = ("events", "figures", "missions", "agreements")

CLAIMS = Table(
    "claims",
    "Each atomic factual claim of the article, checked twice: with what could be known when it appeared, and now.",
    (
        _id(),
        Column("quote", "quote", help="The article's words, verbatim."),
        Column("asserts", help="What the claim asserts, in plain words."),
        Column("topic", help="people, dates, agreement, mission, figure, plan ..."),
        Column("mission", "id", required=False, references=("missions",)),
        Column(
            "checked_against",
            "ids",
            required=False,
            references=(*CHECKABLE, "sources"),
            evidence_until="source",
            help="`;`-separated ids of the rows or sources `verdict` rests on: evidence dated on or before the "
            "article's date (a cited row's every source too).",
        ),
        Column("verdict", choices=VERDICTS, help="What the evidence available when the article appeared supports."),
        Column("explanation", help="One sentence: why `verdict`, with only what was known then."),
        Column(
            "checked_against_now",
            "ids",
            required=False,
            references=CHECKABLE,
            help="`;`-separated ids of the rows `verdict_now` rests on (any date up to the review).",
        ),
        Column(
            "verdict_now", choices=VERDICTS, help="What is known at the claims table's latest review (reviews.csv)."
        ),
        Column("explanation_now", help="One sentence: why `verdict_now`."),
        Column(
            "source",
            "ids",
            references=("sources",),
            help="The article's source id; its `published` date bounds `checked_against`.",
        ),
        Column(
            "claimant",
            required=False,
            help="The person the article quotes or reports as making the claim (Wang Wenbin); empty when the "
            "words are the article's own (its publisher makes the claim).",
        ),
    ),
)

STATEMENTS = Table(
    "statements",
    "Dated statements of a target or plan by named actors: the history behind a plan or phase row of events.",
    (
        _id(),
        Column(
            "subject",
            "id",
            references=("events",),
            help="The plan or phase event it is about (ilrs-basic-model-target); that row carries the latest stated target.",
        ),
        Column(
            "stated", "date", precision="precision", help="When it was said: partial ISO 8601, the local calendar date."
        ),
        Column("precision", choices=PRECISIONS, help="How precisely `stated` is known."),
        Column("actor", help="Who said it, organisation first, `;`-separated (CMSA;Lin Xiqiang)."),
        Column(
            "target",
            "date",
            required=False,
            help="The date stated for the subject, written at the precision stated (2028 = a year); empty if none was given.",
        ),
        Column(
            "target_end",
            "date",
            required=False,
            not_before="target",
            help="Last year of a stated span (a phase), inclusive.",
        ),
        Column(
            "qualifier",
            required=False,
            choices=QUALIFIERS,
            help="How the target is hedged: around, by, before, in (a span) or from.",
        ),
        Column("wording", help="The target as the source words it ('by around 2028', 'before 2030')."),
        Column(
            "event",
            "id",
            required=False,
            references=("events",),
            help="The statement's own timeline event, if any; it must fall on `stated`.",
        ),
        Column("source", "ids", references=("sources",)),
        Column("quote", "quote", required=False, help="The source's words, verbatim, where a copy was read."),
        Column("inferred", "bool", help="true when the date or attribution is inferred rather than stated."),
        Column(
            "inference_reason",
            required=False,
            required_if="inferred",
            help="Why the inference holds (required when inferred).",
        ),
        Column("note", required=False),
        Column(
            "conflict_group",
            required=False,
            help="Rows sharing this key are one statement that sources report differently (two dates, two "
            "wordings): both are kept.",
        ),
    ),
)

_REVIEWED = (SOURCES, EVENTS, MISSIONS, FIGURES, AGREEMENTS, AGREEMENT_SECTIONS, CLAIMS, STATEMENTS)

REVIEWS = Table(
    "reviews",
    "When each table was last checked against its sources, and how much of it: how current the facts are.",
    (
        Column("table", choices=tuple(t.name for t in _REVIEWED), help="The table reviewed."),
        Column("reviewed", "date", help="When the review was done: partial ISO 8601 (a day when known)."),
        Column("rows", choices=REVIEW_ROWS, help="all: every row was re-checked; some: only the rows the note names."),
        Column("note", help="What was checked, against what."),
    ),
)

TABLES: dict[str, Table] = {t.name: t for t in (*_REVIEWED, REVIEWS)}


# --- Checks generated from the declaration --------------------------------------------
# Tables are checked as read: every cell a string, "" when empty. :func:`prepare` adds,
# once, what several rules need: each date column's written precision (`<name>.form`)
# and first instant as naive local time (`<name>.local`). Each rule is vectorised
# (True where the row is fine) and run by the validator; its message says what to fix.

DATE_FORMS = "YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mm or YYYY-MM-DDThh:mm:ss"
TIME_PRECISIONS = ("minute", "second")
TRUE_WORDS = ("true", "True", "TRUE")
BOOLEANS = {word: True for word in TRUE_WORDS} | {"false": False, "False": False, "FALSE": False}
_ID_BODY = ID_PATTERN[1:-1]
IDS_PATTERN = rf"^{_ID_BODY}(;{_ID_BODY})*$"


@dataclass(frozen=True)
class Rule:
    """One check: `passes` gets the column (or the whole prepared table if `whole_row`) and
    returns True where the value is fine; `message` explains a failure from the row."""

    key: str
    column: str
    passes: Callable[[pd.Series | pd.DataFrame], pd.Series]
    message: Callable[[dict[str, str]], str]
    whole_row: bool = False


def form_column(name: str) -> str:
    """Name of the derived column holding the precision a date column is written at."""
    return f"{name}.form"


def local_column(name: str) -> str:
    """Name of the derived column holding a date column's first instants (naive local time)."""
    return f"{name}.local"


def prepare(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """The table as read plus, for each date column, its written precision and first local instant."""
    derived = {}
    for column in table.columns:
        if column.kind == "date":
            values = frame[column.name]
            form = precision_of(values.where(matches(values, DATE_PATTERN), "")).astype(object)
            derived[form_column(column.name)] = form
            derived[local_column(column.name)] = parse_local(values.where(form.notna(), ""))
    return frame.assign(**derived)


def matches(values: pd.Series, pattern: str) -> pd.Series:
    """True where the whole value matches `pattern` (anchored with ^ and $).

    Fast path: one regex scan over the values joined by newlines finds the lines that
    do not match, instead of one match call per value.
    """
    texts = values.tolist()
    joined = "\n".join(texts)
    if not texts or joined.count("\n") != len(texts) - 1:  # empty, or some value spans lines
        return values.str.fullmatch(pattern).fillna(False).astype(bool)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    line_starts = np.cumsum(lengths + 1) - lengths - 1
    mismatch = re.compile(rf"^(?!(?:{pattern.removeprefix('^').removesuffix('$')})$).*$", re.MULTILINE)
    result = np.ones(len(texts), dtype=bool)
    result[np.searchsorted(line_starts, [m.start() for m in mismatch.finditer(joined)])] = False
    return pd.Series(result, index=values.index)


def _one_of(choices: tuple[str, ...]) -> str:
    return ", ".join(choices)


def _filled(values: pd.Series) -> pd.Series:
    return pd.Series(values.to_numpy() != "", index=values.index)


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
    """Rules that look at one cell at a time."""
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
        "id": (
            lambda s: ~_filled(s) | matches(s, ID_PATTERN),
            lambda row: f"{value(row)} is not a valid id (a letter or digit, then letters, digits, _ . -)",
        ),
        "ids": (
            lambda s: ~_filled(s) | matches(s, IDS_PATTERN),
            lambda row: f"{value(row)} is not a list of ids separated by ';' (no spaces)",
        ),
        "float": (_is_number, lambda row: f"{value(row)} is not a number"),
        "bool": (lambda s: s.isin(list(BOOLEANS)), lambda row: f"{value(row)} is not true or false"),
        "zone": (
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
                lambda s: ~_filled(s) | ~s.duplicated(),
                lambda row: f"{value(row)} is already used by an earlier row; ids must be unique",
            )
        )
    return rules


def _date_rules(column: Column) -> list[Rule]:
    """Rules for a date column: its form, a real date, and how it agrees with its row."""
    name, form, local = column.name, form_column(column.name), local_column(column.name)

    def supported(t: pd.DataFrame) -> pd.Series:
        years = pd.to_numeric(t[name].str[:4].where(t[form].notna()), errors="coerce")
        return years.isna() | years.between(EARLIEST_DATE.year, LATEST_DATE.year)

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
                lambda t: t[form].isna() | ~t[stated].isin(PRECISIONS) | (t[form] == t[stated]),
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
            precision = t[column.precision].where(t[column.precision].isin(PRECISIONS)) if column.precision else t[form]
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


def _text_rules(column: Column) -> list[Rule]:
    """Clean text (no control characters, surrogates or non-characters) of a plausible length."""
    name, unsafe = column.name, _unsafe_pattern(column)
    limit = column.max_length or MAX_LENGTH[ColumnKind(column.kind)]

    def clean(values: pd.Series) -> pd.Series:
        if not unsafe.search("".join(values.tolist())):  # the usual case: one scan of the whole column
            return pd.Series(True, index=values.index)
        return ~values.str.contains(unsafe)

    def unclean(row: dict[str, str]) -> str:
        allowed = " (tab and line breaks are allowed)" if unsafe is UNSAFE_TEXT else ""
        return (
            f"holds {unsafe_character(row[name], unsafe is UNSAFE_TEXT) or 'a control character'}; remove it{allowed}"
        )

    def short(values: pd.Series) -> pd.Series:
        return pd.Series(
            np.fromiter(map(len, values.tolist()), dtype=np.int64, count=len(values)) <= limit, index=values.index
        )

    return [
        Rule(f"{name}:clean", name, clean, unclean),
        Rule(
            f"{name}:length",
            name,
            short,
            lambda row: f"{len(row[name])} characters; at most {limit} fit a {name} cell, shorten it",
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
            return (t[other] != value) | _filled(t[name])

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
        if column.kind == "date":
            found += _date_rules(column)
        found += _required_if_rules(column)
        found += _mass_rules(column)
    return found
