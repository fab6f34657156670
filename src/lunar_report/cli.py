"""The `lunar-report` command line: a thin click layer over the library.

Exit codes: 0 done; 1 invalid data or a report failed; 2 a usage, configuration or
parameter mistake (found before any report runs); 75 another render holds the output
folder; 130 interrupted (Ctrl-C), 143 terminated (SIGTERM); 141 standard output closed by its reader.

Every command imports what it needs inside its own function: `--help` and a mistaken option answer
in a tenth of a second, without pandas, nbconvert or the kernel client.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.decorators import FC
from click.shell_completion import CompletionItem

from .errors import DataError, Interrupted, LunarReportError, OutputClosed, ReportsFailed
from .pipeline.base.signals import interrupt

if TYPE_CHECKING:
    from .pipeline.run.cluster import Cluster

DATA_OPTION = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data folder to read (default: $LUNAR_REPORT_DATA, else the project's data/).",
)
CONFIG_OPTION = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Report configuration file (default: reports.toml of the project, found from the working folder up).",
)

OUT_DIR_OPTION = click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Output folder (default: reports/ beside the configuration file).",
)


_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def one_line(text: str) -> str:
    """`text` with control characters, line breaks and bidirectional controls escaped (`\\n`, `\\u202e`).

    One message stays one line, and a right-to-left override cannot make it read as something else.
    """
    return _LINE_BREAKS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


MESSAGE_LENGTH = 1000  # characters of one error line: a value it echoes (a 100,000-character -p) is cut in the middle


def shortened(text: str, limit: int = MESSAGE_LENGTH) -> str:
    """`text` at most `limit` characters: its start and its end (what to do), the middle left out and counted."""
    if len(text) <= limit:
        return text
    head, tail = limit * 2 // 3, limit // 3 - 40
    return f"{text[:head]} … ({len(text) - head - tail:,} characters left out) … {text[-tail:]}"


def as_of_option(help_text: str) -> Callable[[FC], FC]:
    """The --as-of option (YYYY-MM-DD; default: today in UTC), with `help_text`."""
    return click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help=help_text)


def _complete_reports(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Shell completion: report names of the project's configuration; else file names (notebook paths)."""
    from .pipeline.config.reports import load_reports

    try:
        names = [s.name for s in load_reports(ctx.params.get("config_file"))]
    except LunarReportError:
        names = []
    matching = [CompletionItem(n) for n in names if n.startswith(incomplete)]
    return matching or [CompletionItem(incomplete, type="file")]


