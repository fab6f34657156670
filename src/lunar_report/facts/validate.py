"""Validate the fact base: every problem reported as `file:row:column: message`.

Checks within one table are generated from the declaration in :mod:`.schema` and run
by pandera; this module reads the files and adds what pandera cannot see: ids that
point into other tables, source text files, quotes checked against those texts, the
dates of the evidence a claim's publication-time verdict rests on, statement histories
(subject, order, the target a plan row carries) and the review log's coverage.
Validation only reads; it never writes.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from ..errors import DataError
from .dates import end_of_period
from .schema import TABLES, Column, Table, form_column, local_column, pandera_schema, prepare, rules

_WHITESPACE = re.compile(r"\s+")
MAX_CELL = 131_072  # characters in one cell (128 Ki, the csv module's default field limit)


@dataclass(frozen=True)
class Problem:
    """One problem, at a line (the header is line 1) and column of a file; None = not applicable."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row or '-'}:{self.column or '-'}: {self.message}"


@dataclass
class _TableCheck:
    """One table as read: its bytes, its cells as strings, and the problems found so far."""

    table: Table
    data: bytes = b""
    frame: pd.DataFrame | None = None
    problems: list[Problem] = field(default_factory=list)
    found: list[tuple[object, str, str]] = field(default_factory=list)  # (frame index, column, message)
    failed: dict[str, set] = field(default_factory=dict)  # column → frame indexes that broke its rules
    _ids: dict[str, pd.Series] = field(default_factory=dict)

    @property
    def rows(self) -> pd.DataFrame:
        """The parsed cells; only for tables that parsed (callers check `_usable` or `frame is None`)."""
        if self.frame is None:
            raise RuntimeError(f"{self.table.file} did not parse")
        return self.frame

    @property
    def text(self) -> str:
        return self.data.decode("utf-8-sig")

    def add(self, index, column: str, message: str) -> None:
        self.found.append((index, column, message))
        self.failed.setdefault(column, set()).add(index)

    def ids(self, column: str) -> pd.Series:
        """The ids of an id or `;`-separated ids column, one per entry, indexed by row.

        Cells that broke the column's own rules (a malformed list, say) are left out.
        """
        if column not in self._ids:
            values = self.rows[column]
            self._ids[column] = _split_ids(values.drop(list(self.failed.get(column, ()))))
        return self._ids[column]

    def all_problems(self) -> list[Problem]:
        """The problems, ordered by line and column; frame rows become CSV line numbers."""
        located = list(self.problems)
        if self.found:
            lines = record_lines(self.text)
            located += [
                Problem(self.table.file, lines[int(index)], column, message)  # type: ignore[call-overload]
                for index, column, message in self.found
            ]
        order = {name: i for i, name in enumerate(self.table.column_names)}
        return sorted(located, key=lambda p: (p.row or 0, order.get(p.column or "", -1), p.message))


@dataclass(frozen=True)
class ValidationReport:
    """Counts per table of a fact base that passed validation."""

    counts: dict[str, int]

    def summary(self) -> str:
        parts = ", ".join(f"{n} {name}" for name, n in self.counts.items())
        return f"data OK: {parts}"


def normalise_whitespace(text: str) -> str:
    """Every run of whitespace (spaces, non-breaking spaces, newlines) as one space, trimmed."""
    return _WHITESPACE.sub(" ", text).strip()


@contextmanager
def _any_field_size() -> Iterator[None]:
    """Let the csv module read cells of any size (oversized ones are reported, not crashed on)."""
    limit = csv.field_size_limit(2**31 - 1)
    try:
        yield
    finally:
        csv.field_size_limit(limit)


def _records(text: str):
    """Each record of a CSV text with the line it starts on (header = line 1).

    Lines that are empty or hold only spaces and tabs are skipped, as pandas skips them.
    """
    with _any_field_size():
        reader = csv.reader(io.StringIO(text, newline=""))  # \r, \n and \r\n end lines, as for pandas
        previous_end = 0
        for record in reader:
            blank = not record or (len(record) == 1 and record[0] != "" and not record[0].strip(" \t"))
            if not blank:
                yield previous_end + 1, record
            previous_end = reader.line_num


