"""The chromium PDF engine: a report's page printed to a tagged, numbered, reproducible PDF, and its clear errors."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from pypdf import PdfReader

from lunar_report.errors import PdfError
from lunar_report.pipeline.base import browser
from lunar_report.pipeline.run import export

pytestmark = pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Chromium (make setup-test)")

TITLE = "Sources in their scripts"
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>* {{ font-variant-ligatures: none; }} @media print {{ @page {{ size: A4; margin: 15mm; @bottom-center {{ content: counter(page) " / " counter(pages); }} }} }}</style>
</head><body><h1>{title}</h1><h2>Sources</h2><ol>
<li>国际月球科研站合作伙伴指南（中国国家航天局）</li>
<li>Роскосмос и CNSA: меморандум о Международной научной лунной станции</li></ol>
<div style="break-before: page"><h2>Second page</h2><p>A briefing, <a href="claims/claim-a.html">a claim</a>, and
<a href="../index.html#reports">the reports</a>.</p>
<table><thead><tr><th>Mission</th><th>Samples</th></tr></thead><tbody><tr><td>Chang’e-5</td><td>1,731 g</td></tr>
</tbody></table></div></body></html>"""
EPOCH = 1764028800  # 25 November 2025


def printed(tmp_path: Path, page: str = PAGE.format(title=TITLE), paper: str = "a4") -> bytes:
    notebook = nbformat.v4.new_notebook(metadata={"title": TITLE})
    return export.print_pdf(notebook, page.encode(), tmp_path / "print", EPOCH, paper=paper, timeout=120)


def test_the_pdf_is_tagged_numbered_and_says_what_it_is(tmp_path):
    pdf = PdfReader(io.BytesIO(printed(tmp_path)))
    catalog = pdf.trailer["/Root"]
    assert catalog["/Lang"] == "en" and bool(catalog["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in catalog
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert (pdf.metadata.title, pdf.metadata.author, pdf.metadata.creator) == (TITLE, "lunar-report", "lunar-report")
    assert pdf.metadata["/CreationDate"] == "D:20251125000000Z"
    assert b"<xmp:CreateDate>2025-11-25T00:00:00Z</xmp:CreateDate>" in pdf.xmp_metadata.stream.get_data()
    assert [round(float(v)) for v in pdf.pages[0].mediabox[2:]] == [595, 842]
    texts = [re.sub(r"\s+", "", page.extract_text()) for page in pdf.pages]
    assert [t.endswith(f"{n}/{len(texts)}") or f"{n}/{len(texts)}" in t for n, t in enumerate(texts, 1)] == [True] * 2
    assert "国际月球科研站合作伙伴指南" in texts[0]  # 月 as the ideograph, not the radical ⽉ its glyph also draws
    assert "Роскосмос" in texts[0] and "briefing" in texts[1]
    assert [item.title for item in pdf.outline if not isinstance(item, list)] == [TITLE]


def test_the_same_page_prints_the_same_bytes_wherever_it_is_printed(tmp_path):
    assert printed(tmp_path / "one") == printed(tmp_path / "two" / "deeper")


def test_structure_ids_are_numbered_in_document_order_and_cells_name_their_headers_by_them(tmp_path):
    pdf = PdfReader(io.BytesIO(printed(tmp_path)))
    root = pdf.trailer["/Root"]["/StructTreeRoot"]

    def elements(node):
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [] if kids is None else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and "/S" in kid:
                yield kid
                yield from elements(kid)

    tagged = list(elements(root))
    ids = [str(e["/ID"]) for e in tagged if "/ID" in e]
    assert ids == [f"node{n:08d}" for n in range(1, len(ids) + 1)] and len(ids) >= 2
    headers = {
        str(h)
        for e in tagged
        if e["/S"] == "/TD"
        for a in (e["/A"] if isinstance(e.get("/A"), list) else [e.get("/A")])
        if a is not None and "/Headers" in a.get_object()
        for h in a.get_object()["/Headers"]
    }
    assert headers and headers <= set(ids)
    leaf = root["/IDTree"]
    leaf = leaf["/Kids"][0].get_object() if "/Kids" in leaf else leaf
    assert [str(name) for name in leaf["/Names"][::2]] == ids


def test_links_to_neighbouring_pages_stay_relative_as_on_the_page(tmp_path):
    pdf = PdfReader(io.BytesIO(printed(tmp_path)))
    addresses = [
        annotation.get_object()["/A"]["/URI"]
        for page in pdf.pages
        for annotation in page.get("/Annots") or []
        if "/A" in annotation.get_object()
    ]
    assert addresses == ["claims/claim-a.html", "../index.html#reports"]


def test_letter_paper_when_asked(tmp_path):
    pdf = PdfReader(io.BytesIO(printed(tmp_path, paper="letter")))
    assert [round(float(v)) for v in pdf.pages[0].mediabox[2:]] == [612, 792]


def test_a_character_no_font_has_is_named_before_printing(tmp_path):
    missing = "\U0001e900"  # Adlam, which no font the set-up installs has
    if not browser.missing_glyphs(f"<p>{missing}</p>"):
        pytest.skip("this machine has a font with Adlam")
    with pytest.raises(PdfError, match=r"no installed font has characters the PDF prints: .*U\+1E900"):
        printed(tmp_path, PAGE.format(title=TITLE).replace("A briefing,", f"A {missing} name,"))
    assert not (tmp_path / "print" / "page.pdf").exists()


def test_markup_and_scripts_are_not_text_to_draw():
    assert browser.missing_glyphs("<style>p::before{content:'\U0001e900'}</style><p>plain – text</p>") == []


def test_a_missing_chromium_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv(browser.CHROMIUM_ENV, "no-such-chromium")
    with pytest.raises(PdfError, match="LUNAR_REPORT_CHROMIUM='no-such-chromium' is not a program: install Chromium"):
        printed(tmp_path)


def test_a_print_longer_than_its_timeout_stops_with_one_line(tmp_path):
    notebook = nbformat.v4.new_notebook(metadata={"title": TITLE})
    with pytest.raises(PdfError, match=r"^Chromium timed out after 0.01 s printing the PDF \(limits.tex_timeout\)$"):
        export.print_pdf(notebook, PAGE.format(title=TITLE).encode(), tmp_path / "print", EPOCH, timeout=0.01)
