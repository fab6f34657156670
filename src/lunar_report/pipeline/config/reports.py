"""The report set, read from `reports.toml`: which notebook, with which parameters, under which name.

Each `[[report]]` table names a notebook, a title and its parameters; `matrix` expands one
table into one report per value (per combination for several keys). Every mistake is a
ConfigError naming the file, the report and the key, found before any kernel starts.
"""

from __future__ import annotations

import ast
import itertools
import json
import math
import re
import string
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from ... import paths
from ...errors import ConfigError
from ...facts.text import TITLE_LENGTH, unsafe_character
from .limits import SECTION, limits_of

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*\Z")  # (\Z: no line break after it either)
KEYS = ("name", "notebook", "title", "parameters", "matrix")
CHECK_KEY = "lunar_report"  # notebook metadata: {"check_parameters": "module:function"}
CHECKER_MODULE = "lunar_report.analysis.parameters"  # the only module a notebook may name a checker from
CHECKER_PATTERN = re.compile(rf"^{re.escape(CHECKER_MODULE)}:validate_[a-z0-9_]+$")
SUPPLIED = ("data_dir", "as_of", "base_url")  # filled in by `render`, never configured
SITE_NAMES = ("index", "build", "editions", "search", "feed", "lunar-report", "manifest")  # the site's own files


@dataclass(frozen=True)
class NotebookInfo:
    """What the build knows of a notebook without starting a kernel."""

    declared: frozenset[str]  # names assigned in the `parameters` cell
    checker: str = ""  # "module:function" that validates parameter values on the host
    defaults: dict[str, Any] = field(default_factory=dict)  # the cell's values (literals only), its one source
    title: str = ""  # the notebook's own title (its metadata), for reports it renders outside the configuration


@dataclass(frozen=True)
class ReportSpec:
    """One report to render."""

    name: str
    notebook: Path
    title: str
    parameters: dict[str, Any] = field(default_factory=dict)
    declared: frozenset[str] = frozenset()
    checker: str = ""
    configured: bool = True  # False for one-off renders (`-p`, a notebook path): never the configured report
    defaults: dict[str, Any] = field(default_factory=dict)  # the notebook's parameters cell: name -> value

    def effective(self, supplied: dict[str, Any]) -> dict[str, Any]:
        """The parameters the notebook runs with: its defaults, then the configured ones, then what `render` fills in."""
        return {**self.defaults, **self.parameters, **{k: v for k, v in supplied.items() if k in self.declared}}


def _cell_source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(map(str, source)) if isinstance(source, list) else str(source)


def _is_notebook(content: Any) -> bool:
    """The shape of an nbformat 4 notebook, as far as the build reads it without a kernel."""
    return (
        isinstance(content, dict)
        and content.get("nbformat") == 4
        and isinstance(content.get("cells"), list)
        and isinstance(content.get("metadata", {}), dict)
        and all(isinstance(c, dict) and isinstance(c.get("metadata", {}), dict) for c in content["cells"])
    )


def _notebook_json(notebook: Path) -> dict[str, Any]:
    try:
        content = json.loads(notebook.read_text(encoding="utf-8"))
    except OSError as exc:
        reason = str(exc.strerror)
    except (UnicodeDecodeError, ValueError):
        reason = "it is not a Jupyter notebook (JSON)"
    else:
        if _is_notebook(content):
            return content  # type: ignore[no-any-return]
        reason = "it is not a Jupyter notebook (nbformat 4 JSON with a list of cells)"
    raise ConfigError(f"{notebook}: cannot read the notebook: {reason}")


def _checker_name(metadata: dict[str, Any], notebook: Path) -> str:
    """The `module:function` the notebook's metadata names as its parameter checker ("" when none)."""
    section = metadata.get(CHECK_KEY, {})
    checker = section.get("check_parameters", "") if isinstance(section, dict) else section
    if not isinstance(section, dict) or not isinstance(checker, str) or (checker and ":" not in checker):
        raise ConfigError(
            f"{notebook}: metadata {CHECK_KEY}.check_parameters must be text of the form 'module:function'; "
            f"got {checker!r}."
        )
    if checker and not CHECKER_PATTERN.match(checker):
        raise ConfigError(
            f"{notebook}: metadata {CHECK_KEY}.check_parameters names {checker!r}; a checker must be one of the "
            f"validate_* functions of {CHECKER_MODULE}."
        )
    return checker


