"""The PDF's page size and engine: `paper = "a4"` or `"letter"` and `pdf_engine = "chromium"` or `"xelatex"`
at the top of reports.toml (default A4, Chromium)."""

from __future__ import annotations

from pathlib import Path

from ...errors import ConfigError

PAPERS = {"a4": "a4paper", "letter": "letterpaper"}
DEFAULT_PAPER = "a4"
_LETTER_POINTS = (612, 792)  # 8.5 × 11 in; A4 is 595 × 842 pt
PDF_ENGINES = {
    "chromium": "the report's web page printed by Chromium",
    "xelatex": "typeset by xelatex from the notebook",
}
DEFAULT_PDF_ENGINE = "chromium"


def paper_of(width: float, height: float) -> str:
    """The paper a page of `width` × `height` PostScript points is printed on: "letter" or (otherwise) "a4"."""
    return "letter" if abs(width - _LETTER_POINTS[0]) < 2 and abs(height - _LETTER_POINTS[1]) < 2 else "a4"


def _choice(config_file: Path | None, key: str, choices: dict[str, str], default: str, what: str) -> str:
    """The top-level `key` of the report configuration, one of `choices` (ConfigError naming them otherwise)."""
    import tomllib

    if config_file is None or not config_file.is_file():
        return default
    try:
        value = tomllib.loads(config_file.read_text(encoding="utf-8")).get(key, default)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return default  # reading the report set reports these
    if value not in choices:
        named = " or ".join(f'"{choice}"' for choice in choices)
        raise ConfigError(f"{config_file}: `{key}` is {what}: {named}; got {value!r}.")
    return str(value)


def paper_setting(config_file: Path | None) -> str:
    """`paper = "a4"` or `"letter"` at the top level of the report configuration (default A4)."""
    return _choice(config_file, "paper", PAPERS, DEFAULT_PAPER, "the PDF's page size")


def pdf_engine_setting(config_file: Path | None) -> str:
    """`pdf_engine = "chromium"` or `"xelatex"` at the top level of the report configuration."""
    return _choice(config_file, "pdf_engine", PDF_ENGINES, DEFAULT_PDF_ENGINE, "what makes the PDF")
