"""The parameters form of a notebook: its fields read from the notebook, a submission read back, the command it stands for.

The fields come from the notebook's `parameters` cell as papermill's `inspect_notebook` reads it
(names, and the comment after each as its help: the one place a parameter is described, which
`lunar-report list --parameters` shows too), start from the report's values, and take the
parameter checkers' hints (the values they accept: missions of the fact base, categories,
timezones). `data_dir` and `as_of` (and `base_url`) are the preview's settings, never
fields. A submission is read into the overrides `lunar-report render NAME -p KEY VALUE` would
give (typed the same way), or refused with a message next to its field.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode

from ...facts.text import unsafe_character
from ..config.preflight import Hints
from ..config.reports import SUPPLIED, ReportSpec, parameter_help, typed_value

VALUE_CHARS = 200  # the longest value a field takes
MAX_VALUES = 64  # the most name=value pairs a submission holds (a list parameter sends one per choice)
CHECKBOXES, SELECT, NUMBER, PERIOD, TEXT = "checkboxes", "select", "number", "period", "text"


class Refused(Exception):
    """A submission the form answers with its messages (HTTP 400): the form, filled in, with them."""

    def __init__(self, form: Form) -> None:
        super().__init__(form.error or next((f.error for f in form.fields if f.error), ""))
        self.form = form


@dataclass(frozen=True)
class Field:
    """One parameter on the form."""

    name: str
    label: str
    help: str
    control: str  # CHECKBOXES, SELECT, NUMBER, PERIOD or TEXT
    default: Any  # the value the report starts from (the notebook's default, or the configured one)
    choices: tuple[str, ...] = ()
    value: tuple[str, ...] = ()  # what the form shows: one text, or the ticked choices
    error: str = ""

    @property
    def shown(self) -> str:
        """The field's one value as text (the first, for a single control)."""
        return self.value[0] if self.value else ""


@dataclass(frozen=True)
class Form:
    """A notebook's parameters form; `report` is the configured report a submission renders a one-off of."""

    notebook: str  # the notebook's file stem: /parameters/<notebook>
    report: ReportSpec
    fields: tuple[Field, ...]
    error: str = ""  # a message that is not one field's

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def with_error(self, message: str) -> Form:
        """This form with `message` next to the field it names first (`mission: ...`), else above the fields."""
        found = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)\b", message)
        name = found.group(1) if found else ""
        if name in self.names:
            fields = tuple(replace(f, error=message) if f.name == name else f for f in self.fields)
            return replace(self, fields=fields)
        return replace(self, error=message)


def _text(value: Any) -> str:
    """A default as the text a `-p` value would be (None -> "", which leaves the default)."""
    return "" if value is None else str(value)


def _control(name: str, default: Any, hints: Hints) -> tuple[str, tuple[str, ...]]:
    choices = hints.choices.get(name, ())
    if choices and name in hints.several:
        return CHECKBOXES, choices
    if choices:
        return SELECT, choices if default is None or _text(default) in choices else (_text(default), *choices)
    if name in hints.periods:
        return PERIOD, ()
    if isinstance(default, bool):
        return SELECT, ("True", "False")
    if isinstance(default, int | float):
        return NUMBER, ()
    return TEXT, ()


def build_form(report: ReportSpec, hints: Hints) -> Form:
    """The form of `report`'s notebook: one field per parameter but those the preview supplies."""
    start = report.effective({})
    fields = []
    for name, help_text in parameter_help(report.notebook).items():
        if name in SUPPLIED:
            continue
        default = start.get(name)
        control, choices = _control(name, default, hints)
        if control == CHECKBOXES:
            value = tuple(str(v) for v in default) if isinstance(default, list | tuple) else ()
        else:
            value = (_text(default),)
        label = name.replace("_", " ").capitalize()
        fields.append(Field(name, label, help_text, control, default, choices, value))
    return Form(report.notebook.stem, report, tuple(fields))


def _known(form: Form) -> str:
    return ", ".join(form.names) or "none"


