"""ClaimReview JSON-LD: one complete review per claim, with the fields Google's documentation requires."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from helpers import AS_OF, MINIMAL, NOTEBOOKS, copy_minimal, run_cli, write_config
from lunar_report.analysis.parameters import validate_claims_parameters
from lunar_report.errors import ConfigError, ParameterError
from lunar_report.pipeline.config.address import base_url_setting

SITE = "https://example.org/lunar/"
LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--base-url", "claims/"],
            "error: --base-url: expected an absolute http(s) address of the published reports folder, like "
            "https://example.org/lunar/; got 'claims/'",
        ),
        (
            [],
            "error: ClaimReview needs the site's absolute address: set base_url in reports.toml or pass --base-url",
        ),
    ],
)
def test_export_without_an_absolute_address_is_refused(tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)  # outside any project: no reports.toml to take base_url from
    result = run_cli(capsys, "export", "claims", "--data", str(MINIMAL), *args)
    assert (result.code, result.stderr.strip(), result.stdout) == (2, message, "")


def test_the_site_address_in_reports_toml(tmp_path):
    config = tmp_path / "reports.toml"
    config.write_text('base_url = "https://example.org/lunar"\n', encoding="utf-8")
    assert base_url_setting(config) == SITE
    config.write_text('base_url = "example.org"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        base_url_setting(config)
    assert str(refused.value) == (
        f"{config}: `base_url` is the published site's address: expected an absolute http(s) address of the "
        "published reports folder, like https://example.org/lunar/; got 'example.org'"
    )
    config.write_text("", encoding="utf-8")
    assert base_url_setting(config) is None


def test_the_notebook_parameter_is_checked():
    given = {"data_dir": str(MINIMAL), "as_of": None}
    assert validate_claims_parameters(**given, base_url=SITE).base_url == SITE
    assert validate_claims_parameters(**given, base_url=None).base_url is None
    with pytest.raises(ParameterError, match=r"^base_url: expected an absolute http\(s\) address"):
        validate_claims_parameters(**given, base_url="/lunar/")


def _claims_config(folder, base_url: str | None):
    config = write_config(folder, [{"name": "claims", "notebook": NOTEBOOKS / "claims.ipynb"}])
    if base_url:
        config.write_text(f'base_url = "{base_url}"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    return config


@pytest.mark.slow
def test_two_renders_a_day_apart_give_the_same_date_published(tmp_path, capsys):
    data = copy_minimal(tmp_path / "data")
    config = _claims_config(tmp_path, SITE)
    pages = []
    for day in (AS_OF, (date.fromisoformat(AS_OF).replace(day=26)).isoformat()):
        out = tmp_path / f"out-{day}"
        args = ("render", "claims", "--to", "html", "--config", str(config), "--data", str(data), "--out", str(out))
        result = run_cli(capsys, *args, "--as-of", day)
        assert result.code == 0, result.stderr
        assert "ClaimReview" not in result.stderr
        assert "application/ld+json" not in (out / "claims.html").read_text(encoding="utf-8"), "one per claim page"
        pages.append(
            json.loads(LD_JSON.search((out / "claims/claim-social.html").read_text(encoding="utf-8")).group(1))
        )
    first, second = pages
    assert first["datePublished"] == second["datePublished"] == "2026-04"
    assert first == second, "an unchanged fact base gives unchanged reviews"
    assert first["url"] == f"{SITE}claims/claim-social.html"
    feed = (tmp_path / f"out-{AS_OF}" / "feed.xml").read_text(encoding="utf-8")
    assert f'xml:base="{SITE}"' in feed and f'href="{SITE}feed.xml"' in feed


@pytest.mark.slow
def test_without_a_site_address_no_claimreview_and_render_says_why_once(tmp_path, capsys):
    data = copy_minimal(tmp_path / "data")
    config = _claims_config(tmp_path, None)
    out = tmp_path / "out"
    args = ("render", "claims", "--to", "html", "--config", str(config), "--data", str(data), "--out", str(out))
    result = run_cli(capsys, *args, "--as-of", AS_OF)
    assert result.code == 0, result.stderr
    assert result.stderr.count("no ClaimReview markup on the claim pages") == 1
    assert "application/ld+json" not in (out / "claims.html").read_text(encoding="utf-8")
    page = (out / "claims/claim-social.html").read_text(encoding="utf-8")
    assert "application/ld+json" not in page and '<link rel="canonical"' not in page, "the page, without markup"
