"""Validate the fact base: every problem reported as `file:row:column: message`.

Checks within one table are generated from the declaration in :mod:`.schema` and run
as vectorised masks; this module reads the files and adds what one table cannot show: ids that
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
from .rules import prepare, rules
from .schema import TABLES, Column, ColumnKind, Table, form_column, local_column

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
    In a report's kernel, bytes the host has validated already (paths.TRUST_ENV) are not checked again.
    """
    frames, _ = _read_valid(paths.data_dir(data_dir), _trusted())
    return frames


def validated_digest(data_dir: str | os.PathLike | None = None) -> str:
    """Check the data folder (DataError listing every problem); the digest of the bytes that passed."""
    _, digest = _read_valid(paths.data_dir(data_dir), frozenset(), digest=True)
    return digest


def data_digest(data_dir: str | os.PathLike | None = None) -> str:
    """The digest :func:`validated_digest` gives for the data folder as it is now, without checking it."""
    folder = paths.data_dir(data_dir)
    return _digest(folder, {name: _read(folder, table) for name, table in TABLES.items()})


def _trusted() -> frozenset[str]:
    """The digests the host has validated, from the file $LUNAR_REPORT_VALIDATED names (none in a kernel started
    by hand, in Lab say: it validates what it reads)."""
    named = os.environ.get(paths.TRUST_ENV)
    try:
        return frozenset(Path(named).read_text(encoding="ascii").split()) if named else frozenset()
    except (OSError, UnicodeDecodeError):
        return frozenset()


def _read_valid(folder: Path, trusted: frozenset[str], digest: bool = False) -> tuple[dict[str, pd.DataFrame], str]:
    if not folder.is_dir():
        raise DataError(
            [str(Problem("-", None, None, f"no data folder at {folder}; give an existing folder (--data DIR)"))]
        )
    checks = {name: _read(folder, table) for name, table in TABLES.items()}
    found = _digest(folder, checks) if digest or trusted else ""
    if found not in trusted:
        _check(folder, checks)
    return {name: check.rows for name, check in checks.items()}, found


def _check(folder: Path, checks: dict[str, _TableCheck]) -> None:
    """Run every rule, within and across tables; DataError listing every problem."""
    for check in checks.values():
        if check.frame is not None:
            _check_rules(check)
    _check_references(checks)
    _check_quotes(folder, checks)
    dates = _source_dates(checks["sources"]) if _usable(checks, "sources") else None
    _check_evidence_dates(checks, dates)
    _check_statements(checks)
    _check_reviews(checks, dates)
    problems = [str(p) for check in checks.values() for p in check.all_problems()]
    if problems:
        raise DataError(problems)


