"""The fact base's tables, declared once: column names, types, allowed values, help text.

Every table is a CSV file in the data folder. :data:`TABLES` is the single
declaration; the loader and the validator both build on it (the validator runs the
checks :mod:`.rules` generates from it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .dates import PRECISIONS
from .text import TITLE_LENGTH

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
    "withdrawal",
    "ratification",
    "target",
)
OUTCOMES = ("success", "partial", "failure", "planned")
SCOPES = ("government", "organisation", "institution")
"""Who joined: a country's government (or its agency for it), an international organisation, or an institution."""
QUALIFIERS = ("around", "by", "before", "in", "from")  # how a stated target date is hedged
REVIEW_ROWS = ("all", "some")
UNITS = ("g", "kg", "t", "s", "min", "h", "days", "years", "countries", "parties", "institutions", "km", "m")
GRAMS_PER_UNIT = {"g": 1.0, "kg": 1e3, "t": 1e6}  # the mass units
MAX_MASS_GRAMS = 1e9  # 1000 t, above any launch mass: a larger mass is a typo
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


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
    kind: ColumnKind = ColumnKind.STR
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
    shown: bool = False  # "what changed" shows its old and new values (other columns are named only)


@dataclass(frozen=True)
class Table:
    """One CSV file of the fact base."""

    name: str
    help: str
    columns: tuple[Column, ...] = field(default_factory=tuple)
    noun: str = ""  # what one row is called in "what changed" ("agreement section")
    news: str = ""  # the column whose change is the row's news, shown without its name ("1,731 g → 1,735 g")
    supporting: bool = False  # listed after the facts in "what changed" (sources, the review log)
    self_describing: bool = False  # its rows' labels say what they are: "what changed" adds no noun

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def source_column(self) -> Column | None:
        """The column listing the sources the row's facts (and its quote) come from."""
        return next((c for c in self.columns if c.references == ("sources",) and c.kind == ColumnKind.IDS), None)


def _id(help_text: str = "Stable identifier, unique in the table.") -> Column:
    return Column("id", ColumnKind.ID, unique=True, help=help_text)


SOURCES = Table(
    "sources",
    "Every source a fact cites: the article itself and the reference sources.",
    (
        _id(),
        Column("kind", choices=("article", "reference", "computed"), help="article, reference or computed."),
        Column("publisher", help="Who published it (TASS, CNSA, NASA NSSDCA, ...)."),
        Column("title", help="Title of the page or document.", max_length=TITLE_LENGTH, one_line=True, shown=True),
        Column("url", required=False, help="Address as recorded in the reference notes.", shown=True),
        Column(
            "grade",
            required=False,
            choices=GRADES,
            help="A official/peer-reviewed, B reputable news, C encyclopedia mirror.",
            shown=True,
        ),
        Column("published", ColumnKind.DATE, required=False, help="Publication date (partial ISO 8601)."),
        Column(
            "text_file",
            ColumnKind.FILE,
            required=False,
            help="Path, relative to the data folder, of the source's full text (quotes are checked against it).",
        ),
        Column("note", required=False),
    ),
    noun="source",
    supporting=True,
)

EVENTS = Table(
    "events",
    "The timeline: every dated event of the article and of the reference notes.",
    (
        _id(),
        Column(
            "start",
            ColumnKind.DATE,
            precision="precision",
            zone="timezone",
            help="Start, partial ISO 8601 local to `timezone` (2017-11, 2020-11-23T20:30:12).",
        ),
        Column(
            "end",
            ColumnKind.DATE,
            required=False,
            zone="timezone",
            not_before="start",
            help="End for spans (phases, periods); same format.",
            shown=True,
        ),
        Column(
            "precision", choices=PRECISIONS, help="How precisely `start` is known: second, minute, day, month or year."
        ),
        Column(
            "timezone",
            ColumnKind.ZONE,
            required=False,
            help="IANA zone the date is local to (UTC, Asia/Shanghai, Europe/Moscow); empty when unknown (day precision or coarser only).",
        ),
        Column("title", help="What happened, in one line.", max_length=TITLE_LENGTH, one_line=True, shown=True),
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
            help="Partner rows: government (a country joins, by its government or its agency), organisation (an "
            "international organisation joins) or institution (an institute's MoU); only government rows count as a "
            "country joining.",
        ),
        Column(
            "mission",
            ColumnKind.ID,
            required=False,
            references=("missions",),
            help="Mission id, when the event belongs to one.",
        ),
        Column("source", ColumnKind.IDS, references=("sources",), help="Source ids, `;`-separated."),
        Column(
            "quote",
            ColumnKind.QUOTE,
            required=False,
            help="Verbatim quote from the source text (required for article rows).",
        ),
        Column("inferred", ColumnKind.BOOL, help="true when the date or fact is inferred rather than stated."),
        Column(
            "inference_reason",
            required=False,
            required_if="inferred",
            help="Why the inference holds (required when inferred).",
        ),
        Column("note", required=False),
    ),
    noun="event",
    news="start",
    self_describing=True,
)

