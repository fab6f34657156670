"""How reports cite sources: numbered links "[n]" in tables, explained by the report's source list;
short labels ("TASS 2021-04-27", "CNSA") in sentences and figure notes."""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd

from ..facts.dates import format_partial
from ..facts.load import split_ids
from .display import Anchor, Bundle, Link, escape_latex, latex_url

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

    def listed(self) -> list[tuple[int, pd.Series]]:
        """The cited sources' rows with their numbers, in the order first cited."""
        return [(number, self._sources.loc[source_id]) for source_id, number in self._numbers.items()]

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


GRADES = {"A": "grade A", "B": "grade B", "C": "grade C"}
SOURCES_CAPTION = "Sources"


def _entry_html(number: int, row: pd.Series) -> str:
    """One bibliography entry: publisher, the title linking to the address, the date, the grade."""
    publisher = html.escape(str(row["publisher"]))
    title = html.escape(str(row["title"]))
    url = row["url"] if isinstance(row["url"], str) else None
    if url is None:
        titled = f'{title} <span class="lr-src-note">({NO_ADDRESS})</span>'
    elif TRUNCATED in url:
        titled = f'{title} <span class="lr-src-note">(address known only in part: {html.escape(url)})</span>'
    else:
        titled = f'<a href="{html.escape(url)}">{title}</a>'
    details = [format_partial(row["published"]), GRADES.get(str(row["grade"]), "")]
    said = ". ".join(d[:1].upper() + d[1:] for d in details if d)  # as in the PDF: "18 July 2023. Grade B."
    tail = f' <span class="lr-src-note">{html.escape(said)}.</span>' if said else ""
    return f'<li id="source-{number}" value="{number}"><strong>{publisher}</strong>: {titled}.{tail}</li>'


def _entry_latex(number: int, row: pd.Series) -> str:
    """One entry of the PDF's bibliography, set in full width; the address printed after the title."""
    url = row["url"] if isinstance(row["url"], str) else None
    parts = [rf"\textbf{{{escape_latex(str(row['publisher']))}}}: {escape_latex(str(row['title']))}."]
    parts += [
        escape_latex(d[:1].upper() + d[1:]) + "."
        for d in (format_partial(row["published"]), GRADES.get(str(row["grade"]), ""))
        if d
    ]
    if url is None:
        parts.append(f"({NO_ADDRESS})")
    elif TRUNCATED in url:
        parts.append(rf"Address known only in part: \nolinkurl{{{latex_url(url)}}}")
    else:
        parts.append(rf"\url{{{latex_url(url)}}}")
    return rf"\item[\hypertarget{{source-{number}}}{{[{number}]}}] " + " ".join(parts)


def sources_data(sources: SourceList) -> Bundle:
    """The report's bibliography: a numbered list (the "[n]" the tables cite), compact on a phone, full width in the PDF.

    On screen it is a disclosure, open; on a phone the page closes it (a citation's link opens it again).
    """
    listed = sources.listed()
    items_html = "".join(_entry_html(number, row) for number, row in listed)
    items_latex = "\n".join(_entry_latex(number, row) for number, row in listed)
    text = "\n".join(f"[{number}] {row['publisher']}: {row['title']}" for number, row in listed)
    return {
        "text/html": f'<details class="lr-sources-box" open><summary>{len(listed)} sources, numbered as cited</summary>'
        f'<ol class="lr-sources" aria-label="{SOURCES_CAPTION}">{items_html}</ol></details>',
        "text/latex": "\\begin{description}[font=\\normalfont, leftmargin=2.6em, labelwidth=2.2em, labelsep=0.4em,"
        " itemsep=2pt, parsep=0pt]\\small\n" + items_latex + "\n\\end{description}\n",
        "text/plain": text,
    }


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
