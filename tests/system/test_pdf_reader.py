"""The rendered PDFs as a reader's PDF software sees them: text, fonts, tables, bookmarks, first page.

Text is read with pypdf and with pdfplumber (helpers.pdf_text). xdvipdfmx writes no space
characters, so readers infer word gaps from the glyph positions; pypdf 7 gets that wrong for our
fonts (it takes the width of glyph id 32 of an Identity-H font, "=" in DejaVu Serif, for the
width of a space, and then misses narrower gaps). So pypdf text is compared with whitespace
removed on both sides, and word spacing is checked on pdfplumber's text, as a PDF viewer shows it.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from helpers import copy_minimal, fixture_notebook, pdf_text, render, write_config
from lunar_report.pipeline.config.reports import load_reports

pytestmark = pytest.mark.slow

SPECS = {spec.name: spec for spec in load_reports()}
REPORTS = list(SPECS)
AS_OF_LINE = "As of 25 November 2026"
# Facts a reader of each report must find in its PDF (as the HTML shows them).
KEY_FACTS = {
    "timeline": ["November 2017", "Wang Wenbin", "Chronology of the cooperation", "Roscosmos"],
    "mission-change-5": ["Chang’e-5", "1,731 g", "Returned sample mass"],
    "mission-change-6": ["Chang’e-6", "1,935.3 g", "Returned sample mass"],
    "claims": ["Verdict", "supported", "contradicted", "unverifiable"],
}
PAGE_RANGE = range(1, 61)
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
ANCHOR_MARK = "¶"  # the HTML headings' self-link, not part of the text
ENGINES = ["xelatex", "chromium"]


@pytest.fixture(params=ENGINES)
def rendered_reports(request) -> Path:
    """The report set rendered by each PDF engine (the reader's checks hold for both)."""
    return request.getfixturevalue("rendered_by_xelatex" if request.param == "xelatex" else "rendered_reports")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@cache
def reader(path: Path) -> PdfReader:
    return PdfReader(path)


@cache
def pypdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in reader(path).pages)


