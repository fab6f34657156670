"""reports/lunar-report.pdf: every configured report in one PDF, each a chapter.

One title page and one contents (printed by Chromium from templates/site/combined.html.j2, or typeset
by xelatex from combined.tex.j2: the reports' PDF engine), then
per report an opening page and the report's own pages after its title page, so each chapter keeps
its sections and its list of sources. The pages are merged with pypdf, which adds the outline
(a bookmark per report, its sections beneath), page labels ("2-3": chapter 2, page 3 as printed)
and turns every internal link into a link to the merged page. Rebuilt only when a report's PDF,
its title, the engine or this code changed; the same inputs give the same bytes.
"""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..base import browser
from ..base.pdf import items as pdf_items
from ..base.tex import run_xelatex
from ..base.text import long_date
from ..config.limits import Limits
from ..config.paper import DEFAULT_PDF_ENGINE, PAPERS, paper_of
from ..store.editions import Ledger, digest
from .templating import TEMPLATES, environment

COMBINED = "lunar-report.pdf"
TITLE = "lunar-report"
SUBTITLE = "China–Russia lunar cooperation and the Chang’e-5 sample return, from the sourced fact base"


@dataclass(frozen=True)
class Chapter:
    """One report of the combined PDF."""

    name: str
    title: str
    as_of: str
    pdf: str  # the sha256 of its PDF, as the manifest records it
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Section:
    title: str
    depth: int
    page: int  # index in the report's PDF


def _sections(reader: Any, outline: list[Any], depth: int = 1) -> list[_Section]:
    found = []
    for item in outline:
        if isinstance(item, list):
            found += _sections(reader, item, depth + 1)
        else:
            page = reader.get_destination_page_number(item)
            if page is not None:
                found.append(_Section(str(item.title), depth, page))
    return found


def _report_sections(reader: Any) -> list[_Section]:
    """A report's sections from its outline; when the outline is the title with everything under it (Chromium's,
    from the page's h1), the entries under the title: the chapter is titled already."""
    outline = reader.outline
    if len(outline) == 2 and not isinstance(outline[0], list) and isinstance(outline[1], list):
        outline = outline[1]
    return _sections(reader, outline)


def _dated(as_of: str) -> str:
    return f"As of {long_date(as_of)}"


