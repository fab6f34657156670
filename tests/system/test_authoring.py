"""Authoring from the command line: project discovery, -p/-f values and mistakes, --to without TeX, matrices."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from datetime import date
from pathlib import Path

import pytest

from helpers import Result, run_cli
from lunar_report.errors import ConfigError
from lunar_report.paths import DATA_ENV
from lunar_report.pipeline.config.address import WHY_NONE
from lunar_report.pipeline.config.reports import load_reports, one_off, typed_value
from lunar_report.pipeline.config.settings import RenderOptions
from lunar_report.pipeline.run.job import new_job
from lunar_report.pipeline.store.fingerprint import environment

PROJECT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-25"
SHIPPED = ["timeline", "mission-change-5", "mission-change-6", "claims"]
MISSIONS = PROJECT / "notebooks" / "mission_figures.ipynb"


def clone(root: Path) -> Path:
    """What a clone holds for the CLI: reports.toml, notebooks/ and data/."""
    root.mkdir(parents=True)
    shutil.copy(PROJECT / "reports.toml", root / "reports.toml")
    shutil.copytree(PROJECT / "notebooks", root / "notebooks")
    shutil.copytree(PROJECT / "data", root / "data")
    return root


def cli_env(**changes: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != DATA_ENV}
    return {**env, **changes}


def run(*args: str, cwd: Path = PROJECT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`lunar-report ARGS` in a child process run in `cwd` (for what needs one: a PATH of its own, kernels)."""
    return subprocess.run(
        [sys.executable, "-m", "lunar_report", *args], cwd=cwd, env=env or cli_env(), capture_output=True, text=True
    )


@pytest.fixture
def cli(capsys, monkeypatch):
    """`cli(*ARGS, cwd=FOLDER)`: `lunar-report ARGS` in this process, run in FOLDER (the project by default)."""
    monkeypatch.delenv(DATA_ENV, raising=False)

    def in_folder(*args: str, cwd: Path = PROJECT) -> Result:
        monkeypatch.chdir(cwd)
        return run_cli(capsys, *args)

    return in_folder


def listed(output: str) -> list[str]:
    return [line.split("\t")[0] for line in output.splitlines()]


# -- discovery -----------------------------------------------------------------------------------


@pytest.mark.parametrize("where", [".", "notebooks", "data/sources"])
def test_the_project_is_found_from_its_root_and_from_any_subfolder(tmp_path, cli, where):
    root = clone(tmp_path / "clone")
    result = cli("list", cwd=root / where)
    assert result.code == 0, result.stderr
    assert listed(result.stdout) == SHIPPED


def test_the_installed_command_finds_the_project_from_a_subfolder(tmp_path):
    """The same from a child process (`python -m lunar_report`): its own working folder, exit status and streams."""
    root = clone(tmp_path / "clone")
    result = run("list", cwd=root / "notebooks")
    assert (result.returncode, result.stderr) == (0, "")
    assert listed(result.stdout) == SHIPPED


def test_validate_in_a_subfolder_reads_that_projects_data(tmp_path, cli):
    root = clone(tmp_path / "clone")
    events = root / "data" / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace(",day,", ",fortnight,", 1), encoding="utf-8")
    result = cli("validate", cwd=root / "notebooks")
    assert result.code == 1
    assert result.stderr.splitlines()[-1] == f"1 problem in {root.resolve() / 'data'}"


def test_outside_a_project_is_one_line_and_exit_2(tmp_path, cli):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    result = cli("list", cwd=outside)
    assert result.code == 2
    assert result.stderr == (
        f"error: no reports.toml in {outside.resolve()} or any folder above it; run lunar-report inside a "
        "project (a folder with reports.toml, data/ and notebooks/), or pass --config and --data\n"
    )


