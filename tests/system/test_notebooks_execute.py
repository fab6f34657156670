"""Report notebooks under papermill with parameters other than the defaults, and a parameter error in the kernel.

Each notebook's run with its defaults is covered by the golden tests (tests/test_golden.py, on the
`known` fixture) and by the rendered reports of the shipped data (the `rendered_reports` fixture);
the checkers' messages by tests/test_parameters.py. These runs add what those do not: another window,
zone, category set and comparison set reaching the kernel, and a checker's error raised in the
kernel as one line. Answers: tests/fixtures/known/README.md.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from known import KNOWN
from lunar_report import paths

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"

pytestmark = pytest.mark.slow


def run(tmp_path, notebook: str, **parameters) -> str:
    """Execute `notebook` on the known fixture with `parameters`; return the plain text of all its outputs."""
    import papermill  # here: the fast tier imports this module only to deselect it

    output = tmp_path / notebook
    papermill.execute_notebook(
        str(NOTEBOOKS / notebook),
        str(output),
        parameters={"data_dir": str(KNOWN), **parameters},
        kernel_name=paths.KERNEL_NAME,
        cwd=str(NOTEBOOKS),
        progress_bar=False,
    )
    executed = nbformat.read(output, as_version=4)
    texts = [
        out.get("data", {}).get("text/plain", "") or out.get("text", "")
        for cell in executed.cells
        if cell.cell_type == "code"
        for out in cell.outputs
    ]
    return "\n".join(texts)


def test_timeline_in_beijing_time_for_another_window_and_categories(tmp_path):
    text = run(
        tmp_path,
        "timeline.ipynb",
        start="2020-11",
        end="2021-06",
        timezone="Asia/Shanghai",
        categories=["mission", "agreement", "briefing"],
        as_of="2021-06-30",
    )
    assert "Clock times are shown in Asia/Shanghai, UTC+8" in text
    assert "1 November 2020 08:00:00 Asia/Shanghai (UTC+8)" in text, "Fixture Lander 1's launch, 00:00 UTC"
    assert "From “Memorandum signed” to “Roadmap released”: 98 days (0.27 years)." in text
    assert "On 30 June 2021 the plan is in Fixture phase 1: survey, which began in 2021: 0.5 years ago." in text
    assert "It is planned to run to the end of 2025: 4.5 years from then." in text
    assert "Fixture Probe 0" not in text, "2010 is outside the window"
    assert "Testland joins" not in text, "partner events are not among the chosen categories"


def test_mission_with_a_comparison_set(tmp_path):
    text = run(
        tmp_path, "mission_figures.ipynb", mission="fx-probe-0", compare_with=["fx-crewed-1"], as_of="2026-11-25"
    )
    assert "Computed from the data, Fixture Probe 0 took 20.25 days (20 d 6 h 0 min)" in text
    assert "The article states no duration for Fixture Probe 0." in text
    assert "35.4 years after the previous sample return, Fixture Crewed 1" in text
    assert "The data holds no claims about Fixture Probe 0." in text
    assert "Fixture Crewed 1" in text and "Fixture Lander 1" not in text, "only the chosen missions are compared"


def test_a_checker_error_in_the_kernel_is_one_line(tmp_path):
    from papermill import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as caught:
        run(tmp_path, "mission_figures.ipynb", mission="fx-lander-9")
    assert caught.value.ename == "ParameterError"
    assert caught.value.evalue == (
        "mission: unknown mission 'fx-lander-9'; choose from: fx-crewed-1, fx-lander-1, fx-lander-2, fx-probe-0, fx-probe-9."
    )
