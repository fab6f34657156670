"""lunar-report: sourced facts on China–Russia lunar cooperation, rendered as reports."""

from __future__ import annotations

from importlib import import_module

# Public names, imported on first use so that `lunar-report --help` stays fast.
_EXPORTS = {
    "DataError": "errors",
    "LunarReportError": "errors",
    "ParameterError": "errors",
    "Facts": "facts.load",
    "load_facts": "facts.load",
    "validate_data": "facts.validate",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'lunar_report' has no attribute {name!r}")
