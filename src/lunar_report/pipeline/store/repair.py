"""`lunar-report editions repair`: rebuild an unreadable or missing ledger from the edition folders, under the folder's lock."""

from __future__ import annotations

from pathlib import Path

from ...errors import LedgerError, UsageError
from . import editions, workspace


def repair(out: Path) -> str:
    """`lunar-report editions repair`: rebuild an unreadable or missing ledger from the edition folders; what was done.

    The unreadable ledger is kept as editions.json.damaged-N; no edition folder or table is touched.
    """
    if not (out / editions.EDITIONS_DIR).is_dir():
        raise UsageError(f"--out {out}: no {editions.EDITIONS_DIR} folder there; nothing to repair")
    workspace.check_ours(out, out)  # before its ledger is read, and before the lock marks the folder as ours
    with workspace.locked(out, 0):
        try:
            if editions.load_ledger(out) is not None:
                return f"{out / editions.LEDGER} is readable; nothing to repair"
        except LedgerError:
            pass
        workspace.check_writable(out)
        ledger = editions.rebuild(out)
        aside = editions.set_aside(out)
        editions.save_ledger(out, ledger)
    count = sum(len(history) for history in ledger.reports.values())
    kept = f"; the unreadable one is kept as {aside.name}" if aside else ""
    return f"rebuilt {out / editions.LEDGER} from {count} edition folders of {len(ledger.reports)} reports{kept}"
