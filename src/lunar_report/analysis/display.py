"""What report notebooks show: tables, figures and sentences, safe in both HTML and LaTeX.

Every string that comes from data/ is untrusted: it is escaped for HTML and for LaTeX
here, so `<script>`, `&`, `%`, `_`, `#`, `$` and braces render literally. Each call
publishes one output with an HTML, a LaTeX and a plain-text form; nbconvert picks
the form its format needs.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import os
import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from string import Formatter
from types import MappingProxyType
from typing import Any, NamedTuple

import matplotlib
import pandas as pd
from IPython.display import publish_display_data
from matplotlib.figure import Figure
from matplotlib.text import Text

from .. import paths
from . import spare_core

Bundle = dict[str, str]
"""One output in several forms, by MIME type: what nbconvert picks from for HTML or LaTeX."""
Cell = Any
"""A table cell: text, a `Link`, an `Anchor`, or a tuple of them."""

_publish: Callable[..., None] = publish_display_data  # IPython's function carries no type hints

_BOLD = "\x00B\x00"
# nbconvert's escape_latex rules (a test keeps them equal). Importing nbconvert in every report
# kernel just for them cost 1-3 s per notebook.
_LATEX_ESCAPES = str.maketrans(
    {
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "{": r"\{",
        "}": r"\}",
        "~": r"\textasciitilde{}",
        "^": r"\^{}",
        "\\": r"\textbackslash{}",
    }
)
_ELLIPSIS = re.compile(r"\.\.\.+")
_ANCHOR_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_URL_UNSAFE_IN_LATEX = {"\\": "%5C", "{": "%7B", "}": "%7D", " ": "%20"}


@dataclass(frozen=True)
class Link:
    """A table cell that links: to a web address, or with href "#name" to an `Anchor` in the same report.

    With href None the text is an address shown as one but not linked (e.g. one known only in part).
    """

    text: str
    href: str | None

    def __str__(self) -> str:
        return self.text

    @property
    def is_address(self) -> bool:
        """True if the text is a web address (it may break at any character in the PDF)."""
        return self.href is None or self.text == self.href


@dataclass(frozen=True)
class Anchor:
    """A table cell that `Link(text, "#name")` cells point to."""

    text: str
    name: str

    def __post_init__(self) -> None:
        if not _ANCHOR_NAME.fullmatch(self.name):
            raise ValueError(f"anchor name {self.name!r}: use letters, digits and '-' only, starting with a letter")


def setup_display() -> None:
    """Deterministic vector figures that show data text literally and fail on a missing glyph; call once per notebook."""
    matplotlib.rcParams.update(
        {
            "svg.hashsalt": "lunar-report",
            "svg.fonttype": "none",
            "pdf.fonttype": 42,
            "figure.dpi": 100,
            "text.parse_math": False,  # a "$" in data is a dollar sign, not the start of a formula
        }
    )
    # A character the figure font lacks would be drawn as an empty box: fail the cell instead.
    warnings.filterwarnings("error", message=r"Glyph \d+ .* missing from font", category=UserWarning)


def _cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as display text, a `Link`, an `Anchor` or a tuple of links; missing values as empty cells."""
    kept = frame.astype(object).where(frame.notna(), "")
    return kept.map(lambda value: value if isinstance(value, (Link, Anchor, tuple)) else str(value))


def escape_latex(text: str) -> str:
    """`text` with LaTeX's special characters escaped, as nbconvert's `escape_latex` does it."""
    return _ELLIPSIS.sub(r"{\\ldots}", text.translate(_LATEX_ESCAPES))


def _render_cell(
    value: Cell, text: Callable[[str], str], link: Callable[[Link], str], anchor: Callable[[Anchor], str]
) -> str:
    """A cell in one format: `text`, `link` and `anchor` render its plain, `Link` and `Anchor` parts."""
    if isinstance(value, tuple):
        return ", ".join(_render_cell(part, text, link, anchor) for part in value)
    if isinstance(value, Link):
        return link(value)
    return anchor(value) if isinstance(value, Anchor) else text(value)


