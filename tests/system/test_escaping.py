"""Hostile text in the data reaches the reader literally: escaped in the HTML, typeset as written in the PDF.

One event of a copy of data/ gets a title and a note full of HTML and LaTeX specials; the
timeline report shows the title in its chronology table and the note in a sentence (the event
is the one announcing the stated number of ILRS partners). Report names that would leave the
output folder are refused by config.py: tests/test_config.py covers that.
"""

from __future__ import annotations

import csv
import html
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from lunar_report import paths
from lunar_report.analysis import timeline
from lunar_report.facts.load import load_facts
from lunar_report.facts.validate import validate_data
from lunar_report.pipeline.config.reports import load_reports, select
from lunar_report.pipeline.config.settings import RenderOptions
from lunar_report.pipeline.run.render import render_reports

pytestmark = pytest.mark.slow

AS_OF = date(2026, 11, 25)
CHROMIUM = Path("/usr/bin/chromium")
HOSTILE = r'<script>alert("x")</script> & 100% _under_ #hash $dollar$ {brace} back\slash ~tilde ^caret'
NOTE = "Note: " + HOSTILE
# Each special character as a reader must see it: LaTeX's escapes (\textbackslash{}, \textasciitilde{},
# \^{}) print the character itself, and a straight quote stays straight.
READER_SEES = [
    "<script>",
    'alert("x")',
    "</script>",
    "&",
    "100%",
    "_under_",
    "#hash",
    "$dollar$",
    "{brace}",
    "back\\slash",
    "~tilde",
    "^caret",
]


def shown_event(data_dir: Path) -> str:
    """The event whose title the chronology lists and whose note a sentence quotes."""
    facts = load_facts(data_dir)
    stated = timeline.stated_partner_count(facts)
    event = timeline.announcing_event(facts, stated) if stated is not None else None
    assert event is not None, "no event announces the partner count: pick another event whose note is shown"
    return str(event["id"])


def set_event_fields(events_csv: Path, event_id: str, **fields: str) -> None:
    with events_csv.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        header, rows = reader.fieldnames, list(reader)
    assert set(fields) <= set(header), f"events.csv has no column {set(fields) - set(header)}"
    changed = [row.update(fields) for row in rows if row["id"] == event_id]
    assert len(changed) == 1, f"event {event_id} not found once in events.csv"
    with events_csv.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def hostile_render(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(paths.data_dir(), data)
    set_event_fields(data / "events.csv", shown_event(data), title=HOSTILE, note=NOTE)
    validate_data(data)  # still a valid fact base: only free text changed
    out = root / "out"
    outcomes = render_reports(
        select(load_reports(), ("timeline",)), RenderOptions(out_dir=out, data_dir=data, as_of=AS_OF)
    )
    assert [(o.status, o.message) for o in outcomes] == [("rendered", "")]
    return out


def test_html_escapes_the_text(hostile_render):
    page = (hostile_render / "timeline.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in page
    assert page.count(html.escape(HOSTILE, quote=False)) >= 2, "title (chronology) and note (sentence) both shown"
    assert not re.search(r"<script\b[^>]*>\s*alert", page, re.I)


def test_browser_shows_the_text_and_runs_nothing(hostile_render):
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need it. Run `make test`, which installs it.")
    dialogs = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            page = browser.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto((hostile_render / "timeline.html").as_uri(), wait_until="load")
            cells = page.eval_on_selector_all("table.lr-table td", "cells => cells.map(c => c.textContent)")
            body = page.inner_text("body")
            scripts = page.eval_on_selector_all("script", "nodes => nodes.map(n => n.textContent)")
        finally:
            browser.close()
    assert dialogs == []
    assert HOSTILE in cells
    assert f"“{NOTE}”" in body
    assert not any("alert" in script for script in scripts)


def test_pdf_shows_the_characters_literally(hostile_render):
    text = "\n".join(page.extract_text() for page in PdfReader(hostile_render / "timeline.pdf").pages)
    squashed = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", f"“{NOTE}”") in squashed, "the note, quoted in a sentence, reads as written"
    for token in READER_SEES:
        assert squashed.count(token) >= 2, f"{token!r} not shown as written in the chronology and the note"
    assert "”x”" not in squashed and "\\textbackslash" not in text and "\\^" not in text
