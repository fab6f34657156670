"""CITATION.cff: valid Citation File Format 1.2.0, and saying what pyproject.toml and the data package say."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import yaml
from jsonschema import Draft7Validator

from lunar_report.facts import package

SCHEMA = Path(__file__).resolve().parents[1] / "fixtures" / "citation" / "schema-1.2.0.json"
"""The format's own JSON schema (github.com/citation-file-format/citation-file-format, tag 1.2.0; CC BY 4.0)."""


def _citation(project_dir: Path) -> dict:
    return yaml.safe_load((project_dir / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_cff_is_valid_citation_file_format(project_dir):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(_citation(project_dir))
    ]
    assert errors == []


def test_the_schema_refuses_a_broken_citation(project_dir):
    """The check is real: a citation without authors, or with a misspelt key, fails it."""
    validator = Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    citation = _citation(project_dir)
    assert not validator.is_valid({k: v for k, v in citation.items() if k != "authors"})
    assert not validator.is_valid({**citation, "licence": "MIT"})


def test_citation_cff_agrees_with_pyproject_and_the_data_package(project_dir):
    project = tomllib.loads((project_dir / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    citation = _citation(project_dir)
    assert (citation["title"], citation["version"], citation["license"]) == (
        project["name"],
        project["version"],
        project["license"],
    )
    (data,) = citation["references"]
    assert (data["type"], data["title"], data["license"]) == ("data", package.TITLE, package.LICENSE["name"])
    assert data["authors"] == [{"name": package.PUBLISHER}]
