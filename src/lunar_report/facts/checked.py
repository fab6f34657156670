"""One table as the validator reads it, and the problems found in it (`file:row:column: message`)."""

from __future__ import annotations

import csv
import errno
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .schema import Table

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
class TableCheck:
    """One table as read: its bytes, its cells as strings, and the problems found so far."""

    table: Table
    data: bytes = b""
    frame: pd.DataFrame | None = None
    problems: list[Problem] = field(default_factory=list)
    found: list[tuple[object, str, str]] = field(default_factory=list)  # (frame index, column, message)
    failed: dict[str, set] = field(default_factory=dict)  # column → frame indexes that broke its rules
    _ids: dict[str, tuple[pd.Series, np.ndarray, np.ndarray]] = field(default_factory=dict)
    _distinct: dict[str, tuple[np.ndarray, pd.Series]] = field(default_factory=dict)
    _lengths: dict[str, np.ndarray] = field(default_factory=dict)
    _id_index: pd.Index | None = None
    _first_rows: np.ndarray | None = None
    _lines: list[int] | None = None

    @property
    def rows(self) -> pd.DataFrame:
        """The parsed cells; only for tables that parsed (callers check `usable` or `frame is None`)."""
        if self.frame is None:
            raise RuntimeError(f"{self.table.file} did not parse")
        return self.frame

    @property
    def text(self) -> str:
        return self.data.decode("utf-8-sig")

    def add(self, index, column: str, message: str) -> None:
        self.found.append((index, column, message))
        self.failed.setdefault(column, set()).add(index)

    def distinct(self, column: str) -> tuple[np.ndarray, pd.Series]:
        """The column's distinct values, and each row's position among them: a check of one value at a time
        runs once per distinct value (a column of a few choices costs a few checks, whatever its length)."""
        if column not in self._distinct:
            positions, values = pd.factorize(self.rows[column])
            self._distinct[column] = positions, pd.Series(values, dtype=object, copy=False)
        return self._distinct[column]

    def lengths(self, column: str) -> np.ndarray:
        """The length of each of the column's distinct values (shared by the cell-size and length checks)."""
        if column not in self._lengths:
            values = self.distinct(column)[1].tolist()
            self._lengths[column] = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        return self._lengths[column]

    def forget_lookups(self) -> None:
        """Drop the ids split and hashed for the checks across tables: the memory goes back before the next step
        builds its own frames."""
        self._ids, self._id_index, self._first_rows = {}, None, None

    def forget_distinct(self) -> None:
        """Drop each column's distinct values, once the typed frame is built from them."""
        self._distinct, self._lengths = {}, {}

    def ids(self, column: str) -> pd.Series:
        """The ids of an id or `;`-separated ids column, one per entry, indexed by row.

        Cells that broke the column's own rules (a malformed list, say) are left out. Each distinct
        cell is split once.
        """
        return self._split(column)[0]

    def id_parts(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """The entries of :meth:`ids` as codes into an array of the ids written in the column's distinct cells:
        a check of each id against another table looks up each written id once, not once per row."""
        _, codes, parts = self._split(column)
        return codes, parts

    def _split(self, column: str) -> tuple[pd.Series, np.ndarray, np.ndarray]:
        if column not in self._ids:
            positions, values = self.distinct(column)
            rows = self.rows.index.to_numpy()
            if column in self.failed:
                kept = ~self.rows.index.isin(list(self.failed[column]))
                rows, positions = rows[kept], positions[kept]
            self._ids[column] = split_ids(rows, positions, values.to_numpy())
        return self._ids[column]

    def id_index(self) -> pd.Index:
        """The table's distinct ids: the id column is hashed once, shared by its own rules and by every lookup
        from another table."""
        if self._id_index is None:
            self._id_index = pd.Index(self.distinct("id")[1], dtype=object)
        return self._id_index

    def rows_of(self, ids) -> np.ndarray:
        """For each of `ids`, the position of the first row with that id (-1 where none), as a lookup in
        `rows.drop_duplicates("id").set_index("id")` would find it."""
        if self._first_rows is None:
            seen = np.maximum.accumulate(self.distinct("id")[0])  # (factorized: codes in order of first appearance)
            self._first_rows = np.append(np.flatnonzero(np.diff(seen, prepend=-1) > 0), -1)  # (code -1: none)
        return self._first_rows[self.id_index().get_indexer(ids)]

    def holding(self, ids) -> np.ndarray:
        """True for each row whose id is one of `ids` (as `rows["id"].isin(ids)`, through :meth:`id_index`)."""
        codes = self.id_index().get_indexer(pd.unique(np.asarray(ids, dtype=object)))
        wanted = np.zeros(len(self.id_index()), dtype=bool)
        wanted[codes[codes >= 0]] = True
        return wanted[self.distinct("id")[0]]

    def line(self, index) -> int:
        """The line of the file that frame row `index` starts on (header = line 1); the file is parsed for its
        lines once, when a message first needs one."""
        if self._lines is None:
            self._lines = record_lines(self.text)
        return self._lines[int(index)]

    def all_problems(self) -> list[Problem]:
        """The problems, ordered by line and column; frame rows become CSV line numbers."""
        located = list(self.problems)
        located += [
            Problem(self.table.file, self.line(index), column, message) for index, column, message in self.found
        ]
        order = {name: i for i, name in enumerate(self.table.column_names)}
        return sorted(located, key=lambda p: (p.row or 0, order.get(p.column or "", -1), p.message))


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


def records(text: str):
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
    return [line for line, _ in records(text)][1:]


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file; OSError for a FIFO or a device (reading one could block forever or never end)."""
    if path.exists() and not path.is_file():
        raise OSError(errno.EINVAL, "not a regular file (a FIFO, device or folder); put the file itself here")
    return path.read_bytes()


def usable(checks: dict[str, TableCheck], name: str) -> bool:
    return checks[name].frame is not None


def split_ids(rows: np.ndarray, positions: np.ndarray, texts: np.ndarray) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """The ids of the rows `rows`, whose cells are `texts[positions]`: first the cells holding one id, in row
    order, then each `;`-separated part of the others, in row order (empty cells give none). Also each entry's
    code into the parts of the distinct cells, and those parts."""
    if ";" in "".join(texts.tolist()):
        parts = [text.split(";") for text in texts]
        counts = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
        flat = np.empty(int(counts.sum()), dtype=object)
        flat[:] = [part for text_parts in parts for part in text_parts]
    else:  # (the usual id column: no cell to split)
        counts, flat = np.ones(len(texts), dtype=np.int64), texts
    text_starts = np.cumsum(counts) - counts
    per_row = np.where(texts != "", counts, 0)[positions]  # (the entries of each row)
    single, listed = per_row == 1, per_row > 1
    listed_counts = per_row[listed]
    starts = np.repeat(text_starts[positions[listed]], listed_counts)
    offsets = np.arange(len(starts)) - np.repeat(np.cumsum(listed_counts) - listed_counts, listed_counts)
    codes = np.concatenate([text_starts[positions[single]], starts + offsets])
    owners = np.concatenate([rows[single], rows[listed].repeat(listed_counts)])
    return pd.Series(flat[codes], index=owners, dtype=object, copy=False), codes, flat
