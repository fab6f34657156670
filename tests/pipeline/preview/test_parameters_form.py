"""The preview's parameters forms without kernels: the form read from the notebook, submissions read back and refused,
the command a one-off stands for, and the bounds of the one-off renders."""

from __future__ import annotations

import shutil
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest

from helpers import lander_report, notebooks_project, refuse_kernels, write_config
from known import KNOWN
from lunar_report.pipeline.config.preflight import Hints, parameter_hints
from lunar_report.pipeline.config.reports import load_reports, notebook_report
from lunar_report.pipeline.preview import oneoff
from lunar_report.pipeline.preview.form import (
    CHECKBOXES,
    NUMBER,
    PERIOD,
    SELECT,
    TEXT,
    VALUE_CHARS,
    Refused,
    build_form,
    changes,
    command,
    read_submission,
)
from lunar_report.pipeline.preview.oneoff import ParameterPages, Settings
from lunar_report.pipeline.preview.server import Site

PROJECT = Path(__file__).resolve().parents[3]
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "notebooks"
KNOWN_MISSIONS = ("fx-crewed-1", "fx-lander-1", "fx-lander-2", "fx-probe-0", "fx-probe-9")


@pytest.fixture(scope="module")
def hints() -> Hints:
    return parameter_hints(KNOWN)


@pytest.fixture()
def project(tmp_path) -> Path:
    root = notebooks_project(
        tmp_path / "project",
        lander_report(2),
        {"name": "claims", "notebook": "notebooks/claims.ipynb", "title": "Claims"},
        {"name": "slow", "notebook": "notebooks/slow.ipynb", "title": "Slow"},
    )
    shutil.copy(FIXTURES / "slow.ipynb", root / "notebooks" / "slow.ipynb")
    return root


def specs(project: Path) -> dict:
    return {spec.name: spec for spec in load_reports(project / "reports.toml")}


# -- the form, read from the notebook ----------------------------------------------------------


def test_the_checkers_hint_the_known_values_from_the_fact_base(hints):
    assert hints.choices["mission"] == KNOWN_MISSIONS and hints.choices["compare_with"] == KNOWN_MISSIONS
    assert hints.choices["timezone"] == ("UTC", "Asia/Shanghai")
    assert "agreement" in hints.choices["categories"]
    assert hints.periods == ("start", "end") and set(hints.several) == {"categories", "compare_with"}


def test_the_mission_form_offers_the_missions_and_starts_from_the_configured_report(project, hints):
    form = build_form(specs(project)["mission-lander-1"], hints)
    assert form.notebook == "mission_figures" and form.report.name == "mission-lander-1"
    assert [(f.name, f.label, f.control) for f in form.fields] == [
        ("mission", "Mission", SELECT),
        ("compare_with", "Compare with", CHECKBOXES),
    ]
    mission, compare = form.fields
    assert mission.help == "mission id from data/missions.csv"  # the comment in the parameters cell
    assert (mission.default, mission.value, mission.choices) == ("fx-lander-1", ("fx-lander-1",), KNOWN_MISSIONS)
    assert compare.help == "mission ids to compare sample mass with; None: every sample return"
    assert (compare.default, compare.value, compare.choices) == (None, (), KNOWN_MISSIONS)


def test_the_timeline_form_has_periods_choices_and_the_notebook_defaults(project, hints):
    form = build_form(specs(project)["timeline"], hints)
    fields = {f.name: f for f in form.fields}
    assert list(fields) == ["start", "end", "categories", "timezone"]  # data_dir and as_of: the preview's
    assert (fields["start"].control, fields["start"].default, fields["start"].value) == (PERIOD, "2017", ("2017",))
    assert (fields["end"].control, fields["end"].default, fields["end"].value) == (PERIOD, None, ("",))
    assert fields["categories"].control == CHECKBOXES
    assert (fields["timezone"].control, fields["timezone"].choices) == (SELECT, ("UTC", "Asia/Shanghai"))
    assert fields["timezone"].help == '"UTC" or "Asia/Shanghai": the zone clock times are shown in'


