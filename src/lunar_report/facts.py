"""Load the fact base into typed pandas DataFrames."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import paths
from .dates import parse_partial
from .schema import TABLES, Table


@dataclass(frozen=True)
class Facts:
    """The fact base: one typed DataFrame per table, plus where it was read from."""

    data_dir: Path
    sources: pd.DataFrame
    events: pd.DataFrame
    missions: pd.DataFrame
    figures: pd.DataFrame
    agreements: pd.DataFrame
    agreement_sections: pd.DataFrame
    claims: pd.DataFrame


_FILES_READ: set[str] = set()


def files_read() -> list[str]:
    """Every data file this process has read, as absolute paths (renders re-run when one changes)."""
    return sorted(_FILES_READ)


def read_table(data_dir: Path, table: Table) -> pd.DataFrame:
    """The table's CSV as strings, empty cells as <NA>."""
    _FILES_READ.add(str((data_dir / table.file).resolve()))
    frame = pd.read_csv(data_dir / table.file, dtype=str, keep_default_na=False, encoding="utf-8")
    return frame.replace("", pd.NA)


def _typed(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    frame = frame.copy()
    for column in table.columns:
        values = frame[column.name]
        if column.kind == "float":
            frame[column.name] = pd.to_numeric(values).astype("Float64")
        elif column.kind == "bool":
            frame[column.name] = values.str.lower().map({"true": True, "false": False}).astype("boolean")
        elif column.choices:
            frame[column.name] = pd.Categorical(values, categories=list(column.choices))
        else:
            frame[column.name] = values.astype("string")
    return frame


def _with_instants(events: pd.DataFrame) -> pd.DataFrame:
    """Add `start_utc` and `end_utc`: the first instant of each (partial) date, in UTC."""
    def instant(column: str) -> pd.Series:
        return pd.Series(
            [
                parse_partial(text, zone) if not pd.isna(text) else pd.NaT
                for text, zone in zip(events[column], events["timezone"].fillna("UTC"))
            ],
            index=events.index,
            dtype="datetime64[ns, UTC]",
        )

    return events.assign(start_utc=instant("start"), end_utc=instant("end"))


def load_facts(data_dir: str | os.PathLike | None = None) -> Facts:
    """Read every table of the fact base in `data_dir` (default: the project's `data/`)."""
    folder = paths.data_dir(data_dir)
    frames = {name: _typed(read_table(folder, table), table) for name, table in TABLES.items()}
    frames["events"] = _with_instants(frames["events"])
    return Facts(data_dir=folder, **frames)