def _cell_text(value: Cell) -> str:
    return _render_cell(value, str, lambda link: link.text, lambda anchor: anchor.text)


def cell_html(value: Cell) -> str:
    """A table cell as escaped HTML: text, links, anchors."""
    return _render_cell(
        value,
        html.escape,
        lambda link: (
            html.escape(link.text)
            if link.href is None
            else f'<a href="{html.escape(link.href)}">{html.escape(link.text)}</a>'
        ),
        lambda anchor: f'<span id="{anchor.name}">{html.escape(anchor.text)}</span>',
    )


def latex_url(url: str) -> str:
    """`url` made safe for hyperref's \\url and \\href: unsafe characters percent-encoded, % and # escaped."""
    for character, code in _URL_UNSAFE_IN_LATEX.items():
        url = url.replace(character, code)
    return url.replace("%", r"\%").replace("#", r"\#")


def _link_latex(link: Link) -> str:
    if link.href is None:
        return rf"\nolinkurl{{{latex_url(link.text)}}}"
    if link.href.startswith("#"):
        return rf"\hyperlink{{{link.href[1:]}}}{{{escape_latex(link.text)}}}"
    if link.text == link.href:
        return rf"\url{{{latex_url(link.href)}}}"
    return rf"\href{{{latex_url(link.href)}}}{{{escape_latex(link.text)}}}"


def _breakable_latex(text: str) -> str:
    """Escaped text for a table cell, where a line may also break after a slash (`APA/derStandard`)."""
    return escape_latex(text).replace("/", r"\slash{}")


def cell_latex(value: Cell) -> str:
    """A cell as LaTeX: escaped text (a line may break after a slash), links and anchors."""
    return _render_cell(
        value,
        _breakable_latex,
        _link_latex,
        lambda anchor: rf"\hypertarget{{{anchor.name}}}{{{escape_latex(anchor.text)}}}",
    )


def table_html(frame: pd.DataFrame, caption: str | None = None) -> str:
    """An escaped HTML table (no index) with an optional caption; `Link` and `Anchor` cells become links."""
    cells = _cells(frame)
    labels = [html.escape(str(c)) for c in cells.columns]
    head = "".join(f"<th>{label}</th>" for label in labels)
    rows = "".join(  # data-label: on a phone each row is a card, each cell under its column's name
        "<tr>"
        + "".join(f'<td data-label="{label}"><span>{cell_html(v)}</span></td>' for label, v in zip(labels, row))
        + "</tr>"
        for row in cells.itertuples(index=False)
    )
    caption_html = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f'<table class="lr-table">{caption_html}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


CHAR_SHARE = 1 / 75
"""About the share of the line one character of a table's small type takes in the PDF."""
BOLD_WIDTH = 1.15
"""How much wider a heading's bold characters are."""


_WORD_BREAKS = re.compile(r"\s+|(?<=[/-])")
"""Where a cell's line may break without a hyphen being added: spaces, after a slash or a hyphen."""


def _column_needs(cells: pd.DataFrame, scale: float = 1.0) -> tuple[list[float], list[float]]:
    """Per column: its weight (longest entry, capped) and its least share of the line (its longest word).

    Web addresses break at any character in the PDF, so they have no words.
    """
    weights: list[float] = []
    least: list[float] = []
    for column in cells.columns:
        entries = [str(column)] + [_cell_text(value) for value in cells[column]]
        words = [_cell_text(v) for v in cells[column] if not (isinstance(v, Link) and v.is_address)]
        longest = max([len(word) for entry in words for word in _WORD_BREAKS.split(entry) if word] or [0])
        heading = max([len(word) for word in str(column).split()] or [0]) * BOLD_WIDTH
        weights.append(min(max(len(e) for e in entries), 50) + 2)
        least.append(CHAR_SHARE * scale * max(longest, heading))
    return weights, least


SMALLER = ("footnotesize", 9 / 10)
"""The type a table is set in when its longest words do not fit the line at the usual `small` (9 pt, not 10),
and how much narrower its characters are."""


