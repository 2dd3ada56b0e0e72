"""Page metadata: shipped table, mkdocs.yml reading, Pages tab override, URL matching."""

import pandas as pd
import pytest

from lib.consultation import UNKNOWN_PAGE
from lib.errors import SourceError
from lib.pages_meta import PageMatcher, SiteMeta, site_from_mkdocs, site_from_table, url_segments

MKDOCS = """
site_name: 'Test site'
site_url: https://example.org/consult/
use_directory_urls: true
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
nav:
  - Home: index.md
  - 'How our system works': how-our-system-works.md
  - 'Main Feedback Form': feedback.md
  - 'Appendices':
      - 'Appendix 1: More on how our system works':
          - 'Overview': appendix-1-more-on-how-our-system-works/index.md
          - 'Context': appendix-1-more-on-how-our-system-works/context.md
      - 'Appendix 2: More on possible mechanisms':
          - 'Overview': appendix-2/index.md
      - 'Appendix 4: Reference projects': appendix-4-reference-projects.md
  - 'GitHub': https://github.com/example/repo
"""


def test_shipped_site_has_the_consultations_pages(site):
    pages = site.pages
    assert len(pages) == 30
    assert list(pages["order"]) == sorted(pages["order"])
    without = set(pages.loc[~pages["has_form"], "title"])
    assert without == {"Home", "How to use this document", "Main Feedback Form", "Overview"}
    assert int(pages["has_form"].sum()) == 25  # every page except the five named in consultation.md
    overview = pages[pages["title"] == "Overview"]["label"].tolist()
    assert overview == ["Appendix 1 › Overview", "Appendix 2 › Overview"]


def test_mkdocs_nav_with_unknown_tags(consultation):
    site = site_from_mkdocs(MKDOCS, consultation)
    pages = site.pages.set_index("path")
    assert site.site_url == "https://example.org/consult/"
    assert list(site.pages["path"]) == [
        "/", "/how-our-system-works/", "/feedback/", "/appendix-1-more-on-how-our-system-works/",
        "/appendix-1-more-on-how-our-system-works/context/", "/appendix-2/", "/appendix-4-reference-projects/",
    ]
    assert pages.loc["/appendix-1-more-on-how-our-system-works/context/", "label"] == "Appendix 1 › Context"
    assert pages.loc["/appendix-4-reference-projects/", "section"] == "Appendices"
    # has_form follows the consultation's list of pages without the form
    assert not pages.loc["/", "has_form"] and not pages.loc["/feedback/", "has_form"]
    assert pages.loc["/how-our-system-works/", "has_form"]


def test_mkdocs_without_directory_urls(consultation):
    site = site_from_mkdocs(MKDOCS.replace("use_directory_urls: true", "use_directory_urls: false"), consultation)
    assert "/appendix-1-more-on-how-our-system-works/context.html" in set(site.pages["path"])
    matcher = PageMatcher(site)
    assert matcher.match(["https://h/consult/appendix-1-more-on-how-our-system-works/context.html"]) == [
        "/appendix-1-more-on-how-our-system-works/context.html"]


def test_mkdocs_without_nav_is_a_plain_error(consultation):
    with pytest.raises(SourceError, match="no 'nav'"):
        site_from_mkdocs("site_name: x\n", consultation)


def test_pages_tab_overrides_and_missing_column():
    table = pd.DataFrame({"Path": ["/a/", "b.md", "/c/"], "Title": ["A", "B", "C"],
                          "Section": ["", "S: long", ""], "Has form": ["yes", "TRUE", "no"]})
    site = site_from_table(table, "https://x.org/")
    assert list(site.pages["path"]) == ["/a/", "/b/", "/c/"]
    assert list(site.pages["has_form"]) == [True, True, False]
    assert list(site.pages["label"]) == ["A", "S › B", "C"]
    with pytest.raises(SourceError, match=r"required column 'title' is missing \(columns found: path\)"):
        site_from_table(pd.DataFrame({"path": ["/a/"]}), "")


@pytest.mark.parametrize("url, expected", [
    # live site, preview, custom domain with its own base path
    ("https://data-to-insight.github.io/centre-of-excellence/how-our-system-works/", "/how-our-system-works/"),
    ("http://127.0.0.1:8000/how-our-system-works/", "/how-our-system-works/"),
    ("https://coe.example.gov.uk/docs/v2/how-our-system-works/", "/how-our-system-works/"),
    # missing trailing slash, index.html, query, fragment, upper case
    ("https://data-to-insight.github.io/centre-of-excellence/how-our-system-works", "/how-our-system-works/"),
    ("http://127.0.0.1:8000/how-our-system-works/index.html", "/how-our-system-works/"),
    ("https://h/x/how-our-system-works/?utm=1#the-model", "/how-our-system-works/"),
    # whole segments: the appendix overview is not "how-our-system-works/"
    ("https://data-to-insight.github.io/centre-of-excellence/appendix-1-more-on-how-our-system-works/",
     "/appendix-1-more-on-how-our-system-works/"),
    ("https://data-to-insight.github.io/centre-of-excellence/appendix-1-more-on-how-our-system-works/context/",
     "/appendix-1-more-on-how-our-system-works/context/"),
    # ?page= wins, URL-decoded
    ("https://data-to-insight.github.io/centre-of-excellence/feedback/?page=https%3A%2F%2Fdata-to-insight"
     ".github.io%2Fcentre-of-excellence%2Fmodels-for-delivery%2F", "/models-for-delivery/"),
    # home under the site's base, and at a bare host
    ("https://data-to-insight.github.io/centre-of-excellence/", "/"),
    ("http://127.0.0.1:8000/", "/"),
    ("127.0.0.1:8000/models-for-delivery/", "/models-for-delivery/"),
    # no match
    ("https://data-to-insight.github.io/centre-of-excellence/suggestions/", UNKNOWN_PAGE),
    ("https://data-to-insight.github.io/other-base/", UNKNOWN_PAGE),
    ("not a url", UNKNOWN_PAGE),
    ("", UNKNOWN_PAGE),
])
def test_url_matching(site, url, expected):
    assert PageMatcher(site).match([url]) == [expected]


def test_home_under_a_base_learnt_from_other_rows(site):
    urls = ["https://coe.example.org/docs/models-for-delivery/", "https://coe.example.org/docs/"]
    assert PageMatcher(site).match(urls) == ["/models-for-delivery/", "/"]


def test_url_segments_handles_percent_encoding():
    assert url_segments("https://h/a%20b/c/") == ("a b", "c")
    assert url_segments("   ") is None


def test_empty_site():
    site = SiteMeta(pd.DataFrame(columns=["order", "path", "title", "section", "has_form", "label"]), "")
    assert PageMatcher(site).match(["https://h/a/"]) == [UNKNOWN_PAGE]
