"""reports/index.html: every report with its title, as-of date, parameters, fingerprint and links."""
from __future__ import annotations

import html

from .manifest import Entry

_STYLE = """
body { font-family: "DejaVu Serif", Georgia, serif; max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; color: #1b1b1b; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th { text-align: left; border-bottom: 2px solid #333; padding: .4rem; }
td { border-bottom: 1px solid #ddd; padding: .4rem; vertical-align: top; }
code { font-size: .85rem; }
.failed { color: #8a1c00; font-weight: bold; }
"""


def _parameters(entry: Entry) -> str:
    shown = {k: v for k, v in entry.parameters.items() if k != "data_dir"}
    return ", ".join(f"<code>{html.escape(k)} = {html.escape(str(v))}</code>" for k, v in shown.items())


def _row(name: str, entry: Entry) -> str:
    quoted = html.escape(name, quote=True)
    links = f'<a href="{quoted}.html">HTML</a> · <a href="{quoted}.pdf">PDF</a>'
    if entry.status == "failed":
        links += f' · <a class="failed" href="_failed/{quoted}.html">failed: see why</a>'
    return (
        f"<tr><td><strong>{html.escape(entry.title)}</strong><br><code>{html.escape(name)}</code></td>"
        f"<td>{html.escape(entry.as_of)}</td><td>{_parameters(entry)}</td>"
        f"<td><code>{entry.fingerprint[:12]}</code></td><td>{links}</td></tr>"
    )


def index_html(entries: dict[str, Entry]) -> bytes:
    """The index page; a function of the entries alone (no clock times), so unchanged input gives unchanged bytes."""
    rows = "\n".join(_row(name, entries[name]) for name in sorted(entries))
    page = f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>lunar-report: reports</title><style>{_STYLE}</style></head>
<body>
<h1>lunar-report</h1>
<p>Reports on China–Russia lunar cooperation and the Chang’e-5 sample return, built from the sourced fact base.</p>
<table>
<thead><tr><th>Report</th><th>As of</th><th>Parameters</th><th>Fingerprint</th><th>Files</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</body>
</html>
"""
    return page.encode("utf-8")
