"""A workbook small enough to count by hand, for the page tests (AppTest and the browser).

The page tests check that each page draws what its rows say; the expected values they write out
are counted from the rows below by hand (never by the dashboard's code), with the counting shown
here once. Row numbers are the sheet's (header = row 1). Pages: P1 *How our system works*,
P2 *Models for delivery*, P3 *Appendix 1 › Context*, P4 *Appendix 2 › Improving data quality*.

Feedback tab: 17 rows read (the empty row 19 is ignored), 15 kept, 1 spam (row 18), 1 duplicate
(row 17 repeats row 9 a minute later), 1 unreadable timestamp (row 15), 1 page address
matching no page (row 16, ``suggestions/``), 1 unrecognised reaction ("Loved it", row 14),
1 unrecognised role ("Student", row 15), an extra column "Notes" with 1 value (row 2).

====  ==========  ====  ==================  =====================================  ==========
row   when        page  reaction            role (group)                           org
====  ==========  ====  ==================  =====================================  ==========
2     05/10 09:00 P1    Enthusiastic        LA data professional (LA)              Northshire
3     05/10 10:00 P1    Enthusiastic        CG leadership (CG)                     DfE
4     06/10 11:00 P1    Disagree            consultant (Private)                   Acme Data
5     07/10 12:00 P1    Unsure              LA leadership (LA)                     Northshire
6     12/10 09:00 P1    Enthusiastic        supplier/partner (Private)
7     13/10 09:00 P1    (Not given)         LA data professional (LA)
8     08/10 09:30 P2    Disagree            consultant (Private)                   Acme Data
9     08/10 14:00 P2    Disagree            supplier/partner (Private)
10    14/10 09:00 P2    Enthusiastic        LA data professional (LA)              Northshire
11    15/10 09:00 P2    Specific issue      CG leadership (CG)                     DfE
12    20/10 09:00 P2    General reflection  Other public sector role (OPS)         NHS Trust
13    21/10 09:00 P3    Other               LA data professional (LA)
14    21/10 10:00 P3    Loved it → Unrec.   LA leadership (LA)
15    (sometime)  P4    Enthusiastic        Student → Unrecognised
16    22/10 09:00 ?     Unsure              LA data professional (LA)
====  ==========  ====  ==================  =====================================  ==========

Kept, by page: P1 6, P2 5, P3 2, P4 1, (unknown) 1; so 4 of the 25 pages with a form have
feedback. By reaction: Enthusiastic 5 (2, 3, 6, 10, 15), Unsure 2 (5, 16), Disagree 3 (4, 8, 9),
General reflection 1, Specific issue 1, Other 1, Not given 1, Unrecognised 1. By role group:
Local authority 7 (2, 5, 7, 10, 13, 14, 16), Central government 2, Other public sector 1, Private
sector 4 (4, 6, 8, 9), Unrecognised 1, People with lived or no experience 0. Organisations: 4
(Northshire, DfE, Acme Data, NHS Trust). Weeks (Monday to Sunday): 5 Oct 6 (2, 3, 4, 5, 8, 9),
12 Oct 4 (6, 7, 10, 11), 19 Oct 4 (12, 13, 14, 16); row 15 has no time. Net scores: P1
(3 − 1) / 6 = +33.3, P2 (1 − 2) / 5 = −20.0; P3 and P4 have fewer than 5 responses.

MainFeedback tab: 6 rows read, 4 kept, 1 duplicate (row 6 repeats row 2), 1 spam (row 7),
1 score ignored ("Improving data quality: 9", row 5). Ideas: DTC *Data tool collaboration*,
IDQ *Improving data quality*, ITM *Influencing technology markets*.

====  ==========  ===========================  ==========  ===================  ==================
row   when        role (group)                 org         usefulness           likelihood
====  ==========  ===========================  ==========  ===================  ==================
2     05/10 10:00 LA data professional (LA)    Northshire  DTC 5, IDQ 4         DTC 4, IDQ 4
3     06/10 10:00 LA leadership (LA)           Northshire  DTC 3, IDQ 5         DTC 2
4     07/10 10:00 consultant (Private)         Acme Data   ITM 5, DTC 4         ITM 1
5     12/10 10:00 CG leadership (CG)           DfE         IDQ 9 (ignored)
====  ==========  ===========================  ==========  ===================  ==================

Means: usefulness DTC 4.0 (n 3), IDQ 4.5 (n 2), ITM 5.0 (n 1); likelihood DTC 3.0 (n 2),
IDQ 4.0 (n 1), ITM 1.0 (n 1). Overall means of every score given: usefulness 26/6 = 4.33,
likelihood 11/4 = 2.75; so DTC is "Likely to be used, less useful", IDQ "Useful and likely to be
used", ITM "Useful, less likely to be used". Gaps: DTC 1.0, IDQ 0.5, ITM 4.0. Activities ticked: ``DTC_KEEP`` by rows 2
and 3, ``EXPLAIN`` (which holds a comma) by rows 3 and 4: 3 of 4 responses ticked one. Comments:
rows 2, 4 and 5.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from tests.conftest import FEEDBACK_HEADER, SURVEY_HEADER, fb_row, survey_row, write_workbook

D = dt.datetime
ENTH, UNSURE, DISAGREE = "I’m enthusiastic about this", "I’m unsure about this", "I disagree with this"
LA_DATA, LA_LEAD = "Local authority data professional", "Local authority leadership"
CG_LEAD = "Central government leadership"
CONSULTANT, SUPPLIER = "Data and digital consultant", "Data and digital supplier/partner"
OPS = "Other public sector professional role"

P1, P2 = "how-our-system-works/", "models-for-delivery/"
P3 = "appendix-1-more-on-how-our-system-works/context/"
P4 = "appendix-2-more-on-possible-mechanisms-for-change/improving-data-quality/"

#: Row 2's details: long (so the table shows a preview), with a phrase to search for.
LONG_DETAILS = "We would like a rotating chair for the board. " + "More words follow here. " * 45
#: Row 4's summary: a spreadsheet formula, which every download must neutralise.
FORMULA = '=HYPERLINK("http://example.com","click")'
#: Row 8's details: Markdown and HTML, which must be shown as typed.
MARKUP = "Please make the <b>bold</b> claims here *evidence-based* – see [link](http://x)"

FEEDBACK = [
    fb_row(D(2026, 10, 5, 9, 0), P1, ENTH, "A clear picture of the whole system", LONG_DETAILS, LA_DATA, "Northshire",
           "ana@northshire.gov.uk") + ["called back"],
    fb_row(D(2026, 10, 5, 10, 0), P1, ENTH, "Good start on funding", "", CG_LEAD, "DfE") + [""],
    fb_row(D(2026, 10, 6, 11, 0), P1, DISAGREE, FORMULA, "Too simple a picture of how funding flows.", CONSULTANT,
           "Acme Data", "sam@acme.example") + [""],
    fb_row(D(2026, 10, 7, 12, 0), P1, UNSURE, "Unsure how this scales", "Counties differ.", LA_LEAD,
           "Northshire") + [""],
    fb_row(D(2026, 10, 12, 9, 0), P1, ENTH, "Keen to help test this", "", SUPPLIER) + [""],
    fb_row(D(2026, 10, 13, 9, 0), P1, "", "No reaction chosen", "", LA_DATA) + [""],
    fb_row(D(2026, 10, 8, 9, 30), P2, DISAGREE, "Markup in the details", MARKUP, CONSULTANT, "Acme Data") + [""],
    fb_row(D(2026, 10, 8, 14, 0), P2, DISAGREE, "Suppliers were not asked", "", SUPPLIER) + [""],
    fb_row(D(2026, 10, 14, 9, 0), P2, ENTH, "A model we could use", "", LA_DATA, "Northshire") + [""],
    fb_row(D(2026, 10, 15, 9, 0), P2, "I’ve identified a specific issue with this", "Hosting costs are missing", "",
           CG_LEAD, "DfE") + [""],
    fb_row(D(2026, 10, 20, 9, 0), P2, "I have a general reflection on this", "Health partners matter", "", OPS,
           "NHS Trust") + [""],
    fb_row(D(2026, 10, 21, 9, 0), P3, "Other", "Context is helpful", "", LA_DATA) + [""],
    fb_row(D(2026, 10, 21, 10, 0), P3, "Loved it", "Loved the context", "", LA_LEAD) + [""],
    fb_row("sometime", P4, ENTH, "Quality comes first", "", "Student") + [""],
    fb_row(D(2026, 10, 22, 9, 0), "suggestions/", UNSURE, "Where is this page?", "", LA_DATA) + [""],
    fb_row(D(2026, 10, 8, 14, 1), P2, DISAGREE, "Suppliers  were not asked ", "", SUPPLIER) + [""],
    fb_row(D(2026, 10, 9, 9, 0), P1, ENTH, "cheap pills", "", "bot", hp="http://spam.example") + [""],
]

DTC_KEEP = "Data tool collaboration: Maintaining and continuously developing key products which the sector can rely on"
EXPLAIN = "Advanced technology: Explaining options to local authorities, including how-to guidance and training"
SURVEY = [
    survey_row(D(2026, 10, 5, 10, 0), LA_DATA, "Northshire", "ana@northshire.gov.uk",
               json.dumps({"Data tool collaboration": 5, "Improving data quality": 4}),
               json.dumps({"Data tool collaboration": 4, "Improving data quality": 4}), DTC_KEEP,
               comments="Publish the shared rulebook"),
    survey_row(D(2026, 10, 6, 10, 0), LA_LEAD, "Northshire", "",
               json.dumps({"Data tool collaboration": 3, "Improving data quality": 5}),
               json.dumps({"Data tool collaboration": 2}), f"{DTC_KEEP}, {EXPLAIN}"),
    survey_row(D(2026, 10, 7, 10, 0), CONSULTANT, "Acme Data", "",
               json.dumps({"Influencing technology markets": 5, "Data tool collaboration": 4}),
               json.dumps({"Influencing technology markets": 1}), EXPLAIN, comments="Markets need a push"),
    survey_row(D(2026, 10, 12, 10, 0), CG_LEAD, "DfE", "", json.dumps({"Improving data quality": 9}), "",
               comments="Publish the data first"),
    survey_row(D(2026, 10, 5, 10, 1), LA_DATA, "Northshire", "ana@northshire.gov.uk",
               json.dumps({"Data tool collaboration": 5, "Improving data quality": 4}),
               json.dumps({"Data tool collaboration": 4, "Improving data quality": 4}), DTC_KEEP,
               comments="Publish the shared rulebook"),
    survey_row(D(2026, 10, 9, 10, 0), LA_DATA, use=json.dumps({"Curating technical standards": 1}), hp="bot"),
]

TABS = {
    "Feedback": [FEEDBACK_HEADER + ["Notes"], *FEEDBACK, [""] * 10],   # row 19: empty, ignored
    "MainFeedback": [SURVEY_HEADER, *SURVEY],
}


def write_small_workbook(path: Path) -> Path:
    """Write the workbook described above to ``path`` (an ``.xlsx``); text starting with "=" is
    stored as text, as Google Sheets exports a typed formula-like answer, not as a formula."""
    from openpyxl import load_workbook

    write_workbook(path, TABS)
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    wb.save(path)
    return path
