"""Whole-value regular-expression matching of a column, in one scan instead of one match call per value."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd


def matches(values: pd.Series, pattern: str) -> pd.Series:
    """Vectorised: True where a value is empty or matches all of `pattern` (anchored with ^ and $).

    Fast path: the values joined by newlines, one regex run over them tells whether every line matches;
    if not, one scan finds the lines that do not match, instead of one match call per value (the match of a
    line break starts where its line does, in the text with a line break in front).
    """
    texts = values.tolist()
    joined = "\n".join(texts)
    if not texts or joined.count("\n") != len(texts) - 1:  # empty, or some value spans lines
        return (values == "") | values.str.fullmatch(pattern).fillna(False).astype(bool)
    body = pattern.removeprefix("^").removesuffix("$")
    # the usual case, every line a match or empty: one run of the engine (possessive: it never backtracks)
    if re.compile(rf"(?:\n(?:{body})?(?=\n|\Z))*+").fullmatch("\n" + joined):
        return pd.Series(np.ones(len(texts), dtype=bool), index=values.index)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    line_starts = np.cumsum(lengths + 1) - lengths - 1
    # (each line break then a line that is neither empty nor a match: the scan jumps from one break to the next)
    mismatch = re.compile(rf"\n(?!(?:{body})$|$)", re.MULTILINE)
    result = np.ones(len(texts), dtype=bool)
    result[np.searchsorted(line_starts, [m.start() for m in mismatch.finditer("\n" + joined)])] = False
    return pd.Series(result, index=values.index)
