"""The output folder's index page (site/index.py): configured reports in order, links only to files that exist."""

from __future__ import annotations

from pathlib import Path

from lunar_report.pipeline.site import index
from lunar_report.pipeline.store.editions import Ledger
from lunar_report.pipeline.store.manifest import Entry, Output, Status

# --- index -----------------------------------------------------------------------------------------------


def entry(status=Status.RENDERED, configured=True, **fields) -> Entry:
    base = dict(title="Title", as_of="2026-11-25", parameters={}, configured=configured)
    return Entry(status, **{**base, **fields})


def page(entries: dict[str, Entry], configured: list[str], out: Path) -> str:
    """The build page: the table of every report's as-of date, parameters, fingerprint and files."""
    return index.index_pages(entries, configured, out, Ledger())["build.html"].decode("utf-8")


def test_the_index_lists_only_configured_reports_in_order(tmp_path):
    entries = {"b": entry(title="Bee"), "a": entry(title="Ay"), "removed": entry(title="No longer configured")}
    html = page(entries, ["b", "a", "not-rendered-yet"], tmp_path)
    assert html.index("Bee") < html.index("Ay")
    assert "No longer configured" not in html and "not-rendered-yet" not in html


def test_the_index_links_only_files_that_exist(tmp_path):
    (tmp_path / "t.html").write_bytes(b"x")
    html = page({"t": entry()}, ["t"], tmp_path)
    assert 'href="t.html"' in html and 't.pdf"' not in html


def test_a_failed_first_render_has_no_report_links(tmp_path):
    html = page({"t": entry(Status.FAILED, error="boom")}, ["t"], tmp_path)
    assert 'href="t.html"' not in html and 'href="t.pdf"' not in html and "_failed/" not in html
    assert "not rendered yet" in html
    (tmp_path / index.FAILED_DIR).mkdir()
    (tmp_path / index.FAILED_DIR / "t.html").write_bytes(b"x")
    html = page({"t": entry(Status.FAILED, error="boom")}, ["t"], tmp_path)
    assert '<a class="failed" href="_failed/t.html">failed: see why</a>' in html
    assert 'href="t.html"' not in html and 'href="t.pdf"' not in html


def test_the_one_off_section_shows_parameters_escaped(tmp_path):
    entries = {"t": entry(), "t-custom": entry(configured=False, title="<b>T</b>", parameters={"mission": "change-6"})}
    html = page(entries, ["t"], tmp_path)
    one_off = html.split("<h2>One-off renders</h2>", 1)[1]
    assert "<code>mission = change-6</code>" in one_off and "t-custom" in one_off
    assert "&lt;b&gt;T&lt;/b&gt;" in one_off and "<b>T</b>" not in html
    assert "One-off renders" not in page({"t": entry()}, ["t"], tmp_path)


def test_the_index_is_a_function_of_its_inputs(tmp_path):
    entries = {"t": entry(outputs={"t.html": Output("a", "f" * 64)})}
    assert page(entries, ["t"], tmp_path) == page(entries, ["t"], tmp_path)
    assert "<code>ffffffffffff</code>" in page(entries, ["t"], tmp_path)


def test_the_index_shows_the_html_fingerprint_when_formats_differ(tmp_path):
    outputs = {"t.pdf": Output("a", "p" * 64), "t.html": Output("b", "h" * 64)}
    html = page({"t": entry(outputs=outputs)}, ["t"], tmp_path)
    assert "<code>hhhhhhhhhhhh</code>" in html and "pppp" not in html
