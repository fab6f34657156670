"""The site's own pages, staged in a commit: the editions page, the search page and its index, the feed, .nojekyll;
and the site's data, the fact base as an open dataset (with `export data`, which writes it without a site).

The pages are Jinja2 templates in templates/site; each is written only when its content changed.

The data, in the output folder::

    data/datapackage.json, data/<table>.csv, data/lunar-report.sqlite   the current data edition
    data/<version>/…                                                       every data edition, kept at its address

A data edition's version is the date of the data (its newest review) and a digest of its tables:
the same tables give the same version and the same bytes, built once per run (not per report).
Each report edition records the data edition it was computed from; the editions page and the
feed link it, and retention removes a data edition only when no kept edition names it.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..base.atomic import check_target
from ..base.text import long_date
from ..config.settings import SiteReport
from ..store import workspace
from ..store.commit import Commit
from ..store.editions import Edition, Ledger, present_files
from .feed import feed_xml
from .links import (
    DATA_DIR,
    DATA_VERSION,
    EDITIONS_PAGE,
    FEED,
    NOJEKYLL,
    SEARCH_INDEX,
    SEARCH_PAGE,
    edition_package,
    page_links,
)
from .search import search_html, search_index
from .templating import environment


def _editions_row(out: Path, edition: Edition, coming: frozenset[str]) -> dict[str, Any]:
    labels = {"html": "HTML", "pdf": "PDF"}
    data = edition_package(out, edition, coming)
    return {
        "id": edition.id,
        "as_of": long_date(edition.as_of),
        "links": [(labels.get(f.rsplit(".", 1)[-1], f), f"{edition.folder}/{f}") for f in present_files(out, edition)]
        + ([("Data", data)] if data else []),
        "intro": edition.changes[0] if edition.changes else "",
        "listed": edition.changes[1:],
    }


def ordered(ledger: Ledger, configured: list[str]) -> list[str]:
    """Reports with editions: configured ones in configuration order, then the others by name."""
    return [n for n in configured if ledger.history(n)] + sorted(
        n for n in ledger.reports if n not in configured and ledger.history(n)
    )


def editions_html(out: Path, ledger: Ledger, configured: list[str], coming: frozenset[str] = frozenset()) -> bytes:
    """The editions page: per report, every kept edition (newest first) with its files and changes."""
    names = ordered(ledger, configured)
    reports = [
        {
            "name": n,
            "title": ledger.history(n)[0].title,
            "editions": [_editions_row(out, e, coming) for e in ledger.history(n)],
        }
        for n in names
    ]
    menu = tuple(SiteReport(n, ledger.history(n)[0].title) for n in names if n in configured)
    page = (
        environment()
        .get_template("editions.html.j2")
        .render(
            reports=reports,
            site=page_links(out, EDITIONS_PAGE, menu, coming),
            page={
                "title": "lunar-report: editions",
                "description": "Every kept edition of each report, newest first, with what changed since the one before.",
                "image": "",
            },
        )
    )
    return page.encode("utf-8")


def stage_pages(out: Path, ledger: Ledger, configured: list[str], commit: Commit, base_url: str | None = None) -> None:
    """Add the editions page, the search page and its index, the feed (absolute with the site's `base_url`) and
    .nojekyll to `commit` (each written only when its content changed)."""
    commit.write(NOJEKYLL, b"")
    commit.write(FEED, feed_xml(out, ledger, configured, base_url, frozenset(commit.names())))
    commit.write(EDITIONS_PAGE, editions_html(out, ledger, configured, frozenset(commit.names())))
    menu = tuple(SiteReport(n, ledger.history(n)[0].title) for n in configured if ledger.history(n))
    commit.write(SEARCH_INDEX, search_index(out, menu))
    commit.write(SEARCH_PAGE, search_html(page_links(out, SEARCH_PAGE, menu, frozenset(commit.names()))))


# --- The site's data ------------------------------------------------------------------------
# (lunar_report.facts is imported where the data is built: it brings pandas, which a run with nothing to publish
# never needs)


@dataclass(frozen=True)
class Dataset:
    """One data edition: its version, how to cite it, and its files (by name inside its folder)."""

    version: str
    citation: str
    files: dict[str, bytes]

    @property
    def folder(self) -> str:
        return f"{DATA_DIR}/{self.version}"


def citation(version: str, date: str, address: str) -> str:
    """How to cite a data edition: publisher, year, title, edition, date and (with the site's address) where it is."""
    from ...facts.package import PUBLISHER, TITLE

    dated = long_date(date) if len(date) == 10 else date
    year = f" ({date[:4]})" if date else ""
    when = f", data as of {dated}" if dated else ""
    where = f" {address}" if address else ""
    return f"{PUBLISHER}{year}. {TITLE} [data set], data edition {version}{when}.{where} License: CC BY 4.0."


def build_dataset(tables: dict[str, bytes], base_url: str | None) -> Dataset:
    """The data edition of the published tables (:func:`lunar_report.facts.package.published_tables`)."""
    from ...facts import package

    version, date = package.data_version(tables), package.data_date(tables)
    address = f"{base_url}{DATA_DIR}/{version}/" if base_url else ""
    cite = citation(version, date, address)
    database = package.sqlite_bytes(tables)
    descriptor = package.descriptor(tables, package.About(version, date, cite, address), database)
    return Dataset(
        version, cite, {package.PACKAGE: package.package_bytes(descriptor), package.DATABASE: database, **tables}
    )


_BUILT: dict[tuple[str, str | None], Dataset] = {}  # the last data edition built, by data digest and address


def folder_dataset(data_dir: Path, trusted: str, base_url: str | None) -> Dataset:
    """The data edition of a data folder whose bytes were validated with digest `trusted` (DataError when the folder
    changed since and is no longer valid); built once per digest, however many reports a run commits."""
    from ...facts.package import published_tables
    from ...facts.trust import trusting

    key = (trusted, base_url)
    if not trusted or key not in _BUILT:
        with trusting(trusted):
            built = build_dataset(published_tables(data_dir), base_url)
        if not trusted:
            return built
        _BUILT.clear()  # (one data folder at a time)
        _BUILT[key] = built
    return _BUILT[key]


def stage_dataset(dataset: Dataset, commit: Commit) -> None:
    """Add the data edition to `commit`: in its own folder and as the site's current data."""
    for name, content in dataset.files.items():
        commit.write(f"{dataset.folder}/{name}", content)
        commit.write(f"{DATA_DIR}/{name}", content)


def remove_datasets(out: Path, ledger: Ledger, dropped: Iterable[Edition], current: str) -> list[str]:
    """Remove the data editions that only dropped editions named (never the current one); the versions removed.

    Only the files a data edition holds are removed, and its folder only when nothing else is left in it.
    """
    from ...facts.package import DATABASE, PACKAGE
    from ...facts.schema import TABLES

    used = {e.dataset for history in ledger.reports.values() for e in history} | {current}
    removed = []
    for version in sorted({e.dataset for e in dropped} - used):
        folder = out / DATA_DIR / version
        if not DATA_VERSION.match(version) or not folder.is_dir() or folder.is_symlink():
            continue
        for name in (PACKAGE, DATABASE, *(t.file for t in TABLES.values())):
            (folder / name).unlink(missing_ok=True)
        with suppress(OSError):
            folder.rmdir()
        removed.append(version)
    return removed


def export_data(data_dir: Path, out_dir: Path, base_url: str | None) -> list[str]:
    """Write the data package, its CSV files and the SQLite file into `out_dir`; the files written.

    The data is validated first (DataError: nothing is written). The folder follows the output folders' rules:
    created and marked as lunar-report's, and refused (UsageError) when it holds files lunar-report did not write.
    """
    from ...facts.package import published_tables

    dataset = build_dataset(published_tables(data_dir), base_url)
    made = workspace.new_folders(out_dir)
    out = workspace.prepare_out_dir(out_dir, data_dir)
    with workspace.locked(out, 0, made):
        unit = Commit(out)
        for name, content in dataset.files.items():
            check_target(out / name)
            unit.write(name, content)
        unit.apply()
    return list(dataset.files)
