"""The whole pipeline, facts → papermill → nbconvert HTML and PDF: the timeline of the suite's shared render (conftest.py)."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from helpers import pdf_text

pytestmark = pytest.mark.slow


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_html_has_facts_and_a_figure_and_no_code(rendered_reports):
    html = (rendered_reports / "timeline.html").read_text(encoding="utf-8")
    text = _text(html)
    assert "November 2017" in text
    assert "9 March 2021" in text
    assert "<svg" in html or "data:image/svg+xml" in html
    assert "load_facts" not in html, "code cells must be hidden"
    assert "hl-ipython3" not in html, "no highlighted code"


def test_pdf_opens_and_holds_the_facts(rendered_reports):
    reader = PdfReader(rendered_reports / "timeline.pdf")
    assert len(reader.pages) >= 1
    text = pdf_text(rendered_reports / "timeline.pdf")
    assert "November 2017" in text
    assert "Wang Wenbin" in text
