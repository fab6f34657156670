"""The preview's parameters forms in headless Chromium, as an author uses them: from the front page to a one-off
report with its command line; refusals on the form; shareable results; no axe-core violation at phone and desktop width.

One `lunar-report preview` runs on a project of the shipped notebooks and the known fixture's data.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from test_browser import AXE, AXE_TAGS, CHROMIUM, WIDTHS

from helpers import PreviewProcess, lunar_report, notebooks_project
from known import KNOWN
from lunar_report.pipeline.preview.server import without_hook

pytestmark = pytest.mark.slow

AS_OF = "2026-11-25"
COMMAND = f"lunar-report render mission-lander-1 -p mission fx-lander-2 --to html --as-of {AS_OF}"
BANNER = re.compile(rb"<!-- lunar-report preview: the command .*?<!-- /lunar-report preview -->\n", re.S)


class Preview(PreviewProcess):
    """Preview on the fixture project, at the tests' as-of date."""

    def __init__(self, root: Path, env: dict) -> None:
        super().__init__(root, env, AS_OF)

    def one_offs(self) -> list[str]:
        """The lines preview printed for one-off renders."""
        return [line for line in self.lines if "-custom:" in line]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = notebooks_project(tmp_path_factory.mktemp("parameters") / "project")
    shutil.copytree(KNOWN, root / "data")
    return root


@pytest.fixture(scope="module")
def preview(project):
    temp = Path(tempfile.mkdtemp(prefix="lp-", dir="/tmp"))  # short: kernel sockets need paths under ~100 bytes
    env = {**os.environ, "TMPDIR": str(temp)}
    env.pop("LUNAR_REPORT_DATA", None)
    running = Preview(project, env)
    try:
        yield running
    finally:
        code = running.stop()
        shutil.rmtree(temp, ignore_errors=True)
        assert code in (0, 130), "\n".join(running.lines)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need it. Run `make test`, which installs it.")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(240_000)  # a one-off renders a notebook: generous, never a timing target
    try:
        yield context.new_page()
    finally:
        context.close()


def _front_page(page, preview) -> None:
    """Open the front page once the first round has rendered it (the page shown before reloads by itself)."""
    deadline = time.monotonic() + 300
    while True:
        try:
            with urllib.request.urlopen(preview.url, timeout=30) as response:
                if response.status == 200:
                    break
        except urllib.error.HTTPError:
            pass
        assert time.monotonic() < deadline, "the front page was not rendered:\n" + "\n".join(preview.lines)
        time.sleep(0.5)
    assert page.goto(preview.url).status == 200


def test_from_the_front_page_to_another_missions_report_with_its_command(page, preview, project, tmp_path):
    _front_page(page, preview)
    page.get_by_role("link", name="mission_figures.ipynb: parameters").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Parameters of mission_figures"
    assert page.get_by_label("Mission").input_value() == "fx-lander-1"  # the configured report's value
    page.get_by_label("Mission").select_option("fx-lander-2")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Render").click()
    response = navigation.value
    body = response.body()
    assert response.status == 200, "\n".join(preview.lines)
    assert "/parameters/mission_figures/report?" in page.url and "mission=fx-lander-2" in page.url
    assert page.locator("#lr-command").inner_text() == COMMAND
    assert "Fixture Lander 2" in page.locator("main").inner_text()
    assert len(preview.one_offs()) == 1

    # the page is what the command writes, byte for byte, but for the command above it and the reload hook
    out = tmp_path / "rendered"
    arguments = COMMAND.split()[1:] + ["--out", str(out)]
    render = lunar_report(
        *arguments, cwd=project, env={k: v for k, v in os.environ.items() if k != "LUNAR_REPORT_DATA"}
    )
    assert render.wait(300) == 0, render.stderr.read()
    served = BANNER.sub(b"", without_hook(body), count=1)
    assert served == (out / "mission-lander-1-custom.html").read_bytes()

    # shareable: the address opened in a new page shows the same report, served from what was rendered
    other = page.context.browser.new_context().new_page()
    try:
        again = other.goto(page.url)
        assert again.status == 200 and again.body() == body
        assert other.locator("#lr-command").inner_text() == COMMAND
    finally:
        other.context.close()
    assert len(preview.one_offs()) == 1


def test_an_invalid_value_is_answered_on_the_form_with_400_and_no_render(page, preview):
    page.goto(preview.url + "parameters/timeline")
    page.get_by_label("Start").fill("soon")
    before = list(preview.lines)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Render").click()
    assert navigation.value.status == 400
    field = page.locator("#field-start")
    assert field.locator(".error").inner_text() == "start: 'soon' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD."
    assert page.get_by_label("Start").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Start").input_value() == "soon"
    time.sleep(0.5)
    assert preview.lines == before  # nothing rendered: the checker refused it before any kernel


def test_an_unknown_parameter_is_400_with_the_known_names(page, preview):
    response = page.goto(preview.url + "parameters/mission_figures/report?misson=fx-lander-2")
    assert response.status == 400
    assert page.locator("#form-error").inner_text() == (
        "unknown parameter 'misson'; the parameters of mission_figures are: mission, compare_with"
    )


def _violations(page, axe: str) -> list[str]:
    page.add_script_tag(content=axe)
    result = page.evaluate(f"axe.run(document, {{runOnly: {{type: 'tag', values: {AXE_TAGS}}}}})")
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} {v['help']}" for v in result["violations"]]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "address",
    [
        "",
        "parameters/mission_figures",
        "parameters/timeline",
        "parameters/timeline/report?start=soon",
        "parameters/mission_figures/report?mission=fx-lander-2",
    ],
)
def test_axe_finds_no_violation_on_the_forms_and_what_they_lead_to(browser, preview, address, width):
    axe = AXE.read_text(encoding="utf-8")
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        context.set_default_timeout(240_000)
        page = context.new_page()
        if address:
            page.goto(preview.url + address)
        else:
            _front_page(page, preview)
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        assert _violations(page, axe) == []
    finally:
        context.close()


def test_an_edit_of_the_data_renders_the_one_off_again(page, preview, project):
    address = preview.url + "parameters/mission_figures/report?mission=fx-lander-2"
    assert page.goto(address).status == 200  # rendered by an earlier test, or now
    rendered = len(preview.one_offs())
    missions = project / "data" / "missions.csv"
    original = missions.read_text(encoding="utf-8")
    assert original.count("Fixture Lander 2,") == 1
    missions.write_text(original.replace("Fixture Lander 2,", "Fixture Lander Two,"), encoding="utf-8")
    try:
        deadline = time.monotonic() + 300
        while "Fixture Lander Two" not in page.locator("main").inner_text():  # the open page reloads by itself
            assert time.monotonic() < deadline, "the one-off was not rendered again:\n" + "\n".join(preview.lines)
            time.sleep(0.5)
        assert len(preview.one_offs()) > rendered
        assert page.locator("#lr-command").inner_text() == COMMAND
    finally:
        missions.write_text(original, encoding="utf-8")
