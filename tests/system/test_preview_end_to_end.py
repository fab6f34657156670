"""lunar-report preview run as a user runs it: it serves, re-renders on an edit, shows errors and stops cleanly."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from helpers import PreviewProcess, lunar_report, make_project
from lunar_report.pipeline.preview.server import without_hook

AS_OF = "2026-11-25"
EDITED = "Chang’e-5 enters lunar orbit"  # an event title the timeline shows, once in events.csv


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


# -- the whole loop ------------------------------------------------------------------------------


class Running(PreviewProcess):
    """Preview on a copy of the project, with its stderr apart."""

    def __init__(self, root: Path, env: dict, stderr) -> None:
        super().__init__(root, env, AS_OF, stderr, wait=60)

    def until(self, path: str, predicate, seconds: float = 60) -> tuple[int, str]:
        deadline = time.monotonic() + seconds
        while True:
            status, body = fetch(self.url + path.lstrip("/"))
            if predicate(status, body):
                return status, body
            assert time.monotonic() < deadline, f"{path} did not change in {seconds} s:\n" + "\n".join(self.lines)
            time.sleep(0.1)


@pytest.mark.slow
def test_preview_serves_rerenders_shows_errors_and_stops_cleanly(tmp_path):
    root = make_project(tmp_path / "project")
    events = root / "data" / "events.csv"
    original = events.read_text(encoding="utf-8")
    assert original.count(EDITED) == 1
    temp = Path(tempfile.mkdtemp(prefix="lp-", dir="/tmp"))  # short: kernel sockets need paths under ~100 bytes
    env = {**os.environ, "TMPDIR": str(temp)}
    env.pop("LUNAR_REPORT_DATA", None)
    stderr = (tmp_path / "stderr.txt").open("w+", encoding="utf-8")
    preview = Running(root, env, stderr)
    try:
        status, page = preview.until("/timeline.html", lambda s, b: s == 200, seconds=180)
        assert EDITED in page and "/__preview__/wait" in page

        # the file served is the file `render --to html` writes, byte for byte
        out = tmp_path / "rendered"
        render = lunar_report("render", "timeline", "--to", "html", "--out", str(out), "--as-of", AS_OF, cwd=root)
        assert render.wait(300) == 0, render.stderr.read()
        assert without_hook(page.encode("utf-8")) == (out / "timeline.html").read_bytes()

        # a failing cell shows on its page
        status, page = preview.until("/broken.html", lambda s, b: s == 500, seconds=120)
        assert "deliberate failure for the test" in page

        # an edited title is served within a minute
        events.write_text(original.replace(EDITED, "Chang’e-5 reaches lunar orbit (edited)"), encoding="utf-8")
        preview.until("/timeline.html", lambda s, b: s == 200 and "reaches lunar orbit (edited)" in b)

        # invalid data: every page shows the problem; fixing it brings the report back
        events.write_text(original.replace(",day,Asia/Shanghai,", ",fortnight,Asia/Shanghai,", 1), encoding="utf-8")
        status, page = preview.until("/timeline.html", lambda s, b: "The data has problems" in b)
        assert status == 500 and "events.csv:4:precision: &#39;fortnight&#39; is not one of:" in page
        events.write_text(original, encoding="utf-8")
        preview.until("/timeline.html", lambda s, b: s == 200 and EDITED in b)
    finally:
        preview.process.send_signal(signal.SIGINT)
        try:
            preview.process.wait(60)
        finally:
            if preview.process.poll() is None:
                preview.process.kill()
        preview.reader.join(5)
        stderr.seek(0)
        err = stderr.read()
        stderr.close()
        leftovers = sorted(p.name for p in temp.iterdir())
        shutil.rmtree(temp, ignore_errors=True)
    assert preview.process.returncode in (0, 130), err
    assert "Traceback" not in err
    assert leftovers == []