@pytest.mark.slow
def test_a_wheel_in_its_own_venv_finds_the_project_it_runs_in(tmp_path):
    source = tmp_path / "source"  # pip builds in the tree: build from a copy, not the checkout
    (source / "src").mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(PROJECT / name, source / name)
    shutil.copytree(PROJECT / "src" / "lunar_report", source / "src" / "lunar_report",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, f"{source}{os.sep}"],
                   check=True, capture_output=True)  # fmt: skip
    (wheel,) = wheels.glob("lunar_report-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for template in ("lunar_html/index.html.j2", "lunar_html/conf.json", "lunar_latex/index.tex.j2",
                     "site/index.html.j2", "preview/reload.html.j2", "preview/message.html.j2"):  # fmt: skip
        assert f"lunar_report/pipeline/site/templates/{template}" in names

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", venv], check=True)
    python = venv / "bin" / "python"
    site_packages = Path(subprocess.check_output([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip())  # fmt: skip
    # the dependencies come from this environment (a path line, so its editable lunar_report stays out)
    (site_packages / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel], check=True)

    root = clone(tmp_path / "clone")
    env = {k: v for k, v in cli_env().items() if k != "PYTHONPATH"}
    where = subprocess.run([python, "-c", "import lunar_report; print(lunar_report.__file__)"], cwd=root, env=env,
                           capture_output=True, text=True, check=True)  # fmt: skip
    assert Path(where.stdout.strip()).is_relative_to(venv)
    for cwd in (root, root / "notebooks"):
        result = subprocess.run(
            [venv / "bin" / "lunar-report", "list"], cwd=cwd, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        assert listed(result.stdout) == SHIPPED
    result = subprocess.run([venv / "bin" / "lunar-report", "validate"], cwd=root / "data", env=env,
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0 and result.stdout.startswith("data OK:"), result.stderr


# -- -p and -f -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("2019", 2019), ("-3", -3), ("1.5", 1.5), ("True", True), ("False", False), ("None", None),
     ("Asia/Shanghai", "Asia/Shanghai"), ("2019-06", "2019-06"), ("true", "true"), ("", "")],
)  # fmt: skip
def test_p_values_are_typed_as_papermill_types_them(text, value):
    assert typed_value(text) == value and type(typed_value(text)) is type(value)


def test_a_one_off_keeps_the_typed_values_and_never_replaces_the_configured_report():
    (timeline,) = [s for s in load_reports() if s.name == "timeline"]
    spec = one_off(timeline, {"start": 2019, "timezone": "Asia/Shanghai"})
    assert spec.name == "timeline-custom" and not spec.configured
    assert spec.parameters == {"start": 2019, "timezone": "Asia/Shanghai"}
    assert one_off(timeline, {}, "mine").name == "mine"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["timeline", "-p", "nosuch", "1"],
         "error: report timeline: parameter nosuch is not declared in timeline.ipynb's parameters cell; "
         "declared: as_of, categories, data_dir, end, start, timezone."),
        (["timeline", "-p", "data_dir", "x"],
         "error: report timeline: data_dir is set by `lunar-report render` (--data, --as-of, base_url at the top "
         "of reports.toml); remove it."),
        (["-p", "start", "2019"],
         "error: -p, -f and --name change one report; name it (lunar-report list shows the names)"),
        (["timeline", "claims", "-p", "start", "2019"],
         "error: -p, -f and --name change one report; name it (lunar-report list shows the names)"),
        (["timeline", "claims", "--name", "x"],
         "error: --name renames one report; give exactly one report or notebook"),
        (["timeline", "-p", "start", "2019", "--name", "../x"],
         "error: --name: name '../x' may hold only letters, digits, '-' and '_' (no path separators or '..')."),
        (["notebooks/nope.ipynb"], "error: notebooks/nope.ipynb: no such notebook."),
    ],
)  # fmt: skip
def test_parameter_mistakes_are_one_line_and_exit_2_before_any_kernel(tmp_path, cli, no_kernel, args, message):
    result = cli("render", *args, "--out", str(tmp_path / "out"))
    assert (result.code, result.stderr) == (2, message + "\n")
    assert not (tmp_path / "out").exists()


def test_parameter_files_that_are_not_mappings_or_missing(tmp_path, cli, no_kernel):
    listing = tmp_path / "list.yaml"
    listing.write_text("- 1\n- 2\n", encoding="utf-8")
    result = cli("render", "timeline", "-f", str(listing), "--out", str(tmp_path / "out"))
    assert (result.code, result.stderr) == (
        2, f"error: -f {listing}: expected a mapping of parameter names to values (key: value lines)\n"
    )  # fmt: skip
    result = cli("render", "timeline", "-f", str(tmp_path / "nope.yaml"), "--out", str(tmp_path / "out"))
    assert result.code == 2
    assert result.stderr.startswith(f"error: -f {tmp_path / 'nope.yaml'}: cannot read the parameters file: ")


