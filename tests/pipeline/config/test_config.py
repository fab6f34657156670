"""The report configuration: names, notebooks and parameters are checked before anything runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from lunar_report.errors import ConfigError
from lunar_report.pipeline.config.reports import declared_parameters, load_reports, select

PROJECT = Path(__file__).resolve().parents[3]

TIMELINE = (PROJECT / "notebooks") / "timeline.ipynb"


def config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "reports.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_shipped_configuration_loads_with_declared_parameters():
    specs = load_reports()
    assert [s.name for s in specs][:1] == ["timeline"]
    for spec in specs:
        assert "data_dir" in spec.declared
        assert set(spec.parameters) <= spec.declared


def test_declared_parameters_are_read_from_the_tagged_cell():
    assert {"data_dir", "as_of", "start", "end", "timezone", "categories"} <= declared_parameters(TIMELINE)


@pytest.mark.parametrize("name", ["../escape", "a/b", "..", ".hidden", "with space"])
def test_report_names_cannot_leave_the_output_folder(tmp_path, name):
    path = config(tmp_path, f'[[report]]\nname = "{name}"\nnotebook = "{TIMELINE}"\ntitle = "T"\n')
    with pytest.raises(ConfigError, match=r"may hold only letters, digits, '-' and '_'"):
        load_reports(path)


def test_unknown_parameter_names_the_declared_ones(tmp_path):
    path = config(
        tmp_path, f'[[report]]\nname = "t"\nnotebook = "{TIMELINE}"\ntitle = "T"\nparameters = {{ timezon = "UTC" }}\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_reports(path)
    assert str(caught.value) == (
        f"{path}: report #1 (t): parameter timezon is not declared in timeline.ipynb's parameters cell; "
        "declared: as_of, categories, data_dir, end, start, timezone."
    )


def test_missing_notebook_and_duplicate_names(tmp_path):
    path = config(tmp_path, '[[report]]\nname = "t"\nnotebook = "nope.ipynb"\ntitle = "T"\n')
    with pytest.raises(ConfigError, match=r"notebook 'nope\.ipynb' does not exist"):
        load_reports(path)
    entry = f'[[report]]\nname = "t"\nnotebook = "{TIMELINE}"\ntitle = "T"\n'
    with pytest.raises(ConfigError, match="report names must be unique; repeated: t"):
        load_reports(config(tmp_path, entry + entry))


def test_select_unknown_report_lists_the_valid_ones():
    with pytest.raises(ConfigError, match="unknown report nope; choose from: timeline, "):
        select(load_reports(), ("nope",))


def test_a_report_that_is_not_a_table_is_named(tmp_path):
    path = config(tmp_path, 'report = ["timeline"]\n')
    with pytest.raises(ConfigError) as caught:
        load_reports(path)
    assert str(caught.value) == f"{path}: report #1: each report must be a table under [[report]]; got 'timeline'."


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("3", "is a number; give it as a string in quotes."),
        ("true", "is a true/false value; give it as a string in quotes."),
        ("2021-03-09", "is a date or time; give it as a string in quotes."),
        ("[1]", "is a list; give it as a string in quotes."),
        ('""', "is missing; give it as a string."),
    ],
)
def test_a_text_field_of_another_type_says_what_it_is(tmp_path, value, said):
    path = config(tmp_path, f'[[report]]\nname = {value}\nnotebook = "{TIMELINE}"\ntitle = "T"\n')
    with pytest.raises(ConfigError) as caught:
        load_reports(path)
    assert str(caught.value) == f"{path}: report #1: `name` {said}"


def test_a_one_off_keeps_the_configured_title_only_while_no_value_changes():
    from lunar_report.pipeline.config.reports import one_off

    configured = next(s for s in load_reports() if s.name == "mission-change-5")
    assert one_off(configured, {"mission": "change-5"}).title == configured.title
    other = one_off(configured, {"mission": "change-6"})
    assert other.title == "Lunar sample-return mission: phases, duration and samples (mission: change-6)"
    assert other.name == "mission-change-5-custom" and not other.configured
