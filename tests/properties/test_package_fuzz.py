"""Fuzzing the published data: whatever valid text a cell holds, the data package and the SQLite file keep it."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from frictionless import validate
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from helpers import MINIMAL, read_rows, write_rows
from lunar_report.errors import DataError
from lunar_report.facts import package
from lunar_report.facts.validate import validate_data

pytestmark = pytest.mark.fuzz

FUZZ = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
TEXT = st.text(st.one_of(st.sampled_from(",\";\n\r\t '\\"), st.characters(exclude_categories=("Cs",))), max_size=40)


@FUZZ
@given(note=TEXT)
def test_any_valid_note_survives_the_package_and_the_sqlite_file(note):
    with tempfile.TemporaryDirectory() as folder:
        data = Path(shutil.copytree(MINIMAL, Path(folder) / "data"))
        rows = read_rows(data / "events.csv")
        rows[1][rows[0].index("note")] = note
        write_rows(data / "events.csv", rows)
        try:
            validate_data(data)
        except DataError:
            assume(False)  # (text the fact base refuses is validation's business: tests/properties/test_fuzz.py)
        tables = package.published_tables(data)
        assert package.rows(tables["events.csv"])[0]["note"] == note
        out = Path(folder) / "package"
        out.mkdir()
        database = package.sqlite_bytes(tables)
        for name, content in tables.items():
            (out / name).write_bytes(content)
        (out / package.DATABASE).write_bytes(database)
        about = package.About("2026-06-0123456789", "2026-06", "Fuzz.")
        (out / package.PACKAGE).write_bytes(package.package_bytes(package.descriptor(tables, about, database)))
        report = validate(str(out / package.PACKAGE))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
        with sqlite3.connect(out / package.DATABASE) as connection:
            stored = connection.execute("SELECT note FROM events ORDER BY rowid LIMIT 1").fetchone()[0]
        assert stored == (note or None)
