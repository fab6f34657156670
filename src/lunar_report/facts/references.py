"""Checks across tables: ids that point into other tables, source text files and their metadata, quotes found
verbatim in the texts they cite."""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from .checked import Problem, TableCheck, normalise_whitespace, read_regular, usable
from .schema import TABLES, ColumnKind


def check_references(checks: dict[str, TableCheck]) -> None:
    """Every id in a referencing column must exist in one of the referenced tables."""
    for check in checks.values():
        if check.frame is None:
            continue
        for column in check.table.columns:
            if not column.references or not all(usable(checks, name) for name in column.references):
                continue
            ids = check.ids(column.name)
            codes, parts = check.id_parts(column.name)  # each id written in a distinct cell is looked up once
            found = np.zeros(len(parts), dtype=bool)
            for name in column.references:
                found |= checks[name].id_index().get_indexer(parts) >= 0
            found = found[codes]
            files = " or ".join(TABLES[name].file for name in column.references)
            for index, unknown in ids[~found].items():
                check.add(index, column.name, f"unknown id {unknown!r}; no such id in {files}")


def check_quotes(folder: Path, checks: dict[str, TableCheck]) -> None:
    """Quotes must occur verbatim in the text of each cited source; rows citing the article need one."""
    if not usable(checks, "sources"):
        return
    sources = checks["sources"]
    texts = _source_texts(folder, sources)

    @functools.cache  # (tables often quote the same words of the same source)
    def missing(quote: str, source: str) -> bool:
        return normalise_whitespace(quote) not in texts[source]

    kinds, text_files = sources.rows["kind"].to_numpy(), sources.rows["text_file"].to_numpy()
    for check in checks.values():
        source_column = check.table.source_column
        quote_column = next((c.name for c in check.table.columns if c.kind == ColumnKind.QUOTE), None)
        if check.frame is None or source_column is None or quote_column is None:
            continue
        codes, parts = check.id_parts(source_column.name)
        at = sources.rows_of(parts)[codes]  # each entry's source (its first row with that id); -1: an unknown id
        known = at >= 0
        rows, codes, at = check.ids(source_column.name).index[known], codes[known], at[known]
        quote_at, quotes = check.distinct(quote_column)
        quoted = (quotes.to_numpy() != "")[quote_at[rows]]
        unquoted_article = ~quoted & (kinds[at] == "article")
        for index, source in zip(rows[unquoted_article], parts[codes[unquoted_article]], strict=True):
            check.add(
                index, quote_column, f"empty, but the row cites the article {source!r}; copy its words here verbatim"
            )
        with_text = np.fromiter((part in texts for part in parts.tolist()), dtype=bool, count=len(parts))
        searched = quoted & with_text[codes]
        _check_verbatim(check, quote_column, rows[searched], codes[searched], parts, text_files[at[searched]], missing)


def _check_verbatim(
    check: TableCheck,
    quote_column: str,
    rows: pd.Index,
    codes: np.ndarray,
    parts: np.ndarray,
    text_files: np.ndarray,
    missing: Callable[[str, str], bool],
) -> None:
    """Each distinct (quote, source) pair of the entries (`rows`, their sources `parts[codes]`) is searched once
    (`missing(quote, source)`); every entry whose quote is missing is reported."""
    quote_at, quotes = check.distinct(quote_column)
    source_at, source_ids = pd.factorize(parts)  # (one number per source id, however many cells write it)
    pairs = quote_at[rows] * max(len(source_ids), 1) + source_at[codes]
    _, first, inverse = np.unique(pairs, return_index=True, return_inverse=True)
    searches = zip(quotes.to_numpy()[quote_at[rows[first]]].tolist(), parts[codes[first]].tolist(), strict=True)
    chosen = np.fromiter(itertools.starmap(missing, searches), dtype=bool, count=len(first))[inverse]
    for index, source, text_file in zip(rows[chosen], parts[codes[chosen]], text_files[chosen], strict=True):
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
