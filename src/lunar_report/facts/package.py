"""The fact base as an open dataset: a Frictionless data package and a SQLite database of the same tables.

Every Table Schema is generated from the declaration in :mod:`.schema` (types, required fields,
allowed values, lengths, keys), so the published package cannot drift from what validation
checks. The CSV files are published as validation read them, written again in a fixed form
(the declared column order, UTF-8 without BOM, `\\n` line ends, minimal quoting): the same
data gives the same bytes. The SQLite file is byte-reproducible too: fixed insertion order, no
timestamps, vacuumed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .dates import DATE_PATTERN
from .rules import IDS_PATTERN, MAX_LENGTH
from .schema import BOOLEANS, ID_PATTERN, TABLES, TRUE_WORDS, Column, ColumnKind, Table
from .validate import read_valid_tables

PACKAGE = "datapackage.json"
DATABASE = "lunar-report.sqlite"
NAME = "lunar-report"
TITLE = "China–Russia lunar cooperation and Chang’e-5: the lunar-report fact base"
PUBLISHER = "lunar-report"
LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
"""The dataset's license: the facts, dates and figures with short quotations of their sources (quoted as fair use
and credited, row by row, in the `source` columns); the quoted words stay their authors'."""

_TYPES = {ColumnKind.FLOAT: "number", ColumnKind.BOOL: "boolean"}  # every other kind is text
_PATTERNS = {ColumnKind.ID: ID_PATTERN, ColumnKind.IDS: IDS_PATTERN, ColumnKind.DATE: DATE_PATTERN}
_SQL_TYPES = {ColumnKind.FLOAT: "REAL", ColumnKind.BOOL: "INTEGER"}


@dataclass(frozen=True)
class About:
    """What the package says of itself beside its tables: its version (the data edition), date and citation."""

    version: str
    date: str  # the date of the data: its newest review (partial ISO 8601)
    citation: str
    homepage: str = ""


def _unanchored(pattern: str) -> str:
    """A pattern as Table Schema writes it (matched against the whole value: no ^ and $)."""
    return pattern.removeprefix("^").removesuffix("$")


def field_type(column: Column) -> str:
    """The Table Schema type of a column."""
    return _TYPES.get(column.kind, "string")


def single_reference(column: Column) -> str:
    """The one table a column of ids points to ("" when it points to none, or to several)."""
    return column.references[0] if len(column.references) == 1 else ""


def _field(column: Column) -> dict[str, Any]:
    kind = field_type(column)
    described = column.help or column.name
    if column.kind == ColumnKind.IDS and column.references:
        described += f" (`;`-separated ids of: {', '.join(column.references)})"
    field: dict[str, Any] = {"name": column.name, "type": kind, "description": described}
    constraints: dict[str, Any] = {"required": column.required}
    if column.kind == ColumnKind.BOOL:
        field["trueValues"] = list(TRUE_WORDS)
        field["falseValues"] = [word for word in BOOLEANS if word not in TRUE_WORDS]
    if column.choices:
        constraints["enum"] = list(column.choices)
    if column.kind in _PATTERNS:
        constraints["pattern"] = _unanchored(_PATTERNS[column.kind])
    if kind == "string":
        constraints["maxLength"] = column.max_length or MAX_LENGTH[column.kind]
    if column.unique:
        constraints["unique"] = True
    field["constraints"] = constraints
    return field


def table_schema(table: Table) -> dict[str, Any]:
    """The Table Schema of one table, generated from its declaration."""
    schema: dict[str, Any] = {"fields": [_field(c) for c in table.columns], "missingValues": [""]}
    keys = [c.name for c in table.columns if c.unique]
    if keys:
        schema["primaryKey"] = keys
    links = [
        {"fields": [c.name], "reference": {"resource": single_reference(c), "fields": ["id"]}}
        for c in table.columns
        if c.kind == ColumnKind.ID and single_reference(c)
    ]
    if links:
        schema["foreignKeys"] = links
    return schema


