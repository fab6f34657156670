"""The digest hand-off: a report's kernel does not validate again the bytes the host validated.

The host writes the digest of the data it validated into the file $LUNAR_REPORT_VALIDATED names
(its kernel pool's runtime folder); `load_facts` skips the checks only when the bytes it reads hash
to a digest listed there. A kernel started by hand (in Lab) has no such file and validates.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import set_cell
from lunar_report import paths
from lunar_report.errors import DataError
from lunar_report.facts import validate
from lunar_report.facts.load import load_facts
from lunar_report.facts.trust import trusting
from lunar_report.facts.validate import read_valid_tables, validated_digest
from lunar_report.pipeline.run.kernels import KernelPool

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "minimal"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return Path(shutil.copytree(MINIMAL, tmp_path / "data"))


@pytest.fixture
def checks_run(monkeypatch) -> list[Path]:
    """The folders whose checks ran (the checks still run)."""
    ran: list[Path] = []
    check = validate._check

    def counted(folder, checks):
        ran.append(folder)
        check(folder, checks)

    monkeypatch.setattr(validate, "_check", counted)
    return ran


def trust(monkeypatch, tmp_path: Path, *digests: str) -> None:
    listed = tmp_path / "validated"
    listed.write_text("".join(f"{d}\n" for d in digests), encoding="ascii")
    monkeypatch.setenv(paths.TRUST_ENV, str(listed))


def test_a_kernel_given_the_digest_of_what_it_reads_skips_the_checks(data, monkeypatch, tmp_path, checks_run):
    trust(monkeypatch, tmp_path, "0" * 64, validated_digest(data))
    checks_run.clear()
    facts = load_facts(data)
    assert checks_run == []
    assert len(facts.events) == len(read_valid_tables(data)["events"])


def test_a_kernel_started_by_hand_validates(data, monkeypatch, checks_run):
    monkeypatch.delenv(paths.TRUST_ENV, raising=False)
    load_facts(data)
    assert checks_run == [data]


def test_changed_bytes_are_validated_again(data, monkeypatch, tmp_path, checks_run):
    trust(monkeypatch, tmp_path, validated_digest(data))
    set_cell(data, "events.csv", 2, "start", "2021-02-30")
    checks_run.clear()
    with pytest.raises(DataError) as raised:
        load_facts(data)
    assert "events.csv:2:start: '2021-02-30' is not a real date or time" in raised.value.problems
    assert checks_run == [data]


def test_a_changed_source_text_is_validated_again(data, monkeypatch, tmp_path, checks_run):
    trust(monkeypatch, tmp_path, validated_digest(data))
    text = next((data / "sources").glob("*.txt"))
    text.write_text("other words", encoding="utf-8")
    checks_run.clear()
    with pytest.raises(DataError):
        load_facts(data)
    assert checks_run == [data]


def test_an_unreadable_trust_file_trusts_nothing(data, monkeypatch, tmp_path, checks_run):
    monkeypatch.setenv(paths.TRUST_ENV, str(tmp_path / "missing"))
    load_facts(data)
    assert checks_run == [data]


def test_the_host_trusts_what_it_has_just_validated_only_within_the_block(data, monkeypatch, checks_run):
    """The host's own parameter checkers load the fact base without validating again the bytes it validated."""
    monkeypatch.delenv(paths.TRUST_ENV, raising=False)
    digest = validated_digest(data)
    checks_run.clear()
    with trusting(digest):
        load_facts(data)
        assert checks_run == []
        set_cell(data, "events.csv", 2, "start", "2021-02-30")
        with pytest.raises(DataError):  # other bytes are still checked
            load_facts(data)
    assert checks_run == [data]


def test_the_pool_lists_the_digest_its_kernels_are_told_of(tmp_path):
    pool = KernelPool(tmp_path / "kernels", (), size=0)
    try:
        pool.trust("ab" * 32)
        pool.trust("cd" * 32)
        assert pool.trust_file.read_text(encoding="ascii").split() == ["ab" * 32, "cd" * 32]
    finally:
        pool.close()


@pytest.mark.slow
def test_a_report_kernel_from_the_pool_is_told_what_the_host_validated(tmp_path):
    import nbformat

    from lunar_report.pipeline.run.execute import execute_report

    notebook = tmp_path / "n.ipynb"
    cell = "from lunar_report.facts.trust import trusted_digests\nprint(sorted(trusted_digests()))"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)]), notebook)
    work = tmp_path / "work"
    work.mkdir()
    pool = KernelPool(tmp_path / "kernels", (), size=1)
    try:
        pool.trust("ab" * 32)
        executed = execute_report("n", notebook, {}, work, kernels=pool)
    finally:
        pool.close()
    assert executed.notebook.cells[0].outputs[0]["text"].strip() == str(["ab" * 32])
