"""Execute a report's notebook with papermill on the project's kernel, reproducibly."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import nbformat

from .. import paths

READS_TAG = "lunar-report-reads"
_READS_SOURCE = "import json as _json, lunar_report.facts.load as _facts\nprint(_json.dumps(_facts.files_read()))"


class ExecutionFailed(Exception):
    """A cell raised: `notebook` is the executed notebook with the error, `cell` the failing cell's index."""

    def __init__(self, notebook, cell: int | None, error: str):
        self.notebook, self.cell, self.error = notebook, cell, error
        super().__init__(error)


def _ipc_kernel_manager(socket_dir: str):
    """A kernel manager on IPC sockets in `socket_dir`: no TCP ports to clash between parallel kernels."""
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", os.path.join(socket_dir, "kernel"))
            super().__init__(**kwargs)

    return IPCKernelManager


def _with_reads_cell(notebook):
    cell = nbformat.v4.new_code_cell(_READS_SOURCE, id="lunar-report-reads")
    cell.metadata["tags"] = [READS_TAG]
    notebook.cells.append(cell)
    return notebook


def _pop_reads(notebook) -> list[str]:
    """Remove the reads cell; return the data files the kernel read (paths relative to nothing: absolute)."""
    cell = notebook.cells.pop()
    text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stdout")
    return json.loads(text) if text.strip() else []


def _normalise(notebook) -> None:
    """Drop what differs between runs of the same inputs: timings, random ids, execution counts."""
    notebook.metadata.pop("papermill", None)
    for index, cell in enumerate(notebook.cells):
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
        if cell.cell_type == "code":
            cell.execution_count = None
            for output in cell.outputs:
                output.pop("execution_count", None)


_INJECTED_TAGS = {"injected-parameters", "papermill-error-cell-tag"}


def _failing_cell(notebook) -> int | None:
    """1-based position of the failing cell in the notebook file (cells papermill added not counted)."""
    own = [c for c in notebook.cells if not _INJECTED_TAGS & set(c.metadata.get("tags", []))]
    for position, cell in enumerate(own, start=1):
        if cell.cell_type == "code" and any(o.output_type == "error" for o in cell.outputs):
            return position
    return None


def execute_notebook(notebook_path: Path, parameters: dict, workdir: Path, kernel_name: str = paths.KERNEL_NAME):
    """Run the notebook with `parameters` injected; return (executed notebook, data files it read).

    The executed copy is saved in `workdir`. Raises ExecutionFailed, carrying the
    executed notebook with its error, when a cell raises.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    source = _with_reads_cell(nbformat.read(notebook_path, as_version=4))
    saved = workdir / notebook_path.name
    try:
        with tempfile.TemporaryDirectory(prefix="lr-kernel-") as socket_dir:
            executed = papermill.execute_notebook(
                source,
                str(saved),
                parameters=parameters,
                kernel_name=kernel_name,
                progress_bar=False,
                log_output=False,
                shutdown_kernel="immediate",
                kernel_manager_class=_ipc_kernel_manager(socket_dir),
            )
    except PapermillExecutionError as error:
        failed = nbformat.read(saved, as_version=4)
        failed.cells.pop()  # the reads cell never ran
        _normalise(failed)
        raise ExecutionFailed(failed, _failing_cell(failed), f"{error.ename}: {error.evalue}") from None
    reads = _pop_reads(executed)
    _normalise(executed)
    return executed, reads
