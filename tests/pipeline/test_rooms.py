"""The pipeline's rooms and the import contracts that keep them: a wrong import fails `make lint`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIPELINE = ROOT / "src" / "lunar_report" / "pipeline"
ROOMS = ("preview", "run", "site", "store", "config", "base")  # top floor first


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    """import-linter on the copy of the package in `project`, with the project's own contracts."""
    lint = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(lint), "--config", str(project / "pyproject.toml"), "--no-cache"],
        cwd=project,
        env={"PYTHONPATH": str(project / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy(tmp_path) -> Path:
    """The package and pyproject.toml copied, for a change that must fail the contracts."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(
        ROOT / "src" / "lunar_report", tmp_path / "src" / "lunar_report", ignore=shutil.ignore_patterns("__pycache__")
    )
    return tmp_path


def add_import(copy: Path, module: str, line: str) -> None:
    path = copy / "src" / "lunar_report" / "pipeline" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_every_module_of_the_pipeline_lives_in_a_room():
    rooms = {p.name for p in PIPELINE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert rooms == set(ROOMS)
    assert sorted(p.name for p in PIPELINE.glob("*.py")) == ["__init__.py"]
    for room in ROOMS:
        modules = [p for p in (PIPELINE / room).glob("*.py") if p.name != "__init__.py"]
        assert 2 <= len(modules) <= 9, f"pipeline/{room} holds {len(modules)} modules"


def test_the_pipeline_lists_its_rooms_in_the_order_of_the_contract():
    import lunar_report.pipeline

    listed = [line.split("``")[1] for line in lunar_report.pipeline.__doc__.splitlines() if line.startswith("- ``")]
    assert listed == list(ROOMS)
    contract = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f"layers = {list(ROOMS)}".replace("'", '"') in contract


@pytest.mark.slow
def test_the_contracts_hold_for_the_code_as_it_is(copy):
    result = lint_imports(copy)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_an_import_from_a_lower_room_to_a_higher_one_fails_lint(copy):
    add_import(copy, "store/manifest.py", "from ..site import links  # noqa")
    result = lint_imports(copy)
    assert result.returncode == 1
    assert "lunar_report.pipeline.store is not allowed to import lunar_report.pipeline.site" in result.stdout


@pytest.mark.slow
def test_a_cycle_inside_a_room_fails_lint(copy):
    add_import(copy, "store/editions.py", "from . import workspace  # noqa")  # workspace imports editions
    result = lint_imports(copy)
    assert result.returncode == 1
    assert "No cycles are allowed in lunar_report.pipeline.store" in result.stdout
