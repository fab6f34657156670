"""Validate the fact base: every problem reported as `file:row:column: message`.

This module reads the files and checks their shape (header, fields, encoding, cell sizes),
runs each table's rules (generated from the declaration in :mod:`.schema` by :mod:`.rules`),
then the checks across tables: :mod:`.references` (ids, source texts, quotes) and
:mod:`.history` (the dates of evidence, statement histories, the review log). A digest of
the bytes that passed lets a report's kernel skip checking them again. Validation only
reads; it never writes.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from ..errors import DataError
from .checked import MAX_CELL, Problem, TableCheck, read_regular, records, usable
from .history import check_evidence_dates, check_reviews, check_statements, source_dates
from .references import check_quotes, check_references
from .rules import prepare, rules
from .schema import TABLES, ColumnKind, Table
from .trust import trusted_digests


@dataclass(frozen=True)
class ValidationReport:
    """Counts per table of a fact base that passed validation."""

    counts: dict[str, int]

    def summary(self) -> str:
        parts = ", ".join(f"{n} {name}" for name, n in self.counts.items())
        return f"data OK: {parts}"


def read_valid_tables(data_dir: str | os.PathLike | None = None) -> dict[str, pd.DataFrame]:
    """Every table of the data folder as strings ("" when empty), or DataError listing every problem.

    Each date column `d` comes with `d.form` (the precision it is written at) and
    `d.local` (its first instant, naive local time), see :func:`.schema.prepare`.
    In a report's kernel, bytes the host has validated already (paths.TRUST_ENV) are not checked again.
    """
    return {name: check.rows for name, check in read_valid_checks(data_dir).items()}


def read_valid_checks(data_dir: str | os.PathLike | None = None) -> dict[str, TableCheck]:
    """The tables as :func:`read_valid_tables` reads them, each with what the checks learnt of its cells (each
    column's distinct values): the loader types the columns from them instead of hashing every cell again."""
    checks, _ = _read_valid(paths.data_dir(data_dir), trusted_digests())
    return checks


def validated_digest(data_dir: str | os.PathLike | None = None) -> str:
    """Check the data folder (DataError listing every problem); the digest of the bytes that passed."""
    _, digest = _read_valid(paths.data_dir(data_dir), frozenset(), digest=True)
    return digest


def _read_valid(folder: Path, trusted: frozenset[str], digest: bool = False) -> tuple[dict[str, TableCheck], str]:
    if not folder.is_dir():
        raise DataError(
            [str(Problem("-", None, None, f"no data folder at {folder}; give an existing folder (--data DIR)"))]
        )
    checks = {name: _read(folder, table) for name, table in TABLES.items()}
    found = _digest(folder, checks) if digest or trusted else ""
    if found not in trusted:
        _check(folder, checks)
    return checks, found


def _check(folder: Path, checks: dict[str, TableCheck]) -> None:
    """Run every rule, within and across tables; DataError listing every problem."""
    for check in checks.values():
        if check.frame is not None:
            _check_rules(check)
    check_references(checks)
    check_quotes(folder, checks)
    dates = source_dates(checks["sources"]) if usable(checks, "sources") else None
    check_evidence_dates(checks, dates)
    check_statements(checks)
    check_reviews(checks, dates)
    problems = [str(p) for check in checks.values() for p in check.all_problems()]
    if problems:
        raise DataError(problems)


def _digest(folder: Path, checks: dict[str, TableCheck]) -> str:
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
    checks, _ = _read_valid(paths.data_dir(data_dir), frozenset())
    return ValidationReport({name: len(check.rows) for name, check in checks.items()})


def _read(folder: Path, table: Table) -> TableCheck:
    check = TableCheck(table)
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


def _header_hint(table: Table) -> str:
    return f"the first line must be the header: {','.join(table.column_names)}"


def _not_utf8(data: bytes) -> str:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return f"not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}); save it as UTF-8"
    return "not UTF-8 text; save it as UTF-8"


def _parse(check: TableCheck) -> None:
    """Check the header, then read the cells as strings ("" when empty) and prepare them."""
    header = _header(check)
    if header != check.table.column_names:
        check.data.decode("utf-8-sig")  # a file that is not UTF-8 is reported as that (UnicodeDecodeError) alone
    if not header:
        _fail(check, f"file is empty; {_header_hint(check.table)}")
        return
    if _check_header(check, header):
        return
    try:  # (pandas' own UTF-8 decoder, strict: "utf-8-sig" would decode the whole file in Python first; a BOM is
        # skipped all the same)
        frame = pd.read_csv(
            io.BytesIO(check.data), encoding="utf-8", dtype=object, keep_default_na=False, na_filter=False
        )
    except pd.errors.ParserError:
        _report_ragged_rows(check, len(header))
        return
    check.frame = frame
    if not isinstance(frame.index, pd.RangeIndex) or _has_short_rows(check):
        check.frame = None
        _report_ragged_rows(check, len(header))  # (every row one field too long: pandas made column 1 the index)
        return
    check.frame = prepare(check.table, frame, check.distinct)
    if _report_oversized_cells(check):
        check.frame = None


def _header(check: TableCheck) -> list[str]:
    """The fields of the first record (empty when there is none).

    Fast path: a plain first line (no quotes, no other line break, not blank) is split at its commas, as the
    csv module would, and only that line is decoded; anything else goes through the csv module.
    """
    end = check.data.find(b"\n")
    first = (check.data if end < 0 else check.data[:end]).decode("utf-8-sig").removesuffix("\r")
    if first.strip(" \t") and not any(mark in first for mark in ('"', "\r", "\0")):
        return first.split(",")
    lines = records(check.text)
    header: list[str] = next(lines, (1, []))[1]
    lines.close()
    return header


def _report_oversized_cells(check: TableCheck) -> bool:
    """Report every cell longer than MAX_CELL characters; True if there were any."""
    if len(check.data) <= MAX_CELL:
        return False
    for column in check.table.column_names:
        lengths = check.lengths(column)
        if lengths.max(initial=0) <= MAX_CELL:
            continue
        for index in check.rows.index[lengths[check.distinct(column)[0]] > MAX_CELL]:
            check.add(
                index,
                column,
                f"{len(check.rows.at[index, column])} characters; a cell holds at most {MAX_CELL} (128 KiB), "
                "shorten it or move the text to a source file",
            )
    return bool(check.found)


def _fail(check: TableCheck, message: str) -> TableCheck:
    check.problems.append(Problem(check.table.file, None, None, message))
    return check


def _check_header(check: TableCheck, header: list[str]) -> bool:
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


def _has_short_rows(check: TableCheck) -> bool:
    """True if some record has fewer fields than the header (pandas pads those silently).

    Every record with all its fields has width - 1 separating commas; any others are inside (quoted) cells.
    """
    frame = check.rows
    quoted = b'"' in check.data
    inside_cells = sum(_commas(*check.distinct(name)) for name in frame.columns) if quoted else 0
    return check.data.count(b",") < (len(frame) + 1) * (len(frame.columns) - 1) + inside_cells


def _commas(positions: np.ndarray, values: pd.Series) -> int:
    """The commas in a column's cells (`values[positions]`), counted once per distinct value."""
    texts = values.tolist()
    if "," not in "".join(texts):
        return 0
    per_value = np.fromiter((text.count(",") for text in texts), dtype=np.int64, count=len(texts))
    return int(np.bincount(positions, minlength=len(texts)) @ per_value)


def _report_ragged_rows(check: TableCheck, width: int) -> None:
    for line, record in records(check.text):
        if len(record) != width:
            hint = "quote values that contain commas" if len(record) > width else "add the missing (maybe empty) fields"
            check.problems.append(
                Problem(check.table.file, line, None, f"{len(record)} fields but the header has {width}; {hint}")
            )


def _check_rules(check: TableCheck) -> None:
    """Run the table's rules (generated from the declaration) as vectorised masks and keep their failures."""
    rows = check.rows
    for rule in rules(check.table):
        if rule.whole_row:
            passes = np.asarray(rule.passes(rows), dtype=bool)
        elif rule.by_position:
            passes = np.asarray(rule.passes(*check.distinct(rule.column)), dtype=bool)
        elif rule.by_length:
            passes = np.asarray(rule.passes(check.lengths(rule.column)), dtype=bool)[check.distinct(rule.column)[0]]
        else:
            positions, values = check.distinct(rule.column)
            passes = np.asarray(rule.passes(values), dtype=bool)[positions]
        for index in rows.index[~passes]:
            check.add(index, rule.column, rule.message(rows.loc[index].to_dict()))
