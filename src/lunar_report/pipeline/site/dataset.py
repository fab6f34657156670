"""The fact base published as an open dataset: the site's data folder, each data edition kept, and `export data`.

Layout in the output folder::

    data/datapackage.json, data/<table>.csv, data/lunar-report.sqlite   the current data edition
    data/<version>/…                                                       every data edition, kept at its address

A data edition's version is the date of the data (its newest review) and a digest of its tables:
the same tables give the same version and the same bytes, built once per run (not per report).
Each report edition records the data edition it was computed from; the editions page and the
feed link it, and retention removes a data edition only when no kept edition names it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from ...facts import package
from ...facts.schema import TABLES
from ...facts.trust import trusting
from ..base.atomic import check_target
from ..base.text import long_date
from ..store import workspace
from ..store.commit import Commit
from ..store.editions import Edition, Ledger
from .links import DATA_PACKAGE

DATA_DIR = "data"
PACKAGE = DATA_PACKAGE  # the current data edition's package, linked as "Download the data"
VERSION = re.compile(r"^(\d{4}(-\d{2}){0,2}|undated)-[0-9a-f]{10}$")
FILES = (package.PACKAGE, package.DATABASE, *(t.file for t in TABLES.values()))  # what a data edition holds


@dataclass(frozen=True)
class Dataset:
    """One data edition: its version, its citation and its files (by name inside its folder)."""

    version: str
    citation: str
    files: dict[str, bytes]

    @property
    def folder(self) -> str:
        return f"{DATA_DIR}/{self.version}"


def citation(version: str, date: str, address: str) -> str:
    """How to cite a data edition: publisher, year, title, edition, date and (with the site's address) where it is."""
    dated = long_date(date) if len(date) == 10 else date
    year = f" ({date[:4]})" if date else ""
    when = f", data as of {dated}" if dated else ""
    where = f" {address}" if address else ""
    return (
        f"{package.PUBLISHER}{year}. {package.TITLE} [data set], data edition {version}{when}.{where} "
        "License: CC BY 4.0."
    )


def build(tables: dict[str, bytes], base_url: str | None) -> Dataset:
    """The data edition of these published tables (see :func:`lunar_report.facts.package.published_tables`)."""
    version = package.data_version(tables)
    date = package.data_date(tables)
    address = f"{base_url}{DATA_DIR}/{version}/" if base_url else ""
    cite = citation(version, date, address)
    database = package.sqlite_bytes(tables)
    about = package.About(version, date, cite, address)
    descriptor = package.package_bytes(package.descriptor(tables, about, database))
    return Dataset(version, cite, {package.PACKAGE: descriptor, package.DATABASE: database, **tables})


_BUILT: dict[tuple[str, str | None], Dataset] = {}  # by the digest of the validated data and the address: one build


def of_folder(data_dir: Path, trusted: str, base_url: str | None) -> Dataset:
    """The data edition of a data folder whose bytes were validated with digest `trusted` (DataError when the folder
    changed since and is no longer valid); built once per digest in this process."""
    key = (trusted, base_url)
    if not trusted or key not in _BUILT:
        with trusting(trusted):
            built = build(package.published_tables(data_dir), base_url)
        if not trusted:
            return built
        _BUILT.clear()  # (one data folder at a time: the newest is the one asked for again)
        _BUILT[key] = built
    return _BUILT[key]


def stage(dataset: Dataset, commit: Commit) -> None:
    """Add the data edition to `commit`: in its own folder and as the site's current data."""
    for name, content in dataset.files.items():
        commit.write(f"{dataset.folder}/{name}", content)
        commit.write(f"{DATA_DIR}/{name}", content)


def edition_package(out: Path, edition: Edition, coming: frozenset[str] = frozenset()) -> str:
    """The address (relative to the site) of the package an edition was computed from; "" when it is neither on
    disk nor `coming` in the same commit."""
    if not VERSION.match(edition.dataset):
        return ""
    name = f"{DATA_DIR}/{edition.dataset}/{package.PACKAGE}"
    return name if name in coming or (out / name).is_file() else ""


def remove_unused(out: Path, ledger: Ledger, dropped: Iterable[Edition], current: str) -> list[str]:
    """Remove the data editions only dropped editions named (not the current one); the versions removed.

    Only the files a data edition holds are removed, and its folder only when nothing else is in it.
    """
    used = {e.dataset for history in ledger.reports.values() for e in history} | {current}
    removed = []
    for version in sorted({e.dataset for e in dropped} - used):
        folder = out / DATA_DIR / version
        if not VERSION.match(version) or not folder.is_dir() or folder.is_symlink():
            continue
        for name in FILES:
            (folder / name).unlink(missing_ok=True)
        with suppress(OSError):
            folder.rmdir()
        removed.append(version)
    return removed


def export(data_dir: Path, out_dir: Path, base_url: str | None) -> list[str]:
    """Write the data package, its CSV files and the SQLite file into `out_dir` (created and marked as ours; a
    folder holding files lunar-report did not write is refused: UsageError); the files written.

    The data is validated first (DataError): nothing is written for invalid data.
    """
    dataset = build(package.published_tables(data_dir), base_url)
    made = workspace.new_folders(out_dir)
    out = workspace.prepare_out_dir(out_dir, data_dir)
    with workspace.locked(out, 0, made):
        for name in dataset.files:
            check_target(out / name)
        unit = Commit(out)
        for name, content in dataset.files.items():
            unit.write(name, content)
        unit.apply()
    return list(dataset.files)