MISSIONS = Table(
    "missions",
    "Lunar missions the report compares.",
    (
        _id(),
        Column(
            "name",
            help="Display name (Chang’e-5, Luna 24, Apollo 11).",
            max_length=TITLE_LENGTH,
            one_line=True,
            shown=True,
        ),
        Column("agency", help="Operating agency."),
        Column("country", help="Country of the agency."),
        Column("vehicle", required=False, help="Launch vehicle."),
        Column("launch_site", required=False),
        Column("landing_site", required=False, help="Where it landed on the Moon."),
        Column("kind", help="sample return, orbiter, lander, relay, test."),
        Column("crewed", ColumnKind.BOOL, help="true for crewed missions."),
        Column("outcome", choices=OUTCOMES, shown=True),
        Column("source", ColumnKind.IDS, references=("sources",)),
        Column("note", required=False),
    ),
    noun="mission",
    news="outcome",
)

FIGURES = Table(
    "figures",
    "Numbers about missions: masses, durations, counts, each with its unit.",
    (
        _id(),
        Column("mission", ColumnKind.ID, required=False, references=("missions",)),
        Column("metric", help="What is measured (sample_mass, duration, launch_mass, ...)."),
        Column("value", ColumnKind.FLOAT, unit="unit", help="The number, in `unit` (a mass: above 0, at most 1000 t)."),
        Column("unit", choices=UNITS, help="Unit of `value`."),
        Column("approximate", ColumnKind.BOOL, help="true when the source gives it as approximate."),
        Column("stated", required=False, help="The value as the source states it ('around 2 kg')."),
        Column("source", ColumnKind.IDS, references=("sources",)),
        Column("quote", ColumnKind.QUOTE, required=False, help="Verbatim quote (required for article rows)."),
        Column("conflict_group", required=False, help="Rows sharing this key are conflicting values of one quantity."),
        Column("note", required=False),
    ),
    noun="figure",
    news="value",
    self_describing=True,
)

AGREEMENTS = Table(
    "agreements",
    "Agreements, memoranda, statements and programmes.",
    (
        _id(),
        Column("title", max_length=TITLE_LENGTH, one_line=True, shown=True),
        Column("kind", help="programme, memorandum, joint statement, roadmap, partner agreement."),
        Column("event", ColumnKind.ID, references=("events",), help="The event of signing or release."),
        Column("parties", help="`;`-separated parties."),
        Column("signatories", required=False, help="`;`-separated people who signed."),
        Column("period_start", ColumnKind.DATE, required=False, help="First year the agreement covers.", shown=True),
        Column(
            "period_end",
            ColumnKind.DATE,
            required=False,
            not_before="period_start",
            help="Last year the agreement covers.",
            shown=True,
        ),
        Column("source", ColumnKind.IDS, references=("sources",)),
        Column("quote", ColumnKind.QUOTE, required=False),
        Column("note", required=False),
    ),
    noun="agreement",
)

AGREEMENT_SECTIONS = Table(
    "agreement_sections",
    "Sections of an agreement, one row each (the 2018–2022 programme has six).",
    (
        Column("agreement", ColumnKind.ID, references=("agreements",)),
        Column("position", ColumnKind.FLOAT, help="1-based order within the agreement."),
        Column("section", help="Section as the source words it.", shown=True),
        Column("source", ColumnKind.IDS, references=("sources",)),
        Column("quote", ColumnKind.QUOTE, required=False),
    ),
    noun="agreement section",
)

CHECKABLE = ("events", "figures", "missions", "agreements")

