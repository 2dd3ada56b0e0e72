"""AppTest of the Overview page on the demo and on a workbook given by INSIGHT_SOURCE."""

from collections import Counter

from lib.aggregates import by_page
from lib.consultation import load_consultation
from lib.dataset import kept
from lib.settings import Settings, load_dataset
from tests.app.conftest import badges, chart, metrics, new_app, shown
from tests.test_summary_cli import messy_workbook


def test_overview_on_the_demo_shows_the_demo_numbers():
    ds = load_dataset(Settings())
    fb, sv = kept(ds.feedback), kept(ds.survey)
    at = new_app()
    assert badges(at) == ["Demo data"]
    m = metrics(at)
    assert m["Page feedback responses"] == f"{len(fb):,}"
    assert m["Survey responses"] == f"{len(sv):,}"
    pages = by_page(fb, ds.site)
    form = pages[pages["has_form"]]
    assert m["Pages with feedback"] == f"{(form['n'] > 0).sum()} of {len(form)}"
    fig = chart(at, "overview_pages_chart")
    assert list(fig.data[0].x) == list(pages["n"])
    assert list(fig.data[0].y) == list(pages["label"])


def test_overview_on_a_workbook(tmp_path, monkeypatch):
    expect, by_reaction, by_role, by_page_built, _ = messy_workbook(tmp_path / "messy.xlsx")
    monkeypatch.setenv("INSIGHT_SOURCE", str(tmp_path / "messy.xlsx"))
    at = new_app()
    assert badges(at)[0].startswith("Workbook: messy.xlsx · loaded ")
    assert metrics(at)["Page feedback responses"] == str(expect["kept"])
    c = load_consultation()
    fig = chart(at, "overview_reactions_chart")
    drawn = dict(zip(fig.data[0].y, fig.data[0].x))
    assert {k: v for k, v in drawn.items() if v} == {c.short_reaction[k]: v for k, v in by_reaction.items()}
    groups = Counter()
    for role, n in by_role.items():
        groups[c.group_of_role[role]] += n
    fig = chart(at, "overview_groups_chart")
    assert {k: v for k, v in zip(fig.data[0].y, fig.data[0].x) if v} == dict(groups)
    assert sum(chart(at, "overview_weekly_chart").data[0].y) == expect["kept"] - expect["bad_timestamps"]


def test_secrets_choose_the_workbook(tmp_path):
    expect, *_ = messy_workbook(tmp_path / "messy.xlsx")
    at = new_app(secrets={"source": {"path": str(tmp_path / "messy.xlsx")}})
    assert metrics(at)["Page feedback responses"] == str(expect["kept"])


def test_a_broken_source_is_a_plain_message(tmp_path, monkeypatch):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    monkeypatch.setenv("INSIGHT_SOURCE", str(bad))
    at = new_app()
    assert "Could not read 'bad.xlsx' as an Excel workbook" in shown(at.error[0].value)
    assert not at.get("plotly_chart")


def test_an_uploaded_workbook_replaces_the_demo(tmp_path):
    expect, *_ = messy_workbook(tmp_path / "mine.xlsx")
    at = new_app()
    assert badges(at) == ["Demo data"]
    at.file_uploader(key="sidebar_upload").upload("mine [v2].xlsx", (tmp_path / "mine.xlsx").read_bytes()).run()
    assert not at.exception
    assert badges(at)[0].startswith("Uploaded: mine [v2].xlsx · loaded ")
    assert metrics(at)["Page feedback responses"] == str(expect["kept"])


def test_a_broken_upload_is_a_plain_message():
    at = new_app()
    at.file_uploader(key="sidebar_upload").upload("**big** [x](http://e.example).xlsx", b"\x00\x01 not a zip").run()
    message = at.error[0].value
    assert shown(message) == "This file isn't an Excel workbook (.xlsx). Remove it (×) to go back to the demo data."
    assert not at.exception
