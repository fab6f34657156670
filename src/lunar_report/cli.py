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


CONFIG_OPTION = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Report configuration file (default: the project's reports.toml).",
)


@cli.command()
@DATA_OPTION
def validate(data_dir: Path | None) -> None:
    """Check every table in the data folder; list each problem as file:row:column: message."""
    from . import paths
    from .errors import DataError
    from .facts.validate import validate_data

    try:
        click.echo(validate_data(data_dir).summary())
    except DataError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        count = len(exc.problems)
        click.echo(f"{count} problem{'s' if count != 1 else ''} in {paths.data_dir(data_dir)}", err=True)
        click.get_current_context().exit(1)


@cli.command(name="list")
@CONFIG_OPTION
def list_reports(config_file: Path | None) -> None:
    """Show the configured reports: name, notebook, parameters and title."""
    import json

    from .build.config import load_reports

    for spec in load_reports(config_file):
        parameters = json.dumps(spec.parameters, ensure_ascii=False) if spec.parameters else "{}"
        click.echo(f"{spec.name}\t{spec.notebook.name}\t{parameters}\t{spec.title}")


def _progress(total: int):
    """A per-report line printer, with a progress bar when stderr is a terminal."""
    from tqdm import tqdm

    bar = tqdm(total=total, unit="report", disable=not sys.stderr.isatty(), leave=False)

    def report(outcome) -> None:
        detail = f" — {outcome.message}" if outcome.message else ""
        bar.write(f"{outcome.name}: {outcome.status} ({outcome.seconds:.1f} s){detail}")
        bar.update(1)

    return bar, report


@cli.command()
@click.argument("names", nargs=-1)
@DATA_OPTION
@CONFIG_OPTION
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: the project's reports/).",
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date the reports are 'as of', YYYY-MM-DD. Pin it for reproducible runs; default: today in UTC.",
)
@click.option("--include-code", is_flag=True, help="Show code cells in the reports.")
@click.option("--force", is_flag=True, help="Render even the reports that are up to date.")
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None, help="Reports rendered at once (default: one per core)."
)
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Seconds to wait when another render holds the output folder; then exit 75.",
)
def render(names, data_dir, config_file, out_dir, as_of, include_code, force, jobs, wait) -> None:
    """Render reports (default: all) to <name>.html and <name>.pdf, plus index.html.

    A report whose inputs (notebook, parameters, as-of date, the data files it reads,
    the lunar_report code, templates and key package versions) are unchanged since its
    last render is skipped as "up to date". Exits 1 when a report fails (the others are
    still rendered; the failed one is shown in <out>/_failed/<name>.html).
    """
    import time

    from . import paths
    from .build.config import load_reports, select
    from .build.render import RenderOptions, render_reports, today_utc
    from .errors import RenderError

    specs = select(load_reports(config_file), names)
    options = RenderOptions(
        out_dir=Path(out_dir or paths.DEFAULT_OUT_DIR),
        data_dir=paths.data_dir(data_dir),
        as_of=as_of.date() if as_of else today_utc(),
        include_code=include_code,
        force=force,
        jobs=jobs or 0,
        wait=wait,
    )
    started = time.perf_counter()
    bar, report = _progress(len(specs))
    with bar:
        outcomes = render_reports(specs, options, report)
    counts = {s: sum(o.status == s for o in outcomes) for s in ("rendered", "up to date", "failed")}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    click.echo(f"{summary} in {time.perf_counter() - started:.1f} s → {options.out_dir}")
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        raise RenderError("; ".join(f"{o.name} {o.message}" for o in failed))


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
