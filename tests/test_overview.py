"""The Overview's headline numbers, on literal frames."""

import pandas as pd

from lib.overview import headline


def test_organisations_are_counted_once_whatever_their_case_and_blanks_not_at_all():
    fb = pd.DataFrame({"organisation": pd.Series(["Eastbrook Council", "EASTBROOK COUNCIL", "", "Westford",
                                                  "eastbrook council", "Westford"], dtype=object)})
    per_page = pd.DataFrame({"has_form": [True, True, False], "n": [3, 0, 2]})
    h = headline(fb, pd.DataFrame(index=range(4)), per_page)
    assert (h.feedback, h.survey, h.pages_heard, h.pages_with_form, h.organisations) == (6, 4, 1, 2, 2)