def html_text(path: Path) -> str:
    """What a reader of the HTML report reads: tags, styles and heading self-links removed."""
    page = path.read_text(encoding="utf-8")
    page = re.sub(r'<nav [^>]*class="lr-site".*?</nav>', " ", page, count=1, flags=re.S)  # the site's, not the report's
    page = re.sub(r"<(style|script|footer)\b.*?</\1>", " ", page, flags=re.S | re.I)  # footer: the site's too
    page = re.sub(r"<title>.*?</title>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page)).replace(ANCHOR_MARK, "")


def contents_titles(path: Path) -> list[str]:
    """The section titles of the HTML report's table of contents."""
    nav = re.search(r'<nav class="lr-toc".*?</nav>', path.read_text(encoding="utf-8"), re.S)
    assert nav, f"{path.name} has no table of contents"
    return [html.unescape(t) for t in re.findall(r'<li class="lr-toc-\d"><a href="[^"]*">(.*?)</a>', nav.group(0))]


CARDS_IN_THE_PDF = "Claims about this mission"
"""The caption of the table the PDF sets as a numbered list of claims (seven columns do not fit its page)."""


def table_headers(path: Path) -> list[str]:
    """The headers of the HTML report's tables; a figure's data table is on screen only (the PDF has the figure),
    and the claims about a mission are a list there."""
    page = re.sub(r'<div class="lr-figdata">.*?</details>', " ", path.read_text(encoding="utf-8"), flags=re.S)
    page = re.sub(rf"<table\b[^>]*><caption>{CARDS_IN_THE_PDF}</caption>.*?</table>", " ", page, flags=re.S)
    cells = re.findall(r"<th\b[^>]*>(.*?)</th>", page, re.S)
    return [words(html.unescape(re.sub(r"<[^>]+>", "", cell))) for cell in cells]


def _collect(resources, fonts: list, images: list, seen: set) -> None:
    """Fonts and image XObjects of `resources`, and of the forms and Type3 fonts it uses, recursively."""
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        key = font.idnum if isinstance(font, IndirectObject) else id(font)
        if key in seen:
            continue
        seen.add(key)
        font = font.get_object()
        fonts.append(font)
        if font.get("/Subtype") == "/Type3":
            _collect(font.get("/Resources"), fonts, images, seen)
    for xobject in (resources.get("/XObject") or {}).values():
        key = xobject.idnum if isinstance(xobject, IndirectObject) else id(xobject)
        if key in seen:
            continue
        seen.add(key)
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Image":
            images.append(xobject)
        elif xobject.get("/Subtype") == "/Form":
            _collect(xobject.get("/Resources"), fonts, images, seen)


def fonts_and_images(path: Path, page_number: int | None = None) -> tuple[list, list]:
    fonts, images, seen = [], [], set()
    pages = reader(path).pages
    for page in pages if page_number is None else [pages[page_number]]:
        _collect(page.get("/Resources"), fonts, images, seen)
        for annotation in page.get("/Annots") or []:
            appearance = (annotation.get_object().get("/AP") or {}).get("/N")
            if appearance is not None and hasattr(appearance.get_object(), "get"):
                _collect(appearance.get_object().get("/Resources"), fonts, images, seen)
    return fonts, images


def outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        titles += outline_titles(item) if isinstance(item, list) else [item.title]
    return titles


def pdf(rendered: Path, name: str) -> Path:
    return rendered / f"{name}.pdf"


def printed_by_chromium(rendered: Path) -> bool:
    """Whether Chromium printed the folder's PDFs (pdf_engine = "chromium"), rather than xelatex typesetting them."""
    return "Skia" in str(reader(rendered / "timeline.pdf").metadata.producer)


def test_every_report_has_key_facts_to_check():
    assert set(KEY_FACTS) == set(REPORTS), "list the key facts of each configured report in KEY_FACTS"


@pytest.mark.parametrize("name", REPORTS)
def test_text_holds_the_key_facts(rendered_reports, name):
    text = squash(pypdf_text(pdf(rendered_reports, name)))
    missing = [fact for fact in KEY_FACTS[name] if squash(fact) not in text]
    assert missing == []


@pytest.mark.parametrize("name", REPORTS)
def test_a_viewer_shows_words_apart(rendered_reports, name):
    """pdfplumber reads word gaps as a viewer does: the facts and the title come out as written."""
    text = words(pdf_text(pdf(rendered_reports, name)))
    missing = [fact for fact in [*KEY_FACTS[name], SPECS[name].title, AS_OF_LINE] if fact not in text]
    assert missing == []


@pytest.mark.parametrize("name", REPORTS)
def test_page_count_is_sane(rendered_reports, name):
    assert len(reader(pdf(rendered_reports, name)).pages) in PAGE_RANGE


@pytest.mark.parametrize("name", REPORTS)
def test_every_font_is_embedded(rendered_reports, name):
    fonts, _ = fonts_and_images(pdf(rendered_reports, name))
    assert fonts, "no font found: the walk through the page resources is broken"
    not_embedded = []
    for font in fonts:
        if font.get("/Subtype") == "/Type3":  # glyphs drawn by the PDF itself
            continue
        described = [d.get_object() for d in font.get("/DescendantFonts") or []] or [font]
        for part in described:
            descriptor = part.get("/FontDescriptor")
            if descriptor is None or not any(key in descriptor.get_object() for key in FONT_FILES):
                not_embedded.append(str(part.get("/BaseFont")))
    assert not_embedded == [], "fonts a reader's machine must supply"


@pytest.mark.parametrize("name", REPORTS)
def test_tables_are_text_not_pictures(rendered_reports, name):
    path = pdf(rendered_reports, name)
    headers = table_headers(rendered_reports / f"{name}.html")
    assert headers, f"{name}.html has no table"
    text = squash(pypdf_text(path))
    assert [h for h in headers if squash(h) not in text] == [], "table headers missing from the PDF text"
    for number, page in enumerate(reader(path).pages):
        _, images = fonts_and_images(path, number)
        assert images == [], f"page {number + 1} holds raster images (figures are vector PDF)"
        assert len(page.images) == 0, f"page {number + 1} holds inline or XObject images"


@pytest.mark.parametrize("name", ["claims", "mission-change-5"])  # (the article makes no claim about Chang'e-6)
def test_each_claim_reads_in_full_width_in_the_pdf(rendered_reports, name):
    """The claims (the claims report's, a mission's) are a numbered list in the PDF: each claim in its words, then
    its verdict when published and now, with why and the sources; no overfull seven-column table."""
    path = pdf(rendered_reports, name)
    if printed_by_chromium(rendered_reports) and name != "claims":
        pytest.skip("Chromium prints a mission page's claim table as the page shows it")
    text = squash(pypdf_text(path))
    page = (rendered_reports / f"{name}.html").read_text(encoding="utf-8")
    headings = {
        words(html.unescape(h)) for h in re.findall(r"<dt>(When published [^<]*|Now \(reviewed [^<]*)</dt>", page)
    }
    headings |= {
        words(html.unescape(h)) for h in re.findall(r"<th>(When published [^<]*|Now \(reviewed [^<]*)</th>", page)
    }
    assert headings, f"{name}.html checks no claim"
    assert all(squash(f"{heading}:") in text for heading in headings), headings
    assert "Why, then" not in pypdf_text(path), "no table of the claims in the PDF"


@pytest.mark.parametrize("name", REPORTS)
def test_outline_lists_the_sections(rendered_reports, name):
    outline = outline_titles(reader(pdf(rendered_reports, name)).outline)
    assert outline, "the PDF has no bookmarks"
    unnumbered = [re.sub(r"^[\d.]+\s+", "", title) for title in outline]
    sections = contents_titles(rendered_reports / f"{name}.html")
    if printed_by_chromium(rendered_reports):  # its bookmarks are the page's headings
        sections = [s for s in sections if s != "What changed since the previous edition"]  # (a disclosure)
    assert sections and [s for s in sections if s not in unnumbered] == []


@pytest.mark.parametrize("name", REPORTS)
def test_first_page_has_title_and_date(rendered_reports, name):
    path = pdf(rendered_reports, name)
    first = squash(reader(path).pages[0].extract_text())
    assert squash(SPECS[name].title) in first
    assert squash(AS_OF_LINE) in first
    opening = words(pdf_text(path, pages=1))  # pdfplumber is slow: page 1 is all this needs
    assert opening.startswith(f"{SPECS[name].title} {AS_OF_LINE}"), "the title block opens page 1"
    assert reader(path).metadata.title == SPECS[name].title


@pytest.mark.parametrize("name", REPORTS)
def test_characters_survive_extraction(rendered_reports, name):
    """Every non-ASCII character of the HTML report comes out of the PDF, and no other."""
    text = pypdf_text(pdf(rendered_reports, name))
    assert "\ufffd" not in text, "a character came out as U+FFFD"
    shown = {c for c in html_text(rendered_reports / f"{name}.html") if ord(c) > 127 and not c.isspace()}
    extracted = {c for c in text if ord(c) > 127 and not c.isspace()}
    assert sorted(shown - extracted) == [], "characters of the HTML lost in the PDF"
    assert sorted(extracted - shown) == [], "characters in the PDF the HTML does not have"


def test_curly_apostrophe_and_en_dash_survive(rendered_reports):
    text = " ".join(pypdf_text(pdf(rendered_reports, name)) for name in REPORTS)
    assert "Chang\u2019e" in text
    assert "\u2013" in text


@pytest.mark.parametrize("report", REPORTS)
def test_pdf_is_a4_with_its_language_and_xmp_metadata(rendered_reports, report):
    """pdfinfo, as a reader's tools see the file: A4 pages, the language, XMP title, author and date."""
    import subprocess

    path = rendered_reports / f"{report}.pdf"
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)", info), info
    assert "Metadata Stream: yes" in info
    meta = subprocess.run(["pdfinfo", "-meta", str(path)], capture_output=True, text=True, check=True).stdout
    assert "<dc:language><rdf:Bag><rdf:li>en</rdf:li></rdf:Bag></dc:language>" in meta
    assert f'<rdf:li xml:lang="x-default">{html.escape(SPECS[report].title)}</rdf:li>' in meta
    assert "<dc:creator><rdf:Seq><rdf:li>lunar-report</rdf:li></rdf:Seq></dc:creator>" in meta
    assert "<xmp:CreateDate>2026-11-25T00:00:00Z</xmp:CreateDate>" in meta
    assert reader(path).trailer["/Root"].get("/Lang") == "en"