def _digest(folder: Path, checks: dict[str, _TableCheck]) -> str:
    """One digest over the tables' bytes as read and the source texts (and metadata files) they name."""
    digest = hashlib.sha256()
    for check in checks.values():
        digest.update(check.table.file.encode() + b"\0" + check.data + b"\0")
    if checks["sources"].frame is not None:
        columns = [c.name for c in TABLES["sources"].columns if c.kind == ColumnKind.FILE]
        named = sorted({r for r in checks["sources"].rows[columns].to_numpy().ravel().tolist() if r})
        for relative in named:
            for name in (relative, Path(relative).with_suffix(".json").as_posix()):
                try:
                    data = read_regular(folder / name)
                except OSError:
                    data = b"\1unreadable"
                digest.update(name.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()


def validate_data(data_dir: str | os.PathLike | None = None) -> ValidationReport:
    """Check the data folder; raise DataError listing every problem."""
    frames, _ = _read_valid(paths.data_dir(data_dir), frozenset())
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
    """Run the table's rules (generated from the declaration) as vectorised masks and keep their failures."""
    rows = check.rows
    for rule in rules(check.table):
        passes = rule.passes(rows if rule.whole_row else rows[rule.column]).to_numpy(dtype=bool)
        for index in rows.index[~passes]:
            check.add(index, rule.column, rule.message(rows.loc[index].to_dict()))


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
    keys = pd.MultiIndex.from_frame(cited[["quote", "source"]])
    for index, source in cited.loc[keys.isin(list(missing)), "source"].items():
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


@dataclass(frozen=True)
class _SourceDates:
    """The sources' `published` dates by id (the first row of each id), built once for every rule that needs them."""

    written: pd.Series  # as written
    starts: pd.Series  # first instant of the period (naive local); NaT where empty or invalid
    ends: pd.Series  # first instant after the period
    computed: np.ndarray  # True for a `computed` source (timeless)
    broken: set  # ids whose `published` broke its own rules


def _source_dates(check: _TableCheck) -> _SourceDates:
    sources = check.rows
    broken = set(sources.loc[sources.index.isin(list(check.failed.get("published", ()))), "id"])
    first = sources.drop_duplicates("id")
    ids = first["id"].to_numpy()
    return _SourceDates(
        written=pd.Series(first["published"].to_numpy(), index=ids),
        starts=pd.Series(first[local_column("published")].to_numpy(), index=ids),
        ends=pd.Series(_period_end(first, "published").to_numpy(), index=ids),
        computed=first["kind"].to_numpy() == "computed",
        broken=broken,
    )


def _known_by(checks: dict[str, _TableCheck], names: tuple[str, ...], dates: _SourceDates) -> pd.DataFrame:
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
    published = dates.ends.copy()
    published[dates.computed] = pd.Timestamp.min
    written, broken = dates.written, dates.broken
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


def _check_evidence_dates(checks: dict[str, _TableCheck], dates: _SourceDates | None) -> None:
    """Rows a publication-time verdict rests on must date from on or before the article's date."""
    for check in checks.values():
        for column in check.table.columns:
            if not column.evidence_until or check.frame is None or dates is None:
                continue
            if not all(_usable(checks, name) for name in column.references):
                continue
            known_by = _known_by(checks, column.references, dates)
            written = dates.written
            article = check.ids(column.evidence_until)
            article = article[article.isin(written.index) & ~article.isin(dates.broken)]
            dated = _lookup(article, dates.ends)
            for index, source in article[dated.isna()].items():
                check.add(
                    index,
                    column.evidence_until,
                    f"{source!r} has no published date in sources.csv, so the "
                    f"rows in {column.name} cannot be checked against it; give it one",
                )
            limit = dated.dropna().groupby(level=0).max()
            limit_text = _lookup(article[dated.notna()], written).groupby(level=0).max()
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
            _check_row_sources(check, column, cited[~late], limit, limit_text, checks, dates)


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
    dates: _SourceDates,
) -> None:
    """No source of a row cited as publication-time evidence may be published after the article (its whole
    period after the article's date): a row known early from one source may carry later ones too, and those
    are not evidence of the time."""
    owners = []
    for name in column.references:
        source_column = checks[name].table.source_column
        if source_column is not None:
            ids = checks[name].ids(source_column.name)
            owners.append(pd.DataFrame({"row_id": checks[name].rows.loc[ids.index, "id"].to_numpy(), "source": ids}))
    if not owners:
        return
    row_sources = pd.concat(owners).drop_duplicates()
    row_sources["when"] = _lookup(row_sources["source"], dates.starts).to_numpy()  # known after: all of it
    row_sources = row_sources.dropna(subset=["when"])
    rows = pd.DataFrame(
        {"index": cited.index, "row_id": cited.to_numpy(), "limit": limit.reindex(cited.index).to_numpy()}
    )
    late = rows.merge(row_sources, on="row_id")
    late = late[late["when"] >= late["limit"]]
    for index, row_id, source in late[["index", "row_id", "source"]].itertuples(index=False):
        check.add(
            index,
            column.name,
            f"{row_id!r} cites source {source!r}, published {dates.written[source]}: after the "
            f"article's date {limit_text[index]}; publication-time evidence comes only from sources "
            f"published by then (cite those sources instead, or move {row_id!r} to {column.name}_now)",
        )


def _check_statements(checks: dict[str, _TableCheck]) -> None:
    """A statement is about a plan or phase, falls on its event's date, comes in date order within its
    subject; and the subject row carries the target of its latest statement."""
    if not (_usable(checks, "statements") and _usable(checks, "events")):
        return
    check, events_check = checks["statements"], checks["events"]
    statements = check.rows
    events = events_check.rows.drop_duplicates("id").set_index("id", drop=False)
    kind = _lookup(statements["subject"], events["category"])
    about_other = kind.notna() & ~kind.isin(("plan", "phase"))
    for index, subject, category in pd.concat([statements["subject"], kind], axis=1)[about_other].itertuples():
        check.add(
            index,
            "subject",
            f"{subject!r} is a {category} event; a statement's subject is the plan or phase event it is about",
        )
    event_start = _lookup(statements["event"], events["start"])
    stated = statements["stated"]
    dated = event_start.notna() & (stated != "")
    off = np.char.startswith(event_start[dated].to_numpy(dtype=str), stated[dated].to_numpy(dtype=str))
    for index in dated[dated].index[~off]:
        event = statements.at[index, "event"]
        check.add(
            index,
            "stated",
            f"{stated[index]!r} differs from the start {event_start[index]!r} of its event {event!r}; make them agree",
        )
    accepted = _check_statement_order(check)
    _check_latest_targets(check, events_check, events, accepted)