def record_lines(text: str) -> list[int]:
    """The line each data record of a CSV text starts on (header = line 1)."""
    return [line for line, _ in _records(text)][1:]


def read_valid_tables(data_dir: str | os.PathLike | None = None) -> dict[str, pd.DataFrame]:
    """Every table of the data folder as strings ("" when empty), or DataError listing every problem.

    Each date column `d` comes with `d.form` (the precision it is written at) and
    `d.local` (its first instant, naive local time), see :func:`.schema.prepare`.
    """
    folder = paths.data_dir(data_dir)
    if not folder.is_dir():
        raise DataError(
            [str(Problem("-", None, None, f"no data folder at {folder}; give an existing folder (--data DIR)"))]
        )
    checks = {name: _read(folder, table) for name, table in TABLES.items()}
    for check in checks.values():
        if check.frame is not None:
            _check_rules(check)
    _check_references(checks)
    _check_quotes(folder, checks)
    _check_evidence_dates(checks)
    _check_statements(checks)
    _check_reviews(checks)
    problems = [str(p) for check in checks.values() for p in check.all_problems()]
    if problems:
        raise DataError(problems)
    return {name: check.rows for name, check in checks.items()}


def validate_data(data_dir: str | os.PathLike | None = None) -> ValidationReport:
    """Check the data folder; raise DataError listing every problem."""
    frames = read_valid_tables(data_dir)
    return ValidationReport({name: len(frame) for name, frame in frames.items()})


