"""PDF objects as pypdf reads them: what the structure tree code of the combined PDF and of Chromium's
prints share."""

from __future__ import annotations

from typing import Any


def items(value: Any) -> list[Any]:
    """A PDF value that is one object or an array of them (one is often written without the array, as Chromium
    does for a single kid or attribute), as a list of its items as stored: references stay references."""
    if value is None:
        return []
    value = value.get_object()
    return list(value) if isinstance(value, list) else [value]
