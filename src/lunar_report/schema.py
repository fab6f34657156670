"""The fact base's tables, declared once: column names, types, allowed values, help text.

Every table is a CSV file in the data folder. :data:`TABLES` is the single
declaration; the loader and the validator both build on it (pandera schemas are
generated from it by :func:`pandera_schema`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

PRECISIONS = ("second", "minute", "day", "month", "year")
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
UNITS = ("g", "kg", "t", "s", "min", "h", "days", "years", "countries", "km", "m")
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
# Partial ISO 8601: 2021, 2021-03, 2021-03-09, 2021-03-09T05:42, 2021-03-09T05:42:10
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2})?)?)?)?$"


@dataclass(frozen=True)
class Column:
    """One column: its type, whether it may be empty, and the values it allows."""

    name: str
    kind: str = "str"  # str | float | bool | date | id | ids
    required: bool = True
    choices: tuple[str, ...] = ()
    references: tuple[str, ...] = ()  # tables whose ids this column points to
    unique: bool = False
    help: str = ""


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


def _id(help_text: str = "Stable identifier, unique in the table.") -> Column:
    return Column("id", "id", unique=True, help=help_text)


SOURCES = Table(
    "sources",
    "Every source a fact cites: the article itself and the reference sources.",
    (
        _id(),
        Column("kind", choices=("article", "reference", "computed"), help="article, reference or computed."),
        Column("publisher", help="Who published it (TASS, CNSA, NASA NSSDCA, ...)."),
        Column("title", help="Title of the page or document."),
        Column("url", required=False, help="Address as recorded in the reference notes."),
        Column("grade", required=False, choices=GRADES, help="A official/peer-reviewed, B reputable news, C encyclopedia mirror."),
        Column("published", "date", required=False, help="Publication date (partial ISO 8601)."),
        Column("text_file", required=False, help="Path, relative to the data folder, of the source's full text (quotes are checked against it)."),
        Column("note", required=False),
    ),
)

EVENTS = Table(
    "events",
    "The timeline: every dated event of the article and of the reference notes.",
    (
        _id(),
        Column("start", "date", help="Start, partial ISO 8601 local to `timezone` (2017-11, 2020-11-23T20:30:12)."),
        Column("end", "date", required=False, help="End for spans (phases, periods); same format."),
        Column("precision", choices=PRECISIONS, help="How precisely `start` is known: second, minute, day, month or year."),
        Column("timezone", required=False, help="IANA zone the date is local to (UTC, Asia/Shanghai, Europe/Moscow); empty when unknown (day precision or coarser only)."),
        Column("title", help="What happened, in one line."),
        Column("category", choices=EVENT_CATEGORIES, help="Lane of the timeline."),
        Column("milestone", required=False, choices=MILESTONES, help="Which step it is (launch, lunar_landing, earth_return, signing, joining, ...)."),
        Column("actors", required=False, help="Who acted, `;`-separated (Roscosmos;CNSA)."),
        Column("mission", "id", required=False, references=("missions",), help="Mission id, when the event belongs to one."),
        Column("source", "ids", references=("sources",), help="Source ids, `;`-separated."),
        Column("quote", required=False, help="Verbatim quote from the source text (required for article rows)."),
        Column("inferred", "bool", help="true when the date or fact is inferred rather than stated."),
        Column("inference_reason", required=False, help="Why the inference holds (required when inferred)."),
        Column("note", required=False),
    ),
)

MISSIONS = Table(
    "missions",
    "Lunar missions the report compares.",
    (
        _id(),
        Column("name", help="Display name (Chang’e-5, Luna 24, Apollo 11)."),
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
        Column("value", "float", help="The number, in `unit`."),
        Column("unit", choices=UNITS, help="Unit of `value`."),
        Column("approximate", "bool", help="true when the source gives it as approximate."),
        Column("stated", required=False, help="The value as the source states it ('around 2 kg')."),
        Column("source", "ids", references=("sources",)),
        Column("quote", required=False, help="Verbatim quote (required for article rows)."),
        Column("conflict_group", required=False, help="Rows sharing this key are conflicting values of one quantity."),
        Column("note", required=False),
    ),
)

AGREEMENTS = Table(
    "agreements",
    "Agreements, memoranda, statements and programmes.",
    (
        _id(),
        Column("title"),
        Column("kind", help="programme, memorandum, joint statement, roadmap, partner agreement."),
        Column("event", "id", references=("events",), help="The event of signing or release."),
        Column("parties", help="`;`-separated parties."),
        Column("signatories", required=False, help="`;`-separated people who signed."),
        Column("period_start", "date", required=False, help="First year the agreement covers."),
        Column("period_end", "date", required=False, help="Last year the agreement covers."),
        Column("source", "ids", references=("sources",)),
        Column("quote", required=False),
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
        Column("quote", required=False),
    ),
)

CLAIMS = Table(
    "claims",
    "Each atomic factual claim of the article and its check against reference rows.",
    (
        _id(),
        Column("quote", help="The article's words, verbatim."),
        Column("asserts", help="What the claim asserts, in plain words."),
        Column("topic", help="people, dates, agreement, mission, figure, plan ..."),
        Column("mission", "id", required=False, references=("missions",)),
        Column("checked_against", "ids", required=False, references=("events", "figures", "missions", "agreements"), help="`;`-separated ids of the reference rows."),
        Column("verdict", choices=VERDICTS),
        Column("explanation", help="One sentence: why this verdict."),
        Column("source", "ids", references=("sources",), help="The article's source id."),
    ),
)

TABLES: dict[str, Table] = {
    t.name: t for t in (SOURCES, EVENTS, MISSIONS, FIGURES, AGREEMENTS, AGREEMENT_SECTIONS, CLAIMS)
}
