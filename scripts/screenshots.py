"""Screenshots of each kind of page at a phone's and a laptop's width, for docs/images/.

    .venv/bin/python scripts/screenshots.py SITE   # SITE: a rendered reports/ folder (`make report`)

Writes docs/images/<page>-phone.png (390 px wide, its first two screens) and <page>-desktop.png
(1280 px, its first screen), reduced to 256 colours. Offline, in the Chromium the browser tests use.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

PAGES = {
    "front-page": "index.html",
    "report": "claims.html",
    "timeline-report": "timeline.html",
    "mission-report": "mission-change-5.html",
    "claim-page": "claims/claim-six-sections.html",
    "editions": "editions.html",
    "search": "search.html",
    "build": "build.html",
}
SIZES = {"phone": (390, 844, 2), "desktop": (1280, 900, 1)}  # width, screen height, screens shown
IMAGES = Path(__file__).resolve().parents[1] / "docs" / "images"


def main(site: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
        for device, (width, height, screens) in SIZES.items():
            page = browser.new_context(offline=True, viewport={"width": width, "height": height}).new_page()
            for name, file in PAGES.items():
                page.goto((site / file).as_uri(), wait_until="load")
                page.evaluate(  # lazy pictures below the first screen: loaded for the picture of the page
                    "Promise.all(Array.from(document.images).map(i => { i.loading = 'eager'; return i.decode().catch(() => null); }))"
                )
                shown = min(height * screens, page.evaluate("document.documentElement.scrollHeight"))
                target = IMAGES / f"{name}-{device}.png"
                page.screenshot(
                    path=str(target), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": shown}
                )
                Image.open(target).convert("RGB").quantize(256).save(target, optimize=True)
                print(target.relative_to(IMAGES.parents[1]))
        browser.close()


if __name__ == "__main__":
    if len(sys.argv) != 2 or not Path(sys.argv[1], "index.html").is_file():
        sys.exit("usage: scripts/screenshots.py SITE (a rendered reports/ folder with index.html)")
    main(Path(sys.argv[1]))
