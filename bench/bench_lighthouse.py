"""Lighthouse scores of the rendered site, served by a local static server (as GitHub Pages would serve it).

    python bench/bench_lighthouse.py [REPORTS_DIR]     # default: reports/ (render it first)

Each page gets Lighthouse's mobile run (performance on an emulated phone and slow network) and its
desktop run; the table prints accessibility, best practices and SEO (same in both) and the mobile and
desktop performance, with the targets. Lighthouse comes from tests/browser's npm lock
(`scripts/system-deps.sh test` installs it); Chromium is /usr/bin/chromium. Results also land in
bench/results/lighthouse.json. Exit 1 when a target is missed.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "tests" / "browser" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
    "--disable-sync --no-first-run"
)
TARGETS = {"accessibility": 98, "best-practices": 100, "seo": 98, "performance": 90}
PAGES = ("index", "timeline", "mission-change-5", "mission-change-6", "claims", "editions", "build", "search")


class _SubPath(SimpleHTTPRequestHandler):
    """The folder served under /site/ only (as on GitHub Pages), so every link must be relative to work."""

    def translate_path(self, path: str) -> str:
        inner = path.split("?", 1)[0]
        if not inner.startswith("/site/"):
            return str(Path(self.directory) / "__missing__")
        return super().translate_path("/" + inner[len("/site/") :])

    def log_message(self, *args: object) -> None:
        pass


def _lighthouse(url: str, desktop: bool) -> dict[str, int]:
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=performance,accessibility,best-practices,seo",
        *(["--preset=desktop"] if desktop else []),
    ]
    env = {"CHROME_PATH": "/usr/bin/chromium", "PATH": "/usr/bin:/bin"}
    report = json.loads(subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout)
    return {name: round(100 * (c["score"] or 0)) for name, c in report["categories"].items()}


def main(folder: Path) -> int:
    if not LIGHTHOUSE.is_file():
        print(f"error: {LIGHTHOUSE} is missing: run scripts/system-deps.sh test", file=sys.stderr)
        return 1
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SubPath, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/site/"  # a sub-path, as on GitHub Pages
    results, missed = {}, []
    print(f"{'page':<18}{'a11y':>6}{'best':>6}{'seo':>6}{'perf mobile':>13}{'perf desktop':>14}")
    try:
        for page in PAGES:
            if not (folder / f"{page}.html").is_file():
                continue
            mobile, desktop = _lighthouse(f"{base}{page}.html", False), _lighthouse(f"{base}{page}.html", True)
            results[page] = {"mobile": mobile, "desktop": desktop}
            print(
                f"{page:<18}{mobile['accessibility']:>6}{mobile['best-practices']:>6}{mobile['seo']:>6}"
                f"{mobile['performance']:>13}{desktop['performance']:>14}"
            )
            missed += [f"{page} {k} {mobile[k]} < {t}" for k, t in TARGETS.items() if mobile[k] < t]
    finally:
        server.shutdown()
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "results" / "lighthouse.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print("targets: " + ", ".join(f"{k} ≥ {t}" for k, t in TARGETS.items()) + " (performance: mobile)")
    print("all met" if not missed else "missed: " + "; ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "reports").resolve()))
