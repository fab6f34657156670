"""The data digests this process may take as validated: its own (:func:`trusting`) and its host's.

Kept apart from :mod:`.validate` and free of pandas: the build enters :func:`trusting` before it
knows whether anything it runs reads the tables.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .. import paths

_TRUSTED_HERE: set[str] = set()  # digests this process validated itself, within `trusting`


@contextmanager
def trusting(digest: str) -> Iterator[None]:
    """Within the block, this process's own reads do not validate again the bytes that hash to `digest` (it has
    just validated them: the host's parameter checkers, as its kernels do not); other bytes are still checked."""
    added = bool(digest) and digest not in _TRUSTED_HERE
    if added:
        _TRUSTED_HERE.add(digest)
    try:
        yield
    finally:
        if added:
            _TRUSTED_HERE.discard(digest)


def trusted_digests() -> frozenset[str]:
    """The digests validated already: by this process (`trusting`), or by the host, from the file
    $LUNAR_REPORT_VALIDATED names (none in a kernel started by hand, in Lab say: it validates what it reads)."""
    named = os.environ.get(paths.TRUST_ENV)
    try:
        host = frozenset(Path(named).read_text(encoding="ascii").split()) if named else frozenset()
    except (OSError, UnicodeDecodeError):
        host = frozenset()
    return host | _TRUSTED_HERE