def _type_and_widths(cells: pd.DataFrame) -> tuple[str, list[float]]:
    """The table's type size and each column's share of the line: `small`, or smaller when the columns' longest
    words do not fit side by side (a word still wider than its column is hyphenated)."""
    widths, fits = _column_widths(cells)
    if fits:
        return "small", widths
    size, scale = SMALLER
    return size, _column_widths(cells, scale)[0]


def _column_widths(cells: pd.DataFrame, scale: float = 1.0) -> tuple[list[float], bool]:
    """Share of the line width per column: by weight, but never below the column's longest word (at `scale`
    times the usual character width); False when those words alone overfill the line."""
    weights, least = _column_needs(cells, scale)
    usable = 0.97 - 0.025 * len(weights)
    fixed: dict[int, float] = {}
    while len(fixed) < len(weights):
        rest = [i for i in range(len(weights)) if i not in fixed]
        free = usable - sum(fixed.values())
        shares = {i: free * weights[i] / sum(weights[j] for j in rest) for i in rest}
        narrow = [i for i in rest if shares[i] < least[i]]
        if not narrow:
            return [fixed[i] if i in fixed else shares[i] for i in range(len(weights))], True
        fixed.update({i: least[i] for i in narrow})
    total = sum(fixed.values())  # the longest words alone overfill the line: shrink them all alike
    return [usable * fixed[i] / total for i in range(len(weights))], total <= usable


UNTAGGED_TABLE = (
    r"\providecommand\lunartable{}\providecommand\lunartableend{}\providecommand\lunarrow{\noindent}"
    r"\providecommand\lunarrowend{\par}\providecommand\lunarcell[1]{}\providecommand\lunarcellend{}"
    r"\providecommand\lunartablehead[1]{}"
)
"""The table commands as plain no-ops where the report template does not define them (a group keeps them local)."""


def table_latex(frame: pd.DataFrame, caption: str | None = None) -> str:
    """An escaped booktabs table (no index) whose columns wrap to fit the page, tagged as a table in the PDF.

    Each row is a one-row tabular of the same columns (column type `Q`), so the table breaks between
    rows at any page; the report template's `\\lunartable`, `\\lunarrow` and `\\lunarcell` (each with its `…end`) tag it
    (Table, TR, TH and TD in the PDF's structure tree). A longtable cannot be used: with TeX Live 2022's
    tagging code xelatex stops at one that breaks over a page; `\\lunartablehead` sets the header row aside, and the
    template shows it again at the top of each page the table runs over. Under any other template (Jupyter's own
    "Download as PDF", plain nbconvert) those commands are provided as untagged no-ops, so the output
    typesets anywhere.
    """
    cells = _cells(frame)
    size, widths = _type_and_widths(cells)
    spec = "".join(rf">{{\raggedright\arraybackslash}}p{{{w:.3f}\linewidth}}" for w in widths)

    def tabular(values: list[str], tag: str, before: str = "", after: str = "") -> str:
        inner = " & ".join(rf"\lunarcell{{{tag}}}\hspace{{0pt}}{value}\lunarcellend" for value in values)
        return rf"\begin{{tabular}}{{Q}}{before}{inner} \\{after}\end{{tabular}}"

    def row(values: list[str], tag: str, before: str = "", after: str = "") -> str:
        return rf"\lunarrow{tabular(values, tag, before, after)}\lunarrowend"

    head = tabular([rf"\textbf{{{escape_latex(str(c))}}}" for c in cells.columns], "TH", r"\toprule ", r"\midrule")
    rows = [[cell_latex(v) for v in values] for values in cells.itertuples(index=False)]
    body = [row(values, "TD", after=r"\bottomrule" if i == len(rows) - 1 else "") for i, values in enumerate(rows)]
    caption_tex = [rf"\captionof{{table}}{{{escape_latex(caption)}}}"] if caption else []
    return "\n".join(
        [
            rf"\begingroup\par\{size}\hyphenpenalty=1000\exhyphenpenalty=1000",  # a word split only if wider than its column
            UNTAGGED_TABLE,
            rf"\newcolumntype{{Q}}{{{spec}}}",
            *caption_tex,
            r"\lunartable",
            rf"\lunartablehead{{{head}}}",  # (repeated at the top of each page the table runs over)
            rf"\lunarrow{head}\lunarrowend\nobreak",
            *body,
            r"\lunartableend\endgroup\par",
        ]
    )


