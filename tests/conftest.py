"""Shared fixtures: the project's paths, a loaded fact base, a private data copy and output folder, the shipped reports rendered."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# As the command line does (cli.main): nbformat's jsonschema would import rfc3987_syntax, which
# builds its parsers at import (~2 s of CPU in each test process) for a format no notebook uses.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from helpers import copy_minimal, previous_outputs, refuse_kernels  # noqa: E402
from lunar_report import load_facts, paths  # noqa: E402

PROJECT = Path(__file__).resolve().parents[1]

# Fuzzing depth: the `ci` profile (the default, `make test`) keeps the properties in every run at a
# bounded cost; `pytest -m fuzz --hypothesis-profile=deep` explores far more inputs before a release.
# LUNAR_REPORT_FUZZ_EXAMPLES, when set, gives the examples of either.
_FUZZ = {"deadline": None, "database": None}  # no deadline on a loaded machine; write nothing into the project
settings.register_profile("ci", max_examples=int(os.environ.get("LUNAR_REPORT_FUZZ_EXAMPLES", 10)), **_FUZZ)
settings.register_profile("deep", max_examples=int(os.environ.get("LUNAR_REPORT_FUZZ_EXAMPLES", 500)), **_FUZZ)
settings.load_profile("ci")


def pytest_collection_modifyitems(items) -> None:
    """Modules with slow or fuzz tests first (each module kept whole): the long ones start while there is
    work left to balance the workers, instead of ending the run on one core."""
    heavy = {item.module for item in items if item.get_closest_marker("slow") or item.get_closest_marker("fuzz")}
    items.sort(key=lambda item: item.module not in heavy)


@pytest.fixture(scope="session")
def project_dir() -> Path:
    return PROJECT


@pytest.fixture(scope="session")
def facts():
    return load_facts()


@pytest.fixture(scope="module")
def load_once():
    """Within the module, `load_facts` validates and reads each data folder once and shares it (read-only).

    For modules whose tests only read their data folders (`pytestmark = pytest.mark.usefixtures("load_once")`):
    their checks are about what is done with the facts, and validation (~0.2 s a folder) is tested elsewhere.
    """
    from lunar_report.facts.load import loaded_once

    with loaded_once():
        yield


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A private copy of the small valid data set (tests/fixtures/minimal)."""
    return copy_minimal(tmp_path / "data")


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output folder holding what an earlier render left (see `helpers.previous_outputs`)."""
    return previous_outputs(tmp_path / "out")


@pytest.fixture
def no_kernel(monkeypatch) -> None:
    """The test fails if a report's notebook is executed: the mistake must be found before any kernel starts."""
    refuse_kernels(monkeypatch)


@pytest.fixture(scope="session")
def rendered_reports(tmp_path_factory, worker_id) -> Path:
    """Every report of reports.toml rendered once, as of 25 November 2026: the folder with the HTML, PDF and index.

    Under pytest-xdist the workers share one render: the first renders (the others wait on a file lock),
    and a render that failed fails every worker's tests with the same message.
    """
    return _shared_render(tmp_path_factory, worker_id, "rendered-reports", "chromium")


@pytest.fixture(scope="session")
def rendered_by_xelatex(tmp_path_factory, worker_id) -> Path:
    """As `rendered_reports`, with `pdf_engine = "xelatex"`: each PDF typeset from the notebook."""
    return _shared_render(tmp_path_factory, worker_id, "rendered-by-xelatex", "xelatex")


def _shared_render(tmp_path_factory, worker_id: str, name: str, engine: str) -> Path:
    if worker_id == "master":
        return _render_every_report(tmp_path_factory.mktemp(name), engine)
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp().parent / name
    with FileLock(f"{shared}.lock"):
        failed = shared.with_suffix(".failed")
        assert not failed.exists(), failed.read_text(encoding="utf-8") if failed.exists() else ""
        if not shared.is_dir():
            try:
                _render_every_report(shared, engine)
            except Exception as error:
                failed.write_text(str(error), encoding="utf-8")
                raise
    return shared


def _render_every_report(out: Path, engine: str) -> Path:
    from datetime import date

    from lunar_report.pipeline.config.reports import load_reports
    from lunar_report.pipeline.config.settings import RenderOptions
    from lunar_report.pipeline.run.render import render_reports

    outcomes = render_reports(
        load_reports(),
        RenderOptions(
            out_dir=out,
            data_dir=paths.data_dir(),
            as_of=date(2026, 11, 25),
            base_url="https://example.org/lunar/",
            pdf_engine=engine,
        ),
    )
    failed = [f"{o.name}: {o.message}" for o in outcomes if o.status != "rendered"]
    assert not failed, "reports failed to render:\n" + "\n".join(failed)
    return out


@pytest.fixture
def published(monkeypatch) -> list[dict]:
    """What lunar_report.analysis.display publishes (its bundles), in order, instead of sending it to a kernel."""
    from lunar_report.analysis import display

    outputs: list[dict] = []
    monkeypatch.setattr(display, "_publish", lambda data, metadata=None: outputs.append(data))
    return outputs