def csv_bytes(table: Table, frame: pd.DataFrame) -> bytes:
    """A table as published: the declared columns in order, every cell as written, in a fixed CSV form."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(table.column_names)
    writer.writerows(frame[table.column_names].itertuples(index=False, name=None))
    return text.getvalue().encode("utf-8")


def published_tables(data_dir: str | os.PathLike[str] | None = None) -> dict[str, bytes]:
    """Every table of a valid data folder as published (DataError when it is not valid), by file name."""
    frames = read_valid_tables(data_dir)
    return {TABLES[name].file: csv_bytes(TABLES[name], frame) for name, frame in frames.items()}


def rows(content: bytes) -> list[dict[str, str]]:
    """The rows of a published CSV file, as strings."""
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"), newline="")))


def data_date(tables: dict[str, bytes]) -> str:
    """The date of the data: its newest review (reviews.csv), as written; "" when none is recorded."""
    reviewed = [row["reviewed"] for row in rows(tables[TABLES["reviews"].file])]
    return max(reviewed, default="")  # (partial ISO dates sort as strings: 2026-12 after 2026-11-30)


def data_version(tables: dict[str, bytes]) -> str:
    """The data edition: the date of the data and a digest of the tables (the same tables, the same version)."""
    digest = hashlib.sha256()
    for file, content in sorted(tables.items()):
        digest.update(file.encode() + b"\0" + content + b"\0")
    return f"{data_date(tables) or 'undated'}-{digest.hexdigest()[:10]}"


def _resource(table: Table, content: bytes) -> dict[str, Any]:
    return {
        "name": table.name,
        "path": table.file,
        "profile": "tabular-data-resource",
        "description": table.help,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "hash": f"sha256:{hashlib.sha256(content).hexdigest()}",
        "bytes": len(content),
        "schema": table_schema(table),
    }


def descriptor(tables: dict[str, bytes], about: About, database: bytes | None = None) -> dict[str, Any]:
    """The data package descriptor (datapackage.json) of the published tables; with the SQLite file's size and hash
    when given."""
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": TITLE,
        "description": (
            "The fact base behind the lunar-report reports: sources, dated events, missions, figures, agreements, "
            "the article's checked claims, statement histories and the review log. Every row cites its sources."
        ),
        "version": about.version,
        "licenses": [LICENSE],
        "contributors": [{"title": PUBLISHER, "role": "publisher"}, {"title": PUBLISHER, "role": "author"}],
        "keywords": ["ILRS", "Chang'e-5", "lunar exploration", "fact-checking", "China", "Russia"],
        "citation": about.citation,
    }
    if len(about.date) == 10:
        package["created"] = f"{about.date}T00:00:00Z"
    if about.homepage:
        package["homepage"] = about.homepage
    if database is not None:
        package["sqlite"] = {
            "path": DATABASE,
            "hash": f"sha256:{hashlib.sha256(database).hexdigest()}",
            "bytes": len(database),
        }
    package["resources"] = [_resource(t, tables[t.file]) for t in TABLES.values() if t.file in tables]
    return package


def package_bytes(package: dict[str, Any]) -> bytes:
    """The descriptor as written: the same package, the same bytes."""
    return (json.dumps(package, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


# --- SQLite ---------------------------------------------------------------------------------


def link_tables(table: Table) -> list[tuple[str, Column]]:
    """The link tables of one table in the database: one per list-of-ids column naming a single table, for a
    table with ids (`events_source`: each event's sources, one row each)."""
    if not any(c.name == "id" and c.unique for c in table.columns):
        return []
    return [(f"{table.name}_{c.name}", c) for c in table.columns if c.kind == ColumnKind.IDS and single_reference(c)]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _create(table: Table) -> tuple[list[str], list[str]]:
    """The statements creating the table and its link tables, and those creating their indexes (run once the rows
    are in: faster than keeping the indexes up to date row by row)."""
    parts = []
    for column in table.columns:
        kind = _SQL_TYPES.get(column.kind, "TEXT")
        part = f"{_quoted(column.name)} {kind}"
        if column.unique:
            part += " PRIMARY KEY"
        elif column.required:
            part += " NOT NULL"
        allowed = [repr(c) for c in column.choices] or (["0", "1"] if column.kind == ColumnKind.BOOL else [])
        if allowed:  # (`=` … OR …: SQLite builds a table for each row an IN (…) list of three or more is checked on)
            part += f" CHECK ({' OR '.join(f'{_quoted(column.name)} = {value}' for value in allowed)})"
        parts.append(part)
    for column in table.columns:
        if column.kind == ColumnKind.ID and single_reference(column):
            parts.append(f"FOREIGN KEY ({_quoted(column.name)}) REFERENCES {_quoted(single_reference(column))}(id)")
    tables = [f"CREATE TABLE {_quoted(table.name)} (\n  " + ",\n  ".join(parts) + "\n)"]
    indexes = [
        f"CREATE INDEX {_quoted(f'{table.name}_{column.name}')} ON {_quoted(table.name)}({_quoted(column.name)})"
        for column in table.columns
        if column.kind == ColumnKind.ID and single_reference(column)
    ]
    for link, column in link_tables(table):
        target = single_reference(column)
        tables.append(
            f"CREATE TABLE {_quoted(link)} (\n  {_quoted(table.name)} TEXT NOT NULL REFERENCES {_quoted(table.name)}(id),\n"
            f"  position INTEGER NOT NULL,\n  {_quoted(target)} TEXT NOT NULL REFERENCES {_quoted(target)}(id),\n"
            f"  PRIMARY KEY ({_quoted(table.name)}, position)\n)"
        )
        indexes.append(f"CREATE INDEX {_quoted(f'{link}_{target}')} ON {_quoted(link)}({_quoted(target)})")
    return tables, indexes


def _value(column: Column, cell: str) -> str | float | int | None:
    if cell == "":
        return None
    if column.kind == ColumnKind.FLOAT:
        return float(cell)
    if column.kind == ColumnKind.BOOL:
        return int(BOOLEANS[cell])
    return cell


def sqlite_bytes(tables: dict[str, bytes]) -> bytes:
    """A SQLite database of the published tables (with their link tables, foreign keys and indexes), as bytes:
    the same tables give the same bytes."""
    with closing(sqlite3.connect(":memory:")) as connection:
        declared = [t for t in TABLES.values() if t.file in tables]
        created = [_create(table) for table in declared]
        for statement in [s for made, _ in created for s in made]:
            connection.execute(statement)
        for table in declared:
            read = rows(tables[table.file])
            marks = ", ".join("?" for _ in table.columns)
            connection.executemany(
                f"INSERT INTO {_quoted(table.name)} VALUES ({marks})",
                [[_value(c, row[c.name]) for c in table.columns] for row in read],
            )
            for link, column in link_tables(table):
                connection.executemany(
                    f"INSERT INTO {_quoted(link)} VALUES (?, ?, ?)",
                    [
                        (row["id"], position, target)
                        for row in read
                        for position, target in enumerate(row[column.name].split(";"), 1)
                        if row[column.name]
                    ],
                )
        for statement in [s for _, indexes in created for s in indexes]:
            connection.execute(statement)
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()  # (foreign keys are not enforced on
        # insert: the rows go in table by table, and are checked once all are in)
        if broken:
            raise ValueError(f"the tables do not hold together: {broken[:3]}")
        connection.commit()
        connection.execute("VACUUM")
        return connection.serialize()
