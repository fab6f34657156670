"""The fact base as an open dataset: Table Schemas generated from the declaration, the data package, the SQLite file."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import sqlite3
from pathlib import Path

import pytest
from frictionless import Package, validate

from helpers import read_rows, write_rows
from known import KNOWN
from lunar_report.facts import package
from lunar_report.facts.rules import MAX_LENGTH, rules
from lunar_report.facts.schema import TABLES, ColumnKind

ABOUT = package.About("2026-06-0123456789", "2026-06", "Fixture citation.")


def write_package(folder: Path, tables: dict[str, bytes]) -> Path:
    """The tables, their SQLite file and their package in `folder`; the package's path."""
    folder.mkdir(parents=True, exist_ok=True)
    database = package.sqlite_bytes(tables)
    for name, content in tables.items():
        (folder / name).write_bytes(content)
    (folder / package.DATABASE).write_bytes(database)
    descriptor = package.package_bytes(package.descriptor(tables, ABOUT, database))
    (folder / package.PACKAGE).write_bytes(descriptor)
    return folder / package.PACKAGE


@pytest.mark.parametrize("table", TABLES.values(), ids=TABLES)
def test_each_table_schema_says_what_validation_checks(table):
    """Types, required fields, allowed values, lengths and keys: the same as the rules validation runs."""
    schema = package.table_schema(table)
    fields = {f["name"]: f for f in schema["fields"]}
    assert list(fields) == table.column_names
    checked = {rule.key for rule in rules(table)}
    expected_types = {ColumnKind.FLOAT: "number", ColumnKind.BOOL: "boolean"}
    for column in table.columns:
        field, constraints = fields[column.name], fields[column.name]["constraints"]
        assert field["type"] == expected_types.get(column.kind, "string")
        assert constraints["required"] == (f"{column.name}:required" in checked)
        assert constraints.get("enum", []) == (list(column.choices) if f"{column.name}:choices" in checked else [])
        assert constraints.get("unique", False) == (f"{column.name}:unique" in checked)
        if field["type"] == "string":
            assert constraints["maxLength"] == column.max_length or MAX_LENGTH[column.kind]
        if column.kind in (ColumnKind.ID, ColumnKind.IDS, ColumnKind.DATE):
            assert constraints["pattern"]
    assert schema.get("primaryKey", []) == [c.name for c in table.columns if f"{c.name}:unique" in checked]
    linked = [(k["fields"], k["reference"]["resource"]) for k in schema.get("foreignKeys", [])]
    assert linked == [
        ([c.name], c.references[0]) for c in table.columns if c.kind == ColumnKind.ID and len(c.references) == 1
    ]


def test_the_tables_are_linked_by_their_ids():
    keys = {name: package.table_schema(t).get("foreignKeys", []) for name, t in TABLES.items()}
    assert {"fields": ["mission"], "reference": {"resource": "missions", "fields": ["id"]}} in keys["events"]
    assert {"fields": ["subject"], "reference": {"resource": "events", "fields": ["id"]}} in keys["statements"]
    assert {"fields": ["agreement"], "reference": {"resource": "agreements", "fields": ["id"]}} in keys[
        "agreement_sections"
    ]