def _latex_environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined
    from nbconvert.filters import escape_latex

    environment = Environment(
        loader=FileSystemLoader(TEMPLATES / "site"),
        block_start_string="((*",
        block_end_string="*))",
        variable_start_string="(((",
        variable_end_string=")))",
        comment_start_string="((=",
        comment_end_string="=))",
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    environment.filters["latex"] = lambda value: escape_latex(str(value))
    return environment


def _front_matter(
    chapters: list[dict[str, Any]], dated: str, work: Path, epoch: int, paper: str, engine: str, timeout: float
) -> bytes:
    """The title page, contents and chapter openings, made by `engine` ("chromium" or "xelatex") within `timeout` s."""
    if engine == "chromium":
        page = environment().get_template("combined.html.j2")
        text = page.render(
            title=TITLE,
            subtitle=SUBTITLE,
            dated=dated,
            chapters=chapters,
            description=SUBTITLE,
            canonical="",
            image="",
            feed="",
        )
        stream = io.BytesIO()
        browser.print_page(text, work, paper, timeout).write(stream)
        return stream.getvalue()
    latex = (
        _latex_environment()
        .get_template("combined.tex.j2")
        .render(title=TITLE, subtitle=SUBTITLE, dated=dated, chapters=chapters, paper=PAPERS[paper])
    )
    work.mkdir(parents=True, exist_ok=True)
    return run_xelatex(latex, {}, work, epoch, passes=1, timeout=timeout)


def _link_target(annotation: Any) -> tuple[Any, str] | None:
    """(the dictionary holding the destination, its key) of an internal link annotation, else None."""
    action = annotation.get("/A")
    if action is not None:
        action = action.get_object()
        if action.get("/S") == "/GoTo" and "/D" in action:
            return action, "/D"
        return None
    return (annotation, "/Dest") if "/Dest" in annotation else None


def _relink(page: Any, resolve: Any) -> None:
    """Point every internal link of `page` at an explicit merged page (`resolve(name or array)`), or drop it."""
    from pypdf.generic import ArrayObject, NameObject

    annotations = page.get("/Annots")
    if annotations is None:
        return
    kept = ArrayObject()
    for reference in annotations.get_object():
        annotation = reference.get_object()
        target = _link_target(annotation) if annotation.get("/Subtype") == "/Link" else None
        if target is None:
            kept.append(reference)
            continue
        holder, key = target
        destination = resolve(holder[key])
        if destination is not None:
            holder[NameObject(key)] = destination
            kept.append(reference)
    page[NameObject("/Annots")] = kept


@dataclass
class _Placed:
    """Where one report's pages went in the merged PDF."""

    title: str
    opening: int  # index of its opening page
    pages: dict[int, int]  # index in the report's PDF -> index in the merged PDF
    reader: Any
    sections: list[_Section]


def _place(writer: Any, opening: Any, title: str, reader: Any) -> _Placed:
    """Add the chapter's opening page, then the report's pages from its first section on."""
    sections = _report_sections(reader)
    first = min((s.page for s in sections), default=0)
    placed = _Placed(title, len(writer.pages), {}, reader, sections)
    writer.add_page(opening)
    for index in range(first, len(reader.pages)):
        placed.pages[index] = len(writer.pages)
        writer.add_page(reader.pages[index])
    return placed


def _label(writer: Any, number: int, placed: _Placed) -> None:
    """Page labels as printed: the opening page is the chapter's page 1, the report keeps its own numbers."""
    from pypdf.constants import PageLabelStyle

    prefix = f"{number}-"
    writer.set_page_label(placed.opening, placed.opening, style=PageLabelStyle.DECIMAL, prefix=prefix, start=1)
    printed = [placed.reader.page_labels[i] for i in sorted(placed.pages)]
    if printed and all(label.isdigit() for label in printed):
        first, last = min(placed.pages.values()), max(placed.pages.values())
        writer.set_page_label(first, last, style=PageLabelStyle.DECIMAL, prefix=prefix, start=int(printed[0]))


def merge(front: bytes, reports: list[tuple[Chapter, Any]], title: str) -> bytes:
    """The front matter's pages, then per report its opening page and its pages from the first section on."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.constants import PageLabelStyle
    from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject, NameObject, NullObject, TextStringObject

    front_reader = PdfReader(io.BytesIO(front))
    front_pages = len(front_reader.pages) - len(reports)  # the title page and the contents
    writer = PdfWriter()
    for page in front_reader.pages[:front_pages]:
        writer.add_page(page)
    placed = [
        _place(writer, front_reader.pages[front_pages + position], chapter.title, reader)
        for position, (chapter, reader) in enumerate(reports)
    ]
    writer.set_page_label(0, front_pages - 1, style=PageLabelStyle.LOWERCASE_ROMAN)
    for number, chapter in enumerate(placed, start=1):
        _label(writer, number, chapter)

    def explicit(index: int, view: list[Any] | None = None) -> ArrayObject:
        fit = view or [NameObject("/XYZ"), NullObject(), NullObject(), NullObject()]
        return ArrayObject([writer.pages[index].indirect_reference, *fit])

    targets: dict[str, int] = {}
    for number, chapter in enumerate(placed, start=1):
        targets[f"lr-chapter-{number}"] = chapter.opening
        for position, section in enumerate(chapter.sections, start=1):
            targets[f"lr-chapter-{number}-{position}"] = chapter.pages.get(section.page, chapter.opening)
    for index in range(front_pages):
        _relink(
            writer.pages[index],
            lambda name: explicit(targets[key]) if (key := str(name).lstrip("/")) in targets else None,
        )
    for chapter in placed:

        def body_link(name: Any, chapter: _Placed = chapter) -> ArrayObject | None:
            named = None if isinstance(name, list) else chapter.reader.named_destinations.get(str(name))
            if named is None:  # xdvipdfmx links by name; anything else would point into the report's file
                return None
            source = chapter.reader.get_destination_page_number(named)
            return explicit(chapter.pages[source], list(named.dest_array[1:])) if source in chapter.pages else None

        for index in chapter.pages.values():
            _relink(writer.pages[index], body_link)
    writer.add_outline_item(title="Contents", page_number=min(1, front_pages - 1))
    for chapter in placed:
        parents = [writer.add_outline_item(title=chapter.title, page_number=chapter.opening)]
        for section in chapter.sections:
            if section.page in chapter.pages:
                del parents[section.depth :]
                merged = chapter.pages[section.page]
                parents.append(writer.add_outline_item(title=section.title, page_number=merged, parent=parents[-1]))
    opening_pages = {front_pages + position: chapter.opening for position, chapter in enumerate(placed)}
    merge_structure(
        writer,
        [(front_reader, {index: index for index in range(front_pages)} | opening_pages)]
        + [(chapter.reader, chapter.pages) for chapter in placed],
    )
    writer.page_mode = "/UseOutlines"
    writer.add_metadata({"/Title": title, "/Creator": "lunar-report", "/Author": "lunar-report", "/Subject": SUBTITLE})
    catalog = writer.root_object
    catalog[NameObject("/Lang")] = TextStringObject("en")
    catalog[NameObject("/ViewerPreferences")] = DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(True)})
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def _contents(number: int, chapter: Chapter, reader: Any) -> dict[str, Any]:
    """What the contents page lists for one chapter: its title and date, its sections with their printed pages."""
    sections = _report_sections(reader)
    return {
        "number": number,
        "title": chapter.title,
        "dated": _dated(chapter.as_of),
        "parameters": ", ".join(f"{k} = {v}" for k, v in chapter.parameters.items()),
        "sections": [{"title": s.title, "depth": s.depth, "page": reader.page_labels[s.page]} for s in sections],
    }


def _read_ahead(reader: Any) -> None:
    """Parse every object of a report's PDF now: pypdf keeps them, so the merge that copies its pages need not."""
    numbers = {number for objects in reader.xref.values() for number in objects} | set(reader.xref_objStm)
    for number in sorted(numbers):
        reader.get_object(number)


def build(
    out: Path,
    chapters: list[Chapter],
    ledger: Ledger,
    work: Path,
    code: str,
    engine: str = DEFAULT_PDF_ENGINE,
    timeout: float = Limits.tex_timeout,
) -> bytes | None:
    """`out`/lunar-report.pdf made anew from the chapters' PDFs when they, their titles, the engine of its own
    pages (`engine`, given `timeout` seconds) or the code (`code`) changed.

    Chapters without a PDF are left out; with none, or nothing changed, None. The caller writes it
    (with the site's other pages, in one commit).
    """
    present = [c for c in chapters if c.pdf and (out / f"{c.name}.pdf").is_file()]
    if not present:
        return None
    key = {"reports": [[c.name, c.title, c.as_of, c.pdf] for c in present], "code": code[:16], "engine": engine}
    target = out / COMBINED
    recorded = ledger.combined
    if recorded.get("inputs") == key and target.is_file() and digest(target.read_bytes()) == recorded.get("sha256"):
        return None
    from pypdf import PdfReader

    readers = [(c, PdfReader(out / f"{c.name}.pdf")) for c in present]
    days = sorted({c.as_of for c in present})
    dated = _dated(days[0]) if len(days) == 1 else f"As of {long_date(days[0])} to {long_date(days[-1])}"
    contents = [_contents(number, c, reader) for number, (c, reader) in enumerate(readers, start=1)]
    epoch = int(datetime.fromisoformat(f"{days[-1]}T00:00:00+00:00").timestamp())
    box = readers[0][1].pages[0].mediabox  # the reports' paper (reports.toml's `paper`), for the pages before them
    paper = paper_of(float(box.width), float(box.height))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="lunar-report-front") as typesetting:
        front = typesetting.submit(_front_matter, contents, dated, work, epoch, paper, engine, timeout)
        for _, reader in readers:  # (while the front matter is made: this is at the end of a run)
            _read_ahead(reader)
        pdf = merge(front.result(), readers, f"{TITLE}: all reports")
    ledger.combined = {"inputs": key, "sha256": digest(pdf)}
    return pdf


