"""The shared factorisation the cross-table checks use (`TableCheck.id_index`, `rows_of`, `holding`, `id_parts`)
answers as the pandas lookups it replaces, and a table read with pandas' own UTF-8 decoder reports a file
that is not UTF-8 as that alone, whatever its header."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lunar_report.errors import DataError
from lunar_report.facts.checked import TableCheck
from lunar_report.facts.schema import TABLES
from lunar_report.facts.validate import validate_data

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "minimal"


def events_check(ids: list[str], sources: list[str]) -> TableCheck:
    frame = pd.DataFrame({name: [""] * len(ids) for name in TABLES["events"].column_names}, dtype=object)
    frame["id"], frame["source"] = ids, sources
    return TableCheck(TABLES["events"], frame=frame)


def test_rows_of_finds_the_first_row_of_each_id_and_minus_one_for_unknown_ids():
    check = events_check(["a", "b", "a", "c", "b"], [""] * 5)
    wanted = ["b", "zz", "a", "c", "", "a"]
    first = check.rows.reset_index().drop_duplicates("id").set_index("id")["index"]
    expected = [int(first[i]) if i in first.index else -1 for i in wanted]
    assert check.rows_of(wanted).tolist() == expected


def test_rows_of_an_empty_table_finds_nothing():
    assert events_check([], []).rows_of(["a", "b"]).tolist() == [-1, -1]


def test_holding_is_isin_over_every_row_duplicates_included():
    check = events_check(["a", "b", "a", "c", "b"], [""] * 5)
    for wanted in (["a"], ["b", "zz"], [], ["c", "a", "a"]):
        assert check.holding(wanted).tolist() == check.rows["id"].isin(wanted).tolist()


def test_id_parts_give_every_entry_of_ids_by_its_code():
    check = events_check(["e1", "e2", "e3", "e4"], ["s1;s2", "s2", "", "s1;s2"])
    codes, parts = check.id_parts("source")
    entries = check.ids("source")
    assert parts[codes].tolist() == entries.tolist() == ["s2", "s1", "s2", "s1", "s2"]
    assert entries.index.tolist() == [1, 0, 0, 3, 3]  # one-id cells first, then each part of the others


def test_a_column_without_lists_is_not_split_but_coded_the_same():
    check = events_check(["e1", "e2", "e3"], ["s1", "", "s1"])
    codes, parts = check.id_parts("source")
    assert parts[codes].tolist() == ["s1", "s1"]
    assert np.array_equal(check.ids("source").index, [0, 2])


@pytest.mark.parametrize("header_broken", [False, True])
def test_a_table_that_is_not_utf8_is_reported_as_that_alone(tmp_path, header_broken):
    data = shutil.copytree(MINIMAL, tmp_path / "data")
    missions = data / "missions.csv"
    lines = missions.read_bytes().split(b"\n")
    if header_broken:
        lines[0] += b",extra"
    lines[-2] += b"\x92"  # (cp1252's right quote, in the last row)
    missions.write_bytes(b"\n".join(lines))
    offset = missions.read_bytes().index(b"\x92")
    with pytest.raises(DataError) as raised:
        validate_data(data)
    mine = [p for p in raised.value.problems if p.startswith("missions.csv")]
    assert mine == [f"missions.csv:-:-: not UTF-8 text (byte 0x92 at offset {offset}); save it as UTF-8"]
