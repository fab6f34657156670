"""Load the fact base into typed pandas DataFrames (validated first: see :mod:`.validate`)."""

from __future__ import annotations

import json
import numbers
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from .. import paths
from .checked import TableCheck
from .dates import PRECISIONS, to_utc
from .schema import BOOLEANS, TABLES, ColumnKind, form_column, local_column
from .validate import read_valid_checks


class ReadLog:
    """The data files read through the fact-base API: what a report depends on.

    `Facts` records a table's file when the table is used and, with the sources table, the
    source texts (and their metadata files) that its quotes were validated against.
    """

    def __init__(self) -> None:
        self._files: set[str] = set()
        self._figures: dict[str, str] = {}
        self._pages: dict[str, dict] = {}

    def record(self, *files: Path) -> None:
        """Note `files` as read."""
        self._files.update(str(f) for f in files)

    def files(self) -> list[str]:
        """Every file recorded, sorted."""
        return sorted(self._files)

    def figure(self, name: str, shown: str) -> None:
        """Note a key figure of the report as a reader sees it (the last value given for `name` wins)."""
        self._figures[str(name)] = shown

    def figures(self) -> dict[str, str]:
        """Every key figure noted, by name."""
        return dict(sorted(self._figures.items()))

    def page(self, name: str, content: dict) -> None:
        """Note a page the build writes beside the report (`name` relative to the output folder, e.g.
        "claims/claim-headline.html") with what it shows, as JSON-able values; the host lays it out."""
        self._pages[str(name)] = content

    def pages(self) -> dict[str, dict]:
        """Every page noted, by name."""
        return dict(sorted(self._pages.items()))


READS = ReadLog()
"""The log of this process: the report's kernel prints it with `report_reads()` after the last cell."""


def report_reads(log: ReadLog = READS) -> None:
    """Print the files read, the key figures and the pages beside the report, as JSON: the build appends a tagged
    cell calling this."""
    print(json.dumps({"files": log.files(), "figures": log.figures(), "pages": log.pages()}, ensure_ascii=False))


def key_figure(name: str, value, unit: str = "", log: ReadLog = READS):
    """Report `value` as one of the report's key figures, e.g. ``key_figure("partner countries", len(joinings))``.

    The build compares key figures between editions and names those that moved in the report's
    "What changed" section ("partner countries: 10 → 11"). Returns `value`, so the call can wrap
    an expression. Numbers are shown with thousands separators, then `unit`.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):  # numpy's numbers are Real too
        shown = str(value)
    elif isinstance(value, numbers.Integral):
        shown = f"{int(value):,}"
    elif float(value).is_integer():
        shown = f"{int(float(value)):,}"
    else:
        shown = f"{float(value):,.10g}"
    log.figure(name, f"{shown} {unit}".strip())
    return value


class Facts:
    """The fact base: one typed DataFrame per table, plus where it was read from.

    Each table is a property that records its file in `log` when used.
    """

    def __init__(self, data_dir: Path, frames: dict[str, pd.DataFrame], source_files: list[Path], log: ReadLog):
        self.data_dir, self._frames, self._source_files, self.log = data_dir, frames, source_files, log

    def __repr__(self) -> str:
        return f"Facts({self.data_dir}: {', '.join(f'{n} {len(f)}' for n, f in self._frames.items())})"

    def table(self, name: str) -> pd.DataFrame:
        """The table `name`, recorded as read."""
        self.log.record(self.data_dir / TABLES[name].file)
        if name == "sources":
            self.log.record(*self._source_files)
        return self._frames[name]

    @property
    def sources(self) -> pd.DataFrame:
        return self.table("sources")

    @property
    def events(self) -> pd.DataFrame:
        return self.table("events")

    @property
    def missions(self) -> pd.DataFrame:
        return self.table("missions")

    @property
    def figures(self) -> pd.DataFrame:
        return self.table("figures")

    @property
    def agreements(self) -> pd.DataFrame:
        return self.table("agreements")

    @property
    def agreement_sections(self) -> pd.DataFrame:
        return self.table("agreement_sections")

    @property
    def claims(self) -> pd.DataFrame:
        return self.table("claims")

    @property
    def statements(self) -> pd.DataFrame:
        return self.table("statements")

    @property
    def reviews(self) -> pd.DataFrame:
        return self.table("reviews")

    def event(self, event_id: str) -> pd.Series:
        """One event's row by id (KeyError if there is none)."""
        return self.events.set_index("id", drop=False).loc[event_id]


