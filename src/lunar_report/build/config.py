"""The report set, read from `reports.toml`: which notebook, with which parameters, under which name."""
from __future__ import annotations

import ast
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..errors import ConfigError

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class ReportSpec:
    """One configured report."""

    name: str
    notebook: Path
    title: str
    parameters: dict = field(default_factory=dict)
    declared: frozenset[str] = frozenset()  # names assigned in the notebook's `parameters` cell


def declared_parameters(notebook: Path) -> frozenset[str]:
    """The names the notebook's `parameters`-tagged cell assigns (read without a kernel)."""
    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not tagged:
        return frozenset()
    source = "".join(tagged[0]["source"]) if isinstance(tagged[0]["source"], list) else tagged[0]["source"]
    names = set()
    for node in ast.walk(ast.parse(source)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        names.update(t.id for t in targets if isinstance(t, ast.Name))
    return frozenset(names)


def _spec(entry: dict, base: Path, config_file: Path, position: int) -> ReportSpec:
    where = f"{config_file}: report #{position}"
    for key in ("name", "notebook", "title"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            raise ConfigError(f"{where}: `{key}` is missing; give it as a string.")
    name = entry["name"]
    if not NAME_PATTERN.match(name):
        raise ConfigError(
            f"{where}: name {name!r} may hold only letters, digits, '-' and '_' (no path separators or '..')."
        )
    notebook = (base / entry["notebook"]).resolve()
    if not notebook.is_file():
        raise ConfigError(f"{where}: notebook {entry['notebook']!r} does not exist.")
    parameters = dict(entry.get("parameters", {}))
    declared = declared_parameters(notebook)
    unknown = sorted(set(parameters) - declared)
    if unknown:
        raise ConfigError(
            f"{where} ({name}): parameter {', '.join(unknown)} is not declared in {notebook.name}'s "
            f"parameters cell; declared: {', '.join(sorted(declared)) or 'none'}."
        )
    return ReportSpec(name, notebook, entry["title"], parameters, declared)


def load_reports(config_file: str | Path | None = None) -> list[ReportSpec]:
    """Every report declared in the configuration file (default: the project's `reports.toml`)."""
    config_file = Path(config_file or paths.REPORTS_CONFIG)
    try:
        entries = tomllib.loads(config_file.read_text(encoding="utf-8")).get("report", [])
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{config_file}: cannot read the report configuration: {exc}") from None
    specs = [_spec(e, config_file.parent, config_file, i) for i, e in enumerate(entries, start=1)]
    names = [s.name for s in specs]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"{config_file}: report names must be unique; repeated: {', '.join(duplicates)}.")
    return specs


def select(specs: list[ReportSpec], names: tuple[str, ...]) -> list[ReportSpec]:
    """The specs named in `names` (all when empty); an unknown name is an error that lists the valid ones."""
    if not names:
        return specs
    known = {s.name: s for s in specs}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ConfigError(f"unknown report {', '.join(unknown)}; choose from: {', '.join(known)}.")
    return [known[n] for n in names]
