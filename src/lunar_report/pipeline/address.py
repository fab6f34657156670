"""The published site's address (`base_url` in reports.toml): what absolute links are made from.

ClaimReview markup must name each claim page's absolute address, and a feed reader resolves the feed's
relative links against it. Without it the site still works from any folder or address; only the
markup that needs absolute addresses is left out.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from ..errors import ConfigError
from ..paths import site_address

SETTING = "base_url"
WHY_NONE = (
    "no ClaimReview markup on the claim pages: it needs the site's absolute address; set "
    f'{SETTING} = "https://…/" at the top of reports.toml'
)
"""What render says, once, when a report could embed ClaimReview but no address is configured."""


def base_url_setting(config_file: Path | None) -> str | None:
    """`base_url` at the top level of the report configuration, ending in "/", or None when not set."""
    if config_file is None or not config_file.is_file():
        return None
    try:
        value = tomllib.loads(config_file.read_text(encoding="utf-8")).get(SETTING)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None  # reading the report set reports these
    if value is None:
        return None
    try:
        return site_address(value)
    except ValueError as exc:
        raise ConfigError(f"{config_file}: `{SETTING}` is the published site's address: {exc}") from None
