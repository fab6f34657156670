"""The whole pipeline, facts → papermill → nbconvert HTML and PDF, into a temporary folder."""

from __future__ import annotations

import re
from datetime import date

import pytest
from pypdf import PdfReader

from conftest import pdf_text
from lunar_report import paths
from lunar_report.pipeline.config import load_reports, select
from lunar_report.pipeline.render import RenderOptions, render_reports

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    spec = select(load_reports(), ("timeline",))[0]
    render_reports([spec], RenderOptions(out_dir=out, data_dir=paths.data_dir(), as_of=date(2026, 11, 25)))
    return out


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_html_has_facts_and_a_figure_and_no_code(rendered):
    html = (rendered / "timeline.html").read_text(encoding="utf-8")
    text = _text(html)
    assert "November 2017" in text
    assert "9 March 2021" in text
    assert "<svg" in html or "data:image/svg+xml" in html
    assert "load_facts" not in html, "code cells must be hidden"
    assert "hl-ipython3" not in html, "no highlighted code"


def test_pdf_opens_and_holds_the_facts(rendered):
    reader = PdfReader(rendered / "timeline.pdf")
    assert len(reader.pages) >= 1
    text = pdf_text(rendered / "timeline.pdf")
    assert "November 2017" in text
    assert "Wang Wenbin" in text
