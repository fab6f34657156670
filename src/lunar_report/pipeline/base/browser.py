"""Chromium: printing a report's web page to a tagged PDF (the `chromium` PDF engine), and the glyphs no font has.

Chromium prints the page with its print style sheet (numbered A4 or letter pages, without the site's
bar) and writes a structure tree (headings, paragraphs, lists, tables, figures with their alt text,
links), the page's language and an outline of its headings. Each print is a child process in its own
process group (children.py), so an interrupt stops it at once; one longer than its timeout is killed
and reported as a PdfError. `print_page` checks the page's characters first and mends the PDF's text
after (Chinese characters extract as written).
"""

from __future__ import annotations

import bisect
import functools
import html
import io
import os
import re
import shutil
import subprocess
import threading
import unicodedata
from pathlib import Path
from typing import Any

from ...errors import PdfError
from . import children
from .pdf import items as pdf_items

CHROMIUM_ENV = "LUNAR_REPORT_CHROMIUM"
"""Names the Chromium (or Chrome) program to print with, when it is not on PATH as chromium."""
_PROGRAMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_INSTALL = (
    f"install Chromium (Debian/Ubuntu: apt install chromium; elsewhere set {CHROMIUM_ENV} to a Chromium or Chrome "
    'program), set pdf_engine = "xelatex" in reports.toml, or render HTML only with --to html'
)
_OPTIONS = (
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-sync",
    "--mute-audio",
    "--hide-scrollbars",
    "--window-size=1280,1024",  # a desktop's window: the page keeps its contents open (closed on phones)
    "--no-pdf-header-footer",  # the print style sheet numbers the pages
    "--generate-pdf-document-outline",  # bookmarks from the headings
    "--export-tagged-pdf",  # the structure tree
)
_TAIL = 15  # lines of Chromium's output shown when it fails
_ONE_AT_A_TIME = threading.Lock()
"""Prints wait for each other: a Chromium is a dozen processes, half a gigabyte between them, and a render's
reports reach their PDF at different moments, so waiting costs little time."""


def chromium_program() -> str:
    """The Chromium program to print with: $LUNAR_REPORT_CHROMIUM, else the first found on PATH (PdfError if none)."""
    named = os.environ.get(CHROMIUM_ENV, "")
    if named:
        found = shutil.which(named)
        if found is None:
            raise PdfError(f"{CHROMIUM_ENV}={named!r} is not a program: {CHROMIUM_INSTALL}")
        return found
    for program in _PROGRAMS:
        found = shutil.which(program)
        if found is not None:
            return found
    raise PdfError(f"Chromium is not on PATH: {CHROMIUM_INSTALL}")


def print_to_pdf(page: Path, timeout: float | None = None) -> bytes:
    """Print the HTML file `page` with Chromium (its own profile beside the page) and return the PDF."""
    pdf = page.with_suffix(".pdf")
    command = [chromium_program(), *_OPTIONS, f"--user-data-dir={page.parent / 'profile'}", f"--print-to-pdf={pdf}"]
    if os.geteuid() == 0:
        command.append("--no-sandbox")  # Chromium's sandbox refuses to start as root
    try:
        with _ONE_AT_A_TIME:
            returncode, output = children.run([*command, page.resolve().as_uri()], page.parent, timeout=timeout)
    except FileNotFoundError:
        raise PdfError(f"Chromium is not on PATH: {CHROMIUM_INSTALL}") from None
    except subprocess.TimeoutExpired:
        raise PdfError(f"Chromium timed out after {timeout:g} s printing the PDF (limits.tex_timeout)") from None
    if returncode != 0 or not pdf.is_file():
        tail = "\n".join(output.splitlines()[-_TAIL:])
        raise PdfError(f"Chromium could not print the PDF (exit {returncode}); end of its output:\n{tail}")
    return pdf.read_bytes()


