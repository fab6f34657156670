"""Checks across tables: ids that point into other tables, source text files and their metadata, quotes found
verbatim in the texts they cite."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd

from .checked import Problem, TableCheck, normalise_whitespace, read_regular, usable
from .schema import TABLES, ColumnKind


def check_references(checks: dict[str, TableCheck]) -> None:
    """Every id in a referencing column must exist in one of the referenced tables."""
    known: dict[str, pd.Index] = {}  # table → its ids, hashed once however many columns point at it
    for check in checks.values():
        if check.frame is None:
            continue
        for column in check.table.columns:
            if not column.references or not all(usable(checks, name) for name in column.references):
                continue
            ids = check.ids(column.name)
            found = np.zeros(len(ids), dtype=bool)
            for name in column.references:
                if name not in known:
                    known[name] = pd.Index(checks[name].distinct("id")[1])
                found |= known[name].get_indexer(ids) >= 0
            files = " or ".join(TABLES[name].file for name in column.references)
            for index, unknown in ids[~found].items():
                check.add(index, column.name, f"unknown id {unknown!r}; no such id in {files}")


def check_quotes(folder: Path, checks: dict[str, TableCheck]) -> None:
    """Quotes must occur verbatim in the text of each cited source; rows citing the article need one."""
    if not usable(checks, "sources"):
        return
    sources = checks["sources"].rows.set_index("id", drop=False)
    sources = sources[~sources.index.duplicated()]
    texts = _source_texts(folder, checks["sources"])
    for check in checks.values():
        source_column = check.table.source_column
        quote_column = next((c.name for c in check.table.columns if c.kind == ColumnKind.QUOTE), None)
        if check.frame is None or source_column is None or quote_column is None:
            continue
        cited = check.ids(source_column.name).rename("source").to_frame()
        cited = cited[cited["source"].isin(sources.index)]
        cited["quote"] = check.rows[quote_column].reindex(cited.index)
        cited["kind"] = cited["source"].map(sources["kind"])
        for index, source in cited.loc[(cited["quote"] == "") & (cited["kind"] == "article"), "source"].items():
            check.add(
                index, quote_column, f"empty, but the row cites the article {source!r}; copy its words here verbatim"
            )
        _check_verbatim(
            check, quote_column, cited[(cited["quote"] != "") & cited["source"].isin(texts)], texts, sources
        )


def _check_verbatim(
    check: TableCheck, quote_column: str, cited: pd.DataFrame, texts: dict[str, str], sources: pd.DataFrame
) -> None:
    """Each distinct (quote, source) pair is searched once; every row with a missing quote is reported."""
    pairs = cited[["quote", "source"]].drop_duplicates()
    missing = {(q, s) for q, s in pairs.itertuples(index=False) if normalise_whitespace(q) not in texts[s]}
    if not missing:
        return
    keys = pd.MultiIndex.from_frame(cited[["quote", "source"]])
    for index, source in cited.loc[keys.isin(list(missing)), "source"].items():
        text_file = sources.at[source, "text_file"]
        check.add(index, quote_column, f"not found verbatim in {text_file} (source {source!r}); copy it exactly")


def _source_texts(folder: Path, check: TableCheck) -> dict[str, str]:
    """Source id → its text with whitespace normalised, for sources whose text file reads cleanly."""
    text_columns = [c.name for c in check.table.columns if c.kind == ColumnKind.FILE]
    texts = {}
    for column in text_columns:
        for index, source, relative in check.rows[["id", column]].itertuples():
            if not relative:
                continue
            path = (folder / relative).resolve()
            if not path.is_relative_to(folder):
                check.add(index, column, f"{relative!r} is outside the data folder; give a path inside it")
                continue
            try:
                data = read_regular(path)
                texts[source] = normalise_whitespace(data.decode("utf-8"))
            except FileNotFoundError:
                check.add(index, column, f"{relative!r} not found in the data folder")
            except UnicodeDecodeError:
                check.add(index, column, f"{relative!r} is not UTF-8 text; save it as UTF-8")
            except OSError as exc:
                check.add(index, column, f"cannot read {relative!r}: {exc.strerror}")
            else:
                check.problems += _sidecar_problems(folder, relative, data)
    return texts


def _sidecar_problems(folder: Path, relative: str, data: bytes) -> list[Problem]:
    """A source text's metadata file (`<text>.json`), if there is one, must record the text's sha256."""
    name = Path(relative).with_suffix(".json").as_posix()
    path = (folder / name).resolve()
    if not (folder / name).is_file():
        return []
    if not path.is_relative_to(folder):
        return [
            Problem(
                name, None, None, "a link to a file outside the data folder; put the file itself in the data folder"
            )
        ]
    try:
        recorded = json.loads(path.read_text(encoding="utf-8")).get("sha256")
    except (OSError, UnicodeDecodeError, ValueError, AttributeError):
        return [Problem(name, None, None, f"not a JSON object; fix it (it describes {relative}) or remove it")]
    actual = hashlib.sha256(data).hexdigest()
    if recorded != actual:
        return [
            Problem(
                name,
                None,
                "sha256",
                f"{recorded!r} does not match {relative} (sha256 {actual}); "
                "if the text changed on purpose, update sha256, else restore the text",
            )
        ]
    return []
