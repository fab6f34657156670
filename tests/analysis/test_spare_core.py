"""A forked copy of the kernel does one piece of work on a spare core; without one, or when the copy fails, the
caller does it itself."""

from __future__ import annotations

import os
import time

import pytest

from lunar_report import paths
from lunar_report.analysis import spare_core

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


@pytest.fixture
def spare(monkeypatch):
    monkeypatch.setenv(paths.SPARE_CORE_ENV, "1")


def test_without_a_spare_core_the_caller_does_the_work(monkeypatch):
    monkeypatch.delenv(paths.SPARE_CORE_ENV, raising=False)
    assert spare_core.in_a_copy(lambda: 1) is None
    monkeypatch.setenv(paths.SPARE_CORE_ENV, "0")
    assert spare_core.in_a_copy(lambda: 1) is None


def test_the_copy_returns_the_work_s_result_and_prints_nothing(spare, capfd):
    def work():
        print("from the copy")
        return {"svg": "<svg/>" * 50_000, "width": 366}  # more than a pipe holds at once

    result = spare_core.in_a_copy(work)
    assert result is not None and result() == {"svg": "<svg/>" * 50_000, "width": 366}
    assert capfd.readouterr().out == ""


def test_a_copy_that_fails_gives_none(spare):
    def work():
        raise ValueError("a glyph is missing")

    assert spare_core.in_a_copy(work)() is None


def test_a_copy_that_hangs_is_stopped(spare):
    started = time.monotonic()
    assert spare_core.in_a_copy(lambda: time.sleep(30), wait=0.5)() is None
    assert time.monotonic() - started < 10


def test_a_figure_drawn_with_a_spare_core_is_the_same_bytes(monkeypatch):
    import matplotlib.pyplot as plt

    from lunar_report.analysis.display import figure_data, setup_display

    monkeypatch.setenv(paths.FORMATS_ENV, "html")
    setup_display()

    def drawn() -> tuple:
        fig, ax = plt.subplots(figsize=(5.2, 3))
        ax.plot([1, 2], [3, 4], label="a series")
        ax.set_yticks([3, 4], ["a category with a long name", "short"])
        ax.legend(loc="upper left")
        fig.text(0.01, -0.01, "Source: " + "publishers and titles; " * 8, va="top", wrap=True)
        try:
            return figure_data(fig, alt="test", thumbnail=True)
        finally:
            plt.close(fig)

    monkeypatch.delenv(paths.SPARE_CORE_ENV, raising=False)
    alone = drawn()
    monkeypatch.setenv(paths.SPARE_CORE_ENV, "1")
    assert drawn() == alone
