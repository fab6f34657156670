"""The rendered site as an edited publication, read at 390 px (a phone) and 1280 px (a laptop).

Figures: their smallest text, labels that do not overlap (each figure's SVG laid out at the width the
page shows it, its text boxes compared), the data view and CSV beside each. Sources: their share of a
report's height on a phone. Tables: none of a report's scrolls sideways on a phone. Words: no row id,
command, hash or parameter list in a reader's text. Claim pages: a reading measure. Front page: every
report within two screens of a phone.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from lunar_report import paths
from lunar_report.facts.load import load_facts
from lunar_report.pipeline.config.reports import load_reports

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
REPORTS = [spec.name for spec in load_reports()]
CLAIM_PAGE = "claims/claim-six-sections"
PAGES = [*REPORTS, "index", CLAIM_PAGE]
WIDTHS = (390, 1280)
SCREEN = 844  # px: a 390 px phone's screen height (iPhone 12 to 15)
SMALLEST_TEXT = {390: 11.0, 1280: 12.0}  # px of a figure's smallest text as shown
SOURCES_SHARE = 0.2  # of a report's height on a phone, at most
MEASURE = 75  # characters a line on a claim's page, at most

_FIGURES = """async () => {
  const found = [];
  for (const img of document.querySelectorAll('figure.lr-figure img')) {
    const source = img.currentSrc || img.src;
    const markup = await (await fetch(source)).text();
    const holder = document.createElement('div');
    holder.style.cssText = `position:absolute;left:0;top:0;width:${img.clientWidth}px;visibility:hidden`;
    holder.innerHTML = markup.replace(/^<\\?xml[^>]*>/, '').replace(/<!DOCTYPE[^>]*>/, '');
    document.body.appendChild(holder);
    const svg = holder.querySelector('svg');
    const box = svg.viewBox.baseVal;
    svg.setAttribute('width', img.clientWidth);
    svg.setAttribute('height', img.clientWidth * box.height / box.width);
    const scale = img.clientWidth / box.width;
    const texts = Array.from(svg.querySelectorAll('text')).filter(t => t.textContent.trim()).map(t => {
      const r = t.getBoundingClientRect();
      return {text: t.textContent, x: r.left, y: r.top, w: r.width, h: r.height,
              size: parseFloat(getComputedStyle(t).fontSize) * scale};
    });
    holder.remove();
    const next = img.closest('figure').nextElementSibling;
    const view = next && next.classList.contains('lr-figdata') ? next : null;
    found.push({
      alt: img.alt, phone: source !== img.src, texts: texts,
      rows: view ? view.querySelectorAll('details tbody tr').length : null,
      csv: view && view.querySelector('a[download]') ? view.querySelector('a[download]').getAttribute('href') : null,
    });
  }
  return found;
}"""

_READ = """() => {
  const box = document.querySelector('.lr-sources-box');
  const main = document.querySelector('main');
  const zero = document.createElement('span');
  zero.textContent = '0';
  main.appendChild(zero);
  const ch = zero.getBoundingClientRect().width;
  zero.remove();
  const longest = Array.from(main.querySelectorAll('p, li, blockquote')).reduce(
    (widest, el) => Math.max(widest, el.getBoundingClientRect().width), 0);
  return {
    height: document.documentElement.scrollHeight,
    sources: box ? box.getBoundingClientRect().height : null,
    sideways: Array.from(document.querySelectorAll('.lr-scroll table.lr-table'))
      .filter(t => !t.closest('details:not([open])'))
      .filter(t => t.parentElement.scrollWidth > t.parentElement.clientWidth + 1)
      .map(t => (t.caption ? t.caption.textContent : '?')),
    text: main.innerText,
    measure: ch ? longest / ch : null,
    reports: Array.from(document.querySelectorAll('.lr-reports h3 a'))
      .map(a => a.getBoundingClientRect().bottom + window.scrollY),
  };
}"""


@pytest.fixture(scope="module")
def read(rendered_reports) -> dict[tuple[str, int], dict]:
    """Each page at each width: its figures measured and its layout read (offline, as a reader opens it)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: run `make test`, which installs the test dependencies.")
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need it. Run `make test`, which installs it.")
    found: dict[tuple[str, int], dict] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            for width in WIDTHS:
                context = browser.new_context(offline=True, viewport={"width": width, "height": SCREEN})
                page = context.new_page()
                for name in PAGES:
                    page.goto((rendered_reports / f"{name}.html").as_uri(), wait_until="load")
                    found[name, width] = {**page.evaluate(_READ), "figures": page.evaluate(_FIGURES)}
                context.close()
        finally:
            browser.close()
    return found