def show_table(frame: pd.DataFrame, caption: str | None = None, latex: str | None = None) -> None:
    """Display `frame` as a real table in HTML and in the PDF (or as `latex` there, when given)."""
    _publish(
        {
            "text/html": table_html(frame, caption),
            "text/latex": table_latex(frame, caption) if latex is None else latex,
            "text/plain": _cells(frame).map(_cell_text).to_string(index=False),
        }
    )


def show_html_and_latex(markup: str, latex: str, text: str) -> None:
    """Publish one output with a different layout per format (e.g. cards on screen, a table in the PDF).

    Only for markup the code builds and escapes itself.
    """
    _publish({"text/html": markup, "text/latex": latex, "text/plain": text})


def show_html_only(markup: str) -> None:
    """Publish `markup` as HTML alone: the PDF (LaTeX) and plain text get nothing.

    Only for markup the code builds and escapes itself, such as a JSON-LD script element.
    An empty `text/latex` tells the LaTeX export there is nothing to typeset (no warning).
    """
    _publish({"text/html": markup, "text/latex": ""})


_SVG_METADATA = re.compile(r"<metadata>.*?</metadata>", re.S)
_SVG_SPACE = re.compile(r">\s+<|\s*\n\s*")
_SVG_SIZE = re.compile(r'<svg [^>]*?width="([\d.]+)pt" height="([\d.]+)pt"')
THUMBNAIL_DPI = 96  # a 5.2-inch figure as a PNG about 500 px wide: the report's picture when shared
WIDE = 8.0
"""Inches of a figure drawn for the report column on a desktop (800 px): its type near the body size."""
NARROW = 3.7
"""Inches of a figure drawn for a phone's column (358 px of a 390 px screen), shown at about its size:
the smallest type (10 pt) is about 13 px there, never below 11 px."""
NARROW_TALLER = 1.2
"""How much taller the phone's drawing is than the desktop's: its labels wrap and need the room."""


def slim_svg(svg: str) -> str:
    """The SVG without matplotlib's metadata block and layout whitespace (text content is left as is)."""
    svg = _SVG_METADATA.sub("", svg)
    return _SVG_SPACE.sub(lambda m: "><" if m.group(0).startswith(">") else " ", svg)


def exported(fmt: str) -> bool:
    """Whether this run exports `fmt`: the build tells a report's kernel its formats; anywhere else (Lab), all."""
    named = os.environ.get(paths.FORMATS_ENV)
    return named is None or fmt in named.split(",")


def _drawn_at(fig: Figure, width: float, height: float) -> None:
    """Lay `fig` out anew at `width` x `height` inches: titles, axis labels and notes wrap to the new width."""
    fig.set_size_inches(width, height)
    for ax in fig.axes:
        for text in (ax.title, ax.xaxis.label):
            text.set_wrap(True)
    fig.tight_layout()
    fig.set_layout_engine(None)  # laid out: saving it lays out nothing again


def _drawn(fig: Figure) -> Any:
    """The box (inches) of all that `fig` draws, labels beyond its axes too."""
    return fig.get_tightbbox(fig.canvas.get_renderer())  # type: ignore[attr-defined]


def _saved_as_svg(fig: Figure) -> Any:
    """The box of `fig` its SVG is saved in: what savefig's "tight" measures (text as the SVG sets it, the same
    margin), measured once from the layout just made rather than by savefig laying the figure out again."""
    from matplotlib.backends.backend_mixed import MixedModeRenderer
    from matplotlib.backends.backend_svg import RendererSVG

    dpi = fig.dpi
    try:
        fig.dpi = 72  # as the SVG canvas prints
        width, height = fig.get_size_inches()
        svg = RendererSVG(width * 72, height * 72, io.StringIO(), image_dpi=dpi)
        drawn = fig.get_tightbbox(MixedModeRenderer(fig, width, height, dpi, svg))  # type: ignore[arg-type]
    finally:
        fig.dpi = dpi
    return drawn.padded(matplotlib.rcParams["savefig.pad_inches"])