def test_a_number_is_a_number_field_and_a_notebook_of_supplied_parameters_has_none(hints):
    slow = build_form(notebook_report(FIXTURES / "slow.ipynb", {}), hints)
    assert [(f.name, f.control, f.default, f.value) for f in slow.fields] == [("seconds", NUMBER, 30, ("30",))]
    assert build_form(notebook_report(FIXTURES / "events.ipynb", {}), hints).fields == ()
    claims = build_form(notebook_report(PROJECT / "notebooks" / "claims.ipynb", {}), hints)
    assert claims.fields == ()  # data_dir, as_of and base_url are all the render's


def test_a_parameter_without_hints_is_a_text_field(project):
    form = build_form(specs(project)["timeline"], Hints({}))
    assert {f.name: f.control for f in form.fields} == {
        "start": TEXT,
        "end": TEXT,
        "categories": TEXT,
        "timezone": TEXT,
    }


# -- a submission, read back -------------------------------------------------------------------


def test_a_submission_is_typed_as_render_p_types_it(project, hints):
    form = build_form(specs(project)["timeline"], hints)
    filled, overrides = read_submission(
        form, "start=2019&end=&categories=agreement&categories=partner&timezone=Asia%2FShanghai"
    )
    assert overrides == {"start": 2019, "categories": ["agreement", "partner"], "timezone": "Asia/Shanghai"}
    assert {f.name: f.value for f in filled.fields}["categories"] == ("agreement", "partner")
    assert read_submission(form, "start=None")[1] == {"start": None}


def test_only_what_changes_the_report_is_its_one_off(project, hints):
    form = build_form(specs(project)["mission-lander-1"], hints)
    filled, overrides = read_submission(form, "mission=fx-lander-2")
    assert changes(filled, overrides) == {"mission": "fx-lander-2"}
    assert changes(*read_submission(form, "mission=fx-lander-1")) == {"mission": "fx-lander-1"}  # still a one-off
    timeline = build_form(specs(project)["timeline"], hints)
    filled, overrides = read_submission(timeline, "start=2017&end=2020&timezone=UTC")
    assert overrides == {"start": 2017, "end": 2020, "timezone": "UTC"}
    assert changes(filled, overrides) == {"end": 2020}  # the fields left as shown are not part of the one-off


def test_the_command_is_the_render_it_stands_for(project, hints):
    form = build_form(specs(project)["mission-lander-1"], hints)
    filled, overrides = read_submission(form, "mission=fx-lander-2")
    said = command(filled, changes(filled, overrides), ("--as-of", "2026-11-25"))
    assert said.line == "lunar-report render mission-lander-1 -p mission fx-lander-2 --to html --as-of 2026-11-25"
    assert said.yaml == ""
    filled, overrides = read_submission(form, "mission=fx-lander-2&compare_with=fx-probe-0&compare_with=fx-crewed-1")
    said = command(filled, changes(filled, overrides))
    assert said.line == "lunar-report render mission-lander-1 -f parameters.yaml -p mission fx-lander-2 --to html"
    assert said.yaml == "compare_with: [fx-probe-0, fx-crewed-1]\n"
    timeline = build_form(specs(project)["timeline"], hints)
    filled, overrides = read_submission(timeline, "timezone=Asia/Shanghai")
    assert command(filled, overrides).line == "lunar-report render timeline -p timezone Asia/Shanghai --to html"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "misson=fx-lander-2",
            "unknown parameter 'misson'; the parameters of mission_figures are: mission, compare_with",
        ),
        (
            "as_of=2020-01-01&data_dir=%2Ftmp",
            "as_of, data_dir follows the preview's own settings (--data, --as-of); "
            "the parameters of mission_figures are: mission, compare_with",
        ),
        ("&".join(["compare_with=fx-probe-0"] * 65), "more than 64 values; give one per parameter"),
    ],
)
def test_an_unknown_parameter_is_refused_with_the_known_names(project, hints, query, message):
    form = build_form(specs(project)["mission-lander-1"], hints)
    with pytest.raises(Refused) as refused:
        read_submission(form, query)
    assert refused.value.form.error == message and str(refused.value) == message


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("mission=a&mission=b", "mission: given 2 times; give one value"),
        ("mission=" + "x" * (VALUE_CHARS + 1), f"mission: {VALUE_CHARS + 1} characters; at most {VALUE_CHARS}"),
        ("mission=fx%0Alander", "mission: the value holds the character U+000A at position 3; remove it"),
    ],
)
def test_a_value_out_of_bounds_is_refused_next_to_its_field(project, hints, query, message):
    form = build_form(specs(project)["mission-lander-1"], hints)
    with pytest.raises(Refused) as refused:
        read_submission(form, query)
    assert {f.name: f.error for f in refused.value.form.fields} == {"mission": message, "compare_with": ""}