# --- The combined PDF's structure tree ------------------------------------------------------------
# The combined PDF's structure tree: each merged PDF's tree, restricted to the pages that were kept.
#
# pypdf copies pages, not the tagged structure that points into them. For each source PDF this
# copies its structure elements whose content is on a kept page (dropping those only on pages left
# out, such as a report's own title page and contents), renumbers the pages' /StructParents and the
# links' /StructParent, and rebuilds the parent tree, under one /Document element.

COPIED = ("/S", "/Alt", "/ActualText", "/E", "/Lang", "/T", "/A", "/C")
"""The keys of a structure element kept as they are (type, alternate text, language, attributes)."""


def _number_tree(node: Any) -> dict[int, Any]:
    """A PDF number tree (/Nums, /Kids) as a dict."""
    node = node.get_object()
    found: dict[int, Any] = {}
    numbers = node.get("/Nums")
    if numbers is not None:
        found.update({int(key): value for key, value in zip(numbers[::2], numbers[1::2], strict=True)})
    for kid in node.get("/Kids") or []:
        found.update(_number_tree(kid))
    return found


@dataclass
class _Copy:
    """One source PDF being copied into the writer."""

    writer: Any
    pages: dict[int, Any]  # the idnum of a kept source page -> the writer's page reference
    copied: dict[int, Any] = field(default_factory=dict)  # source element idnum -> the writer's reference

    def page(self, reference: Any) -> Any | None:
        return None if reference is None else self.pages.get(reference.indirect_reference.idnum)

    def element(self, reference: Any, parent: Any) -> Any | None:
        """The writer's copy of the element at `reference` (None when none of its content is on a kept page)."""
        from pypdf.generic import ArrayObject, DictionaryObject, NameObject

        source = reference.get_object()
        page = self.page(source.get("/Pg").get_object() if "/Pg" in source else None)
        if "/Pg" in source and page is None:
            return None
        copy = DictionaryObject({NameObject("/Type"): NameObject("/StructElem"), NameObject("/P"): parent})
        for key in COPIED:
            if key in source:
                copy[NameObject(key)] = source[key].clone(self.writer) if key == "/A" else source[key]
        if page is not None:
            copy[NameObject("/Pg")] = page
        target = self.writer._add_object(copy)  # pypdf's way to make an indirect object (no public name)
        copied = [self.kid(kid, target) for kid in pdf_items(source.get("/K"))]
        kept = ArrayObject([kid for kid in copied if kid is not None])
        if not kept and "/Pg" not in source:
            return None
        copy[NameObject("/K")] = kept
        if hasattr(reference, "idnum"):
            self.copied[reference.idnum] = target
        return target

    def kid(self, kid: Any, parent: Any) -> Any | None:
        """A kid of an element: a marked-content id, a marked-content or object reference, or an element."""
        from pypdf.generic import DictionaryObject, NameObject, NumberObject

        value = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(value, int):
            return NumberObject(value)
        if value.get("/Type") in ("/MCR", "/OBJR"):
            page = self.page(value["/Pg"].get_object() if "/Pg" in value else None)
            if "/Pg" in value and page is None:
                return None
            copy = DictionaryObject({key: item for key, item in value.items() if key not in ("/Pg", "/Obj")})
            if page is not None:
                copy[NameObject("/Pg")] = page
            if "/Obj" in value:
                copy[NameObject("/Obj")] = value.raw_get("/Obj").clone(self.writer)  # the link pypdf copied
            return copy
        return self.element(kid, parent)


