"""Table cells that link: web addresses and numbered citations, escaped for HTML and LaTeX."""

from __future__ import annotations

import pandas as pd
import pytest

from lunar_report.analysis.display import (
    CHAR_SHARE,
    Anchor,
    Link,
    Sentence,
    escape_latex,
    latex_url,
    sentence_data,
    table_html,
    table_latex,
)


def test_links_and_anchors_in_html_are_escaped():
    frame = pd.DataFrame(
        {
            "No.": [Anchor("1", "source-1")],
            "Address": [Link("a&b", 'https://x.org/?q="<1>"&r=2')],
            "Cites": [(Link("[1]", "#source-1"), Link("[2]", "#source-2"))],
        }
    )
    html = table_html(frame)
    assert '<span id="source-1">1</span>' in html
    assert '<a href="https://x.org/?q=&quot;&lt;1&gt;&quot;&amp;r=2">a&amp;b</a>' in html
    assert '<a href="#source-1">[1]</a>, <a href="#source-2">[2]</a>' in html


def test_links_and_anchors_in_latex():
    url = "https://x.org/a_b/100%25#part~x"
    frame = pd.DataFrame(
        {
            "No.": [Anchor("1", "source-1")],
            "Address": [Link(url, url)],
            "Named": [Link("50% of_it", url)],
            "Cites": [(Link("[1]", "#source-1"),)],
        }
    )
    latex = table_latex(frame)
    assert r"\hypertarget{source-1}{1}" in latex
    assert r"\url{https://x.org/a_b/100\%25\#part~x}" in latex
    assert r"\href{https://x.org/a_b/100\%25\#part~x}{50\% of\_it}" in latex
    assert r"\hyperlink{source-1}{[1]}" in latex


def test_latex_url_percent_encodes_what_hyperref_cannot_take():
    assert latex_url("https://x.org/a b{c}\\d") == r"https://x.org/a\%20b\%7Bc\%7D\%5Cd"


def test_anchor_names_are_checked():
    with pytest.raises(ValueError, match="letters, digits"):
        Anchor("1", 'x" onload="alert(1)')


def test_long_addresses_do_not_claim_the_whole_width():
    url = "https://example.org/" + "/".join(["segment"] * 20)
    frame = pd.DataFrame({"Title": ["A fairly long title of a source"], "Address": [Link(url, url)]})
    widths = [float(part.split("{")[-1]) for part in table_latex(frame).split(r"\linewidth")[:-1]]
    assert max(widths) < 0.8


def test_an_address_without_a_link_is_text_that_still_wraps():
    frame = pd.DataFrame({"Address": [(Link("https://x.org/a_b...", None), "truncated")]})
    assert '<td data-label="Address"><span>https://x.org/a_b..., truncated</span></td>' in table_html(frame)
    assert r"\lunarcell{TD}\hspace{0pt}\nolinkurl{https://x.org/a_b...}, truncated\lunarcellend" in table_latex(frame)


@pytest.mark.parametrize(
    "text", ["plain", r"<script>& 100% _u_ #h $d$ {b} back\slash ~t ^c", "wait... and....", "Chang’e – Rümker"]
)
def test_escape_latex_matches_nbconvert(text):
    from nbconvert.filters import escape_latex as nbconvert_escape_latex

    assert escape_latex(text) == nbconvert_escape_latex(text)


def test_report_modules_do_not_import_nbconvert():
    """Every report kernel imports these; nbconvert would add seconds to each notebook."""
    import subprocess
    import sys

    code = (
        "import importlib, pkgutil, sys, lunar_report.analysis as analysis\n"
        "names = [m.name for m in pkgutil.walk_packages(analysis.__path__, 'lunar_report.analysis.')]\n"
        "for name in names: importlib.import_module(name)\n"
        "assert 'lunar_report.analysis.sections.timeline' in names, names\n"
        "print(sorted(m for m in ('nbconvert', 'papermill') if m in sys.modules))"
    )
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"
    )


def test_no_column_is_narrower_than_its_longest_word():
    frame = pd.DataFrame(
        {
            "Event": ["A long description of what happened that day " * 3],
            "Category": ["statement"],
            "Sources": [(Link("[19]", "#source-19"), Link("[20]", "#source-20"))],
        }
    )
    widths = [float(part.split("{")[-1]) for part in table_latex(frame).split(r"\linewidth")[:-1]]
    assert widths[1] >= CHAR_SHARE * len("statement") and widths[1] >= CHAR_SHARE * len("Category")
    assert abs(sum(widths) - (0.97 - 0.025 * 3)) < 0.005