# -- the pages: refused before any kernel, bounded -----------------------------------------------


@pytest.fixture()
def pages(project, tmp_path) -> ParameterPages:
    settings = Settings(project / "reports.toml", project, KNOWN, date(2026, 11, 25), ("--as-of", "2026-11-25"))
    return ParameterPages(tmp_path / "one-offs", settings, lambda: load_reports(project / "reports.toml"))


def test_the_front_page_links_a_parameters_page_per_parameterised_notebook(pages, tmp_path):
    assert pages.links() == [
        ("/parameters/timeline", "timeline.ipynb"),
        ("/parameters/mission_figures", "mission_figures.ipynb"),
        ("/parameters/slow", "slow.ipynb"),
    ]
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<html><body><p>index</p></body></html>\n", encoding="utf-8")
    site = Site(tmp_path / "site")
    site.publish(reports=("timeline",))
    site.extra = pages
    page = site.served("/").body.decode()
    assert '<a href="/parameters/mission_figures">mission_figures.ipynb: parameters</a>' in page


def test_the_form_page_shows_each_field_with_its_help(pages):
    page = pages.page("/parameters/mission_figures", "")
    text = page.body.decode()
    assert page.status == 200
    assert '<label for="input-mission">Mission</label>' in text and "mission id from data/missions.csv" in text
    assert "<option selected>fx-lander-1</option>" in text
    assert '<input type="checkbox" name="compare_with" value="fx-probe-0">' in text
    assert 'action="/parameters/mission_figures/report"' in text and 'method="get"' in text


def test_a_value_the_checker_refuses_is_400_next_to_its_field_with_no_kernel(pages, monkeypatch, tmp_path):
    refuse_kernels(monkeypatch)
    page = pages.page("/parameters/mission_figures/report", "mission=fx-lander-9")
    text = page.body.decode()
    assert page.status == 400
    message = "mission: unknown mission &#39;fx-lander-9&#39;; choose from: " + ", ".join(KNOWN_MISSIONS) + "."
    assert f'<p class="error" id="error-mission">{message}</p>' in text
    assert 'aria-describedby="help-mission error-mission" aria-invalid="true"' in text
    page = pages.page("/parameters/timeline/report", "start=2019&end=2016")
    assert page.status == 400
    assert (
        '<p class="error" id="error-start">start (2019) is after end (2016); give a start on or before the end.</p>'
        in (page.body.decode())
    )
    assert not (tmp_path / "one-offs").exists()  # nothing written


def test_an_unknown_parameter_is_400_and_an_unknown_notebook_404(pages, monkeypatch):
    refuse_kernels(monkeypatch)
    page = pages.page("/parameters/mission_figures/report", "mision=fx-lander-2")
    assert page.status == 400
    assert "unknown parameter &#39;mision&#39;; the parameters of mission_figures are: mission, compare_with" in (
        page.body.decode()
    )
    assert pages.page("/parameters/claims", "").status == 404  # nothing to offer: no form


def test_one_render_per_notebook_and_a_short_queue_then_503(pages, monkeypatch):
    started, release = threading.Event(), threading.Event()
    calls = []

    def held(specs, options, **kwargs):  # the render itself is tested end to end; here only its bound
        calls.append(specs[0].name)
        started.set()
        release.wait(30)
        options.out_dir.mkdir(parents=True)
        (options.out_dir / f"{specs[0].name}.html").write_text("<html><body>rendered</body></html>", encoding="utf-8")
        return []

    monkeypatch.setattr(oneoff, "render_reports", held)
    answers: list = []

    def ask() -> None:
        answers.append(pages.page("/parameters/mission_figures/report", "mission=fx-lander-2"))

    threads = [threading.Thread(target=ask) for _ in range(2 + oneoff.QUEUED)]  # one more than the queue holds
    threads[0].start()
    assert started.wait(30)
    for thread in threads[1:]:
        thread.start()
    deadline = time.monotonic() + 60  # generous: the answer beyond the queue does not wait for the render
    while not answers and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [a.status for a in answers] == [503] and "mission_figures is busy" in answers[0].body.decode()
    release.set()
    for thread in threads:
        thread.join(30)
    assert calls == ["mission-lander-1-custom"]  # the queued requests are served what the first rendered
    assert sorted(a.status for a in answers) == [200] * (1 + oneoff.QUEUED) + [503]