CLAIMS = Table(
    "claims",
    "Each atomic factual claim of the article, checked twice: with what could be known when it appeared, and now.",
    (
        _id(),
        Column("quote", ColumnKind.QUOTE, help="The article's words, verbatim."),
        Column("asserts", help="What the claim asserts, in plain words."),
        Column("topic", help="people, dates, agreement, mission, figure, plan ..."),
        Column("mission", ColumnKind.ID, required=False, references=("missions",)),
        Column(
            "checked_against",
            ColumnKind.IDS,
            required=False,
            references=(*CHECKABLE, "sources"),
            evidence_until="source",
            help="`;`-separated ids of the rows or sources `verdict` rests on: evidence dated on or before the "
            "article's date (a cited row's every source too).",
        ),
        Column(
            "verdict",
            choices=VERDICTS,
            help="What the evidence available when the article appeared supports.",
            shown=True,
        ),
        Column("explanation", help="One sentence: why `verdict`, with only what was known then."),
        Column(
            "checked_against_now",
            ColumnKind.IDS,
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
            ColumnKind.IDS,
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
    noun="claim",
    news="verdict",
)

STATEMENTS = Table(
    "statements",
    "Dated statements of a target or plan by named actors: the history behind a plan or phase row of events.",
    (
        _id(),
        Column(
            "subject",
            ColumnKind.ID,
            references=("events",),
            help="The plan or phase event it is about (ilrs-basic-model-target), or an event of a mission whose "
            "outcome is planned (ce8-launch); that row carries the latest stated target.",
        ),
        Column(
            "stated",
            ColumnKind.DATE,
            precision="precision",
            help="When it was said (the interview, briefing or announcement), not when a source reported it: "
            "partial ISO 8601, the local calendar date; only as precise as a source gives the remark's date.",
        ),
        Column("precision", choices=PRECISIONS, help="How precisely `stated` is known."),
        Column("actor", help="Who said it, organisation first, `;`-separated (CMSA;Lin Xiqiang)."),
        Column(
            "target",
            ColumnKind.DATE,
            required=False,
            help="The date stated for the subject, written at the precision stated (2028 = a year); empty if none was given.",
        ),
        Column(
            "target_end",
            ColumnKind.DATE,
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
            ColumnKind.ID,
            required=False,
            references=("events",),
            help="The statement's own timeline event, if any; it must fall on `stated`.",
        ),
        Column("source", ColumnKind.IDS, references=("sources",)),
        Column("quote", ColumnKind.QUOTE, required=False, help="The source's words, verbatim, where a copy was read."),
        Column("inferred", ColumnKind.BOOL, help="true when the date or attribution is inferred rather than stated."),
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
            "wordings): both are kept. Two rows of one subject said on the same day with different targets must "
            "share one.",
        ),
        Column(
            "reported",
            ColumnKind.DATE,
            required=False,
            not_before="stated",
            help="When the cited source reported it, where that is later than `stated` (a remark reported the "
            "next day, or one whose own day is not given); never before `stated`.",
        ),
    ),
    noun="statement",
)

_REVIEWED = (SOURCES, EVENTS, MISSIONS, FIGURES, AGREEMENTS, AGREEMENT_SECTIONS, CLAIMS, STATEMENTS)

REVIEWS = Table(
    "reviews",
    "When each table was last checked against its sources, and how much of it: how current the facts are.",
    (
        Column("table", choices=tuple(t.name for t in _REVIEWED), help="The table reviewed."),
        Column("reviewed", ColumnKind.DATE, help="When the review was done: partial ISO 8601 (a day when known)."),
        Column("rows", choices=REVIEW_ROWS, help="all: every row was re-checked; some: only the rows the note names."),
        Column("note", help="What was checked, against what."),
    ),
    noun="review",
    supporting=True,
)

TABLES: dict[str, Table] = {t.name: t for t in (*_REVIEWED, REVIEWS)}

TRUE_WORDS = ("true", "True", "TRUE")
BOOLEANS = {word: True for word in TRUE_WORDS} | {"false": False, "False": False, "FALSE": False}


# The columns the validator derives from each date column (see :func:`.rules.prepare`).
def form_column(name: str) -> str:
    """Name of the derived column holding the precision a date column is written at."""
    return f"{name}.form"


def local_column(name: str) -> str:
    """Name of the derived column holding a date column's first instants (naive local time)."""
    return f"{name}.local"
