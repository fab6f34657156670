"""Load the fact base into typed pandas DataFrames (validated first: see :mod:`.validate`)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import paths
from .dates import PRECISIONS, to_utc
from .schema import BOOLEANS, TABLES, Table, form_column, local_column
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
        raw = frame[column.name].to_numpy()
        values = pd.Series(raw, index=frame.index, dtype="string").mask(raw == "")
        if column.choices:
            columns[column.name] = pd.Categorical(values, categories=list(column.choices))
        elif column.kind == "float":
            columns[column.name] = pd.to_numeric(values).astype("Float64")
        elif column.kind == "bool":
            columns[column.name] = frame[column.name].map(BOOLEANS).astype("boolean")
        else:
            columns[column.name] = values
    return pd.DataFrame(columns, index=frame.index)


def with_instants(events: pd.DataFrame, prepared: pd.DataFrame) -> pd.DataFrame:
    """Add `start_utc`/`end_utc` (first instant of each partial date, in UTC) and `end_precision`.

    `prepared` is the events table as validated, with each date's local first instant and form.
    """
    zones = prepared["timezone"]
    return events.assign(
        start_utc=to_utc(prepared[local_column("start")], zones),
        end_utc=to_utc(prepared[local_column("end")], zones),
        end_precision=pd.Categorical(prepared[form_column("end")], categories=list(PRECISIONS)),
    )


def load_facts(data_dir: str | os.PathLike | None = None) -> Facts:
    """Validate and read every table of the fact base in `data_dir` (default: the project's `data/`).

    Raises DataError listing every problem (`file:row:column: message`) if the data is invalid.
    """
    folder = paths.data_dir(data_dir)
    prepared = read_valid_tables(folder)
    frames = {name: typed(frame, TABLES[name]) for name, frame in prepared.items()}
    frames["events"] = with_instants(frames["events"], prepared["events"])
    return Facts(data_dir=folder, **frames)


def split_ids(text) -> list[str]:
    """The ids of a `;`-separated cell (empty for a missing cell)."""
    return [] if pd.isna(text) else [part.strip() for part in str(text).split(";") if part.strip()]