def structure(path: Path) -> dict[str, list]:
    """The tagged PDF's structure elements by type (e.g. "/H1", "/Table", "/Figure"), read from its StructTreeRoot."""
    root = reader(path).trailer["/Root"]
    assert "/StructTreeRoot" in root, f"{path.name} is not tagged: no structure tree"
    found: dict[str, list] = {}
    pending = [root["/StructTreeRoot"].get_object().get("/K")]
    while pending:
        node = pending.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            pending += list(node)
        elif isinstance(node, dict) and "/S" in node:
            found.setdefault(str(node["/S"]), []).append(node)
            if "/K" in node:
                pending.append(node["/K"])
    return found


@pytest.mark.parametrize("name", [*REPORTS, "lunar-report"])
def test_every_pdf_is_tagged_with_its_language_and_title_shown(rendered_reports, name):
    path = pdf(rendered_reports, name)
    catalog = reader(path).trailer["/Root"]
    assert catalog.get("/Lang") == "en"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"]), "viewers show the title, not the file name"
    elements = structure(path)
    assert {"/H1", "/P", "/Table", "/TR", "/TH", "/TD", "/L", "/LI"} <= set(elements), sorted(elements)
    if not printed_by_chromium(rendered_reports):  # (Chromium tags an item's label as Lbl, its words in the LI itself)
        assert len(elements["/LI"]) == len(elements.get("/LBody", [])), "every list item holds its body"
    alts = [str(figure.get("/Alt", "")) for figure in elements.get("/Figure", [])]
    if printed_by_chromium(
        rendered_reports
    ):  # an HTML figure is a Figure, and so is the picture in it, which has the alt text
        page = (rendered_reports / f"{name}.html").read_text(encoding="utf-8") if name != "lunar-report" else ""
        assert len([alt for alt in alts if alt]) >= max(page.count('<figure class="lr-figure"'), 1), alts
    else:
        assert alts and all(alts), "every figure carries its alt text"