LABEL_WRAP = 14
"""Characters per line of a category label in the phone's drawing (two short lines leave the data room)."""


PHONE_DATE_TICKS = 4
"""At most this many date ticks on a phone's axis: more run together."""


def _fewer_date_ticks(ax: Any) -> None:
    """A date axis with at most `PHONE_DATE_TICKS` ticks (a numeric axis keeps its own)."""
    import matplotlib.dates as mdates

    locator = ax.xaxis.get_major_locator()
    if isinstance(locator, mdates.AutoDateLocator):
        locator.minticks = 3
        locator.maxticks = dict.fromkeys(locator.maxticks, PHONE_DATE_TICKS)


LEGEND_WRAP = 34
"""Characters per line of a legend entry in the phone's drawing."""


def _for_a_phone(fig: Figure) -> None:
    """The phone's layout: category labels on two short lines, the legends gathered above the axes, notes wrapped."""
    import textwrap

    moved: dict[str, Any] = {}
    for ax in fig.axes:
        labels = [tick.get_text() for tick in ax.get_yticklabels()]
        if any(label and not label.replace(".", "").replace("\u2212", "").isdigit() for label in labels):
            ax.set_yticks(ax.get_yticks(), [textwrap.fill(label, LABEL_WRAP) for label in labels])
        legend = ax.get_legend()
        if legend is not None:  # over the data it hides points; under the axis it would widen the figure
            handles = legend.legend_handles
            names = [text.get_text() for text in legend.get_texts()]
            moved.update(zip([textwrap.fill(name, LEGEND_WRAP) for name in names], handles, strict=True))
            legend.remove()
    if moved:
        fig.legend(list(moved.values()), list(moved), loc="outside upper left", frameon=False)
        fig.set_layout_engine("constrained")
    ticks = {id(label) for ax in fig.axes for label in [*ax.get_xticklabels(), *ax.get_yticklabels()]}
    legends = {id(text) for legend in fig.legends for text in legend.get_texts()}
    for text in fig.findobj(Text):
        placed_by_number = all(isinstance(v, (int, float)) for v in text.get_position())  # not at a date
        if type(text) is Text and id(text) not in ticks | legends and placed_by_number:  # labels at a point stay whole
            text.set_wrap(True)  # a key or note wider than the phone's figure breaks into lines
    for ax in fig.axes:
        _fewer_date_ticks(ax)


def _fit_width(fig: Figure, width: float) -> None:
    """Narrow the axes until what `fig` draws (labels beyond its axes too) fits in `width` inches.

    The page shows the drawing at the column's width: one drawn wider would be shrunk, and its type with it.
    """
    if fig.get_layout_engine() is not None:  # (the phone's legends moved above the axes)
        fig.draw_without_rendering()  # the layout engine places the axes once; then they are moved by hand
        fig.set_layout_engine(None)
    for _ in range(4):
        drawn = _drawn(fig)
        left, right = max(-drawn.x0, 0.0), max(drawn.x1 - width, 0.0)
        if left + right <= 0.01 * width:
            return
        for ax in fig.axes:
            box = ax.get_position()
            x0, x1 = box.x0 + left / width, box.x1 - right / width
            ax.set_position((x0, box.y0, max(x1 - x0, 0.2), box.height))


_SVG_START = re.compile(r"<svg\b[^>]*>")
_NO_LIGATURES = "<style>text{font-variant-ligatures:none!important}</style>"
"""Labels keep "fi" as two letters: a PDF printed from the page has the words a reader searches for."""