@functools.cache
def _covered() -> tuple[list[int], list[int]] | None:
    """The code points some installed font has, as sorted range starts and ends (None without fontconfig)."""
    try:
        listed = subprocess.run(
            ["fc-list", "--format", "%{charset}\\n"], capture_output=True, text=True, check=True, timeout=60
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    ranges = sorted(
        (int(first, 16), int(last or first, 16))
        for first, last in re.findall(r"([0-9a-f]+)(?:-([0-9a-f]+))?", listed.replace("\n", " "))
    )
    starts: list[int] = []
    ends: list[int] = []
    for first, last in ranges:
        if ends and first <= ends[-1] + 1:
            ends[-1] = max(ends[-1], last)
        else:
            starts.append(first)
            ends.append(last)
    return starts, ends


_NOT_TEXT = re.compile(r"<(script|style)\b.*?</\1>|<[^>]*>", re.DOTALL | re.IGNORECASE)
_CONTEXT = 40  # characters of text shown on each side of a missing character


def missing_glyphs(page: str) -> list[str]:
    """Each character of the page's text that no installed font has, with the text it occurs in.

    Chromium would print such a character as an empty box; empty when fontconfig cannot be asked.
    """
    covered = _covered()
    if covered is None:
        return []
    starts, ends = covered
    text = " ".join(html.unescape(_NOT_TEXT.sub(" ", page)).split())
    missing = []
    drawn = {c for c in text if ord(c) > 0x7E and unicodedata.category(c)[0] not in "CZ"}  # (not controls, spaces)
    for char in sorted(drawn):
        at = bisect.bisect_right(starts, ord(char)) - 1
        if at < 0 or ord(char) > ends[at]:
            where = text.find(char)
            snippet = text[max(0, where - _CONTEXT) : where + 1 + _CONTEXT]
            missing.append(f"{char} (U+{ord(char):04X}) in “{snippet}”")
    return missing


_LETTER_PAGES = "<style>@media print { @page { size: letter; } }</style>"
_RADICAL = re.compile(rb"(<[0-9A-Fa-f]+>\s+)<(2[EeFf][0-9A-Fa-f]{2}|[Ff][9Aa][0-9A-Fa-f]{2})>")
"""A glyph's text in a ToUnicode map that is a CJK radical or compatibility ideograph (Skia's pick for 月: ⽉)."""


def _ideograph(match: re.Match[bytes]) -> bytes:
    char = chr(int(match.group(2), 16))
    unified = unicodedata.normalize("NFKC", char)
    return match.group(1) + (b"<%04X>" % ord(unified) if len(unified) == 1 else match.group(0)[len(match.group(1)) :])


def _fonts(resources: Any, seen: set[int]) -> Any:
    """The fonts of a page's resources, and of the forms and Type 3 glyphs they draw with."""
    for group in ("/Font", "/XObject"):
        for item in (resources.get(group) or {}).values():
            if item.indirect_reference is not None and item.indirect_reference.idnum in seen:
                continue
            seen.add(item.indirect_reference.idnum if item.indirect_reference is not None else id(item))
            item = item.get_object()
            if group == "/Font":
                yield item
            if "/Resources" in item:
                yield from _fonts(item["/Resources"].get_object(), seen)


def _unified_ideographs(writer: Any) -> None:
    """Chinese characters extract (and are searched) as written: each font's ToUnicode map names the unified
    ideograph (月, U+6708) where Skia wrote the radical drawn by the same glyph (⽉, U+2F49)."""
    seen: set[int] = set()
    for page in writer.pages:
        for font in _fonts(page.get("/Resources", {}).get_object() if "/Resources" in page else {}, seen):
            if "/ToUnicode" in font:
                stream = font["/ToUnicode"].get_object()
                stream.set_data(_RADICAL.sub(_ideograph, stream.get_data()))


def _relative_links(writer: Any, folder: Path) -> None:
    """Links to the page's neighbours (other reports, claim pages) as the page wrote them: relative, as from the
    published page's folder, where Chromium resolved them to files beside the printed copy in `folder`."""
    from urllib.parse import quote, unquote, urlsplit

    from pypdf.generic import NameObject, TextStringObject

    for page in writer.pages:
        for reference in page.get("/Annots") or []:
            action = reference.get_object().get("/A")
            action = action.get_object() if action is not None else None
            if action is None or action.get("/S") != "/URI":
                continue
            address = urlsplit(str(action["/URI"]))
            if address.scheme == "file":
                relative = quote(os.path.relpath(unquote(address.path), folder))
                action[NameObject("/URI")] = TextStringObject(
                    relative + (f"#{address.fragment}" * bool(address.fragment))
                )


def _structure_elements(node: Any) -> Any:
    """The structure elements under `node` (the tree's root or an element), in document order."""
    for kid in pdf_items(node.get("/K")):
        kid = kid.get_object()
        if isinstance(kid, dict) and "/S" in kid:
            yield kid
            yield from _structure_elements(kid)


def _stable_ids(writer: Any) -> None:
    """The structure elements' ids numbered in document order, where Chromium writes its page's node numbers
    (which differ from one print to the next): the same page gives the same bytes. The table cells' references
    to their header cells, and the tree of ids, follow."""
    from pypdf.generic import ArrayObject, NameObject, TextStringObject

    root = writer.root_object.get("/StructTreeRoot")
    if root is None:
        return
    root = root.get_object()
    elements = list(_structure_elements(root))
    renamed = {str(e["/ID"]): f"node{n:08d}" for n, e in enumerate((e for e in elements if "/ID" in e), start=1)}
    for element in elements:
        if "/ID" in element:
            element[NameObject("/ID")] = TextStringObject(renamed[str(element["/ID"])])
        for attribute in (item.get_object() for item in pdf_items(element.get("/A"))):
            if "/Headers" in attribute:
                headers = [TextStringObject(renamed.get(str(h), str(h))) for h in attribute["/Headers"]]
                attribute[NameObject("/Headers")] = ArrayObject(headers)
    if "/IDTree" in root:
        _rename_name_tree(root["/IDTree"].get_object(), renamed)


def _leaves(node: Any) -> list[Any]:
    if "/Names" in node:
        return [node]
    return [leaf for kid in node.get("/Kids", []) for leaf in _leaves(kid.get_object())]


def _limits(node: Any) -> tuple[str, str]:
    """Set the /Limits of `node` (a name tree node) from what it holds; return them."""
    from pypdf.generic import ArrayObject, NameObject, TextStringObject

    if "/Names" in node:
        first, last = str(node["/Names"][0]), str(node["/Names"][-2])
    else:
        spans = [_limits(kid.get_object()) for kid in node["/Kids"]]
        first, last = spans[0][0], spans[-1][1]
    if "/Limits" in node:
        node[NameObject("/Limits")] = ArrayObject([TextStringObject(first), TextStringObject(last)])
    return first, last


def _rename_name_tree(tree: Any, renamed: dict[str, str]) -> None:
    """The name tree `tree` with its keys renamed, in order again: its leaves (the same objects) hold as many
    entries as before."""
    from pypdf.generic import ArrayObject, NameObject, TextStringObject

    leaves = _leaves(tree)
    entries = sorted(
        (renamed.get(str(leaf["/Names"][i]), str(leaf["/Names"][i])), leaf["/Names"][i + 1])
        for leaf in leaves
        for i in range(0, len(leaf["/Names"]), 2)
    )
    for leaf in leaves:
        count = len(leaf["/Names"]) // 2
        taken, entries = entries[:count], entries[count:]
        leaf[NameObject("/Names")] = ArrayObject(
            [item for key, value in taken for item in (TextStringObject(key), value)]
        )
    if leaves and all(len(leaf["/Names"]) for leaf in leaves):
        _limits(tree)


def print_page(page: str, work: Path, paper: str = "a4", timeout: float | None = None) -> Any:
    """The HTML page `page` printed by Chromium (in the empty folder `work`) on `paper` ("a4" or "letter"),
    as a pypdf writer to add metadata to: PdfError when no installed font has one of its characters."""
    from pypdf import PdfWriter

    missing = missing_glyphs(page)
    if missing:
        raise PdfError("no installed font has characters the PDF prints: " + "; ".join(missing))
    if paper == "letter":
        page = page.replace("</head>", _LETTER_PAGES + "</head>", 1)
    work.mkdir(parents=True, exist_ok=True)
    (work / "page.html").write_text(page, encoding="utf-8")
    writer = PdfWriter(clone_from=io.BytesIO(print_to_pdf(work / "page.html", timeout)))
    _unified_ideographs(writer)
    _relative_links(writer, work.resolve())
    _stable_ids(writer)
    return writer