def notebook_info(notebook: Path) -> NotebookInfo:
    """The notebook's declared parameters, their defaults and its host-side checker; ConfigError when not a notebook.

    The `parameters`-tagged cell is read as papermill's `inspect_notebook` reads it, without a
    kernel: each `name = value` (or `name: type = value`) assignment declares a parameter; a value
    written as a Python literal is its default.
    """
    content = _notebook_json(notebook)
    cells, metadata = content["cells"], content.get("metadata", {})
    tagged = [c for c in cells if "parameters" in _tags(c)]
    names: set[str] = set()
    defaults: dict[str, Any] = {}
    if tagged:
        try:
            tree = ast.parse(_cell_source(tagged[0]))
        except SyntaxError as exc:
            raise ConfigError(f"{notebook}: the parameters cell is not valid Python (line {exc.lineno})") from None
        for node in tree.body:
            value: ast.expr | None
            targets: list[ast.expr]
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, ast.AnnAssign):
                targets, value = [node.target], node.value
            else:
                continue
            for target in (t for t in targets if isinstance(t, ast.Name)):
                names.add(target.id)
                try:
                    defaults[target.id] = ast.literal_eval(value) if value is not None else None
                except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                    defaults.pop(target.id, None)  # not a literal: the notebook computes it
    title = metadata.get("title")
    title = title.strip() if isinstance(title, str) and title.strip() else notebook.stem.replace("_", " ").capitalize()
    return NotebookInfo(frozenset(names), _checker_name(metadata, notebook), defaults, title)


def parameter_help(notebook: Path) -> dict[str, str]:
    """The notebook's parameters in the order of its `parameters` cell, each with its help: the comment beside it,
    as papermill's `inspect_notebook` reads it (the one place a parameter is described)."""
    import papermill  # (a second or so: only when the help is asked for)

    found = papermill.inspect_notebook(str(notebook))
    return {name: str(entry.get("help") or "") for name, entry in found.items()}


def _tags(cell: dict[str, Any]) -> list[Any]:
    tags = cell.get("metadata", {}).get("tags", [])
    return tags if isinstance(tags, list) else []


def declared_parameters(notebook: Path) -> frozenset[str]:
    """The names the notebook's `parameters`-tagged cell assigns (read without a kernel)."""
    return notebook_info(notebook).declared


def typed_value(text: str) -> Any:
    """A `-p` value typed as papermill types it: True/False, None, int, float, else the text."""
    special = {"True": True, "False": False, "None": None}
    if text in special:
        return special[text]
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def plain_value(value: Any, where: str) -> Any:
    """A TOML or YAML value as a notebook parameter: dates and times become ISO text; tables and lists recurse.

    Anything else that is not text, a number, true/false or None (a YAML set or binary) is a ConfigError.
    """
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain_value(v, where) for v in value]
    if isinstance(value, dict):
        return {str(k): plain_value(v, where) for k, v in value.items()}
    if isinstance(value, str) and unsafe_character(value, lines=True):
        raise ConfigError(f"{where}: {value[:40]!r} holds {unsafe_character(value, lines=True)}; remove it.")
    if value is None or isinstance(value, str | int | float):
        return value
    raise ConfigError(
        f"{where}: {value!r} ({type(value).__name__}) cannot be a parameter; give text, a number, true/false, a list or a table."
    )


def check_parameters(parameters: dict[str, Any], info: NotebookInfo, notebook: Path, where: str) -> None:
    """Every parameter must be declared in the notebook and not be one `render` supplies."""
    supplied = sorted(set(parameters) & set(SUPPLIED))
    if supplied:
        raise ConfigError(
            f"{where}: {', '.join(supplied)} is set by `lunar-report render` (--data, --as-of, base_url at the "
            "top of reports.toml); remove it."
        )
    unknown = sorted(set(parameters) - info.declared)
    if unknown:
        raise ConfigError(
            f"{where}: parameter {', '.join(unknown)} is not declared in {notebook.name}'s "
            f"parameters cell; declared: {', '.join(sorted(info.declared)) or 'none'}."
        )


def _toml_type(value: Any) -> str:
    """What a TOML value is, in words: "a number", "a date", "a table"..."""
    kinds = ((bool, "a true/false value"), ((int, float), "a number"), (dict, "a table"), (list, "a list"))
    return next((word for kind, word in kinds if isinstance(value, kind)), "a date or time")


