"""Load the fact base into typed pandas DataFrames (validated first: see :mod:`.validate`)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import paths
from .dates import PRECISIONS, parse_local, precision_of, to_utc
from .schema import TABLES, Table
from .validate import read_valid_tables


_FILES_USED: set[str] = set()


def files_read() -> list[str]:
    """The data files whose tables this process has used (a report re-renders when one changes)."""
    return sorted(_FILES_USED)


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

    def __getattribute__(self, name: str):
        if name in TABLES:
            folder = object.__getattribute__(self, "data_dir")
            _FILES_USED.add(str(folder / TABLES[name].file))
        return object.__getattribute__(self, name)

    def event(self, event_id: str) -> pd.Series:
        """One event's row by id (KeyError if there is none)."""
        return self.events.set_index("id", drop=False).loc[event_id]


def typed(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """A table read as strings, with typed columns: categoricals for choices, Float64, boolean, string.

    Empty cells become <NA>; date columns keep their original text.
    """
    columns = {}
    for column in table.columns:
        values = frame[column.name].where(frame[column.name] != "")
        if column.choices:
            columns[column.name] = pd.Categorical(values, categories=list(column.choices))
        elif column.kind == "float":
            columns[column.name] = pd.to_numeric(values).astype("Float64")
        elif column.kind == "bool":
            columns[column.name] = values.str.lower().map({"true": True, "false": False}).astype("boolean")
        else:
            columns[column.name] = values.astype("string")
    return pd.DataFrame(columns, index=frame.index)


def with_instants(events: pd.DataFrame) -> pd.DataFrame:
    """Add `start_utc`/`end_utc` (first instant of each partial date, in UTC) and `end_precision`."""
    zones = events["timezone"].astype(object)
    start = events["start"].fillna("").astype(object)
    end = events["end"].fillna("").astype(object)
    return events.assign(
        start_utc=to_utc(parse_local(start), zones),
        end_utc=to_utc(parse_local(end), zones),
        end_precision=precision_of(end).astype(pd.CategoricalDtype(list(PRECISIONS))),
    )


def load_facts(data_dir: str | os.PathLike | None = None) -> Facts:
    """Validate and read every table of the fact base in `data_dir` (default: the project's `data/`).

    Raises DataError listing every problem (`file:row:column: message`) if the data is invalid.
    """
    folder = paths.data_dir(data_dir)
    frames = {name: typed(frame, TABLES[name]) for name, frame in read_valid_tables(folder).items()}
    frames["events"] = with_instants(frames["events"])
    return Facts(data_dir=folder, **frames)
