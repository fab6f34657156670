"""The `known` fixture fact base (tests/fixtures/known): invented data whose answers its README works out by hand.

Analysis and prose tests run on it, so a correct update of `data/` never breaks them and a wrong
computation fails them. Tests that mutate it work on a copy (`copy_known`).
"""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

import pandas as pd

from helpers import read_rows, write_rows
from lunar_report import load_facts
from lunar_report.facts.load import Facts

KNOWN = Path(__file__).resolve().parent / "fixtures" / "known"
AS_OF = pd.Timestamp("2026-11-25", tz="UTC")
"""The fixed date the README's answers are counted to."""
MISSION = "fx-lander-1"
"""The mission with every answer: duration, gap, mass beside the article's figures."""


@cache
def known_facts() -> Facts:
    """The fixture fact base, loaded once per process (tests must not change it: copy it instead)."""
    return load_facts(KNOWN)


def copy_known(folder: Path) -> Path:
    """A private copy of the fixture, to change a row and see an answer move."""
    shutil.copytree(KNOWN, folder)
    return folder


def with_planned_launch(folder: Path, start: str, precision: str) -> Path:
    """A copy of the fixture with a planned launch of Fixture Lander 2 (outcome `planned`) on `start`."""
    data = copy_known(folder)
    rows = read_rows(data / "events.csv")
    row = dict.fromkeys(rows[0], "")
    row |= {
        "id": "fx-lander-2-launch",
        "start": start,
        "precision": precision,
        "title": "Fixture Lander 2 planned launch",
        "category": "mission",
        "milestone": "launch",
        "actors": "Agency-East",
        "mission": "fx-lander-2",
        "source": "fx-observer",
        "inferred": "false",
    }
    write_rows(data / "events.csv", [*rows, [row[c] for c in rows[0]]])
    return data
