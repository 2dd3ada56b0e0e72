"""Browser: downloads people can use. The Excel file of the comments has its header row frozen
and filtered and is named after the search and the filters; a role group's file names the group;
the files hold the labels the screen shows, the form's wording beside them."""

import io
import re

from openpyxl import load_workbook

from lib import comments as cm
from lib.filters import Filters
from lib.privacy import apply_policy
from lib.settings import Settings, load_dataset
from tests.e2e.conftest import download, download_csv, wait_for_drawing


def test_the_comments_excel_has_a_frozen_filtered_header_and_says_what_it_holds(page, demo_server, tmp_path):
    ds = apply_policy(load_dataset(Settings()), may_see_email=False)
    f = Filters(role_groups=("Private sector",))
    rows = cm.search(cm.comments(ds.feedback, ds.survey, ds.site, f, cm.FEEDBACK), "supplier")
    assert len(rows) > 1
    page.goto(f"{demo_server.url}/comments?group=Private+sector&comments_q=supplier")
    wait_for_drawing(page)
    path = download(page, "comments", tmp_path, "xlsx")
    assert re.fullmatch(r"comments_search-supplier_group-Private-sector_\d{4}-\d\d-\d\d_\d{4}\.xlsx", path.name)
    ws = load_workbook(io.BytesIO(path.read_bytes()))["Comments"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{len(rows) + 1}"
    header = [c.value for c in ws[1]]
    reaction = header.index("Reaction")
    assert header[reaction + 1] == cm.FORM_WORDING
    short = ds.consultation.short_reaction
    assert [r[reaction] for r in ws.iter_rows(min_row=2, values_only=True)] == \
        [short.get(r, r) for r in rows["reaction"]]
    assert width_of(ws, header.index("Details") + 1) > 30                 # fitted to the long texts


def width_of(ws, column: int) -> float:
    """A column's width (openpyxl groups neighbouring columns of the same width under the first)."""
    return next(d.width for d in ws.column_dimensions.values() if d.min <= column <= d.max)


def test_a_role_group_s_file_names_the_group(page, demo_server, tmp_path):
    page.goto(f"{demo_server.url}/priorities?priorities_group=Private+sector&dates=2026-09-14&dates=2026-10-18")
    wait_for_drawing(page)
    name, _, records = download_csv(page, "priorities_group_quadrant", tmp_path)
    assert name.startswith("priorities-group-ideas_Private-sector_dates-2026-09-14+2026-10-18_")
    assert len(records) == len(load_dataset(Settings()).consultation.ideas)
