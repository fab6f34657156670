"""The site's data: data editions, their links from editions, retention, the citation and `export data`."""

from __future__ import annotations

import json
import sqlite3

from frictionless import validate

from helpers import MARK_NAME, assert_refused, run_cli, set_cell, snapshot
from known import KNOWN
from lunar_report.facts import package
from lunar_report.facts.schema import TABLES
from lunar_report.pipeline.site import feed, links, pages
from lunar_report.pipeline.store import editions
from lunar_report.pipeline.store.commit import Commit

FOREIGN = (
    "--out {out}: the folder holds files lunar-report did not write (no .lunar-report-output mark); "
    "give an empty or new folder, or a folder an earlier render wrote"
)


def test_the_citation_names_publisher_title_edition_date_and_address():
    assert pages.citation("2026-12-02-0123456789", "2026-12-02", "https://example.org/lunar/data/x/") == (
        "lunar-report (2026). China–Russia lunar cooperation and Chang’e-5: the lunar-report fact base [data set], "
        "data edition 2026-12-02-0123456789, data as of 2 December 2026. https://example.org/lunar/data/x/ "
        "License: CC BY 4.0."
    )
    assert pages.citation("2026-04-0123456789", "2026-04", "").endswith(
        "data edition 2026-04-0123456789, data as of 2026-04. License: CC BY 4.0."
    )


def test_the_site_names_the_package_file_as_the_fact_base_writes_it():
    assert links.PACKAGE_FILE == package.PACKAGE
    assert f"{links.DATA_DIR}/{package.PACKAGE}" == links.DATA_PACKAGE


def test_a_data_edition_holds_the_package_its_tables_and_the_sqlite_file():
    dataset = pages.build_dataset(package.published_tables(KNOWN), "https://example.org/lunar/")
    assert sorted(dataset.files) == sorted([package.PACKAGE, package.DATABASE, *(t.file for t in TABLES.values())])
    assert links.DATA_VERSION.match(dataset.version)
    assert dataset.folder == f"data/{dataset.version}"
    descriptor = json.loads(dataset.files[package.PACKAGE])
    assert descriptor["version"] == dataset.version
    assert descriptor["citation"] == dataset.citation
    assert descriptor["homepage"] == f"https://example.org/lunar/data/{dataset.version}/"
    assert descriptor["sqlite"]["bytes"] == len(dataset.files[package.DATABASE])


def test_staging_writes_the_edition_folder_and_the_current_data(tmp_path):
    dataset = pages.build_dataset(package.published_tables(KNOWN), None)
    unit = Commit(tmp_path)
    pages.stage_dataset(dataset, unit)
    unit.apply()
    for name, content in dataset.files.items():
        assert (tmp_path / dataset.folder / name).read_bytes() == content
        assert (tmp_path / "data" / name).read_bytes() == content
    assert validate(str(tmp_path / links.DATA_PACKAGE)).valid
    assert validate(str(tmp_path / dataset.folder / package.PACKAGE)).valid


def _edition(id_: str, dataset: str) -> editions.Edition:
    return editions.Edition(id_, id_[:10], "Fixture", "inputs", ["timeline.html"], dataset=dataset)


def test_an_edition_links_its_data_edition_only_when_it_is_there(tmp_path):
    edition = _edition("2026-11-25-0123456789", "2026-06-0123456789")
    name = "data/2026-06-0123456789/datapackage.json"
    assert links.edition_package(tmp_path, edition) == ""
    assert links.edition_package(tmp_path, edition, frozenset({name})) == name
    (tmp_path / name).parent.mkdir(parents=True)
    (tmp_path / name).write_text("{}")
    assert links.edition_package(tmp_path, edition) == name
    assert links.edition_package(tmp_path, _edition("2026-11-25-0123456789", "")) == ""
    assert links.edition_package(tmp_path, _edition("2026-11-25-0123456789", "../../etc")) == ""


def test_the_feed_and_the_editions_page_link_each_editions_data(tmp_path):
    older, newer = _edition("2026-11-24-0123456789", "2026-06-aaaaaaaaaa"), _edition("2026-11-25-0123456789", "")
    ledger = editions.Ledger({"timeline": [newer, older]})
    coming = frozenset({"data/2026-06-aaaaaaaaaa/datapackage.json"})
    xml = feed.feed_xml(tmp_path, ledger, ["timeline"], None, coming).decode()
    assert xml.count('rel="related"') == 1
    assert 'href="data/2026-06-aaaaaaaaaa/datapackage.json"' in xml
    page = pages.editions_html(tmp_path, ledger, ["timeline"], coming).decode()
    assert 'href="data/2026-06-aaaaaaaaaa/datapackage.json">Data' in page


