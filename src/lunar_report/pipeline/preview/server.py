"""The preview's web server: rendered reports as they are on disk, plus a reload hook added when served.

Only what is served changes: a small script before `</body>` that waits on `/__preview__/wait`
and reloads the page when what this path would serve has changed. The rendered files stay
byte-identical to `lunar-report render --to html`. While the data is invalid or the
configuration broken, every page shows the error; a failed report shows its failure page.
Under /parameters/ the parameters forms and their one-offs are served (preview/oneoff.py), and
the front page links them from within the reload hook, so the file stays as rendered.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import mimetypes
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from ...errors import UsageError
from ..site.index import FAILED_DIR
from ..site.templating import environment

HOST = "127.0.0.1"
HOST_NAMES = ("127.0.0.1", "localhost")  # a request naming another host (DNS rebinding) is refused
WAIT_SECONDS = 25.0  # a reload poll is answered at the latest after this long ("same")
IDLE_SECONDS = 10.0  # a connection that sends nothing for this long is closed
WORKERS = 32  # threads answering requests (each open page holds one while it waits for a change)
QUEUED = 64  # accepted connections waiting for a thread; more are closed at once
HOOK_START = b"<!-- lunar-report preview:"
HOOK_END = b"<!-- /lunar-report preview -->"


@dataclass(frozen=True)
class Page:
    """One response."""

    status: int
    content_type: str
    body: bytes


@dataclass(frozen=True)
class Problem:
    """An error that stops every report (invalid data, a broken configuration): shown on every page."""

    title: str
    lines: tuple[str, ...] = ()


class ExtraPages(Protocol):
    """Pages the preview serves besides the rendered folder, under PARAMETERS (the parameters forms)."""

    def links(self) -> list[tuple[str, str]]:
        """(address, text) of each page, linked from the front page."""
        ...

    def page(self, path: str, query: str) -> Page:
        """What `path` with `query` serves."""
        ...


PARAMETERS = "/parameters/"  # the address the parameters pages are served under (query strings kept)


@dataclass
class _State:
    reports: tuple[str, ...] = ()
    problem: Problem | None = None
    failed: dict[str, str] = field(default_factory=dict)  # report -> one-line error
    busy: tuple[str, ...] = ()
    generation: int = 0


def without_hook(body: bytes) -> bytes:
    """A served page with the reload hook taken out again: the file as rendered."""
    start = body.rfind(HOOK_START)
    end = body.find(HOOK_END, start)
    if start < 0 or end < 0:
        return body
    end += len(HOOK_END)
    return body[:start] + body[end + body[end : end + 1].count(b"\n") :]


class Site:
    """What the preview serves: the rendered folder and the state of each report; thread-safe."""

    def __init__(self, folder: Path, kernels_ready: Callable[[], int] = lambda: 0) -> None:
        self.folder = folder.resolve()
        self.kernels_ready = kernels_ready
        self._templates = environment("preview")
        self._changed = threading.Condition()
        self._state = _State()
        self._closing = False
        self._waiting: Counter[str] = Counter()  # paths with an open page waiting for a change
        self.extra: ExtraPages | None = None  # the parameters pages, when the preview offers them

    def publish(self, **changes: Any) -> None:
        """Update the state (reports, problem, failed, busy) and wake the pages waiting for a change."""
        with self._changed:
            for key, value in changes.items():
                setattr(self._state, key, value)
            self._state.generation += 1
            self._changed.notify_all()

    def rendered(self, report: str) -> None:
        """`report` has a new page (it failed no more): the pages waiting for it look again, not after the whole round."""
        with self._changed:
            self._state.failed = {name: error for name, error in self._state.failed.items() if name != report}
            self._state.generation += 1
            self._changed.notify_all()

    def close(self) -> None:
        """Answer every waiting page now."""
        with self._changed:
            self._closing = True
            self._changed.notify_all()

    def status(self) -> dict[str, Any]:
        """The state as JSON-ready data (for scripts and tests)."""
        with self._changed:
            state = self._state
            return {
                "generation": state.generation,
                "busy": list(state.busy),
                "reports": list(state.reports),
                "failed": dict(state.failed),
                "problem": None if state.problem is None else [state.problem.title, *state.problem.lines],
                "kernels_ready": self.kernels_ready(),
            }

    # -- pages --------------------------------------------------------------------------------

    def _message(self, status: int, title: str, lines: tuple[str, ...], hint: str, error: bool) -> Page:
        page = self._templates.get_template("message.html.j2").render(title=title, lines=lines, hint=hint, error=error)
        return Page(status, "text/html; charset=utf-8", page.encode("utf-8"))

    def _file(self, relative: str) -> Path | None:
        """The file `relative` names inside the folder; None for anything else, hidden files (the output folder's
        mark and lock) included."""
        if any(part.startswith(".") for part in Path(relative).parts):
            return None
        target = (self.folder / relative).resolve()
        return target if target.is_relative_to(self.folder) and target.is_file() else None

    def page(self, path: str) -> Page:
        """What `path` serves now, without the reload hook (`path` may end in a query for the parameters pages)."""
        path, _, query = path.partition("?")
        if self.extra is not None and unquote(path).startswith(PARAMETERS):
            _, _, rest = unquote(path).removeprefix(PARAMETERS).partition("/")
            if rest in ("", "report"):
                return self.extra.page(unquote(path), query)
            path = "/" + rest  # a file of the site, linked from a one-off report: served as the site serves it
        with self._changed:
            state = self._state
            reports, problem, failed = state.reports, state.problem, dict(state.failed)
        name = unquote(path).lstrip("/") or "index.html"
        if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in name):
            return self._message(
                400, "Bad request", ("The address holds a control character.",), "The reports are listed on: /", True
            )
        report = name.removesuffix(".html") if name.endswith(".html") and name.removesuffix(".html") in reports else ""
        if name == "index.html" or report:
            if problem:
                return self._message(500, problem.title, problem.lines, "Fix it and save: this page reloads.", True)
            if report in failed:
                page = self._file(f"{FAILED_DIR}/{report}.html")
                if page:
                    return Page(500, "text/html; charset=utf-8", page.read_bytes())
                return self._message(
                    500, f"{report} failed", (failed[report],), "Fix it and save: this page reloads.", True
                )
            rendered = self._file(name)
            if rendered:
                return Page(200, "text/html; charset=utf-8", rendered.read_bytes())
            return self._message(
                503, f"Rendering {report or 'the reports'}…", (), "This page reloads when it is ready.", False
            )
        found = self._file(name)
        if found is None:
            return self._message(404, "Not found", (name,), "The reports are listed on the index page: /", True)
        kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        return Page(200, f"{kind}; charset=utf-8" if kind.startswith("text/") else kind, found.read_bytes())

    def served(self, path: str) -> Page:
        """`page(path)` with the reload hook in HTML pages (keyed by a digest of the page without it)."""
        page = self.page(path)
        if not page.content_type.startswith("text/html"):
            return page
        etag = hashlib.sha256(page.body).hexdigest()[:16]
        front = self.extra is not None and path in ("/", "/index.html") and page.status == 200
        links = self.extra.links() if front and self.extra is not None else []
        hook = self._templates.get_template("reload.html.j2").render(path=path, etag=etag, links=links).encode("utf-8")
        at = page.body.rfind(b"</body>")
        body = page.body[:at] + hook + page.body[at:] if at >= 0 else page.body + hook
        return Page(page.status, page.content_type, body)

    def viewed(self) -> set[str]:
        """The reports that an open page is showing now."""
        with self._changed:
            names = {unquote(path).lstrip("/").removesuffix(".html") for path in +self._waiting}
            return names & set(self._state.reports)

    def wait(self, path: str, etag: str, timeout: float = WAIT_SECONDS) -> bool:
        """Block until what `path` serves differs from `etag` (True) or `timeout` passes (False)."""
        with self._changed:
            self._waiting[path] += 1
        try:
            return self._wait(path, etag, timeout)
        finally:
            with self._changed:
                self._waiting[path] -= 1

    def _wait(self, path: str, etag: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            with self._changed:
                if self._closing:
                    return False
                generation = self._state.generation
            if hashlib.sha256(self.page(path).body).hexdigest()[:16] != etag:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            with self._changed:
                if self._state.generation == generation and not self._closing:
                    self._changed.wait(remaining)


def allowed_host(header: str | None, port: int) -> bool:
    """True for a request to this preview by its own name: no Host, or 127.0.0.1/localhost with its port."""
    if header is None:
        return True
    name, colon, given = header.strip().lower().partition(":")
    return name in HOST_NAMES and (not colon or given == str(port))


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "lunar-report-preview"
        timeout = IDLE_SECONDS  # the socket's timeout: an idle or slow client is dropped

        def do_GET(self) -> None:
            if not allowed_host(self.headers.get("Host"), getattr(self.server, "server_port", 0)):
                self._send(Page(403, "text/plain; charset=utf-8", b"preview answers only to 127.0.0.1 and localhost"))
                return
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            if url.path == "/__preview__/wait":
                changed = site.wait(query.get("path", ["/"])[0], query.get("etag", [""])[0])
                self._send(Page(200, "text/plain; charset=utf-8", b"reload" if changed else b"same"))
            elif url.path == "/__preview__/status":
                self._send(Page(200, "application/json", json.dumps(site.status()).encode("utf-8")))
            elif url.path.startswith(PARAMETERS) and url.query:
                self._send(site.served(f"{url.path}?{url.query}"))
            else:
                self._send(site.served(url.path))

        def _send(self, page: Page) -> None:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.send_response(page.status)
                self.send_header("Content-Type", page.content_type)
                self.send_header("Content-Length", str(len(page.body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(page.body)

        def log_message(self, format: str, *args: Any) -> None:  # the terminal shows renders, not requests
            pass

    return Handler


class PooledHTTPServer(HTTPServer):
    """An HTTP server answering on a bounded pool of threads; connections beyond its queue are closed at once.

    http.server's ThreadingHTTPServer starts one thread per connection, so held-open connections
    could start thousands of threads.
    """

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="lunar-report-preview-http")
        self._slots = threading.BoundedSemaphore(WORKERS + QUEUED)
        super().__init__(address, handler)  # closes the server (and so the pool) when the port is taken

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        self._pool.submit(self._answer, request, client_address)

    def _answer(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:  # a client that went away, a malformed request: drop it, keep serving
            pass
        finally:
            self.shutdown_request(request)
            self._slots.release()

    def server_close(self) -> None:
        super().server_close()
        self._pool.shutdown(wait=False, cancel_futures=True)


class Server:
    """`site` served on localhost at `port` (0: a free one) from a background thread."""

    def __init__(self, site: Site, port: int) -> None:
        self.site = site
        try:
            self._http = PooledHTTPServer((HOST, port), _handler(site))
        except OSError as exc:
            raise UsageError(
                f"--port {port}: cannot listen on {HOST}:{port} ({exc.strerror}); pick another port, or --port 0 for a free one"
            ) from None
        self.port = int(self._http.server_address[1])
        self.url = f"http://{HOST}:{self.port}/"
        self._thread = threading.Thread(target=self._http.serve_forever, name="lunar-report-preview", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop serving and release the port."""
        self.site.close()
        self._http.shutdown()
        self._http.server_close()
        self._thread.join(5)
