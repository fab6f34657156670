"""Every failure a user can meet, one hierarchy; each message says what to do.

The CLI prints the message on one line (no traceback) and exits with the error's
`exit_code`: 2 for a mistake found before any report runs (configuration, options,
parameters, output folder), 1 for invalid data and for reports that failed, 75 when
another render holds the output folder.
"""

from __future__ import annotations

from typing import Any


class LunarReportError(Exception):
    """Base class: the CLI prints the message (no traceback) and exits with `exit_code`."""

    exit_code = 1


class DataError(LunarReportError):
    """The data folder has problems; `problems` lists them as `file:row:column: message`."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class UsageError(LunarReportError):
    """A mistake found before any report runs: an option, a path, the output folder."""

    exit_code = 2


class ParameterError(UsageError, ValueError):
    """A notebook or report parameter is wrong."""


class ConfigError(UsageError):
    """The report configuration file is wrong."""


class LedgerError(LunarReportError):
    """The editions ledger cannot be read: the run stops before anything is written or removed."""


class RestoreFailed(LunarReportError):
    """The published site's history could not be fetched: nothing is rendered, so nothing published is replaced."""


class PdfError(LunarReportError):
    """A report's PDF could not be made: its engine is missing, failed or timed out, or no font has a character."""


class TexError(PdfError):
    """xelatex could not typeset a report: missing, failed, or the font lacks a character."""


class ReportFailed(LunarReportError):
    """One report failed: in which cell (1-based, None outside the notebook) and with what error.

    `notebook` is the executed notebook with the error output, when execution got that far.
    """

    def __init__(self, report: str, error: str, cell: int | None = None, notebook: Any = None, where: str = ""):
        self.report, self.error, self.cell, self.notebook = report, error, cell, notebook
        self.where = where or (f"cell {cell}" if cell is not None else "export")
        super().__init__(f"{report} failed in {self.where}: {error}")


class ReportsFailed(LunarReportError):
    """Some reports of a render failed (the others were rendered)."""

    def __init__(self, failures: list[str]):
        self.failures = list(failures)
        super().__init__("; ".join(self.failures))


class LockBusy(LunarReportError):
    """Another render holds the output folder's lock."""

    exit_code = 75


class OutputClosed(LunarReportError):
    """Standard output was closed by its reader (`lunar-report list | head -1`): exit 141, as for SIGPIPE."""

    exit_code = 141

    def __init__(self) -> None:
        super().__init__("standard output was closed")


class Interrupted(BaseException):
    """The run was stopped by a signal; `exit_code` is 128 + the signal number.

    A BaseException, like KeyboardInterrupt, so that no library's `except Exception` swallows it; the CLI prints
    it as one line like every other error.
    """

    def __init__(self, signal_number: int, name: str):
        self.exit_code = 128 + signal_number
        super().__init__(f"interrupted by {name}; running kernels were stopped and nothing partial was written")
