"""environment.yml gives conda users the same Python packages, at the same pins, as requirements/lock.txt."""

from __future__ import annotations

import re

import yaml
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version
from test_lock import FIX, LOCK, declared_requirements, read_lock

SYSTEM_TOOLS = ("pip", "pandoc")  # xelatex: a system TeX Live (conda-forge's texlive-core has none)


def _conda_entries(project_dir) -> tuple[dict, dict[str, str]]:
    env = yaml.safe_load((project_dir / "environment.yml").read_text())
    entries = {}
    for entry in env["dependencies"]:
        if isinstance(entry, str):
            name, spec = re.match(r"^([A-Za-z0-9_.-]+)\s*(.*)$", entry.strip()).groups()
            entries[name] = spec.replace(" ", "")
    return env, entries


def test_environment_yml_matches_pyproject(project_dir):
    import tomllib

    project = tomllib.loads((project_dir / "pyproject.toml").read_text())["project"]
    env, conda = _conda_entries(project_dir)

    assert env["channels"] == ["conda-forge"]
    # the Python the lock is resolved and tested for (Makefile LOCK_PYTHON, CI's setup-python)
    assert conda.pop("python") == "=3.11"
    assert SpecifierSet(project["requires-python"]).contains("3.11")
    for tool in SYSTEM_TOOLS:
        conda.pop(tool)

    declared = {canonicalize_name(r.name): r for r in declared_requirements(project_dir)}
    assert {canonicalize_name(n) for n in conda} == set(declared), (
        f"environment.yml and pyproject.toml must list the same Python packages; {FIX}"
    )
    for name, spec in conda.items():
        requirement = declared[canonicalize_name(name)]
        assert spec.startswith("==") and not spec.startswith("==="), (
            f"environment.yml: pin {name} with ==, as in {LOCK}"
        )
        assert requirement.specifier.contains(Version(spec[2:]), prereleases=True), (
            f"environment.yml: {name}{spec} breaks pyproject's {requirement}"
        )

    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section == ["-e ."]


def test_environment_yml_pins_are_the_lock_pins(project_dir):
    locked: dict[str, set[Version]] = {}
    for pin in read_lock(project_dir):
        locked.setdefault(pin.name, set()).add(pin.version)
    _, conda = _conda_entries(project_dir)
    wrong = []
    for name, spec in conda.items():
        if name in ("python", *SYSTEM_TOOLS):
            continue
        versions = locked.get(canonicalize_name(name), set())
        if not spec.startswith("==") or Version(spec[2:]) not in versions:
            wrong.append(
                f"environment.yml has {name}{spec}, {LOCK} pins {name}=={' or '.join(map(str, sorted(versions))) or '(nothing)'}"
            )
    assert not wrong, "\n".join(wrong) + f"\n{FIX}; `make lock` also re-pins environment.yml"


def _workflow(project_dir) -> dict:
    return yaml.safe_load((project_dir / ".github" / "workflows" / "render-reports.yml").read_text())


def _steps(workflow) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def _uses(workflow, action: str) -> list[dict]:
    return [s for s in _steps(workflow) if s.get("uses", "").split("@")[0] == action]


def test_workflow_is_scheduled_and_takes_its_inputs_through_env(project_dir):
    workflow = _workflow(project_dir)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "schedule" in triggers and triggers["schedule"][0]["cron"]
    assert set(triggers["workflow_dispatch"]["inputs"]) >= {"as_of", "force"}
    for step in _steps(workflow):
        script = step.get("run", "")
        assert "${{ inputs" not in script and "${{ github.event.inputs" not in script, (
            f"step {step.get('name')!r} pastes a workflow input into its script; pass it through env:"
        )
    env = {k: v for s in _steps(workflow) for k, v in s.get("env", {}).items()}
    assert "inputs.as_of" in env["AS_OF"] and "inputs.force" in env["FORCE"]


def test_workflow_installs_from_the_lock_without_sudo_make(project_dir):
    workflow = _workflow(project_dir)
    scripts = [s.get("run", "") for s in _steps(workflow)]
    for script in scripts:
        for line in script.splitlines():
            assert not re.search(r"\bsudo\b.*\b(make|pip)\b", line), f"runs the Python install as root: {line}"
    (setup_python,) = _uses(workflow, "actions/setup-python")
    assert setup_python["with"]["python-version"] == "3.11"
    assert setup_python["with"]["cache"] == "pip"
    assert setup_python["with"]["cache-dependency-path"] == str(LOCK)
    assert any(re.search(r"^make setup\b.*PYTHON=", line) for s in scripts for line in s.splitlines())
    assert any("sudo" in s and "system-deps.sh" in s for s in scripts), "apt packages in a step of their own"


def test_workflow_caches_apt_and_reports_and_deploys_to_pages(project_dir):
    workflow = _workflow(project_dir)
    caches = [s for a in ("actions/cache", "actions/cache/restore", "actions/cache/save") for s in _uses(workflow, a)]
    apt = [s for s in caches if "apt" in s["with"]["key"]] + _uses(workflow, "awalsh128/cache-apt-pkgs-action")
    assert apt, "cache the TeX/apt install"
    reports = [s for s in caches if s["with"]["path"].rstrip("/") == "reports"]
    assert any(
        s["uses"].startswith(("actions/cache@", "actions/cache/restore@")) and s["with"].get("restore-keys")
        for s in reports
    ), "restore reports/ from the latest run (restore-keys)"
    assert any(s["uses"].startswith(("actions/cache@", "actions/cache/save@")) for s in reports), "save reports/"

    assert _uses(workflow, "actions/configure-pages")
    (upload,) = _uses(workflow, "actions/upload-pages-artifact")
    assert upload["with"]["path"].rstrip("/") == "_site", "reports/ without the lock and the output-folder mark"
    assert any(
        "cp -a reports/. _site/" in s.get("run", "") and ".lunar-report-output" in s.get("run", "")
        for s in _steps(workflow)
    )
    (render,) = [s for s in _steps(workflow) if "lunar-report render" in s.get("run", "")]
    assert '--restore-from "$SITE/"' in render["run"], "a cache miss restores the published history first"
    assert "steps.pages.outputs.base_url" in render["env"]["SITE"]
    (deploy_job,) = [
        j
        for j in workflow["jobs"].values()
        if any(s.get("uses", "").startswith("actions/deploy-pages@") for s in j.get("steps", []))
    ]
    permissions = {**workflow.get("permissions", {}), **deploy_job.get("permissions", {})}
    assert permissions.get("pages") == "write" and permissions.get("id-token") == "write"
    assert deploy_job["environment"]["name"] == "github-pages"
    assert workflow["concurrency"]["group"] and workflow["concurrency"]["cancel-in-progress"] is False