@pytest.mark.slow
def test_p_and_f_reach_the_notebook_typed(tmp_path):
    values = tmp_path / "params.yaml"
    values.write_text('start: "2018"\ntimezone: Asia/Shanghai\n', encoding="utf-8")
    out = tmp_path / "out"
    result = run("render", "timeline", "-f", str(values), "-p", "start", "2019", "--to", "html",
                 "--out", str(out), "--as-of", AS_OF)  # fmt: skip
    assert result.returncode == 0, result.stderr
    entry = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]["timeline-custom"]
    assert entry["parameters"] == {"start": 2019, "timezone": "Asia/Shanghai", "as_of": AS_OF}
    assert entry["configured"] is False and (out / "timeline-custom.html").is_file()
    assert "Beijing time" in (out / "timeline-custom.html").read_text(encoding="utf-8")


# -- --to without a PDF engine ---------------------------------------------------------------------


def _no_pdf_engine_path() -> str:
    """PATH with this Python's folder only: no Chromium, no xelatex (nor, usually, pandoc)."""
    folder = str(Path(sys.executable).parent)
    assert shutil.which("xelatex", path=folder) is None and shutil.which("chromium", path=folder) is None
    return folder


def _no_pdf_engine_env() -> dict[str, str]:
    env = cli_env(PATH=_no_pdf_engine_path())
    env.pop("LUNAR_REPORT_CHROMIUM", None)
    return env


@pytest.mark.slow
def test_html_needs_no_pdf_engine(tmp_path):
    out = tmp_path / "out"
    result = run("render", "claims", "--to", "html", "--out", str(out), "--as-of", AS_OF, env=_no_pdf_engine_env())
    assert result.returncode == 0, result.stderr
    assert (out / "claims.html").is_file() and (out / "index.html").is_file()
    assert not list(out.rglob("*.pdf"))


def _tex_missing(path: str) -> str:
    """What a render says when xelatex (and perhaps pandoc) is not on `path`."""
    missing = ["xelatex"] + (["pandoc"] if shutil.which("pandoc", path=path) is None else [])
    packages = "texlive-xetex texlive-fonts-recommended texlive-plain-generic" + (
        " pandoc" if len(missing) == 2 else ""
    )
    conda = (
        "pandoc, and " if len(missing) == 2 else ""
    ) + "TeX Live from the system, as conda-forge's texlive-core has no xelatex"
    return (
        f"{' and '.join(missing)} {'are' if len(missing) == 2 else 'is'} not on PATH: install "
        f"{'them' if len(missing) == 2 else 'it'} (Debian/Ubuntu: apt install {packages}; conda: {conda}), "
        "or render HTML only with --to html"
    )


CHROMIUM_MISSING = (
    "Chromium is not on PATH: install Chromium (Debian/Ubuntu: apt install chromium; elsewhere set "
    'LUNAR_REPORT_CHROMIUM to a Chromium or Chrome program), set pdf_engine = "xelatex" in reports.toml, '
    "or render HTML only with --to html"
)


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["chromium", "xelatex"])
def test_pdf_without_its_engine_is_one_line_saying_what_to_install_and_the_html_is_still_written(tmp_path, engine):
    settings = config(
        tmp_path,
        f'pdf_engine = "{engine}"\n\n[[report]]\nname = "claims"\n'
        f'notebook = "{PROJECT / "notebooks" / "claims.ipynb"}"\ntitle = "The article’s claims, checked"\n',
    )
    out = tmp_path / "out"
    arguments = ["--config", str(settings), "--data", str(PROJECT / "data"), "--out", str(out), "--as-of", AS_OF]
    result = run("render", "claims", *arguments, env=_no_pdf_engine_env())
    said = CHROMIUM_MISSING if engine == "chromium" else _tex_missing(_no_pdf_engine_path())
    assert result.returncode == 1
    assert result.stderr == (
        f"note: {WHY_NONE}\n"  # the configuration sets no base_url
        f"error: claims failed in the PDF step: {said}\n"
    )
    assert (out / "claims.html").is_file() and not (out / "claims.pdf").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="claims.html"' in index


# -- matrices ----------------------------------------------------------------------------------------


def config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "reports.toml"
    path.write_text(body, encoding="utf-8")
    return path


