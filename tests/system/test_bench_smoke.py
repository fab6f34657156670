"""Smoke runs of the benchmarks (one repetition, smallest input): they keep working. No timing assertions."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.bench]


def _run(project_dir, script: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(project_dir / "bench" / script), "--quick", *args],
        cwd=project_dir,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _results(output: str) -> dict:
    path = re.search(r"^Results: (.+\.json)$", output, re.M).group(1)
    return json.loads(open(path, encoding="utf-8").read())


def test_render_bench_prints_the_table_with_ratios_and_targets(project_dir):
    output = _run(project_dir, "bench_render.py", "--reports", "claims")

    assert "cores (nproc): " in output and "CPU: " in output and "RAM: " in output
    table = output.split("step ", 1)[1]
    for step in (
        "1 papermill + nbconvert CLI",
        "2 render --force (cold)",
        "3 render, nothing changed",
        "4 lunar-report --help",
    ):
        assert step in table
    assert re.search(r"2/1 = \d+\.\d{4}", table) and re.search(r"3/2 = \d+\.\d{4}", table)
    assert "peak RSS MiB" in table
    for target in (
        "2/1 <= 0.25 (cold set vs plain tools)",
        "3 < 0.3 s (nothing changed)",
        "--help <= 0.3 s",
        "peak PSS of a cold render's process tree <= 1 GiB",
    ):
        assert re.search(re.escape(target) + r".*\b(met|NOT MET)$", output, re.M)
    record = _results(output)
    assert record["reports"] == ["claims"]
    assert all(record["summary"][step]["runs"] == 1 for step in ("baseline", "cold", "warm", "help"))
    assert set(record["ratios"]) == {"2/1", "3/2"}
    assert record["pss_peak"] > 0


def test_data_bench_prints_the_build_of_the_published_data(project_dir):
    output = _run(project_dir, "bench_data.py")

    assert re.search(r"^\s+1000\s+\d+\.\d{3} s\s+\d+\.\d{3} s\s+\d+\.\d MiB\s+\d+ MiB$", output, re.M)
    assert "Targets" in output


def test_scale_bench_prints_sizes_with_growth(project_dir):
    output = _run(project_dir, "bench_scale.py", "--sizes", "100")

    assert "cores (nproc): " in output
    assert re.search(r"events\s+load\+validate s\s+growth\s+timeline nb s\s+growth", output)
    assert re.search(r"^\s+100\s+\d+\.\d{3}\s+\d+\.\d{2}\s+1/1", output, re.M)
    assert re.search(r"peak RSS <= 1 GiB.*\b(met|NOT MET)$", output, re.M)
    assert re.search(r"load \+ validate of the shipped data <= 0.5 s.*\b(met|NOT MET)$", output, re.M)
    assert _results(output)["shipped"]["runs"] == 1
    row = _results(output)["rows"][0]
    assert row["events"] == 100 and row["load"]["runs"] == 1 and row["timeline"]["runs"] == 1


def test_cluster_bench_prints_both_paths_side_by_side_with_the_ratio(project_dir):
    output = _run(project_dir, "bench_cluster.py", "--reports", "2")

    assert "cores (nproc): " in output
    assert re.search(r"^1 render --jobs 2\s+\d+\.\d{2}\s+\d+\.\d{3}\s+\d+\.\d{3}\s+1\s+\d+$", output, re.M)
    assert re.search(r"^2 render --cluster local:2\s+\d+\.\d{2}\s+\d+\.\d{3}\s+\d+\.\d{3}\s+1\s+\d+$", output, re.M)
    assert re.search(r"^ratio 2/1 = \d+\.\d{4}$", output, re.M)
    assert re.search(r"cluster path 2/1 <= 1.15.*\b(met|NOT MET)$", output, re.M)
    record = _results(output)
    assert record["reports"] == 2 and record["workers"] == 2
    assert record["summary"]["local"]["runs"] == record["summary"]["cluster"]["runs"] == 1


def test_limits_bench_prints_list_and_preflight_per_size(project_dir):
    output = _run(project_dir, "bench_limits.py")

    assert re.search(r"reports\s+list\s+preflight\s+peak RSS", output)
    assert re.search(r"^\s+1000\s+\d+\.\d{2} s\s+\d+\.\d{2} s\s+\d+ MiB", output, re.M)


def test_parameters_bench_prints_the_form_against_its_command(project_dir):
    output = _run(project_dir, "bench_parameters.py", "--as-of", "2026-11-25")

    assert "cores (nproc): " in output
    assert re.search(r"^1 the command shown \(render -p … --to html --force\)\s+\d+\.\d{2}", output, re.M)
    assert re.search(r"^2 the form: GET /parameters/…/report \(preview warm\)\s+\d+\.\d{2}", output, re.M)
    assert re.search(r"^ratio 2/1 = \d+\.\d{4}$", output, re.M)
    assert re.search(r"2/1 <= 1.0 \(the form is no slower\).*\b(met|NOT MET)$", output, re.M)
    record = _results(output)
    assert record["commands"][0].split()[1:4] == ["render", "mission-change-5", "-f"]
    assert len(record["seconds"]["form"]) == len(record["seconds"]["command"]) == 1


def test_versions_bench_compares_with_an_earlier_revision_and_leaves_no_worktree(project_dir):
    output = _run(project_dir, "bench_versions.py", "--base", "HEAD")

    assert re.search(r"^one report, HTML .* \d+\.\d\d +\d+\.\d\d +\d\.\d{3} +(met|NOT MET)$", output, re.M)
    record = _results(output)
    assert record["base"] == "HEAD" and set(record["seconds"]) == {"one"}
    worktrees = subprocess.run(["git", "worktree", "list"], cwd=project_dir, capture_output=True, text=True).stdout
    assert "lunar-bench-versions-" not in worktrees
