"""How reports cite sources: numbered links "[n]" in tables, explained by the report's source list;
short labels ("TASS 2021-04-27", "CNSA") in sentences and figure notes."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..facts.load import split_ids
from .display import Anchor, Link

NO_ADDRESS = "no address recorded"
TRUNCATED = "..."  # how the reference notes mark an address they give only in part


def _address(url: object) -> Link | tuple[Link, str] | str:
    """A working link; for an address known only in part, the address unlinked with a warning; else a note."""
    if not isinstance(url, str):
        return NO_ADDRESS
    return (Link(url, None), "truncated, not a working link") if TRUNCATED in url else Link(url, url)


def with_sources(table: pd.DataFrame, cells: Iterable[str | None], sources: SourceList | None) -> pd.DataFrame:
    """`table` with a "Sources" column citing each row's `;`-separated source ids (unchanged if `sources` is None)."""
    return table if sources is None else table.assign(Sources=sources.cite_each(cells))


class SourceList:
    """The sources one report cites, numbered in the order they are first cited."""

    def __init__(self, sources: pd.DataFrame) -> None:
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

    def cite_each(self, cells: Iterable[str | None]) -> list[tuple[Link, ...]]:
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


def source_labels(sources: pd.DataFrame, source_ids: Iterable[object]) -> list[str]:
    """Short labels of the cited sources, most cited first: the article as "TASS 2021-04-27", others by publisher.

    `source_ids` are cells of `;`-separated ids; computed sources have no label.
    """
    cited = [source_id for text in source_ids for source_id in split_ids(text)]
    label_of = {
        row.id: f"{row.publisher} {row.published}"
        if row.kind == "article" and not pd.isna(row.published)
        else str(row.publisher)
        for row in sources.itertuples(index=False)
        if row.kind != "computed"
    }
    labels = [label_of[source_id] for source_id in cited if source_id in label_of]
    counts = pd.Series(labels, dtype=object).value_counts(sort=False)
    return list(counts.sort_values(ascending=False, kind="stable").index)
