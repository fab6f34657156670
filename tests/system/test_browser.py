"""The rendered HTML as a reader's browser sees it: offline, error-free, navigable, described, visible.

Each report page and index.html is opened once in headless Chromium (offline, every non-file
request recorded and refused); the tests below check what was recorded.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from lunar_report.pipeline.config.reports import load_reports

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
REPORTS = [spec.name for spec in load_reports()]
CLAIM_PAGE = "claims/claim-six-sections"  # one claim's own page (every claim page comes from one template)
PAGES = [*REPORTS, "index", "editions", CLAIM_PAGE]
# What nbconvert and our template write when a figure has no description: present, but says nothing.
PLACEHOLDER_ALTS = {"figure", "no description has been provided for this image"}

_SCROLL_TO_EACH_IMAGE = """async () => {
  for (const img of document.images) { img.scrollIntoView(); await img.decode().catch(() => null); }
  window.scrollTo(0, 0);
}"""

_TOC_LINKS = """() => {
  const nav = document.querySelector('nav.lr-toc');
  if (!nav) return null;
  return Array.from(nav.querySelectorAll('a')).map(a => {
    const href = a.getAttribute('href') || '';
    const target = href.startsWith('#') ? document.getElementById(decodeURIComponent(href.slice(1))) : null;
    const heading = target ? target.closest('h1, h2, h3, h4, h5, h6') : null;
    return {
      href: href,
      text: a.textContent.trim(),
      found: target !== null,
      heading: heading ? heading.tagName.toLowerCase() : null,
      heading_text: heading ? heading.textContent.replace(/¶/g, '').trim() : null,
      in_toc: target !== null && nav.contains(target),
    };
  });
}"""

_SECTION_HEADINGS = """() => Array.from(document.querySelectorAll('h2[id], h3[id]'))
  .filter(h => !h.closest('nav.lr-toc, header.lr-header'))
  .map(h => '#' + h.id)"""

_IN_PAGE_LINKS = """() => Array.from(document.querySelectorAll('a[href^="#"]'))
  .map(a => a.getAttribute('href'))
  .filter(href => href.length > 1 && document.getElementById(decodeURIComponent(href.slice(1))) === null)"""

_DUPLICATE_IDS = """() => {
  const seen = new Map();
  document.querySelectorAll('[id]').forEach(el => seen.set(el.id, (seen.get(el.id) || 0) + 1));
  return Array.from(seen).filter(([id, n]) => n > 1).map(([id, n]) => id);
}"""

_FIGURES = """() => Array.from(document.querySelectorAll('img, svg'))
  .filter(el => el.tagName.toLowerCase() === 'img' || !el.parentElement || !el.parentElement.closest('svg'))
  .map(el => {
    const title = el.tagName.toLowerCase() === 'svg' ? el.querySelector(':scope > title') : null;
    return {
      tag: el.tagName.toLowerCase(),
      alt: (el.getAttribute('alt') || '').trim(),
      label: (el.getAttribute('aria-label') || '').trim(),
      title: ((el.getAttribute('title') || '') || (title ? title.textContent : '')).trim(),
      loaded: el.tagName.toLowerCase() === 'img' ? (el.complete && el.naturalWidth > 0) : true,
      src: (el.getAttribute('src') || '').slice(0, 40),
    };
  })"""

_LINKS = """() => Array.from(document.querySelectorAll('a[href]')).map(a => [a.getAttribute('href'), a.href])"""


@dataclass
class Visit:
    """What happened while one page loaded, and what its DOM holds."""

    external: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    toc: list[dict] | None = None
    sections: list[str] = field(default_factory=list)
    broken_in_page: list[str] = field(default_factory=list)
    duplicate_ids: list[str] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    links: list[list[str]] = field(default_factory=list)
    screenshot: bytes = b""
    reading: dict = field(default_factory=dict)  # what `readings` records, at the visit's 1280 px


def _launch(playwright):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need it. Run `make test`, which installs it.")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)


def _visit(browser, path: Path, axe: str) -> Visit:
    """Load `path` once: what the visit tests check, then the 1280 px reading (axe-core's run last)."""
    visit = Visit()

    def record(url: str) -> None:
        if not url.startswith(("file://", "data:")) and url not in visit.external:
            visit.external.append(url)

    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()

        def only_files(route):
            if route.request.url.startswith("file://"):
                route.continue_()
            else:
                record(route.request.url)
                route.abort()

        page.route("**/*", only_files)
        # Routing sees what the page fetches; the request event also sees what routing might not.
        page.on("request", lambda r: record(r.url))
        page.on("requestfailed", lambda r: visit.failed.append(f"{r.url}: {r.failure}"))
        page.on("console", lambda m: visit.errors.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: visit.errors.append(f"page error: {e}"))
        page.goto(path.as_uri(), wait_until="load")
        visit.toc = page.evaluate(_TOC_LINKS)
        visit.sections = page.evaluate(_SECTION_HEADINGS)
        visit.broken_in_page = page.evaluate(_IN_PAGE_LINKS)
        visit.duplicate_ids = page.evaluate(_DUPLICATE_IDS)
        page.evaluate(_SCROLL_TO_EACH_IMAGE)  # lazy pictures (the front page's) load when scrolled to
        visit.figures = page.evaluate(_FIGURES)
        visit.links = page.evaluate(_LINKS)
        visit.screenshot = page.screenshot(full_page=True)
        recorded = (list(visit.external), list(visit.failed), list(visit.errors))
        visit.reading = _read(page, axe)
        visit.external, visit.failed, visit.errors = recorded  # what the page did, not axe-core's run
    finally:
        context.close()
    return visit


@pytest.fixture(scope="module")
def visits(rendered_reports) -> dict[str, Visit]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: run `make test`, which installs the test dependencies.")
    axe = _axe_script()
    with sync_playwright() as playwright:
        browser = _launch(playwright)
        try:
            return {name: _visit(browser, rendered_reports / f"{name}.html", axe) for name in PAGES}
        finally:
            browser.close()


@pytest.mark.parametrize("page", PAGES)
def test_page_makes_no_request_off_the_disk(visits, page):
    assert visits[page].external == [], f"{page}.html fetched from the network (a reader offline sees it broken)"


@pytest.mark.parametrize("page", PAGES)
def test_no_request_fails(visits, page):
    assert visits[page].failed == []


@pytest.mark.parametrize("page", PAGES)
def test_no_console_or_script_errors(visits, page):
    assert visits[page].errors == []


@pytest.mark.parametrize("page", REPORTS)
def test_every_contents_link_leads_to_its_heading(visits, page):
    toc = visits[page].toc
    assert toc, f"{page}.html has no table of contents (nav.lr-toc) or it is empty"
    for link in toc:
        assert link["href"].startswith("#") and len(link["href"]) > 1, link
        assert link["found"], f"contents link {link['href']} points to no element"
        assert link["heading"] in {"h1", "h2", "h3", "h4", "h5", "h6"}, f"{link['href']} is not a heading: {link}"
        assert not link["in_toc"], f"{link['href']} points into the table of contents itself"
        assert link["heading_text"] == link["text"], (
            f"contents entry {link['text']!r} leads to {link['heading_text']!r}"
        )


@pytest.mark.parametrize("page", REPORTS)
def test_contents_lists_every_section(visits, page):
    listed = [link["href"] for link in visits[page].toc or []]
    assert visits[page].sections, f"{page}.html has no h2/h3 sections"
    assert listed == visits[page].sections


@pytest.mark.parametrize("page", PAGES)
def test_in_page_links_resolve_and_ids_are_unique(visits, page):
    assert visits[page].broken_in_page == [], "links to #ids no element has"
    assert visits[page].duplicate_ids == [], "ids used twice: links to them reach only the first"


@pytest.mark.parametrize("page", PAGES)
def test_every_figure_is_described_and_shown(visits, page):
    for figure in visits[page].figures:
        description = figure["alt"] or figure["label"] or figure["title"]
        assert description, f"figure without alt text, aria-label or title: {figure}"
        assert description.lower() not in PLACEHOLDER_ALTS, f"figure with a placeholder description: {figure}"
        assert figure["loaded"], f"figure that does not display: {figure}"


def test_the_figure_check_sees_figures(visits):
    assert sum(len(visits[name].figures) for name in REPORTS) > 0, "no report figure found: the check above saw nothing"


def test_index_links_resolve_to_files(visits, rendered_reports):
    links = visits["index"].links
    targets = {}
    for href, absolute in links:
        url = urlparse(absolute)
        assert url.scheme == "file", f"index.html links off the disk: {href}"
        targets[href] = Path(unquote(url.path))
    missing = {href: str(path) for href, path in targets.items() if not path.is_file()}
    assert missing == {}, "index.html links to files that do not exist"
    for name in REPORTS:
        assert {f"{name}.html", f"{name}.pdf"} <= set(targets), f"index.html does not link both files of {name}"


@pytest.mark.parametrize("page", PAGES)
def test_site_links_resolve_to_files(visits, page):
    """The site navigation: every link the browser resolves off the page is a file on the disk."""
    missing = []
    for href, absolute in visits[page].links:
        url = urlparse(absolute)
        if url.scheme == "file" and not Path(unquote(url.path)).is_file():
            missing.append(href)
    assert missing == [], f"{page}.html links to files that do not exist"
    assert any(href.endswith("index.html") for href, _ in visits[page].links), f"{page}.html does not link the index"


@pytest.mark.parametrize("page", PAGES)
def test_page_is_not_blank(visits, page):
    import numpy as np
    from PIL import Image

    image = Image.open(io.BytesIO(visits[page].screenshot)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 32, f"{page}.html shows only {len(colours)} colours"
    pixels = np.asarray(image)
    inked = float((pixels.min(axis=2) < 200).mean())
    assert inked > 0.01, f"{page}.html is nearly blank: {inked:.2%} of its pixels are not light"


# --- a reader at 1280 and 390 px: no sideways scroll, no axe-core violation, findings first --------------

AXE = Path(__file__).resolve().parents[1] / "browser" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
WIDTHS = (1280, 390)
FIRST_SCREEN = 800  # px: the first key finding shows without scrolling on a laptop
_READ = """() => {
  const finding = document.querySelector('.lr-findings li');
  return {
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
    finding: finding ? finding.getBoundingClientRect().top + window.scrollY : null,
  };
}"""


def _reader_pages(out: Path) -> dict[str, Path]:
    from lunar_report.pipeline.store.editions import load_ledger

    pages = {name: out / f"{name}.html" for name in [*PAGES, "build", "search"]}
    edition = load_ledger(out).history("claims")[0]
    pages["an edition's copy"] = out / edition.folder / "claims.html"
    return pages


def _axe_script() -> str:
    if not AXE.is_file():
        pytest.fail(
            f"{AXE} is missing: run `make test` (scripts/system-deps.sh test installs tests/browser's npm packages)"
        )
    return AXE.read_text(encoding="utf-8")


def _read(page, axe: str) -> dict:
    """The page's widths and first finding as loaded, then axe-core's violations."""
    reading = page.evaluate(_READ)
    page.add_script_tag(content=axe)
    result = page.evaluate(f"axe.run(document, {{runOnly: {{type: 'tag', values: {AXE_TAGS}}}}})")
    reading["violations"] = [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} {v['help']}" for v in result["violations"]
    ]
    return reading


@pytest.fixture(scope="module")
def readings(rendered_reports, visits) -> dict[tuple[str, int], dict]:
    """Each reader page at each width; at 1280 px the pages `visits` loaded are read there (one load each)."""
    from playwright.sync_api import sync_playwright

    script = _axe_script()
    found = {(name, WIDTHS[0]): visit.reading for name, visit in visits.items()}
    with sync_playwright() as playwright:
        browser = _launch(playwright)
        try:
            for width in WIDTHS:
                context = browser.new_context(offline=True, viewport={"width": width, "height": 900})
                page = context.new_page()
                for name, path in _reader_pages(rendered_reports).items():
                    if (name, width) not in found:
                        page.goto(path.as_uri(), wait_until="load")
                        found[name, width] = _read(page, script)
                context.close()
        finally:
            browser.close()
    return found


READER_PAGES = [*PAGES, "build", "search", "an edition's copy"]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", READER_PAGES)
def test_no_sideways_scroll(readings, page, width):
    reading = readings[page, width]
    assert reading["scroll"] <= reading["client"], f"{page} scrolls sideways at {width} px: {reading}"
    assert reading.get("menu open", 0) <= reading["client"], f"{page} scrolls sideways with its menu open"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", READER_PAGES)
def test_axe_finds_no_violation(readings, page, width):
    assert readings[page, width]["violations"] == []


@pytest.mark.parametrize("page", REPORTS)
def test_the_first_key_finding_is_on_the_first_screen(readings, page):
    top = readings[page, 1280]["finding"]
    assert top is not None, f"{page}.html has no key findings"
    assert top < FIRST_SCREEN, f"{page}.html: the first key finding starts at {top:.0f} px"


@pytest.mark.parametrize("page", [*PAGES, "build", "search"])
def test_no_page_weighs_more_than_400_kb(rendered_reports, page):
    """The page with everything it loads from the disk (its images), as a reader downloads it."""
    path = rendered_reports / f"{page}.html"
    markup = path.read_text(encoding="utf-8")
    loaded = sum((rendered_reports / src).stat().st_size for src in set(re.findall(r'src="([^":]+)"', markup)))
    assert path.stat().st_size + loaded <= 400_000


@pytest.mark.parametrize("page", [*PAGES, "build", "search"])
def test_each_page_carries_one_small_stylesheet(rendered_reports, page):
    styles = re.findall(
        r"<style[^>]*>(.*?)</style>", (rendered_reports / f"{page}.html").read_text(encoding="utf-8"), re.S
    )
    assert len(styles) == 1 and len(styles[0].encode()) <= 40_000
