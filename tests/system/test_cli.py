"""The command line: help text, validation summary, errors without tracebacks."""

from __future__ import annotations

import subprocess
import sys


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lunar_report", *args], capture_output=True, text=True)


def _commands(group, path=()):
    """Every command of the CLI with its path of names (nested groups included)."""
    import click

    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name), command


def test_every_option_of_every_command_is_explained():
    """`--help` is the manual: a command or option without help text is a gap a user falls into."""
    from lunar_report.cli import cli

    missing = [
        f"{' '.join(path)} {param.opts[0]}"
        for path, command in _commands(cli)
        for param in command.params
        if getattr(param, "help", None) is None and param.param_type_name == "option" and not param.hidden
    ]
    assert not missing, f"options without help: {missing}"
    assert all(command.help for _, command in _commands(cli)), "every command has a docstring"


def test_the_typical_uses_in_the_help_are_real_commands():
    """Each example of `lunar-report --help` parses: a renamed command or option fails here, not in a user's shell."""
    import shlex

    from lunar_report.cli import cli

    examples = [
        line.strip().split("  ")[0] for line in cli.help.splitlines() if line.strip().startswith("lunar-report ")
    ]
    assert len(examples) >= 5, examples
    for example in examples:
        name, *rest = shlex.split(example)[1:]
        # the group's own context (its -h/--help): click keeps each command's help option once made
        with cli.make_context("lunar-report", [], resilient_parsing=True) as context:
            command = cli.get_command(context, name)
            assert command is not None, f"no command {name!r}: {example}"
            command.make_context(name, rest, parent=context)  # an unknown option or a missing value raises here


def test_unknown_report_is_a_clear_error(tmp_path):
    result = run("render", "no-such-report", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "unknown report no-such-report; choose from:" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
