"""`statements.revisions`: which statements make one revision of a target (hand-made histories)."""

from __future__ import annotations

import pandas as pd

from lunar_report.analysis.statements import revisions


def history(*rows: tuple[str, str, str]) -> pd.DataFrame:
    """Statements of one subject as (stated, qualifier, target), in date order."""
    frame = pd.DataFrame(rows, columns=["stated", "qualifier", "target"])
    return frame.assign(target_end=pd.NA, conflict_group=pd.NA)


def grouped(statements: pd.DataFrame) -> list[list[str]]:
    return [list(r.statements["stated"] + " " + r.statements["qualifier"]) for r in revisions(statements)]


def test_a_new_target_starts_a_revision_and_a_repeat_joins_it():
    statements = history(("2021-03-09", "by", "2035"), ("2023-04-25", "by", "2030"), ("2024-04-24", "by", "2030"))
    assert grouped(statements) == [["2021-03-09 by"], ["2023-04-25 by", "2024-04-24 by"]]


def test_a_same_day_rewording_joins_and_the_next_repeat_compares_with_the_run_not_the_rewording():
    """`around 2028` said the same day as `by 2028` joins its run; a later `by 2028` repeats the run's target."""
    statements = history(("2023-04-25", "by", "2028"), ("2023-04-25", "around", "2028"), ("2024-01-10", "by", "2028"))
    assert grouped(statements) == [["2023-04-25 by", "2023-04-25 around", "2024-01-10 by"]]


def test_a_rewording_on_another_day_is_a_revision():
    statements = history(("2023-04-25", "by", "2028"), ("2024-01-10", "around", "2028"))
    assert grouped(statements) == [["2023-04-25 by"], ["2024-01-10 around"]]
