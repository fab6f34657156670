"""Tables and snapshots for the "What changed" tests: the shipped tables read and edited, two editions compared."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from lunar_report.pipeline.store.changes import Changes, Snapshot, describe

PROJECT = Path(__file__).resolve().parent.parent
KNOWN = PROJECT / "tests" / "fixtures" / "known"
SHIPPED = PROJECT / "data"
METHOD = {"notebook": "n1", "configuration": "c1", "code": "k1", "environment": "e1", "site": "s1"}


def data(name: str, folder: Path = KNOWN) -> bytes:
    """A table's bytes: the known fixture fact base's by default, or the shipped one's (`folder=SHIPPED`)."""
    return (folder / name).read_bytes()


def rows(content: bytes) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(content.decode("utf-8"), newline=""))
    return list(reader.fieldnames or []), list(reader)


def write(header: list[str], table: list[dict[str, str]]) -> bytes:
    stream = io.StringIO(newline="")
    writer = csv.DictWriter(stream, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    return stream.getvalue().encode("utf-8")


def edited(name: str, change, folder: Path = KNOWN) -> bytes:
    header, table = rows(data(name, folder))
    return write(header, change(table))


def snapshot(files: dict[str, bytes], as_of: str = "2026-11-25", figures=None, method=None) -> Snapshot:
    digests = {f: hashlib.sha256(c).hexdigest() for f, c in files.items()}
    return Snapshot(as_of, digests, figures or {}, method or METHOD)


def compare(old: dict[str, bytes], new: dict[str, bytes], before=None, after=None) -> Changes:
    """The changes from the files `old` to `new`; `before` and `after` set the snapshots' other fields."""
    return describe(snapshot(old, **(before or {})), snapshot(new, **(after or {})), old.get, new.get)


def joining(table: list[dict[str, str]]) -> list[dict[str, str]]:
    """A country's joining row shaped like the table's first one, for Kyrgyzstan on 10 June 2025."""
    country = next(r for r in table if r["milestone"] == "joining" and r["scope"] == "government")
    return [
        *table,
        {
            **country,
            "id": "ilrs-join-kyrgyzstan",
            "start": "2025-06-10",
            "precision": "day",
            "title": "Kyrgyzstan joins the ILRS",
            "actors": "Kyrgyzstan",
            "note": "",
        },
    ]
