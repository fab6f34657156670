"""What changed since the previous edition, in words: rows added, removed and changed, figures moved.

Computed on the host from two editions' snapshots (the data files each read, the key figures
its kernel reported, and digests of its method). A pure function of the two snapshots and the
files' bytes, so the same inputs give the same words. The build inserts them into the report
as a markdown cell with a fixed id, after the title.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from ..base.text import long_date

HEADING = "What changed since the previous edition"
CELL_ID = "lunar-report-changes"
MAX_ROWS = 8  # row changes listed; the rest are counted ("and 3 more changes to the data")
MAX_FIGURES = 6
MAX_TEXT = 90  # characters of one value shown before it is shortened with "…"

METRICS = {
    "sample_mass": "returned sample mass",
    "total_sample_mass": "total returned sample mass",
    "planned_sample_mass": "planned sample mass",
    "launch_mass": "launch mass",
    "duration": "mission duration",
    "years_since_previous_return": "years since the previous sample return",
    "ilrs_partner_countries": "ILRS partner countries",
}
METHOD_PARTS = {
    "notebook": "the notebook",
    "configuration": "the report’s configuration",
    "code": "the lunar_report code or templates",
    "environment": "the package versions",
}

Row = dict[str, str]


@dataclass(frozen=True)
class _Vocabulary:
    """The words of one table, from its declaration (facts/schema.py: noun, news, supporting, shown columns)."""

    noun: str
    news: str = ""
    shown: frozenset[str] = frozenset()
    self_describing: bool = False
    rank: int = 0


@cache
def _vocabulary() -> dict[str, _Vocabulary]:
    from ...facts.schema import TABLES  # (schema imports dates, which imports pandas: only to describe changes)

    order = sorted(TABLES.values(), key=lambda t: t.supporting)  # the facts first, in declaration order
    return {
        t.name: _Vocabulary(
            t.noun or f"{t.name.replace('_', ' ')} row",
            t.news,
            frozenset(c.name for c in t.columns if c.shown),
            t.self_describing,
            rank,
        )
        for rank, t in enumerate(order)
    }


def _words(table: str) -> _Vocabulary:
    """A declared table's words; an unknown table's rows are "<table> rows", listed last."""
    return _vocabulary().get(table) or _Vocabulary(f"{table.replace('_', ' ')} row", rank=len(_vocabulary()))


Reader = Callable[[str], bytes | None]  # a data file (relative to the data folder) -> its bytes, if kept


@dataclass(frozen=True)
class Snapshot:
    """What one edition was computed from."""

    as_of: str  # YYYY-MM-DD
    data: dict[str, str]  # data file read (relative to the data folder) -> sha256
    figures: dict[str, str]  # key figure -> value as shown
    method: dict[str, str]  # notebook, configuration, code, environment, site -> digest


@dataclass(frozen=True)
class Changes:
    """The section's words: an opening sentence and the list under it (plain text, not yet markdown)."""

    intro: str
    items: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        return [self.intro, *self.items]


def shorten(text: str, limit: int = MAX_TEXT) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def parse_rows(content: bytes | None) -> tuple[list[str], list[Row]]:
    """A CSV file's header and rows (empty when there is none or it cannot be read as UTF-8 CSV)."""
    if content is None:
        return [], []
    try:
        reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""))
        rows = [{k: (v or "") for k, v in row.items() if isinstance(k, str)} for row in reader if any(row.values())]
        return list(reader.fieldnames or []), rows
    except (UnicodeDecodeError, csv.Error):
        return [], []


def _key_columns(header: list[str], *tables: list[Row]) -> list[str]:
    """`id` where there is one; else the shortest run of leading columns unique in every version; else all."""
    if "id" in header:
        return ["id"]
    for width in range(1, min(3, len(header)) + 1):
        columns = header[:width]
        if all(len({tuple(r.get(c, "") for c in columns) for r in rows}) == len(rows) for rows in tables):
            return columns
    return header


def _number(value: str) -> str:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    return f"{number:,}"


def _event_date(row: Row) -> str:
    """An event's date as precisely as it is known ("10 June 2025", "October 2023", "2021–2025")."""
    from ...facts.dates import PRECISION_BY_LENGTH, format_at_precision, parse_partial  # (pandas: only here)

    def one(text: str, precision: str) -> str:
        zone = row.get("timezone") or None
        shown = format_at_precision(parse_partial(text, zone), precision, zone, "UTC")
        return shown + (" UTC" if precision in ("minute", "second") else "")

    try:
        start = row.get("start", "")
        if not start:
            return ""
        shown = one(start, row.get("precision") or PRECISION_BY_LENGTH[len(start)])
        end = row.get("end", "")
        if end:
            last = one(end, PRECISION_BY_LENGTH[len(end)])
            shown += ("–" if " " not in shown + last else " – ") + last
        return shown
    except (KeyError, ValueError, TypeError):
        return " – ".join(t for t in (row.get("start", ""), row.get("end", "")) if t)