def test_words_that_overfill_the_line_share_it_in_column_order():
    frame = pd.DataFrame({"A": ["x" * 60], "B": ["y" * 20]})
    a, b = [float(part.split("{")[-1]) for part in table_latex(frame).split(r"\linewidth")[:-1]]
    assert a > b and abs(a + b - (0.97 - 0.025 * 2)) < 0.005


def test_figures_show_data_text_literally_and_fail_on_missing_glyphs():
    import warnings

    import matplotlib
    import matplotlib.pyplot as plt

    from lunar_report.analysis.display import figure_data, setup_display

    matplotlib.use("Agg")
    with warnings.catch_warnings(), matplotlib.rc_context():
        setup_display()
        fig, ax = plt.subplots()
        ax.set_title("costs $5 and $6 {braces}")
        svg = figure_data(fig, alt="test")[0]["image/svg+xml"]
        assert "costs $5 and $6 {braces}" in svg
        ax.set_title("hieroglyph \U00013000")
        with pytest.raises(UserWarning, match="missing from font"):
            figure_data(fig, alt="test")
        plt.close(fig)


def test_a_sentence_is_its_template_and_values():
    sentence = Sentence("It took **{days:.1f} days**.", {"days": 22.895})
    template, values = sentence
    assert (template, dict(values)) == ("It took **{days:.1f} days**.", {"days": 22.895})
    assert sentence.formatted() == "It took **22.9 days**."
    assert Sentence("No values.").values == {} and Sentence("No values.").formatted() == "No values."


def test_sentence_values_are_escaped_and_only_the_template_sets_bold():
    data = sentence_data(Sentence("**{name}** costs {price}.", {"name": "<b>A&B</b>", "price": "100% **$5**"}))
    assert data["text/html"] == "<p><strong>&lt;b&gt;A&amp;B&lt;/b&gt;</strong> costs 100% **$5**.</p>"
    assert data["text/latex"] == r"\textbf{<b>A\&B</b>} costs 100\% **\$5**." + "\n"
    assert data["text/plain"] == "<b>A&B</b> costs 100% **$5**."


def test_say_publishes_one_sentence(monkeypatch):
    from lunar_report.analysis import display

    published = []
    monkeypatch.setattr(display, "_publish", published.append)
    display.say("{n} missions.", n=3)
    assert published == [sentence_data(Sentence("{n} missions.", {"n": 3}))]
    assert published[0]["text/plain"] == "3 missions."


@pytest.mark.parametrize(("formats", "drawn"), [(None, True), ("html", False), ("html,pdf", True), ("pdf", True)])
def test_the_pdf_figure_is_drawn_only_when_a_pdf_is_exported(monkeypatch, formats, drawn):
    import matplotlib.pyplot as plt

    from lunar_report import paths
    from lunar_report.analysis.display import figure_data, setup_display

    if formats is None:
        monkeypatch.delenv(paths.FORMATS_ENV, raising=False)
    else:
        monkeypatch.setenv(paths.FORMATS_ENV, formats)
    setup_display()
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    try:
        data, _ = figure_data(fig, alt="test")
    finally:
        plt.close(fig)
    assert ("application/pdf" in data) is drawn
    assert list(data) == ["image/svg+xml", *(["application/pdf"] if drawn else []), "text/plain"]


def test_a_figure_is_drawn_for_the_column_and_for_a_phone(monkeypatch):
    import matplotlib.pyplot as plt

    from lunar_report import paths
    from lunar_report.analysis.display import NARROW, WIDE, figure_data, setup_display

    monkeypatch.setenv(paths.FORMATS_ENV, "html")
    setup_display()
    fig, ax = plt.subplots(figsize=(5.2, 3))
    ax.plot([1, 2], [3, 4], label="a series")
    ax.set_yticks([3, 4], ["a category with a long name", "short"])
    ax.legend(loc="upper left")
    try:
        data, metadata = figure_data(fig, alt="test")
    finally:
        plt.close(fig)
    assert metadata["width"] <= (WIDE + 0.2) * 96 * 1.02, "the desktop drawing fits the 800 px column"
    narrow = metadata["narrow"]
    assert narrow["width"] <= (NARROW + 0.2) * 96 * 1.02, "the phone's drawing is shown at its size, its type unshrunk"
    assert ">a category<" in narrow["svg"] and "a category with" not in narrow["svg"], "labels wrap on a phone"
    assert narrow["svg"] != data["image/svg+xml"]


