"""The PDF's page size setting: A4 unless reports.toml says `paper = "letter"`; anything else is one clear error."""

from __future__ import annotations

import pytest

from lunar_report.errors import ConfigError
from lunar_report.pipeline.paper import paper_setting


def test_a4_by_default(tmp_path):
    assert paper_setting(None) == "a4"
    config = tmp_path / "reports.toml"
    config.write_text('[[report]]\nname = "t"\nnotebook = "t.ipynb"\n', encoding="utf-8")
    assert paper_setting(config) == "a4"


def test_letter_when_asked(tmp_path):
    config = tmp_path / "reports.toml"
    config.write_text('paper = "letter"\n', encoding="utf-8")
    assert paper_setting(config) == "letter"


def test_another_size_is_a_config_error(tmp_path):
    config = tmp_path / "reports.toml"
    config.write_text('paper = "legal"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        paper_setting(config)
    assert str(raised.value) == f'{config}: `paper` is the PDF\'s page size: "a4" or "letter"; got \'legal\'.'
    assert raised.value.exit_code == 2
