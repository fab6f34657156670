"""Every check made before any report runs: the as-of date, the data folder, the kernel, the notebooks, and
each report's parameters through its notebook's checker.

A mistake found here is the user's (exit 2): no kernel has run a cell, nothing is written.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ... import paths
from ...errors import ConfigError, ParameterError, UsageError
from ...facts import EARLIEST_DATE, LATEST_DATE
from .reports import CHECKER_MODULE, ReportSpec

EARLIEST_AS_OF, LATEST_AS_OF = EARLIEST_DATE, LATEST_DATE  # the dates the fact base supports
_GIVE_DATA = "give the folder that holds the CSV tables (--data DIR)"


def check_data_dir(data_dir: Path) -> Path:
    """UsageError unless the data folder is a readable folder (a usage mistake, found before anything runs)."""
    try:
        with os.scandir(data_dir) as entries:
            next(entries, None)
    except FileNotFoundError:
        raise UsageError(f"data folder {data_dir}: no such folder; {_GIVE_DATA}") from None
    except NotADirectoryError:
        raise UsageError(f"data folder {data_dir}: not a folder; {_GIVE_DATA}") from None
    except OSError as exc:
        raise UsageError(f"data folder {data_dir}: cannot be read ({exc.strerror}); {_GIVE_DATA}") from None
    return data_dir


def check_kernel(kernel_name: str = paths.KERNEL_NAME) -> None:
    """UsageError when the kernel the reports run on is not installed."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel  # (only when a render runs)

    try:
        KernelSpecManager().get_kernel_spec(kernel_name)
    except NoSuchKernel:
        raise UsageError(
            f"the Jupyter kernel {kernel_name!r} is not installed; run `make setup`, or "
            f"`python -m ipykernel install --sys-prefix --name {kernel_name}` in the project's environment"
        ) from None


def check_notebook(notebook: Path) -> None:
    """ConfigError when the notebook file is not a valid nbformat 4 notebook (found before its kernel starts)."""
    import nbformat  # (a second or so: only when a render runs)

    try:
        with warnings.catch_warnings():  # e.g. a missing cell id: nbformat fills it in, no need to alarm the user
            warnings.simplefilter("ignore")
            nbformat.validate(nbformat.read(notebook, as_version=4))
    except Exception as error:  # nbformat raises JSON, schema and conversion errors of several kinds
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise ConfigError(f"{notebook}: not a valid Jupyter notebook: {reason}") from None


def check_as_of(as_of: date) -> date:
    """`as_of` within the range the reports support, or UsageError."""
    if not EARLIEST_AS_OF <= as_of <= LATEST_AS_OF:
        raise UsageError(
            f"--as-of {as_of.isoformat()} is outside the supported range {EARLIEST_AS_OF} to {LATEST_AS_OF}"
        )
    return as_of


def _checker(path: str) -> Callable[..., Any]:
    """The function a notebook's metadata names as its parameter checker: a `validate_*` function of
    lunar_report.analysis.parameters, the one module checkers come from (reports.py refuses any other)."""
    from ...analysis import parameters  # declared in the import contracts; pandas and the fact base: only at preflight

    module, _, function = path.partition(":")
    found = getattr(parameters, function, None) if module == CHECKER_MODULE else None
    if not callable(found):
        raise UsageError(f"notebook metadata names the parameter checker {path!r}, which cannot be imported")
    return found  # type: ignore[no-any-return]


def check_report_parameters(spec: ReportSpec, data_dir: Path, as_of: date) -> None:
    """Run the notebook's host-side parameter checker (from its metadata) before any report runs.

    It gets the effective parameters: the notebook's defaults, the configured and `-p` values, and
    what render fills in, so every mistake it can see (start after end) is found here.
    """
    if not spec.checker:
        return
    arguments = spec.effective({"data_dir": str(data_dir), "as_of": as_of.isoformat()})
    try:
        _checker(spec.checker)(**arguments)
    except ParameterError as exc:
        raise ParameterError(f"report {spec.name}: {exc}") from None
    except TypeError as exc:  # the checker does not take a parameter the notebook declares
        raise ParameterError(f"report {spec.name}: {spec.checker} refuses the parameters: {exc}") from None


@dataclass(frozen=True)
class Hints:
    """What the parameter checkers know beyond a notebook's defaults, for a form."""

    choices: dict[str, tuple[str, ...]]  # parameter -> the values accepted (missions of the fact base, ...)
    periods: tuple[str, ...] = ()  # parameters read as a period (YYYY, YYYY-MM or YYYY-MM-DD)
    several: tuple[str, ...] = ()  # parameters holding a list of choices


def parameter_hints(data_dir: Path) -> Hints:
    """The checkers' hints: the values they accept by parameter name, which parameters are periods or lists."""
    from ...analysis import parameters  # declared in the import contracts; pandas and the fact base: only when asked

    return Hints(parameters.known_values(data_dir), parameters.PERIODS, parameters.SEVERAL)


def check_settings(as_of: date, data_dir: Path) -> None:
    """UsageError when the as-of date is out of range or the data folder cannot be read: before anything is opened."""
    check_as_of(as_of)
    check_data_dir(data_dir)


def preflight(specs: list[ReportSpec], data_dir: Path, as_of: date) -> None:
    """Everything that can be checked before any report runs: the kernel, every report's parameters."""
    from ...facts.load import loaded_once  # (pandas: only when a report runs)

    check_kernel()
    for notebook in dict.fromkeys(spec.notebook for spec in specs):
        check_notebook(notebook)
    with loaded_once():  # one fact base for every report's checker: linear in the number of reports
        for spec in specs:
            check_report_parameters(spec, data_dir, as_of)