def parent_tree(path: Path) -> dict[int, list]:
    """The structure tree's parent tree: each page's StructParents number -> its array of parents by MCID."""
    found: dict[int, list] = {}
    pending = [reader(path).trailer["/Root"]["/StructTreeRoot"]["/ParentTree"].get_object()]
    while pending:
        node = pending.pop()
        numbers = node.get("/Nums", [])
        for key, value in zip(numbers[::2], numbers[1::2], strict=True):
            found[int(key)] = list(value.get_object()) if isinstance(value, IndirectObject) else value
        pending += [kid.get_object() for kid in node.get("/Kids", [])]
    return found


@pytest.mark.parametrize("name", REPORTS)
def test_every_marked_chunk_has_its_structure_element(rendered_reports, name):
    """What a screen reader follows from the page to the structure: every MCID a page's content marks
    is an index into that page's parent tree entry, which names a structure element."""
    path = pdf(rendered_reports, name)
    parents = parent_tree(path)
    for number, page in enumerate(reader(path).pages, start=1):
        marked = {int(m) for m in re.findall(rb"/MCID (\d+)", page.get_contents().get_data())}
        if not marked:
            continue
        entry = parents[int(page["/StructParents"])]
        assert len(entry) == len(marked) == max(marked) + 1, f"page {number}: {len(entry)} parents, MCIDs {marked}"
        assert all("/S" in parent.get_object() for parent in entry), f"page {number}"


def test_the_combined_pdf_says_its_language_author_and_subject(rendered_reports):
    path = pdf(rendered_reports, "lunar-report")
    metadata = reader(path).metadata
    assert metadata.author == "lunar-report"
    assert "Chang’e-5" in metadata.subject and metadata.title.startswith("lunar-report")
    assert reader(path).trailer["/Root"].get("/Lang") == "en"


@pytest.mark.slow
def test_printed_output_over_pages_and_a_table_make_a_tagged_pdf(capsys, tmp_path):
    notebook = fixture_notebook(
        tmp_path,
        "printed.ipynb",
        "for n in range(150):\n    print('line', n)",
        "import pandas as pd\nfrom lunar_report.analysis.display import show_table\n"
        "show_table(pd.DataFrame({'a': ['x'] * 60, 'b': range(60)}), 'A long table')",
    )
    config = write_config(tmp_path, [{"name": "p", "notebook": notebook}])
    out = tmp_path / "out"
    result = render(capsys, config, out, copy_minimal(tmp_path / "data"), "p")
    assert result.code == 0, result.stdout + result.stderr
    assert len(reader(out / "p.pdf").pages) >= 4, "the printed lines and the table run over pages"
    found = structure(out / "p.pdf")
    assert {"/Table", "/TR", "/TH", "/TD"} <= set(found)
    assert "line 149" in pdf_text(out / "p.pdf")
