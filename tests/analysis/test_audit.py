"""`lunar-report audit` and its query (analysis/audit.py): the rows a reviewer should look at next."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date

import pandas as pd
import pytest

from helpers import MINIMAL, copy_minimal, run_cli, set_cell
from known import copy_known
from lunar_report.analysis.audit import Concern, audit
from lunar_report.facts.load import load_facts

pytestmark = pytest.mark.usefixtures("load_once")


def rows(stdout: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(stdout)))


def test_audit_lists_a_single_source_row_of_the_fixture(capsys):
    result = run_cli(capsys, "audit", "--data", str(MINIMAL), "--as-of", "2026-12-02", "--format", "csv")
    assert result.code == 0, result.stderr
    listed = rows(result.stdout)
    assert {
        "table": "events",
        "id": "apollo11-lunar-landing",
        "concern": "one source",
        "detail": "only nssdca-apollo (NASA NSSDCA, grade A)",
    } in listed
    assert all(row["id"] != "art-ce5-sample-mass" for row in listed), "the article's own rows are not evidence"


def test_audit_table_says_how_many_and_why(capsys):
    result = run_cli(capsys, "audit", "--data", str(MINIMAL), "--as-of", "2026-12-02")
    assert result.code == 0, result.stderr
    first, header, *lines = result.stdout.splitlines()
    assert first == "10 rows to look at next (as of 2026-12-02): 2 no source, 7 one source, 1 inferred date"
    assert header.split() == ["table", "id", "concern", "detail"]
    assert any(line.split()[:2] == ["events", "apollo11-lunar-landing"] for line in lines)


def test_circular_grade_c_and_stale_reviews(tmp_path, capsys):
    data = copy_minimal(tmp_path / "data")
    set_cell(data, "sources.csv", 3, "publisher", "Kazinform (carrying TASS)")  # nssdca-apollo now carries TASS
    set_cell(data, "sources.csv", 3, "grade", "C")
    result = run_cli(capsys, "audit", "--data", str(data), "--as-of", "2027-05-02", "--format", "csv")
    assert result.code == 0, result.stderr
    listed = rows(result.stdout)
    landing = {row["concern"] for row in listed if row["id"] == "apollo11-lunar-landing"}
    assert landing == {"circular", "grade C only"}, "one TASS-carried source: circular, not merely one source"
    stale = [row for row in listed if row["concern"] == "review over a year old"]
    assert {row["table"] for row in stale} == {
        "sources",
        "events",
        "missions",
        "figures",
        "agreements",
        "agreement_sections",
        "claims",
        "statements",
    }
    assert stale[0]["detail"].endswith("more than a year before 2027-05-02")
    assert not [
        row
        for row in rows(
            run_cli(capsys, "audit", "--data", str(data), "--as-of", "2027-04-30", "--format", "csv").stdout
        )
        if row["concern"] == "review over a year old"
    ]


def test_the_query_is_typed_and_ordered():
    found = audit(load_facts(MINIMAL), date(2026, 12, 2))
    assert list(found.columns) == ["table", "id", "concern", "detail"]
    assert isinstance(found["concern"].dtype, pd.CategoricalDtype) and found["concern"].cat.ordered
    assert list(found["concern"].cat.categories) == [c.value for c in Concern]
    assert found["concern"].is_monotonic_increasing
    assert str(found["detail"].dtype) == "string"


def test_a_moment_counts_as_its_utc_day():
    """The analyses take `as_of` as a UTC Timestamp; the audit takes it too, as its UTC day."""
    facts = load_facts(MINIMAL)
    day = audit(facts, date(2027, 5, 2))
    assert day["concern"].eq("review over a year old").any()
    pd.testing.assert_frame_equal(audit(facts, pd.Timestamp("2027-05-02", tz="UTC")), day)
    pd.testing.assert_frame_equal(
        audit(facts, pd.Timestamp("2027-05-02 01:00", tz="Asia/Shanghai")), audit(facts, date(2027, 5, 1))
    )


@pytest.mark.parametrize("as_of", ["2026-13-01", "tomorrow"])
def test_a_bad_as_of_is_a_usage_error(capsys, as_of):
    result = run_cli(capsys, "audit", "--data", str(MINIMAL), "--as-of", as_of)
    assert result.code == 2 and "Traceback" not in result.stderr


def test_no_weak_spot_is_said_in_one_sentence():
    from lunar_report.analysis.prose.claims import weak_spot_sentences

    empty = pd.DataFrame(columns=["table", "id", "concern", "detail"])
    assert [s.formatted() for s in weak_spot_sentences(empty)] == [
        "The audit finds no thin evidence behind the claims: every check rests on more than one source."
    ]


def test_a_target_changed_overnight_is_listed_unless_one_conflict_group(tmp_path, capsys):
    data = copy_known(tmp_path / "data")
    set_cell(data, "statements.csv", 9, "stated", "2024-04-25")  # stmt-fx-base-2025: the day after 2032 was set
    set_cell(data, "statements.csv", 9, "target", "2033")
    result = run_cli(capsys, "audit", "--data", str(data), "--as-of", "2026-11-25", "--format", "csv")
    assert result.code == 0, result.stderr
    assert {
        "table": "statements",
        "id": "stmt-fx-base-2025",
        "concern": "revision overnight",
        "detail": "states 2033 on 2024-04-25, the day after stmt-fx-base-2024 stated 2032: if both report one "
        "statement, give them one conflict_group",
    } in rows(result.stdout)
    grouped = shutil.copytree(data, tmp_path / "grouped")  # (this module loads each folder once)
    set_cell(grouped, "statements.csv", 8, "conflict_group", "fx-base-2024-04")
    set_cell(grouped, "statements.csv", 9, "conflict_group", "fx-base-2024-04")
    result = run_cli(capsys, "audit", "--data", str(grouped), "--as-of", "2026-11-25", "--format", "csv")
    assert all(row["concern"] != "revision overnight" for row in rows(result.stdout))