def _check_statement_order(check: _TableCheck) -> pd.DataFrame:
    """Each subject's statements in date order; the dated statements in order (those out of order are left out)."""
    statements = check.rows
    lines = pd.Series(record_lines(check.text), index=statements.index)
    frame = pd.DataFrame(
        {
            "subject": statements["subject"],
            "when": statements[local_column("stated")],
            "stated": statements["stated"],
            "line": lines,
        }
    ).dropna(subset=["when"])
    by_subject = frame.groupby("subject", sort=False)
    before = by_subject["when"].cummax().groupby(frame["subject"]).shift()
    in_order = before.isna() | (frame["when"] >= before)
    position = pd.Series(np.arange(len(frame)), index=frame.index).where(in_order)
    previous = position.groupby(frame["subject"]).shift().groupby(frame["subject"]).ffill()
    for index in frame.index[~in_order]:
        earlier = frame.iloc[int(previous[index])]
        check.add(
            index,
            "stated",
            f"{frame.at[index, 'stated']!r} is before {earlier['stated']!r}, the date of the statement on line "
            f"{earlier['line']} about {frame.at[index, 'subject']!r}; keep each subject's statements in date order",
        )
    return frame[in_order]


def _check_latest_targets(
    check: _TableCheck, events_check: _TableCheck, events: pd.DataFrame, accepted: pd.DataFrame
) -> None:
    """The plan or phase row carries the target (and end) of its latest statements."""
    statements = check.rows
    failed_targets = set().union(*(check.failed.get(name, set()) for name in ("target", "target_end")))
    said = accepted.assign(
        kind=_lookup(accepted["subject"], events["category"]),
        target=statements["target"],
        target_end=statements["target_end"],
    )
    said = said[said["kind"].isin(("plan", "phase")) & (said["target"] != "") & ~said.index.isin(list(failed_targets))]
    said = said[said["when"] == said.groupby("subject")["when"].transform("max")]
    said = said.assign(
        start=_lookup(said["subject"], events["start"]).to_numpy(),
        end=_lookup(said["subject"], events["end"]).to_numpy(),
    )
    said = said.assign(
        same_start=said["target"] == said["start"],
        same_span=(said["target"] == said["start"]) & (said["target_end"] == said["end"]),
    )
    latest = said.groupby("subject", sort=False).agg(
        line=("line", "last"),
        stated=("stated", "last"),
        target=("target", "last"),
        target_end=("target_end", "last"),
        start=("start", "first"),
        end=("end", "first"),
        same_start=("same_start", "any"),
        same_span=("same_span", "any"),
    )
    failed_dates = set().union(*(events_check.failed.get(name, set()) for name in ("start", "end")))
    position = pd.Series(events_check.rows.drop_duplicates("id").index, index=events["id"].to_numpy())
    latest["event_index"] = _lookup(pd.Series(latest.index, index=latest.index), position)
    latest = latest[~latest["event_index"].isin(list(failed_dates))]
    for subject, row in latest[~latest["same_start"]].iterrows():
        events_check.add(
            row["event_index"],
            "start",
            f"{row['start']!r} is not the latest stated target of {subject!r}: statements.csv:{row['line']} "
            f"({row['stated']}) states {row['target']!r}; a plan row carries what was last stated",
        )
    for subject, row in latest[latest["same_start"] & ~latest["same_span"]].iterrows():
        events_check.add(
            row["event_index"],
            "end",
            f"{row['end']!r} is not the latest stated end of {subject!r}: statements.csv:{row['line']} "
            f"({row['stated']}) states {row['target_end']!r}; a plan row carries what was last stated",
        )


def _check_reviews(checks: dict[str, _TableCheck], dates: _SourceDates | None) -> None:
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
    if dates is None:
        return
    starts = dates.starts.dropna()
    valid = named[~named.index.isin(list(check.failed.get("reviewed", ())))]
    ends = _period_end(valid, "reviewed")
    for name, reviewed in valid.assign(end=ends).dropna(subset=["end"]).groupby("table", sort=False):
        table = checks.get(name)
        if table is None or table.frame is None:
            continue
        if name == "sources":
            cited = pd.Series(table.rows["id"].to_numpy())
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
                f"{dates.written[newest]}) cited by {TABLES[name].file}; a table's latest review cannot predate a "
                "source it cites",
            )