def _text_field(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"{where}: `{key}` is {_toml_type(value)}; give it as a string in quotes.")
    if value is None or not value.strip():
        raise ConfigError(f"{where}: `{key}` is missing; give it as a string.")
    if unsafe_character(value):
        raise ConfigError(f"{where}: `{key}` holds {unsafe_character(value)}; remove it (one line of text).")
    if key != "notebook" and len(value) > TITLE_LENGTH:
        raise ConfigError(f"{where}: `{key}` has {len(value)} characters; at most {TITLE_LENGTH}, shorten it.")
    return value


def _table(entry: dict[str, Any], key: str, where: str, example: str) -> dict[str, Any]:
    value = entry.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: `{key}` must be a table, e.g. {key} = {example}; got {value!r}.")
    return value


def check_name(name: str, where: str) -> str:
    """A report name usable as a file stem and not one of the site's own files, or ConfigError."""
    if not NAME_PATTERN.match(name):
        raise ConfigError(
            f"{where}: name {name!r} may hold only letters, digits, '-' and '_' (no path separators or '..')."
        )
    if name.lower() in SITE_NAMES:
        raise ConfigError(
            f"{where}: name {name!r} is one of the site's own pages ({', '.join(SITE_NAMES)}); choose another."
        )
    return name


def check_one_offs(specs: list[ReportSpec], configured: list[ReportSpec]) -> None:
    """A one-off render never takes a configured report's name (it would replace it and join its history)."""
    taken = {spec.name for spec in configured}
    for spec in specs:
        if not spec.configured and spec.name in taken:
            raise ConfigError(
                f"one-off render named {spec.name!r}: a configured report has this name, and a one-off never "
                f"replaces it; give another name with --name NAME"
            )


def _fill(template: str, values: dict[str, Any], key: str, where: str) -> str:
    if not values:  # no matrix: the text is taken as written, braces included
        return template
    invalid = f"{where}: `{key}` {template!r} is not a valid template"
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    except ValueError as exc:  # a single { or }
        raise ConfigError(f"{invalid}: {exc}; write {{{{ and }}}} for literal braces.") from None
    unknown = sorted(fields - set(values))
    if unknown:
        raise ConfigError(
            f"{where}: `{key}` uses {{{unknown[0]}}}, which is not a matrix key; use one of: {', '.join(sorted(values)) or 'none'}."
        )
    try:
        return template.format_map({k: v for k, v in values.items()})
    except KeyError as exc:  # a field nested in a format spec
        raise ConfigError(f"{invalid}: {{{exc.args[0]}}} is not a matrix key.") from None
    except (ValueError, IndexError) as exc:  # a bad format spec
        raise ConfigError(f"{invalid}: {exc}") from None


def _expansions(entry: dict[str, Any], where: str) -> list[dict[str, Any]]:
    """One dict of matrix values per report the entry expands to ([{}] without a matrix)."""
    matrix = _table(entry, "matrix", where, '{ mission = ["change-5", "change-6"] }')
    for key, values in matrix.items():
        if not isinstance(values, list) or not values:
            raise ConfigError(f"{where}: matrix `{key}` must be a non-empty list of values; got {values!r}.")
        if len({json.dumps(v, sort_keys=True, default=str) for v in values}) != len(values):
            raise ConfigError(f"{where}: matrix `{key}` repeats a value.")
    keys = list(matrix)
    return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*(matrix[k] for k in keys))]


def _specs(entry: Any, base: Path, config_file: Path, position: int) -> list[ReportSpec]:
    where = f"{config_file}: report #{position}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: each report must be a table under [[report]]; got {entry!r}.")
    extra = sorted(set(entry) - set(KEYS))
    if extra:
        raise ConfigError(f"{where}: unknown key {', '.join(extra)}; a report has: {', '.join(KEYS)}.")
    name, title = _text_field(entry, "name", where), _text_field(entry, "title", where)
    notebook = (base / _text_field(entry, "notebook", where)).resolve()
    if not notebook.is_file():
        raise ConfigError(f"{where}: notebook {entry['notebook']!r} does not exist.")
    info = notebook_info(notebook)
    fixed = plain_value(_table(entry, "parameters", where, '{ mission = "change-5" }'), where)
    specs = []
    for values in _expansions(entry, where):
        values = plain_value(values, where)
        label = f"{where} ({name})"
        if set(values) & set(fixed):
            raise ConfigError(
                f"{label}: {', '.join(sorted(set(values) & set(fixed)))} is both a parameter and a matrix key."
            )
        parameters = {**fixed, **values}
        check_parameters(parameters, info, notebook, label)
        shown = {k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for k, v in values.items()}
        report = check_name(_fill(name, shown, "name", where), where)
        title_text = _fill(title, shown, "title", where)
        specs.append(
            ReportSpec(report, notebook, title_text, parameters, info.declared, info.checker, defaults=info.defaults)
        )
    return specs


