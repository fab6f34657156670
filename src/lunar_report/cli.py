"""The `lunar-report` command line: a thin click layer over the library."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import LunarReportError

DATA_OPTION = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data folder to read (default: the project's data/, or $LUNAR_REPORT_DATA).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lunar-report")
def cli() -> None:
    """Build the lunar-report: sourced facts → notebooks → HTML and PDF reports.

    \b
    Typical use:
      lunar-report validate          check the fact base in data/
      lunar-report list              show the configured reports
      lunar-report render            render every report into reports/
    """


@cli.command()
@DATA_OPTION
def validate(data_dir: Path | None) -> None:
    """Check every table in the data folder; list each problem as file:row:column: message."""
    from .validate import validate_data

    click.echo(validate_data(data_dir).summary())


@cli.command(name="list")
def list_reports() -> None:
    """Show the configured reports (from reports.toml): name, notebook, title."""
    from .config import load_reports
    from . import paths

    for spec in load_reports():
        click.echo(f"{spec.name}\t{spec.notebook.relative_to(paths.PROJECT_DIR)}\t{spec.title}")


@cli.command()
@click.argument("names", nargs=-1)
@DATA_OPTION
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: the project's reports/).")
@click.option("--include-code", is_flag=True, help="Show code cells in the reports.")
def render(names: tuple[str, ...], data_dir: Path | None, out_dir: Path | None, include_code: bool) -> None:
    """Execute the notebooks and write <name>.html and <name>.pdf for each report (default: all)."""
    import time

    from . import paths
    from .config import load_reports, select
    from .render import render_report

    for spec in select(load_reports(), names):
        started = time.perf_counter()
        render_report(spec, out_dir or paths.DEFAULT_OUT_DIR, paths.data_dir(data_dir), include_code)
        click.echo(f"{spec.name}: rendered in {time.perf_counter() - started:.1f} s")


def main() -> None:
    """Entry point: run the CLI; a user's mistake prints its message, not a traceback."""
    try:
        result = cli.main(standalone_mode=False)
        if isinstance(result, int):
            sys.exit(result)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except LunarReportError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
