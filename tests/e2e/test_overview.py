"""Browser: a chart's table downloads as a CSV named after the filters, holding what the chart shows."""

from tests.e2e.conftest import download_csv, wait_for_app


def test_a_chart_table_downloads_as_safe_csv(page, small_server, tmp_path):
    page.goto(f"{small_server.url}/?group=Private+sector")
    wait_for_app(page)
    name, _, rows = download_csv(page, "overview_pages", tmp_path)
    assert name.startswith("pages_group-Private-sector_") and name.endswith(".csv")
    assert len(rows) == 25                                       # every page with a form
    # tests/small_workbook.py: private sector rows 4 and 6 on P1, 8 and 9 on P2
    assert [(r["Page"], r["Path"], r["Responses"]) for r in rows if r["Responses"] != "0"] == [
        ("How our system works", "how-our-system-works/", "2"), ("Models for delivery", "models-for-delivery/", "2")]
