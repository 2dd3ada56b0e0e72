"""Browser: the quadrant's table downloads as a CSV, every idea in the consultation's order."""

from tests.e2e.conftest import download_csv, wait_for_app


def test_the_quadrant_table_downloads(page, small_server, tmp_path):
    page.goto(f"{small_server.url}/priorities")
    wait_for_app(page)
    name, _, rows = download_csv(page, "priorities_quadrant", tmp_path)
    assert name.startswith("priorities-quadrant_all_")
    assert len(rows) == 13
    # tests/small_workbook.py: the three ideas scored, in the consultation's order
    scored = [(r["Idea"], r["Usefulness: n"], r["Likelihood: n"], r["Quadrant"]) for r in rows
              if r["Quadrant"] != "Not scored"]
    assert scored == [("Data tool collaboration", "3", "2", "Likely to be used, less useful"),
                      ("Improving data quality", "2", "1", "Useful and likely to be used"),
                      ("Influencing technology markets", "1", "1", "Useful, less likely to be used")]
    assert not any("@" in v for r in rows for v in r.values())
