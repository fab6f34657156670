"""The preview's parameters pages: a form per parameterised notebook, and the one-off each submission renders.

`/parameters/<notebook>` shows the form; `/parameters/<notebook>/report?KEY=VALUE…` renders, as
`lunar-report render REPORT -p KEY VALUE … --to html` would (same checkers, same outputs, a
one-off that never replaces a configured report), into a folder of its own per set of values, and
serves the report with that command above it. The same values again are served from that
folder, re-rendered only when an edit made it stale (the render skips what is up to date).
A value the checkers refuse is answered on the form (400) before any kernel starts.
At most one render per notebook at a time; requests beyond a short queue are answered 503.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ...errors import DataError, Interrupted, LunarReportError
from ..config import preflight
from ..config.reports import SUPPLIED, ReportSpec, check_one_offs, load_reports, one_off
from ..config.request import RenderRequest
from ..config.settings import today_utc
from ..run.kernels import KernelPool
from ..run.render import render_reports
from ..site.index import FAILED_DIR
from ..site.templating import environment
from ..store.manifest import Status
from .form import VALUE_CHARS, Command, Form, Refused, build_form, changes, command, query_of, read_submission
from .server import Page

PREFIX = "/parameters/"
QUEUED = 2  # requests that may wait for a notebook's render under way; more are answered 503 at once
KEPT = 32  # one-off folders kept (the oldest is removed first)
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Settings:
    """What every one-off follows: the preview's configuration, data and as-of date (and how the command says so)."""

    config: Path
    project: Path
    data: Path
    as_of: date | None
    options: tuple[str, ...] = ()  # the command line's options for them: --data DIR, --as-of DAY, --config FILE


def spec_name(form: Form) -> str:
    """The name of a one-off of the form's report: `<report>-custom`, as `render -p` names it."""
    return f"{form.report.name}-custom"


