"""A living publication: editions, the What-changed section, the feed, the site and the combined PDF.

The acceptance scenario renders the timeline as of one day (twice, into two folders), adds a partner
joining to a copy of the data, renders as of the next day, then again with nothing changed, then with
--force (HTML only: the PDF's bytes across renders are compared by the two first renders).
"""

from __future__ import annotations

import csv
import hashlib
import html
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from pypdf import PdfReader
from test_pdf_reader import KEY_FACTS

from helpers import pdf_text
from lunar_report.pipeline.config.reports import load_reports
from lunar_report.pipeline.config.settings import RenderOptions
from lunar_report.pipeline.run.render import render_reports
from lunar_report.pipeline.store.editions import load_ledger

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[2]
ATOM = "{http://www.w3.org/2005/Atom}"
DAY_1, DAY_2 = date(2026, 11, 25), date(2026, 11, 26)
PARTNERS = "Partner countries with a dated government-level joining"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag in ("a", "link") and values.get("href"):
            self.links.append(values["href"])


def _parsed(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def site_links(start: Path) -> dict[Path, list[tuple[str, Path]]]:
    """The HTML pages reachable from `start` by relative links to pages of the site (its folder), each with its
    relative links: the href and the file it names."""
    root = start.resolve().parent
    pages: dict[Path, list[tuple[str, Path]]] = {}
    queue = [start.resolve()]
    while queue:
        page = queue.pop()
        if page in pages:
            continue
        pages[page] = []
        for href in _parsed(page).links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # off-site, or a link within the page (the browser tests check those)
            target = (page.parent / unquote(parts.path)).resolve()
            pages[page].append((href, target))
            if root in target.parents and target.suffix == ".html" and target.is_file():
                queue.append(target)
    return pages


def broken_links(start: Path) -> list[str]:
    """Every relative link of every HTML page reachable from `start` whose file (or #anchor) does not exist."""
    broken = []
    root = start.resolve().parent
    for page, links in site_links(start).items():
        for href, target in links:
            where = f"{page.relative_to(root)}: {href}"
            fragment = urlsplit(href).fragment
            if root not in target.parents and target != root:
                broken.append(f"{where} leaves the site")
            elif not target.is_file():
                broken.append(f"{where} does not exist")
            elif target.suffix == ".html" and fragment and fragment not in _parsed(target).ids:
                broken.append(f"{where} has no such anchor")
    return sorted(broken)


def pages_reached(start: Path) -> set[str]:
    return {page.relative_to(start.resolve().parent).as_posix() for page in site_links(start)}


def state(folder: Path) -> dict[str, tuple[int, str]]:
    """Every file under `folder` (the lock aside): its mtime and digest."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lunar-report.lock"
    }


def text_of(page: str) -> str:
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def change_section(page: str) -> str:
    """The text of the report's What-changed section (up to the next section heading)."""
    found = re.search(r'<h2 id="What-changed-since-the-previous-edition">(.*?)<h2 ', page, re.S)
    assert found, "the report has no What-changed section"
    return text_of(found.group(1))


def add_kyrgyzstan(events_csv: Path) -> None:
    """A partner-joining row shaped like Senegal's: Kyrgyzstan's government joins on 10 June 2025."""
    with events_csv.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    senegal = next(i for i, row in enumerate(rows) if row["id"] == "ilrs-join-senegal")
    kyrgyzstan = {key: "" for key in rows[0]}
    kyrgyzstan.update(
        id="ilrs-join-kyrgyzstan", start="2025-06-10", precision="day", timezone="Asia/Shanghai",
        title="Kyrgyzstan joins the ILRS", category="partner", milestone="joining", actors="Kyrgyzstan",
        scope="government", source=rows[senegal]["source"], inferred="false",
    )  # fmt: skip
    rows.insert(senegal + 1, kyrgyzstan)
    with events_csv.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@dataclass
class Scenario:
    out: Path
    day_1_edition: str
    day_1_page: bytes
    day_1_files: dict[str, str]
    twin_files: dict[str, str]
    statuses: list[list[str]]
    before_unchanged: dict[str, tuple[int, str]]
    after_unchanged: dict[str, tuple[int, str]]
    after_force: dict[str, tuple[int, str]]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> Scenario:
    folder = tmp_path_factory.mktemp("publication")
    data = folder / "data"
    shutil.copytree(PROJECT / "data", data)
    title = next(s.title for s in load_reports() if s.name == "timeline")
    config = folder / "reports.toml"
    notebook = PROJECT / "notebooks" / "timeline.ipynb"
    config.write_text(f'[[report]]\nname = "timeline"\nnotebook = "{notebook}"\ntitle = "{title}"\n', encoding="utf-8")
    specs, out = load_reports(config), folder / "out"

    def render(day: date, force: bool = False, into: Path = out, **options) -> list[str]:
        return [o.status for o in render_reports(specs, RenderOptions(into, data, day, force=force, **options))]

    statuses = [render(DAY_1)]
    (edition,) = load_ledger(out).history("timeline")
    day_1_page = (out / edition.folder / "timeline.html").read_bytes()
    twin = folder / "twin"
    render(DAY_1, into=twin)
    day_1_files, twin_files = published_files(out), published_files(twin)
    add_kyrgyzstan(data / "events.csv")
    statuses.append(render(DAY_2))
    before = state(out)
    statuses.append(render(DAY_2))
    after = state(out)
    statuses.append(render(DAY_2, force=True, formats=("html",)))
    return Scenario(out, edition.id, day_1_page, day_1_files, twin_files, statuses, before, after, state(out))


def published_files(folder: Path) -> dict[str, str]:
    """The digest of each HTML page and PDF at the top of an output folder."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.suffix in (".html", ".pdf")
    }


def test_same_inputs_in_another_folder_give_identical_bytes(scenario):
    site = {"index.html", "build.html", "search.html", "editions.html", "lunar-report.pdf"}
    assert set(scenario.day_1_files) == {"timeline.html", "timeline.pdf", *site}
    assert scenario.twin_files == scenario.day_1_files


def test_renders_the_day_1_and_day_2_editions_then_skips(scenario):
    assert scenario.statuses == [["rendered"], ["rendered"], ["up to date"], ["rendered"]]
    assert [e.as_of for e in load_ledger(scenario.out).history("timeline")] == ["2026-11-26", "2026-11-25"]


def test_the_change_section_names_the_new_row_and_the_moved_partner_count(scenario):
    section = change_section((scenario.out / "timeline.html").read_text(encoding="utf-8"))
    assert section.startswith(
        "What changed since the previous edition ¶ Compared with the previous edition, as of 25 November 2026:"
    )
    assert "Kyrgyzstan joins the ILRS (10 June 2025) was added." in section
    moved = re.search(rf"{PARTNERS}: (\d+) → (\d+)\.", section)
    assert moved, f"the partner count is not listed: {section}"
    assert int(moved.group(2)) == int(moved.group(1)) + 1
    text = " ".join(pdf_text(scenario.out / "timeline.pdf").split())
    assert "Kyrgyzstan joins the ILRS (10 June 2025) was added." in text


def test_the_previous_edition_is_kept_with_its_old_text(scenario):
    kept = scenario.out / "editions" / scenario.day_1_edition
    page = (kept / "timeline.html").read_bytes()
    assert page == scenario.day_1_page, "a kept edition is never rewritten"
    words = text_of(page.decode("utf-8"))
    assert "As of 25 November 2026" in words
    assert "This is the first edition of this report" in words
    assert "Kyrgyzstan" not in words
    assert "This is the edition as of 25 November 2026, kept as it was published." in words
    assert (kept / "timeline.pdf").is_file()
    current = (scenario.out / "timeline.html").read_text(encoding="utf-8")
    assert f'href="editions/{scenario.day_1_edition}/timeline.html"' in current


def test_the_feed_has_two_entries_for_the_timeline(scenario):
    root = ET.parse(scenario.out / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "link", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    assert [e.find(f"{ATOM}updated").text for e in entries] == ["2026-11-26T00:00:00Z", "2026-11-25T00:00:00Z"]
    assert "Kyrgyzstan joins the ILRS (10 June 2025) was added." in entries[0].find(f"{ATOM}summary").text
    for entry in entries:
        assert entry.find(f"{ATOM}title").text.startswith(
            "China–Russia lunar cooperation: the timeline — edition as of "
        )
        assert (scenario.out / entry.find(f"{ATOM}link").get("href")).is_file()
    assert '<link rel="alternate" type="application/atom+xml"' in (scenario.out / "index.html").read_text(
        encoding="utf-8"
    )


def test_a_render_with_nothing_changed_rewrites_nothing(scenario):
    assert scenario.after_unchanged == scenario.before_unchanged


def test_force_with_unchanged_inputs_gives_the_same_bytes_and_no_new_edition(scenario):
    digests = {name: sha for name, (_, sha) in scenario.after_force.items() if name != "manifest.json"}
    assert digests == {name: sha for name, (_, sha) in scenario.after_unchanged.items() if name != "manifest.json"}
    assert len(load_ledger(scenario.out).history("timeline")) == 2


def test_every_link_of_the_site_resolves(scenario):
    assert broken_links(scenario.out / "index.html") == []
    reached = pages_reached(scenario.out / "index.html")
    assert {
        "index.html",
        "editions.html",
        "timeline.html",
        f"editions/{scenario.day_1_edition}/timeline.html",
    } <= reached
    assert (scenario.out / ".nojekyll").is_file()


@pytest.mark.parametrize("engine", ["chromium", "xelatex"])
def test_the_combined_pdf_of_the_shipped_reports(request, engine):
    rendered_reports = request.getfixturevalue("rendered_reports" if engine == "chromium" else "rendered_by_xelatex")
    path = rendered_reports / "lunar-report.pdf"
    reader = PdfReader(path)
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    for spec in load_reports():
        assert spec.title in titles, f"no bookmark for {spec.name}"
    pages = [re.sub(r"\s+", "", page.extract_text()) for page in reader.pages]
    text = "".join(pages)
    missing = [fact for facts in KEY_FACTS.values() for fact in facts if re.sub(r"\s+", "", fact) not in text]
    assert missing == []
    # xelatex's reports have their contents on pages of their own, left out; Chromium's keep theirs on the first page
    own = len(load_reports()) if engine == "chromium" else 0
    assert text.count("Contents") == 1 + own, "one contents list, besides those on the reports' first pages"
    # The contents list as a viewer shows it (pdfplumber, slow: only the pages up to the first chapter's).
    first_chapter = next(number for number, page in enumerate(pages) if "Chapter1" in page)
    words = " ".join(pdf_text(path, pages=first_chapter + 1).split())
    contents = words[words.index("Contents") : words.index("Chapter 1")]
    for spec in load_reports():
        assert spec.title in contents
    assert len(reader.pages) < sum(len(PdfReader(rendered_reports / f"{s.name}.pdf").pages) for s in load_reports()) + 8


def test_the_shipped_site_links_resolve(rendered_reports):
    assert broken_links(rendered_reports / "index.html") == []
    reached = pages_reached(rendered_reports / "index.html")
    assert {f"{s.name}.html" for s in load_reports()} | {"editions.html"} <= reached
    ET.parse(rendered_reports / "feed.xml")
