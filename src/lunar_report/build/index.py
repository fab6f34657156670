"""reports/index.html: every configured report with its title, as-of date, parameters and links."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .manifest import Entry, Status

TEMPLATES = Path(__file__).resolve().parent / "templates"
FAILED_DIR = "_failed"


def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(TEMPLATES / "site"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def _row(name: str, entry: Entry, out_dir: Path) -> dict[str, Any]:
    links = [
        (label, f"{name}.{ext}")
        for label, ext in (("HTML", "html"), ("PDF", "pdf"))
        if (out_dir / f"{name}.{ext}").is_file()
    ]
    failed = f"{FAILED_DIR}/{name}.html"
    fingerprints = sorted({o.fingerprint for o in entry.outputs.values()})
    return {
        "name": name,
        "title": entry.title,
        "as_of": entry.as_of,
        "parameters": {k: str(v) for k, v in entry.parameters.items()},
        "fingerprint": fingerprints[0][:12] if len(fingerprints) == 1 else "",
        "links": links,
        "failed": failed if entry.status == Status.FAILED and (out_dir / failed).is_file() else "",
    }


def index_html(entries: dict[str, Entry], configured: list[str], out_dir: Path) -> bytes:
    """The index page: configured reports in configuration order, then one-off renders by name.

    A function of the entries and the files present (no clock), so unchanged input gives unchanged bytes;
    it links only files that exist.
    """
    rows = [_row(name, entries[name], out_dir) for name in configured if name in entries]
    one_off = [
        _row(n, entries[n], out_dir) for n in sorted(entries) if not entries[n].configured and n not in configured
    ]
    page: str = _environment().get_template("index.html.j2").render(configured=rows, one_off=one_off)
    return page.encode("utf-8")