def merge_structure(writer: Any, sources: list[tuple[Any, dict[int, int]]]) -> None:
    """Give `writer` one structure tree from `sources`: (a tagged PDF's reader, its page index -> the writer's)."""
    from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject, NameObject, NumberObject

    root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    root_reference = writer._add_object(root)
    document = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/StructElem"),
            NameObject("/S"): NameObject("/Document"),
            NameObject("/P"): root_reference,
        }
    )
    document_reference = writer._add_object(document)
    kids, numbers, role_map = ArrayObject(), ArrayObject(), DictionaryObject()
    for reader, placed in sources:
        tree = reader.trailer["/Root"].get("/StructTreeRoot")
        if tree is None:
            continue
        tree = tree.get_object()
        pages = {
            reader.pages[i].indirect_reference.idnum: writer.pages[j].indirect_reference for i, j in placed.items()
        }
        copy = _Copy(writer, pages)
        for element in pdf_items(tree.get("/K")):
            if element.get_object().get("/S") == "/Document":  # its kids go under the one /Document
                inner = pdf_items(element.get_object().get("/K"))
                kids += [k for k in (copy.kid(kid, document_reference) for kid in inner) if k is not None]
            else:
                kept = copy.kid(element, document_reference)
                if kept is not None:
                    kids.append(kept)
        parents = _number_tree(tree["/ParentTree"]) if "/ParentTree" in tree else {}
        for source_index, target_index in placed.items():
            _renumber(writer.pages[target_index], reader.pages[source_index], parents, copy, numbers)
        role_map.update(tree.get("/RoleMap", DictionaryObject()).get_object())
    document[NameObject("/K")] = kids
    root[NameObject("/K")] = ArrayObject([document_reference])
    root[NameObject("/ParentTree")] = writer._add_object(DictionaryObject({NameObject("/Nums"): numbers}))
    root[NameObject("/ParentTreeNextKey")] = NumberObject(len(numbers) // 2)
    if role_map:
        root[NameObject("/RoleMap")] = role_map
    catalog = writer.root_object
    catalog[NameObject("/StructTreeRoot")] = root_reference
    catalog[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})