def typed(check: TableCheck) -> pd.DataFrame:
    """A table as read (strings), with typed columns: categoricals for choices, Float64, boolean, string.

    Empty cells become <NA>; date columns keep their original text. Each column is typed from its distinct
    values (`check.distinct`, shared with validation), then spread to the rows.
    """
    columns = {}
    for column in check.table.columns:
        positions, distinct = check.distinct(column.name)
        if column.choices:  # (from each distinct value's category: a Categorical of strings costs far more)
            chosen = pd.Index(list(column.choices)).get_indexer(distinct)
            columns[column.name] = pd.Categorical.from_codes(chosen[positions], categories=list(column.choices))
        elif column.kind == ColumnKind.BOOL:
            columns[column.name] = distinct.map(BOOLEANS).astype("boolean").array.take(positions)
        elif column.kind == ColumnKind.FLOAT:
            columns[column.name] = pd.to_numeric(_strings(distinct)).astype("Float64").array.take(positions)
        else:
            columns[column.name] = _strings(distinct).array.take(positions)
    return pd.DataFrame(columns, index=check.rows.index, copy=False)


def _strings(values: pd.Series) -> pd.Series:
    """The values as pandas strings, <NA> where empty."""
    raw = values.to_numpy()
    return pd.Series(raw, dtype="string").mask(raw == "")


def with_instants(events: pd.DataFrame, prepared: pd.DataFrame) -> pd.DataFrame:
    """Add `start_utc`/`end_utc` (first instant of each partial date, in UTC) and `end_precision`.

    `prepared` is the events table as validated, with each date's local first instant and form.
    """
    zones = prepared["timezone"]
    return events.assign(
        start_utc=to_utc(prepared[local_column("start")], zones),
        end_utc=to_utc(prepared[local_column("end")], zones),
        end_precision=pd.Categorical(prepared[form_column("end")], categories=list(PRECISIONS)),
    )


def load_facts(data_dir: str | os.PathLike[str] | None = None, log: ReadLog = READS) -> Facts:
    """Validate and read every table of the fact base in `data_dir` (default: the project's `data/`).

    Raises DataError listing every problem (`file:row:column: message`) if the data is invalid.
    The tables used later are recorded in `log`.
    """
    folder = paths.data_dir(data_dir)
    if _shared is not None and log is READS and folder in _shared:
        return _shared[folder]
    checks = read_valid_checks(folder)
    frames = {}
    for name, check in checks.items():
        check.forget_lookups()
        frames[name] = typed(check)
        check.forget_distinct()
    frames["events"] = with_instants(frames["events"], checks["events"].rows)
    facts = Facts(folder, frames, source_files(folder, checks["sources"].rows), log)
    if _shared is not None and log is READS:
        _shared[folder] = facts
    return facts


_shared: dict[Path, Facts] | None = None


@contextmanager
def loaded_once() -> Iterator[None]:
    """Within the block, `load_facts` reads and validates each data folder once and shares it (read-only).

    The host checks every report's parameters before any kernel starts: with a matrix of
    thousands of reports, loading the fact base per report would cost minutes and gigabytes.
    """
    global _shared
    previous, _shared = _shared, {}
    try:
        yield
    finally:
        _shared = previous


def source_files(folder: Path, sources: pd.DataFrame) -> list[Path]:
    """The source text files the sources table names, with the metadata file beside each (if any)."""
    files = []
    columns = [c.name for c in TABLES["sources"].columns if c.kind == ColumnKind.FILE]
    for relative in sources[columns].to_numpy().ravel().tolist():
        if relative:
            text = folder / relative
            files += [text, *[m for m in [text.with_suffix(".json")] if m.is_file()]]
    return files


def split_ids(text) -> list[str]:
    """The ids of a `;`-separated cell (empty for a missing cell)."""
    return [] if pd.isna(text) else [part.strip() for part in str(text).split(";") if part.strip()]
