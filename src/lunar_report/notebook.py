"""Set-up shared by every report notebook: figure formats and table rendering."""
from __future__ import annotations

import matplotlib
import pandas as pd


def setup_display() -> None:
    """Vector figures (SVG for HTML, PDF for LaTeX) and DataFrames as LaTeX tables in the PDF."""
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    matplotlib.rcParams.update({"svg.hashsalt": "lunar-report", "figure.dpi": 100})
    set_matplotlib_formats("svg", "pdf")
    pd.set_option("styler.render.repr", "latex")