class _Labels:
    """How a reader knows a row: its title or name, with a date for events and a mission for figures."""

    def __init__(self, read: Reader) -> None:
        self._read = read
        self._missions: dict[str, str] | None = None
        self._agreements: dict[str, str] | None = None

    def _names(self, file: str, column: str) -> dict[str, str]:
        return {r.get("id", ""): r.get(column, "") for r in parse_rows(self._read(file))[1]}

    def mission(self, mission_id: str) -> str:
        if self._missions is None:
            self._missions = self._names("missions.csv", "name")
        return self._missions.get(mission_id) or mission_id

    def agreement(self, agreement_id: str) -> str:
        if self._agreements is None:
            self._agreements = self._names("agreements.csv", "title")
        return self._agreements.get(agreement_id) or agreement_id

    def __call__(self, table: str, row: Row, key: list[str]) -> str:
        if table == "events":
            when = _event_date(row)
            return f"{shorten(row.get('title', ''))}{f' ({when})' if when else ''}"
        if table == "figures":
            metric = row.get("metric", "")
            what = METRICS.get(metric, metric.replace("_", " "))
            owner = self.mission(row["mission"]) if row.get("mission") else ""
            return f"{owner} {what}".strip() or row.get("id", "")
        if table == "claims":
            return f"the claim “{shorten(row.get('quote') or row.get('asserts', ''), 70)}”"
        if table == "sources":
            title = shorten(row.get("title", ""), 70)
            return f"the source “{title}” ({row.get('publisher', '')})" if title else f"the source {row.get('id', '')}"
        if table == "agreement_sections":
            place = f"section {row.get('position', '')} of {shorten(self.agreement(row.get('agreement', '')), 60)}"
            return f"“{shorten(row.get('section', ''), 60)}” ({place})"
        named = row.get("title") or row.get("name")
        return shorten(named) if named else " ".join(row.get(c, "") for c in key)


def _value(table: str, column: str, row: Row) -> str:
    if table == "figures" and column == "value":
        return f"{_number(row.get('value', ''))} {row.get('unit', '')}".strip()
    if table == "events" and column == "start":
        return _event_date({**row, "end": ""})
    if table == "events" and column == "end":
        return _event_date({**row, "start": row.get("end", ""), "end": "", "precision": ""}) or "none"
    return shorten(row.get(column, "")) or "none"


def _row_change(table: str, label: str, old: Row, new: Row, columns: list[str]) -> str:
    changed = [c for c in columns if old.get(c, "") != new.get(c, "")]
    if table == "figures" and "unit" in changed:
        changed = [c for c in changed if c != "unit"] + ([] if "value" in changed else ["value"])
    if table == "events" and {"precision", "timezone"} & set(changed):
        changed = [c for c in changed if c not in ("precision", "timezone")] + ([] if "start" in changed else ["start"])
    words = _words(table)
    main = words.news
    parts = []
    if main and main in changed:
        parts.append(f"{_value(table, main, old)} → {_value(table, main, new)}")
    for column in changed:
        if column in words.shown and column != main:
            parts.append(f"{column.replace('_', ' ')} {_value(table, column, old)} → {_value(table, column, new)}")
    named = [c.replace("_", " ") for c in changed if c != main and c not in words.shown]
    if named:
        parts.append(f"{_and(named)} revised")
    return f"{label}: {'; '.join(parts)}"


def table_changes(
    file: str, old: bytes | None, new: bytes | None, old_labels: _Labels, new_labels: _Labels
) -> list[str]:
    """The rows of one CSV file added, changed and removed between two versions, one sentence each."""
    table = file.removesuffix(".csv")
    old_header, old_rows = parse_rows(old)
    new_header, new_rows = parse_rows(new)
    key = _key_columns(new_header or old_header, old_rows, new_rows)
    before = {tuple(r.get(c, "") for c in key): r for r in old_rows}
    after = {tuple(r.get(c, "") for c in key): r for r in new_rows}
    columns = [c for c in new_header if c in old_header]
    lines = []
    words = _words(table)
    noun = "" if words.self_describing else f" ({words.noun})"
    for k, row in after.items():
        if k not in before:
            lines.append(f"{new_labels(table, row, key)} was added{noun}")
    for k, row in after.items():
        if k in before and before[k] != row:
            lines.append(_row_change(table, new_labels(table, row, key), before[k], row, columns))
    for k, row in before.items():
        if k not in after:
            lines.append(f"{old_labels(table, row, key)} was removed{noun}")
    added = [c for c in new_header if c not in old_header]
    dropped = [c for c in old_header if c not in new_header]
    if added or dropped:
        what = [f"column {_and(added)} added" if added else "", f"column {_and(dropped)} removed" if dropped else ""]
        lines.append(f"The {table.replace('_', ' ')} table: {'; '.join(w for w in what if w)}")
    return lines


