"""Shared fixtures: the project's paths and a loaded fact base."""
from __future__ import annotations

from pathlib import Path

import pytest

from lunar_report import load_facts, paths


@pytest.fixture(scope="session")
def project_dir() -> Path:
    return paths.PROJECT_DIR


@pytest.fixture(scope="session")
def facts():
    return load_facts()