def overlapping(texts: list[dict]) -> list[tuple[str, str]]:
    """Pairs of text boxes that overlap by more than a sliver (2 px each way)."""

    def clash(a: dict, b: dict) -> bool:
        across = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
        down = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
        return across > 2 and down > 2

    return [(a["text"], b["text"]) for a, b in itertools.combinations(texts, 2) if clash(a, b)]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", REPORTS)
def test_figure_text_reads_at_this_width(read, name, width):
    figures = read[name, width]["figures"]
    assert figures, f"{name} shows no figure"
    for figure in figures:
        assert figure["phone"] is (width < 640), "a phone gets the figure drawn for it, a laptop the column's"
        smallest = min(figure["texts"], key=lambda text: text["size"])
        assert smallest["size"] >= SMALLEST_TEXT[width], f"{figure['alt']}: {smallest['text']!r} is too small"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", REPORTS)
def test_figure_labels_do_not_overlap(read, name, width):
    for figure in read[name, width]["figures"]:
        assert overlapping(figure["texts"]) == [], figure["alt"]


def test_the_overlap_check_sees_an_overlap():
    label = {"x": 0, "y": 0, "w": 30, "h": 12}
    assert overlapping([{**label, "text": "30 g"}, {**label, "x": 20, "text": "55 g"}]) == [("30 g", "55 g")]
    assert overlapping([{**label, "text": "30 g"}, {**label, "x": 31, "text": "55 g"}]) == []


@pytest.mark.parametrize("name", REPORTS)
def test_every_figure_offers_its_numbers_as_a_table_and_a_csv(read, name):
    for figure in read[name, 1280]["figures"]:
        assert figure["rows"], f"{figure['alt']}: no data table under the figure"
        assert figure["csv"] and figure["csv"].startswith("data:text/csv;charset=utf-8,"), figure["alt"]
        rows = list(csv.reader(io.StringIO(unquote(figure["csv"].split(",", 1)[1]))))
        assert len(rows) - 1 == figure["rows"], f"{figure['alt']}: the CSV holds the rows the table shows"


@pytest.mark.parametrize("name", REPORTS)
def test_sources_take_at_most_a_fifth_of_a_report_on_a_phone(read, name):
    page = read[name, 390]
    assert page["sources"] is not None, f"{name} has no list of sources"
    assert page["sources"] / page["height"] <= SOURCES_SHARE


def test_a_citation_opens_the_closed_list_of_sources(rendered_reports):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        page = browser.new_page(viewport={"width": 390, "height": SCREEN})
        page.goto((rendered_reports / "timeline.html").as_uri())
        assert page.evaluate("document.querySelector('.lr-sources-box').open") is False, "long: closed on a phone"
        page.click('a[href="#source-1"]')
        assert page.evaluate("document.querySelector('.lr-sources-box').open") is True
        assert page.evaluate("document.getElementById('source-1').getBoundingClientRect().height") > 0
        browser.close()


@pytest.mark.parametrize("name", REPORTS)
def test_no_table_of_a_report_scrolls_sideways_on_a_phone(read, name):
    assert read[name, 390]["sideways"] == []


def _ids() -> set[str]:
    """Every row id of the fact base long enough to be told from a word ("claim-six-sections", "tass-1283825")."""
    facts = load_facts(paths.data_dir())
    tables = [facts.sources, facts.events, facts.claims, facts.missions, facts.figures, facts.statements]
    return {str(i) for table in tables for i in table["id"] if "-" in str(i) and len(str(i)) >= 8}


FOR_US = re.compile(r"lunar-report audit|ClaimReview|Parameters:|\b[0-9a-f]{10,40}\b|<claim id>")
ADDRESS = re.compile(r"https?://\S+")
CITED_EDITION = re.compile(r"data edition [0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9a-f]{10}\b")  # what a citation must name


@pytest.mark.parametrize("name", PAGES)
def test_readers_text_has_no_ids_commands_or_hashes(read, name):
    text = ADDRESS.sub(" ", read[name, 1280]["text"])  # an address shown as one may hold anything
    text = CITED_EDITION.sub(" ", text)
    assert FOR_US.findall(text) == []
    words = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", text))
    assert sorted(words & _ids()) == [], "row ids in a reader's text"


def test_a_claims_page_is_set_at_a_reading_measure(read):
    assert read[CLAIM_PAGE, 1280]["measure"] <= MEASURE


def test_a_phone_reaches_every_report_from_the_front_page_within_two_screens(read):
    bottoms = read["index", 390]["reports"]
    assert len(bottoms) == len(REPORTS)
    assert max(bottoms) <= 2 * SCREEN