def test_retention_removes_only_the_data_editions_no_kept_edition_names(tmp_path):
    for version in ("2026-06-aaaaaaaaaa", "2026-06-bbbbbbbbbb", "2026-06-cccccccccc"):
        folder = tmp_path / "data" / version
        folder.mkdir(parents=True)
        (folder / package.PACKAGE).write_text("{}")
        (folder / "events.csv").write_text("id\n")
    (tmp_path / "data" / "2026-06-cccccccccc" / "notes.txt").write_text("someone's")
    kept = _edition("2026-11-25-0123456789", "2026-06-bbbbbbbbbb")
    dropped = [
        _edition("2026-11-23-0123456789", "2026-06-aaaaaaaaaa"),
        _edition("2026-11-24-0123456789", "2026-06-bbbbbbbbbb"),
        _edition("2026-11-22-0123456789", "2026-06-cccccccccc"),
    ]
    removed = pages.remove_datasets(tmp_path, editions.Ledger({"timeline": [kept]}), dropped, "")
    assert removed == ["2026-06-aaaaaaaaaa", "2026-06-cccccccccc"]
    assert not (tmp_path / "data" / "2026-06-aaaaaaaaaa").exists()
    assert (tmp_path / "data" / "2026-06-bbbbbbbbbb" / "events.csv").is_file()
    assert sorted(p.name for p in (tmp_path / "data" / "2026-06-cccccccccc").iterdir()) == ["notes.txt"]


# --- lunar-report export data ---------------------------------------------------------------


def test_export_writes_a_valid_package_and_sqlite_file(capsys, tmp_path):
    out = tmp_path / "new" / "dataset"
    result = run_cli(capsys, "export", "data", "--data", str(KNOWN), "--out", str(out))
    assert (result.code, result.stdout) == (0, "")
    assert result.stderr == f"data: {len(TABLES) + 2} files written to {out}\n"
    report = validate(str(out / package.PACKAGE))
    assert report.valid and report.stats["errors"] == 0
    tables = package.published_tables(KNOWN)
    connection = sqlite3.connect(out / package.DATABASE)
    for table in TABLES.values():
        count = connection.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]
        assert count == len(package.rows(tables[table.file]))
    before = snapshot(out)
    assert run_cli(capsys, "export", "data", "--data", str(KNOWN), "--out", str(out)).code == 0  # its own folder
    assert snapshot(out) == before  # (the same data, the same bytes: nothing rewritten)


def test_export_refuses_a_folder_it_does_not_own(capsys, tmp_path):
    out = tmp_path / "papers"
    out.mkdir()
    (out / "notes.txt").write_text("someone's work")
    before = snapshot(out)
    result = run_cli(capsys, "export", "data", "--data", str(KNOWN), "--out", str(out))
    assert_refused(result, 2, FOREIGN.format(out=out))
    assert snapshot(out) == before
    assert not (out / MARK_NAME).exists()


def test_export_needs_a_folder(capsys):
    result = run_cli(capsys, "export", "data", "--data", str(KNOWN))
    assert_refused(result, 2, "export data writes a folder: give it with --out FOLDER")


def test_export_of_invalid_data_writes_nothing(capsys, data, tmp_path):
    set_cell(data, "missions.csv", 2, "outcome", "exploded")
    out = tmp_path / "dataset"
    result = run_cli(capsys, "export", "data", "--data", str(data), "--out", str(out))
    assert result.code == 1
    assert result.stderr.splitlines()[-1] == "error: 1 problem in the data; fix it and run again"
    assert not out.exists()


def test_export_into_a_rendered_folder_is_allowed(capsys, tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / MARK_NAME).write_text("ours")
    assert run_cli(capsys, "export", "data", "--data", str(KNOWN), "--out", str(out)).code == 0
    assert (out / package.PACKAGE).is_file()
    assert (out / "events.csv").read_bytes() == package.published_tables(KNOWN)["events.csv"]
