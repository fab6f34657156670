"""Execute a report's notebook with papermill on the project's kernel."""
from __future__ import annotations

from pathlib import Path

import nbformat
import papermill

from . import paths


def execute_notebook(notebook: Path, parameters: dict, workdir: Path, kernel_name: str = paths.KERNEL_NAME):
    """Run `notebook` with `parameters` injected; return the executed notebook node.

    The executed copy is written to `workdir`; papermill raises PapermillExecutionError
    when a cell fails (the executed notebook, with the error, is still written).
    """
    executed = workdir / notebook.name
    papermill.execute_notebook(
        str(notebook),
        str(executed),
        parameters=parameters,
        kernel_name=kernel_name,
        cwd=str(notebook.parent),
        progress_bar=False,
        log_output=False,
    )
    return nbformat.read(executed, as_version=4)