def matrix(tmp_path: Path, name: str, title: str, values: str) -> Path:
    return config(
        tmp_path,
        f'[[report]]\nname = "{name}"\nnotebook = "{MISSIONS}"\ntitle = "{title}"\nmatrix = {{ mission = {values} }}\n',
    )


def test_a_matrix_expands_to_one_report_per_value_with_its_own_fingerprint(tmp_path):
    specs = load_reports(matrix(tmp_path, "mission-{mission}", "Mission {mission}", '["change-5", "change-6"]'))
    assert [(s.name, s.title, s.parameters) for s in specs] == [
        ("mission-change-5", "Mission change-5", {"mission": "change-5"}),
        ("mission-change-6", "Mission change-6", {"mission": "change-6"}),
    ]
    options = RenderOptions(out_dir=tmp_path / "out", data_dir=PROJECT / "data", as_of=date(2026, 11, 25))
    env = environment(PROJECT)
    fingerprints = {new_job(s, options, None, env).inputs.fingerprint(fmt) for s in specs for fmt in ("html", "pdf")}
    assert len(fingerprints) == 4


def test_a_matrix_of_two_keys_expands_to_every_combination(tmp_path):
    notebook = PROJECT / "notebooks" / "timeline.ipynb"
    body = (
        f'[[report]]\nname = "t-{{start}}-{{end}}"\nnotebook = "{notebook}"\ntitle = "From {{start}} to {{end}}"\n'
        'parameters = { timezone = "Asia/Shanghai" }\nmatrix = { start = [2019, 2020], end = ["2023", "2024-06"] }\n'
    )
    specs = load_reports(config(tmp_path, body))
    assert [(s.name, s.title) for s in specs] == [
        ("t-2019-2023", "From 2019 to 2023"),
        ("t-2019-2024-06", "From 2019 to 2024-06"),
        ("t-2020-2023", "From 2020 to 2023"),
        ("t-2020-2024-06", "From 2020 to 2024-06"),
    ]
    assert specs[1].parameters == {"timezone": "Asia/Shanghai", "start": 2019, "end": "2024-06"}
    with pytest.raises(ConfigError, match=r"`name` uses \{zone\}, which is not a matrix key; use one of: end, start\."):
        load_reports(config(tmp_path, body.replace("t-{start}-{end}", "t-{zone}")))


@pytest.mark.parametrize(
    ("name", "title", "values", "message"),
    [
        ("m-{mission}", "M", "[]", "report #1: matrix `mission` must be a non-empty list of values; got []."),
        ("m-{mission}", "M", '"change-5"', "report #1: matrix `mission` must be a non-empty list of values; got 'change-5'."),
        ("m-{mission}", "M", '["change-5", "change-5"]', "report #1: matrix `mission` repeats a value."),
        ("m", "M", '["change-5", "change-6"]',
         "report names must be unique; repeated: m (a matrix needs each key in `name`)."),
        ("m-{mission}", "M {missin}", '["change-5"]',
         "report #1: `title` uses {missin}, which is not a matrix key; use one of: mission."),
        ("m-{mission}", "M {mission", '["change-5"]',
         "report #1: `title` 'M {mission' is not a valid template: expected '}' before end of string; "
         "write {{ and }} for literal braces."),
    ],
)  # fmt: skip
def test_matrix_mistakes_are_named(tmp_path, name, title, values, message):
    path = matrix(tmp_path, name, title, values)
    with pytest.raises(ConfigError) as caught:
        load_reports(path)
    assert str(caught.value) == f"{path}: {message}"


def test_a_title_without_a_matrix_is_taken_as_written(tmp_path):
    path = config(tmp_path, f'[[report]]\nname = "m"\nnotebook = "{MISSIONS}"\ntitle = "Sets {{A, B}}"\n')
    assert [s.title for s in load_reports(path)] == ["Sets {A, B}"]


def test_list_shows_a_matrix_expanded(tmp_path, cli):
    path = matrix(tmp_path, "mission-{mission}", "Mission {mission}", '["change-5", "change-6"]')
    result = cli("list", "--config", str(path))
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines() == [
        'mission-change-5\tmission_figures.ipynb\t{"mission": "change-5"}\tMission change-5',
        'mission-change-6\tmission_figures.ipynb\t{"mission": "change-6"}\tMission change-6',
    ]