def _entries(config_file: Path) -> list[Any]:
    if config_file.exists() and not config_file.is_file():
        raise ConfigError(f"{config_file}: not a regular file (a folder, FIFO or device); give the reports.toml file.")
    try:
        document = tomllib.loads(config_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{config_file}: no such file; create it or pass --config FILE.") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{config_file}: not UTF-8 text; save it as UTF-8.") from None
    except OSError as exc:
        raise ConfigError(f"{config_file}: cannot read the report configuration: {exc.strerror}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{config_file}: not valid TOML: {exc}.") from None
    entries = document.get("report", [])
    if not isinstance(entries, list):
        raise ConfigError(
            f"{config_file}: `report` must be an array of tables: write each report under [[report]] (double brackets)."
        )
    _check_count(entries, limits_of(document, config_file).reports, config_file)
    return entries


def _check_count(entries: list[Any], limit: int, config_file: Path) -> None:
    """ConfigError when the reports, matrices counted before they are expanded, exceed `limit`."""
    count = 0
    for entry in entries:
        matrix = entry.get("matrix", {}) if isinstance(entry, dict) else {}
        lists = matrix.values() if isinstance(matrix, dict) else []
        count += math.prod(len(v) for v in lists if isinstance(v, list))
    if count > limit:
        raise ConfigError(
            f"{config_file}: {count} reports (matrices expanded), more than {SECTION}.reports = {limit}; "
            f"render fewer, or raise the limit under [{SECTION}] in {config_file.name}."
        )


def load_reports(config_file: str | Path | None = None) -> list[ReportSpec]:
    """Every report the configuration file declares (default: the project's `reports.toml`), matrices expanded."""
    path = paths.config_file(config_file)
    specs = [s for i, e in enumerate(_entries(path), start=1) for s in _specs(e, path.parent, path, i)]
    duplicates = sorted(n for n, times in Counter(s.name for s in specs).items() if times > 1)
    if duplicates:
        raise ConfigError(
            f"{path}: report names must be unique; repeated: {', '.join(duplicates)} (a matrix needs each key in `name`)."
        )
    return specs


def select(specs: list[ReportSpec], names: tuple[str, ...]) -> list[ReportSpec]:
    """The specs named in `names` (all when empty); an unknown name is an error that lists the valid ones."""
    if not names:
        return specs
    known = {s.name: s for s in specs}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ConfigError(f"unknown report {', '.join(unknown)}; choose from: {', '.join(known)}.")
    return [known[n] for n in dict.fromkeys(names)]


def one_off(spec: ReportSpec, overrides: dict[str, Any], name: str | None = None) -> ReportSpec:
    """A configured report with parameters overridden (`-p`, `-f`): renamed so it never replaces the configured one.

    Its title is the configured one while no value changes; otherwise the notebook's own title with the
    values that differ, so a one-off never carries a title written for other parameters.
    """
    parameters = {**spec.parameters, **plain_value(overrides, f"report {spec.name}")}
    check_parameters(parameters, NotebookInfo(spec.declared, spec.checker), spec.notebook, f"report {spec.name}")
    changed = {k: v for k, v in parameters.items() if k not in spec.parameters or spec.parameters[k] != v}
    title = spec.title
    if changed:
        shown = "; ".join(
            f"{k}: {v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}" for k, v in changed.items()
        )
        title = f"{notebook_info(spec.notebook).title} ({shown})"
    return ReportSpec(
        check_name(name or f"{spec.name}-custom", "--name"),
        spec.notebook,
        title,
        parameters,
        spec.declared,
        spec.checker,
        configured=False,
        defaults=spec.defaults,
    )


def notebook_report(notebook: Path, parameters: dict[str, Any], name: str | None = None) -> ReportSpec:
    """A report for a notebook path given on the command line (name from the file unless given)."""
    if not notebook.is_file():
        raise ConfigError(f"{notebook}: no such notebook.")
    info = notebook_info(notebook.resolve())
    parameters = plain_value(parameters, str(notebook))
    check_parameters(parameters, info, notebook, str(notebook))
    report = check_name(name or notebook.stem.replace("_", "-"), "--name")
    return ReportSpec(
        report, notebook.resolve(), info.title, parameters, info.declared, info.checker, False, info.defaults
    )