class _Commands(click.Group):
    """The command group; a closed stdout (`| head`) ends the run as OutputClosed (exit 141), not click's exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise OutputClosed() from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lunar-report")
def cli() -> None:
    """Build the lunar-report: sourced facts → notebooks → HTML and PDF reports.

    The project is the nearest folder, from the working folder up, holding reports.toml.

    \b
    Typical use:
      lunar-report validate                       check the fact base in data/
      lunar-report list                           show the configured reports
      lunar-report render                         render every report into reports/
      lunar-report render timeline --to html      one report, HTML only
      lunar-report render mission-change-5 -p mission change-6
                                                  a one-off render with a parameter changed
      lunar-report preview timeline               serve it, re-rendered on every edit
      lunar-report audit                          the rows a reviewer should look at next

    \b
    Exit codes: 0 done; 1 invalid data or a report failed; 2 a usage, configuration or
    parameter mistake; 75 another render holds the output folder; 130/143 interrupted;
    141 standard output closed. Limits (reports per run, timeouts): [limits] in reports.toml.
    """


@cli.command()
@DATA_OPTION
def validate(data_dir: Path | None) -> None:
    """Check every table in the data folder; list each problem as file:row:column: message."""
    from . import paths
    from .errors import DataError
    from .facts.validate import validate_data
    from .pipeline.config.preflight import check_data_dir

    check_data_dir(paths.data_dir(data_dir))
    try:
        click.echo(validate_data(data_dir).summary())
    except DataError as exc:
        for problem in exc.problems:
            click.echo(one_line(problem), err=True)
        count = len(exc.problems)
        click.echo(f"{count} problem{'s' if count != 1 else ''} in {paths.data_dir(data_dir)}", err=True)
        click.get_current_context().exit(1)


@cli.command(name="list")
@CONFIG_OPTION
@click.option(
    "--parameters",
    "show_parameters",
    is_flag=True,
    help="One line per report and parameter instead: report, parameter, value (JSON) and its help, the comment "
    "beside it in the notebook's parameters cell (data_dir, as_of and base_url are set by render).",
)
def list_reports(config_file: Path | None, show_parameters: bool) -> None:
    """Show the configured reports (matrices expanded): name, notebook, parameters and title."""
    import json

    from .pipeline.config.reports import SUPPLIED, load_reports, parameter_help

    for spec in load_reports(config_file):
        if show_parameters:
            values = spec.effective({})
            for name, help_text in parameter_help(spec.notebook).items():
                if name not in SUPPLIED:
                    shown = json.dumps(values.get(name), ensure_ascii=False)
                    click.echo(f"{spec.name}\t{name}\t{shown}\t{one_line(help_text)}")
            continue
        parameters = json.dumps(spec.parameters, ensure_ascii=False) if spec.parameters else "{}"
        click.echo(f"{spec.name}\t{spec.notebook.name}\t{parameters}\t{spec.title}")


@cli.command(name="export")
@click.argument("what", type=click.Choice(["claims", "data"]))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["claimreview"]),
    default="claimreview",
    show_default=True,
    help="claims: claimreview, schema.org ClaimReview JSON-LD, one review per claim.",
)
@DATA_OPTION
@click.option(
    "--base-url",
    default=None,
    help="Absolute address of the published reports folder, for the reviews' url and the data's citation "
    "(default: base_url in reports.toml).",
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path),
    default=None,
    help="claims: the file to write (default: standard output). data: the folder to write (required): new, "
    "empty, or one lunar-report wrote.",
)
def export(what: str, fmt: str, data_dir: Path | None, base_url: str | None, out_path: Path | None) -> None:
    """Export the checked claims (as schema.org ClaimReview JSON-LD, dated by the claims' review), or the fact base
    as a Frictionless data package with its CSV files and a SQLite file (`export data --out FOLDER`)."""
    from . import paths
    from .pipeline.base.atomic import write_atomically
    from .pipeline.config.address import required_base_url
    from .pipeline.config.preflight import check_data_dir

    if what == "data":
        _export_data(paths.data_dir(data_dir), base_url, out_path)
        return
    from .analysis.claimreview import claimreview_json
    from .facts.load import load_facts

    address = required_base_url(base_url)  # a refused address is said before the data is read
    folder = check_data_dir(paths.data_dir(data_dir))  # a missing folder: one plain line and exit 2, as validate says
    text = claimreview_json(load_facts(folder), address)
    if out_path is None:
        click.echo(text, nl=False)
    else:
        write_atomically(out_path, text.encode("utf-8"))
        click.echo(f"{what}: {fmt} written to {out_path}", err=True)


def _export_data(data_dir: Path, base_url: str | None, out_dir: Path | None) -> None:
    """`export data`: the data package, its CSV files and the SQLite file, written into `out_dir`."""
    from . import paths
    from .errors import UsageError
    from .pipeline.config.address import base_url_setting
    from .pipeline.config.preflight import check_data_dir
    from .pipeline.site.pages import export_data

    if out_dir is None:
        raise UsageError("export data writes a folder: give it with --out FOLDER")
    if base_url is not None:
        try:
            address: str | None = paths.site_address(base_url)
        except ValueError as exc:
            raise UsageError(f"--base-url: {exc}") from None
    else:
        with contextlib.suppress(paths.NotInProject):
            base_url = base_url_setting(paths.config_file())
        address = base_url
    check_data_dir(data_dir)
    written = export_data(data_dir, out_dir, address)
    click.echo(f"data: {len(written)} files written to {out_dir}", err=True)


@cli.command()
@DATA_OPTION
@as_of_option("Date reviews are aged against, YYYY-MM-DD (default: today in UTC).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv"]),
    default="table",
    show_default=True,
    help="table: aligned columns for reading; csv: one row per concern, for a spreadsheet.",
)
def audit(data_dir: Path | None, as_of: Any, fmt: str) -> None:
    """List the rows a reviewer should look at next: resting on one source, on grade C only, on the
    article's own publisher (circular), with inferred dates, or reviewed more than a year before --as-of.

    A list to work through, not an error: exits 0 (1 only when the data is invalid).
    """
    from . import paths
    from .analysis.audit import as_text
    from .analysis.audit import audit as weak_spots
    from .facts.load import load_facts
    from .pipeline.config.preflight import check_data_dir
    from .pipeline.config.settings import today_utc

    day = as_of.date() if as_of else today_utc()
    found = weak_spots(load_facts(check_data_dir(paths.data_dir(data_dir))), day)
    if fmt == "csv":
        click.echo(found.to_csv(index=False, lineterminator="\n"), nl=False)
        return
    counts = found["concern"].value_counts(sort=False)
    summary = ", ".join(f"{n} {concern}" for concern, n in counts.items() if n)
    click.echo(f"{len(found)} rows to look at next (as of {day.isoformat()}){': ' + summary if summary else ''}")
    if not found.empty:
        click.echo(as_text(found))


def _progress(total: int) -> tuple[Any, Any]:
    """A per-report line printer, with a progress bar when stderr is a terminal."""
    from tqdm import tqdm

    bar = tqdm(total=total, unit="report", disable=not sys.stderr.isatty(), leave=False)

    def report(outcome: Any) -> None:
        detail = f" — {shortened(one_line(outcome.message))}" if outcome.message else ""  # one line, as every error
        bar.write(f"{outcome.name}: {outcome.status} ({outcome.seconds:.1f} s){detail}")
        bar.update(1)

    return bar, report


def _parameter_file(path: Path | None) -> dict[str, Any]:
    """The parameters of a `-f` YAML file (a mapping), or a UsageError naming the file.

    The file must be a regular file of at most PARAMETERS_FILE_BYTES, and YAML aliases are
    refused: parameters never need them, and a "billion laughs" of nested aliases would expand
    to gigabytes before any key is checked.
    """
    if path is None:
        return {}
    import yaml

    from .errors import UsageError
    from .pipeline.config.limits import PARAMETERS_FILE_BYTES

    try:
        if path.exists() and not path.is_file():
            raise UsageError(f"-f {path}: not a regular file (a folder, FIFO or device); give a YAML file")
        if path.stat().st_size > PARAMETERS_FILE_BYTES:
            raise UsageError(
                f"-f {path}: larger than {PARAMETERS_FILE_BYTES:,} bytes; a parameters file holds parameters"
            )
        loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=_no_alias_loader())
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UsageError(f"-f {path}: cannot read the parameters file: {str(exc).splitlines()[0]}") from None
    except RecursionError:
        raise UsageError(
            f"-f {path}: nested more than {YAML_DEPTH} deep; parameters are values and short lists"
        ) from None
    if _nesting(loaded) > YAML_DEPTH:
        raise UsageError(f"-f {path}: nested more than {YAML_DEPTH} deep; parameters are values and short lists")
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise UsageError(f"-f {path}: expected a mapping of parameter names to values (key: value lines)")
    return {str(k): v for k, v in loaded.items()}


YAML_DEPTH = 32  # nesting of lists and mappings in a -f file (a parameter needs 2 or 3)


def _nesting(value: Any) -> int:
    """How deep lists and mappings nest in `value` (counted without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, depth)
            if deepest > YAML_DEPTH:
                return deepest
            stack += [(child, depth + 1) for child in (item.values() if isinstance(item, dict) else item)]
    return deepest


def _no_alias_loader() -> type:
    import yaml

    class NoAliasLoader(yaml.SafeLoader):
        """PyYAML's safe loader, refusing aliases (`*name`) where it meets one."""

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, f"aliases (*name) are not allowed, line {mark.line + 1}; write the value out", mark
                )
            return super().compose_node(parent, index)

    return NoAliasLoader


