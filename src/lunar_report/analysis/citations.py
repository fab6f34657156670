"""Numbered citations: table rows cite their sources as links "[n]"; the report's source list explains each n."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..facts.load import split_ids
from .display import Anchor, Link

NO_ADDRESS = "no address recorded"
TRUNCATED = "..."  # how the reference notes mark an address they give only in part


def _address(url) -> Link | tuple | str:
    """A working link; for an address known only in part, the address unlinked with a warning; else a note."""
    if not isinstance(url, str):
        return NO_ADDRESS
    return (Link(url, None), "truncated, not a working link") if TRUNCATED in url else Link(url, url)


def with_sources(table: pd.DataFrame, cells: Iterable, sources: SourceList | None) -> pd.DataFrame:
    """`table` with a "Sources" column citing each row's `;`-separated source ids (unchanged if `sources` is None)."""
    return table if sources is None else table.assign(Sources=sources.cite_each(cells))


class SourceList:
    """The sources one report cites, numbered in the order they are first cited."""

    def __init__(self, sources: pd.DataFrame):
        self._sources = sources.set_index("id")
        self._numbers: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._numbers)

    def number(self, source_id: str) -> int:
        """The number of `source_id`, given on its first citation."""
        if source_id not in self._sources.index:
            raise KeyError(f"unknown source id {source_id!r}; it is not in sources.csv")
        return self._numbers.setdefault(source_id, len(self._numbers) + 1)

    def cite(self, ids: str | Iterable[str] | None) -> tuple[Link, ...]:
        """Links "[n]" to the list entries of `ids` (a `;`-separated cell or a list of ids)."""
        listed = split_ids(ids) if ids is None or isinstance(ids, str) else list(dict.fromkeys(ids))
        return tuple(Link(f"[{n}]", f"#source-{n}") for n in map(self.number, listed))

    def cite_each(self, cells: Iterable) -> list[tuple[Link, ...]]:
        """The citations of each row, from a column of `;`-separated source ids."""
        return [self.cite(cell) for cell in cells]

    def table(self) -> pd.DataFrame:
        """The cited sources: No. (the link target), publisher with its grade, title and address."""
        ids = list(self._numbers)
        rows = self._sources.loc[ids]
        return pd.DataFrame(
            {
                "No.": [Anchor(str(n), f"source-{n}") for n in self._numbers.values()],
                "Publisher (grade)": [
                    publisher if pd.isna(grade) else f"{publisher} ({grade})"
                    for publisher, grade in zip(rows["publisher"], rows["grade"], strict=False)
                ],
                "Title": rows["title"].to_numpy(),
                "Address": [_address(url) for url in rows["url"]],
            }
        )
