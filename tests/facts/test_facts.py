"""The loader validates, then returns typed DataFrames."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from lunar_report import DataError, load_facts
from lunar_report.facts.schema import TABLES, ColumnKind
from lunar_report.facts.validate import read_valid_tables

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def minimal():
    return load_facts(FIXTURES / "minimal")


def test_every_declared_column_is_loaded_with_its_type(minimal):
    for name, table in TABLES.items():
        frame = getattr(minimal, name)
        for column in table.columns:
            dtype = frame[column.name].dtype
            if column.choices:
                assert list(dtype.categories) == list(column.choices), (name, column.name)
            elif column.kind == ColumnKind.FLOAT:
                assert dtype == "Float64", (name, column.name)
            elif column.kind == ColumnKind.BOOL:
                assert dtype == "boolean", (name, column.name)
            else:
                assert isinstance(dtype, pd.StringDtype), (name, column.name)


def test_values_are_typed_and_empty_cells_are_missing(minimal):
    figures = minimal.figures.set_index("id")
    assert figures.loc["art-ce5-sample-mass", "value"] == 2.0
    assert bool(figures.loc["art-ce5-sample-mass", "approximate"]) is True
    assert pd.isna(figures.loc["apollo-11-sample-mass", "quote"])
    assert minimal.agreement_sections["position"].tolist() == [1.0]


def test_events_keep_their_original_date_strings_and_gain_instants(minimal):
    phase = minimal.event("ilrs-phase-1")
    assert (phase["start"], phase["end"], phase["precision"], phase["end_precision"]) == (
        "2021",
        "2025",
        "year",
        "year",
    )
    assert phase["start_utc"] == pd.Timestamp("2021-01-01", tz="UTC")
    assert phase["end_utc"] == pd.Timestamp("2025-01-01", tz="UTC")
    launch = minimal.event("ce5-launch")
    assert launch["start_utc"] == pd.Timestamp("2020-11-23T20:30:12", tz="UTC")
    assert pd.isna(launch["end_utc"]) and pd.isna(launch["end_precision"])
    assert minimal.data_dir == (FIXTURES / "minimal").resolve()


def test_loading_bad_data_raises_data_error_with_every_problem():
    with pytest.raises(DataError) as caught:
        load_facts(FIXTURES / "broken")
    expected = (FIXTURES / "broken" / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert caught.value.problems == expected


def test_every_table_is_validated_and_loaded():
    assert set(read_valid_tables(FIXTURES / "minimal")) == set(TABLES)
    facts = load_facts(FIXTURES / "minimal")
    for name in TABLES:
        assert isinstance(getattr(facts, name), pd.DataFrame), name


@pytest.mark.slow  # a child process runs bench/ (3–4 s): out of the edit loop, still in make test
def test_synthetic_data_is_valid_and_loads(tmp_path):
    subprocess.run(
        [sys.executable, str(BENCH / "synthetic.py"), str(tmp_path), "--events", "500"], check=True, capture_output=True
    )
    facts = load_facts(tmp_path)
    assert len(facts.events) == 500
    assert set(facts.events["precision"].dropna()) == {"second", "minute", "day", "month", "year"}
    article_rows = facts.events["source"].str.contains("article")
    assert facts.events.loc[article_rows, "quote"].notna().all()
    assert "\u00a0" in (tmp_path / "sources" / "article.txt").read_text(encoding="utf-8")


@pytest.mark.slow  # a child process runs bench/ (3–4 s): out of the edit loop, still in make test
def test_the_benchmark_runs_in_quick_mode():
    result = subprocess.run(
        [sys.executable, str(BENCH / "bench_load.py"), "--sizes", "100", "--runs", "1"],
        capture_output=True,
        text=True,
        check=True,
    )
    header, row = result.stdout.splitlines()[:2]
    assert header.split()[:2] == ["events", "load+validate"]
    assert row.split()[0] == "100"


def test_loading_writes_nothing(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "minimal", folder)
    before = sorted((p, p.stat().st_mtime_ns) for p in tmp_path.rglob("*"))
    load_facts(folder)
    assert sorted((p, p.stat().st_mtime_ns) for p in tmp_path.rglob("*")) == before