def _chosen(
    names: tuple[str, ...], config_file: Path | None, overrides: dict[str, Any], name: str | None
) -> tuple[list[Any], list[Any], Path]:
    """The reports to render, the configured reports (for the index and the site), and the project root."""
    from . import paths
    from .errors import UsageError
    from .pipeline.config.reports import check_one_offs, load_reports, notebook_report, one_off, select

    notebooks = [Path(n) for n in names if n.endswith(".ipynb")]
    reports = tuple(n for n in names if not n.endswith(".ipynb"))
    config = paths.config_file(config_file)
    configured = load_reports(config)
    if name and len(names) != 1:
        raise UsageError("--name renames one report; give exactly one report or notebook")
    if notebooks:
        specs = [notebook_report(nb, overrides, name) for nb in notebooks]
        specs += select(configured, reports) if reports else []
    elif overrides or name:
        chosen = select(configured, reports)
        if len(chosen) != 1:
            raise UsageError("-p, -f and --name change one report; name it (lunar-report list shows the names)")
        specs = [one_off(chosen[0], overrides, name)]
    else:
        specs = select(configured, reports)
    check_one_offs(specs, configured)
    return specs, configured, config.parent


WAIT_MOST = 10**6  # seconds --wait may wait (11 days): a longer wait is a typo


