"""The Jinja2 templates of every page the build writes: one place to find them, for the site, feed, preview and exports.

`templates/lunar_html` and `templates/lunar_latex` are nbconvert's report templates;
`templates/site` the site's own pages, feed and combined PDF; `templates/preview` the preview's pages.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def environment(folder: str = "site") -> Environment:
    """Jinja2 for the templates in `templates/<folder>` (site pages by default), escaping by default."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(TEMPLATES / folder),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
