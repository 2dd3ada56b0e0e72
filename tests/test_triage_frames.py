"""Triage joined onto responses: defaults, the status and tag filters, progress counts."""

from __future__ import annotations

import pandas as pd

from lib.triage import NOTE, STATUS, TAGS, VERSION, filter_triage, join_triage, progress

STATUSES = ("New", "Read", "Needs action", "Actioned", "No action")
TRIAGE_COLUMNS = ["identity", "status", "tags", "note", "version", "updated_by", "updated_at"]


def responses():
    return pd.DataFrame({
        "identity": ["fa", "fb", "fc", "fd", "fa"],  # the last: a double submission of fa
        "page_path": ["/status/", "/status/", "/quality/", "/elsewhere/", "/status/"],
        "summary": ["one", "two", "three", "four", "one"],
    }, index=[10, 11, 12, 13, 14])


def triage():
    return pd.DataFrame([
        ("fa", "Needs action", ("Funding", "Reply"), "Call back", 2, "ana", pd.Timestamp("2026-11-02", tz="UTC")),
        ("fc", "Actioned", ("funding",), "", 1, "sam", pd.Timestamp("2026-11-03", tz="UTC")),
        ("fz", "Read", (), "", 1, "sam", pd.Timestamp("2026-11-03", tz="UTC")),  # not in these responses
    ], columns=TRIAGE_COLUMNS)


def pages():
    return pd.DataFrame({
        "path": ["/", "/status/", "/quality/", "/value/"],
        "label": ["Home", "Appendix 1 › Status", "Appendix 1 › Quality", "Appendix 1 › Value"],
        "has_form": [False, True, True, True],
    })


def test_join_fills_untriaged_responses_and_keeps_rows_and_index():
    joined = join_triage(responses(), triage(), "New")
    assert joined.index.tolist() == [10, 11, 12, 13, 14]
    assert joined[STATUS].tolist() == ["Needs action", "New", "Actioned", "New", "Needs action"]
    assert joined[TAGS].tolist() == [("Funding", "Reply"), (), ("funding",), (), ("Funding", "Reply")]
    assert joined[NOTE].tolist() == ["Call back", "", "", "", "Call back"]
    assert joined[VERSION].tolist() == [2, 0, 1, 0, 2]


def test_filters_by_status_and_by_tag_ignoring_case():
    joined = join_triage(responses(), triage(), "New")
    assert filter_triage(joined, statuses=["New"])["summary"].tolist() == ["two", "four"]
    assert filter_triage(joined, tags=["FUNDING "])["summary"].tolist() == ["one", "three", "one"]
    assert filter_triage(joined, tags=["funding", "reply"], all_tags=True)["summary"].tolist() == ["one", "one"]
    assert filter_triage(joined, statuses=["Actioned"], tags=["#Funding"])["summary"].tolist() == ["three"]
    assert len(filter_triage(joined)) == 5


def test_counts_each_response_once_by_status_and_by_page_in_site_order():
    counts, by_page = progress(responses(), triage(), "New", pages(), STATUSES)
    assert counts.values.tolist() == [
        ["New", 2], ["Read", 0], ["Needs action", 1], ["Actioned", 1], ["No action", 0]]
    assert by_page["page"].tolist() == ["Appendix 1 › Status", "Appendix 1 › Quality", "Appendix 1 › Value",
                                        "/elsewhere/"]
    assert by_page[["responses", "New", "Needs action", "Actioned", "triaged"]].values.tolist() == [
        [2, 1, 1, 0, 1], [1, 0, 0, 1, 1], [0, 0, 0, 0, 0], [1, 1, 0, 0, 0]]


def test_a_status_the_form_does_not_list_is_counted_after_the_others():
    """A status found in the store but not among the consultation's (renamed since) is counted
    last; one no response in view has is not listed."""
    store = pd.concat([triage(), pd.DataFrame([
        ("fb", "Escalated", (), "", 1, "sam", pd.Timestamp("2026-11-04", tz="UTC")),
        ("fy", "Archived", (), "", 1, "sam", pd.Timestamp("2026-11-04", tz="UTC"))], columns=TRIAGE_COLUMNS)])
    counts, by_page = progress(responses(), store, "New", pages(), STATUSES)
    assert counts.values.tolist() == [
        ["New", 1], ["Read", 0], ["Needs action", 1], ["Actioned", 1], ["No action", 0], ["Escalated", 1]]
    assert by_page.columns.tolist() == ["page_path", "page", "responses", *STATUSES, "Escalated", "triaged"]
    assert by_page[["responses", "Escalated", "triaged"]].values.tolist() == [[2, 1, 2], [1, 0, 1], [0, 0, 0],
                                                                               [1, 0, 0]]


def test_progress_counts_categorical_pages_and_rows_known_to_be_distinct_alike():
    """``unique``: the caller knows no identity repeats (no duplicates in view), so none is dropped."""
    once = responses().iloc[:4]
    plain = progress(once, triage(), "New", pages(), STATUSES)
    coded = progress(once.astype({"page_path": "category"}), triage(), "New", pages(), STATUSES, unique=True)
    for a, b in zip(plain, coded):
        pd.testing.assert_frame_equal(a, b)
    assert plain[0]["responses"].sum() == 4
