"""Where a render works: the output folder, its lock, and one temporary folder per output folder.

Every temporary file of a render (executed notebooks, kernel connection files and sockets,
xelatex folders) lives under one folder named after the output folder, in the system's temp
directory. It is created and removed while the output folder's lock is held, so the next
render removes whatever a killed one left behind.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import LockBusy, ParameterError, UsageError
from ..facts import EARLIEST_DATE, LATEST_DATE
from . import children
from .config import ReportSpec

LOCK_NAME = ".lunar-report.lock"
EARLIEST_AS_OF, LATEST_AS_OF = EARLIEST_DATE, LATEST_DATE  # the dates the fact base supports


def prepare_out_dir(out_dir: Path) -> Path:
    """The output folder, created if needed; UsageError when it cannot be a writable folder."""
    out = out_dir.expanduser().resolve()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise UsageError(f"--out {out_dir}: a file is in the way; give a folder") from None
    except (NotADirectoryError, PermissionError, OSError) as exc:
        raise UsageError(
            f"--out {out_dir}: cannot create the output folder ({exc.strerror}); give a writable folder"
        ) from None
    return out


def temp_root(out: Path) -> Path:
    """The temporary folder of renders into `out` (short: kernel sockets need paths under ~100 bytes)."""
    return Path(tempfile.gettempdir()) / f"lunar-report-{hashlib.sha256(str(out).encode()).hexdigest()[:12]}"


def _remove_leftovers(out: Path, root: Path) -> None:
    """What a killed render left: its temp folder, staging folders of older versions, half-written files."""
    from .leftovers import remove_dead_previews

    shutil.rmtree(root, ignore_errors=True)
    remove_dead_previews()
    for stale in out.glob(".staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for partial in out.rglob(".*.tmp"):
        partial.unlink(missing_ok=True)


@contextmanager
def locked(out: Path, wait: float) -> Iterator[Path]:
    """Hold the output folder's lock; yield a fresh, private temp folder for this run."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(out / LOCK_NAME))
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        raise LockBusy(
            f"another lunar-report render is writing to {out}; "
            f"wait for it with --wait SECONDS, or render into another --out folder"
        ) from None
    except OSError as exc:
        raise UsageError(
            f"--out {out}: cannot write to the output folder ({exc.strerror}); give a writable folder"
        ) from None
    root = temp_root(out)
    children.reset()  # a new run: a stop requested by an earlier, interrupted run in this process is over
    try:
        _check_writable(out)
        _remove_leftovers(out, root)
        try:
            root.mkdir(mode=0o700)
        except OSError as exc:
            raise UsageError(
                f"cannot create the temporary folder {root} ({exc.strerror}); set TMPDIR to a writable folder"
            ) from None
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)
        lock.release()


def _check_writable(out: Path) -> None:
    """UsageError unless a file can be created in `out` (found before any kernel starts, not after)."""
    try:
        handle, probe = tempfile.mkstemp(dir=out, prefix=".write-probe-", suffix=".tmp")
    except OSError as exc:
        raise UsageError(
            f"--out {out}: cannot write to the output folder ({exc.strerror}); give a writable folder"
        ) from None
    os.close(handle)
    os.unlink(probe)


def job_dir(run_dir: Path, name: str) -> Path:
    """A new, empty folder for one report's run."""
    return Path(tempfile.mkdtemp(dir=run_dir, prefix=f"{name[:20]}-"))


def check_as_of(as_of: date) -> date:
    """`as_of` within the range the reports support, or UsageError."""
    if not EARLIEST_AS_OF <= as_of <= LATEST_AS_OF:
        raise UsageError(
            f"--as-of {as_of.isoformat()} is outside the supported range {EARLIEST_AS_OF} to {LATEST_AS_OF}"
        )
    return as_of


def _checker(path: str) -> Callable[..., Any]:
    module, _, function = path.partition(":")
    try:
        return getattr(importlib.import_module(module), function)  # type: ignore[no-any-return]
    except (ImportError, AttributeError, ValueError):
        raise UsageError(f"notebook metadata names the parameter checker {path!r}, which cannot be imported") from None


def check_report_parameters(spec: ReportSpec, data_dir: Path, as_of: date) -> None:
    """Run the notebook's host-side parameter checker (from its metadata) before any kernel starts."""
    if not spec.checker:
        return
    supplied = {"data_dir": str(data_dir), "as_of": as_of.isoformat()}
    arguments = {**spec.parameters, **{k: v for k, v in supplied.items() if k in spec.declared}}
    try:
        _checker(spec.checker)(**arguments)
    except ParameterError as exc:
        raise ParameterError(f"report {spec.name}: {exc}") from None
    except TypeError as exc:  # the checker does not take a parameter the notebook declares
        raise ParameterError(f"report {spec.name}: {spec.checker} refuses the parameters: {exc}") from None


def preflight(specs: list[ReportSpec], data_dir: Path, as_of: date) -> None:
    """Everything that can be checked before a kernel starts: the kernel, every report's parameters."""
    from ..facts.load import loaded_once
    from .execute import check_kernel, check_notebook

    check_kernel()
    for notebook in dict.fromkeys(spec.notebook for spec in specs):
        check_notebook(notebook)
    with loaded_once():  # one fact base for every report's checker: linear in the number of reports
        for spec in specs:
            check_report_parameters(spec, data_dir, as_of)