def read_submission(form: Form, query: str) -> tuple[Form, dict[str, Any]]:
    """The form filled in with `query` and the overrides it gives (each field given and not left empty).

    Refused: an unknown or supplied parameter, too many or too long values, a field given twice,
    a control character. The values are typed as `-p` types them; the checker judges them later.
    """
    try:
        pairs = parse_qsl(query, keep_blank_values=True, max_num_fields=MAX_VALUES)
    except ValueError:
        raise Refused(replace(form, error=f"more than {MAX_VALUES} values; give one per parameter")) from None
    given: dict[str, list[str]] = {}
    for name, value in pairs:
        given.setdefault(name, []).append(value)
    strangers = [name for name in given if name not in form.names]
    if strangers:
        supplied = [name for name in strangers if name in SUPPLIED]
        unknown = [repr(name[:VALUE_CHARS]) for name in strangers if name not in SUPPLIED]
        reasons = [f"unknown parameter {', '.join(unknown)}"] if unknown else []
        if supplied:
            reasons.append(f"{', '.join(supplied)} follows the preview's own settings (--data, --as-of)")
        reason = "; ".join(reasons)
        raise Refused(replace(form, error=f"{reason}; the parameters of {form.notebook} are: {_known(form)}"))
    fields, overrides, refused = [], {}, False
    for f in form.fields:
        values = tuple(given.get(f.name, ()))
        if f.name not in given:
            fields.append(f if f.control != CHECKBOXES else replace(f, value=()))
            continue
        error = _value_error(f, values)
        refused = refused or bool(error)
        fields.append(replace(f, value=values, error=error))
        chosen = [v.strip() for v in values if v.strip()]
        if error or not chosen:
            continue
        overrides[f.name] = chosen if f.control == CHECKBOXES else typed_value(chosen[0])
    filled = replace(form, fields=tuple(fields))
    if refused:
        raise Refused(filled)
    return filled, overrides


def _value_error(f: Field, values: tuple[str, ...]) -> str:
    if f.control != CHECKBOXES and len(values) > 1:
        return f"{f.name}: given {len(values)} times; give one value"
    for value in values:
        if len(value) > VALUE_CHARS:
            return f"{f.name}: {len(value)} characters; at most {VALUE_CHARS}"
        if unsafe_character(value):
            return f"{f.name}: the value holds {unsafe_character(value)}; remove it"
    return ""


def changes(form: Form, overrides: dict[str, Any]) -> dict[str, Any]:
    """The overrides that change what the report starts from (all of them when none does: still a one-off)."""
    start = form.report.effective({})
    fields = {f.name: f for f in form.fields}

    def same(name: str, value: Any) -> bool:  # as the form showed it: "2017" left as it was is not `-p start 2017`
        default = start.get(name)
        if isinstance(value, list):
            return isinstance(default, list | tuple) and [str(v) for v in default] == value
        return default == value or (name in fields and fields[name].shown.strip() == _text(default))

    changed = {name: value for name, value in overrides.items() if not same(name, value)}
    return changed or overrides


@dataclass(frozen=True)
class Command:
    """The command line a one-off from the form stands for; `yaml`: the `-f` file's text when a list is given."""

    line: str
    yaml: str = ""
    arguments: tuple[str, ...] = field(default=(), compare=False)


PARAMETERS_FILE = "parameters.yaml"


def command(form: Form, overrides: dict[str, Any], settings: tuple[str, ...] = ()) -> Command:
    """`lunar-report render REPORT -p KEY VALUE … --to html` for `overrides` (lists in a `-f` file, as YAML)."""
    import yaml

    texts = {f.name: f.shown for f in form.fields}
    arguments = ["lunar-report", "render", form.report.name]
    lists = {name: value for name, value in overrides.items() if isinstance(value, list)}
    if lists:
        arguments += ["-f", PARAMETERS_FILE]
    for name, value in overrides.items():
        if name not in lists:
            arguments += ["-p", name, texts.get(name, "").strip() or _text(value)]
    if not overrides:
        arguments += ["--name", f"{form.report.name}-custom"]
    arguments += ["--to", "html", *settings]
    text = yaml.safe_dump(lists, default_flow_style=None, allow_unicode=True, sort_keys=False) if lists else ""
    return Command(shlex.join(arguments), text, tuple(arguments))


def query_of(form: Form) -> str:
    """The form's values as the query string a submission of it sends."""
    return urlencode([(f.name, value) for f in form.fields for value in f.value])