def _table_rank(file: str) -> tuple[int, str]:
    return (_words(file.removesuffix(".csv")).rank, file)


def _data_changes(previous: Snapshot, current: Snapshot, old: Reader, new: Reader) -> tuple[list[str], list[str]]:
    """(row sentences, file sentences): what changed in the data files both editions read, and in which files."""
    rows: list[str] = []
    files: list[str] = []
    old_labels, new_labels = _Labels(old), _Labels(new)
    for file in sorted(set(previous.data) | set(current.data), key=_table_rank):
        name = file.removesuffix(".csv").replace("_", " ")
        before, after = previous.data.get(file), current.data.get(file)
        if before == after:
            continue
        if before is None:
            files.append(f"The report now also reads {f'the {name} table' if file.endswith('.csv') else file}")
        elif after is None:
            files.append(f"The report no longer reads {f'the {name} table' if file.endswith('.csv') else file}")
        elif not file.endswith(".csv"):
            files.append(f"The source file {file} changed")
        elif old(file) is None:
            rows.append(f"The {name} table changed (its earlier version is no longer kept)")
        else:
            rows += table_changes(file, old(file), new(file), old_labels, new_labels) or [f"The {name} table changed"]
    return rows, files


def _figure_changes(previous: Snapshot, current: Snapshot) -> list[str]:
    moved = [
        f"{name}: {previous.figures[name]} → {value}"
        for name, value in current.figures.items()
        if name in previous.figures and previous.figures[name] != value
    ]
    if len(moved) > MAX_FIGURES:
        moved = [*moved[: MAX_FIGURES - 1], f"and {_plural(len(moved) - MAX_FIGURES + 1, 'more key figure')} moved"]
    return moved


def _method_change(previous: Snapshot, current: Snapshot, data_changed: bool) -> list[str]:
    parts = [words for part, words in METHOD_PARTS.items() if previous.method.get(part) != current.method.get(part)]
    lines = []
    if parts:
        data = "" if data_changed else "; the data it reads did not change"
        lines.append(f"Method changed: {_and(parts)}{data}")
    if previous.method.get("site") != current.method.get("site"):
        lines.append("The list of reports on the site changed")
    return lines


def describe(previous: Snapshot | None, current: Snapshot, old: Reader, new: Reader) -> Changes:
    """The changes from `previous` to `current` (`old` and `new` give each edition's data files)."""
    if previous is None:
        return Changes("This is the first edition of this report: there is no earlier one to compare with.")
    rows, files = _data_changes(previous, current, old, new)
    if len(rows) > MAX_ROWS:
        rows = [*rows[: MAX_ROWS - 1], f"and {_plural(len(rows) - MAX_ROWS + 1, 'more change')} to the data"]
    items = [
        *rows,
        *files,
        *_figure_changes(previous, current),
        *_method_change(previous, current, bool(rows or files)),
    ]
    same_day = previous.as_of == current.as_of
    intro = f"Compared with the previous edition, as of {long_date(previous.as_of)}"
    if not items:
        moved = "" if same_day else f" The as-of date moved to {long_date(current.as_of)}."
        return Changes(f"{intro}: nothing in the data this report reads or in its method changed.{moved}")
    return Changes(f"{intro}{' (the same day)' if same_day else ''}:", tuple(f"{item}." for item in items))


_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_text(text: str) -> str:
    """`text` as literal markdown: every ASCII punctuation character backslash-escaped, lines joined."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def markdown(changes: Changes) -> str:
    """The section as a markdown cell's source: a heading, the opening sentence and a bullet list."""
    items = "".join(f"- {markdown_text(item)}\n" for item in changes.items)
    return f"## {HEADING}\n\n{markdown_text(changes.intro)}\n" + (f"\n{items}" if items else "")


def insert_section(notebook: Any, changes: Changes) -> None:
    """Put the section after the notebook's first markdown cell (its title and introduction)."""
    import nbformat  # (a second of imports: only when a report is written)

    cell = nbformat.v4.new_markdown_cell(markdown(changes), id=CELL_ID)
    first = next((i for i, c in enumerate(notebook.cells) if c.cell_type == "markdown"), -1)
    notebook.cells.insert(first + 1, cell)


def summary(lines: Iterable[str]) -> str:
    """The change lines as one paragraph (for the feed and the editions page)."""
    return " ".join(lines)