def test_the_pages_answer_only_to_this_preview_by_its_own_name(pages, tmp_path):
    import http.client

    from lunar_report.pipeline.preview.server import Server

    (tmp_path / "site").mkdir()
    site = Site(tmp_path / "site")
    site.extra = pages
    server = Server(site, 0)
    try:
        answers = {}
        for host in ("evil.example", f"127.0.0.1:{server.port}"):
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            connection.request("GET", "/parameters/mission_figures?mission=fx-lander-2", headers={"Host": host})
            response = connection.getresponse()
            answers[host] = (response.status, response.read())
            connection.close()
    finally:
        server.close()
    assert answers["evil.example"][0] == 403
    status, body = answers[f"127.0.0.1:{server.port}"]
    assert status == 200 and b"<option selected>fx-lander-2</option>" in body  # a link back shows its values


@pytest.mark.fuzz
def test_any_query_is_read_back_or_refused_with_one_message(project, hints):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    form = build_form(specs(project)["mission-lander-1"], hints)
    names = st.sampled_from(["mission", "compare_with", "as_of", "<script>", "mission%00", ""])
    values = st.one_of(st.text(max_size=VALUE_CHARS + 20), st.sampled_from(["fx-lander-2", "None", "<script>x"]))
    queries = st.lists(st.tuples(names, values), max_size=8).map(
        lambda pairs: "&".join(f"{quote(n)}={quote(v)}" for n, v in pairs)
    )

    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(queries)
    def check(query):
        try:
            _, overrides = read_submission(form, query)
        except Refused as refused:
            assert str(refused) and "\n" not in str(refused)  # one message, on the form
            return
        assert set(overrides) <= {"mission", "compare_with"}
        texts = [str(v) for value in overrides.values() for v in (value if isinstance(value, list) else [value])]
        assert all(len(text) <= VALUE_CHARS and text.strip() == text for text in texts)

    check()


@pytest.mark.slow
def test_a_one_off_that_fails_shows_its_failure_page_and_one_that_renders_its_report(tmp_path):
    from helpers import fixture_notebook

    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    fixture_notebook(
        root / "notebooks",
        "sometimes.ipynb",
        "from lunar_report.analysis.display import setup_display, say\nsetup_display()",
        'if fail == 1:\n    raise ValueError("deliberate failure for the test")\nsay(f"fail is {fail}")',
        parameters="data_dir = None\nfail = 0  # 1 makes the notebook fail\nas_of = None",
    )
    write_config(root, [{"name": "sometimes", "notebook": "notebooks/sometimes.ipynb", "title": "Sometimes"}])
    settings = Settings(root / "reports.toml", root, KNOWN, date(2026, 11, 25), ("--as-of", "2026-11-25"))
    pages = ParameterPages(tmp_path / "one-offs", settings, lambda: load_reports(root / "reports.toml"))
    form = pages.page("/parameters/sometimes", "").body.decode()
    assert '<input type="number" step="any" id="input-fail" name="fail" value="0"' in form
    assert "1 makes the notebook fail" in form

    failed = pages.page("/parameters/sometimes/report", "fail=1")
    assert failed.status == 500 and "deliberate failure for the test" in failed.body.decode()
    rendered = pages.page("/parameters/sometimes/report", "fail=2")
    text = rendered.body.decode()
    assert rendered.status == 200 and "fail is 2" in text
    command = "lunar-report render sometimes -p fail 2 --to html --as-of 2026-11-25"
    assert f'<code id="lr-command">{command}</code>' in text
    assert text.index('id="lr-command"') < text.index("fail is 2")  # the command above the report