def _svg(fig: Figure) -> tuple[str, dict[str, int]]:
    """The figure as slim SVG, and its size in CSS pixels (the box the page reserves before it loads)."""
    svg = io.StringIO()
    fig.savefig(svg, format="svg", bbox_inches=_saved_as_svg(fig), metadata={"Date": None})
    markup = _SVG_START.sub(lambda start: start.group(0) + _NO_LIGATURES, slim_svg(svg.getvalue()), count=1)
    size = _SVG_SIZE.search(markup)
    box = (
        {}
        if size is None
        else {"width": round(float(size.group(1)) * 4 / 3), "height": round(float(size.group(2)) * 4 / 3)}
    )
    return markup, box


def _phone_drawing(fig: Figure, height: float, from_the_start: bool = False) -> tuple[str, dict[str, int]]:
    """The phone's SVG of `fig` (designed `height` inches tall) and its size, once the desktop's is drawn; from
    the figure as designed, it first lays out the desktop's drawing, to draw the same."""
    if from_the_start:
        _drawn_at(fig, WIDE, height)
    _drawn_at(fig, NARROW, height * NARROW_TALLER)
    _for_a_phone(fig)
    _fit_width(fig, NARROW)
    return _svg(fig)


def _desktop_data(fig: Figure, alt: str, thumbnail: bool, height: float) -> tuple[Bundle, dict[str, Any]]:
    """The bundle of `fig` without the phone's drawing: the desktop's SVG, the PDF and the PNG when asked."""
    data: Bundle = {}
    metadata: dict[str, Any] = {"alt": alt}
    if exported("pdf"):
        pdf = io.BytesIO()
        fig.savefig(pdf, format="pdf", bbox_inches="tight", metadata={"CreationDate": None, "ModDate": None})
        pdf_data = base64.b64encode(pdf.getvalue()).decode("ascii")
    if thumbnail:
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=THUMBNAIL_DPI, bbox_inches="tight", metadata={"Software": None})
        png_data = base64.b64encode(png.getvalue()).decode("ascii")
    _drawn_at(fig, WIDE, height)
    data["image/svg+xml"], box = _svg(fig)
    if exported("pdf"):
        data["application/pdf"] = pdf_data
    data["text/plain"] = f"[Figure: {alt}]"
    if thumbnail:
        data["image/png"] = png_data
    metadata.update(box)  # the page reserves the figure's box before it loads (no layout shift)
    return data, metadata


def _with_phone(metadata: dict[str, Any], drawing: tuple[str, dict[str, int]]) -> dict[str, Any]:
    narrow, box = drawing
    return {**metadata, "narrow": {"svg": narrow, **box}}


def _in_a_copy(fig: Figure, height: float) -> Callable[[], Any] | None:
    """The phone's drawing started on a spare core (see spare_core), from the figure as designed; else None."""
    return spare_core.in_a_copy(lambda: _phone_drawing(fig, height, from_the_start=True))


def figure_data(fig: Figure, alt: str, thumbnail: bool = False) -> tuple[Bundle, Bundle]:
    """The display bundle of a matplotlib figure: SVG for HTML, vector PDF for LaTeX, alt text.

    The SVG is drawn for the report column on a desktop (`WIDE`); the metadata carries a second SVG drawn
    for a phone (`NARROW`, key "narrow"), which the page shows on narrow screens: the type keeps its size
    in points, so it reads at both widths. The PDF is drawn as designed, and only when the run exports one
    (see :func:`exported`). With `thumbnail`, also a small PNG: the report's picture on the front page and
    when shared. A kernel with a core to spare draws the phone's SVG in a copy of itself meanwhile (the same
    bytes).
    """
    height = float(fig.get_size_inches()[1])
    phone = _in_a_copy(fig, height)
    data, metadata = _desktop_data(fig, alt, thumbnail, height)
    return data, _with_phone(metadata, (phone and phone()) or _phone_drawing(fig, height))


@dataclass
class _Unfinished:
    """A figure shown before its phone's drawing, which a copy of the kernel is making."""

    display_id: str
    data: Bundle
    metadata: dict[str, Any]
    phone: Callable[[], Any]
    fig: Figure
    height: float


_UNFINISHED: list[_Unfinished] = []
_SHOWN = itertools.count(1)