def _finite(param: click.Parameter, value: float) -> float:
    """`value` unless it is NaN (which passes every range check): a usage error then."""
    if value != value:  # NaN
        raise click.BadParameter(f"{value} is not a number of seconds", param=param)
    return value


def _cluster(address: str | None, most_workers: int) -> Cluster | None:
    """The Dask cluster of `--cluster`, its address checked (nothing of Dask imported until a report has to run)."""
    if address is None:
        return None
    from tqdm import tqdm

    from .pipeline.run.cluster import Cluster, check_address

    return Cluster(check_address(address, most_workers), announce=tqdm.write)


@cli.command()
@click.argument("names", nargs=-1, shell_complete=_complete_reports)
@click.option(
    "-p",
    "--parameter",
    "parameters",
    nargs=2,
    multiple=True,
    metavar="KEY VALUE",
    help="Set a notebook parameter for a one-off render (repeatable); typed like papermill's -p.",
)
@click.option(
    "-f",
    "--parameters-file",
    "parameters_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="YAML file of parameters for a one-off render (-p wins over it).",
)
@click.option(
    "--name",
    default=None,
    help="File name stem of a one-off render (default: <report>-custom, or the notebook's name).",
)
@click.option(
    "--to",
    "formats",
    type=click.Choice(["html", "pdf"]),
    multiple=True,
    help="Output format (repeatable; default: html and pdf). HTML needs no TeX.",
)
@DATA_OPTION
@CONFIG_OPTION
@OUT_DIR_OPTION
@as_of_option("Date the reports are 'as of', YYYY-MM-DD. Pin it for reproducible runs; default: today in UTC.")
@click.option("--include-code", is_flag=True, help="Show code cells in the reports.")
@click.option("--force", is_flag=True, help="Render even the reports that are up to date.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1, max=1024),
    default=None,
    help="Reports rendered at once (default: one per core).",
)
@click.option(
    "--cluster",
    metavar="ADDRESS",
    default=None,
    help="Run the stale reports on a Dask cluster: a scheduler's address (tcp://host:8786), or local[:N] for N "
    "worker processes here (default N: one per core). Needs `pip install lunar-report[cluster]`; this machine "
    "still validates, fingerprints and writes every output (--jobs does not apply: the workers' threads decide).",
)
@click.option(
    "--keep",
    type=click.IntRange(min=1),
    default=None,
    help="Earlier editions kept per report, besides the current one (default: `keep` in reports.toml, else 10).",
)
@click.option(
    "--allow-empty", is_flag=True, help="Publish even when reports.toml configures no report (an empty index and feed)."
)
@click.option(
    "--wait",
    type=click.FloatRange(min=0, max=WAIT_MOST),
    callback=lambda ctx, param, value: _finite(param, value),
    default=0.0,
    show_default=True,
    help="Seconds to wait when another render holds the output folder; then exit 75.",
)
@click.option(
    "--restore-from",
    "restore_from",
    metavar="URL",
    default="",
    help="Address of the published site: an output folder without editions first fetches its history from there.",
)
def render(
    names: tuple[str, ...],
    parameters: tuple[tuple[str, str], ...],
    parameters_file: Path | None,
    name: str | None,
    formats: tuple[str, ...],
    data_dir: Path | None,
    config_file: Path | None,
    out_dir: Path | None,
    as_of: Any,
    include_code: bool,
    force: bool,
    jobs: int | None,
    cluster: str | None,
    keep: int | None,
    allow_empty: bool,
    wait: float,
    restore_from: str,
) -> None:
    """Render reports (default: all configured) to <name>.html and <name>.pdf, plus index.html.

    NAMES are report names from reports.toml or paths to notebooks (.ipynb). The data is
    validated first, on every run. A report whose inputs (notebook, parameters, as-of date,
    the data files and source texts it read, the lunar_report code, templates, key package
    versions and the lock file) are unchanged since its last render is skipped as "up to date".
    Exits 1 when a report fails (the others are still rendered; the failed one is shown in
    <out>/_failed/<name>.html).

    Each new rendering is kept as an edition under <out>/editions/ with a "What changed" section,
    listed in editions.html and feed.xml; lunar-report.pdf combines the configured reports.

    With --cluster, the stale reports execute and export on Dask workers (same bytes as here);
    this machine still validates, fingerprints, drafts the editions and writes every file.
    """
    import time

    from . import paths
    from .pipeline.config.address import WHY_NONE
    from .pipeline.config.reports import typed_value
    from .pipeline.config.request import RenderRequest
    from .pipeline.run.render import render_reports

    overrides = {**_parameter_file(parameters_file), **{k: typed_value(v) for k, v in parameters}}
    specs, configured, project = _chosen(names, config_file, overrides, name)
    if not specs and not allow_empty:
        from .errors import ConfigError

        raise ConfigError(
            f"{paths.config_file(config_file)}: no report is configured; add a [[report]] table, "
            "or pass --allow-empty to publish an empty index and feed"
        )
    request = RenderRequest(
        config_file=config_file,
        project=project,
        data_dir=data_dir,
        out_dir=out_dir,
        as_of=as_of.date() if as_of else None,
        formats=formats,
        include_code=include_code,
        force=force,
        jobs=jobs or 0,
        wait=wait,
        keep=keep,
        restore_from=restore_from,
    )
    options = request.options([s.name for s in configured], configured)
    on_cluster = _cluster(cluster, options.limits.local_workers)  # checked before any lock is taken
    started = time.perf_counter()
    bar, report = _progress(len(specs))
    with bar:
        outcomes = render_reports(specs, options, report, cluster=on_cluster)
    if options.base_url is None and any("base_url" in spec.declared for spec in specs):
        click.echo(f"note: {WHY_NONE}", err=True)  # once per run, after a render that got that far
    counts = {s: sum(o.status == s for o in outcomes) for s in ("rendered", "up to date", "failed")}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    click.echo(f"{summary} in {time.perf_counter() - started:.1f} s → {options.out_dir}")
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        raise ReportsFailed([f"{o.name} {o.message}" for o in failed])


