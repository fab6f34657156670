"""Whole-value regular-expression matching of a column, in one scan instead of one match call per value."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd


def matches(values: pd.Series, pattern: str) -> pd.Series:
    """Vectorised: True where a value is empty or matches all of `pattern` (anchored with ^ and $).

    Fast path: one regex scan over the values joined by newlines finds the lines that
    do not match, instead of one match call per value.
    """
    texts = values.tolist()
    joined = "\n".join(texts)
    if not texts or joined.count("\n") != len(texts) - 1:  # empty, or some value spans lines
        return (values == "") | values.str.fullmatch(pattern).fillna(False).astype(bool)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    line_starts = np.cumsum(lengths + 1) - lengths - 1
    mismatch = re.compile(rf"^(?!(?:{pattern.removeprefix('^').removesuffix('$')})$).+$", re.MULTILINE)
    result = np.ones(len(texts), dtype=bool)
    result[np.searchsorted(line_starts, [m.start() for m in mismatch.finditer(joined)])] = False
    return pd.Series(result, index=values.index)