def _renumber(page: Any, source: Any, parents: dict[int, Any], copy: _Copy, numbers: Any) -> None:
    """The page's and its links' parent-tree keys, numbered anew in the writer's parent tree."""
    from pypdf.generic import ArrayObject, NameObject, NullObject, NumberObject

    def mapped(value: Any) -> Any:
        value = value.get_object() if hasattr(value, "get_object") else value
        if isinstance(value, list):
            return ArrayObject([mapped(item) if item is not None else NullObject() for item in value])
        return copy.copied.get(getattr(value, "indirect_reference", None).idnum, NullObject())  # type: ignore[union-attr]

    def entry(old: Any) -> NumberObject | None:
        if old is None or int(old) not in parents:
            return None
        key = NumberObject(len(numbers) // 2)
        numbers.extend([key, mapped(parents[int(old)])])
        return key

    key = entry(source.get("/StructParents"))
    if key is not None:
        page[NameObject("/StructParents")] = key
    elif "/StructParents" in page:
        del page["/StructParents"]
    for annotation in page.get("/Annots") or []:
        annotation = annotation.get_object()
        key = entry(annotation.get("/StructParent"))
        if key is not None:
            annotation[NameObject("/StructParent")] = key
        elif "/StructParent" in annotation:
            del annotation["/StructParent"]
