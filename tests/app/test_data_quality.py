"""AppTest of the Data quality page on the hand-counted workbook (tests/small_workbook.py): what
was read, kept and left out, and the values that need a look, as counted there by hand."""

from tests.app.conftest import new_app, shown

PAGE = "app_pages/data_quality.py"


def tables(at) -> list[list[dict]]:
    """Every table on the page, in page order (read-only tables expose no key in AppTest)."""
    return [d.value.to_dict("records") for d in at.dataframe]


def test_counts_and_listings_of_both_tabs(small):
    at = new_app(PAGE)
    assert [(m.label, m.value) for m in at.metric] == [
        ("Rows read", "17"), ("Kept", "15"), ("Spam", "1"), ("Duplicates", "1"), ("Unreadable timestamps", "1"),
        ("Rows read", "6"), ("Kept", "4"), ("Spam", "1"), ("Duplicates", "1"), ("Unreadable timestamps", "0")]
    assert shown(at.warning[0].value).startswith("1 kept responses came from a page address that matches no page")
    *listings, pages = tables(at)
    assert listings == [
        [{"Address": "https://data-to-insight.github.io/centre-of-excellence/suggestions/", "Rows": 1}],
        [{"Typed value": "Loved it", "Rows": 1}],           # reactions
        [{"Typed value": "Student", "Rows": 1}],           # roles
        [{"Column": "Notes", "Rows": 1}],                  # extra columns
        [{"Kind": "Timestamp missing or unreadable (or outside 1678–2261)", "Values": 1, "Sheet rows": "15"},
         {"Kind": "Page address matching no page (or unparsable, or over 2,048 characters)", "Values": 1,
          "Sheet rows": "16"},
         {"Kind": "Reaction that is not an option of the form", "Values": 1, "Sheet rows": "14"},
         {"Kind": "Role that is not an option of the form", "Values": 1, "Sheet rows": "15"}],   # bad values by kind
        [{"Value": "Improving data quality: 9", "Rows": 1}],   # the survey's scores
        [{"Kind": "Score ignored (not a whole number 1–5, unknown idea, or a cell too long or deeply nested)",
          "Values": 1, "Sheet rows": "5"}],
    ]
    captions = [c.value for c in at.caption]
    assert "Every role matched an option of the form." in captions          # the survey's roles
    assert "Every ticked activity matched the longlist." in captions
    assert len(pages) == 30
    assert pages[5] == {"Order": 6, "Page": "Models for delivery", "Path": "models-for-delivery/", "Has form": True}


def test_the_sidebar_filters_do_not_apply(small):
    at = new_app(PAGE, query={"group": "Private sector"})
    assert at.multiselect(key="group").value == ["Private sector"]
    assert [m.value for m in at.metric][:2] == ["17", "15"]