def _read(folder: Path, table: Table) -> _TableCheck:
    check = _TableCheck(table)
    if not (folder / table.file).resolve().is_relative_to(folder):
        return _fail(check, "a link to a file outside the data folder; put the table itself in the data folder")
    try:
        check.data = read_regular(folder / table.file)
    except FileNotFoundError:
        return _fail(check, f"file missing; create it ({_header_hint(table)})")
    except OSError as exc:
        return _fail(check, f"cannot read the file: {exc.strerror}")
    try:
        _parse(check)
    except UnicodeDecodeError:
        _fail(check, _not_utf8(check.data))
    return check


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file; OSError for a FIFO or a device (reading one could block forever or never end)."""
    if path.exists() and not path.is_file():
        raise OSError(errno.EINVAL, "not a regular file (a FIFO, device or folder); put the file itself here")
    return path.read_bytes()


def _header_hint(table: Table) -> str:
    return f"the first line must be the header: {','.join(table.column_names)}"


def _not_utf8(data: bytes) -> str:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return f"not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}); save it as UTF-8"
    return "not UTF-8 text; save it as UTF-8"


def _parse(check: _TableCheck) -> None:
    """Check the header, then read the cells as strings ("" when empty) and prepare them."""
    records = _records(check.text)
    header: list[str] = next(records, (1, []))[1]
    records.close()
    if not header:
        _fail(check, f"file is empty; {_header_hint(check.table)}")
        return
    if _check_header(check, header):
        return
    try:
        frame = pd.read_csv(
            io.BytesIO(check.data), encoding="utf-8-sig", dtype=object, keep_default_na=False, na_filter=False
        )
    except pd.errors.ParserError:
        _report_ragged_rows(check, len(header))
        return
    if _has_short_rows(check.data, frame) or not isinstance(frame.index, pd.RangeIndex):
        _report_ragged_rows(check, len(header))  # (every row one field too long: pandas made column 1 the index)
    elif not _report_oversized_cells(check, frame):
        check.frame = prepare(check.table, frame)


def _report_oversized_cells(check: _TableCheck, frame: pd.DataFrame) -> bool:
    """Report every cell longer than MAX_CELL characters; True if there were any."""
    if len(check.data) <= MAX_CELL:
        return False
    for column in frame.columns:
        lengths = np.fromiter(map(len, frame[column].tolist()), dtype=np.int64, count=len(frame))
        for index in frame.index[lengths > MAX_CELL]:
            check.add(
                index,
                column,
                f"{len(frame.at[index, column])} characters; a cell holds at most {MAX_CELL} (128 KiB), "
                "shorten it or move the text to a source file",
            )
    return bool(check.found)


def _fail(check: _TableCheck, message: str) -> _TableCheck:
    check.problems.append(Problem(check.table.file, None, None, message))
    return check


def _check_header(check: _TableCheck, header: list[str]) -> bool:
    """Report missing, unknown and repeated columns; True if there were any."""
    declared = check.table.column_names
    file = check.table.file
    seen: set[str] = set()
    for name in header:
        if name in seen:
            check.problems.append(Problem(file, 1, name, "column appears more than once; keep one"))
        elif name not in declared:
            check.problems.append(Problem(file, 1, name, f"unknown column; the columns are: {', '.join(declared)}"))
        seen.add(name)
    for name in declared:
        if name not in seen:
            check.problems.append(
                Problem(file, 1, name, "missing column; add it to the header (it may be empty where optional)")
            )
    return bool(check.problems)


def _has_short_rows(data: bytes, frame: pd.DataFrame) -> bool:
    """True if some record has fewer fields than the header (pandas pads those silently).

    Every record with all its fields has width - 1 separating commas; any others are inside cells.
    """
    inside_cells = sum("".join(frame[name].tolist()).count(",") for name in frame.columns)
    return data.count(b",") < (len(frame) + 1) * (len(frame.columns) - 1) + inside_cells


def _report_ragged_rows(check: _TableCheck, width: int) -> None:
    for line, record in _records(check.text):
        if len(record) != width:
            hint = "quote values that contain commas" if len(record) > width else "add the missing (maybe empty) fields"
            check.problems.append(
                Problem(check.table.file, line, None, f"{len(record)} fields but the header has {width}; {hint}")
            )


def _check_rules(check: _TableCheck) -> None:
    """Run the table's pandera schema (generated from the declaration) and keep its failures."""
    import pandera.errors

    try:
        pandera_schema(check.table).validate(check.rows, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        by_key = {rule.key: rule for rule in rules(check.table)}
        failures = exc.failure_cases[["check", "index"]].drop_duplicates()
        if failures["index"].isna().any():  # a check crashed: a bug, not a data problem
            raise RuntimeError(f"validating {check.table.file} failed: {exc}") from exc
        for key, index in failures.itertuples(index=False):
            rule = by_key[key]
            row = check.rows.loc[index].to_dict()
            check.add(index, rule.column, rule.message(row))


def _usable(checks: dict[str, _TableCheck], name: str) -> bool:
    return checks[name].frame is not None


def _check_references(checks: dict[str, _TableCheck]) -> None:
    """Every id in a referencing column must exist in one of the referenced tables."""
    for check in checks.values():
        if check.frame is None:
            continue
        for column in check.table.columns:
            if not column.references or not all(_usable(checks, name) for name in column.references):
                continue
            known = pd.concat([checks[name].rows["id"] for name in column.references])
            ids = check.ids(column.name)
            files = " or ".join(TABLES[name].file for name in column.references)
            for index, unknown in ids[~ids.isin(known)].items():
                check.add(index, column.name, f"unknown id {unknown!r}; no such id in {files}")


def _split_ids(values: pd.Series) -> pd.Series:
    filled = values[values.to_numpy() != ""]
    listed = np.fromiter((";" in value for value in filled), dtype=bool, count=len(filled))
    parts = filled[listed].str.split(";").explode()
    return pd.concat([filled[~listed], parts])


def _check_quotes(folder: Path, checks: dict[str, _TableCheck]) -> None:
    """Quotes must occur verbatim in the text of each cited source; rows citing the article need one."""
    if not _usable(checks, "sources"):
        return
    sources = checks["sources"].rows.set_index("id", drop=False)
    sources = sources[~sources.index.duplicated()]
    texts = _source_texts(folder, checks["sources"])
    for check in checks.values():
        source_column = check.table.source_column
        quote_column = next((c.name for c in check.table.columns if c.kind == "quote"), None)
        if check.frame is None or source_column is None or quote_column is None:
            continue
        cited = check.ids(source_column.name).rename("source").to_frame()
        cited = cited[cited["source"].isin(sources.index)]
        cited["quote"] = check.rows[quote_column].reindex(cited.index)
        cited["kind"] = cited["source"].map(sources["kind"])
        for index, source in cited.loc[(cited["quote"] == "") & (cited["kind"] == "article"), "source"].items():
            check.add(
                index, quote_column, f"empty, but the row cites the article {source!r}; copy its words here verbatim"
            )
        _check_verbatim(
            check, quote_column, cited[(cited["quote"] != "") & cited["source"].isin(texts)], texts, sources
        )


def _check_verbatim(
    check: _TableCheck, quote_column: str, cited: pd.DataFrame, texts: dict[str, str], sources: pd.DataFrame
) -> None:
    """Each distinct (quote, source) pair is searched once; every row with a missing quote is reported."""
    pairs = cited[["quote", "source"]].drop_duplicates()
    missing = {(q, s) for q, s in pairs.itertuples(index=False) if normalise_whitespace(q) not in texts[s]}
    if not missing:
        return
    for index, quote, source in cited[["quote", "source"]].itertuples():
        if (quote, source) in missing:
            text_file = sources.at[source, "text_file"]
            check.add(index, quote_column, f"not found verbatim in {text_file} (source {source!r}); copy it exactly")


def _source_texts(folder: Path, check: _TableCheck) -> dict[str, str]:
    """Source id → its text with whitespace normalised, for sources whose text file reads cleanly."""
    text_columns = [c.name for c in check.table.columns if c.kind == "file"]
    texts = {}
    for column in text_columns:
        for index, source, relative in check.rows[["id", column]].itertuples():
            if not relative:
                continue
            path = (folder / relative).resolve()
            if not path.is_relative_to(folder):
                check.add(index, column, f"{relative!r} is outside the data folder; give a path inside it")
                continue
            try:
                data = read_regular(path)
                texts[source] = normalise_whitespace(data.decode("utf-8"))
            except FileNotFoundError:
                check.add(index, column, f"{relative!r} not found in the data folder")
            except UnicodeDecodeError:
                check.add(index, column, f"{relative!r} is not UTF-8 text; save it as UTF-8")
            except OSError as exc:
                check.add(index, column, f"cannot read {relative!r}: {exc.strerror}")
            else:
                check.problems += _sidecar_problems(folder, relative, data)
    return texts


def _sidecar_problems(folder: Path, relative: str, data: bytes) -> list[Problem]:
    """A source text's metadata file (`<text>.json`), if there is one, must record the text's sha256."""
    name = Path(relative).with_suffix(".json").as_posix()
    path = (folder / name).resolve()
    if not (folder / name).is_file():
        return []
    if not path.is_relative_to(folder):
        return [
            Problem(
                name, None, None, "a link to a file outside the data folder; put the file itself in the data folder"
            )
        ]
    try:
        recorded = json.loads(path.read_text(encoding="utf-8")).get("sha256")
    except (OSError, UnicodeDecodeError, ValueError, AttributeError):
        return [Problem(name, None, None, f"not a JSON object; fix it (it describes {relative}) or remove it")]
    actual = hashlib.sha256(data).hexdigest()
    if recorded != actual:
        return [
            Problem(
                name,
                None,
                "sha256",
                f"{recorded!r} does not match {relative} (sha256 {actual}); "
                "if the text changed on purpose, update sha256, else restore the text",
            )
        ]
    return []


# --- Dates across tables ---------------------------------------------------------------
# Dates are compared as written, each in its own calendar (time zones are not converted):
# a partial date is the period it names, `2021-04` is all of April 2021.


def _period_end(frame: pd.DataFrame, column: str) -> pd.Series:
    """The first instant after each date's period (naive local); NaT where empty or invalid."""
    return end_of_period(frame[local_column(column)], frame[form_column(column)])


def _lookup(keys: pd.Series, table: pd.Series) -> pd.Series:
    """`keys.map(table)`, also when `table` is empty (pandas cannot map through an empty datetime Series)."""
    return pd.Series(table.reindex(keys.to_numpy()).to_numpy(), index=keys.index, dtype=table.dtype)


def _known_by(checks: dict[str, _TableCheck], names: tuple[str, ...]) -> pd.DataFrame:
    """Row id → `when`, the instant by which the row is known to be dated or published, and `what` dates it.

    An event is dated by its `start` (the whole period), a row with an `event` column by
    that event, any other row by the earliest `published` of its sources (a `computed`
    source is timeless: a computation is available whenever its inputs are). NaT: unknown.
    Rows whose date is itself invalid (reported already) are left out.
    """
    events = checks["events"].rows
    events = events[~events.index.isin(list(checks["events"].failed.get("start", ())))].drop_duplicates("id")
    event_when = pd.Series(_period_end(events, "start").to_numpy(), index=events["id"])
    event_what = "starts " + pd.Series(events["start"].to_numpy(), index=events["id"])
    sources = checks["sources"].rows
    broken = set(sources.loc[sources.index.isin(list(checks["sources"].failed.get("published", ()))), "id"])
    sources = sources.drop_duplicates("id")
    published = pd.Series(_period_end(sources, "published").to_numpy(), index=sources["id"])
    published[sources["kind"].to_numpy() == "computed"] = pd.Timestamp.min
    written = pd.Series(sources["published"].to_numpy(), index=sources["id"])
    known = []
    for name in names:
        check = checks[name]
        frame = check.rows
        if name == "events":
            known.append(pd.DataFrame({"when": event_when, "what": event_what}))
        elif name == "sources":  # a source cited as evidence is dated by its own `published`
            usable = ~published.index.isin(list(broken))
            known.append(pd.DataFrame({"when": published[usable], "what": "was published " + written[usable]}))
        elif "event" in check.table.column_names:
            dated = frame[frame["event"].isin(event_when.index)]
            known.append(
                pd.DataFrame(
                    {
                        "when": _lookup(dated["event"], event_when).to_numpy(),
                        "what": (
                            "is dated by its event "
                            + dated["event"].map(repr)
                            + ", which "
                            + dated["event"].map(event_what)
                        ).to_numpy(),
                    },
                    index=dated["id"],
                )
            )
        elif check.table.source_column is not None:
            cited = check.ids(check.table.source_column.name)
            frame = frame[~frame.index.isin(cited[cited.isin(broken)].index)]  # a source's date is itself wrong
            cited = cited[cited.index.isin(frame.index)]
            pairs = pd.DataFrame(
                {"row": cited.index, "source": cited.to_numpy(), "date": _lookup(cited, published).to_numpy()}
            )
            earliest = pairs.dropna(subset=["date"]).sort_values("date", kind="stable").drop_duplicates("row")
            earliest = earliest.set_index("row").reindex(frame.index)
            what = (
                "is known only from sources published "
                + _lookup(earliest["source"], written).fillna("")
                + " or later ("
                + earliest["source"].map(repr)
                + ")"
            )
            known.append(
                pd.DataFrame({"when": earliest["date"].to_numpy(), "what": what.to_numpy()}, index=frame["id"])
            )
    found = pd.concat(known)
    return found[~found.index.duplicated()]


def _check_evidence_dates(checks: dict[str, _TableCheck]) -> None:
    """Rows a publication-time verdict rests on must date from on or before the article's date."""
    for check in checks.values():
        for column in check.table.columns:
            if not column.evidence_until or check.frame is None:
                continue
            if not all(_usable(checks, name) for name in ("sources", *column.references)):
                continue
            known_by = _known_by(checks, column.references)
            sources = checks["sources"].rows.drop_duplicates("id")
            published = pd.Series(_period_end(sources, "published").to_numpy(), index=sources["id"])
            written = pd.Series(sources["published"].to_numpy(), index=sources["id"])
            bad_dates = set(checks["sources"].rows.loc[list(checks["sources"].failed.get("published", ())), "id"])
            article = check.ids(column.evidence_until)
            article = article[article.isin(written.index) & ~article.isin(bad_dates)]
            dated = _lookup(article, published)
            for index, source in article[dated.isna()].items():
                check.add(
                    index,
                    column.evidence_until,
                    f"{source!r} has no published date in sources.csv, so the "
                    f"rows in {column.name} cannot be checked against it; give it one",
                )
            limit = dated.dropna().groupby(level=0).max()
            limit_text = article[dated.notna()].map(written).groupby(level=0).max()
            cited = check.ids(column.name)
            cited = cited[cited.index.isin(limit.index) & cited.isin(known_by.index)]
            when = _lookup(cited, known_by["when"])
            late = when.isna() | (when > limit.reindex(cited.index))
            for index, row_id in cited[late].items():
                if pd.isna(known_by.at[row_id, "when"]):
                    check.add(
                        index,
                        column.name,
                        f"{row_id!r} {_undated(row_id, written)}, so it is not "
                        f"known to date from on or before the article's date {limit_text[index]}; give a source's "
                        f"published date, or move it to {column.name}_now",
                    )
                else:
                    check.add(
                        index,
                        column.name,
                        f"{row_id!r} {known_by.at[row_id, 'what']}: not on or before the "
                        f"article's date {limit_text[index]}; a publication-time verdict rests only on earlier "
                        f"evidence (move it to {column.name}_now)",
                    )
            _check_row_sources(check, column, cited[~late], limit, limit_text, checks)


def _undated(row_id: str, written: pd.Series) -> str:
    """Why a cited id has no date: a source without `published`, or a row none of whose sources has one."""
    return (
        "has no published date in sources.csv" if row_id in written.index else "cites no source with a published date"
    )


def _check_row_sources(
    check: _TableCheck,
    column: Column,
    cited: pd.Series,
    limit: pd.Series,
    limit_text: pd.Series,
    checks: dict[str, _TableCheck],
) -> None:
    """No source of a row cited as publication-time evidence may be published after the article (its whole
    period after the article's date): a row known early from one source may carry later ones too, and those
    are not evidence of the time."""
    sources = checks["sources"].rows.drop_duplicates("id")
    starts = pd.Series(sources[local_column("published")].to_numpy(), index=sources["id"])  # known after: all of it
    written = pd.Series(sources["published"].to_numpy(), index=sources["id"])
    owners = []
    for name in column.references:
        source_column = checks[name].table.source_column
        if source_column is not None:
            ids = checks[name].ids(source_column.name)
            owners.append(pd.Series(ids.to_numpy(), index=checks[name].rows.loc[ids.index, "id"].to_numpy()))
    if not owners:
        return
    row_sources = pd.concat(owners)
    row_sources = row_sources[row_sources.index.isin(cited.unique())]  # only the rows cited: few, also at scale
    by_row = {row_id: list(dict.fromkeys(group)) for row_id, group in row_sources.groupby(level=0, sort=False)}
    for index, row_id in cited.items():
        for source in by_row.get(row_id, ()):
            when = starts.get(source, pd.NaT)
            if pd.notna(when) and when >= limit[index]:
                check.add(
                    index,
                    column.name,
                    f"{row_id!r} cites source {source!r}, published {written[source]}: after the "
                    f"article's date {limit_text[index]}; publication-time evidence comes only from sources "
                    f"published by then (cite those sources instead, or move {row_id!r} to {column.name}_now)",
                )


def _check_statements(checks: dict[str, _TableCheck]) -> None:
    """A statement is about a plan or phase, falls on its event's date, comes in date order within its
    subject; and the subject row carries the target of its latest statement."""
    if not (_usable(checks, "statements") and _usable(checks, "events")):
        return
    check, events_check = checks["statements"], checks["events"]
    statements, events = check.rows, events_check.rows
    first = events.drop_duplicates("id")
    category = dict(zip(first["id"], first["category"]))
    start = dict(zip(first["id"], first["start"]))
    end = dict(zip(first["id"], first["end"]))
    position = dict(zip(first["id"], first.index))
    failed_dates = set().union(*(events_check.failed.get(name, set()) for name in ("start", "end")))
    failed_targets = set().union(*(check.failed.get(name, set()) for name in ("target", "target_end")))
    lines = dict(zip(statements.index, record_lines(check.text)))
    rows = zip(
        statements.index,
        statements["subject"],
        statements["event"],
        statements["stated"],
        statements[local_column("stated")],
        statements["target"],
        statements["target_end"],
    )
    previous: dict[str, tuple[pd.Timestamp, str, int]] = {}
    latest: dict[str, list[tuple[pd.Timestamp, object, str, str, str]]] = {}
    for index, subject, event, stated, when, target, target_end in rows:
        kind = category.get(subject)
        if kind is not None and kind not in ("plan", "phase"):
            check.add(
                index,
                "subject",
                f"{subject!r} is a {kind} event; a statement's subject is the plan or phase event it is about",
            )
        if event in start and stated and not start[event].startswith(stated):
            check.add(
                index,
                "stated",
                f"{stated!r} differs from the start {start[event]!r} of its event {event!r}; make them agree",
            )
        if pd.isna(when):
            continue
        if subject in previous and when < previous[subject][0]:
            _, before, line = previous[subject]
            check.add(
                index,
                "stated",
                f"{stated!r} is before {before!r}, the date of the statement on line {line} "
                f"about {subject!r}; keep each subject's statements in date order",
            )
            continue
        previous[subject] = (when, stated, lines[index])
        if kind in ("plan", "phase") and target and index not in failed_targets:
            said = latest.setdefault(subject, [])
            if said and when > said[0][0]:
                said.clear()
            if not said or when == said[0][0]:
                said.append((when, index, stated, target, target_end))
    for subject, said in latest.items():
        event_index = position[subject]
        if event_index in failed_dates:
            continue
        _, index, stated, target, target_end = said[-1]
        where = f"statements.csv:{lines[index]} ({stated})"
        if not any(t == start[subject] for _, _, _, t, _ in said):
            events_check.add(
                event_index,
                "start",
                f"{start[subject]!r} is not the latest stated target of {subject!r}: "
                f"{where} states {target!r}; a plan row carries what was last stated",
            )
        elif not any(t == start[subject] and e == end[subject] for _, _, _, t, e in said):
            events_check.add(
                event_index,
                "end",
                f"{end[subject]!r} is not the latest stated end of {subject!r}: "
                f"{where} states {target_end!r}; a plan row carries what was last stated",
            )


def _check_reviews(checks: dict[str, _TableCheck]) -> None:
    """Every other table has a review of all its rows, and no table's latest review predates a source it cites."""
    if not _usable(checks, "reviews"):
        return
    check = checks["reviews"]
    reviews = check.rows
    named = reviews[~reviews.index.isin(list(check.failed.get("table", set()) | check.failed.get("rows", set())))]
    full = set(named.loc[named["rows"] == "all", "table"])
    for name in TABLES:
        if name != "reviews" and name not in full:
            check.problems.append(
                Problem(
                    check.table.file,
                    None,
                    "table",
                    f"no review of all rows of {name!r}; add one (table, reviewed, rows = all, note)",
                )
            )
    if not _usable(checks, "sources"):
        return
    sources = checks["sources"].rows
    starts = pd.Series(sources[local_column("published")].to_numpy(), index=sources["id"])
    starts = starts[~starts.index.duplicated()].dropna()
    written = pd.Series(sources["published"].to_numpy(), index=sources["id"])
    written = written[~written.index.duplicated()]
    valid = named[~named.index.isin(list(check.failed.get("reviewed", ())))]
    ends = _period_end(valid, "reviewed")
    for name, reviewed in valid.assign(end=ends).dropna(subset=["end"]).groupby("table", sort=False):
        table = checks.get(name)
        if table is None or table.frame is None:
            continue
        if name == "sources":
            cited = pd.Series(sources["id"].to_numpy())
        elif table.table.source_column is not None:
            cited = table.ids(table.table.source_column.name)
        else:
            continue
        dated = starts.reindex(cited.drop_duplicates().to_numpy()).dropna()
        if dated.empty:
            continue
        latest = reviewed.loc[reviewed["end"].idxmax()]
        newest = dated.idxmax()
        if latest["end"] <= dated[newest]:
            check.add(
                latest.name,
                "reviewed",
                f"{latest['reviewed']!r} is before source {newest!r} (published "
                f"{written[newest]}) cited by {TABLES[name].file}; a table's latest review cannot predate a "
                "source it cites",
            )