def finish_figures(*_: Any) -> None:
    """Give each figure shown before its phone's drawing that drawing (its display updated in place); after
    every cell, and before the next figure starts its copy (one copy at a time)."""
    while _UNFINISHED:
        shown = _UNFINISHED.pop(0)
        drawing = shown.phone() or _phone_drawing(shown.fig, shown.height)
        metadata = _with_phone(shown.metadata, drawing)
        _publish(shown.data, metadata=metadata, transient={"display_id": shown.display_id}, update=True)


def _show_before_the_phone(fig: Figure, alt: str, thumbnail: bool) -> bool:
    """Show `fig` now and give it the phone's drawing once its copy has made it (after the cell at the latest),
    so that the cells go on meanwhile; False, showing nothing, without a spare core or outside a kernel.
    The figure leaves pyplot at once (else the inline backend would show it again after the cell)."""
    import matplotlib.pyplot as plt
    from IPython import get_ipython

    shell = get_ipython()
    height = float(fig.get_size_inches()[1])
    phone = _in_a_copy(fig, height) if shell is not None else None
    if phone is None:
        return False
    if finish_figures not in shell.events.callbacks["post_run_cell"]:
        shell.events.register("post_run_cell", finish_figures)
    plt.close(fig)
    data, metadata = _desktop_data(fig, alt, thumbnail, height)
    display_id = f"lunar-report-figure-{next(_SHOWN)}"
    _publish(data, metadata=metadata, transient={"display_id": display_id})
    _UNFINISHED.append(_Unfinished(display_id, data, metadata, phone, fig, height))
    return True


def _csv_href(frame: pd.DataFrame) -> str:
    """`frame` as a CSV file in a data: address (UTF-8, percent-encoded: a space is not allowed in an address),
    for a download link."""
    from urllib.parse import quote

    text = _cells(frame).map(_cell_text).to_csv(index=False, lineterminator="\n")
    return "data:text/csv;charset=utf-8," + quote(text, safe=",;:/()'-_.")


FIGURE_DATA_CLASS = "lr-figdata"


def figure_table_data(frame: pd.DataFrame, note: str, name: str, caption: str) -> Bundle:
    """The numbers of a figure: its rows as a table under a disclosure, its source note, and a CSV download.

    HTML only (the PDF shows the figure; its tables stand beside it): `name` is the CSV file's stem.
    """
    table = table_html(frame, caption)
    return {
        "text/html": f'<div class="{FIGURE_DATA_CLASS}"><details><summary>The figure\u2019s data</summary>'
        f'<div class="lr-scroll" tabindex="0" role="region" aria-label="{html.escape(caption)}">{table}</div>'
        f'<p class="lr-src">{html.escape(note)}</p></details>'
        f'<a class="lr-csv" download="{html.escape(name)}.csv" href="{html.escape(_csv_href(frame))}">'
        f"Download the figure\u2019s data (CSV, {len(frame)} rows)</a></div>",
        "text/latex": "",
    }


def show_figure(
    fig: Figure,
    alt: str,
    thumbnail: bool = False,
    data: pd.DataFrame | None = None,
    note: str = "",
    name: str = "figure",
) -> None:
    """Display a matplotlib figure with its alt text, then close it (`thumbnail`: the report's picture).

    With `data` (the rows the figure draws, in a reader's columns), its numbers follow it: a table under a
    disclosure with the figure's source `note`, and a CSV download named `name`.csv.
    """
    import matplotlib.pyplot as plt

    finish_figures()
    if not _show_before_the_phone(fig, alt, thumbnail):
        bundle, metadata = figure_data(fig, alt, thumbnail)
        plt.close(fig)
        _publish(bundle, metadata=metadata)
    if data is not None:
        _publish(figure_table_data(data, note, name, f"Data of the figure: {alt}"))


def _tokens(template: str, values: Mapping[str, Any]) -> list[tuple[str, bool]]:
    """Split `template` into (text, trusted) tokens: literal parts are trusted, values are not."""
    tokens: list[tuple[str, bool]] = []
    formatter = Formatter()
    for literal, field, spec, conversion in formatter.parse(template):
        if literal:
            tokens.append((literal, True))
        if field is not None:
            value = formatter.get_field(field, (), values)[0]
            value = formatter.convert_field(value, conversion)
            tokens.append((formatter.format_field(value, spec or ""), False))
    return tokens


