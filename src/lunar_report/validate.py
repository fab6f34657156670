"""Validate the fact base: every problem reported as `file:row:column: message`."""
from __future__ import annotations

import os
from dataclasses import dataclass

from . import paths
from .errors import DataError
from .facts import load_facts


@dataclass(frozen=True)
class ValidationReport:
    """Counts per table of a fact base that passed validation."""

    counts: dict[str, int]

    def summary(self) -> str:
        parts = ", ".join(f"{n} {name}" for name, n in self.counts.items())
        return f"data OK: {parts}"


def validate_data(data_dir: str | os.PathLike | None = None) -> ValidationReport:
    """Check the data folder; raise DataError listing every problem."""
    folder = paths.data_dir(data_dir)
    try:
        facts = load_facts(folder)
    except (OSError, ValueError, KeyError) as exc:
        raise DataError([f"{folder}: {exc}"]) from None
    tables = ("sources", "events", "missions", "figures", "agreements", "agreement_sections", "claims")
    return ValidationReport({name: len(getattr(facts, name)) for name in tables})
