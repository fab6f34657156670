"""The PDF settings: A4 unless reports.toml says `paper = "letter"`, Chromium unless `pdf_engine = "xelatex"`; anything
else is one clear error. The kernels draw a PDF of each figure only for xelatex."""

from __future__ import annotations

from datetime import date

import pytest

from lunar_report.errors import ConfigError
from lunar_report.pipeline.config.paper import paper_setting, pdf_engine_setting
from lunar_report.pipeline.config.settings import RenderOptions


def test_a4_by_default(tmp_path):
    assert paper_setting(None) == "a4"
    config = tmp_path / "reports.toml"
    config.write_text('[[report]]\nname = "t"\nnotebook = "t.ipynb"\n', encoding="utf-8")
    assert paper_setting(config) == "a4"


def test_letter_when_asked(tmp_path):
    config = tmp_path / "reports.toml"
    config.write_text('paper = "letter"\n', encoding="utf-8")
    assert paper_setting(config) == "letter"


@pytest.mark.parametrize(
    ("setting", "read", "message"),
    [
        ('paper = "legal"', paper_setting, '`paper` is the PDF\'s page size: "a4" or "letter"; got \'legal\'.'),
        (
            'pdf_engine = "wkhtmltopdf"',
            pdf_engine_setting,
            '`pdf_engine` is what makes the PDF: "chromium" or "xelatex"; got \'wkhtmltopdf\'.',
        ),
    ],
)
def test_another_value_is_one_clear_config_error(tmp_path, setting, read, message):
    config = tmp_path / "reports.toml"
    config.write_text(setting + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        read(config)
    assert str(raised.value) == f"{config}: {message}"
    assert raised.value.exit_code == 2


@pytest.mark.slow
@pytest.mark.parametrize(("points", "paper"), [((612, 792), "letter"), ((595, 842), "a4")])
def test_the_combined_pdf_prints_its_own_pages_on_the_reports_paper(tmp_path, points, paper):
    """Its title, contents and chapter-opening pages take the size of the reports' pages (paper = "letter" too)."""
    import io

    from pypdf import PdfReader, PdfWriter

    from lunar_report.pipeline.config.paper import paper_of
    from lunar_report.pipeline.site import combined
    from lunar_report.pipeline.store.editions import Ledger

    writer = PdfWriter()
    writer.add_blank_page(*points)
    writer.add_blank_page(*points)
    writer.write(tmp_path / "t.pdf")
    chapter = combined.Chapter("t", "The T report", "2026-11-25", pdf="sha")
    pdf = combined.build(tmp_path, [chapter], Ledger(), tmp_path / "work", "code")
    assert pdf is not None
    sizes = {(round(page.mediabox.width), round(page.mediabox.height)) for page in PdfReader(io.BytesIO(pdf)).pages}
    assert sizes == {points}
    assert paper_of(*points) == paper


def test_chromium_makes_the_pdf_unless_asked(tmp_path):
    config = tmp_path / "reports.toml"
    config.write_text("", encoding="utf-8")
    assert pdf_engine_setting(config) == "chromium"
    config.write_text('pdf_engine = "xelatex"\n', encoding="utf-8")
    assert pdf_engine_setting(config) == "xelatex"


@pytest.mark.parametrize(
    ("formats", "engine", "drawn"),
    [
        (("html", "pdf"), "chromium", ("html",)),
        (("pdf",), "chromium", ("html",)),  # Chromium prints the page, drawn as for the site
        (("html",), "xelatex", ("html",)),
        (("html", "pdf"), "xelatex", ("html", "pdf")),
        (("pdf",), "xelatex", ("pdf",)),
    ],
)
def test_the_kernels_draw_figures_for_what_the_engine_prints(tmp_path, formats, engine, drawn):
    options = RenderOptions(tmp_path / "out", tmp_path / "data", date(2026, 12, 1), formats=formats, pdf_engine=engine)
    assert options.drawn_formats == drawn
