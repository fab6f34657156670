"""The published site's address (`base_url` in reports.toml): what absolute links are made from.

ClaimReview markup must name each claim page's absolute address, and a feed reader resolves the feed's
relative links against it. Without it the site still works from any folder or address; only the
markup that needs absolute addresses is left out.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from ... import paths
from ...errors import ConfigError, UsageError

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
        return paths.site_address(value)
    except ValueError as exc:
        raise ConfigError(f"{config_file}: `{SETTING}` is the published site's address: {exc}") from None


def required_base_url(option: str | None) -> str:
    """The site's address for an export: `--base-url`, else `base_url` of the project's reports.toml (UsageError
    when neither gives an absolute address)."""
    if option is not None:
        try:
            return paths.site_address(option)
        except ValueError as exc:
            raise UsageError(f"--base-url: {exc}") from None
    try:
        configured = base_url_setting(paths.config_file())
    except paths.NotInProject:
        configured = None
    if configured is None:
        raise UsageError(
            f"ClaimReview needs the site's absolute address: set {SETTING} in reports.toml or pass --base-url"
        )
    return configured