@cli.group()
def editions() -> None:
    """Look after the output folder's editions (its history)."""


@editions.command()
@CONFIG_OPTION
@OUT_DIR_OPTION
def repair(config_file: Path | None, out_dir: Path | None) -> None:
    """Rebuild the editions ledger from the edition folders (the unreadable ledger is kept beside it)."""
    from . import paths
    from .pipeline.store.repair import repair as repair_ledger

    click.echo(repair_ledger(paths.out_dir(out_dir, paths.config_file(config_file) if out_dir is None else None)))


@cli.command()
@click.argument("names", nargs=-1, shell_complete=_complete_reports)
@click.option(
    "--port",
    type=click.IntRange(min=0, max=65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 to serve on; 0 picks a free one (the URL is printed).",
)
@DATA_OPTION
@as_of_option("Date the reports are 'as of', YYYY-MM-DD (default: today in UTC).")
@CONFIG_OPTION
def preview(names: tuple[str, ...], port: int, data_dir: Path | None, as_of: Any, config_file: Path | None) -> None:
    """Render reports (default: all configured) as HTML, serve them, and re-render on every edit.

    Watches the data folder, the notebooks, reports.toml and the lunar_report package (templates
    included); an edit re-renders only the reports it affects and reloads the open pages. Invalid
    data or a failing cell shows in the page. The files are the same as `render --to html` writes,
    in a temporary folder removed on exit. Stop with Ctrl-C.
    """
    from .pipeline.preview.session import PreviewOptions
    from .pipeline.preview.session import preview as run_preview

    options = PreviewOptions(
        names=names, config_file=config_file, data_dir=data_dir, as_of=as_of.date() if as_of else None, port=port
    )

    def ready(url: str) -> None:
        click.echo(f"Serving {url} (Ctrl-C to stop)")

    run_preview(options, click.echo, ready)
    click.echo("Stopped.")


def _say(message: str) -> None:
    """One line on stderr; nothing when stderr itself is closed or full (the exit code still tells)."""
    try:
        click.echo(message, err=True)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _usage_error(exc: click.UsageError) -> str:
    """click's usage error as one line: the problem, then where the options are explained."""
    command = exc.ctx.command_path if exc.ctx is not None else "lunar-report"
    message = shortened(one_line(exc.format_message())).rstrip(".")
    return f"error: {message[:1].lower()}{message[1:]} (see {command} --help)"


_STREAM_ERRORS = (errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EBADF)


def _stream_failed(exc: OSError) -> int:
    """stdout or stderr broke: 141 for a closed pipe (as `| head` does), else 1 with one line if stderr works."""
    with contextlib.suppress(OSError, ValueError):  # no second error when Python flushes stdout at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if exc.errno == errno.EPIPE:
        return 128 + signal.SIGPIPE
    _say(f"error: cannot write the output: {exc.strerror or exc}")
    return 1


def _exit(code: int) -> None:
    """Exit at once: worker threads may still wait on a stopped kernel; do not join them."""
    from .pipeline.base import children
    from .pipeline.base.signals import quiet_threads
    from .pipeline.store.workspace import remove_used_temp_roots

    with quiet_threads():  # not restored by the exit: the process ends here
        children.stop_all()  # e.g. interrupted while a finished report was being written: the others' kernels
        remove_used_temp_roots()  # (what a thread cut short made again after the run removed it)
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.flush()
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.flush()
        os._exit(code)


def _open_closed_streams() -> None:
    """Standard output or error closed by the caller (`lunar-report list >&-`): /dev/null in its place, here and for
    every kernel and xelatex this run starts (which would otherwise die writing to it, or write into a file the
    run opened on that descriptor)."""
    for number, name in ((1, "stdout"), (2, "stderr")):
        try:
            os.fstat(number)
            if getattr(sys, name) is not None:
                continue
        except OSError:
            null = os.open(os.devnull, os.O_WRONLY)
            if null != number:
                os.dup2(null, number)
                os.close(null)
        setattr(sys, name, open(number, "w", encoding="utf-8", errors="backslashreplace", closefd=False))  # noqa: SIM115


def main() -> None:
    """Entry point: run the CLI; a user's mistake prints its message, not a traceback."""
    # nbformat's jsonschema imports rfc3987_syntax when installed, which builds ~35 parsers at import
    # (about 2 s of CPU; python-jsonschema/jsonschema#1428) for the "iri" format that no notebook
    # schema uses. Hidden in this process only: jsonschema then goes without that one format check.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    _open_closed_streams()
    for number in (signal.SIGTERM, signal.SIGINT):  # before any kernel too: 143/130 and one line, no traceback
        signal.signal(number, interrupt)
    try:
        # one name for `lunar-report` and `python -m lunar_report`: usage lines and _LUNAR_REPORT_COMPLETE
        result = cli.main(prog_name="lunar-report", standalone_mode=False)
        if isinstance(result, int):
            sys.exit(result)
        sys.stdout.flush()  # a full or closed stdout shows here, not at interpreter exit
    except Interrupted as exc:
        _say(f"error: {exc}")
        _exit(exc.exit_code)
    except OutputClosed as exc:  # the reader went away (`| head -1`): nothing to tell it
        _exit(_stream_failed(BrokenPipeError(errno.EPIPE, str(exc))))
    except (click.exceptions.Abort, KeyboardInterrupt):
        _say(f"error: {Interrupted(signal.SIGINT, 'SIGINT')}")
        _exit(130)
    except click.UsageError as exc:
        _say(_usage_error(exc))
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        _say(f"error: {one_line(exc.format_message())}")
        sys.exit(exc.exit_code)
    except DataError as exc:  # render validates first: list the problems as `validate` does
        for problem in exc.problems:
            _say(one_line(problem))
        count = len(exc.problems)
        fix = "fix them" if count != 1 else "fix it"
        _say(f"error: {count} problem{'s' if count != 1 else ''} in the data; {fix} and run again")
        sys.exit(exc.exit_code)
    except LunarReportError as exc:  # one line; a failed report's own error (an xelatex log, say) as it is
        _say(f"error: {exc if isinstance(exc, ReportsFailed) else shortened(one_line(str(exc)))}")
        sys.exit(exc.exit_code)
    except OSError as exc:  # the disk filled up while writing a report, or stdout/stderr broke: no traceback
        if exc.errno in _STREAM_ERRORS and exc.filename is None:
            _exit(_stream_failed(exc))
        where = f"{exc.filename}: " if exc.filename else ""
        _say(f"error: {where}{exc.strerror or exc}")
        sys.exit(1)


def run() -> None:
    """The console entry (`lunar-report`, `python -m lunar_report`): :func:`main`, then leave at once.

    Everything is written and flushed by then; skipping the interpreter's tear-down of pandas,
    nbconvert and the kernel client saves a quarter of a second on every run. (``main`` itself
    exits the usual way: tests call it in-process.)
    """
    try:
        main()
    except SystemExit as exc:
        if exc.code is not None and not isinstance(exc.code, int):
            raise  # a message to print: the interpreter's own exit does that
        _exit(exc.code or 0)
    _exit(0)