def test_a_figure_is_saved_in_the_box_savefig_tight_measures(monkeypatch):
    """The SVG is cropped to a box measured once from the layout: the same box savefig's "tight" gives, so a wrapped
    note is neither cut off nor followed by empty space."""
    import io
    import re

    import matplotlib.pyplot as plt

    from lunar_report import paths
    from lunar_report.analysis.display import figure_data, setup_display

    monkeypatch.setenv(paths.FORMATS_ENV, "html")
    setup_display()
    fig, ax = plt.subplots(figsize=(5.2, 3))
    ax.plot([1, 2], [3, 4], label="a series")
    ax.legend()
    fig.text(0.01, -0.01, "Source: " + "a long list of publishers and titles; " * 6, va="top", wrap=True)
    try:
        _, metadata = figure_data(fig, alt="test")  # the figure is left as the phone's drawing
        tight = io.StringIO()
        fig.savefig(tight, format="svg", bbox_inches="tight", metadata={"Date": None})
    finally:
        plt.close(fig)
    size = re.compile(r'<svg [^>]*?width="([\d.]+)pt" height="([\d.]+)pt"')
    assert [round(float(v), 2) for v in size.search(metadata["narrow"]["svg"]).groups()] == [
        round(float(v), 2) for v in size.search(tight.getvalue()).groups()
    ]


def test_a_figure_s_data_is_a_table_and_a_csv_of_the_same_rows():
    from urllib.parse import unquote

    import pandas as pd

    from lunar_report.analysis.display import figure_table_data

    frame = pd.DataFrame({"Country": ["Serbia", 'Côte d’Ivoire, "x"'], "Joined": ["2024-05-08", "2024-10"]})
    markup = figure_table_data(frame, "Source: lunar-report fact base (TASS)", "partners", "Data")["text/html"]
    assert markup.count("<tr>") == 3 and "Source: lunar-report fact base (TASS)" in markup
    href = markup.split('href="', 1)[1].split('"', 1)[0]
    assert href.startswith("data:text/csv;charset=utf-8,")
    assert not any(c.isspace() for c in href), "an address holds no space (the HTML checker refuses it)"
    import html as html_module
    import io

    csv = unquote(html_module.unescape(href).split(",", 1)[1])
    assert pd.read_csv(io.StringIO(csv)).equals(frame)
    assert 'download="partners.csv"' in markup


def test_a_link_in_a_sentence_is_a_link_in_html_and_pdf():
    from lunar_report.analysis.display import Link, Sentence, sentence_data

    url = "https://example.org/a_b?c=1&d=2"
    data = sentence_data(Sentence("Read it at {url} & <more>.", {"url": Link(url, url)}))
    assert (
        data["text/html"]
        == f'<p>Read it at <a href="{url.replace("&", "&amp;")}">{url.replace("&", "&amp;")}</a> &amp; &lt;more&gt;.</p>'
    )
    assert r"\url{https://example.org/a_b?c=1&d=2}" in data["text/latex"] and r"\& <more>" in data["text/latex"]
    assert data["text/plain"] == f"Read it at {url} & <more>."


def test_a_table_whose_words_do_not_fit_is_set_smaller_and_may_break_them():
    """Seven columns of long words: the table is set a size smaller; a line may break after a slash, and a cell's
    first word may be hyphenated (it follows glue) rather than run into the next column."""
    words = ["contradicted", "unverifiable", "UrduPoint/Sputnik", "Spokesperson", "Administration"]
    wide = pd.DataFrame({f"Column {n}": [words[n % len(words)]] for n in range(7)})
    narrow = pd.DataFrame({"Event": ["A long description of what happened that day"], "Category": ["statement"]})
    assert r"\par\footnotesize\hyphenpenalty=1000" in table_latex(wide)
    assert r"\par\small\hyphenpenalty=1000" in table_latex(narrow)
    assert r"\lunarcell{TD}\hspace{0pt}UrduPoint\slash{}Sputnik\lunarcellend" in table_latex(wide)
