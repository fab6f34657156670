"""Execute a report's notebook with papermill on the project's kernel, reproducibly."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import nbformat

from ... import paths
from ...errors import ReportFailed
from .kernels import kernel_manager_class

if TYPE_CHECKING:
    from .kernels import KernelPool

READS_TAG = "lunar-report-reads"
READS_SOURCE = "from lunar_report.facts.load import report_reads\nreport_reads()"
_INJECTED_TAGS = {"injected-parameters", "papermill-error-cell-tag"}

# What nbclient and asyncio log when a cell times out or a kernel dies ("Timeout waiting for execute
# reply", "Task was destroyed but it is pending!") reaches the user as the report's one failure line.
for _name in ("papermill", "traitlets", "asyncio"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


def _with_reads_cell(notebook: Any) -> Any:
    cell = nbformat.v4.new_code_cell(READS_SOURCE, id="lunar-report-reads")
    cell.metadata["tags"] = [READS_TAG]
    notebook.cells.append(cell)
    return notebook


def take_report(notebook: Any) -> tuple[list[str], dict[str, str], dict[str, dict[str, Any]]]:
    """Remove the tagged reads cell; return the data files the kernel read (absolute paths), its key figures and
    the pages it noted beside the report (name -> content)."""
    tagged = [c for c in notebook.cells if READS_TAG in c.metadata.get("tags", [])]
    notebook.cells = [c for c in notebook.cells if c not in tagged]
    text = "".join(o.get("text", "") for c in tagged for o in c.get("outputs", []) if o.get("name") == "stdout")
    reported = json.loads(text) if text.strip() else {}
    figures = {str(k): str(v) for k, v in reported.get("figures", {}).items()}
    return list(reported.get("files", [])), figures, {str(k): dict(v) for k, v in reported.get("pages", {}).items()}


def take_reads(notebook: Any) -> list[str]:
    """Remove the tagged reads cell; return the data files the kernel read (absolute paths)."""
    return take_report(notebook)[0]


def normalise(notebook: Any) -> None:
    """Drop what differs between runs of the same inputs: timings, random ids, execution counts."""
    notebook.metadata.pop("papermill", None)
    for cell in notebook.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
        if cell.cell_type == "code":
            cell.execution_count = None
            for output in cell.outputs:
                output.pop("execution_count", None)


def failing_cell(notebook: Any) -> int | None:
    """1-based position of the failing cell in the notebook file (cells papermill added not counted)."""
    own = [c for c in notebook.cells if not _INJECTED_TAGS & set(c.metadata.get("tags", []))]
    for position, cell in enumerate(own, start=1):
        if cell.cell_type == "code" and any(o.output_type == "error" for o in cell.outputs):
            return position
    return None


class Executed(NamedTuple):
    """An executed, normalised notebook with what its kernel reported."""

    notebook: Any
    reads: list[str]  # data files read (absolute paths)
    figures: dict[str, str]  # key figures (name -> value as shown)
    pages: dict[str, dict[str, Any]]  # pages beside the report (name -> what it shows)


def execute_report(
    report: str,
    notebook_path: Path,
    parameters: dict[str, Any],
    workdir: Path,
    kernel_name: str = paths.KERNEL_NAME,
    kernels: KernelPool | None = None,
    timeout: int | None = None,
) -> Executed:
    """Run the notebook with `parameters` injected; return it with the data files it read and its key figures.

    The executed copy, the kernel's connection file and its sockets live in `workdir`; with
    `kernels`, a warm kernel from the pool is used when one is ready (and shut down after).
    Raises ReportFailed, carrying the executed notebook with its error, when a cell raises or
    runs longer than `timeout` seconds.
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError
    from papermill.exceptions import PapermillExecutionError

    source = _with_reads_cell(nbformat.read(notebook_path, as_version=4))
    saved = workdir / notebook_path.name
    runtime = workdir / "k"
    runtime.mkdir(mode=0o700)
    warm = kernels.take() if kernels else None
    kernel = {"km": warm} if warm else {"kernel_manager_class": kernel_manager_class(runtime)}
    try:
        executed = papermill.execute_notebook(
            source,
            str(saved),
            parameters=parameters,
            kernel_name=kernel_name,
            progress_bar=False,
            log_output=False,
            shutdown_kernel="immediate",
            request_save_on_cell_execute=False,  # one write at the end, not one per cell (~1 s of CPU per report)
            execution_timeout=timeout,
            **kernel,
        )
    except PapermillExecutionError as error:
        failed = nbformat.read(saved, as_version=4)
        take_reads(failed)
        normalise(failed)
        raise ReportFailed(
            report,
            f"{error.ename}: {error.evalue}",
            failing_cell(failed),
            failed,
            _where(failing_cell(failed), notebook_path),
        ) from None
    except CellTimeoutError:
        raise ReportFailed(
            report, f"timed out after {timeout} s (limits.cell_timeout)", where=f"a cell of {notebook_path.name}"
        ) from None
    except Exception as error:  # the kernel died or could not start
        raise ReportFailed(
            report, f"{type(error).__name__}: {error}", where=f"the kernel of {notebook_path.name}"
        ) from None
    finally:
        if warm and kernels:
            kernels.release(warm)
    reads, figures, pages = take_report(executed)
    normalise(executed)
    return Executed(executed, reads, figures, pages)


def _where(cell: int | None, notebook: Path) -> str:
    return f"{f'cell {cell}' if cell is not None else 'a cell'} of {notebook.name}"
