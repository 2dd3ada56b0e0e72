"""AppTest of a bad upload: a text file named .xlsx gets one plain sentence beside the uploader,
at the top of the sidebar, and every page keeps showing the data it showed before."""

import pytest

from lib.dataset import kept
from lib.settings import Settings, load_dataset
from tests.app.conftest import badges, metrics, new_app, shown

SENTENCE = "This file isn't an Excel workbook (.xlsx). Remove it (×) to go back to the demo data."


@pytest.mark.parametrize("page", [None, "app_pages/reactions.py"])
def test_a_text_file_named_xlsx_is_one_sentence_and_the_data_stays(page):
    at = new_app(page)
    before = [c.proto.spec for c in at.get("plotly_chart")]
    at.file_uploader(key="sidebar_upload").upload("notes.xlsx", b"These are my notes, not a workbook.\n").run()
    assert not at.exception
    assert [shown(e.value) for e in at.error] == [SENTENCE]
    assert badges(at) == ["Demo data"]
    assert [c.proto.spec for c in at.get("plotly_chart")] == before        # the same charts, drawn from the same data
    if page is None:
        assert metrics(at)["Page feedback responses"] == f"{len(kept(load_dataset(Settings()).feedback)):,}"


def test_the_uploader_and_its_message_sit_above_the_filters():
    at = new_app()
    at.file_uploader(key="sidebar_upload").upload("notes.xlsx", b"not a workbook").run()
    sidebar = list(at.sidebar)
    source = next(i for i, el in enumerate(sidebar) if getattr(el, "label", "") == "Data source")
    filters = next(i for i, el in enumerate(sidebar) if getattr(el, "key", "") == "sidebar_filters")
    assert source < filters
    assert sidebar[source].proto.expanded                            # open while an upload is in use
    assert shown(sidebar[source].error[0].value) == SENTENCE