def _markup(tokens: list[tuple[str, bool]], escape: Callable[[str], str], bold_open: str, bold_close: str) -> str:
    text = "".join(escape(t).replace("**", _BOLD) if trusted else escape(t) for t, trusted in tokens)
    pieces = text.split(_BOLD)
    return "".join(p + (bold_open if i % 2 == 0 else bold_close) for i, p in enumerate(pieces[:-1])) + pieces[-1]


class Sentence(NamedTuple):
    """A sentence of a report: a `str.format` template, `**bold**` allowed, and the values it fills in.

    The template is the code's own text; the values may come from data/ and are escaped when shown.
    """

    template: str
    values: Mapping[str, Any] = MappingProxyType({})

    def formatted(self) -> str:
        """The template filled in, `**` markup kept: what a test or a log reads."""
        return self.template.format(**self.values)


def sentence_data(sentence: Sentence) -> Bundle:
    """The display bundle of `sentence`: its `{fields}` filled from its values, which are escaped.

    A `Link` value becomes a link (in HTML and in the PDF); its text is what the plain form shows.
    """
    links = {f"\x00L{i}\x00": v for i, v in enumerate(sentence.values.values()) if isinstance(v, Link)}
    marks = {id(v): mark for mark, v in links.items()}
    values = {k: marks.get(id(v), v) for k, v in sentence.values.items()}
    tokens = _tokens(sentence.template, values)
    bundle = {
        "text/html": "<p>" + _markup(tokens, html.escape, "<strong>", "</strong>") + "</p>",
        "text/latex": _markup(tokens, escape_latex, r"\textbf{", "}") + "\n",
        "text/plain": "".join(t.replace("**", "") if trusted else t for t, trusted in tokens),
    }
    for mark, link in links.items():
        bundle["text/html"] = bundle["text/html"].replace(mark, cell_html(link))
        bundle["text/latex"] = bundle["text/latex"].replace(mark, _link_latex(link))
        bundle["text/plain"] = bundle["text/plain"].replace(mark, link.text)
    return bundle


def say(template: str, /, **values: Any) -> None:
    """Display a sentence with computed values, e.g. `say("It took {days:.1f} days.", days=d)`."""
    _publish(sentence_data(Sentence(template, values)))


class Finding(NamedTuple):
    """A key finding: a sentence and the heading of the section that shows its evidence."""

    sentence: Sentence
    section: str

    @property
    def anchor(self) -> str:
        """The section heading's id as the HTML export makes it (spaces become '-')."""
        return self.section.replace(" ", "-")


FINDINGS_HEADING = "Key findings"


def findings_data(findings: list[Finding]) -> Bundle:
    """The display bundle of the key findings: a list under the title, each linking to its section."""
    items_html, items_latex, items_text = [], [], []
    for finding in findings:
        body = sentence_data(finding.sentence)
        items_html.append(
            f'<li>{body["text/html"][3:-4]} <a class="lr-more" href="#{html.escape(finding.anchor)}">'
            f"{html.escape(finding.section)}</a></li>"
        )
        items_latex.append(rf"\item {body['text/latex'].strip()}")
        items_text.append(f"- {body['text/plain']}")
    return {
        "text/html": f'<section class="lr-findings" aria-label="{FINDINGS_HEADING}"><h2>{FINDINGS_HEADING}</h2>'
        f"<ol>{''.join(items_html)}</ol></section>",
        "text/latex": rf"\subsection*{{{FINDINGS_HEADING}}}"
        + "\n\\begin{enumerate}\n"
        + "\n".join(items_latex)
        + "\n\\end{enumerate}\n",  # numbered, not bulleted: a bullet is a character the HTML does not have
        "text/plain": "\n".join([FINDINGS_HEADING, *items_text]),
    }


def show_findings(findings: list[Finding]) -> None:
    """Display the key findings (nothing when there is none)."""
    if findings:
        _publish(findings_data(findings))
