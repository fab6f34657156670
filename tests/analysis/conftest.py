"""Fixtures shared by the analysis tests: the known fixture fact base and its events."""

from __future__ import annotations

import pytest

from known import known_facts
from lunar_report.analysis.provenance import reference_events


@pytest.fixture(scope="module")
def known():
    """The known fixture fact base (loaded once)."""
    return known_facts()


@pytest.fixture(scope="module")
def events(known):
    """The known fixture's events with their references (the timeline's input)."""
    return reference_events(known)
