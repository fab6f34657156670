"""The PDF's page size: A4 unless `paper = "letter"` at the top of reports.toml."""

from __future__ import annotations

from pathlib import Path

from ...errors import ConfigError

PAPERS = {"a4": "a4paper", "letter": "letterpaper"}
DEFAULT_PAPER = "a4"
_LETTER_POINTS = (612, 792)  # 8.5 × 11 in; A4 is 595 × 842 pt


def paper_of(width: float, height: float) -> str:
    """The paper a page of `width` × `height` PostScript points is printed on: "letter" or (otherwise) "a4"."""
    return "letter" if abs(width - _LETTER_POINTS[0]) < 2 and abs(height - _LETTER_POINTS[1]) < 2 else "a4"


def paper_setting(config_file: Path | None) -> str:
    """`paper = "a4"` or `"letter"` at the top level of the report configuration (default A4)."""
    import tomllib

    if config_file is None or not config_file.is_file():
        return DEFAULT_PAPER
    try:
        value = tomllib.loads(config_file.read_text(encoding="utf-8")).get("paper", DEFAULT_PAPER)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return DEFAULT_PAPER  # reading the report set reports these
    if value not in PAPERS:
        raise ConfigError(f'{config_file}: `paper` is the PDF\'s page size: "a4" or "letter"; got {value!r}.')
    return str(value)
