"""The exceptions lunar-report raises for a user's mistake; each message says what to do."""

from __future__ import annotations


class LunarReportError(Exception):
    """Base class: the CLI prints the message (no traceback) and exits with `exit_code`."""

    exit_code = 1


class DataError(LunarReportError):
    """The data folder has problems; `problems` lists them as `file:row:column: message`."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class ParameterError(LunarReportError, ValueError):
    """A notebook or report parameter is wrong."""

    exit_code = 2


class ConfigError(LunarReportError):
    """The report configuration file is wrong."""

    exit_code = 2


class RenderError(LunarReportError):
    """One or more reports failed to render."""


class LockBusy(LunarReportError):
    """Another render holds the output folder's lock."""

    exit_code = 75