def folder_key(notebook: str, overrides: dict[str, Any]) -> str:
    """The name of the folder a one-off with these values is rendered into."""
    text = json.dumps([notebook, overrides], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


class ParameterPages:
    """The parameters pages of a preview; thread-safe (each request runs on a thread of the server)."""

    def __init__(
        self,
        folder: Path,
        settings: Settings,
        specs: Callable[[], list[ReportSpec]],
        kernels: Callable[[], KernelPool | None] = lambda: None,
        generation: Callable[[], int] = lambda: 0,
        echo: Callable[[str], None] = lambda line: None,
    ) -> None:
        self.folder, self.settings = folder, settings
        self._specs, self._kernels, self._generation, self._echo = specs, kernels, generation, echo
        self._templates = environment("preview")
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._renders: dict[str, threading.Lock] = {}
        self._rendered: dict[str, int] = {}  # folder key -> the generation it was rendered or found current at
        self._hints: tuple[int, preflight.Hints] | None = None

    # -- which notebooks have a form ------------------------------------------------------------

    def reports(self) -> dict[str, ReportSpec]:
        """Notebook stem -> the first configured report of it, for every notebook with a parameter to offer."""
        found: dict[str, ReportSpec] = {}
        for spec in self._specs():
            if spec.declared - set(SUPPLIED):
                found.setdefault(spec.notebook.stem, spec)
        return found

    def links(self) -> list[tuple[str, str]]:
        """(address, notebook file name) of each parameters page, for the front page."""
        return [(f"{PREFIX}{stem}", spec.notebook.name) for stem, spec in self.reports().items()]

    # -- pages ----------------------------------------------------------------------------------

    def page(self, path: str, query: str) -> Page:
        """What `/parameters/…` serves: the form, a one-off report, or a file of the site under it."""
        stem, _, rest = path.removeprefix(PREFIX).partition("/")
        report = self.reports().get(stem)
        if report is None:
            known = ", ".join(f"{PREFIX}{s}" for s in self.reports()) or "none"
            return self._message(404, "No such parameters page", (path,), f"The parameters pages: {known}")
        try:
            form = build_form(report, self._hint())
        except LunarReportError as error:  # the data cannot be read: the form cannot offer its choices
            return self._message(500, "The parameters cannot be offered", tuple(str(error).splitlines()), "")
        if rest == "":
            try:
                filled, _ = read_submission(form, query)  # a link back from a report: its values shown
            except Refused as refused:
                return self._form(400, refused.form)
            return self._form(200, filled)
        if rest != "report":
            return Page(404, "", b"")  # the server serves the site's own file instead (a link of the report)
        try:
            filled, overrides = read_submission(form, query)
            overrides = changes(filled, overrides)
            spec, configured = self._checked(filled, overrides)
        except Refused as refused:
            return self._form(400, refused.form)
        return self._report(filled, spec, configured, overrides)

    def _hint(self) -> preflight.Hints:
        """The checkers' hints, read again after each edit (the fact base may know other missions)."""
        generation = self._generation()
        with self._lock:
            known = self._hints
        if known is not None and known[0] == generation:
            return known[1]
        hints = preflight.parameter_hints(self.settings.data)  # outside the lock: it reads the fact base
        with self._lock:
            self._hints = (generation, hints)
        return hints

    def _checked(self, form: Form, overrides: dict[str, Any]) -> tuple[ReportSpec, list[ReportSpec]]:
        """The one-off spec and the configured reports, checked as `render -p` checks them before any kernel
        starts; Refused on a mistake."""
        try:
            configured = load_reports(self.settings.config)
            spec = one_off(form.report, overrides)
            check_one_offs([spec], configured)
            preflight.check_report_parameters(spec, self.settings.data, self.settings.as_of or today_utc())
        except LunarReportError as error:
            message = (
                str(error).removeprefix(f"report {spec_name(form)}: ").removeprefix(f"report {form.report.name}: ")
            )
            raise Refused(form.with_error(message)) from None
        return spec, configured

    # -- rendering ------------------------------------------------------------------------------

    def _report(self, form: Form, spec: ReportSpec, configured: list[ReportSpec], overrides: dict[str, Any]) -> Page:
        key = folder_key(form.notebook, overrides)
        out = self.folder / key
        said = command(form, overrides, self.settings.options)
        with self._lock:
            slot = self._slots.setdefault(form.notebook, threading.BoundedSemaphore(1 + QUEUED))
            render_lock = self._renders.setdefault(form.notebook, threading.Lock())
        if self._current(key, out / f"{spec.name}.html"):
            return self._shown(form, out, spec.name, said, 200)
        if not slot.acquire(blocking=False):
            return self._message(
                503, f"{form.notebook} is busy", (), "Renders of this notebook are queued already: try again shortly."
            )
        try:
            with render_lock:
                if self._current(key, out / f"{spec.name}.html"):  # rendered while this request waited
                    return self._shown(form, out, spec.name, said, 200)
                return self._render(form, spec, configured, out, key, said)
        finally:
            slot.release()

    def _current(self, key: str, page: Path) -> bool:
        """True when the one-off `key` was rendered (or found up to date) since the preview's last edit."""
        with self._lock:
            return self._rendered.get(key) == self._generation() and page.is_file()

    def _render(
        self, form: Form, spec: ReportSpec, configured: list[ReportSpec], out: Path, key: str, said: Command
    ) -> Page:
        generation = self._generation()
        request = RenderRequest(
            config_file=self.settings.config,
            project=self.settings.project,
            data_dir=self.settings.data,
            out_dir=out,
            as_of=self.settings.as_of,
            formats=("html",),
            jobs=1,
        )
        options = request.options([s.name for s in configured], configured)
        self._make_room(key)
        try:
            outcomes = render_reports([spec], options, kernels=self._kernels())
        except DataError as error:
            return self._message(500, "The data has problems", tuple(error.problems), "Fix it and save: this reloads.")
        except Interrupted:
            raise
        except LunarReportError as error:
            return self._message(500, "The report cannot be rendered", tuple(str(error).splitlines()), "")
        for outcome in outcomes:
            if outcome.status != Status.UP_TO_DATE:
                detail = f" — {outcome.message}" if outcome.message else ""
                self._echo(
                    f"{outcome.name}: {outcome.status} ({outcome.seconds:.1f} s) from {PREFIX}{form.notebook}{detail}"
                )
        failed = any(o.status == Status.FAILED for o in outcomes)
        with self._lock:
            self._rendered[key] = generation
        if failed:
            page = out / FAILED_DIR / f"{spec.name}.html"
            if page.is_file():
                return Page(500, HTML, page.read_bytes())
            message = next(o.message for o in outcomes if o.status == Status.FAILED)
            return self._message(500, f"{spec.name} failed", (message,), "Fix it and save: this page reloads.")
        return self._shown(form, out, spec.name, said, 200)

    def _make_room(self, key: str) -> None:
        """Keep at most KEPT one-off folders: remove the oldest (they are the preview's own, in its temporary folder)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        others = sorted(
            (p for p in self.folder.iterdir() if p.is_dir() and p.name != key), key=lambda p: p.stat().st_mtime
        )
        for old in others[: max(len(others) - KEPT + 1, 0)]:
            shutil.rmtree(old, ignore_errors=True)
            with self._lock:
                self._rendered.pop(old.name, None)

    # -- what is served -------------------------------------------------------------------------

    def _shown(self, form: Form, out: Path, name: str, said: Command, status: int) -> Page:
        """The rendered report, with the command it stands for above it (below the site's bar)."""
        body = (out / f"{name}.html").read_bytes()
        banner = self._templates.get_template("command.html.j2").render(
            command=said, edit=f"{PREFIX}{form.notebook}?{query_of(form)}", report=form.report
        )
        at = body.find(b'<div class="lr-wrap">')  # after the site's bar, its skip link first on the page
        if at < 0:
            opening = body.find(b"<body")
            at = body.find(b">", opening) + 1 if opening >= 0 else 0
        return Page(status, HTML, body[:at] + banner.encode("utf-8") + body[at:])

    def _form(self, status: int, form: Form) -> Page:
        text = self._templates.get_template("parameters.html.j2").render(
            form=form,
            action=f"{PREFIX}{form.notebook}/report",
            as_of=self.settings.as_of,
            data=self.settings.data,
            limit=VALUE_CHARS,
        )
        return Page(status, HTML, text.encode("utf-8"))

    def _message(self, status: int, title: str, lines: tuple[str, ...], hint: str) -> Page:
        page = self._templates.get_template("message.html.j2").render(title=title, lines=lines, hint=hint, error=True)
        return Page(status, HTML, page.encode("utf-8"))
