"""The fact base published with the site: the data package validates, the SQLite file holds the same rows,
unchanged data gives the same bytes, and every edition keeps the data it was computed from."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from frictionless import validate

from helpers import snapshot
from lunar_report.facts import package
from lunar_report.facts.schema import TABLES, ColumnKind
from lunar_report.pipeline.config.reports import load_reports
from lunar_report.pipeline.config.settings import RenderOptions
from lunar_report.pipeline.run.render import render_reports
from lunar_report.pipeline.site import pages
from lunar_report.pipeline.store import editions

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[2]
NOTEBOOKS = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks"
BUILD = pages.build_dataset


def _config(folder: Path, names: tuple[str, ...]) -> Path:
    config = folder / "reports.toml"
    config.write_text(
        "".join(
            f'[[report]]\nname = "{name}"\nnotebook = "{NOTEBOOKS / f"{name}.ipynb"}"\ntitle = "Fixture {name}"\n'
            for name in names
        ),
        encoding="utf-8",
    )
    return config


def _render(folder: Path, out: Path, data: Path, names: tuple[str, ...] = ("events",), **settings) -> None:
    options = RenderOptions(
        out_dir=out, data_dir=data, **{"as_of": date(2026, 11, 25), "formats": ("html",), **settings}
    )
    outcomes = render_reports(load_reports(_config(folder, names)), options)
    assert [o.status for o in outcomes] == ["rendered"] * len(names), outcomes


def _change(data: Path, old: str, new: str) -> None:
    events = data / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def _data_files(out: Path) -> dict[str, bytes]:
    return {name: content for name, content in snapshot(out).items() if name.startswith("data/")}


@pytest.fixture()
def data_copy(tmp_path) -> Path:
    return Path(shutil.copytree(PROJECT / "data", tmp_path / "data"))


def test_two_renders_of_unchanged_data_publish_the_same_bytes(tmp_path, data_copy):
    _render(tmp_path, tmp_path / "one", data_copy)
    _render(tmp_path, tmp_path / "two", data_copy)
    first = _data_files(tmp_path / "one")
    assert first == _data_files(tmp_path / "two")
    version = editions.load_ledger(tmp_path / "one").history("events")[0].dataset
    assert f"data/{version}/{package.DATABASE}" in first and f"data/{package.DATABASE}" in first


def test_the_data_is_built_once_per_run_not_per_report(tmp_path, data_copy, monkeypatch):
    built = []
    monkeypatch.setattr(pages, "_BUILT", {})  # (nothing built by an earlier test in this process)
    monkeypatch.setattr(pages, "build_dataset", lambda *args: built.append(args) or BUILD(*args))
    _render(tmp_path, tmp_path / "out", data_copy, ("events", "missions"))
    assert len(built) == 1
    ledger = editions.load_ledger(tmp_path / "out")
    assert ledger.history("events")[0].dataset == ledger.history("missions")[0].dataset


def test_an_editions_data_stays_after_later_editions(tmp_path, data_copy):
    out = tmp_path / "out"
    _render(tmp_path, out, data_copy)
    first = editions.load_ledger(out).history("events")[0]
    kept = {name: content for name, content in _data_files(out).items() if name.startswith(f"data/{first.dataset}/")}
    assert len(kept) == len(TABLES) + 2

    _change(data_copy, "Wang Wenbin comments", "Wang Wenbin speaks")
    _render(tmp_path, out, data_copy)
    newer, older = editions.load_ledger(out).history("events")
    assert older.id == first.id and newer.dataset != first.dataset
    assert {n: c for n, c in _data_files(out).items() if n in kept} == kept  # untouched
    assert (out / "data" / package.PACKAGE).read_bytes() == (
        out / "data" / newer.dataset / package.PACKAGE
    ).read_bytes()
    page = (out / "editions.html").read_text(encoding="utf-8")
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    for edition in (newer, older):
        assert f'href="data/{edition.dataset}/datapackage.json">Data' in page
        assert f'rel="related" type="application/json" href="data/{edition.dataset}/datapackage.json"' in feed
    assert f"data edition {newer.dataset}" in (out / "index.html").read_text(encoding="utf-8")
    assert validate(str(out / "data" / older.dataset / package.PACKAGE)).valid


def test_retention_removes_the_data_only_dropped_editions_read(tmp_path, data_copy):
    out = tmp_path / "out"
    versions = []
    for number, (old, new) in enumerate([("", ""), ("comments", "speaks"), ("speaks", "talks")]):
        _change(data_copy, old, new)
        _render(tmp_path, out, data_copy, keep=1, as_of=date(2026, 11, 20 + number))
        versions.append(editions.load_ledger(out).history("events")[0].dataset)
    assert len(set(versions)) == 3
    assert not (out / "data" / versions[0]).exists()
    assert all((out / "data" / v / package.PACKAGE).is_file() for v in versions[1:])


# --- On the render of the shipped reports ----------------------------------------------------


def test_the_published_package_validates_with_frictionless(rendered_reports):
    for descriptor in sorted((rendered_reports / "data").glob(f"**/{package.PACKAGE}")):
        report = validate(str(descriptor))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
        assert report.stats["errors"] == 0
        assert len(report.tasks) == len(TABLES)


def test_the_sqlite_file_holds_the_rows_of_the_csv_files(rendered_reports):
    folder = rendered_reports / "data"
    connection = sqlite3.connect(folder / package.DATABASE)
    connection.row_factory = sqlite3.Row
    for table in TABLES.values():
        rows = package.rows((folder / table.file).read_bytes())
        stored = connection.execute(f'SELECT * FROM "{table.name}" ORDER BY rowid').fetchall()
        assert len(stored) == len(rows), table.name
        for row, kept in list(zip(rows, stored, strict=True))[:: max(1, len(rows) // 7)]:  # a sample of rows
            for column in table.columns:
                cell = row[column.name]
                if column.kind == ColumnKind.FLOAT and cell:
                    assert kept[column.name] == float(cell)
                elif column.kind == ColumnKind.BOOL:
                    assert kept[column.name] == (cell.lower() == "true")
                else:
                    assert kept[column.name] == (cell or None)


def test_the_shipped_data_is_published_as_it_is(rendered_reports):
    for table in TABLES.values():
        assert (rendered_reports / "data" / table.file).read_bytes() == (PROJECT / "data" / table.file).read_bytes()


def test_every_page_links_the_data_and_the_front_page_says_how_to_cite(rendered_reports):
    descriptor = json.loads((rendered_reports / "data" / package.PACKAGE).read_text(encoding="utf-8"))
    for page in sorted(rendered_reports.glob("*.html")):
        assert '<a href="data/datapackage.json">Download the data</a>' in page.read_text(encoding="utf-8"), page.name
    front = (rendered_reports / "index.html").read_text(encoding="utf-8")
    cited = re.search(r"How to cite: (.*?)</p>", front, re.S)
    assert cited is not None
    assert cited.group(1).replace("&#39;", "'").replace("&amp;", "&") == descriptor["citation"]
    assert f"https://example.org/lunar/data/{descriptor['version']}/" in descriptor["citation"]
    copies = sorted((rendered_reports / "editions").glob("*/*.html"))
    assert copies and all('href="../../data/datapackage.json"' in c.read_text(encoding="utf-8") for c in copies)
