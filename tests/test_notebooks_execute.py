"""Each report notebook runs under papermill on the project kernel, with its defaults and with other parameters."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill
import pytest

from lunar_report import paths

PROJECT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow
AS_OF = "2026-11-25"


def run(tmp_path, notebook: str, **parameters) -> str:
    """Execute `notebook` with `parameters`; return the plain text of all its outputs."""
    output = tmp_path / notebook
    papermill.execute_notebook(
        str((PROJECT / "notebooks") / notebook),
        str(output),
        parameters=parameters,
        kernel_name=paths.KERNEL_NAME,
        cwd=str(PROJECT / "notebooks"),
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


def failure(tmp_path, notebook: str, **parameters) -> str:
    """The one-line message a notebook fails with for bad `parameters`."""
    with pytest.raises(papermill.PapermillExecutionError) as caught:
        run(tmp_path, notebook, **parameters)
    assert caught.value.ename == "ParameterError"
    return caught.value.evalue


def test_timeline_defaults(tmp_path):
    text = run(tmp_path, "timeline.ipynb", as_of=AS_OF)
    assert "Clock times are shown in UTC" in text
    assert "23 November 2020 20:30:12 UTC" in text
    assert "1,224 days (3.35 years)" in text
    assert "[Figure: Timeline of the cooperation's events, one lane per category]" in text
    assert (
        "Latest stated target: before 2030 (set by CMSA (Lin Xiqiang) on 29 May 2023, last reaffirmed by CASC" in text
    )
    assert "Facts reviewed up to April 2026" in text
    assert "countries on 28 April 2025, against" in text and "with a dated government-level joining in the data" in text


def test_timeline_in_beijing_time_for_another_window(tmp_path):
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
    assert "24 November 2020 04:30:12 Asia/Shanghai (UTC+8)" in text
    assert "Ilrs phase" not in text and "September 2023" not in text
    assert "From “Memorandum signed” to “Roadmap released”: 99 days (0.27 years)." in text
    assert "On 30 June 2021 the plan is in ILRS phase 1: reconnaissance" in text


def test_mission_change5_defaults(tmp_path):
    text = run(tmp_path, "mission_figures.ipynb", as_of=AS_OF)
    assert "Computed from the data, Chang’e-5 took 22.90 days (22 d 21 h 29 min)" in text
    assert "The article says “about 23 days”" in text
    assert "Chang’e-5's capsule landed 44.3 years after the previous sample return, Luna 24" in text
    assert "Sources disagree on Luna 20" in text
    assert "claims about Chang’e-5 were checked" in text


def test_mission_change6_with_a_comparison_set(tmp_path):
    text = run(tmp_path, "mission_figures.ipynb", mission="change-6", compare_with=["luna-16", "luna-24"])
    assert "Computed from the data, Chang’e-6 took 52.86 days (52 d 20 h 40 min)" in text
    assert "The article states no duration for Chang’e-6." in text
    assert "It has no event for: Lunar orbit insertion." in text
    assert "3.5 years after the previous sample return, Chang’e-5" in text
    assert "The data holds no claims about Chang’e-6." in text
    assert "Luna 16" in text and "Apollo 11" not in text, "only the chosen missions are compared"


def test_claims_defaults(tmp_path):
    text = run(tmp_path, "claims.ipynb", as_of=AS_OF)
    assert "32 claims in the article were checked" in text
    assert "[Figure: Number of claims per verdict]" in text
    assert "https://news.cgtn.com/" in text


def test_unknown_mission_fails_with_one_line(tmp_path):
    message = failure(tmp_path, "mission_figures.ipynb", mission="change-9")
    assert message.startswith("mission: unknown mission 'change-9'; choose from: apollo-11, apollo-12, ")
    assert "\n" not in message


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        ({"timezone": "Europe/Paris"}, "timezone: unknown timezone 'Europe/Paris'; choose from: UTC, Asia/Shanghai."),
        ({"start": "2024", "end": "2021"}, "start (2024) is after end (2021); give a start on or before the end."),
    ],
)
def test_bad_timeline_parameters_fail_with_one_line(tmp_path, parameters, expected):
    assert failure(tmp_path, "timeline.ipynb", **parameters) == expected