def test_the_fixture_package_validates_with_frictionless(tmp_path):
    descriptor = write_package(tmp_path / "package", package.published_tables(KNOWN))
    report = validate(str(descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.stats["errors"] == 0
    assert len(report.tasks) == len(TABLES)


def test_the_package_describes_itself(tmp_path):
    tables = package.published_tables(KNOWN)
    described = Package(str(write_package(tmp_path / "package", tables)))
    assert described.version == ABOUT.version
    assert [license["name"] for license in described.licenses] == ["CC-BY-4.0"]
    assert {c["role"] for c in described.contributors} == {"publisher", "author"}
    assert described.custom["citation"] == "Fixture citation."
    assert [r.name for r in described.resources] == list(TABLES)
    for resource in described.resources:
        content = tables[resource.path]
        assert resource.bytes == len(content)
        assert resource.hash == f"sha256:{hashlib.sha256(content).hexdigest()}"


def test_a_changed_table_fails_the_hash_check(tmp_path):
    descriptor = write_package(tmp_path / "package", package.published_tables(KNOWN))
    events = tmp_path / "package" / "events.csv"
    events.write_bytes(events.read_bytes().replace(b"FIXTURE", b"FIXTURX", 1))
    report = validate(str(descriptor))
    assert not report.valid
    assert "hash-count" in {error.type for task in report.tasks for error in task.errors}


def test_published_tables_keep_every_cell_in_the_declared_order(tmp_path):
    """A table whose columns are in another order is published in the declared order, every cell as written."""
    data = tmp_path / "data"
    shutil.copytree(KNOWN, data)
    rows = read_rows(data / "missions.csv")
    write_rows(data / "missions.csv", [list(reversed(row)) for row in rows])
    published = package.published_tables(data)
    assert published["missions.csv"] == package.published_tables(KNOWN)["missions.csv"]
    header, *body = list(csv.reader(io.StringIO(published["missions.csv"].decode())))
    assert header == TABLES["missions"].column_names
    assert sorted(map(sorted, body)) == sorted(sorted(row) for row in rows[1:])


def test_the_sqlite_file_holds_the_same_rows(tmp_path):
    tables = package.published_tables(KNOWN)
    path = tmp_path / package.DATABASE
    path.write_bytes(package.sqlite_bytes(tables))
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    for table in TABLES.values():
        rows = package.rows(tables[table.file])
        stored = connection.execute(f'SELECT * FROM "{table.name}" ORDER BY rowid').fetchall()
        assert len(stored) == len(rows), table.name
        for row, kept in zip(rows, stored, strict=True):  # every value, typed
            for column in table.columns:
                cell, value = row[column.name], kept[column.name]
                if cell == "":
                    assert value is None
                elif column.kind == ColumnKind.FLOAT:
                    assert value == float(cell)
                elif column.kind == ColumnKind.BOOL:
                    assert value == (cell.lower() == "true")
                else:
                    assert value == cell
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    indexes = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"events_mission", "statements_subject", "events_source_sources"} <= indexes


def test_the_sqlite_link_tables_list_each_rows_sources(tmp_path):
    tables = package.published_tables(KNOWN)
    path = tmp_path / package.DATABASE
    path.write_bytes(package.sqlite_bytes(tables))
    connection = sqlite3.connect(path)
    for table in TABLES.values():
        for link, column in package.link_tables(table):
            expected = sorted(
                (row["id"], source)
                for row in package.rows(tables[table.file])
                if row[column.name]
                for source in row[column.name].split(";")
            )
            stored = connection.execute(f'SELECT "{table.name}", "{column.references[0]}" FROM "{link}"').fetchall()
            assert sorted(stored) == expected, link
    joined = connection.execute(
        "SELECT count(*) FROM events_source JOIN sources ON sources.id = events_source.sources"
    ).fetchone()[0]
    assert joined == connection.execute("SELECT count(*) FROM events_source").fetchone()[0] > 0


def test_two_builds_of_the_same_data_are_byte_identical(tmp_path):
    first = package.published_tables(KNOWN)
    second = package.published_tables(KNOWN)
    assert first == second
    assert package.sqlite_bytes(first) == package.sqlite_bytes(second)
    assert package.package_bytes(package.descriptor(first, ABOUT)) == package.package_bytes(
        package.descriptor(second, ABOUT)
    )
    assert package.data_version(first) == package.data_version(second)


def test_the_version_is_the_date_of_the_data_and_a_digest_of_the_tables():
    tables = package.published_tables(KNOWN)
    newest = max(row[1] for row in read_rows(KNOWN / "reviews.csv")[1:])  # (the fixture's dates are all days or months)
    assert package.data_date(tables) == newest
    assert package.data_version(tables).startswith(f"{newest}-")
    changed = dict(tables, **{"missions.csv": tables["missions.csv"].replace(b"FIXTURE", b"FIXTURX", 1)})
    assert package.data_version(changed) != package.data_version(tables)
